//! The credential-scope date: the UTC calendar date of a Unix timestamp.

/// `YYYY-MM-DD` of the UTC day containing `timestamp` (seconds since the Unix epoch).
///
/// Computed with the proleptic Gregorian civil-from-days algorithm so that the
/// core needs no calendar crate and never reads a clock.
///
/// ```
/// use tencentcloud_cvm_core::signing::utc_date;
/// assert_eq!(utc_date(1551113065).as_str(), "2019-02-25");
/// ```
pub fn utc_date(timestamp: u64) -> UtcDate {
    // Unsigned throughout (timestamps are never negative): divisions by
    // constants then compile to multiplications.
    let days = timestamp / 86_400;
    // Shift the epoch to 0000-03-01 so leap days fall at the end of a cycle year.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + u64::from(month <= 2)) as u32;
    let mut out = [0u8; 10];
    let digits = |buf: &mut [u8], mut v: u32| {
        for b in buf.iter_mut().rev() {
            *b = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    digits(&mut out[0..4], year % 10_000);
    out[4] = b'-';
    digits(&mut out[5..7], month);
    out[7] = b'-';
    digits(&mut out[8..10], day);
    UtcDate(out)
}

/// A `YYYY-MM-DD` date, stored inline (no allocation).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct UtcDate([u8; 10]);

impl UtcDate {
    /// The date as `YYYY-MM-DD` bytes.
    pub fn as_bytes(&self) -> &[u8; 10] {
        &self.0
    }

    /// The date as `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00")
    }
}

impl std::fmt::Display for UtcDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(utc_date(0).as_str(), "1970-01-01");
        assert_eq!(utc_date(1551113065).as_str(), "2019-02-25");
        assert_eq!(utc_date(951_782_400).as_str(), "2000-02-29");
        assert_eq!(utc_date(1_700_006_399).as_str(), "2023-11-14");
        assert_eq!(utc_date(1_700_006_400).as_str(), "2023-11-15");
        assert_eq!(utc_date(4_102_444_800).as_str(), "2100-01-01");
        assert_eq!(utc_date(253_402_300_799).as_str(), "9999-12-31");
    }

    #[test]
    fn midnight_boundary_changes_date() {
        let before = utc_date(86_400 * 20_000 - 1);
        let after = utc_date(86_400 * 20_000);
        assert_ne!(before, after);
    }

    #[test]
    fn huge_timestamps_do_not_panic() {
        let _ = utc_date(u64::MAX);
    }
}
