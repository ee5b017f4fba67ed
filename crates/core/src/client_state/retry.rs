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

use crate::http::response::ResponseError;
use crate::http::transport_error::{TransportError, TransportErrorKind};
use crate::model::error_code::{Disposition, ErrorCode};

/// Why a failed attempt may be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The request never reached the service.
    NotSent,
    /// The service throttled the request without acting on it.
    Throttled,
    /// The signature had expired; the clock offset was corrected from the server's `Date`.
    ClockSkewCorrected,
    /// The request only reads (DescribeInstances, InquiryPriceTerminateInstances):
    /// repeating it changes nothing, whatever became of the first.
    ReadOnly,
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
/// use tencentcloud_cvm_core::{retry_reason, AttemptFailure, RetryReason};
/// use tencentcloud_cvm_core::{ConnectError, TransportError};
/// let refused = TransportError::not_sent(ConnectError::new("connection refused", "refused"));
/// assert_eq!(retry_reason(AttemptFailure::Transport(&refused)), Some(RetryReason::NotSent));
/// let timeout = TransportError::outcome_unknown("timed out");
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

/// Whether a failed attempt of a request that only reads may be sent again: every
/// failure may, except the service's own refusal (a final or before-action error
/// envelope), which an unchanged request would only meet again.
///
/// ```
/// use tencentcloud_cvm_core::{read_retry_reason, AttemptFailure, RetryReason};
/// use tencentcloud_cvm_core::TransportError;
/// let timeout = TransportError::outcome_unknown("timed out");
/// assert_eq!(read_retry_reason(AttemptFailure::Transport(&timeout)), Some(RetryReason::ReadOnly));
/// ```
pub fn read_retry_reason(failure: AttemptFailure<'_>) -> Option<RetryReason> {
    if let Some(reason) = retry_reason(failure) {
        return Some(reason);
    }
    match failure {
        AttemptFailure::Transport(_) => Some(RetryReason::ReadOnly),
        AttemptFailure::Response { error, .. } => match error.disposition() {
            Disposition::OutcomeUnknown => Some(RetryReason::ReadOnly),
            _ => None,
        },
    }
}

/// Exponential backoff with full jitter, bounded by a time budget.
///
/// A request that failed safely (throttled, never sent) keeps being re-sent,
/// each time after a random wait of up to `base_delay * 2^retry` (capped at
/// `max_delay`), until the next attempt would start more than `budget` after
/// the later of its first attempt and the last request of its rate-limit
/// bucket the service accepted: the budget counts time without progress, so a
/// run that keeps getting requests through under a low limit never gives up
/// on a throttled one (a run's deadline still bounds it). Under contention
/// with other clients of the same account, throttling can last many seconds; a
/// count of attempts would give up on requests the service would soon have
/// accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: Option<u32>,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    /// No attempt cap, 200 ms base, 5 s cap, 60 s budget per request.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: None,
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
            max_attempts: Some(1),
            ..Self::default()
        }
    }
    /// The most attempts per request, the first included (at least 1; default: no cap,
    /// only the budget).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n.max(1));
        self
    }
    /// The first backoff ceiling; it doubles per retry.
    pub fn with_base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    /// The largest backoff ceiling.
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// How long a request may still be re-sent after its first attempt, or after
    /// the last request of its bucket the service accepted if that is later.
    pub fn with_budget(mut self, d: Duration) -> Self {
        self.budget = d;
        self
    }

    /// The most attempts per request, if capped.
    pub fn max_attempts(&self) -> Option<u32> {
        self.max_attempts
    }
    /// The first backoff ceiling.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }
    /// The largest backoff ceiling.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }
    /// How long a request may still be re-sent without progress.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The backoff before retry number `retry` (0 for the first retry): uniform in
    /// `[0, min(max_delay, base_delay * 2^retry)]`, drawn from `random`.
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(if nanos == 0 {
            0
        } else {
            random % nanos.saturating_add(1).max(1)
        })
    }

    /// Decides after attempt number `attempts` (1-based) failed for `reason`,
    /// `elapsed` after the first attempt was sent or after the last progress of
    /// its bucket, whichever is later.
    pub fn decide(
        &self,
        reason: Option<RetryReason>,
        attempts: u32,
        elapsed: Duration,
        random: u64,
    ) -> RetryDecision {
        let Some(reason) = reason else {
            return RetryDecision::GiveUp;
        };
        if self.max_attempts.is_some_and(|max| attempts >= max) {
            return RetryDecision::GiveUp;
        }
        let delay = match reason {
            // The clock is fixed now; waiting does not help.
            RetryReason::ClockSkewCorrected => Duration::ZERO,
            _ => self.backoff(attempts.saturating_sub(1), random),
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
    use crate::http::response::ServiceError;

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
    fn the_budget_not_a_count_ends_throttled_retries() {
        let p = RetryPolicy::default();
        let some = Some(RetryReason::Throttled);
        // Attempt 50, 40 s in: still retried.
        assert!(matches!(
            p.decide(some, 50, Duration::from_secs(40), 7),
            RetryDecision::RetryAfter(d) if d <= Duration::from_secs(5)
        ));
        assert_eq!(
            p.decide(some, 2, Duration::from_secs(60), 7),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn attempts_and_budget_bound_retries() {
        let p = RetryPolicy::default()
            .with_max_attempts(3)
            .with_budget(Duration::from_secs(1));
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
