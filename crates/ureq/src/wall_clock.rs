//! [`WallClock`]: where the driver reads wall-clock time for `X-TC-Timestamp`.
//!
//! Only the timestamp comes from here: waiting, rate limiting and deadlines
//! use [`std::time::Instant`], which cannot jump.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock seconds since the Unix epoch, for signing.
pub trait WallClock: Send + Sync + fmt::Debug {
    /// Seconds since the Unix epoch.
    fn unix_time(&self) -> u64;
}

impl<C: WallClock + ?Sized> WallClock for std::sync::Arc<C> {
    fn unix_time(&self) -> u64 {
        (**self).unix_time()
    }
}

/// The system's wall clock.
///
/// ```
/// use tencentcloud_cvm_ureq::{SystemClock, WallClock};
/// assert!(SystemClock.unix_time() > 1_600_000_000);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl WallClock for SystemClock {
    /// Seconds since the Unix epoch (0 if the system clock is set before 1970).
    fn unix_time(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_system_time() {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(SystemClock.unix_time().abs_diff(wall) <= 1);
    }
}
