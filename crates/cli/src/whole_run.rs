//! A whole-run refusal: every instance failed the same way before anything
//! could act on it (the credentials refused, or no answer at all from the
//! endpoint). That is one error, exit 2, not a row per instance.
//!
//! Judged from the results alone: an instance is a *suspect* when it failed,
//! was never read, and either the service refused the credentials
//! (`AuthFailure.*`) or nothing answered at all (no code, no RequestId). The run
//! is refused as a whole when every instance is a suspect. One instance read,
//! answered, terminated, skipped, unknown or not sent is enough to report every
//! instance instead.

use tencentcloud_cvm::model::ErrorCode;
use tencentcloud_cvm::{InstanceOutcome, OutcomeKind, Plan, PlanEntry, PlannedAction, Report};

use crate::cli_error::CliError;

/// Why nothing could be done for any instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The service answered `AuthFailure.*`.
    Credentials {
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// Nothing answered (connection refused, name not found, TLS, timeouts).
    NoAnswer { message: String },
}

/// What one instance's result says, for the judgement.
struct Evidence<'a> {
    failed_unread: bool,
    code: Option<&'a ErrorCode>,
    message: Option<&'a str>,
    request_id: Option<&'a str>,
}

impl Evidence<'_> {
    fn suspect(&self) -> bool {
        self.failed_unread
            && (self.code.is_some_and(is_credentials_refusal)
                || (self.code.is_none() && self.request_id.is_none()))
    }
}

fn is_credentials_refusal(code: &ErrorCode) -> bool {
    let code = code.as_str();
    code == "AuthFailure" || code.starts_with("AuthFailure.")
}

fn of_outcome(o: &InstanceOutcome) -> Evidence<'_> {
    Evidence {
        failed_unread: o.outcome.kind() == OutcomeKind::Failed
            && o.instance.is_none()
            && o.state.is_none(),
        code: o.outcome.code(),
        message: o.outcome.message(),
        request_id: o.outcome.request_id(),
    }
}

fn of_entry(e: &PlanEntry) -> Evidence<'_> {
    Evidence {
        failed_unread: e.action == PlannedAction::Fail && e.instance.is_none(),
        code: e.code.as_ref(),
        message: e.message.as_deref(),
        request_id: None,
    }
}

/// Whether this outcome could be part of a whole-run refusal (so a streamed
/// line for it waits until the run shows it is not).
pub fn suspect_outcome(o: &InstanceOutcome) -> bool {
    of_outcome(o).suspect()
}

/// [`suspect_outcome`] for a preview's or a status read's entry.
pub fn suspect_entry(e: &PlanEntry) -> bool {
    of_entry(e).suspect()
}

/// The refusal, when every instance of the report is a suspect.
pub fn of_report(report: &Report) -> Option<Refusal> {
    judge(report.instances().iter().map(of_outcome))
}

/// The refusal, when every instance of the plan is a suspect.
pub fn of_plan(plan: &Plan) -> Option<Refusal> {
    of_entries(plan.entries())
}

/// The refusal, when every one of these outcomes (of several regions) is a suspect.
pub fn of_outcomes(outcomes: &[InstanceOutcome]) -> Option<Refusal> {
    judge(outcomes.iter().map(of_outcome))
}

/// The refusal, when every one of these entries (of several regions) is a suspect.
pub fn of_entries(entries: &[PlanEntry]) -> Option<Refusal> {
    judge(entries.iter().map(of_entry))
}

fn judge<'a>(evidence: impl Iterator<Item = Evidence<'a>>) -> Option<Refusal> {
    let mut first_refusal = None;
    let mut first_silence = None;
    let mut any = false;
    for e in evidence {
        any = true;
        if !e.suspect() {
            return None;
        }
        if let Some(code) = e.code {
            first_refusal.get_or_insert_with(|| Refusal::Credentials {
                code: code.as_str().to_owned(),
                message: e.message.unwrap_or_default().to_owned(),
                request_id: e.request_id.map(str::to_owned),
            });
        } else {
            first_silence.get_or_insert_with(|| Refusal::NoAnswer {
                message: e.message.unwrap_or_default().to_owned(),
            });
        }
    }
    if !any {
        return None;
    }
    first_refusal.or(first_silence)
}

impl Refusal {
    /// The one error line: what happened, for how many instances, and where.
    pub fn error(&self, instances: usize, endpoint: &str, secret_id: Option<&str>) -> CliError {
        match self {
            Refusal::Credentials {
                code,
                message,
                request_id,
            } => {
                let mut text = format!(
                    "the service refused the credentials for all {instances} instance(s), \
                     nothing was done: {code}: {message}"
                );
                if let Some(id) = request_id {
                    text.push_str(&format!(" (RequestId {id})"));
                }
                if let Some(secret_id) = secret_id {
                    text.push_str(&format!("; the SecretId used was {secret_id}"));
                }
                CliError::new(text)
            }
            Refusal::NoAnswer { message } => CliError::new(format!(
                "no answer from {endpoint} for any of {instances} instance(s), nothing was done: \
                 {message}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    #[test]
    fn a_run_stopped_before_it_sent_is_not_a_refusal() {
        let mut run =
            Termination::new(["ins-00000001"], &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        let report = run.into_report();
        assert!(
            !suspect_outcome(&report.instances()[0]),
            "not sent is not failed"
        );
        assert_eq!(of_report(&report), None);
        assert_eq!(of_report(&Report::default()), None);
    }

    #[test]
    fn a_preview_that_read_nothing_is_a_refusal_without_an_answer() {
        let mut run = Termination::preview(
            ["ins-00000001", "ins-00000002"],
            &TerminateOptions::new(),
            Instant::now(),
        )
        .unwrap();
        run.cancel();
        let plan = run.into_plan();
        assert!(plan.entries().iter().all(suspect_entry));
        let refusal = of_plan(&plan).unwrap();
        assert!(
            matches!(&refusal, Refusal::NoAnswer { message } if message.starts_with("not read"))
        );
        let line = refusal.error(2, "https://x", None).to_string();
        assert!(
            line.starts_with("no answer from https://x for any of 2 instance(s)"),
            "{line}"
        );
    }
}
