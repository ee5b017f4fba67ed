//! The journal: what a terminate run must write down, sans-IO, so that nothing it
//! sent is forgotten by a crash, and what a later run learns from it.
//!
//! A run hands its records out through
//! [`Termination::poll_journal`](crate::Termination::poll_journal); the driver
//! appends each as one line of JSON and makes it durable. A later run folds the lines
//! into a [`History`] and takes it with
//! [`TerminateOptions::with_history`](crate::TerminateOptions::with_history).
//!
//! # The driver's contract
//!
//! A TerminateInstances leaves [`poll_transmit`](crate::Termination::poll_transmit)
//! only after its `intent` record has been taken from `poll_journal`. So a driver
//! loop drains the journal *before* polling for requests, and persists what it
//! drained before it sends anything:
//!
//! ```text
//!  loop {
//!      while let Some(e) = run.poll_event() { … }
//!      while let Some(r) = run.poll_journal() { file.write_all(r.to_line().as_bytes())? }
//!      file.sync_data()?;                       // before any request goes out
//!      while let Some(t) = run.poll_transmit(…) { send t }
//!      …
//!  }
//! ```
//!
//! A driver that forgets to drain the journal sends no TerminateInstances at all
//! (the run then ends at its deadline, or waits): it cannot send one unrecorded. A
//! driver that does not keep a journal drains it and drops the records.
//!
//! Why a gate rather than the intent riding on the [`Transmit`](crate::Transmit)
//! that carries the request: a field can be ignored, and ignoring it sends the
//! request unrecorded, silently; the gate makes the mistake loud (nothing is sent)
//! and keeps one path for every record. The cost is one more turn of the loop per
//! TerminateInstances: the request due asks for its intent, `poll_transmit` returns
//! `None` for it, and [`poll_timeout`](crate::Termination::poll_timeout) says to poll
//! again at once. Only one intent waits at a time, and none while a request whose
//! intent was taken has not left, so a crash leaves at most one batch journaled but
//! possibly unsent (the next run reads it before anything else).
//!
//! # Format (version 1)
//!
//! JSON lines: one record per line, each an object with `"v": 1` and a `"type"`.
//! Unknown fields are ignored (a newer writer may add some); an unknown `v` or `type`
//! is an error, not something to skip: a record nobody can read might be the one
//! that says an instance was sent.
//!
//! | `type` | written | fields |
//! | --- | --- | --- |
//! | `intent` | before each TerminateInstances attempt leaves | `batch` (the request's number in its run), `attempt` (1 for the first), `instances` (IDs), `charge_type` (the batch's, as read; `null` when sent without a read), `prepaid_like`, `read` (whether its instances were read before), `destroy` (a deliberate destroy of instances in the recycle bin) |
//! | `answer` | when the attempt is answered, given up, or dropped unsent | `batch`, `attempt`, `instances`, `result` (`accepted`, `refused`, `not_acted`, `unknown`), `request_id`, `code`, `message` |
//! | `outcome` | when an instance ends | `instance`, `outcome` (`terminated`, `failed`, `unknown`, `not_sent`, `skipped`), `code`, `request_id`, `message`, `prepaid_like`, `may_have_been_acted_on`, `closes` (how many of this run's intents for it no answer closed) |
//!
//! ```text
//! {"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-r8hr2upy"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false}
//! {"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-r8hr2upy"],"result":"accepted","request_id":"6ef60bec-0242-43af-bb20-270359fb54a7","code":null,"message":null}
//! {"v":1,"type":"outcome","instance":"ins-r8hr2upy","outcome":"terminated","code":null,"request_id":"6ef60bec-0242-43af-bb20-270359fb54a7","message":null,"prepaid_like":true,"may_have_been_acted_on":true,"closes":0}
//! ```
//!
//! `result`: `accepted` the service took it (its RequestId); `refused` the service
//! answered with an error (its code; whether it acted on some of the batch is for a
//! read to say, and the instances' outcomes record what it said); `not_acted` the
//! attempt provably did not reach the service or was refused before acting
//! (throttled, not sent, a clock corrected, or never sent because the run stopped);
//! `unknown` it may have been processed.
//!
//! # What a later run makes of it
//!
//! [`History`] folds the records per instance into a [`Prior`]:
//!
//! | prior | from | a new run |
//! | --- | --- | --- |
//! | terminated | an `accepted` answer, or a `terminated` outcome | reports it `terminated` with that RequestId, sends nothing, reads nothing (with `destroy_prepaid`: reads it, and destroys it only if it is in the recycle bin) |
//! | may have been processed | an intent no answer or outcome closed (a crash), an `unknown` answer or outcome, `may_have_been_acted_on` | reads it: acted → `terminated`; prepaid-like (now or ever) → never sent without `destroy_prepaid` (`unknown`, `FailClosed.EarlierRequestMayHaveActed`); pay-as-you-go → sent once, only when two reads at least the settle delay apart agree it is untouched and its `LatestOperation` is not TerminateInstances |
//! | prepaid-like | any intent or outcome saying so | counts as prepaid-like whatever a new read says |
//!
//! A line cut short at the end of the journal (a crash mid-write) is ignored: its
//! request was never sent, since sending waits for the record to be durable.

pub(crate) mod emit;
pub(crate) mod history;
pub(crate) mod record;

pub use history::{History, JournalError, JournalErrorKind, Prior};
pub use record::{
    AnswerRecord, AnswerResult, IntentRecord, JournalEntry, JournalRecord, OutcomeRecord,
    JOURNAL_VERSION,
};

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::termination::report::Report;

    /// What every run's journal must hold: an intent before each TerminateInstances
    /// attempt sent (`sent` of them), one answer per intent, and one outcome per
    /// instance, the report's.
    pub(crate) fn assert_journal_agrees(journal: &[JournalRecord], report: &Report, sent: usize) {
        let mut attempts = HashMap::new();
        let mut outcomes = HashMap::new();
        for r in journal {
            assert_eq!(&JournalRecord::parse_line(&r.to_line()).unwrap(), r);
            match &r.entry {
                JournalEntry::Intent(i) => {
                    let open = attempts.insert((i.batch, i.attempt), false);
                    assert!(open.is_none(), "intent {}#{} twice", i.batch, i.attempt);
                }
                JournalEntry::Answer(a) => {
                    let answered = attempts.insert((a.batch, a.attempt), true);
                    assert_eq!(answered, Some(false), "answer {}#{}", a.batch, a.attempt);
                }
                JournalEntry::Outcome(o) => {
                    assert!(
                        outcomes.insert(o.instance.clone(), o.clone()).is_none(),
                        "{} ended twice in the journal",
                        o.instance
                    );
                }
            }
        }
        assert!(
            attempts.values().all(|&answered| answered),
            "an intent without its answer: {attempts:?}"
        );
        assert!(
            attempts.len() >= sent,
            "{} sent, {} intents",
            sent,
            attempts.len()
        );
        assert_eq!(outcomes.len(), report.instances().len());
        for i in report.instances() {
            let o = &outcomes[&i.id];
            assert_eq!(o.kind(), Some(i.outcome.kind()), "{}", i.id);
            assert_eq!(o.code(), i.outcome.code().cloned(), "{}", i.id);
            assert_eq!(o.request_id.as_deref(), i.outcome.request_id(), "{}", i.id);
        }
    }
}
