//! [`CancelToken`]: asks a running terminate to stop, from any thread or a
//! signal handler.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

const RUNNING: u8 = 0;
const CANCEL: u8 = 1;
const ABORT: u8 = 2;

/// A shared flag a running [`crate::Client::terminate_with`] checks at least
/// every 50 ms. Clones share the flag.
///
/// - [`CancelToken::cancel`]: nothing new is sent; TerminateInstances requests
///   in flight are awaited, reads in flight given up at once (a read changes
///   nothing); unsent instances end `not_sent`.
/// - [`CancelToken::abort`]: as cancel, and requests in flight are given up
///   as `unknown` at once.
///
/// ```
/// use tencentcloud_cvm_ureq::CancelToken;
/// let token = CancelToken::new();
/// let for_handler = token.clone();
/// for_handler.cancel();
/// assert!(token.is_cancelled() && !token.is_aborted());
/// for_handler.abort();
/// assert!(token.is_aborted());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicU8>);

impl CancelToken {
    /// A token nobody has cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks the run to send nothing new and finish when its TerminateInstances
    /// requests in flight have answered (reads in flight are given up).
    pub fn cancel(&self) {
        let _ = self
            .0
            .compare_exchange(RUNNING, CANCEL, Ordering::SeqCst, Ordering::SeqCst);
    }
    /// Asks the run to stop at once, giving up requests in flight as `unknown`.
    pub fn abort(&self) {
        self.0.store(ABORT, Ordering::SeqCst);
    }
    /// Whether [`CancelToken::cancel`] or [`CancelToken::abort`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst) != RUNNING
    }
    /// Whether [`CancelToken::abort`] was called.
    pub fn is_aborted(&self) -> bool {
        self.0.load(Ordering::SeqCst) == ABORT
    }
}
