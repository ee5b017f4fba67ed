//! Ages as operators write them: `6h`, `2d`, `1d12h`, `90m`, `1w`.

use std::time::Duration;

use crate::selection::selection_error::SelectionError;

const AGE_FORM: &str = "a whole number and a unit (s, m, h, d or w), repeated for a sum \
                        (e.g. 6h, 2d, 1d12h), more than zero";

/// Parses an age: one or more whole numbers, each followed by its unit (`s`
/// seconds, `m` minutes, `h` hours, `d` days of 24 hours, `w` weeks), added up.
/// Zero, a number without a unit, and a sum beyond `u64` seconds are refused.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::parse_age;
/// assert_eq!(parse_age("6h")?, Duration::from_secs(6 * 3600));
/// assert_eq!(parse_age("1d12h")?, Duration::from_secs(36 * 3600));
/// assert!(parse_age("6").is_err());
/// # Ok::<(), tencentcloud_cvm_core::SelectionError>(())
/// ```
pub fn parse_age(text: &str) -> Result<Duration, SelectionError> {
    parse_age_as("older-than", text)
}

/// [`parse_age`], refusals naming `argument`.
pub(crate) fn parse_age_as(argument: &'static str, text: &str) -> Result<Duration, SelectionError> {
    let refuse = || SelectionError::argument(argument, text, AGE_FORM);
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(refuse());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(refuse());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| refuse())?;
        let mut units = rest[digits..].chars();
        let seconds: u64 = match units.next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            Some('d') => 86_400,
            Some('w') => 7 * 86_400,
            _ => return Err(refuse()),
        };
        total = n
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(refuse)?;
        rest = units.as_str();
    }
    if total == 0 {
        return Err(refuse());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        for (text, seconds) in [
            ("30s", 30),
            ("90m", 5400),
            ("6h", 21_600),
            (" 2d ", 172_800),
            ("1w", 604_800),
            ("1d12h", 129_600),
            ("1h0m", 3600),
        ] {
            assert_eq!(parse_age(text), Ok(Duration::from_secs(seconds)), "{text}");
        }
        for bad in [
            "",
            "6",
            "h",
            "6x",
            "-1h",
            "1.5h",
            "0h",
            "0d0h",
            "6 h",
            "1h 2m",
            "6H",
            "99999999999999999999h",
            "18446744073709551615w",
        ] {
            assert!(parse_age(bad).is_err(), "{bad:?}");
        }
        let e = parse_age("6").unwrap_err().to_string();
        assert!(
            e.starts_with("older-than `6`: expected a whole number and a unit"),
            "{e}"
        );
    }
}
