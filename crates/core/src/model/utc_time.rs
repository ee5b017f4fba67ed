//! UTC times as the CVM API writes them (`ExpiredTime`, `CreatedTime`):
//! ISO 8601 `YYYY-MM-DDThh:mm:ssZ` (and, for `CreatedTime`, with a numeric offset), to
//! and from seconds since the Unix epoch; and the `YYYY-MM-DD hh:mm:ss` wall-clock form
//! of DescribeInstances' creation-time filters.

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
    if b.len() != 20 || b[19] != b'Z' {
        return None;
    }
    date_time(&b[..19], b'T')
}

/// Parses an RFC 3339 time as the API writes `CreatedTime`: the documented
/// `YYYY-MM-DDThh:mm:ssZ`, or the same with a numeric offset (`+00:00` appears in the
/// official examples; any `±hh:mm` up to 23:59 is applied). Unix seconds; `None` for
/// other text, an impossible date or a time before 1970.
///
/// ```
/// use tencentcloud_cvm_core::utc_time::parse_timestamp;
/// assert_eq!(parse_timestamp("2020-03-10T02:43:51Z"), Some(1_583_808_231));
/// assert_eq!(parse_timestamp("2020-03-10T02:43:51+00:00"), Some(1_583_808_231));
/// assert_eq!(parse_timestamp("2020-03-10T10:43:51+08:00"), Some(1_583_808_231));
/// assert_eq!(parse_timestamp("2020-03-10 02:43:51"), None);
/// ```
pub fn parse_timestamp(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    match b.len() {
        20 => parse_utc(text),
        25 => {
            let local = date_time(&b[..19], b'T')?;
            let sign = b[19];
            if !matches!(sign, b'+' | b'-') || b[22] != b':' {
                return None;
            }
            let (hours, minutes) = (two_digits(&b[20..22])?, two_digits(&b[23..25])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            // Local time = UTC + offset.
            if sign == b'+' {
                local.checked_sub(offset)
            } else {
                local.checked_add(offset)
            }
        }
        _ => None,
    }
}

/// Parses `YYYY-MM-DD hh:mm:ss`, the form of DescribeInstances' `creation-start-time`
/// and `creation-end-time` filters, as if it were UTC (the documentation does not give
/// the filters' time zone): seconds since 1970-01-01 00:00:00 of the same wall clock.
///
/// ```
/// use tencentcloud_cvm_core::utc_time::parse_wall_clock;
/// assert_eq!(parse_wall_clock("2023-06-01 00:00:00"), Some(1_685_577_600));
/// assert_eq!(parse_wall_clock("2023-06-01T00:00:00Z"), None);
/// ```
pub fn parse_wall_clock(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    (b.len() == 19).then(|| date_time(b, b' ')).flatten()
}

/// `YYYY-MM-DD<sep>hh:mm:ss` (exactly 19 bytes) as seconds since the epoch of the same
/// wall clock.
fn date_time(b: &[u8], separator: u8) -> Option<u64> {
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != separator
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = two_digits(&b[0..2])? * 100 + two_digits(&b[2..4])?;
    let (month, day) = (two_digits(&b[5..7])?, two_digits(&b[8..10])?);
    let (hour, minute, second) = (
        two_digits(&b[11..13])?,
        two_digits(&b[14..16])?,
        two_digits(&b[17..19])?,
    );
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

/// Two ASCII digits.
fn two_digits(b: &[u8]) -> Option<u64> {
    match b {
        [t @ b'0'..=b'9', u @ b'0'..=b'9'] => Some(u64::from(t - b'0') * 10 + u64::from(u - b'0')),
        _ => None,
    }
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

    #[test]
    fn timestamps_with_offsets() {
        let t = 1_700_000_000;
        for text in [
            "2023-11-14T22:13:20Z",
            "2023-11-14T22:13:20+00:00",
            "2023-11-14T22:13:20-00:00",
            "2023-11-15T06:13:20+08:00",
            "2023-11-14T12:43:20-09:30",
            "2023-11-15T22:12:20+23:59",
        ] {
            assert_eq!(parse_timestamp(text), Some(t), "{text}");
        }
        assert_eq!(parse_timestamp("1970-01-01T00:00:00-00:01"), Some(60));
        for bad in [
            "1970-01-01T00:00:00+00:01",
            "2023-11-14T22:13:20+24:00",
            "2023-11-14T22:13:20+08:60",
            "2023-11-14T22:13:20+0800",
            "2023-11-14T22:13:20 08:00",
            "2023-11-14T22:13:20+08:0a",
            "2023-11-14T22:13:20z",
            "2023-11-14 22:13:20",
            "2023-02-29T00:00:00+00:00",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(parse_wall_clock("2023-11-14 22:13:20"), Some(t));
        for bad in [
            "2023-11-14T22:13:20",
            "2023-11-14 22:13:20Z",
            "2023-11-14  22:13:2",
            "2023-11-31 00:00:00",
            "1969-12-31 23:59:59",
            "2023-11-14 22:13",
        ] {
            assert_eq!(parse_wall_clock(bad), None, "{bad}");
        }
    }

    quickcheck! {
        fn offsets_agree(t: u64, minutes: u16, east: bool) -> bool {
            // Keep the local time within years 1970..=9999.
            let t = t % 253_300_000_000 + 100_000;
            let offset = u64::from(minutes % 1440) * 60;
            let local = if east { t + offset } else { t - offset };
            let utc = format_utc(local);
            let sign = if east { '+' } else { '-' };
            let text = format!("{}{sign}{:02}:{:02}", &utc[..19], offset / 3600, offset / 60 % 60);
            parse_timestamp(&text) == Some(t)
                && parse_wall_clock(&utc[..19].replace('T', " ")) == Some(local)
        }

        fn timestamp_never_panics(s: String) -> bool {
            let _ = (parse_timestamp(&s), parse_wall_clock(&s));
            true
        }

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
