//! Per-SecretId request throttling over a sliding one-second window.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crate::api_error::ApiError;

const WINDOW: Duration = Duration::from_secs(1);

/// Counts authenticated requests per SecretId. Throttled requests count too, as they
/// do at the service: a client that keeps hammering stays throttled.
#[derive(Clone, Debug)]
pub(crate) struct Throttle {
    limit: u32,
    windows: HashMap<String, VecDeque<Duration>>,
}

impl Throttle {
    /// `limit` requests per second per SecretId; 0 disables throttling.
    pub(crate) fn new(limit: u32) -> Self {
        Throttle {
            limit,
            windows: HashMap::new(),
        }
    }

    /// Records a request at monotonic time `now`; errors if it exceeds the limit.
    pub(crate) fn check(&mut self, secret_id: &str, now: Duration) -> Result<(), ApiError> {
        if self.limit == 0 {
            return Ok(());
        }
        let window = match self.windows.get_mut(secret_id) {
            Some(w) => w,
            None => self.windows.entry(secret_id.to_owned()).or_default(),
        };
        while window
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= WINDOW)
        {
            window.pop_front();
        }
        window.push_back(now);
        let count = window.len();
        if count > self.limit as usize {
            return Err(ApiError::new(
                "RequestLimitExceeded",
                format!(
                    "Your current request times equals to `{count}` in a second, \
                     which exceeds the frequency limit `{}` for a second.",
                    self.limit
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleventh_request_in_a_second_is_refused_then_window_slides() {
        let mut t = Throttle::new(10);
        for i in 0..10 {
            t.check("A", Duration::from_millis(i * 10)).unwrap();
        }
        let err = t.check("A", Duration::from_millis(500)).unwrap_err();
        assert_eq!(
            err.message(),
            "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second."
        );
        // Another SecretId has its own window.
        t.check("B", Duration::from_millis(500)).unwrap();
        // After the first ten left the window only the refused one remains.
        t.check("A", Duration::from_millis(1_100)).unwrap();
    }

    #[test]
    fn zero_disables() {
        let mut t = Throttle::new(0);
        for _ in 0..1000 {
            t.check("A", Duration::ZERO).unwrap();
        }
    }
}
