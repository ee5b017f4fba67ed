//! The exit status: what a script can tell from `tccvm`'s end.

use std::io::Write;
use std::process::ExitCode;

use tencentcloud_cvm::{Plan, PlannedAction, Report};

/// 0, 1, 2, 3 or 130.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: every instance terminated, or skipped (a prepaid instance already in the
    /// recycle bin, where a terminate puts it: so a re-run of the same command is done).
    Done,
    /// 1: an instance failed, is unknown or was not sent, or the question was answered no.
    Incomplete,
    /// 2: a usage or validation error, or the whole run refused (credentials,
    /// endpoint); nothing was sent, or nothing was done.
    Refused,
    /// 3: the report could not be written on standard output (a closed pipe, a
    /// full disk): what was done is not on record there.
    OutputFailed,
    /// 130 (128 + SIGINT): interrupted (SIGINT, SIGTERM or SIGHUP); the report
    /// printed is what was done.
    Interrupted,
}

impl ExitStatus {
    /// Done when every instance ended terminated or skipped; else incomplete.
    pub fn of(report: &Report) -> ExitStatus {
        Self::done_if(report.all_done())
    }

    /// For a dry run: done when no instance would fail.
    pub fn of_plan(plan: &Plan) -> ExitStatus {
        Self::done_if(plan.count(PlannedAction::Fail) == 0)
    }

    /// For a dry run over several regions: done when no entry would fail.
    pub fn of_plan_entries(entries: &[tencentcloud_cvm::PlanEntry]) -> ExitStatus {
        Self::done_if(entries.iter().all(|e| e.action != PlannedAction::Fail))
    }

    /// For a status read: done when every instance was read.
    pub fn of_status(plan: &Plan) -> ExitStatus {
        Self::done_if(plan.entries().iter().all(|e| e.instance.is_some()))
    }

    fn done_if(done: bool) -> ExitStatus {
        if done {
            ExitStatus::Done
        } else {
            ExitStatus::Incomplete
        }
    }

    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Done => 0,
            ExitStatus::Incomplete => 1,
            ExitStatus::Refused => 2,
            ExitStatus::OutputFailed => 3,
            ExitStatus::Interrupted => 130,
        }
    }
}

/// Writes `bytes` on standard output: done, or [`ExitStatus::OutputFailed`] with a
/// message on stderr when they cannot be written (a closed pipe, a full disk).
pub fn print_all(bytes: &[u8]) -> ExitStatus {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitStatus::Done,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write on standard output: {e}"
            );
            ExitStatus::OutputFailed
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    #[test]
    fn codes() {
        let codes = [
            ExitStatus::Done,
            ExitStatus::Incomplete,
            ExitStatus::Refused,
            ExitStatus::OutputFailed,
            ExitStatus::Interrupted,
        ]
        .map(ExitStatus::code);
        assert_eq!(codes, [0, 1, 2, 3, 130]);
    }

    #[test]
    fn anything_not_terminated_is_incomplete() {
        let mut run =
            Termination::new(["ins-00000001"], &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        assert_eq!(ExitStatus::of(&run.into_report()), ExitStatus::Incomplete);
        assert_eq!(ExitStatus::of(&Report::default()), ExitStatus::Done);
    }

    #[test]
    fn a_plan_that_cannot_be_read_is_incomplete() {
        let mut preview =
            Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())
                .unwrap();
        preview.cancel();
        let plan = preview.into_plan();
        assert_eq!(ExitStatus::of_plan(&plan), ExitStatus::Incomplete);
        assert_eq!(ExitStatus::of_status(&plan), ExitStatus::Incomplete);
        assert_eq!(ExitStatus::of_plan(&Plan::default()), ExitStatus::Done);
    }
}
