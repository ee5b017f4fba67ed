//! The report: exactly one outcome per requested instance.

use std::fmt;

use crate::actions::Action;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;

/// Which of the possible ends an instance came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// The service accepted the request (pay-as-you-go: terminating; prepaid:
    /// moved to the recycle bin, or destroyed if it already was there).
    Terminated,
    /// The service certainly did not act: it refused the request, or every
    /// attempt to send it failed before it reached the service.
    Failed,
    /// The request may have been processed (timeout after sending, internal
    /// error, unreadable answer). Check the instance before acting again.
    Unknown,
    /// The run stopped (cancelled, or past its deadline) before this
    /// instance's request was sent: nothing was asked of the service.
    NotSent,
    /// Deliberately not sent: a prepaid instance already in the recycle bin,
    /// which another TerminateInstances would destroy.
    Skipped,
}

impl OutcomeKind {
    /// Every kind, in report order.
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::Terminated,
        OutcomeKind::Failed,
        OutcomeKind::Unknown,
        OutcomeKind::NotSent,
        OutcomeKind::Skipped,
    ];

    /// `terminated`, `failed`, `unknown`, `not_sent` or `skipped`, as JSON reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Terminated => "terminated",
            OutcomeKind::Failed => "failed",
            OutcomeKind::Unknown => "unknown",
            OutcomeKind::NotSent => "not_sent",
            OutcomeKind::Skipped => "skipped",
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to one instance: its [`OutcomeKind`] and what the service
/// (or the client) said about it.
///
/// ```
/// use tencentcloud_cvm_core::{Outcome, OutcomeKind};
/// fn describe(outcome: &Outcome) -> String {
///     match outcome.kind() {
///         OutcomeKind::Terminated => format!("done ({})", outcome.request_id().unwrap_or("-")),
///         OutcomeKind::Unknown => "maybe: read the instance before acting again".to_owned(),
///         _ => format!("not terminated: {}", outcome.message().unwrap_or("")),
///     }
/// }
/// # let _ = describe;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    kind: OutcomeKind,
    code: Option<ErrorCode>,
    message: Option<String>,
    request_id: Option<String>,
    /// Whose answer `request_id` is: TerminateInstances', unless a read before
    /// sending decided the outcome.
    answered_by_read: bool,
}

impl Outcome {
    fn new(
        kind: OutcomeKind,
        code: Option<ErrorCode>,
        message: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        Outcome {
            kind,
            code,
            message,
            request_id,
            answered_by_read: false,
        }
    }

    pub(crate) fn terminated(request_id: String) -> Self {
        Outcome::new(OutcomeKind::Terminated, None, None, Some(request_id))
    }

    /// Terminated, as learned by reading the instance rather than from the answer.
    /// (The RequestId is the TerminateInstances one the read names, or ours.)
    pub(crate) fn terminated_as_read(request_id: Option<String>, message: String) -> Self {
        Outcome::new(OutcomeKind::Terminated, None, Some(message), request_id)
    }

    pub(crate) fn skipped(message: String) -> Self {
        Outcome::new(OutcomeKind::Skipped, None, Some(message), None)
    }

    /// The same outcome, its RequestId being a DescribeInstances answer's: a
    /// read before sending decided it, and no TerminateInstances was sent.
    pub(crate) fn decided_by_read(mut self) -> Self {
        self.answered_by_read = true;
        self
    }

    /// The same outcome, with `note` after its message.
    pub(crate) fn noted(mut self, note: &str) -> Self {
        self.message = Some(match self.message {
            Some(m) => format!("{m}; {note}"),
            None => note.to_owned(),
        });
        self
    }

    pub(crate) fn failed(
        code: Option<ErrorCode>,
        message: String,
        request_id: Option<String>,
    ) -> Self {
        Outcome::new(OutcomeKind::Failed, code, Some(message), request_id)
    }

    pub(crate) fn unknown(
        code: Option<ErrorCode>,
        message: String,
        request_id: Option<String>,
    ) -> Self {
        Outcome::new(OutcomeKind::Unknown, code, Some(message), request_id)
    }

    pub(crate) fn not_sent(message: String) -> Self {
        Outcome::new(OutcomeKind::NotSent, None, Some(message), None)
    }

    /// Which end the instance came to.
    pub fn kind(&self) -> OutcomeKind {
        self.kind
    }
    /// The service's error code, if it gave one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }
    /// What went wrong, or what is known.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// The RequestId of the answer this outcome rests on, if the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// Which action answered with [`Outcome::request_id`]: `TerminateInstances`,
    /// or `DescribeInstances` when a read before sending decided the outcome (no
    /// TerminateInstances was sent for the instance); `None` without a RequestId.
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{Action, Outcome, TerminateOptions, Termination};
    /// fn terminate_request_id(outcome: &Outcome) -> Option<&str> {
    ///     (outcome.request_action() == Some(Action::TerminateInstances))
    ///         .then(|| outcome.request_id())
    ///         .flatten()
    /// }
    /// let mut run = Termination::new(["ins-00000001"], &TerminateOptions::new(), Instant::now())?;
    /// run.cancel();
    /// let report = run.into_report();
    /// assert_eq!(report.instances()[0].outcome.request_action(), None);
    /// assert_eq!(terminate_request_id(&report.instances()[0].outcome), None);
    /// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
    /// ```
    pub fn request_action(&self) -> Option<Action> {
        self.request_id.as_ref()?;
        Some(if self.answered_by_read {
            Action::DescribeInstances
        } else {
            Action::TerminateInstances
        })
    }
}

impl fmt::Display for Outcome {
    /// `kind[: code][: message][ (RequestId …)]`, on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())?;
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", message.escape_debug())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {})", id.escape_debug())?;
        }
        Ok(())
    }
}

/// One instance and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InstanceOutcome {
    /// The instance.
    pub id: InstanceId,
    /// What happened to it.
    pub outcome: Outcome,
    /// Its state as last read, when nothing this run did has changed it since
    /// (a preflight read that stopped it, or the read that resolved or ended a wait).
    pub state: Option<InstanceState>,
    /// The instance as this run read it, for what does not change when it is
    /// terminated (its name, its charge type); `None` when it was not read or
    /// not found. Its `instance_state` may predate what the run did: [`state`]
    /// is the one to report.
    ///
    /// [`state`]: InstanceOutcome::state
    pub instance: Option<Instance>,
}

/// The result of terminating a list of instances: one entry per distinct
/// instance, in the order first requested.
///
/// ```
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{OutcomeKind, TerminateOptions, Termination};
/// // A run cancelled before it sent anything still accounts for every instance.
/// let mut run = Termination::new(["ins-00000001", "ins-00000002", "ins-00000001"], &TerminateOptions::new(), Instant::now())?;
/// run.cancel();
/// let report = run.into_report();
/// assert_eq!(report.instances().len(), 2);
/// assert_eq!(report.count(OutcomeKind::NotSent), 2);
/// assert_eq!(report.duplicates_removed(), 1);
/// assert_eq!(report.to_string(), "2 instance(s): 0 terminated, 0 failed, 0 unknown, 2 not sent (1 duplicate ID(s) ignored)");
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Report {
    instances: Vec<InstanceOutcome>,
    duplicates_removed: usize,
}

impl Report {
    pub(crate) fn new(instances: Vec<InstanceOutcome>, duplicates_removed: usize) -> Self {
        Report {
            instances,
            duplicates_removed,
        }
    }

    /// This report with an outcome for every instance of `plan` it has none for
    /// ([`PlanEntry::unsent_outcome`]: skipped, failed or not sent), in the plan's
    /// order: the whole report of a terminate run that was given only the
    /// instances a preview said to terminate. Instances the plan does not name
    /// keep their place after the plan's.
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{OutcomeKind, TerminateOptions, Termination};
    /// let mut preview = Termination::preview(["ins-00000001", "ins-00000002"], &TerminateOptions::new(), Instant::now())?;
    /// preview.cancel();
    /// let plan = preview.into_plan();
    /// let mut run = Termination::new(["ins-00000002"], &TerminateOptions::new(), Instant::now())?;
    /// run.cancel();
    /// let report = run.into_report().completed_by(&plan);
    /// let kinds: Vec<_> = report.instances().iter().map(|i| (i.id.as_str(), i.outcome.kind())).collect();
    /// assert_eq!(kinds, [("ins-00000001", OutcomeKind::Failed), ("ins-00000002", OutcomeKind::NotSent)]);
    /// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
    /// ```
    ///
    /// [`PlanEntry::unsent_outcome`]: crate::PlanEntry::unsent_outcome
    pub fn completed_by(self, plan: &crate::Plan) -> Report {
        let mut by_id: std::collections::HashMap<InstanceId, InstanceOutcome> = self
            .instances
            .iter()
            .map(|i| (i.id.clone(), i.clone()))
            .collect();
        let mut instances = Vec::with_capacity(plan.entries().len().max(self.instances.len()));
        for entry in plan.entries() {
            match by_id.remove(&entry.id) {
                Some(outcome) => instances.push(outcome),
                None => instances.push(entry.unsent_outcome()),
            }
        }
        instances.extend(
            self.instances
                .into_iter()
                .filter(|i| by_id.contains_key(&i.id)),
        );
        Report::new(
            instances,
            plan.duplicates_removed().max(self.duplicates_removed),
        )
    }

    /// One entry per distinct requested instance, in first-requested order.
    pub fn instances(&self) -> &[InstanceOutcome] {
        &self.instances
    }
    /// How many repeated IDs were folded into one entry.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }
    /// How many instances came to `kind`.
    pub fn count(&self, kind: OutcomeKind) -> usize {
        self.instances
            .iter()
            .filter(|i| i.outcome.kind() == kind)
            .count()
    }
    /// Instances terminated.
    pub fn terminated(&self) -> usize {
        self.count(OutcomeKind::Terminated)
    }
    /// Instances that failed.
    pub fn failed(&self) -> usize {
        self.count(OutcomeKind::Failed)
    }
    /// Instances whose outcome is unknown.
    pub fn unknown(&self) -> usize {
        self.count(OutcomeKind::Unknown)
    }
    /// Instances never sent.
    pub fn not_sent(&self) -> usize {
        self.count(OutcomeKind::NotSent)
    }
    /// Instances skipped (prepaid, already in the recycle bin).
    pub fn skipped(&self) -> usize {
        self.count(OutcomeKind::Skipped)
    }
    /// Whether every instance was terminated.
    pub fn all_terminated(&self) -> bool {
        self.terminated() == self.instances.len()
    }
    /// Whether every instance was terminated or skipped: nothing is left to do.
    pub fn all_done(&self) -> bool {
        self.terminated() + self.skipped() == self.instances.len()
    }

    /// `{"instances":[{"id","outcome","code","message","request_id","state"}]}`, keys in that order.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Document<'a> {
            instances: Vec<JsonEntry<'a>>,
        }
        let document = Document {
            instances: self.instances.iter().map(JsonEntry::from).collect(),
        };
        // Plain strings and options cannot fail to serialize.
        serde_json::to_string(&document).unwrap_or_default()
    }
}

/// One instance as JSON: `{"id","outcome","code","message","request_id","state"}`.
#[derive(serde::Serialize)]
pub(crate) struct JsonEntry<'a> {
    id: &'a str,
    outcome: &'static str,
    code: Option<&'a str>,
    message: Option<&'a str>,
    request_id: Option<&'a str>,
    state: Option<&'a str>,
}

impl<'a> From<&'a InstanceOutcome> for JsonEntry<'a> {
    fn from(i: &'a InstanceOutcome) -> Self {
        JsonEntry {
            id: i.id.as_str(),
            outcome: i.outcome.kind().as_str(),
            code: i.outcome.code().map(|c| c.as_str()),
            message: i.outcome.message(),
            request_id: i.outcome.request_id(),
            state: i.state.as_ref().map(|s| s.as_str()),
        }
    }
}

impl InstanceOutcome {
    /// This entry as one line of JSON, as [`Report::to_json`] writes each entry:
    /// for streaming outcomes as they become known (JSON Lines).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&JsonEntry::from(self)).unwrap_or_default()
    }
}

/// With the `serde` feature: `terminated`, `failed`, `unknown`, `not_sent` or `skipped`.
#[cfg(feature = "serde")]
impl serde::Serialize for OutcomeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// With the `serde` feature: `{"kind","code","message","request_id","request_action"}`,
/// `request_action` naming the action that answered with `request_id`
/// ([`Outcome::request_action`]).
#[cfg(feature = "serde")]
impl serde::Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Outcome", 5)?;
        o.serialize_field("kind", &self.kind)?;
        o.serialize_field("code", &self.code)?;
        o.serialize_field("message", &self.message)?;
        o.serialize_field("request_id", &self.request_id)?;
        o.serialize_field("request_action", &self.request_action().map(Action::name))?;
        o.end()
    }
}

/// With the `serde` feature, one flat object:
/// `{"id","name","outcome","code","message","request_id","request_action","state","charge_type"}`
/// (`name` and `charge_type` as this run read them, `null` when not read).
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{TerminateOptions, Termination};
/// let mut run = Termination::new(["ins-00000001"], &TerminateOptions::new(), Instant::now()).unwrap();
/// run.cancel();
/// let report = run.into_report();
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["summary"]["not_sent"], 1);
/// assert_eq!(json["instances"][0]["outcome"], "not_sent");
/// assert_eq!(json["instances"][0]["request_action"], serde_json::Value::Null);
/// # }
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for InstanceOutcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let read = self.instance.as_ref();
        let o = &self.outcome;
        let mut e = s.serialize_struct("InstanceOutcome", 9)?;
        e.serialize_field("id", &self.id)?;
        e.serialize_field("name", &read.and_then(|i| i.instance_name.as_deref()))?;
        e.serialize_field("outcome", &o.kind)?;
        e.serialize_field("code", &o.code)?;
        e.serialize_field("message", &o.message)?;
        e.serialize_field("request_id", &o.request_id)?;
        e.serialize_field("request_action", &o.request_action().map(Action::name))?;
        e.serialize_field("state", &self.state)?;
        e.serialize_field(
            "charge_type",
            &read.and_then(|i| i.instance_charge_type.as_ref()),
        )?;
        e.end()
    }
}

/// With the `serde` feature: `{"summary":{"instances","terminated","failed","unknown",
/// "not_sent","skipped"},"duplicates_removed","instances":[...]}`, each instance as
/// [`InstanceOutcome`] serializes. (`Report::to_json` keeps its own, older shape.)
#[cfg(feature = "serde")]
impl serde::Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(serde::Serialize)]
        struct Summary {
            instances: usize,
            terminated: usize,
            failed: usize,
            unknown: usize,
            not_sent: usize,
            skipped: usize,
        }
        let summary = Summary {
            instances: self.instances.len(),
            terminated: self.terminated(),
            failed: self.failed(),
            unknown: self.unknown(),
            not_sent: self.not_sent(),
            skipped: self.skipped(),
        };
        let mut r = s.serialize_struct("Report", 3)?;
        r.serialize_field("summary", &summary)?;
        r.serialize_field("duplicates_removed", &self.duplicates_removed)?;
        r.serialize_field("instances", &self.instances)?;
        r.end()
    }
}

impl fmt::Display for Report {
    /// A one-line summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} instance(s): {} terminated, {} failed, {} unknown",
            self.instances.len(),
            self.terminated(),
            self.failed(),
            self.unknown()
        )?;
        let not_sent = self.not_sent();
        if not_sent > 0 {
            write!(f, ", {not_sent} not sent")?;
        }
        let skipped = self.skipped();
        if skipped > 0 {
            write!(f, ", {skipped} skipped")?;
        }
        if self.duplicates_removed > 0 {
            write!(f, " ({} duplicate ID(s) ignored)", self.duplicates_removed)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> InstanceId {
        InstanceId::parse(s).unwrap()
    }

    #[test]
    fn json_shape_and_key_order() {
        let gone = Outcome::failed(
            Some(ErrorCode::InvalidInstanceIdNotFound),
            "gone".into(),
            Some("r-1".into()),
        );
        let report = Report::new(
            vec![
                InstanceOutcome {
                    id: id("ins-00000001"),
                    outcome: gone.clone(),
                    state: Some(InstanceState::Running),
                    instance: None,
                },
                InstanceOutcome {
                    id: id("ins-00000002"),
                    outcome: Outcome::not_sent("cancelled".into()),
                    state: None,
                    instance: None,
                },
            ],
            0,
        );
        assert_eq!(
            report.to_json(),
            r#"{"instances":[{"id":"ins-00000001","outcome":"failed","code":"InvalidInstanceId.NotFound","message":"gone","request_id":"r-1","state":"RUNNING"},{"id":"ins-00000002","outcome":"not_sent","code":null,"message":"cancelled","request_id":null,"state":null}]}"#
        );
        assert_eq!(
            report.instances()[0].to_json(),
            r#"{"id":"ins-00000001","outcome":"failed","code":"InvalidInstanceId.NotFound","message":"gone","request_id":"r-1","state":"RUNNING"}"#
        );
        let empty = Report::default();
        assert_eq!(empty.to_json(), r#"{"instances":[]}"#);
        assert_eq!(
            empty.to_string(),
            "0 instance(s): 0 terminated, 0 failed, 0 unknown"
        );
    }

    #[test]
    fn counts_by_kind() {
        let entries: Vec<InstanceOutcome> = [
            Outcome::terminated("a".into()),
            Outcome::terminated("a".into()),
            Outcome::unknown(None, "timed out".into(), None),
            Outcome::not_sent("deadline".into()),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, outcome)| InstanceOutcome {
            id: id(&format!("ins-{i:08}")),
            outcome,
            state: None,
            instance: None,
        })
        .collect();
        let report = Report::new(entries, 0);
        let counts: Vec<usize> = OutcomeKind::ALL.iter().map(|&k| report.count(k)).collect();
        assert_eq!(counts, [2, 0, 1, 1, 0]);
        assert!(!report.all_terminated());
    }

    #[test]
    fn the_request_action_says_whose_request_id_it_is() {
        let sent = Outcome::failed(None, "refused".into(), Some("r-t".into()));
        assert_eq!(sent.request_action(), Some(Action::TerminateInstances));
        let read = Outcome::failed(None, "protected".into(), Some("r-d".into())).decided_by_read();
        assert_eq!(read.request_action(), Some(Action::DescribeInstances));
        assert_eq!(read.request_id(), Some("r-d"));
        let none = Outcome::failed(None, "unread".into(), None).decided_by_read();
        assert_eq!(none.request_action(), None);
        assert_eq!(
            Outcome::terminated("r".into()).request_action(),
            Some(Action::TerminateInstances)
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serialized_with_summary_name_and_request_action() {
        let instance: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","InstanceName":"web-1","InstanceChargeType":"PREPAID"}"#,
        )
        .unwrap();
        let report = Report::new(
            vec![
                InstanceOutcome {
                    id: id("ins-00000001"),
                    outcome: Outcome::failed(
                        Some(ErrorCode::UnsupportedOperationInstancesProtected),
                        "protected".into(),
                        Some("r-read".into()),
                    )
                    .decided_by_read(),
                    state: Some(InstanceState::Running),
                    instance: Some(instance),
                },
                InstanceOutcome {
                    id: id("ins-00000002"),
                    outcome: Outcome::terminated("r-term".into()),
                    state: None,
                    instance: None,
                },
            ],
            1,
        );
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            concat!(
                r#"{"summary":{"instances":2,"terminated":1,"failed":1,"unknown":0,"not_sent":0,"skipped":0},"#,
                r#""duplicates_removed":1,"instances":["#,
                r#"{"id":"ins-00000001","name":"web-1","outcome":"failed","code":"UnsupportedOperation.InstancesProtected","#,
                r#""message":"protected","request_id":"r-read","request_action":"DescribeInstances","state":"RUNNING","charge_type":"PREPAID"},"#,
                r#"{"id":"ins-00000002","name":null,"outcome":"terminated","code":null,"message":null,"#,
                r#""request_id":"r-term","request_action":"TerminateInstances","state":null,"charge_type":null}]}"#
            )
        );
        assert_eq!(
            serde_json::to_string(&report.instances()[1].outcome).unwrap(),
            r#"{"kind":"terminated","code":null,"message":null,"request_id":"r-term","request_action":"TerminateInstances"}"#
        );
    }

    #[test]
    fn display_escapes_server_text() {
        let o = Outcome::failed(None, "line\nbreak \u{1b}[31m".into(), Some("r\n".into()));
        let shown = o.to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}'),
            "{shown}"
        );
    }
}
