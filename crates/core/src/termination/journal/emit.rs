//! What a run emits for the journal, and the gate that keeps a TerminateInstances
//! from leaving before its intent has been handed out.

use std::collections::{HashSet, VecDeque};

use crate::model::instance_state::InstanceState;
use crate::termination::journal::record::{
    AnswerRecord, AnswerResult, IntentRecord, JournalEntry, JournalRecord, OutcomeRecord,
};
use crate::termination::judge::Failure;
use crate::termination::report::Outcome;
use crate::termination::request::{Phase, Work};
use crate::termination::{Mode, Termination};

/// A record waiting to be taken.
#[derive(Debug)]
enum Pending {
    /// The intent of request `job`'s next attempt: made when taken, from the request
    /// as it then is (a request dropped before that writes nothing).
    Intent { job: usize },
    /// Anything else.
    Record(JournalRecord),
}

/// The run's journal: records waiting to be taken, and which requests may leave.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    queue: VecDeque<Pending>,
    /// TerminateInstances requests whose next attempt's intent was taken: they may
    /// leave, once.
    taken: HashSet<usize>,
    /// The request whose intent waits to be taken, if one does (one at a time, so
    /// that an intent precedes its request by as little as possible).
    waiting: Option<usize>,
    /// Per instance: intents taken that no answer closed yet.
    open: Vec<u32>,
}

impl Journal {
    pub(crate) fn new(instances: usize) -> Journal {
        Journal {
            open: vec![0; instances],
            ..Journal::default()
        }
    }

    /// Whether request `j`'s attempt may leave: its intent was taken.
    pub(crate) fn may_leave(&self, j: usize) -> bool {
        self.taken.contains(&j)
    }

    /// Whether an intent waits for the driver to take it.
    pub(crate) fn intent_waiting(&self) -> bool {
        self.waiting.is_some()
    }
}

impl Termination {
    /// Asks for the intent of TerminateInstances request `j`'s next attempt to be
    /// taken, once: it is due to leave. Only one intent waits at a time, and none
    /// while a request whose intent was taken has not left yet. Whether `j`'s intent
    /// now waits for the driver.
    pub(in crate::termination) fn journal_intent(&mut self, j: usize) -> bool {
        let unsent = self
            .journal
            .taken
            .iter()
            .any(|&k| self.jobs[k].phase == Phase::Queued);
        if self.mode == Mode::Terminate
            && self.jobs[j].work == Work::Terminate
            && self.journal.waiting.is_none()
            && !unsent
        {
            self.journal.waiting = Some(j);
            self.journal.queue.push_back(Pending::Intent { job: j });
        }
        self.journal.waiting == Some(j)
    }

    /// The next record, if any (see [`Termination::poll_journal`]).
    pub(in crate::termination) fn next_journal_record(&mut self) -> Option<JournalRecord> {
        loop {
            match self.journal.queue.pop_front()? {
                Pending::Record(r) => return Some(r),
                Pending::Intent { job } => {
                    self.journal.waiting = None;
                    if let Some(r) = self.take_intent(job) {
                        return Some(r);
                    }
                }
            }
        }
    }

    /// The intent of request `j`, if it is still to be sent.
    fn take_intent(&mut self, j: usize) -> Option<JournalRecord> {
        let job = &self.jobs[j];
        if job.phase != Phase::Queued || self.journal.taken.contains(&j) {
            return None;
        }
        let members = job.members.clone();
        let reads: Vec<_> = members
            .iter()
            .map(|&i| self.instances[i].last_read.instance())
            .collect();
        let read = reads.iter().all(Option::is_some);
        let charge_type = reads
            .iter()
            .flatten()
            .find_map(|r| r.instance_charge_type.as_ref())
            .map(|c| c.as_str().to_owned());
        let prepaid_like = !read
            || members
                .iter()
                .any(|&i| self.instances[i].evidence.prepaid_like());
        let destroy = reads
            .iter()
            .flatten()
            .any(|r| r.instance_state == Some(InstanceState::Shutdown));
        let record = IntentRecord {
            batch: u32::try_from(j).unwrap_or(u32::MAX),
            attempt: job.attempts.saturating_add(1),
            instances: members
                .iter()
                .map(|&i| self.instances[i].id.clone())
                .collect(),
            charge_type,
            prepaid_like,
            read,
            destroy,
        };
        self.journal.taken.insert(j);
        for &i in &members {
            self.journal.open[i] = self.journal.open[i].saturating_add(1);
        }
        Some(JournalRecord::new(JournalEntry::Intent(record)))
    }

    /// Records what came of request `j`'s attempt, if its intent was taken: the
    /// request may not leave again without a new intent.
    pub(in crate::termination) fn journal_answer(
        &mut self,
        j: usize,
        result: AnswerResult,
        request_id: Option<String>,
        failure: Option<&Failure>,
    ) {
        if !self.journal.taken.remove(&j) {
            return;
        }
        let job = &self.jobs[j];
        let members = job.members.clone();
        if matches!(result, AnswerResult::Accepted | AnswerResult::NotActed) {
            for &i in &members {
                self.journal.open[i] = self.journal.open[i].saturating_sub(1);
            }
        }
        let code = failure
            .and_then(|f| f.service.as_ref())
            .map(|r| r.code.as_str().to_owned());
        let request_id = request_id.or_else(|| {
            failure
                .and_then(|f| f.service.as_ref())
                .map(|r| r.request_id.clone())
        });
        let record = AnswerRecord {
            batch: u32::try_from(j).unwrap_or(u32::MAX),
            attempt: job.attempts.max(1),
            instances: members
                .iter()
                .map(|&i| self.instances[i].id.clone())
                .collect(),
            result,
            request_id,
            code,
            message: failure.map(|f| f.message.clone()),
        };
        self.journal
            .queue
            .push_back(Pending::Record(JournalRecord::new(JournalEntry::Answer(
                record,
            ))));
    }

    /// Records instance `i`'s one outcome (a terminate run's only).
    pub(in crate::termination) fn journal_outcome(&mut self, i: usize, outcome: &Outcome) {
        if self.mode != Mode::Terminate {
            return;
        }
        let closes = std::mem::take(&mut self.journal.open[i]);
        let t = &self.instances[i];
        let record = OutcomeRecord {
            instance: t.id.clone(),
            outcome: outcome.kind().as_str().to_owned(),
            code: outcome.code().map(|c| c.as_str().to_owned()),
            request_id: outcome.request_id().map(str::to_owned),
            message: outcome.message().map(str::to_owned),
            // Never read: its charge type is not known, which counts as prepaid-like.
            prepaid_like: t.evidence.prepaid_like() || t.last_read.instance().is_none(),
            may_have_been_acted_on: t.evidence.may_have_been_acted_on(),
            closes,
        };
        self.journal
            .queue
            .push_back(Pending::Record(JournalRecord::new(JournalEntry::Outcome(
                record,
            ))));
    }
}
