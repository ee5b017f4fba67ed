//! SIGINT, SIGTERM and SIGHUP (a dropped ssh session): the first cancels the run
//! (nothing new is sent, reads in flight are given up, TerminateInstances in
//! flight are awaited, the whole report is printed, exit 130); a second gives up
//! the TerminateInstances in flight at once, or a report stuck on a blocked
//! standard output. Before anything can be sent (while a question waits for its
//! answer), the first one ends the process at once.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tencentcloud_cvm::CancelToken;

use crate::cli_error::CliError;
use crate::exit_status::ExitStatus;

/// The signals seen so far, and what the next one does.
#[derive(Clone, Debug)]
pub struct Interrupts {
    seen: Arc<AtomicUsize>,
    nothing_sent_yet: Arc<AtomicBool>,
}

impl Interrupts {
    /// Starts a thread turning SIGINT, SIGTERM and SIGHUP into `cancel`'s
    /// cancel (the first) and abort (any later one).
    pub fn watch(cancel: &CancelToken) -> Result<Interrupts, CliError> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            .map_err(|e| CliError::caused_by("cannot watch for interrupts", &e))?;
        let interrupts = Interrupts {
            seen: Arc::new(AtomicUsize::new(0)),
            nothing_sent_yet: Arc::new(AtomicBool::new(false)),
        };
        let (shared, cancel) = (interrupts.clone(), cancel.clone());
        std::thread::spawn(move || {
            for _ in signals.forever() {
                shared.on_signal(&cancel);
            }
        });
        Ok(interrupts)
    }

    fn on_signal(&self, cancel: &CancelToken) {
        let before = self.seen.fetch_add(1, Ordering::SeqCst);
        let mut stderr = std::io::stderr();
        if self.nothing_sent_yet.load(Ordering::SeqCst) {
            let _ = writeln!(stderr, "\ninterrupted: nothing was terminated");
            std::process::exit(ExitStatus::Interrupted.code().into());
        }
        if before == 0 {
            let _ = writeln!(
                stderr,
                "interrupted: sending nothing new, waiting for TerminateInstances in flight (again to stop at once)"
            );
            cancel.cancel();
        } else {
            let _ = writeln!(stderr, "interrupted again: giving up requests in flight");
            cancel.abort();
        }
    }

    /// While `f` runs nothing is sent, so an interrupt ends the process at once
    /// (exit 130) instead of waiting for `f` (a question, say) to return.
    pub fn exiting_at_once<T>(&self, f: impl FnOnce() -> T) -> T {
        self.nothing_sent_yet.store(true, Ordering::SeqCst);
        let out = f();
        self.nothing_sent_yet.store(false, Ordering::SeqCst);
        out
    }

    /// Whether a signal arrived.
    pub fn happened(&self) -> bool {
        self.count() > 0
    }

    /// How many signals arrived.
    pub fn count(&self) -> usize {
        self.seen.load(Ordering::SeqCst)
    }
}
