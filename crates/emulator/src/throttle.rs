//! Per-SecretId, per-action request throttling over a sliding one-second window, as
//! the service limits each action separately.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use crate::api::error::ApiError;

const WINDOW: Duration = Duration::from_secs(1);

/// The per-second limit of each action: its documented default, unless configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RateLimits {
    /// One limit for every action, if set.
    all: Option<u32>,
    /// Limits of single actions (by name), over `all`.
    per_action: BTreeMap<String, u32>,
}

impl RateLimits {
    /// Every action: `per_second` (0 disables throttling).
    pub(crate) fn set_all(&mut self, per_second: u32) {
        self.all = Some(per_second);
        self.per_action.clear();
    }

    /// The action called `action`: `per_second` (0 disables its throttling).
    pub(crate) fn set(&mut self, action: &str, per_second: u32) {
        self.per_action.insert(action.to_owned(), per_second);
    }

    /// The limit of `action`, whose documented default is `default`.
    pub(crate) fn limit(&self, action: &str, default: u32) -> u32 {
        self.per_action
            .get(action)
            .copied()
            .or(self.all)
            .unwrap_or(default)
    }
}

/// Counts authenticated requests per SecretId and action. Throttled requests count
/// too, as they do at the service: a client that keeps hammering stays throttled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Throttle {
    /// By action, then SecretId: so a known SecretId is found without allocating.
    windows: HashMap<&'static str, HashMap<String, VecDeque<Duration>>>,
}

impl Throttle {
    /// Records a request of `action` by `secret_id` at monotonic time `now`; errors if
    /// it exceeds `limit` per second (0: no limit).
    pub(crate) fn check(
        &mut self,
        secret_id: &str,
        action: &'static str,
        limit: u32,
        now: Duration,
    ) -> Result<(), ApiError> {
        if limit == 0 {
            return Ok(());
        }
        let windows = self.windows.entry(action).or_default();
        match windows.get_mut(secret_id) {
            Some(window) => admit(window, limit, now),
            None => admit(windows.entry(secret_id.to_owned()).or_default(), limit, now),
        }
    }
}

/// Records a request at `now` in `window`; errors if it exceeds `limit` per second.
fn admit(window: &mut VecDeque<Duration>, limit: u32, now: Duration) -> Result<(), ApiError> {
    while window
        .front()
        .is_some_and(|t| now.saturating_sub(*t) >= WINDOW)
    {
        window.pop_front();
    }
    window.push_back(now);
    let count = window.len();
    if count > limit as usize {
        return Err(ApiError::new(
            "RequestLimitExceeded",
            format!(
                "Your current request times equals to `{count}` in a second, \
                 which exceeds the frequency limit `{limit}` for a second."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleventh_request_in_a_second_is_refused_then_window_slides() {
        let mut t = Throttle::default();
        let ms = Duration::from_millis;
        for i in 0..10 {
            t.check("A", "TerminateInstances", 10, ms(i * 10)).unwrap();
        }
        let err = t.check("A", "TerminateInstances", 10, ms(500)).unwrap_err();
        assert_eq!(
            err.message(),
            "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second."
        );
        // Another SecretId, and another action, have windows of their own.
        t.check("B", "TerminateInstances", 10, ms(500)).unwrap();
        t.check("A", "DescribeInstances", 40, ms(500)).unwrap();
        // After the first ten left the window only the refused one remains.
        t.check("A", "TerminateInstances", 10, ms(1_100)).unwrap();
    }

    #[test]
    fn zero_disables() {
        let mut t = Throttle::default();
        for _ in 0..1000 {
            t.check("A", "TerminateInstances", 0, Duration::ZERO)
                .unwrap();
        }
    }

    #[test]
    fn limits_resolve_action_then_all_then_default() {
        let mut l = RateLimits::default();
        assert_eq!(l.limit("DescribeInstances", 40), 40);
        l.set("DescribeInstances", 5);
        assert_eq!(l.limit("DescribeInstances", 40), 5);
        assert_eq!(l.limit("TerminateInstances", 10), 10);
        l.set_all(0);
        assert_eq!(l.limit("DescribeInstances", 40), 0);
        l.set("TerminateInstances", 3);
        assert_eq!(l.limit("TerminateInstances", 10), 3);
    }
}
