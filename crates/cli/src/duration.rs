//! Durations on the command line: `90`, `90s`, `500ms`, `5m`, `1h`.

use std::time::Duration;

/// Parses a whole number with an optional unit (`ms`, `s`, `m`, `h`; seconds when
/// none). Zero is refused: a deadline of nothing would send nothing.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let usage = || "a whole number with an optional unit: 500ms, 90s, 5m, 1h".to_owned();
    let n: u64 = number.parse().map_err(|_| usage())?;
    let seconds_per = match unit {
        "ms" => return positive(Duration::from_millis(n)),
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return Err(usage()),
    };
    let seconds = n
        .checked_mul(seconds_per)
        .ok_or_else(|| "too long".to_owned())?;
    positive(Duration::from_secs(seconds))
}

fn positive(d: Duration) -> Result<Duration, String> {
    if d.is_zero() {
        Err("must be more than zero".to_owned())
    } else {
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration(" 1h "), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn refusals() {
        for bad in [
            "", "s", "-5s", "1.5s", "5 m", "5d", "0", "0ms", "1e3", "5mm",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_duration("18446744073709551615h"),
            Err("too long".to_owned())
        );
    }
}
