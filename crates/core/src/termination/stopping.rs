//! Time and stopping: the deadline, [`Termination::cancel`] and
//! [`Termination::abort`] end what was not sent (`not_sent`), what was only
//! waited for, and, unless only cancelled, what was in flight (`unknown`).

use std::time::Instant;

use super::{Mode, Termination};
use crate::termination::journal::record::AnswerResult;
use crate::termination::judge::Failure;
use crate::termination::report::Outcome;
use crate::termination::request::{Phase, Purpose, Work};

/// Why the run stopped sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    Cancelled(String),
    Deadline,
    Aborted,
}

impl Stop {
    /// What an instance that was never sent is told.
    pub(super) fn not_sent(&self) -> String {
        match self {
            Stop::Cancelled(why) => why.clone(),
            Stop::Deadline => "not sent: the run's deadline passed first".to_owned(),
            Stop::Aborted => "not sent: the run was aborted".to_owned(),
        }
    }

    /// Why a failed request is not sent again.
    pub(super) fn reason(&self) -> &str {
        match self {
            Stop::Cancelled(why) => why,
            Stop::Deadline => "the run's deadline passed",
            Stop::Aborted => "the run was aborted",
        }
    }
}

impl Termination {
    /// Lets time reach `now`: past the deadline the run stops, and the waiting
    /// instances are read when their interval is up.
    pub(super) fn advance(&mut self, now: Instant) {
        let due = self.deadline.is_some_and(|d| now >= d);
        if due && !matches!(self.stop, Some(Stop::Deadline | Stop::Aborted)) {
            self.stop_sending(Stop::Deadline);
            self.abandon_in_flight(
                "no answer before the run's deadline: the request may have been processed",
            );
        }
        if self.stop.is_none() && self.next_wait_read.is_some_and(|t| t <= now) {
            self.next_wait_read = None;
            self.read_waiting(now);
        }
        self.flush_events();
    }

    /// Stops sending for `stop`: ends everything not yet sent (and everything
    /// only waited for) with its message.
    pub(super) fn stop_sending(&mut self, stop: Stop) {
        let message = stop.not_sent();
        self.stop = Some(stop);
        let queued: Vec<usize> = self.queue.drain(..).collect();
        self.held_until.clear();
        self.next_wait_read = None;
        for j in queued {
            self.jobs[j].phase = Phase::Done;
            let failure = Failure {
                unknown: false,
                service: None,
                message: message.clone(),
            };
            self.stopped_before_sending(j, &failure);
        }
        let pooled: Vec<usize> = self
            .pools
            .iter_mut()
            .flat_map(|(_, members)| members.drain(..))
            .collect();
        for i in pooled {
            self.not_sent(i, &message);
        }
        for i in 0..self.instances.len() {
            if let Some((outcome, _)) = self.instances[i].waiting() {
                let outcome = outcome.clone().noted("not waited for: the run stopped");
                self.end(i, outcome);
            }
        }
    }

    /// What a request that never went out (or whose answer the run gave up on)
    /// means for its instances.
    fn stopped_before_sending(&mut self, j: usize, failure: &Failure) {
        let members = self.jobs[j].members.clone();
        match self.jobs[j].work.clone() {
            Work::Terminate | Work::Read(Purpose::Preflight | Purpose::Confirm) => {
                if self.jobs[j].work == Work::Read(Purpose::Preflight) {
                    self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                }
                // Its intent may have been journaled: it never left.
                self.journal_answer(j, AnswerResult::NotActed, None, Some(failure));
                for i in members {
                    self.not_sent(i, &failure.message);
                }
            }
            Work::Read(Purpose::Isolate { refusal, .. }) => {
                for i in members {
                    self.isolation_unresolved(i, &refusal, "the run stopped before it was read");
                }
            }
            Work::Read(Purpose::Resolve) => {
                for i in members {
                    self.give_up_unknown(i, "not read again: the run stopped");
                }
            }
            Work::Read(Purpose::Wait) => {}
            Work::Inquire => self.take_prices(j, Err(failure.clone())),
        }
    }

    /// Ends instance `i` as never sent (a preview's or status read's: not read).
    pub(super) fn not_sent(&mut self, i: usize, message: &str) {
        let earlier = self.instances[i]
            .evidence
            .prior()
            .is_some_and(|p| p.maybe_processed());
        let note = match (self.mode, earlier) {
            (Mode::Terminate, false) => message.to_owned(),
            (Mode::Terminate, true) => format!(
                "{message} (an earlier run's TerminateInstances may have acted on it: see the journal)"
            ),
            (Mode::Preview | Mode::Status, _) => format!("not read: {message}"),
        };
        self.end(i, Outcome::not_sent(note));
    }

    /// Gives up every request in flight: a TerminateInstances's instances end
    /// `unknown` (it may yet be processed); a read's as if it was never sent.
    pub(super) fn abandon_in_flight(&mut self, message: &str) {
        for j in 0..self.jobs.len() {
            if matches!(self.jobs[j].phase, Phase::InFlight(_)) {
                self.jobs[j].phase = Phase::Done;
                self.in_flight -= 1;
                let unknown = self.jobs[j].work == Work::Terminate;
                let failure = Failure {
                    unknown,
                    service: None,
                    // A read given up changed nothing: only a TerminateInstances may have acted.
                    message: if unknown {
                        message.to_owned()
                    } else {
                        "not sent: the run stopped before the read of it answered".to_owned()
                    },
                };
                if unknown {
                    self.journal_answer(j, AnswerResult::Unknown, None, Some(&failure));
                    for i in self.jobs[j].members.clone() {
                        self.instances[i].evidence.add_may_have_acted();
                        self.end(i, failure.outcome());
                    }
                } else {
                    self.stopped_before_sending(j, &failure);
                }
            }
        }
    }
}
