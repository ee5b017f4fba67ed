//! The report: exactly one outcome per requested instance.

use std::fmt;

use crate::batch::BatchPlan;
use crate::error_code::ErrorCode;
use crate::instance_id::InstanceId;

/// What happened to one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The service accepted the request (pay-as-you-go: terminating; prepaid:
    /// moved to the recycle bin, or destroyed if it already was there).
    Terminated {
        /// The RequestId.
        request_id: String,
    },
    /// The service certainly did not act: it refused the request, or the
    /// request was never sent.
    Failed {
        /// The service's code; `None` when the request never reached it.
        code: Option<ErrorCode>,
        /// What went wrong.
        message: String,
        /// The RequestId, when the service answered.
        request_id: Option<String>,
    },
    /// The request may have been processed (timeout after sending, internal
    /// error, unparseable answer). Check the instance before trying again.
    Unknown {
        /// The service's code, when it sent one.
        code: Option<ErrorCode>,
        /// What is known.
        message: String,
        /// The RequestId, when the service answered.
        request_id: Option<String>,
    },
}

impl Outcome {
    /// `terminated`, `failed` or `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Terminated { .. } => "terminated",
            Outcome::Failed { .. } => "failed",
            Outcome::Unknown { .. } => "unknown",
        }
    }
    /// The error code, if any.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Outcome::Terminated { .. } => None,
            Outcome::Failed { code, .. } | Outcome::Unknown { code, .. } => code.as_ref(),
        }
    }
    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Terminated { .. } => None,
            Outcome::Failed { message, .. } | Outcome::Unknown { message, .. } => Some(message),
        }
    }
    /// The RequestId, if the service answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Outcome::Terminated { request_id } => Some(request_id),
            Outcome::Failed { request_id, .. } | Outcome::Unknown { request_id, .. } => {
                request_id.as_deref()
            }
        }
    }
}

/// One instance and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceOutcome {
    /// The instance.
    pub id: InstanceId,
    /// What happened to it.
    pub outcome: Outcome,
}

/// The result of terminating a list of instances.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Report {
    instances: Vec<InstanceOutcome>,
    duplicates_removed: usize,
}

impl Report {
    /// Pairs each batch of `plan` with its outcome. A batch without an outcome
    /// (there should be none) is reported as failed-not-sent, so no instance is
    /// ever missing.
    pub fn assemble(plan: &BatchPlan, batch_outcomes: Vec<Outcome>) -> Report {
        let mut outcomes = batch_outcomes.into_iter();
        let mut instances = Vec::with_capacity(plan.instances().len());
        for batch in plan.batches() {
            let outcome = outcomes.next().unwrap_or_else(|| Outcome::Failed {
                code: None,
                message: "not sent".into(),
                request_id: None,
            });
            instances.extend(batch.iter().map(|id| InstanceOutcome {
                id: id.clone(),
                outcome: outcome.clone(),
            }));
        }
        Report {
            instances,
            duplicates_removed: plan.duplicates_removed(),
        }
    }

    /// One entry per distinct requested instance, in first-requested order.
    pub fn instances(&self) -> &[InstanceOutcome] {
        &self.instances
    }
    /// How many repeated IDs were folded into one entry.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }
    fn count(&self, kind: &str) -> usize {
        self.instances
            .iter()
            .filter(|i| i.outcome.kind() == kind)
            .count()
    }
    /// Instances terminated.
    pub fn terminated(&self) -> usize {
        self.count("terminated")
    }
    /// Instances that failed.
    pub fn failed(&self) -> usize {
        self.count("failed")
    }
    /// Instances whose outcome is unknown.
    pub fn unknown(&self) -> usize {
        self.count("unknown")
    }
    /// Whether every instance was terminated.
    pub fn all_terminated(&self) -> bool {
        self.terminated() == self.instances.len()
    }

    /// `{"instances":[{"id","outcome","code","message","request_id"}]}`, keys in that order.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Entry<'a> {
            id: &'a str,
            outcome: &'static str,
            code: Option<&'a str>,
            message: Option<&'a str>,
            request_id: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct Document<'a> {
            instances: Vec<Entry<'a>>,
        }
        let document = Document {
            instances: self
                .instances
                .iter()
                .map(|i| Entry {
                    id: i.id.as_str(),
                    outcome: i.outcome.kind(),
                    code: i.outcome.code().map(|c| c.as_str()),
                    message: i.outcome.message(),
                    request_id: i.outcome.request_id(),
                })
                .collect(),
        };
        // Plain strings and options cannot fail to serialize.
        serde_json::to_string(&document).unwrap_or_default()
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
        if self.duplicates_removed > 0 {
            write!(f, " ({} duplicate ID(s) ignored)", self.duplicates_removed)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_and_key_order() {
        let plan = BatchPlan::new(["ins-00000001", "ins-00000002"]).unwrap();
        let report = Report::assemble(
            &plan,
            vec![Outcome::Failed {
                code: Some(ErrorCode::InvalidInstanceIdNotFound),
                message: "gone".into(),
                request_id: Some("r-1".into()),
            }],
        );
        assert_eq!(
            report.to_json(),
            r#"{"instances":[{"id":"ins-00000001","outcome":"failed","code":"InvalidInstanceId.NotFound","message":"gone","request_id":"r-1"},{"id":"ins-00000002","outcome":"failed","code":"InvalidInstanceId.NotFound","message":"gone","request_id":"r-1"}]}"#
        );
        let empty = Report::assemble(&BatchPlan::new(Vec::<String>::new()).unwrap(), vec![]);
        assert_eq!(empty.to_json(), r#"{"instances":[]}"#);
        assert_eq!(
            empty.to_string(),
            "0 instance(s): 0 terminated, 0 failed, 0 unknown"
        );
    }
}
