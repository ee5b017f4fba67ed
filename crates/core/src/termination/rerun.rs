//! A re-run: what a terminate run does with an instance the journal of earlier runs
//! names ([`Prior`](crate::Prior)).
//!
//! | prior | now | outcome |
//! | --- | --- | --- |
//! | terminated | (not read) | `terminated`, with the earlier RequestId; nothing sent |
//! | terminated, with `destroy_prepaid` | read: in the recycle bin | sent: the deliberate destroy |
//! | terminated, with `destroy_prepaid` | read: anything else | `terminated`, as the journal says; nothing sent |
//! | may have been processed | read: gone (it had been read before) | `terminated` |
//! | may have been processed | read: TerminateInstances is its latest operation (not `FAILED`), or `TERMINATING` | `terminated`, with the RequestId read |
//! | may have been processed | read: refused, absent, in the recycle bin, unknown values | as any preflight: failed or skipped (in the recycle bin with `destroy_prepaid`: the deliberate destroy) |
//! | may have been processed, prepaid-like (now or ever) | read: `RUNNING`/`STOPPED` | `unknown`, `FailClosed.EarlierRequestMayHaveActed`; not sent without `destroy_prepaid` |
//! | may have been processed, pay-as-you-go (or `destroy_prepaid`) | read: `RUNNING`/`STOPPED`, latest operation not TerminateInstances | `Confirming`: read again the settle delay later; sent once if that read agrees, else `terminated` (it acted) or `unknown` |
//! | may have been processed | anything else | `unknown` |

use std::time::Instant;

use super::{Mode, Termination};
use crate::actions::Action;
use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_state::InstanceState;
use crate::model::latest_operation_state::LatestOperationState;
use crate::termination::preflight::{self, known_charge_type, Verdict};
use crate::termination::read_check::Entry;
use crate::termination::report::Outcome;
use crate::termination::request::{Purpose, Work};
use crate::termination::resolution::{describe, resolve, Resolution};
use crate::termination::stage::Stage;

/// How an instance starts, given what earlier runs did.
pub(super) enum Start {
    /// Ended already: an earlier run terminated it.
    Ended,
    /// To be read first, with or without a preflight.
    Read,
    /// As if no earlier run had named it.
    AsUsual,
}

/// Whether a read shows that a TerminateInstances acted: it is the latest
/// operation (and did not fail), or the instance is being (or has been) terminated.
fn acted(read: &Instance) -> Option<Option<String>> {
    let latest = read.latest_operation.as_deref() == Some(Action::TerminateInstances.name());
    let failed = read.latest_operation_state == Some(LatestOperationState::Failed);
    if latest && !failed {
        return Some(
            read.request_id_of_latest(Action::TerminateInstances)
                .map(str::to_owned),
        );
    }
    matches!(
        read.instance_state,
        Some(InstanceState::Terminating | InstanceState::Terminated)
    )
    .then_some(None)
}

impl Termination {
    /// Ends at once what an earlier run terminated (unless a deliberate destroy may
    /// be asked of it), and says which instances must be read whatever the options.
    pub(super) fn start_after_earlier_runs(&mut self, i: usize) -> Start {
        if self.mode != Mode::Terminate {
            return Start::AsUsual;
        }
        let Some(prior) = self.instances[i].evidence.prior().filter(|p| p.matters()) else {
            return Start::AsUsual;
        };
        if prior.terminated() && !self.options.destroy_prepaid() {
            let request_id = prior.request_ids().first().cloned();
            let outcome = Outcome::terminated_as_read(
                request_id,
                "terminated by an earlier run (per the journal); not sent again".to_owned(),
            );
            self.end(i, outcome);
            return Start::Ended;
        }
        Start::Read
    }

    /// The preflight verdict on an instance the journal of earlier runs names.
    pub(super) fn preflight_after_earlier_run(&mut self, i: usize, read_id: &str, now: Instant) {
        let destroy = self.options.destroy_prepaid();
        let t = &self.instances[i];
        let Some(prior) = t.evidence.prior().cloned() else {
            return;
        };
        let read = t.last_read.instance().cloned();
        let earlier_id = prior.request_ids().first().cloned();
        if prior.terminated() {
            // Read only for a deliberate destroy: sent if it is in the recycle bin.
            let in_bin = read.as_ref().is_some_and(|r| {
                r.instance_state == Some(InstanceState::Shutdown)
                    && preflight::assess(Some(r), true) == Verdict::Ready
            });
            if destroy && in_bin {
                return self.pool(i);
            }
            let seen = read.as_ref().map_or("not found".to_owned(), describe);
            let outcome = Outcome::terminated_as_read(
                earlier_id,
                format!(
                    "terminated by an earlier run (per the journal; now {seen}); not sent again"
                ),
            );
            return self.end(i, outcome);
        }
        // An earlier request may have been processed.
        let Some(read) = read else {
            if prior.found() {
                let outcome = Outcome::terminated_as_read(
                    earlier_id,
                    "gone: an earlier run's TerminateInstances, whose answer was lost, acted"
                        .to_owned(),
                );
                return self.end(i, outcome);
            }
            return self.earlier_run_unresolved(
                i,
                "it is not found, and the earlier run sent it without reading it first",
            );
        };
        if let Some(request_id) = acted(&read) {
            let outcome = Outcome::terminated_as_read(
                request_id.or(earlier_id),
                format!(
                    "an earlier run's TerminateInstances, whose answer was lost, acted: {}",
                    describe(&read)
                ),
            );
            return self.end(i, outcome);
        }
        let verdict = preflight::assess(Some(&read), destroy);
        if verdict != Verdict::Ready {
            return self.end_or_pool(i, verdict, read_id);
        }
        if read.instance_state == Some(InstanceState::Shutdown) {
            // In the recycle bin with destroy_prepaid: the deliberate destroy.
            return self.pool(i);
        }
        if self.instances[i].evidence.prepaid_like() && !destroy {
            return self.earlier_run_unresolved(
                i,
                "it is prepaid-like, and another TerminateInstances would destroy it if the \
                 earlier one acted late; not sent without the explicit destroy-prepaid option",
            );
        }
        let touched = read.latest_operation.as_deref() == Some(Action::TerminateInstances.name())
            || read.latest_operation_state == Some(LatestOperationState::Operating);
        if touched {
            return self.earlier_run_unresolved(
                i,
                &format!("a read cannot tell whether it acted: {}", describe(&read)),
            );
        }
        let t = &mut self.instances[i];
        t.evidence.add_untouched_read(now);
        if t.confirm_later() {
            self.to_confirm.push(i);
        }
    }

    /// Reads again, the settle delay from `now`, what the last read left `Confirming`.
    pub(super) fn read_again_later(&mut self, now: Instant) {
        let members = std::mem::take(&mut self.to_confirm);
        if !members.is_empty() {
            let at = now + self.options.settle_delay();
            self.enqueue(Work::Read(Purpose::Confirm), members, Some(at));
        }
    }

    /// The second read of a `Confirming` instance: sent once if it agrees the
    /// instance is untouched, at least the settle delay after the first.
    pub(super) fn confirm(&mut self, i: usize, entry: Entry<'_>, read_id: &str, now: Instant) {
        if self.instances[i].stage != Stage::Confirming {
            return;
        }
        let after = match entry.found() {
            Ok(after) => after.cloned(),
            Err((code, message)) => {
                let note = format!("the second read cannot be believed: {code}: {message}");
                return self.earlier_run_unresolved(i, &note);
            }
        };
        let t = &mut self.instances[i];
        if let Some(a) = &after {
            t.evidence.saw_charge_type(a.instance_charge_type.as_ref());
        }
        let first = t.last_read.instance().cloned();
        let earlier: Vec<String> = t
            .evidence
            .prior()
            .map_or(Vec::new(), |p| p.request_ids().to_vec());
        let verdict = resolve(first.as_ref(), after.as_ref(), &earlier);
        let settled =
            t.evidence.untouched_reads().first().is_some_and(|&at| {
                now.saturating_duration_since(at) >= self.options.settle_delay()
            });
        let same_charge = first.as_ref().and_then(known_charge_type)
            == after.as_ref().and_then(known_charge_type);
        let destroy = self.options.destroy_prepaid();
        match verdict {
            Resolution::Terminated { request_id, seen } => {
                let outcome = Outcome::terminated_as_read(
                    request_id.or_else(|| earlier.first().cloned()),
                    format!(
                        "an earlier run's TerminateInstances, whose answer was lost, acted: {seen}"
                    ),
                );
                self.end(i, outcome);
            }
            Resolution::Untouched { .. }
                if settled && same_charge && (destroy || !t.evidence.prepaid_like()) =>
            {
                t.evidence.add_untouched_read(now);
                t.record_read(after.clone());
                let verdict = preflight::assess(after.as_ref(), destroy);
                self.end_or_pool(i, verdict, read_id);
            }
            Resolution::Untouched { seen } | Resolution::Unclear { seen } => {
                self.earlier_run_unresolved(i, &format!("a second read does not agree: {seen}"))
            }
        }
    }

    /// A read that cannot be believed about an instance the journal names.
    pub(super) fn earlier_run_unsound(
        &mut self,
        i: usize,
        code: ClientCode,
        message: String,
        read_id: &str,
    ) {
        let Some(prior) = self.instances[i].evidence.prior().cloned() else {
            return;
        };
        let outcome = if prior.terminated() {
            Outcome::terminated_as_read(
                prior.request_ids().first().cloned(),
                format!(
                    "terminated by an earlier run (per the journal); not sent again ({message})"
                ),
            )
        } else {
            Outcome::unknown(
                Some(ErrorCode::Client(code)),
                format!(
                    "an earlier run's TerminateInstances may have acted on it (per the journal); \
                     {message}"
                ),
                Some(read_id.to_owned()),
            )
            .decided_by_read()
        };
        self.end(i, outcome);
    }

    /// Ends an instance an earlier run's request may have acted on, unsent.
    pub(super) fn earlier_run_unresolved(&mut self, i: usize, note: &str) {
        let earlier = self.instances[i]
            .evidence
            .prior()
            .and_then(|p| p.request_ids().first().cloned());
        let outcome = Outcome::unknown(
            Some(ErrorCode::Client(ClientCode::EarlierRequestMayHaveActed)),
            format!(
                "an earlier run's TerminateInstances, whose answer was lost, may have acted on it \
                 (per the journal); {note}"
            ),
            earlier,
        );
        self.end(i, outcome);
    }
}
