//! [`JournalRecord`]: one line of the journal (see the module docs for the format).

use serde::{Deserialize, Serialize};

use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::model::instance_id::InstanceId;
use crate::termination::report::OutcomeKind;

/// The journal format's version: the `v` of every record this crate writes.
pub const JOURNAL_VERSION: u32 = 1;

/// One record of the journal: a version and what happened.
///
/// ```
/// use tencentcloud_cvm_core::{AnswerResult, JournalEntry, JournalRecord};
/// let line = r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-r8hr2upy"],"result":"accepted","request_id":"r-1","code":null,"message":null}"#;
/// let record = JournalRecord::parse_line(line)?;
/// let JournalEntry::Answer(answer) = &record.entry else { panic!() };
/// assert_eq!(answer.result, AnswerResult::Accepted);
/// assert_eq!(record.to_line(), format!("{line}\n"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JournalRecord {
    /// The format's version ([`JOURNAL_VERSION`] for what this crate writes).
    pub v: u32,
    /// What happened.
    #[serde(flatten)]
    pub entry: JournalEntry,
}

/// What a record says happened, by its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum JournalEntry {
    /// A TerminateInstances attempt is about to leave.
    Intent(IntentRecord),
    /// What came of an attempt.
    Answer(AnswerRecord),
    /// An instance's one outcome.
    Outcome(OutcomeRecord),
}

/// Written before a TerminateInstances attempt leaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IntentRecord {
    /// The request's number in its run (0 for the first request of any action).
    pub batch: u32,
    /// 1 for the first attempt, 2 for the first retry, ….
    pub attempt: u32,
    /// The instances it names.
    pub instances: Vec<InstanceId>,
    /// The batch's charge type as read (`None`: sent without a read).
    pub charge_type: Option<String>,
    /// Whether any of its instances is prepaid-like (or of no known charge type).
    pub prepaid_like: bool,
    /// Whether its instances were read before it was sent.
    pub read: bool,
    /// Whether it is the deliberate destroy of instances in the recycle bin.
    pub destroy: bool,
}

/// Written when an attempt is answered, given up on, or dropped unsent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AnswerRecord {
    /// The request's number in its run.
    pub batch: u32,
    /// The attempt.
    pub attempt: u32,
    /// The instances it named.
    pub instances: Vec<InstanceId>,
    /// What came of it.
    pub result: AnswerResult,
    /// The service's RequestId, when it answered.
    pub request_id: Option<String>,
    /// The service's error code, when it refused.
    pub code: Option<String>,
    /// What happened, for people.
    pub message: Option<String>,
}

/// What came of a TerminateInstances attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AnswerResult {
    /// The service accepted it.
    Accepted,
    /// The service answered with an error; a read says whether it acted on part of
    /// the batch, and the outcomes record what it said.
    Refused,
    /// It provably did not act: not sent, throttled, refused before the service
    /// looked at it, or never sent because the run stopped.
    NotActed,
    /// It may have been processed.
    Unknown,
}

/// Written when an instance ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutcomeRecord {
    /// The instance.
    pub instance: InstanceId,
    /// `terminated`, `failed`, `unknown`, `not_sent` or `skipped`.
    pub outcome: String,
    /// The service's or the client's code.
    pub code: Option<String>,
    /// The RequestId the outcome rests on.
    pub request_id: Option<String>,
    /// What happened, for people.
    pub message: Option<String>,
    /// Whether any read (or an earlier run) showed it prepaid-like.
    pub prepaid_like: bool,
    /// Whether a TerminateInstances of this run may have acted on it.
    pub may_have_been_acted_on: bool,
    /// How many of this run's intents for it no answer closed (the outcome does).
    pub closes: u32,
}

impl JournalRecord {
    /// A record of the current version.
    pub fn new(entry: JournalEntry) -> JournalRecord {
        JournalRecord {
            v: JOURNAL_VERSION,
            entry,
        }
    }

    /// The record as one line of JSON, newline included.
    pub fn to_line(&self) -> String {
        // Serializing plain strings, numbers and booleans cannot fail.
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }

    /// Reads one line (its newline optional). The version is not checked here:
    /// [`History`](crate::History) refuses versions it does not know.
    pub fn parse_line(line: &str) -> Result<JournalRecord, serde_json::Error> {
        serde_json::from_str(line.strip_suffix('\n').unwrap_or(line))
    }

    /// Whether the driver must make it durable before the next request leaves (an
    /// `intent`). Every record should be made durable soon; an intent before
    /// anything is sent.
    pub fn is_intent(&self) -> bool {
        matches!(self.entry, JournalEntry::Intent(_))
    }
}

impl AnswerRecord {
    /// The code, typed (the client's own codes as [`ErrorCode::Client`]).
    pub fn code(&self) -> Option<ErrorCode> {
        self.code.as_deref().map(code_of)
    }
}

impl OutcomeRecord {
    /// The code, typed (the client's own codes as [`ErrorCode::Client`]).
    pub fn code(&self) -> Option<ErrorCode> {
        self.code.as_deref().map(code_of)
    }

    /// The outcome's kind, if it names one.
    pub fn kind(&self) -> Option<OutcomeKind> {
        OutcomeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == self.outcome)
    }
}

/// The code a record holds, typed: the client's own codes are recognised as such.
fn code_of(text: &str) -> ErrorCode {
    match ClientCode::parse(text) {
        Some(c) => ErrorCode::Client(c),
        None => ErrorCode::parse(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> InstanceId {
        InstanceId::parse(s).unwrap()
    }

    #[test]
    fn each_record_round_trips_through_its_line() {
        let records = [
            JournalRecord::new(JournalEntry::Intent(IntentRecord {
                batch: 3,
                attempt: 2,
                instances: vec![id("ins-00000001"), id("ins-00000002")],
                charge_type: Some("PREPAID".into()),
                prepaid_like: true,
                read: true,
                destroy: false,
            })),
            JournalRecord::new(JournalEntry::Answer(AnswerRecord {
                batch: 3,
                attempt: 2,
                instances: vec![id("ins-00000001")],
                result: AnswerResult::NotActed,
                request_id: None,
                code: Some("RequestLimitExceeded".into()),
                message: Some("throttled \"\n".into()),
            })),
            JournalRecord::new(JournalEntry::Outcome(OutcomeRecord {
                instance: id("ins-00000001"),
                outcome: "unknown".into(),
                code: Some("FailClosed.EarlierRequestMayHaveActed".into()),
                request_id: None,
                message: None,
                prepaid_like: true,
                may_have_been_acted_on: true,
                closes: 1,
            })),
        ];
        for r in records {
            let line = r.to_line();
            assert!(line.ends_with('\n') && !line[..line.len() - 1].contains('\n'));
            assert!(line.starts_with(r#"{"v":1,"type":""#), "{line}");
            assert_eq!(JournalRecord::parse_line(&line).unwrap(), r);
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_types_refused() {
        let r = JournalRecord::parse_line(
            r#"{"v":1,"type":"outcome","instance":"ins-00000001","outcome":"skipped","code":null,"request_id":null,"message":null,"prepaid_like":false,"may_have_been_acted_on":false,"closes":0,"at":1700000000}"#,
        )
        .unwrap();
        let JournalEntry::Outcome(o) = r.entry else {
            panic!()
        };
        assert_eq!(o.kind(), Some(OutcomeKind::Skipped));
        for bad in [
            r#"{"v":1,"type":"other"}"#,
            r#"{"v":1}"#,
            r#"{"type":"intent","batch":0,"attempt":1,"instances":[],"charge_type":null,"prepaid_like":false,"read":false,"destroy":false}"#,
            r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-BAD"],"charge_type":null,"prepaid_like":false,"read":false,"destroy":false}"#,
            r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":[],"result":"maybe","request_id":null,"code":null,"message":null}"#,
            "",
            "{",
        ] {
            assert!(JournalRecord::parse_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_typed_back() {
        assert_eq!(
            code_of("FailClosed.UnknownState"),
            ErrorCode::Client(ClientCode::UnknownState)
        );
        assert_eq!(
            code_of("InvalidInstanceId.NotFound"),
            ErrorCode::InvalidInstanceIdNotFound
        );
    }
}
