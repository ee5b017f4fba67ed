//! [`Amount`]: an exact decimal sum of money, read from the JSON number the service
//! writes (`"Refunds": 2644.44`) without passing through a binary float.

use std::fmt;

use serde::de::Error as _;
use serde_json::value::RawValue;

/// The most significant digits an amount holds (an `i128` holds any 38-digit integer).
const MAX_DIGITS: usize = 38;
/// The most digits after the decimal point.
const MAX_SCALE: u32 = 38;

/// An exact decimal: `units × 10^-scale`.
///
/// Parsed from the decimal text itself, so `2644.44` is exactly 2644.44, not the
/// nearest `f64` (2644.44000000000005456968210637569427490234375). Equal amounts
/// compare equal whatever their spelling (`1.50`, `1.5`, `15e-1`).
///
/// ```
/// use tencentcloud_cvm_core::Amount;
/// let a = Amount::parse("2644.44")?;
/// assert_eq!((a.units(), a.scale()), (264444, 2));
/// assert_eq!(a.to_string(), "2644.44");
/// assert_eq!(Amount::parse("1.50e1")?, Amount::parse("15")?);
/// assert_eq!(a.units_at_scale(3), Some(2644440));
/// assert_eq!(a.units_at_scale(1), None); // 26444.4 tenths is not whole
/// // `Display` and `Debug` both show the decimal.
/// assert_eq!(format!("{a} {a:?}"), "2644.44 Amount(2644.44)");
/// # Ok::<(), tencentcloud_cvm_core::InvalidAmount>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    /// Normalised: no trailing zero after the point (`scale == 0 || units % 10 != 0`).
    units: i128,
    scale: u32,
}

/// Text that is not a decimal number this crate can hold exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidAmount {
    text: String,
}

impl InvalidAmount {
    fn new(text: &str) -> Self {
        InvalidAmount {
            text: text.chars().take(64).collect(),
        }
    }
}

impl fmt::Display for InvalidAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a decimal amount (a JSON number of at most {MAX_DIGITS} significant \
             digits and {MAX_SCALE} decimals)",
            self.text.escape_debug()
        )
    }
}

impl std::error::Error for InvalidAmount {}

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount { units: 0, scale: 0 };

    /// `units × 10^-scale`, e.g. `Amount::new(1234, 2)` is 12.34. `None` if `scale`
    /// exceeds 38.
    pub fn new(units: i128, scale: u32) -> Option<Amount> {
        (scale <= MAX_SCALE).then(|| Amount::normalised(units, scale))
    }

    fn normalised(mut units: i128, mut scale: u32) -> Amount {
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        if units == 0 {
            scale = 0;
        }
        Amount { units, scale }
    }

    /// Parses a JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) exactly.
    pub fn parse(text: &str) -> Result<Amount, InvalidAmount> {
        let bad = || InvalidAmount::new(text);
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let digits_from = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let int_len = digits_from(i);
        if int_len == 0 || (int_len > 1 && b[i] == b'0') {
            return Err(bad());
        }
        let mut digits: Vec<u8> = b[i..i + int_len].to_vec();
        i += int_len;
        let mut frac_len = 0;
        if b.get(i) == Some(&b'.') {
            frac_len = digits_from(i + 1);
            if frac_len == 0 {
                return Err(bad());
            }
            digits.extend_from_slice(&b[i + 1..i + 1 + frac_len]);
            i += 1 + frac_len;
        }
        let mut exponent: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let exp_len = digits_from(i);
            if exp_len == 0 {
                return Err(bad());
            }
            // Saturate: any exponent beyond a few hundred is out of range anyway
            // (unless the digits are all zero).
            for &d in &b[i..i + exp_len] {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(1_000_000);
            }
            if exp_negative {
                exponent = -exponent;
            }
            i += exp_len;
        }
        if i != b.len() {
            return Err(bad());
        }
        let first_nonzero = digits.iter().position(|&d| d != b'0');
        let Some(first_nonzero) = first_nonzero else {
            return Ok(Amount::ZERO);
        };
        digits.drain(..first_nonzero);
        // value = digits × 10^(exponent - frac_len)
        let mut power = exponent - frac_len as i64;
        while power < 0 && digits.last() == Some(&b'0') {
            digits.pop();
            power += 1;
        }
        if power > 0 {
            if digits.len() as i64 + power > MAX_DIGITS as i64 {
                return Err(bad());
            }
            digits.resize(digits.len() + power as usize, b'0');
            power = 0;
        }
        let scale = u32::try_from(-power).map_err(|_| bad())?;
        if digits.len() > MAX_DIGITS || scale > MAX_SCALE {
            return Err(bad());
        }
        let mut units: i128 = 0;
        for d in digits {
            units = units * 10 + i128::from(d - b'0');
        }
        Ok(Amount::normalised(
            if negative { -units } else { units },
            scale,
        ))
    }

    /// The integer `u` of `u × 10^-scale` (normalised: no trailing zero after the point).
    pub fn units(&self) -> i128 {
        self.units
    }

    /// The number of digits after the decimal point.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.units == 0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.units < 0
    }

    /// The exact sum, or `None` if it does not fit.
    ///
    /// ```
    /// use tencentcloud_cvm_core::Amount;
    /// let a = Amount::parse("2644.44").unwrap();
    /// let b = Amount::parse("0.6").unwrap();
    /// assert_eq!(a.checked_add(&b).unwrap().to_string(), "2645.04");
    /// ```
    pub fn checked_add(&self, other: &Amount) -> Option<Amount> {
        let scale = self.scale.max(other.scale);
        let sum = self
            .units_at_scale(scale)?
            .checked_add(other.units_at_scale(scale)?)?;
        Amount::new(sum, scale)
    }

    /// The amount in units of `10^-scale` (e.g. cents for 2), if that is a whole number
    /// that fits an `i128`.
    pub fn units_at_scale(&self, scale: u32) -> Option<i128> {
        let extra = scale.checked_sub(self.scale)?;
        10i128
            .checked_pow(extra)
            .and_then(|p| self.units.checked_mul(p))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.unsigned_abs().to_string();
        if self.is_negative() {
            f.write_str("-")?;
        }
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{int}.{frac}")
    }
}

/// `Amount(2644.44)`: the decimal, not the `units`/`scale` pair it is stored as.
impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({self})")
    }
}

impl std::str::FromStr for Amount {
    type Err = InvalidAmount;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse(s)
    }
}

/// Written as a JSON number, digit for digit (with `serde_json`).
impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// Read from a JSON number, or from a string holding one, without rounding (with
/// `serde_json`, which hands over the number's text).
impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(d)?;
        let text = raw.get();
        let number = if text.starts_with('"') {
            serde_json::from_str::<String>(text).map_err(D::Error::custom)?
        } else {
            text.to_owned()
        };
        Amount::parse(&number).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn parses_exactly() {
        for (text, units, scale) in [
            ("0", 0, 0),
            ("-0", 0, 0),
            ("0.000", 0, 0),
            ("0e99999999999999999999", 0, 0),
            ("2644.44", 264444, 2),
            ("2644.4400", 264444, 2),
            ("-12.5", -125, 1),
            ("1e3", 1000, 0),
            ("1.5E+2", 150, 0),
            ("25e-4", 25, 4),
            ("0.1", 1, 1),
            ("100", 100, 0),
            (
                "99999999999999999999999999999999999999",
                10i128.pow(38) - 1,
                0,
            ),
            ("0.00000000000000000000000000000000000001", 1, 38),
        ] {
            let a = Amount::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((a.units(), a.scale()), (units, scale), "{text}");
        }
        for bad in [
            "",
            "-",
            "+1",
            "01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "--1",
            "1.2.3",
            " 1",
            "1 ",
            "NaN",
            "inf",
            "0x10",
            "1e39",
            "1e-39",
            "1e99999999999999999999",
            "999999999999999999999999999999999999999",
            "1.5e-38",
        ] {
            assert!(Amount::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_exactly() {
        for (units, scale, text) in [
            (0, 0, "0"),
            (5, 3, "0.005"),
            (-5, 3, "-0.005"),
            (264444, 2, "2644.44"),
            (-100, 0, "-100"),
            (i128::MIN + 1, 0, "-170141183460469231731687303715884105727"),
        ] {
            assert_eq!(Amount::new(units, scale).unwrap().to_string(), text);
        }
        assert_eq!(Amount::new(1500, 2).unwrap().to_string(), "15");
        assert_eq!(Amount::new(1, 39), None);
        // Debug shows the same decimal (it once printed `Amount { units: 0, scale: 0 }`).
        assert_eq!(format!("{:?}", Amount::ZERO), "Amount(0)");
        assert_eq!(
            format!("{:?}", Amount::new(-5, 3).unwrap()),
            "Amount(-0.005)"
        );
        assert_eq!(
            format!("{:?}", Some(Amount::new(264444, 2).unwrap())),
            "Some(Amount(2644.44))"
        );
    }

    #[test]
    fn serde_keeps_every_digit() {
        let a: Amount = serde_json::from_str("0.30000000000000004441").unwrap();
        assert_eq!(a.to_string(), "0.30000000000000004441");
        let s: Amount = serde_json::from_str(r#""12.30""#).unwrap();
        assert_eq!(s, Amount::new(123, 1).unwrap());
        assert_eq!(serde_json::to_string(&s).unwrap(), "12.3");
        for bad in ["true", "null", "[1]", r#""abc""#, "1e400"] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
        let none: Option<Amount> = serde_json::from_str("null").unwrap();
        assert_eq!(none, None);
    }

    quickcheck! {
        fn display_parses_back(units: i64, scale: u8) -> bool {
            let a = Amount::new(i128::from(units), u32::from(scale % 39)).unwrap();
            Amount::parse(&a.to_string()) == Ok(a)
        }

        fn never_panics(text: String) -> bool {
            let _ = Amount::parse(&text);
            true
        }

        fn equal_values_are_equal(units: i32, zeros: u8) -> bool {
            // The same value with trailing zeros after the point, and as `u000e-3`.
            let zeros = usize::from(zeros % 5) + 1;
            let plain = format!("{units}");
            let padded = format!("{units}.{}", "0".repeat(zeros));
            let exp = format!("{}e-{zeros}", i64::from(units) * 10i64.pow(zeros as u32));
            let a = Amount::parse(&plain);
            a.is_ok() && a == Amount::parse(&padded) && a == Amount::parse(&exp)
        }
    }
}
