//! [`History`]: the journal of earlier runs, folded per instance into a [`Prior`].

use std::collections::HashMap;
use std::fmt;

use crate::model::instance_id::InstanceId;
use crate::termination::journal::record::{
    AnswerResult, IntentRecord, JournalEntry, JournalRecord, OutcomeRecord, JOURNAL_VERSION,
};
use crate::termination::report::OutcomeKind;

/// What the journal of earlier runs says about one instance. See the
/// [journal's rules](crate::History) for what a new run makes of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prior {
    /// TerminateInstances intents not yet closed by an answer or an outcome.
    open: u32,
    terminated: bool,
    request_ids: Vec<String>,
    maybe_processed: bool,
    prepaid_like: bool,
    found: bool,
}

impl Prior {
    /// Whether an earlier run's TerminateInstances for it was accepted (or a read
    /// showed that one acted).
    pub fn terminated(&self) -> bool {
        self.terminated
    }

    /// The RequestIds of earlier runs' TerminateInstances that acted on it, first
    /// first (empty if none is known).
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// Whether an earlier run's TerminateInstances for it may have been processed
    /// without that run learning so: its answer was lost, or the run ended (a crash)
    /// before it came.
    pub fn maybe_processed(&self) -> bool {
        !self.terminated && (self.maybe_processed || self.open > 0)
    }

    /// Whether an earlier run saw it prepaid-like.
    pub fn prepaid_like(&self) -> bool {
        self.prepaid_like
    }

    /// Whether an earlier run read it (it existed) before sending it.
    pub fn found(&self) -> bool {
        self.found
    }

    /// Whether the journal gives a new run anything to act on: terminated, or may
    /// have been processed.
    pub fn matters(&self) -> bool {
        self.terminated() || self.maybe_processed()
    }
}

/// The journal of earlier runs, folded per instance. Evidence only tightens: a
/// record can make an instance terminated, possibly processed or prepaid-like, and no
/// later record undoes that.
///
/// ```
/// use tencentcloud_cvm_core::{History, InstanceId, TerminateOptions};
/// let journal = concat!(
///     r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false}"#, "\n",
///     r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"result":"unknown","request_id":null,"code":null,"message":"timed out"}"#, "\n",
///     r#"{"v":1,"type":"intent","batch":1,"attempt":1,"instances":["ins-00000003"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false}"#, "\n",
///     r#"{"v":1,"type":"answer","batch":1,"attempt":1,"instances":["ins-00000003"],"result":"accepted","request_id":"r-1","code":null,"message":null}"#, "\n",
///     // A crash while this line was written: its request never left.
///     r#"{"v":1,"type":"intent","batch":2,"att"#,
/// );
/// let history = History::parse(journal.as_bytes())?;
/// let prior = |id: &str| history.prior(&InstanceId::parse(id).unwrap()).cloned();
/// assert!(prior("ins-00000001").unwrap().maybe_processed());
/// assert_eq!(prior("ins-00000003").unwrap().request_ids(), ["r-1"]);
/// assert!(history.torn_tail());
/// let options = TerminateOptions::new().with_history(history);
/// # Ok::<(), tencentcloud_cvm_core::JournalError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    instances: HashMap<InstanceId, Prior>,
    records: usize,
    torn_tail: bool,
}

/// A journal line that cannot be read. A run must not start on such a journal: the
/// line might be the one that says an instance was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalError {
    /// The line (1 for the first).
    pub line: usize,
    /// What is wrong with it.
    pub kind: JournalErrorKind,
}

/// What is wrong with a journal line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JournalErrorKind {
    /// Not UTF-8.
    NotUtf8,
    /// Not a record: the parser's message.
    Invalid(String),
    /// A version this crate does not read.
    UnsupportedVersion(u32),
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "journal line {}: ", self.line)?;
        match &self.kind {
            JournalErrorKind::NotUtf8 => f.write_str("not UTF-8"),
            JournalErrorKind::Invalid(why) => write!(f, "not a journal record ({why})"),
            JournalErrorKind::UnsupportedVersion(v) => write!(
                f,
                "format version {v}, which this version (reading {JOURNAL_VERSION}) does not know"
            ),
        }
    }
}

impl std::error::Error for JournalError {}

impl History {
    /// No earlier runs.
    pub fn new() -> History {
        History::default()
    }

    /// Folds a whole journal: JSON lines, blank lines allowed. A last line without
    /// its newline that cannot be read is a write cut short by a crash, and is
    /// ignored ([`History::torn_tail`]); any other line that cannot be read is an
    /// error.
    pub fn parse(journal: &[u8]) -> Result<History, JournalError> {
        let mut history = History::new();
        let mut lines = journal.split(|&b| b == b'\n').enumerate().peekable();
        while let Some((n, bytes)) = lines.next() {
            let last = lines.peek().is_none();
            match parse_line(bytes, n + 1) {
                Ok(None) => {}
                Ok(Some(record)) => history.fold(&record)?,
                // Only an unterminated last line can be a torn write.
                Err(_) if last => history.torn_tail = true,
                Err(e) => return Err(e),
            }
        }
        Ok(history)
    }

    /// Folds one record in. Refuses (and ignores) a record of another version.
    pub fn fold(&mut self, record: &JournalRecord) -> Result<(), JournalError> {
        if record.v != JOURNAL_VERSION {
            return Err(JournalError {
                line: self.records + 1,
                kind: JournalErrorKind::UnsupportedVersion(record.v),
            });
        }
        self.records += 1;
        match &record.entry {
            JournalEntry::Intent(intent) => {
                for id in &intent.instances {
                    let p = self.instances.entry(id.clone()).or_default();
                    p.open = p.open.saturating_add(1);
                    p.prepaid_like |= intent.prepaid_like;
                    p.found |= intent.read;
                }
            }
            JournalEntry::Answer(answer) => {
                for id in &answer.instances {
                    let p = self.instances.entry(id.clone()).or_default();
                    match answer.result {
                        AnswerResult::Accepted => {
                            p.open = p.open.saturating_sub(1);
                            p.terminated = true;
                            if let Some(r) = &answer.request_id {
                                add(&mut p.request_ids, r);
                            }
                        }
                        AnswerResult::NotActed => p.open = p.open.saturating_sub(1),
                        AnswerResult::Unknown => p.maybe_processed = true,
                        // The outcome says whether the service acted on part of it.
                        AnswerResult::Refused => {}
                    }
                }
            }
            JournalEntry::Outcome(outcome) => {
                let p = self.instances.entry(outcome.instance.clone()).or_default();
                p.open = p.open.saturating_sub(outcome.closes);
                p.prepaid_like |= outcome.prepaid_like;
                match outcome.kind() {
                    Some(OutcomeKind::Terminated) => {
                        p.terminated = true;
                        if let Some(r) = &outcome.request_id {
                            add(&mut p.request_ids, r);
                        }
                    }
                    Some(OutcomeKind::Unknown) | None => p.maybe_processed = true,
                    Some(_) => p.maybe_processed |= outcome.may_have_been_acted_on,
                }
            }
        }
        Ok(())
    }

    /// What the journal says of `id`, if anything.
    pub fn prior(&self, id: &InstanceId) -> Option<&Prior> {
        self.instances.get(id)
    }

    /// Every instance the journal names, with what it says.
    pub fn instances(&self) -> impl Iterator<Item = (&InstanceId, &Prior)> {
        self.instances.iter()
    }

    /// How many records were folded in.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Whether the journal ended in a line cut short (ignored).
    pub fn torn_tail(&self) -> bool {
        self.torn_tail
    }

    /// The fewest records that fold into what this history says of every instance
    /// that [matters](Prior::matters) (terminated, or may have been processed), in
    /// instance order: what a driver writes in place of a journal grown too long.
    /// Instances of which nothing is left to act on are dropped.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{History, JournalRecord};
    /// let journal = concat!(
    ///     r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false}"#, "\n",
    ///     r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"result":"accepted","request_id":"r-1","code":null,"message":null}"#, "\n",
    /// );
    /// let history = History::parse(journal.as_bytes())?;
    /// let compact: String = history.compact().iter().map(JournalRecord::to_line).collect();
    /// let again = History::parse(compact.as_bytes())?;
    /// for (id, prior) in history.instances() {
    ///     assert_eq!(again.prior(id).unwrap().request_ids(), prior.request_ids());
    /// }
    /// # Ok::<(), tencentcloud_cvm_core::JournalError>(())
    /// ```
    pub fn compact(&self) -> Vec<JournalRecord> {
        let mut ids: Vec<&InstanceId> = self
            .instances
            .iter()
            .filter(|(_, p)| p.matters())
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        let mut records = Vec::new();
        for id in ids {
            let p = &self.instances[id];
            let outcome = |kind: &str, request_id: Option<String>| {
                JournalRecord::new(JournalEntry::Outcome(OutcomeRecord {
                    instance: id.clone(),
                    outcome: kind.to_owned(),
                    code: None,
                    request_id,
                    message: Some("compacted".to_owned()),
                    prepaid_like: p.prepaid_like,
                    may_have_been_acted_on: kind == "unknown",
                    closes: 0,
                }))
            };
            if p.terminated() {
                if p.request_ids.is_empty() {
                    records.push(outcome("terminated", None));
                }
                for r in &p.request_ids {
                    records.push(outcome("terminated", Some(r.clone())));
                }
                continue;
            }
            if p.found {
                records.push(JournalRecord::new(JournalEntry::Intent(IntentRecord {
                    batch: 0,
                    attempt: 1,
                    instances: vec![id.clone()],
                    charge_type: None,
                    prepaid_like: p.prepaid_like,
                    read: true,
                    destroy: false,
                })));
            }
            records.push(outcome("unknown", None));
        }
        records
    }
}

fn add(list: &mut Vec<String>, id: &str) {
    if !id.is_empty() && !list.iter().any(|r| r == id) {
        list.push(id.to_owned());
    }
}

/// One line: `None` if blank.
fn parse_line(bytes: &[u8], line: usize) -> Result<Option<JournalRecord>, JournalError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JournalError {
        line,
        kind: JournalErrorKind::NotUtf8,
    })?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(None);
    }
    let record = JournalRecord::parse_line(text).map_err(|e| {
        // A newer version may not parse as this one: say so rather than "invalid".
        let version = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("v").and_then(serde_json::Value::as_u64));
        JournalError {
            line,
            kind: match version {
                Some(v) if v != u64::from(JOURNAL_VERSION) => {
                    JournalErrorKind::UnsupportedVersion(u32::try_from(v).unwrap_or(u32::MAX))
                }
                _ => JournalErrorKind::Invalid(e.to_string()),
            },
        }
    })?;
    if record.v != JOURNAL_VERSION {
        return Err(JournalError {
            line,
            kind: JournalErrorKind::UnsupportedVersion(record.v),
        });
    }
    Ok(Some(record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::termination::journal::record::{
        AnswerRecord, IntentRecord, JournalEntry, OutcomeRecord,
    };

    fn id(s: &str) -> InstanceId {
        InstanceId::parse(s).unwrap()
    }

    fn intent(ids: &[&str], prepaid_like: bool) -> JournalRecord {
        JournalRecord::new(JournalEntry::Intent(IntentRecord {
            batch: 0,
            attempt: 1,
            instances: ids.iter().map(|s| id(s)).collect(),
            charge_type: None,
            prepaid_like,
            read: true,
            destroy: false,
        }))
    }

    fn answer(ids: &[&str], result: AnswerResult, rid: Option<&str>) -> JournalRecord {
        JournalRecord::new(JournalEntry::Answer(AnswerRecord {
            batch: 0,
            attempt: 1,
            instances: ids.iter().map(|s| id(s)).collect(),
            result,
            request_id: rid.map(str::to_owned),
            code: None,
            message: None,
        }))
    }

    fn outcome(i: &str, kind: &str, acted: bool, closes: u32) -> JournalRecord {
        JournalRecord::new(JournalEntry::Outcome(OutcomeRecord {
            instance: id(i),
            outcome: kind.into(),
            code: None,
            request_id: None,
            message: None,
            prepaid_like: false,
            may_have_been_acted_on: acted,
            closes,
        }))
    }

    fn fold(records: &[JournalRecord]) -> History {
        let text: String = records.iter().map(JournalRecord::to_line).collect();
        History::parse(text.as_bytes()).unwrap()
    }

    fn prior(h: &History, i: &str) -> Prior {
        h.prior(&id(i)).cloned().unwrap_or_default()
    }

    const A: &str = "ins-0000000a";
    const B: &str = "ins-0000000b";

    #[test]
    fn an_intent_without_an_answer_may_have_been_processed() {
        let h = fold(&[intent(&[A, B], false)]);
        assert!(prior(&h, A).maybe_processed() && prior(&h, B).maybe_processed());
        assert!(prior(&h, A).found());
        // Throttled, then accepted on the second attempt.
        let h = fold(&[
            intent(&[A], false),
            answer(&[A], AnswerResult::NotActed, None),
            intent(&[A], false),
            answer(&[A], AnswerResult::Accepted, Some("r-2")),
            outcome(A, "terminated", true, 0),
        ]);
        let p = prior(&h, A);
        assert!(p.terminated() && !p.maybe_processed(), "{p:?}");
        assert_eq!(p.request_ids(), ["r-2"]);
    }

    #[test]
    fn a_refusal_is_settled_by_the_outcome() {
        let refused = [
            intent(&[A, B], true),
            answer(&[A, B], AnswerResult::Refused, Some("r-1")),
        ];
        // Killed before the outcome: doubt.
        let h = fold(&refused);
        assert!(prior(&h, A).maybe_processed());
        assert!(prior(&h, A).prepaid_like());
        // Failed, nothing acted: closed.
        let mut settled = refused.to_vec();
        settled.push(outcome(A, "failed", false, 1));
        settled.push(outcome(B, "unknown", true, 1));
        let h = fold(&settled);
        assert!(!prior(&h, A).matters(), "{:?}", prior(&h, A));
        assert!(prior(&h, B).maybe_processed());
    }

    #[test]
    fn evidence_only_tightens() {
        let h = fold(&[
            intent(&[A], true),
            answer(&[A], AnswerResult::Unknown, None),
            outcome(A, "unknown", true, 1),
            // A later run's definite failure does not clear the earlier doubt.
            intent(&[A], false),
            answer(&[A], AnswerResult::Refused, Some("r-9")),
            outcome(A, "failed", false, 1),
        ]);
        let p = prior(&h, A);
        assert!(p.maybe_processed() && p.prepaid_like());
        // Two runs' records interleaved: one run's answer does not close the other's intent.
        let h = fold(&[
            intent(&[A], true),
            intent(&[A], true),
            answer(&[A], AnswerResult::NotActed, None),
        ]);
        assert!(prior(&h, A).maybe_processed());
    }

    #[test]
    fn a_compacted_journal_says_the_same_of_what_matters() {
        const C: &str = "ins-0000000c";
        const D: &str = "ins-0000000d";
        let h = fold(&[
            intent(&[A, B, C], true),
            answer(&[A, B, C], AnswerResult::Refused, Some("r-1")),
            outcome(A, "failed", false, 1),
            outcome(B, "unknown", true, 1),
            intent(&[C], false),
            answer(&[C], AnswerResult::Accepted, Some("r-2")),
            intent(&[D], false),
        ]);
        let compact = h.compact();
        assert!(compact.len() < 7, "{compact:?}");
        let again = fold(&compact);
        assert!(again.prior(&id(A)).is_none(), "nothing left to act on");
        for i in [B, C, D] {
            let (p, q) = (prior(&h, i), prior(&again, i));
            assert_eq!(
                (p.terminated(), p.request_ids(), p.maybe_processed()),
                (q.terminated(), q.request_ids(), q.maybe_processed()),
                "{i}"
            );
            assert_eq!(p.prepaid_like(), q.prepaid_like(), "{i}");
            // Whether it was read first matters only while it may have been processed.
            if p.maybe_processed() {
                assert_eq!(p.found(), q.found(), "{i}");
            }
        }
        assert_eq!(fold(&again.compact()).compact(), again.compact());
    }

    #[test]
    fn bad_lines_are_errors_except_a_torn_last_one() {
        let good = intent(&[A], false).to_line();
        let h = History::parse(format!("{good}\n\r\n{}", &good[..20]).as_bytes()).unwrap();
        assert!(h.torn_tail() && h.records() == 1);
        let h = History::parse(good.trim_end().as_bytes()).unwrap();
        assert!(!h.torn_tail() && h.records() == 1);
        let e = History::parse(format!("{}\n{good}", &good[..20]).as_bytes()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(matches!(e.kind, JournalErrorKind::Invalid(_)));
        let newer = good.replacen(r#""v":1"#, r#""v":2"#, 1);
        let e = History::parse(format!("{good}{newer}").as_bytes()).unwrap_err();
        assert_eq!(e.kind, JournalErrorKind::UnsupportedVersion(2));
        assert_eq!(e.to_string().split(':').next(), Some("journal line 2"));
        let e = History::parse(b"\xff\xfe\n").unwrap_err();
        assert_eq!(e.kind, JournalErrorKind::NotUtf8);
        assert_eq!(History::parse(b"").unwrap(), History::new());
    }
}
