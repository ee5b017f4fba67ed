//! What a TerminateInstances answer does to its instances: accepted, unknown (to be
//! resolved by reading), refused for one instance's sake, for some instances' sake
//! (isolated), or for the request's.

use std::time::Instant;

use super::{Termination, LOG_TARGET, WAIT_POLL};
use crate::client_state::ClientState;
use crate::http::response::Success;
use crate::model::instance_id::InstanceId;
use crate::termination::culprits;
use crate::termination::judge::Judgement;
use crate::termination::report::Outcome;
use crate::termination::request::{Purpose, Refusal, Work};

impl Termination {
    /// Takes the judged answer to TerminateInstances request `j`.
    pub(super) fn take_terminate_answer(
        &mut self,
        j: usize,
        judgement: Judgement<Success>,
        now: Instant,
        state: &mut ClientState,
    ) {
        let Some(outcome) = self.retry_or(j, judgement, now, state) else {
            return;
        };
        let members = self.jobs[j].members.clone();
        match outcome {
            Ok(Success { request_id }) => {
                for &i in &members {
                    self.instances[i]
                        .evidence
                        .add_request_id(request_id.clone());
                    self.accepted(i, Outcome::terminated(request_id.clone()), now);
                }
            }
            Err(failure) if failure.unknown => {
                for &i in &members {
                    let t = &mut self.instances[i];
                    if let Some(r) = &failure.service {
                        t.evidence.add_request_id(r.request_id.clone());
                    }
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
            Err(failure) => match &failure.service {
                Some(refusal) if culprits::is_per_instance(&refusal.code) && members.len() > 1 => {
                    self.isolate(j, refusal.clone(), now)
                }
                Some(refusal) if culprits::is_per_instance(&refusal.code) => {
                    let i = members[0];
                    self.refused_for_itself(i, refusal, now);
                }
                _ => self.job_failed(j, &failure, now),
            },
        }
    }

    /// A batch refused for some of its instances' sake: the ones the message
    /// names fail, and the rest is read to find any other culprit (a service
    /// that names the first bad instance only would otherwise cost one refusal
    /// per culprit) before it is sent again.
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
        if self.stop.is_some() {
            for i in rest {
                self.refused_for_itself(i, &refusal, now);
            }
            return;
        }
        for &i in &rest {
            let moved = self.instances[i].isolate();
            debug_assert!(moved, "isolated from {:?}", self.instances[i].stage);
        }
        let named = !named.is_empty();
        self.enqueue(Work::Read(Purpose::Isolate { refusal, named }), rest, None);
    }

    /// Ends an instance the service refused a request for: failed with the
    /// refusal, unless the refusal says it is already terminating after an
    /// earlier request of ours that went unanswered (that one acted).
    pub(super) fn refused_for_itself(&mut self, i: usize, refusal: &Refusal, now: Instant) {
        let t = &self.instances[i];
        if culprits::says_already_terminated(&refusal.code) && t.evidence.resends() > 0 {
            let outcome = Outcome::terminated_as_read(
                t.evidence.request_ids().first().cloned(),
                format!(
                    "an earlier request acted late: the service now answers {}",
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
