//! Per-action rate limits: the service limits each API action on its own, so
//! a run keeps one [`RateLimiter`] per action it sends.

use std::time::Instant;

use crate::client_state::limiter::{RateLimit, RateLimiter};

/// One limiter per action, created on first use from the configured or the
/// documented default limit.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::RateLimit;
/// use tencentcloud_cvm_core::RateLimits;
/// let mut limits = RateLimits::new().with_limit("TerminateInstances", RateLimit::new(1, Duration::from_secs(1)));
/// let t0 = Instant::now();
/// assert!(limits.try_acquire("TerminateInstances", t0).is_ok());
/// assert!(limits.try_acquire("TerminateInstances", t0).is_err());
/// // Another action has its own window.
/// assert!(limits.try_acquire("DescribeInstances", t0).is_ok());
/// ```
#[derive(Clone, Debug, Default)]
pub struct RateLimits {
    configured: Vec<(String, RateLimit)>,
    limiters: Vec<(String, RateLimiter)>,
}

impl RateLimits {
    /// Every action at its documented default limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `action`'s limit (replacing its window if it was already in use).
    pub fn with_limit(mut self, action: impl Into<String>, limit: RateLimit) -> Self {
        let action = action.into();
        self.limiters.retain(|(a, _)| *a != action);
        self.configured.retain(|(a, _)| *a != action);
        self.configured.push((action, limit));
        self
    }

    /// The limit `action` is held to: the configured one, else its documented
    /// one, else 10 per second (the most common CVM limit).
    pub fn limit(&self, action: &str) -> RateLimit {
        self.configured
            .iter()
            .find(|(a, _)| a == action)
            .map(|&(_, l)| l)
            .or_else(|| RateLimit::for_action(action))
            .unwrap_or(RateLimit::TERMINATE_INSTANCES)
    }

    /// Records a send of `action` at `now` if its limit allows, or says from when it will.
    pub fn try_acquire(&mut self, action: &str, now: Instant) -> Result<(), Instant> {
        if let Some((_, limiter)) = self.limiters.iter_mut().find(|(a, _)| a == action) {
            return limiter.try_acquire(now);
        }
        let mut limiter = RateLimiter::new(self.limit(action));
        let verdict = limiter.try_acquire(now);
        self.limiters.push((action.to_owned(), limiter));
        verdict
    }
}
