//! [`TemporaryCache`]: the decisions of a cache of temporary credentials shared
//! by every caller of one provider, refreshed by one caller at a time. A driver
//! holds it under its own lock (a mutex, an async mutex) and does what each
//! [`CacheStep`] says: the blocking driver waits on a condition variable, an
//! async one on a notification.
//!
//! | cached key ([`refresh_decision`])   | no refresh running                | a refresh running     |
//! |-------------------------------------|-----------------------------------|-----------------------|
//! | more than 300 s left                | use it                            | use it                |
//! | 300 s or less left                  | refresh; on failure, warn and use it | use it (no waiting) |
//! | expired, or none yet                | refresh; on failure, the error    | wait for that refresh, share its result |
//! | expired or none, a refresh failed < 10 s ago | that failure again       | that failure again    |
//!
//! A key is handed out as one [`Credentials`] value (SecretId, SecretKey and
//! token together), so no caller ever gets a new key with an old token or the
//! reverse.
//!
//! ```
//! use tencentcloud_cvm_core::temporary_cache::{CacheStep, RefreshOutcome, TemporaryCache};
//! use tencentcloud_cvm_core::{Credentials, TemporaryCredentials};
//! let mut cache = TemporaryCache::new();
//! assert_eq!(cache.poll(1_000, None), CacheStep::Refresh);
//! // ... the caller fetches a key, then:
//! let fresh = TemporaryCredentials::new(Credentials::new("AKIDtmp", "k").with_token("t"), 8_200);
//! assert!(matches!(cache.refresh_finished(1_001, Ok(fresh)), RefreshOutcome::Refreshed(_)));
//! assert!(matches!(cache.poll(1_002, None), CacheStep::Use(c) if c.secret_id() == "AKIDtmp"));
//! ```
//!
//! [`refresh_decision`]: crate::credentials_refresh::refresh_decision

use std::fmt;

use crate::credentials::credentials_refresh::{refresh_decision, RefreshDecision};
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::credentials::Credentials;

/// What a caller asking the cache does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheStep {
    /// Sign with these.
    Use(Credentials),
    /// Fetch a new key now, then report it with [`TemporaryCache::refresh_finished`]
    /// (or [`TemporaryCache::refresh_abandoned`] if the fetch never ends normally).
    /// The cache counts the refresh as running from now on.
    Refresh,
    /// Another caller's refresh is running and there is no key to use: wait
    /// until a refresh finishes, then poll again with `waited_since` set to
    /// `since` (the first `since` this caller saw).
    Wait {
        /// How many refreshes had finished when this caller started waiting.
        since: u64,
    },
    /// Report this error.
    Fail(CredentialsError),
}

/// How a refresh ended, for the caller that ran it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// A new key, now cached.
    Refreshed(Credentials),
    /// The refresh failed, but the cached key is still valid and is used:
    /// log `error` as a warning (it names the source, never a secret).
    KeptCurrent {
        /// The still-valid key.
        credentials: Credentials,
        /// Why the refresh failed.
        error: CredentialsError,
        /// How long the kept key has left, in seconds.
        seconds_left: u64,
    },
    /// The refresh failed and there is no valid key.
    Failed(CredentialsError),
}

/// The state of one provider's cache; see the [module docs](self).
#[derive(Clone, Default)]
pub struct TemporaryCache {
    current: Option<TemporaryCredentials>,
    refreshing: bool,
    /// How many refreshes have finished, successful or not.
    finished: u64,
    /// When the last refresh failed, and why (cleared by a success).
    last_failure: Option<(u64, CredentialsError)>,
}

impl fmt::Debug for TemporaryCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemporaryCache")
            .field(
                "secret_id",
                &self.current.as_ref().map(|c| c.credentials().secret_id()),
            )
            .field("expires_at", &self.current.as_ref().map(|c| c.expires_at()))
            .field("refreshing", &self.refreshing)
            .finish()
    }
}

impl TemporaryCache {
    /// An empty cache.
    pub fn new() -> Self {
        TemporaryCache::default()
    }

    /// How many refreshes have finished (a waiting driver wakes when it grows).
    pub fn finished_refreshes(&self) -> u64 {
        self.finished
    }

    /// Whether a refresh is running.
    pub fn is_refreshing(&self) -> bool {
        self.refreshing
    }

    /// What a caller asking at `now` (Unix seconds) does. `waited_since` is
    /// `None` on the first poll, and the `since` of the first
    /// [`CacheStep::Wait`] after that.
    pub fn poll(&mut self, now: u64, waited_since: Option<u64>) -> CacheStep {
        if waited_since.is_some_and(|from| self.finished > from) {
            // The refresh this caller waited for has finished: share its result.
            if let Some(c) = self.current.as_ref().filter(|c| c.is_valid_at(now)) {
                return CacheStep::Use(c.credentials().clone());
            }
            if let Some((_, e)) = &self.last_failure {
                return CacheStep::Fail(after_expiry(self.current.as_ref(), e));
            }
        }
        let decision = refresh_decision(
            now,
            self.current.as_ref().map(TemporaryCredentials::expires_at),
            self.last_failure.as_ref().map(|(at, _)| *at),
        );
        if decision == RefreshDecision::ReportLastFailure
            && let Some((_, e)) = &self.last_failure
        {
            return CacheStep::Fail(after_expiry(self.current.as_ref(), e));
        }
        let usable = self.current.as_ref().filter(|c| c.is_valid_at(now));
        match (decision, usable) {
            (RefreshDecision::Use, Some(c)) => CacheStep::Use(c.credentials().clone()),
            (RefreshDecision::RefreshKeepingCurrent, Some(c)) if self.refreshing => {
                CacheStep::Use(c.credentials().clone())
            }
            _ if self.refreshing => CacheStep::Wait {
                since: waited_since.unwrap_or(self.finished),
            },
            _ => {
                self.refreshing = true;
                CacheStep::Refresh
            }
        }
    }

    /// Records the end of the refresh a [`CacheStep::Refresh`] started, at
    /// `now`, and says what its caller gets. Wake the waiting callers after it.
    pub fn refresh_finished(
        &mut self,
        now: u64,
        result: Result<TemporaryCredentials, CredentialsError>,
    ) -> RefreshOutcome {
        self.refreshing = false;
        self.finished += 1;
        let error = match result {
            Ok(fresh) if fresh.is_valid_at(now) => {
                let credentials = fresh.credentials().clone();
                self.current = Some(fresh);
                self.last_failure = None;
                return RefreshOutcome::Refreshed(credentials);
            }
            Ok(stale) => CredentialsError::new(
                CredentialsErrorKind::Invalid,
                "temporary credentials",
                format!(
                    "the new credentials expired at {} (Unix time), before they could be used; \
                     is this machine's clock right?",
                    stale.expires_at()
                ),
            ),
            Err(e) => e,
        };
        self.last_failure = Some((now, error.clone()));
        if let Some(c) = self.current.as_ref().filter(|c| c.is_valid_at(now)) {
            return RefreshOutcome::KeptCurrent {
                credentials: c.credentials().clone(),
                seconds_left: c.expires_at() - now,
                error,
            };
        }
        RefreshOutcome::Failed(after_expiry(self.current.as_ref(), &error))
    }

    /// Records that the running refresh ended without a result (it panicked,
    /// or its task was cancelled), so waiting callers get an error instead of
    /// waiting forever. Wake them after it.
    pub fn refresh_abandoned(&mut self, now: u64, why: &str) {
        self.refreshing = false;
        self.finished += 1;
        self.last_failure = Some((
            now,
            CredentialsError::new(
                CredentialsErrorKind::Invalid,
                "temporary credentials",
                format!("the refresh did not finish ({why})"),
            ),
        ));
    }
}

/// The refresh error, saying the old key expired when there was one.
fn after_expiry(
    expired: Option<&TemporaryCredentials>,
    error: &CredentialsError,
) -> CredentialsError {
    match expired {
        None => error.clone(),
        Some(old) => CredentialsError::new(
            CredentialsErrorKind::Invalid,
            error.source_name(),
            format!(
                "the temporary credentials expired at {} (Unix time) and could not be refreshed: {}",
                old.expires_at(),
                error.detail()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u64, expires_at: u64) -> TemporaryCredentials {
        TemporaryCredentials::new(
            Credentials::new(format!("AKIDtmp{n}"), format!("SENTINEL-KEY-{n}"))
                .with_token(format!("SENTINEL-TOKEN-{n}")),
            expires_at,
        )
    }

    fn down() -> CredentialsError {
        CredentialsError::new(CredentialsErrorKind::Invalid, "test source", "STS is down")
    }

    fn used(step: CacheStep) -> String {
        match step {
            CacheStep::Use(c) => c.secret_id().to_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_refresh_at_a_time_then_shared() {
        let mut cache = TemporaryCache::new();
        assert_eq!(cache.poll(100, None), CacheStep::Refresh);
        assert!(cache.is_refreshing());
        // A second caller, no key yet: waits.
        let CacheStep::Wait { since } = cache.poll(100, None) else {
            panic!()
        };
        assert_eq!(since, 0);
        assert_eq!(
            cache.refresh_finished(101, Ok(key(1, 10_000))),
            RefreshOutcome::Refreshed(key(1, 10_000).into_credentials())
        );
        assert_eq!(used(cache.poll(101, Some(since))), "AKIDtmp1");
        // 300 s left: the next caller refreshes, the others keep using the key.
        assert_eq!(cache.poll(9_700, None), CacheStep::Refresh);
        assert_eq!(used(cache.poll(9_700, None)), "AKIDtmp1");
        let outcome = cache.refresh_finished(9_701, Err(down()));
        let RefreshOutcome::KeptCurrent {
            credentials,
            error,
            seconds_left,
        } = outcome
        else {
            panic!("{outcome:?}")
        };
        assert_eq!(credentials.secret_id(), "AKIDtmp1");
        assert_eq!(error.detail(), "STS is down");
        assert_eq!(seconds_left, 299);
        // Not asked again for 10 s.
        assert_eq!(used(cache.poll(9_710, None)), "AKIDtmp1");
        assert_eq!(cache.poll(9_711, None), CacheStep::Refresh);
        cache.refresh_finished(9_995, Err(down()));
        // Expired, failed 5 s ago: that failure, naming the expiry.
        let CacheStep::Fail(e) = cache.poll(10_000, None) else {
            panic!()
        };
        assert_eq!(
            e.detail(),
            "the temporary credentials expired at 10000 (Unix time) and could not be refreshed: STS is down"
        );
    }

    #[test]
    fn waiters_share_a_failure_and_an_abandoned_refresh() {
        let mut cache = TemporaryCache::new();
        assert_eq!(cache.poll(5, None), CacheStep::Refresh);
        let CacheStep::Wait { since } = cache.poll(5, None) else {
            panic!()
        };
        assert_eq!(
            cache.refresh_finished(6, Err(down())),
            RefreshOutcome::Failed(down())
        );
        assert_eq!(cache.poll(6, Some(since)), CacheStep::Fail(down()));
        // 10 s later, a new refresh; it is abandoned.
        assert_eq!(cache.poll(16, None), CacheStep::Refresh);
        let CacheStep::Wait { since } = cache.poll(16, None) else {
            panic!()
        };
        cache.refresh_abandoned(17, "it panicked");
        let CacheStep::Fail(e) = cache.poll(17, Some(since)) else {
            panic!()
        };
        assert!(e.detail().contains("panicked"), "{e}");
        assert!(!cache.is_refreshing());
        assert_eq!(cache.finished_refreshes(), 2);
    }

    #[test]
    fn an_expired_answer_is_refused_and_debug_shows_no_secret() {
        let mut cache = TemporaryCache::new();
        assert_eq!(cache.poll(100, None), CacheStep::Refresh);
        let RefreshOutcome::Failed(e) = cache.refresh_finished(100, Ok(key(1, 100))) else {
            panic!()
        };
        assert!(e.detail().contains("clock"), "{e}");
        assert_eq!(cache.poll(101, None), CacheStep::Fail(e));
        assert_eq!(cache.poll(111, None), CacheStep::Refresh);
        cache.refresh_finished(111, Ok(key(2, 9_000)));
        let shown = format!("{cache:?}");
        assert!(
            shown.contains("AKIDtmp2") && !shown.contains("SENTINEL"),
            "{shown}"
        );
    }
}
