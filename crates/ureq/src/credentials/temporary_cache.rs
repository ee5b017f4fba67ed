//! [`TemporaryCache`]: temporary credentials shared by every thread that asks
//! one provider, refreshed by one of them at a time.
//!
//! | cached key ([`refresh_decision`])   | no refresh running                | a refresh running     |
//! |-------------------------------------|-----------------------------------|-----------------------|
//! | more than 300 s left                | use it                            | use it                |
//! | 300 s or less left                  | refresh; on failure, warn and use it | use it (no waiting) |
//! | expired, or none yet                | refresh; on failure, the error    | wait for that refresh, share its result |
//! | expired or none, a refresh failed < 10 s ago | that failure again       | that failure again    |
//!
//! A key is handed out as one [`Credentials`] value (SecretId, SecretKey and
//! token together, cloned under the lock), so no caller ever gets a new key
//! with an old token or the reverse. Refreshing happens outside the lock:
//! callers with a usable key never wait on the network.

use std::sync::{Condvar, Mutex, MutexGuard};

use crate::WallClock;
use tencentcloud_cvm_core::credentials_refresh::{refresh_decision, RefreshDecision};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, TemporaryCredentials,
};

#[derive(Default)]
struct State {
    current: Option<TemporaryCredentials>,
    refreshing: bool,
    /// How many refreshes have finished, successful or not.
    finished: u64,
    /// When the last refresh failed, and why (cleared by a success).
    last_failure: Option<(u64, CredentialsError)>,
}

/// The cache and refresh coordination of one temporary-credentials provider.
#[derive(Default)]
pub(crate) struct TemporaryCache {
    state: Mutex<State>,
    refreshed: Condvar,
}

impl std::fmt::Debug for TemporaryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("TemporaryCache")
            .field(
                "secret_id",
                &state.current.as_ref().map(|c| c.credentials().secret_id()),
            )
            .field(
                "expires_at",
                &state.current.as_ref().map(|c| c.expires_at()),
            )
            .field("refreshing", &state.refreshing)
            .finish()
    }
}

/// Marks the refresh finished (as failed) if the refreshing code unwinds, so
/// waiting threads wake instead of waiting forever.
struct Unwinding<'a> {
    cache: &'a TemporaryCache,
    clock: &'a dyn WallClock,
    armed: bool,
}

impl Drop for Unwinding<'_> {
    fn drop(&mut self) {
        if self.armed {
            let mut state = self.cache.lock();
            state.refreshing = false;
            state.finished += 1;
            state.last_failure = Some((
                self.clock.unix_time(),
                CredentialsError::new(
                    CredentialsErrorKind::Invalid,
                    "temporary credentials",
                    "the refresh did not finish (it panicked)",
                ),
            ));
            self.cache.refreshed.notify_all();
        }
    }
}

impl TemporaryCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached key if it may be used, else the result of `refresh` (run by
    /// this thread, or shared from the thread already running it).
    pub(crate) fn get(
        &self,
        clock: &dyn WallClock,
        refresh: impl FnOnce() -> Result<TemporaryCredentials, CredentialsError>,
    ) -> Result<Credentials, CredentialsError> {
        let mut state = self.lock();
        let mut waited_from: Option<u64> = None;
        loop {
            let now = clock.unix_time();
            if waited_from.is_some_and(|from| state.finished > from) {
                if let Some(c) = state.current.as_ref().filter(|c| c.is_valid_at(now)) {
                    return Ok(c.credentials().clone());
                }
                if let Some((_, e)) = &state.last_failure {
                    return Err(after_expiry(state.current.as_ref(), e));
                }
            }
            let decision = refresh_decision(
                now,
                state.current.as_ref().map(TemporaryCredentials::expires_at),
                state.last_failure.as_ref().map(|(at, _)| *at),
            );
            if decision == RefreshDecision::ReportLastFailure {
                if let Some((_, e)) = &state.last_failure {
                    return Err(after_expiry(state.current.as_ref(), e));
                }
            }
            let usable = state.current.as_ref().filter(|c| c.is_valid_at(now));
            match (decision, usable) {
                (RefreshDecision::Use, Some(c)) => return Ok(c.credentials().clone()),
                (RefreshDecision::RefreshKeepingCurrent, Some(c)) if state.refreshing => {
                    return Ok(c.credentials().clone())
                }
                _ if state.refreshing => {
                    waited_from.get_or_insert(state.finished);
                    state = self
                        .refreshed
                        .wait(state)
                        .unwrap_or_else(|p| p.into_inner());
                    continue;
                }
                _ => break,
            }
        }
        state.refreshing = true;
        drop(state);

        let mut unwinding = Unwinding {
            cache: self,
            clock,
            armed: true,
        };
        let result = refresh();
        unwinding.armed = false;

        let mut state = self.lock();
        state.refreshing = false;
        state.finished += 1;
        self.refreshed.notify_all();
        let now = clock.unix_time();
        let error = match result {
            Ok(fresh) if fresh.is_valid_at(now) => {
                let credentials = fresh.credentials().clone();
                state.current = Some(fresh);
                state.last_failure = None;
                return Ok(credentials);
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
        state.last_failure = Some((now, error.clone()));
        if let Some(c) = state.current.as_ref().filter(|c| c.is_valid_at(now)) {
            log::warn!(
                "credentials from {}: refresh failed, still using the current temporary key \
                 ({} s left): {}",
                error.source_name(),
                c.expires_at() - now,
                error.detail()
            );
            return Ok(c.credentials().clone());
        }
        Err(after_expiry(state.current.as_ref(), &error))
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
mod tests;
