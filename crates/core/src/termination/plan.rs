//! [`Plan`]: what a preview (or a status read) found for each instance, and
//! what a terminate would do with it.

use std::fmt;

use crate::model::amount::Amount;
use crate::model::charge_type::ChargeType;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;
use crate::termination::report::{InstanceOutcome, Outcome};

/// What a terminate run would do with an instance, judged from a fresh read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PlannedAction {
    /// TerminateInstances would be sent for it.
    Terminate,
    /// Nothing would be sent: a prepaid instance already in the recycle bin.
    Skip,
    /// Nothing would be sent: the service would refuse it (absent, protected, or
    /// in a state TerminateInstances refuses).
    Fail,
}

impl PlannedAction {
    /// Every action, in report order.
    pub const ALL: [PlannedAction; 3] = [
        PlannedAction::Terminate,
        PlannedAction::Skip,
        PlannedAction::Fail,
    ];

    /// `terminate`, `skip` or `fail`, as JSON plans spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            PlannedAction::Terminate => "terminate",
            PlannedAction::Skip => "skip",
            PlannedAction::Fail => "fail",
        }
    }
}

impl fmt::Display for PlannedAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One instance of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlanEntry {
    /// The instance.
    pub id: InstanceId,
    /// What a terminate would do.
    pub action: PlannedAction,
    /// The instance as DescribeInstances read it; `None` when it does not exist
    /// (or could not be read).
    pub instance: Option<Instance>,
    /// What terminating it would refund (a preview asks InquiryPriceTerminateInstances
    /// for prepaid instances; pay-as-you-go ones refund 0); `None` when not known.
    pub refund: Option<Amount>,
    /// The code the service would refuse it with, for [`PlannedAction::Fail`].
    pub code: Option<ErrorCode>,
    /// Why, for anything but a plain terminate.
    pub message: Option<String>,
}

impl PlanEntry {
    /// The state read, if the instance was read.
    pub fn state(&self) -> Option<&InstanceState> {
        self.instance.as_ref()?.instance_state.as_ref()
    }
    /// The charge type read, if the instance was read.
    pub fn charge_type(&self) -> Option<&ChargeType> {
        self.instance.as_ref()?.instance_charge_type.as_ref()
    }

    /// What a terminate run reports for this instance when it sends nothing for
    /// it: `skipped` for [`PlannedAction::Skip`], `failed` with the code for
    /// [`PlannedAction::Fail`], `not_sent` for a [`PlannedAction::Terminate`] left
    /// out (a person answered no, say); with the state read.
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{OutcomeKind, TerminateOptions, Termination};
    /// let mut run = Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())?;
    /// run.cancel();
    /// let plan = run.into_plan();
    /// let outcome = plan.entries()[0].unsent_outcome();
    /// assert_eq!(outcome.outcome.kind(), OutcomeKind::Failed);
    /// assert_eq!(outcome.outcome.message(), Some("not read: cancelled before it was sent"));
    /// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
    /// ```
    pub fn unsent_outcome(&self) -> InstanceOutcome {
        let message = self.message.clone();
        let outcome = match self.action {
            PlannedAction::Skip => {
                Outcome::skipped(message.unwrap_or_else(|| "skipped; not sent".to_owned()))
            }
            PlannedAction::Fail => Outcome::failed(
                self.code.clone(),
                message.unwrap_or_else(|| "not sent".to_owned()),
                None,
            ),
            PlannedAction::Terminate => Outcome::not_sent(match message {
                Some(m) => format!("not sent: left out of the run ({m})"),
                None => "not sent: left out of the run".to_owned(),
            }),
        };
        InstanceOutcome {
            id: self.id.clone(),
            outcome,
            state: self.state().cloned(),
            instance: self.instance.clone(),
        }
    }

    /// This entry as one line of JSON, as [`Plan::to_json`] writes each entry.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&JsonEntry::from(self)).unwrap_or_default()
    }
}

/// A whole preview: one entry per distinct instance, in the order first requested.
///
/// ```
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{PlannedAction, TerminateOptions, Termination};
/// // A preview cancelled before it read anything plans nothing for its instances.
/// let mut run = Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())?;
/// run.cancel();
/// let plan = run.into_plan();
/// assert_eq!(plan.entries().len(), 1);
/// assert_eq!(plan.count(PlannedAction::Fail), 1);
/// assert_eq!(plan.to_json(), r#"{"instances":[{"id":"ins-00000001","action":"fail","state":null,"charge_type":null,"refund":null,"code":null,"message":"not read: cancelled before it was sent"}]}"#);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Plan {
    entries: Vec<PlanEntry>,
    duplicates_removed: usize,
}

impl Plan {
    pub(crate) fn new(entries: Vec<PlanEntry>, duplicates_removed: usize) -> Self {
        Plan {
            entries,
            duplicates_removed,
        }
    }

    /// One entry per distinct instance, in first-requested order.
    pub fn entries(&self) -> &[PlanEntry] {
        &self.entries
    }
    /// How many repeated IDs were folded into one entry.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }
    /// How many instances would come to `action`.
    pub fn count(&self, action: PlannedAction) -> usize {
        self.entries.iter().filter(|e| e.action == action).count()
    }
    /// The refunds of the instances that would be terminated, added up exactly;
    /// `None` if one of them is not known (or the sum does not fit).
    pub fn refund_total(&self) -> Option<Amount> {
        self.entries
            .iter()
            .filter(|e| e.action == PlannedAction::Terminate)
            .try_fold(Amount::ZERO, |sum, e| sum.checked_add(e.refund.as_ref()?))
    }

    /// `{"instances":[{"id","action","state","charge_type","refund","code","message"}]}`,
    /// keys in that order, refunds as exact JSON numbers.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Document<'a> {
            instances: Vec<JsonEntry<'a>>,
        }
        let document = Document {
            instances: self.entries.iter().map(JsonEntry::from).collect(),
        };
        serde_json::to_string(&document).unwrap_or_default()
    }
}

impl fmt::Display for Plan {
    /// A one-line summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} instance(s): {} to terminate, {} to skip, {} to fail",
            self.entries.len(),
            self.count(PlannedAction::Terminate),
            self.count(PlannedAction::Skip),
            self.count(PlannedAction::Fail)
        )?;
        match self.refund_total() {
            Some(total) => write!(f, ", refund {total}")?,
            None => f.write_str(", refund not known for all")?,
        }
        Ok(())
    }
}

/// With the `serde` feature: `terminate`, `skip` or `fail`.
#[cfg(feature = "serde")]
impl serde::Serialize for PlannedAction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// With the `serde` feature, one flat object:
/// `{"id","name","action","state","charge_type","refund","code","message"}`, the
/// refund as a decimal string (`"2644.44"`, exact; the API states no currency)
/// or `null`.
#[cfg(feature = "serde")]
impl serde::Serialize for PlanEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let name = self
            .instance
            .as_ref()
            .and_then(|i| i.instance_name.as_deref());
        let mut e = s.serialize_struct("PlanEntry", 8)?;
        e.serialize_field("id", &self.id)?;
        e.serialize_field("name", &name)?;
        e.serialize_field("action", &self.action)?;
        e.serialize_field("state", &self.state())?;
        e.serialize_field("charge_type", &self.charge_type())?;
        e.serialize_field("refund", &self.refund.map(|a| a.to_string()))?;
        e.serialize_field("code", &self.code)?;
        e.serialize_field("message", &self.message)?;
        e.end()
    }
}

/// With the `serde` feature: `{"summary":{"instances","terminate","skip","fail"},
/// "refund_total","duplicates_removed","instances":[...]}`, `refund_total` as
/// [`Plan::refund_total`] (a decimal string, or `null` when one is not known), each
/// instance as [`PlanEntry`] serializes. (`Plan::to_json` keeps its own, older shape.)
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{TerminateOptions, Termination};
/// let mut run = Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now()).unwrap();
/// run.cancel();
/// let json = serde_json::to_value(&run.into_plan()).unwrap();
/// assert_eq!(json["summary"]["fail"], 1);
/// assert_eq!(json["refund_total"], "0");
/// assert_eq!(json["instances"][0]["action"], "fail");
/// # }
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for Plan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(serde::Serialize)]
        struct Summary {
            instances: usize,
            terminate: usize,
            skip: usize,
            fail: usize,
        }
        let summary = Summary {
            instances: self.entries.len(),
            terminate: self.count(PlannedAction::Terminate),
            skip: self.count(PlannedAction::Skip),
            fail: self.count(PlannedAction::Fail),
        };
        let mut p = s.serialize_struct("Plan", 4)?;
        p.serialize_field("summary", &summary)?;
        p.serialize_field("refund_total", &self.refund_total().map(|a| a.to_string()))?;
        p.serialize_field("duplicates_removed", &self.duplicates_removed)?;
        p.serialize_field("instances", &self.entries)?;
        p.end()
    }
}

#[derive(serde::Serialize)]
struct JsonEntry<'a> {
    id: &'a str,
    action: &'static str,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
    refund: Option<&'a Amount>,
    code: Option<&'a str>,
    message: Option<&'a str>,
}

impl<'a> From<&'a PlanEntry> for JsonEntry<'a> {
    fn from(e: &'a PlanEntry) -> Self {
        JsonEntry {
            id: e.id.as_str(),
            action: e.action.as_str(),
            state: e.state().map(|s| s.as_str()),
            charge_type: e.charge_type().map(|c| c.as_str()),
            refund: e.refund.as_ref(),
            code: e.code.as_ref().map(|c| c.as_str()),
            message: e.message.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::termination::report::{OutcomeKind, Report};

    fn entry(id: &str, action: PlannedAction, json: Option<&str>) -> PlanEntry {
        PlanEntry {
            id: InstanceId::parse(id).unwrap(),
            action,
            instance: json.map(|j| serde_json::from_str(j).unwrap()),
            refund: None,
            code: (action == PlannedAction::Fail)
                .then_some(ErrorCode::UnsupportedOperationInstancesProtected),
            message: (action != PlannedAction::Terminate).then(|| format!("{action} {id}")),
        }
    }

    #[test]
    fn unsent_outcomes_say_what_a_run_says_with_the_state_read() {
        let skip = entry(
            "ins-00000001",
            PlannedAction::Skip,
            Some(r#"{"InstanceId":"ins-00000001","InstanceState":"SHUTDOWN","InstanceChargeType":"PREPAID"}"#),
        )
        .unsent_outcome();
        assert_eq!(skip.outcome.kind(), OutcomeKind::Skipped);
        assert_eq!(skip.outcome.message(), Some("skip ins-00000001"));
        assert_eq!(skip.state, Some(InstanceState::Shutdown));
        let fail = entry("ins-00000002", PlannedAction::Fail, None).unsent_outcome();
        assert_eq!(fail.outcome.kind(), OutcomeKind::Failed);
        assert_eq!(
            fail.outcome.code(),
            Some(&ErrorCode::UnsupportedOperationInstancesProtected)
        );
        assert_eq!(fail.state, None);
        let left_out = entry("ins-00000003", PlannedAction::Terminate, None).unsent_outcome();
        assert_eq!(left_out.outcome.kind(), OutcomeKind::NotSent);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serialized_with_summary_and_refunds_as_decimal_strings() {
        let mut ready = entry(
            "ins-00000001",
            PlannedAction::Terminate,
            Some(
                r#"{"InstanceId":"ins-00000001","InstanceName":"db","InstanceState":"RUNNING","InstanceChargeType":"PREPAID"}"#,
            ),
        );
        ready.refund = Some(Amount::parse("745.40").unwrap());
        let plan = Plan::new(
            vec![ready, entry("ins-00000002", PlannedAction::Fail, None)],
            0,
        );
        assert_eq!(
            serde_json::to_string(&plan).unwrap(),
            concat!(
                r#"{"summary":{"instances":2,"terminate":1,"skip":0,"fail":1},"refund_total":"745.4","#,
                r#""duplicates_removed":0,"instances":["#,
                r#"{"id":"ins-00000001","name":"db","action":"terminate","state":"RUNNING","charge_type":"PREPAID","#,
                r#""refund":"745.4","code":null,"message":null},"#,
                r#"{"id":"ins-00000002","name":null,"action":"fail","state":null,"charge_type":null,"refund":null,"#,
                r#""code":"UnsupportedOperation.InstancesProtected","message":"fail ins-00000002"}]}"#
            )
        );
    }

    #[test]
    fn a_report_completed_by_a_plan_follows_the_plan() {
        let plan = Plan::new(
            vec![
                entry("ins-00000001", PlannedAction::Skip, None),
                entry("ins-00000002", PlannedAction::Terminate, None),
                entry("ins-00000003", PlannedAction::Fail, None),
            ],
            1,
        );
        let sent = |id: &str| InstanceOutcome {
            id: InstanceId::parse(id).unwrap(),
            outcome: Outcome::terminated(format!("req-{id}")),
            state: None,
            instance: None,
        };
        let report = Report::new(vec![sent("ins-00000009"), sent("ins-00000002")], 0);
        let report = report.completed_by(&plan);
        let got: Vec<(&str, OutcomeKind)> = report
            .instances()
            .iter()
            .map(|i| (i.id.as_str(), i.outcome.kind()))
            .collect();
        assert_eq!(
            got,
            [
                ("ins-00000001", OutcomeKind::Skipped),
                ("ins-00000002", OutcomeKind::Terminated),
                ("ins-00000003", OutcomeKind::Failed),
                ("ins-00000009", OutcomeKind::Terminated),
            ]
        );
        assert_eq!(report.duplicates_removed(), 1);
    }
}
