//! `tccvm status`: read the instances (DescribeInstances) and show them.

use tencentcloud_cvm::{CancelToken, Event};

use crate::args::StatusArgs;
use crate::cli_error::CliError;
use crate::connection::Connection;
use crate::exit_status::ExitStatus;
use crate::instance_ids;
use crate::interrupts::Interrupts;
use crate::run_document::{CommandKind, RunInfo};
use crate::select;
use crate::selection_run;
use crate::status_output::StatusOutput;
use crate::stdout_thread::StdoutThread;
use crate::table::stdout_width;
use crate::whole_run;
use crate::Ui;

/// Runs the command: 0 when every instance was read, 1 when one does not exist
/// or could not be read; `Err` (exit 2) when nothing was sent, or nothing could
/// be read (the credentials refused, no answer).
pub fn run(args: &StatusArgs, ui: Ui) -> Result<ExitStatus, CliError> {
    if select::is_selection(&args.selection, args.all, &args.target) {
        return selection_run::status(args, ui);
    }
    let ids = instance_ids::gather(&args.ids, args.target.emulator)?;
    let (connection, ids) = Connection::open(&args.target, ids, ui)?;
    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    let stdout = StdoutThread::start()
        .map_err(|e| CliError::caused_by("cannot start writing standard output", &e))?;
    let mut output = StatusOutput::new(
        args.format(),
        stdout.writer(),
        connection.line_context(),
        stdout_width(),
    );
    let mut info = RunInfo::start(CommandKind::Status, &connection.region);
    let status = (|| {
        let plan = connection
            .client
            .status_with(&ids, &cancel, |event| {
                if let Event::Planned(entries) = event {
                    output.read(entries);
                }
            })
            .map_err(|e| CliError::caused_by("", &e))?;
        let interrupted = interrupts.happened();
        if !interrupted && let Some(refusal) = whole_run::of_plan(&plan) {
            let identity = connection.identity();
            return Err(refusal.error(
                plan.entries().len(),
                &connection.endpoint_text(),
                identity.as_ref().map(|i| i.masked_secret_id()),
            ));
        }
        info.finish(interrupted);
        info.count_instances(plan.entries().len());
        output.status(&plan, &info);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else {
            ExitStatus::of_status(&plan)
        })
    })();
    drop(output);
    stdout.exit_status(&interrupts, status)
}
