//! [`SystemClock`]: the real clock.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencentcloud_cvm_core::clock::Clock;

/// Wall time from [`SystemTime`], monotonic time from an [`Instant`] taken at
/// creation, and [`std::thread::sleep`].
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::clock::Clock;
/// use tencentcloud_cvm_ureq::SystemClock;
/// let clock = SystemClock::new();
/// assert!(clock.unix_time() > 1_600_000_000);
/// let before = clock.monotonic();
/// clock.sleep(Duration::from_millis(1));
/// assert!(clock.monotonic() >= before + Duration::from_millis(1));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose monotonic time starts now.
    pub fn new() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    /// Seconds since the Unix epoch (0 if the system clock is set before 1970).
    fn unix_time(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_starts_near_zero_and_copies_share_the_origin() {
        let a = SystemClock::new();
        let b = a;
        assert!(a.monotonic() < Duration::from_secs(1));
        a.sleep(Duration::from_millis(2));
        assert!(b.monotonic() >= Duration::from_millis(2));
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(a.unix_time().abs_diff(wall) <= 1);
    }
}
