//! Safe retries: which failures may be re-sent, and when.
//!
//! A second TerminateInstances destroys a prepaid instance that the first moved
//! to the recycle bin, so only failures where the service *certainly did not
//! act* are retried:
//!
//! | failure                                   | retried? |
//! |-------------------------------------------|----------|
//! | DNS, connect refused, TLS handshake       | yes      |
//! | `RequestLimitExceeded` and its family     | yes      |
//! | `AuthFailure.SignatureExpire`, clock corrected from `Date` | once |
//! | timeout or reset after sending            | never    |
//! | `InternalError`, 5xx, unparseable body    | never    |
//! | any other service error                   | never (final) |

use std::time::Duration;

use crate::error_code::{Disposition, ErrorCode};
use crate::response::ResponseError;
use crate::transport::{TransportError, TransportErrorKind};

/// Why a failed attempt may be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The request never reached the service.
    NotSent,
    /// The service throttled the request without acting on it.
    Throttled,
    /// The signature had expired; the clock offset was corrected from the server's `Date`.
    ClockSkewCorrected,
}

/// One failed attempt, as the retry decision sees it.
#[derive(Clone, Copy, Debug)]
pub enum AttemptFailure<'a> {
    /// The transport failed.
    Transport(&'a TransportError),
    /// A response arrived but is not a success.
    Response {
        /// The parsed failure.
        error: &'a ResponseError,
        /// Whether the client's clock offset was just corrected from this response.
        clock_corrected: bool,
    },
}

/// Whether a failure is safe to re-send, and why.
///
/// ```
/// use tencentcloud_cvm_core::retry::{retry_reason, AttemptFailure, RetryReason};
/// use tencentcloud_cvm_core::transport::{TransportError, TransportErrorKind};
/// let refused = TransportError::new(TransportErrorKind::NotSent, "connection refused");
/// assert_eq!(retry_reason(AttemptFailure::Transport(&refused)), Some(RetryReason::NotSent));
/// let timeout = TransportError::new(TransportErrorKind::OutcomeUnknown, "timed out");
/// assert_eq!(retry_reason(AttemptFailure::Transport(&timeout)), None);
/// ```
pub fn retry_reason(failure: AttemptFailure<'_>) -> Option<RetryReason> {
    match failure {
        AttemptFailure::Transport(e) => match e.kind() {
            TransportErrorKind::NotSent => Some(RetryReason::NotSent),
            TransportErrorKind::OutcomeUnknown => None,
        },
        AttemptFailure::Response {
            error,
            clock_corrected,
        } => {
            // Only the service's own envelope can prove it did not act, and
            // `disposition` already weighs the HTTP status against it.
            let service = error.service_error()?;
            match error.disposition() {
                Disposition::Throttled => Some(RetryReason::Throttled),
                Disposition::RejectedBeforeAction
                    if service.code == ErrorCode::AuthFailureSignatureExpire && clock_corrected =>
                {
                    Some(RetryReason::ClockSkewCorrected)
                }
                _ => None,
            }
        }
    }
}

/// Bounded attempts, exponential backoff with full jitter, and a time budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms base, 5 s cap, 60 s budget per request.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            budget: Duration::from_secs(60),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait, then send again (re-signed with a fresh timestamp).
    RetryAfter(Duration),
    /// Report the failure.
    GiveUp,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }
    /// The most attempts per request, the first included (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// The first backoff ceiling; it doubles per retry.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    /// The largest backoff ceiling.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// The total time one request may spend, retries and waits included.
    pub fn budget(mut self, d: Duration) -> Self {
        self.budget = d;
        self
    }

    /// The backoff before retry number `retry` (0 for the first retry): uniform in
    /// `[0, min(max_delay, base_delay * 2^retry)]`, drawn from `random`.
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let nanos = ceiling.as_nanos() as u64;
        Duration::from_nanos(if nanos == 0 { 0 } else { random % (nanos + 1) })
    }

    /// Decides after attempt number `attempts` (1-based) failed for `reason`,
    /// `elapsed` after the first attempt started.
    pub fn decide(
        &self,
        reason: Option<RetryReason>,
        attempts: u32,
        elapsed: Duration,
        random: u64,
    ) -> RetryDecision {
        if reason.is_none() || attempts >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let delay = match reason {
            // The clock is fixed now; waiting does not help.
            Some(RetryReason::ClockSkewCorrected) => Duration::ZERO,
            _ => self.backoff(attempts - 1, random),
        };
        if elapsed.saturating_add(delay) >= self.budget {
            return RetryDecision::GiveUp;
        }
        RetryDecision::RetryAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ServiceError;

    fn service(code: &str) -> ResponseError {
        ResponseError::Service(ServiceError {
            code: ErrorCode::parse(code),
            message: String::new(),
            request_id: "r".into(),
        })
    }

    #[test]
    fn only_safe_failures_are_retried() {
        let r = |code: &str, clock_corrected| {
            retry_reason(AttemptFailure::Response {
                error: &service(code),
                clock_corrected,
            })
        };
        assert_eq!(
            r("RequestLimitExceeded", false),
            Some(RetryReason::Throttled)
        );
        assert_eq!(
            r("RequestLimitExceeded.UinLimitExceeded", false),
            Some(RetryReason::Throttled)
        );
        assert_eq!(
            r("AuthFailure.SignatureExpire", true),
            Some(RetryReason::ClockSkewCorrected)
        );
        assert_eq!(r("AuthFailure.SignatureExpire", false), None);
        for never in [
            "InternalError",
            "InternalError.TradeUnknownError",
            "ServiceUnavailable",
            "InvalidInstanceId.NotFound",
            "AuthFailure.SignatureFailure",
            "FailedOperation",
        ] {
            assert_eq!(r(never, true), None, "{never}");
        }
        let html = ResponseError::HttpStatus {
            status: 502,
            service: None,
            snippet: "<html>".into(),
        };
        assert_eq!(
            retry_reason(AttemptFailure::Response {
                error: &html,
                clock_corrected: true
            }),
            None
        );
        let truncated = ResponseError::Truncated { len: 3 };
        assert_eq!(
            retry_reason(AttemptFailure::Response {
                error: &truncated,
                clock_corrected: false
            }),
            None
        );
    }

    #[test]
    fn backoff_is_bounded_full_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0, 0), Duration::ZERO);
        assert_eq!(p.backoff(0, u64::MAX), p.backoff(0, u64::MAX % 200_000_001));
        for retry in 0..40 {
            for random in [0, 1, 12345, u64::MAX / 3, u64::MAX] {
                let d = p.backoff(retry, random);
                assert!(
                    d <= Duration::from_millis(200)
                        .saturating_mul(1 << retry.min(20))
                        .min(Duration::from_secs(5))
                );
            }
        }
    }

    #[test]
    fn attempts_and_budget_bound_retries() {
        let p = RetryPolicy::default()
            .max_attempts(3)
            .budget(Duration::from_secs(1));
        let some = Some(RetryReason::Throttled);
        assert!(matches!(
            p.decide(some, 1, Duration::ZERO, 7),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(p.decide(some, 3, Duration::ZERO, 7), RetryDecision::GiveUp);
        assert_eq!(
            p.decide(some, 1, Duration::from_secs(1), 7),
            RetryDecision::GiveUp
        );
        assert_eq!(p.decide(None, 1, Duration::ZERO, 7), RetryDecision::GiveUp);
        assert_eq!(
            RetryPolicy::never().decide(some, 1, Duration::ZERO, 7),
            RetryDecision::GiveUp
        );
    }
}
