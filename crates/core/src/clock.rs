//! Time as an input: the engine asks a [`Clock`] and never reads one itself.

use std::time::Duration;

/// The clock (and sleep) the engine uses. The ureq crate provides the system
/// clock; tests provide a fake one that advances instantly when slept on.
pub trait Clock: Send + Sync {
    /// Wall-clock time, seconds since the Unix epoch (for `X-TC-Timestamp`).
    fn unix_time(&self) -> u64;
    /// Monotonic time since an arbitrary fixed origin (for rate limiting and budgets).
    fn monotonic(&self) -> Duration;
    /// Blocks the calling thread for `duration`.
    fn sleep(&self, duration: Duration);
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn unix_time(&self) -> u64 {
        (**self).unix_time()
    }
    fn monotonic(&self) -> Duration {
        (**self).monotonic()
    }
    fn sleep(&self, duration: Duration) {
        (**self).sleep(duration)
    }
}

/// A clock for tests and simulations: time moves only when slept on or advanced.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::clock::{Clock, ManualClock};
/// let c = ManualClock::new(1_700_000_000);
/// c.sleep(Duration::from_millis(1500));
/// assert_eq!(c.monotonic(), Duration::from_millis(1500));
/// assert_eq!(c.unix_time(), 1_700_000_001);
/// ```
#[derive(Debug)]
pub struct ManualClock {
    start_unix: u64,
    elapsed: std::sync::Mutex<Duration>,
}

impl ManualClock {
    /// A clock whose wall time starts at `start_unix`.
    pub fn new(start_unix: u64) -> Self {
        ManualClock {
            start_unix,
            elapsed: std::sync::Mutex::new(Duration::ZERO),
        }
    }

    /// Moves time forward without sleeping.
    pub fn advance(&self, by: Duration) {
        let mut e = self.elapsed.lock().unwrap_or_else(|p| p.into_inner());
        *e += by;
    }
}

impl Clock for ManualClock {
    fn unix_time(&self) -> u64 {
        self.start_unix + self.monotonic().as_secs()
    }
    fn monotonic(&self) -> Duration {
        *self.elapsed.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn sleep(&self, duration: Duration) {
        self.advance(duration);
    }
}
