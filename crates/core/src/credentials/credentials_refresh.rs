//! When temporary credentials must be refreshed: a pure decision from the
//! current time, their expiry and the last failed refresh.
//!
//! ```text
//!  ──────────── use ────────────┬──── refresh, keep the old key if it fails ────┬── refresh or fail ──►
//!                        expiry − 300 s                                       expiry
//! ```
//!
//! A refresh that failed less than 10 s ago is not repeated: with a valid key
//! the key is used, without one the failure is reported again.
//!
//! Why 300 s: the service refuses a request whose timestamp is more than five
//! minutes from its clock, so a key with more than that left outlives any
//! request signed with it now, even one that waits out retries.

/// Temporary credentials are refreshed when this many seconds (or fewer) remain.
pub const REFRESH_BEFORE_EXPIRY: u64 = 300;

/// After a refresh fails, the next attempt waits this many seconds, so a
/// failing endpoint is not asked on every call.
pub const RETRY_FAILED_REFRESH_AFTER: u64 = 10;

/// What to do with cached temporary credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshDecision {
    /// Use the cached key.
    Use,
    /// Refresh; should that fail, keep using the cached key, which is still valid.
    RefreshKeepingCurrent,
    /// Refresh; there is no valid key to fall back on (none yet, or expired).
    RefreshRequired,
    /// There is no valid key and a refresh failed less than 10 s ago: report
    /// that failure again rather than asking a failing endpoint on every call.
    ReportLastFailure,
}

/// Decides, at `now` (Unix seconds), for a cached key expiring at `expires_at`
/// (`None`: nothing cached) whose last refresh failed at `last_failure`
/// (`None`: the last refresh succeeded).
///
/// ```
/// use tencentcloud_cvm_core::credentials_refresh::{refresh_decision, RefreshDecision};
/// let expiry = 10_000;
/// assert_eq!(refresh_decision(expiry - 301, Some(expiry), None), RefreshDecision::Use);
/// assert_eq!(refresh_decision(expiry - 300, Some(expiry), None), RefreshDecision::RefreshKeepingCurrent);
/// assert_eq!(refresh_decision(expiry, Some(expiry), None), RefreshDecision::RefreshRequired);
/// assert_eq!(refresh_decision(0, None, None), RefreshDecision::RefreshRequired);
/// assert_eq!(refresh_decision(7, None, Some(2)), RefreshDecision::ReportLastFailure);
/// // A refresh failed 5 s ago; the old key still has 200 s: wait before asking again.
/// assert_eq!(refresh_decision(expiry - 200, Some(expiry), Some(expiry - 205)), RefreshDecision::Use);
/// ```
pub fn refresh_decision(
    now: u64,
    expires_at: Option<u64>,
    last_failure: Option<u64>,
) -> RefreshDecision {
    let failed_recently =
        last_failure.is_some_and(|t| now < t.saturating_add(RETRY_FAILED_REFRESH_AFTER));
    match expires_at.filter(|&e| now < e) {
        None if failed_recently => RefreshDecision::ReportLastFailure,
        None => RefreshDecision::RefreshRequired,
        Some(e) if e - now > REFRESH_BEFORE_EXPIRY || failed_recently => RefreshDecision::Use,
        Some(_) => RefreshDecision::RefreshKeepingCurrent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn boundaries() {
        use RefreshDecision::*;
        let e = 1_000_000;
        assert_eq!(refresh_decision(e - 301, Some(e), None), Use);
        assert_eq!(
            refresh_decision(e - 300, Some(e), None),
            RefreshKeepingCurrent
        );
        assert_eq!(
            refresh_decision(e - 1, Some(e), None),
            RefreshKeepingCurrent
        );
        assert_eq!(refresh_decision(e, Some(e), None), RefreshRequired);
        assert_eq!(refresh_decision(e + 1, Some(e), None), RefreshRequired);
        assert_eq!(refresh_decision(u64::MAX, Some(e), None), RefreshRequired);
        assert_eq!(refresh_decision(0, Some(u64::MAX), None), Use);
    }

    #[test]
    fn a_recent_failure_is_not_retried_for_10_seconds() {
        use RefreshDecision::*;
        let e = 1_000_000;
        let failed = e - 250;
        assert_eq!(refresh_decision(failed, Some(e), Some(failed)), Use);
        assert_eq!(refresh_decision(failed + 9, Some(e), Some(failed)), Use);
        assert_eq!(
            refresh_decision(failed + 10, Some(e), Some(failed)),
            RefreshKeepingCurrent
        );
        assert_eq!(refresh_decision(e, Some(e), Some(e - 1)), ReportLastFailure);
        assert_eq!(
            refresh_decision(e + 9, Some(e), Some(e - 1)),
            RefreshRequired
        );
        assert_eq!(refresh_decision(5, None, Some(5)), ReportLastFailure);
        assert_eq!(refresh_decision(15, None, Some(5)), RefreshRequired);
        assert_eq!(
            refresh_decision(e - 100, Some(e), Some(u64::MAX)),
            Use,
            "a failure time in the future never overflows"
        );
    }

    quickcheck! {
        fn never_uses_an_expired_key(now: u64, expiry: u64, failure: Option<u64>) -> bool {
            let d = refresh_decision(now, Some(expiry), failure);
            now < expiry
                || d == RefreshDecision::RefreshRequired
                || d == RefreshDecision::ReportLastFailure
        }
    }
}
