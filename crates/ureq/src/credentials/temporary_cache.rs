//! [`TemporaryCache`]: the blocking driver of the core's
//! [`temporary_cache`](tencentcloud_cvm_core::temporary_cache): the cache's
//! state under a mutex, waiting threads on a condition variable, the refresh
//! run outside the lock (callers with a usable key never wait on the network),
//! and a failed refresh that keeps the current key logged as a warning.

use std::sync::{Condvar, Mutex, MutexGuard};

use crate::WallClock;
use tencentcloud_cvm_core::temporary_cache::{
    CacheStep, RefreshOutcome, TemporaryCache as CacheState,
};
use tencentcloud_cvm_core::{Credentials, CredentialsError, TemporaryCredentials};

/// The cache and refresh coordination of one temporary-credentials provider.
#[derive(Default)]
pub(crate) struct TemporaryCache {
    state: Mutex<CacheState>,
    refreshed: Condvar,
}

impl std::fmt::Debug for TemporaryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.lock(), f)
    }
}

/// Marks the refresh abandoned if the refreshing code unwinds, so waiting
/// threads wake instead of waiting forever.
struct Unwinding<'a> {
    cache: &'a TemporaryCache,
    clock: &'a dyn WallClock,
    armed: bool,
}

impl Drop for Unwinding<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.cache
                .lock()
                .refresh_abandoned(self.clock.unix_time(), "it panicked");
            self.cache.refreshed.notify_all();
        }
    }
}

impl TemporaryCache {
    fn lock(&self) -> MutexGuard<'_, CacheState> {
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
        let mut waited_since = None;
        loop {
            match state.poll(clock.unix_time(), waited_since) {
                CacheStep::Use(c) => return Ok(c),
                CacheStep::Fail(e) => return Err(e),
                CacheStep::Wait { since } => {
                    waited_since = Some(since);
                    state = self
                        .refreshed
                        .wait(state)
                        .unwrap_or_else(|p| p.into_inner());
                }
                CacheStep::Refresh => break,
            }
        }
        drop(state);

        let mut unwinding = Unwinding {
            cache: self,
            clock,
            armed: true,
        };
        let result = refresh();
        unwinding.armed = false;

        let outcome = self.lock().refresh_finished(clock.unix_time(), result);
        self.refreshed.notify_all();
        match outcome {
            RefreshOutcome::Refreshed(c) => Ok(c),
            RefreshOutcome::KeptCurrent {
                credentials,
                error,
                seconds_left,
            } => {
                log::warn!(
                    "credentials from {}: refresh failed, still using the current temporary key \
                     ({seconds_left} s left): {}",
                    error.source_name(),
                    error.detail()
                );
                Ok(credentials)
            }
            RefreshOutcome::Failed(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
