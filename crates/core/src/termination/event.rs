//! [`Event`]: what a run reports as it goes, for progress and for a record
//! that survives an interruption.

use std::time::Duration;

use crate::report::InstanceOutcome;
use crate::retry::RetryReason;

/// Something that happened in a run. Drain with
/// [`Termination::poll_event`](super::Termination::poll_event) after each call into it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// These instances' outcomes are now known and final: one request's
    /// worth, or the instances a cancel or the deadline left unsent. Every
    /// instance appears in exactly one such event.
    Outcomes(Vec<InstanceOutcome>),
    /// A request failed in a way that proves the service did not act, and will
    /// be sent again (re-signed) after `after`.
    Retrying {
        /// The action.
        action: &'static str,
        /// How many instances the request names.
        instances: usize,
        /// The attempt that failed (1 for the first).
        attempt: u32,
        /// Why a re-send is safe.
        reason: RetryReason,
        /// The wait before the next attempt.
        after: Duration,
    },
}
