//! [`Event`]: what a run reports as it goes, for progress and for a record
//! that survives an interruption.

use std::time::Duration;

use super::plan::PlanEntry;
use crate::actions::Action;
use crate::client_state::rate_limits::Pace;
use crate::client_state::retry::RetryReason;
use crate::termination::report::InstanceOutcome;

/// Something that happened in a run. Drain with
/// [`Termination::poll_event`](super::Termination::poll_event) after each call into it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// These instances' outcomes are now known and final: one request's
    /// worth, or the instances a cancel or the deadline left unsent. Every
    /// instance appears in exactly one such event.
    Outcomes(Vec<InstanceOutcome>),
    /// These instances' plan entries are final (a preview or status run): one
    /// read's or one price inquiry's worth.
    Planned(Vec<PlanEntry>),
    /// Terminated instances were read while waiting for them to be gone (or in
    /// the recycle bin); this many are not there yet.
    Waiting {
        /// Instances still being waited for, of those just read.
        instances: usize,
    },
    /// A request failed in a way that proves the service did not act (or, for
    /// a read, in any way but a refusal), and will be sent again (re-signed)
    /// after `after`.
    Retrying {
        /// The action.
        action: Action,
        /// How many instances the request names.
        instances: usize,
        /// The attempt that failed (1 for the first).
        attempt: u32,
        /// Why a re-send is safe.
        reason: RetryReason,
        /// The wait before the next attempt.
        after: Duration,
    },
    /// A rate-limit bucket the run sends through changed pace: the service
    /// throttled (the limit in force fell, or its guard grew), or steady success
    /// brought it back up. Reported by each run using the bucket, after the
    /// change and each throttle.
    Pace(Pace),
}
