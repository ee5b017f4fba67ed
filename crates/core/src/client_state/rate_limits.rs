//! Rate limits per action, in one place: the service limits each API action on its
//! own, so a client keeps one [`RateLimiter`] per [`Action`] it sends, each held to
//! the limit configured for it or else to the action's documented one (the table
//! below).

use std::time::Instant;

use crate::actions::{Action, ActionTable};
use crate::client_state::limiter::{RateLimit, RateLimiter};

/// One limiter per action, created on first use from the configured or the
/// documented limit.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{Action, RateLimit, RateLimits};
/// let mut limits = RateLimits::new()
///     .with_limit(Action::TerminateInstances, RateLimit::new(1, Duration::from_secs(1)));
/// let t0 = Instant::now();
/// assert!(limits.try_acquire(Action::TerminateInstances, t0).is_ok());
/// assert!(limits.try_acquire(Action::TerminateInstances, t0).is_err());
/// // Another action has its own window.
/// assert!(limits.try_acquire(Action::DescribeInstances, t0).is_ok());
/// ```
#[derive(Clone, Debug, Default)]
pub struct RateLimits {
    configured: Vec<(Action, RateLimit)>,
    limiters: Vec<(Action, RateLimiter)>,
}

impl RateLimits {
    /// Every action at its documented limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `action`'s limit (replacing its window if it was already in use).
    pub fn with_limit(mut self, action: Action, limit: RateLimit) -> Self {
        self.limiters.retain(|(a, _)| *a != action);
        self.configured.retain(|(a, _)| *a != action);
        self.configured.push((action, limit));
        self
    }

    /// The limit `action` is held to: the configured one, else its documented one.
    pub fn limit(&self, action: Action) -> RateLimit {
        self.configured
            .iter()
            .find(|(a, _)| *a == action)
            .map_or_else(|| action.default_rate_limit(), |&(_, l)| l)
    }

    /// Records a send of `action` at `now` if its limit allows, or says from when it will.
    pub fn try_acquire(&mut self, action: Action, now: Instant) -> Result<(), Instant> {
        if let Some((_, limiter)) = self.limiters.iter_mut().find(|(a, _)| *a == action) {
            return limiter.try_acquire(now);
        }
        let mut limiter = RateLimiter::new(self.limit(action));
        let verdict = limiter.try_acquire(now);
        self.limiters.push((action, limiter));
        verdict
    }
}

impl Action {
    /// Its documented request rate, per second and per SecretId: what a client is
    /// held to unless [`RateLimits::with_limit`] says otherwise.
    ///
    /// | action | limit | source |
    /// | --- | --- | --- |
    /// | `TerminateInstances` | 10/s | <https://cloud.tencent.com/document/api/213/15723> |
    /// | `DescribeInstances` | 40/s | <https://cloud.tencent.com/document/api/213/15728>, <https://www.tencentcloud.com/document/product/213/33258> |
    /// | `DescribeInstancesStatus` | 40/s | <https://cloud.tencent.com/document/api/213/15738>, <https://www.tencentcloud.com/document/product/213/33256> |
    /// | `InquiryPriceTerminateInstances` | 10/s | <https://cloud.tencent.com/document/api/213/58193> |
    /// | `DescribeRegions` | 20/s | the CVM API category page, <https://www.tencentcloud.com/document/api/213/15689> |
    /// | STS `GetCallerIdentity` | 20/s | <https://cloud.tencent.com/document/api/1312/66098> |
    ///
    /// Each page says "A maximum of N requests can be initiated per second for this
    /// API" (默认接口请求频率限制：N次/秒). The service counts per action, access region
    /// and sub-account; every limit here has the default 50 ms guard.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{Action, RateLimit};
    /// assert_eq!(Action::TerminateInstances.default_rate_limit(), RateLimit::per_second(10));
    /// assert_eq!(Action::DescribeInstancesStatus.default_rate_limit().max(), 40);
    /// // An action this crate does not speak has no documented limit here.
    /// assert_eq!(Action::parse("RunInstances").map(Action::default_rate_limit), None);
    /// ```
    pub fn default_rate_limit(self) -> RateLimit {
        DocumentedRateLimits.entry(self)
    }
}

/// The table of documented limits (sources in [`Action::default_rate_limit`]).
struct DocumentedRateLimits;

impl ActionTable for DocumentedRateLimits {
    type Entry = RateLimit;

    fn terminate_instances(&self) -> RateLimit {
        RateLimit::per_second(10)
    }
    fn describe_instances(&self) -> RateLimit {
        RateLimit::per_second(40)
    }
    fn describe_instances_status(&self) -> RateLimit {
        RateLimit::per_second(40)
    }
    fn inquiry_price_terminate_instances(&self) -> RateLimit {
        RateLimit::per_second(10)
    }
    fn describe_regions(&self) -> RateLimit {
        RateLimit::per_second(20)
    }
    fn get_caller_identity(&self) -> RateLimit {
        RateLimit::per_second(20)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn each_action_has_its_own_window_and_a_documented_default() {
        let t0 = Instant::now();
        let mut limits = RateLimits::new();
        for action in Action::ALL {
            let max = action.default_rate_limit().max();
            assert!(max >= 10, "{action}");
            for _ in 0..max {
                assert!(limits.try_acquire(*action, t0).is_ok(), "{action}");
            }
            assert!(limits.try_acquire(*action, t0).is_err(), "{action}");
        }
        assert_eq!(limits.limit(Action::DescribeInstances).max(), 40);
    }

    #[test]
    fn a_configured_limit_replaces_the_window_in_use() {
        let t0 = Instant::now();
        let mut limits = RateLimits::new();
        assert!(limits.try_acquire(Action::TerminateInstances, t0).is_ok());
        let one = RateLimit::new(1, Duration::from_secs(1));
        let mut limits = limits
            .with_limit(Action::TerminateInstances, one)
            .with_limit(Action::TerminateInstances, one);
        assert_eq!(limits.limit(Action::TerminateInstances), one);
        assert!(limits.try_acquire(Action::TerminateInstances, t0).is_ok());
        assert!(limits.try_acquire(Action::TerminateInstances, t0).is_err());
    }
}
