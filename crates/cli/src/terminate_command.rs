//! `tccvm terminate`: validate the IDs, connect, ask, terminate, report.

use std::io::Write;

use tencentcloud_cvm::{BatchPlan, CancelToken, Event, TerminateOptions};

use crate::args::TerminateArgs;
use crate::cli_error::CliError;
use crate::confirmation::Terminal;
use crate::connection::Connection;
use crate::exit_status::ExitStatus;
use crate::instance_ids;
use crate::interrupts::Interrupts;
use crate::plan_summary::PlanSummary;
use crate::progress::Progress;
use crate::report_output::ReportOutput;
use crate::signed_request_dump::write_request;

/// Runs the command; `Err` means nothing was sent (exit 2).
pub fn run(args: &TerminateArgs, show_progress: bool) -> Result<ExitStatus, CliError> {
    let given = instance_ids::collect(&args.ids, instance_ids::stdin())?;
    // Every ID is checked before anything starts or is sent.
    let plan = BatchPlan::new(&given).map_err(|e| CliError::caused_by("", &e))?;
    if plan.duplicates_removed() > 0 {
        log::info!("{} repeated ID(s) ignored", plan.duplicates_removed());
    }
    let ids: Vec<String> = plan.instances().iter().map(|i| i.to_string()).collect();
    if ids.is_empty() && !args.target.emulator {
        return Err(CliError::new(
            "no instance IDs given (pass them as arguments, or `-` to read them from standard input)",
        ));
    }
    let (connection, ids) = Connection::open(&args.target, ids)?;
    // Set only when given, so the request says no more than the command did.
    let mut options = TerminateOptions::new();
    if args.release_prepaid_data_disks {
        options = options.release_prepaid_data_disks(true);
    }
    if args.release_address {
        options = options.release_address(true);
    }
    if let Some(timeout) = args.timeout {
        options = options.deadline(timeout);
    }

    if args.dry_run {
        let requests = first_requests(&connection, &ids, &options)?;
        let mut stdout = std::io::stdout().lock();
        for (i, request) in requests.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(stdout);
            }
            let _ = write_request(&mut stdout, request);
        }
        return Ok(ExitStatus::Done);
    }

    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    if !args.yes && !connection.is_embedded() && !confirm(&connection, &ids, &options, &interrupts)?
    {
        let _ = writeln!(std::io::stderr(), "Nothing was terminated.");
        return Ok(ExitStatus::Incomplete);
    }

    let mut output = ReportOutput::new(args.format(), std::io::stdout());
    let progress = Progress::new(ids.len(), "terminating", show_progress);
    let result = connection
        .client
        .terminate_with(&ids, &options, &cancel, |event| {
            log::trace!("{event:?}");
            if let Event::Outcomes(outcomes) = event {
                progress.advance(outcomes.len());
                output.outcomes(outcomes);
            }
        });
    progress.finish();
    let report = result.map_err(|e| CliError::caused_by("", &e))?;
    output.report(&report);
    Ok(if interrupts.happened() {
        ExitStatus::Interrupted
    } else {
        ExitStatus::of(&report)
    })
}

/// Shows what is about to happen on the terminal and asks. Without a terminal,
/// refuses (nothing is sent). The credentials are found first, so that a yes is
/// never followed by "no credentials".
fn confirm(
    connection: &Connection,
    ids: &[String],
    options: &TerminateOptions,
    interrupts: &Interrupts,
) -> Result<bool, CliError> {
    let mut terminal = Terminal::open().map_err(|_| {
        CliError::new(
            "refusing to terminate without asking, and there is no terminal to ask on; nothing \
             was sent (pass --yes to terminate without a question)",
        )
    })?;
    first_requests(connection, ids, options)?;
    let summary = PlanSummary::unread(&connection.region, connection.endpoint.as_deref(), ids);
    interrupts
        .exiting_at_once(|| terminal.ask(&summary))
        .map_err(|e| CliError::caused_by("cannot ask on the terminal", &e))
}

/// The first requests a terminate would send, signed (the credentials found),
/// each logged at DEBUG with the session token redacted.
fn first_requests(
    connection: &Connection,
    ids: &[String],
    options: &TerminateOptions,
) -> Result<Vec<http::Request<Vec<u8>>>, CliError> {
    let requests = connection
        .client
        .signed_requests(ids, options)
        .map_err(|e| CliError::caused_by("", &e))?;
    if log::log_enabled!(log::Level::Debug) {
        for request in &requests {
            let mut text = Vec::new();
            let _ = write_request(&mut text, request);
            log::debug!("would send:\n{}", String::from_utf8_lossy(&text).trim_end());
        }
    }
    Ok(requests)
}
