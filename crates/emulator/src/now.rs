//! The handler's clock, passed in rather than read, so tests can drive time.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A point in time as the handler sees it.
///
/// * the wall clock (time since the Unix epoch), for the `X-TC-Timestamp` skew check
///   and the `Date` header;
/// * a monotonic offset from an arbitrary origin, for throttling windows and for
///   instances leaving the `TERMINATING` state.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_emulator::Now;
/// let now = Now::new(1_700_000_000, Duration::from_secs(5));
/// let later = now.after(Duration::from_millis(1500));
/// assert_eq!(later.unix_seconds(), 1_700_000_001);
/// assert_eq!(later.monotonic(), Duration::from_millis(6500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Now {
    unix: Duration,
    monotonic: Duration,
}

impl Now {
    /// A time given as whole Unix seconds and a monotonic offset.
    pub fn new(unix_seconds: u64, monotonic: Duration) -> Self {
        Now {
            unix: Duration::from_secs(unix_seconds),
            monotonic,
        }
    }

    /// The current system time; the monotonic part is measured from `origin`.
    ///
    /// This is the only place the crate reads a clock; the server calls it per request.
    pub fn system(origin: Instant) -> Self {
        Now {
            unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            monotonic: origin.elapsed(),
        }
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> u64 {
        self.unix.as_secs()
    }

    /// The wall-clock time as a [`SystemTime`].
    pub fn system_time(&self) -> SystemTime {
        UNIX_EPOCH.checked_add(self.unix).unwrap_or(UNIX_EPOCH)
    }

    /// The monotonic offset from the caller's origin.
    pub fn monotonic(&self) -> Duration {
        self.monotonic
    }

    /// This time advanced by `elapsed` on both clocks (saturating).
    pub fn after(&self, elapsed: Duration) -> Self {
        Now {
            unix: self.unix.saturating_add(elapsed),
            monotonic: self.monotonic.saturating_add(elapsed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_saturates() {
        let now = Now::new(u64::MAX, Duration::MAX).after(Duration::from_secs(1));
        assert_eq!(now.unix_seconds(), u64::MAX);
        assert_eq!(now.monotonic(), Duration::MAX);
    }

    #[test]
    fn system_time_of_huge_values_does_not_panic() {
        let _ = Now::new(u64::MAX, Duration::ZERO).system_time();
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(Now::system(Instant::now()).unix_seconds() > 1_577_836_800);
    }
}
