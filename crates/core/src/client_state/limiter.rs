//! The rate limiter's arithmetic: given `now`, may a request go, or from when.
//!
//! A sliding log of send times: a request may go when fewer than `max` requests
//! were sent in the `window` before `now`. So no window of that length ever
//! holds more than `max` sends, and a burst of up to `max` goes at once.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// A request rate: at most `max` requests in any `per` window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    max: u32,
    per: Duration,
    guard: Duration,
}

/// The guard added to every window unless replaced.
const DEFAULT_GUARD: Duration = Duration::from_millis(50);

impl RateLimit {
    /// At most `max` requests per `per` (a `max` of 0 is taken as 1).
    ///
    /// A guard of 50 ms is added to the window by default, so that requests
    /// whose network latency varies still *arrive* within the limit.
    pub fn new(max: u32, per: Duration) -> Self {
        RateLimit {
            per,
            ..RateLimit::per_second(max)
        }
    }

    /// At most `max` requests per second (a `max` of 0 is taken as 1), with the
    /// default guard: how the service documents its limits.
    pub const fn per_second(max: u32) -> Self {
        RateLimit {
            max: if max == 0 { 1 } else { max },
            per: Duration::from_secs(1),
            guard: DEFAULT_GUARD,
        }
    }

    /// Replaces the guard added to the window.
    pub fn with_guard(mut self, guard: Duration) -> Self {
        self.guard = guard;
        self
    }

    /// The most requests per window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The window length, guard included.
    pub fn window(&self) -> Duration {
        self.per + self.guard
    }
}

impl Default for RateLimit {
    /// 10 requests per second, the most common CVM limit (TerminateInstances' among them).
    fn default() -> Self {
        RateLimit::per_second(10)
    }
}

/// The limiter's state: the send times inside the current window.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{RateLimit, RateLimiter};
/// let t0 = Instant::now();
/// let ms = |n| t0 + Duration::from_millis(n);
/// let mut l = RateLimiter::new(RateLimit::new(2, Duration::from_secs(1)).with_guard(Duration::ZERO));
/// assert!(l.try_acquire(ms(0)).is_ok());
/// assert!(l.try_acquire(ms(10)).is_ok());
/// assert_eq!(l.try_acquire(ms(20)), Err(ms(1000)));
/// assert!(l.try_acquire(ms(1000)).is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    sent: VecDeque<Instant>,
}

impl RateLimiter {
    /// An empty limiter.
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            sent: VecDeque::with_capacity(limit.max as usize),
        }
    }

    /// The limit.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Records a send at `now` if allowed, or says from when one will be. A
    /// `now` earlier than a recorded send is taken as that send's time, so
    /// time going backwards never lets more through.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Instant> {
        let window = self.limit.window();
        let now = self.sent.back().map_or(now, |&last| now.max(last));
        while let Some(&oldest) = self.sent.front() {
            if oldest + window <= now {
                self.sent.pop_front();
            } else {
                break;
            }
        }
        if self.sent.len() < self.limit.max as usize {
            self.sent.push_back(now);
            Ok(())
        } else {
            let oldest = self.sent.front().copied().unwrap_or(now);
            Err(oldest + window)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    fn max_in_any_window(sends: &[Instant], window: Duration) -> usize {
        sends
            .iter()
            .map(|&start| {
                sends
                    .iter()
                    .filter(|&&t| t >= start && t < start + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn burst_then_paced() {
        let limit = RateLimit::per_second(10);
        let mut l = RateLimiter::new(limit);
        let t0 = Instant::now();
        let mut now = t0;
        let mut sends = Vec::new();
        while sends.len() < 55 {
            match l.try_acquire(now) {
                Ok(()) => sends.push(now),
                Err(at) => now = at,
            }
        }
        assert!(sends[..10].iter().all(|&t| t == t0), "burst of 10 at once");
        assert_eq!(max_in_any_window(&sends, Duration::from_secs(1)), 10);
        assert_eq!(max_in_any_window(&sends, limit.window()), 10);
        assert_eq!(sends[54], t0 + limit.window() * 5);
    }

    quickcheck! {
        fn never_more_than_max_in_any_window(max: u8, gaps: Vec<u16>) -> bool {
            let limit = RateLimit::new(u32::from(max % 12) + 1, Duration::from_secs(1));
            let mut l = RateLimiter::new(limit);
            let mut now = Instant::now();
            let mut sends = Vec::new();
            for gap in gaps {
                now += Duration::from_millis(u64::from(gap % 400));
                loop {
                    match l.try_acquire(now) {
                        Ok(()) => { sends.push(now); break; }
                        Err(at) => { assert!(at > now); now = at }
                    }
                }
            }
            max_in_any_window(&sends, limit.window()) <= limit.max() as usize
        }
    }
}
