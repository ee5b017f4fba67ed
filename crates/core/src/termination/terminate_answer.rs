//! What a TerminateInstances answer does to its instances: accepted, unknown (to be
//! resolved by reading), refused for one instance's sake, for some instances' sake
//! (isolated), or for the request's. Each attempt's answer is journaled.

use std::time::Instant;

use super::{Termination, LOG_TARGET, WAIT_POLL};
use crate::client_state::ClientState;
use crate::http::response::Success;
use crate::model::error_code::Disposition;
use crate::model::instance_id::InstanceId;
use crate::termination::culprits;
use crate::termination::journal::record::AnswerResult;
use crate::termination::judge::{Failure, Judgement};
use crate::termination::report::Outcome;
use crate::termination::request::{Purpose, Refusal, Work};

/// What a failed attempt comes to in the journal: a refusal the service made after
/// looking at the instances may have acted on part of the batch (a read says);
/// anything else provably did not act.
fn answer_result(failure: &Failure) -> AnswerResult {
    match &failure.service {
        _ if failure.unknown => AnswerResult::Unknown,
        Some(r) if r.code.disposition() == Disposition::Final => AnswerResult::Refused,
        _ => AnswerResult::NotActed,
    }
}

impl Termination {
    /// Takes the judged answer to TerminateInstances request `j`.
    pub(super) fn take_terminate_answer(
        &mut self,
        j: usize,
        judgement: Judgement<Success>,
        now: Instant,
        state: &mut ClientState,
    ) {
        let retried = match &judgement {
            Judgement::Retry { fallback, .. } => Some(fallback.clone()),
            Judgement::Ok(_) | Judgement::Failed(_) => None,
        };
        let Some(outcome) = self.retry_or(j, judgement, now, state) else {
            // Queued again after a failure that proves the service did not act: that
            // attempt is closed, and the next one needs its own intent.
            self.journal_answer(j, AnswerResult::NotActed, None, retried.as_ref());
            return;
        };
        let members = self.jobs[j].members.clone();
        match outcome {
            Ok(Success { request_id }) => {
                self.journal_answer(j, AnswerResult::Accepted, Some(request_id.clone()), None);
                for &i in &members {
                    let evidence = &mut self.instances[i].evidence;
                    evidence.add_request_id(request_id.clone());
                    evidence.add_may_have_acted();
                    self.accepted(i, Outcome::terminated(request_id.clone()), now);
                }
            }
            Err(failure) if failure.unknown => {
                self.journal_answer(j, AnswerResult::Unknown, None, Some(&failure));
                for &i in &members {
                    let t = &mut self.instances[i];
                    if let Some(r) = &failure.service {
                        t.evidence.add_request_id(r.request_id.clone());
                    }
                    t.evidence.add_may_have_acted();
                    t.state = None;
                    let moved = t.resolve_later(failure.outcome());
                    debug_assert!(moved, "unknown from {:?}", t.stage);
                }
                if self.stop.is_some() {
                    for &i in &members {
                        self.give_up_unknown(i, "not read again: the run stopped");
                    }
                } else {
                    let after = now + self.options.settle_delay();
                    self.enqueue(Work::Read(Purpose::Resolve), members, Some(after));
                }
            }
            Err(failure) => {
                self.journal_answer(j, answer_result(&failure), None, Some(&failure));
                match &failure.service {
                    Some(refusal)
                        if culprits::is_per_instance(&refusal.code) && members.len() > 1 =>
                    {
                        self.isolate(j, refusal.clone(), now)
                    }
                    Some(refusal) if culprits::is_per_instance(&refusal.code) => {
                        let i = members[0];
                        self.refused_for_itself(i, refusal, now);
                    }
                    _ => self.job_failed(j, &failure, now),
                }
            }
        }
    }

    /// A batch refused for some of its instances' sake: the ones the message
    /// names fail, and the rest is read, to learn whether the service acted on any
    /// of them after all and to find any other culprit (a service that names the
    /// first bad instance only would otherwise cost one refusal per culprit), before
    /// anything is sent again.
    fn isolate(&mut self, j: usize, refusal: Refusal, now: Instant) {
        let members = self.jobs[j].members.clone();
        let ids: Vec<InstanceId> = members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let named = culprits::named(&refusal.message, &ids);
        if !named.is_empty() {
            log::info!(
                target: LOG_TARGET,
                "{}: {} of {} instance(s) named as the cause; reading the others before sending them again",
                refusal.code,
                named.len(),
                members.len()
            );
        }
        let mut rest = Vec::new();
        for (k, &i) in members.iter().enumerate() {
            if named.contains(&k) {
                self.refused_for_itself(i, &refusal, now);
            } else if !self.instances[i].has_ended() {
                rest.push(i);
            }
        }
        if rest.is_empty() {
            return;
        }
        for &i in &rest {
            let moved = self.instances[i].isolate();
            debug_assert!(moved, "isolated from {:?}", self.instances[i].stage);
        }
        if self.stop.is_some() {
            for i in rest {
                self.isolation_unresolved(i, &refusal, "the run stopped before it was read");
            }
            return;
        }
        let named = !named.is_empty();
        self.enqueue(Work::Read(Purpose::Isolate { refusal, named }), rest, None);
    }

    /// Ends an isolated instance whose read never told whether the refused batch
    /// acted on it: `unknown`, with the refusal (the service says it did not act,
    /// but a batch has been seen refused after acting in part).
    pub(super) fn isolation_unresolved(&mut self, i: usize, refusal: &Refusal, why: &str) {
        self.instances[i].evidence.add_may_have_acted();
        let outcome = Outcome::unknown(
            Some(refusal.code.clone()),
            format!(
                "{}; {why}, so whether the service acted on part of the batch is not known: not \
                 sent again",
                refusal.message
            ),
            Some(refusal.request_id.clone()),
        );
        self.end(i, outcome);
    }

    /// Ends an instance the service refused a request for: failed with the
    /// refusal, unless the refusal says it is already terminating after an
    /// earlier run's request whose answer was lost (that one acted).
    pub(super) fn refused_for_itself(&mut self, i: usize, refusal: &Refusal, now: Instant) {
        let t = &self.instances[i];
        let earlier = t.evidence.prior().filter(|p| p.maybe_processed());
        if culprits::says_already_terminated(&refusal.code) && earlier.is_some() {
            let outcome = Outcome::terminated_as_read(
                earlier.and_then(|p| p.request_ids().first().cloned()),
                format!(
                    "an earlier run's request acted late: the service now answers {}",
                    refusal.code
                ),
            );
            self.accepted(i, outcome, now);
            return;
        }
        let outcome = Outcome::failed(
            Some(refusal.code.clone()),
            refusal.message.clone(),
            Some(refusal.request_id.clone()),
        );
        self.end(i, outcome);
    }

    /// A terminated instance: ended now, or waited for.
    pub(super) fn accepted(&mut self, i: usize, outcome: Outcome, now: Instant) {
        self.instances[i].state = None;
        match self.options.wait() {
            Some(timeout) if self.stop.is_none() => {
                if self.instances[i].wait(outcome.clone(), now + timeout) {
                    if self.next_wait_read.is_none() {
                        self.next_wait_read = Some(now + WAIT_POLL);
                    }
                } else {
                    self.end(i, outcome);
                }
            }
            _ => self.end(i, outcome),
        }
    }
}
