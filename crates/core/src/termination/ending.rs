//! Ending: each instance gets its one outcome (a terminate run) or plan entry (a
//! preview or status read), once, and the events that carry them.

use super::{Event, Mode, Termination};
use crate::model::amount::Amount;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::termination::plan::{PlanEntry, PlannedAction};
use crate::termination::preflight::Verdict;
use crate::termination::report::{InstanceOutcome, Outcome, OutcomeKind};
use crate::termination::stage::Ending;

impl Termination {
    /// Ends instance `i` with `outcome`, once (a preview's or status read's with the
    /// entry the outcome stands for).
    pub(super) fn end(&mut self, i: usize, outcome: Outcome) {
        if self.instances[i].has_ended() {
            return;
        }
        if self.mode != Mode::Terminate {
            let t = &self.instances[i];
            let entry = PlanEntry {
                id: t.id.clone(),
                action: match outcome.kind() {
                    OutcomeKind::Skipped => PlannedAction::Skip,
                    _ => PlannedAction::Fail,
                },
                instance: t.last_read.instance().cloned(),
                refund: None,
                code: outcome.code().cloned(),
                message: outcome.message().map(str::to_owned),
            };
            self.end_with_entry(i, entry);
            return;
        }
        let t = &mut self.instances[i];
        if t.end(Ending::Outcome(outcome.clone())) {
            self.open -= 1;
            self.ended_outcomes.push(InstanceOutcome {
                id: t.id.clone(),
                outcome: outcome.clone(),
                state: t.state.clone(),
                instance: t.last_read.instance().cloned(),
            });
            self.journal_outcome(i, &outcome);
        }
    }

    /// Ends instance `i` with the entry its verdict makes.
    pub(super) fn end_with_verdict(&mut self, i: usize, verdict: Verdict, refund: Option<Amount>) {
        let t = &self.instances[i];
        let entry = entry_for(
            t.id.clone(),
            verdict,
            t.last_read.instance().cloned(),
            refund,
        );
        self.end_with_entry(i, entry);
    }

    /// Ends instance `i` with `entry`, once.
    pub(super) fn end_with_entry(&mut self, i: usize, entry: PlanEntry) {
        if self.instances[i].end(Ending::Entry(Box::new(entry.clone()))) {
            self.open -= 1;
            self.ended_entries.push(entry);
        }
    }

    /// Turns what the last call ended into events.
    pub(super) fn flush_events(&mut self) {
        if !self.ended_outcomes.is_empty() {
            self.events
                .push_back(Event::Outcomes(std::mem::take(&mut self.ended_outcomes)));
        }
        if !self.ended_entries.is_empty() {
            self.events
                .push_back(Event::Planned(std::mem::take(&mut self.ended_entries)));
        }
    }
}

/// The plan entry for an instance assessed as `verdict` from its read `instance`.
pub(super) fn entry_for(
    id: InstanceId,
    verdict: Verdict,
    instance: Option<Instance>,
    refund: Option<Amount>,
) -> PlanEntry {
    let (action, code, message) = match verdict {
        Verdict::Ready => (PlannedAction::Terminate, None, None),
        Verdict::Fail { code, message } => (PlannedAction::Fail, Some(code), Some(message)),
        Verdict::Skip { message } => (PlannedAction::Skip, None, Some(message)),
    };
    PlanEntry {
        id,
        action,
        instance,
        refund: if action == PlannedAction::Terminate {
            refund
        } else {
            None
        },
        code,
        message,
    }
}
