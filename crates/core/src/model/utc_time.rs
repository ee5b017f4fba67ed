//! UTC times as the CVM API writes them (`ExpiredTime`, `CreatedTime`):
//! ISO 8601 `YYYY-MM-DDThh:mm:ssZ`, to and from seconds since the Unix epoch.

use crate::signing::utc_date;

/// Formats Unix seconds as `YYYY-MM-DDThh:mm:ssZ`.
///
/// ```
/// use tencentcloud_cvm_core::utc_time::{format_utc, parse_utc};
/// assert_eq!(format_utc(1_700_000_000), "2023-11-14T22:13:20Z");
/// assert_eq!(parse_utc("2023-11-14T22:13:20Z"), Some(1_700_000_000));
/// assert_eq!(parse_utc("2023-02-29T00:00:00Z"), None);
/// ```
pub fn format_utc(unix_seconds: u64) -> String {
    let secs = unix_seconds % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        utc_date(unix_seconds),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Parses `YYYY-MM-DDThh:mm:ssZ` (years 1970 to 9999) into Unix seconds; `None` for any
/// other text or an impossible date.
pub fn parse_utc(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        b[range].iter().try_fold(0u64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1970 || day == 0 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_since_epoch(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a (valid, not earlier) proleptic Gregorian date: the
/// days-from-civil algorithm, with years starting in March so leap days come last.
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn known_times() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_utc("2000-02-29T12:00:00Z"), Some(951_825_600));
        assert_eq!(parse_utc("9999-12-31T23:59:59Z"), Some(253_402_300_799));
        for bad in [
            "",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20+00:00",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2023-11-14T24:00:00Z",
            "2023-11-14T22:60:00Z",
            "2023-11-14T22:13:60Z",
            "2023-1a-14T22:13:20Z",
            "+023-11-14T22:13:20Z",
            "2023-11-14T22:13:20Zx",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    quickcheck! {
        fn format_then_parse(t: u64) -> bool {
            let t = t % 253_402_300_800;
            parse_utc(&format_utc(t)) == Some(t)
        }

        fn parse_never_panics(s: String) -> bool {
            let _ = parse_utc(&s);
            true
        }
    }
}
