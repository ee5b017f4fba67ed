//! `tccvm terminate`: validate the IDs, connect, read, ask, terminate what was
//! confirmed, report every instance.

use std::io::Write;

use tencentcloud_cvm::{
    CancelToken, Event, InstanceOutcome, Plan, PlanEntry, PlannedAction, Report, TerminateOptions,
};

use crate::args::TerminateArgs;
use crate::cli_error::CliError;
use crate::confirmation::Terminal;
use crate::connection::Connection;
use crate::exit_status::ExitStatus;
use crate::instance_ids;
use crate::interrupts::Interrupts;
use crate::journal_files::Journals;
use crate::plan_output::PlanOutput;
use crate::plan_summary::{Header, PlanSummary};
use crate::progress::Progress;
use crate::report_output::ReportOutput;
use crate::run_document::{CommandKind, RunInfo};
use crate::select;
use crate::selection_run;
use crate::stdout_thread::{ChannelWriter, StdoutThread};
use crate::table::stdout_width;
use crate::traced_transport::log_lines;
use crate::whole_run;
use crate::Ui;

/// Runs the command; `Err` means nothing was sent, or nothing was done (exit 2).
pub fn run(args: &TerminateArgs, ui: Ui) -> Result<ExitStatus, CliError> {
    // A selection, several regions, or nothing at all (refused there: exit 2). The
    // embedded emulator's demo instances stand in for IDs only in a bare
    // `--emulator` run: one that names a region is a run an operator could
    // mean for real, and refuses without IDs or a filter just the same.
    let demo = args.target.emulator && args.target.region.is_none();
    if select::is_selection(&args.selection, args.all, &args.target)
        || (args.ids.is_empty() && !demo)
    {
        return selection_run::terminate(args, ui);
    }
    let ids = instance_ids::gather(&args.ids, demo)?;
    let (mut connection, ids) = Connection::open(&args.target, ids, ui)?;
    let options = options(args);
    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    // The journal, locked, before anything is read: a run that waited for another
    // reads what that one did, and its history.
    let journals = if args.dry_run {
        None
    } else {
        let region = connection.region.clone();
        let opened = Journals::open(
            &args.journal,
            connection.is_embedded(),
            &[&region],
            &cancel,
            ui,
        )?;
        let Some(journals) = opened else {
            let _ = writeln!(std::io::stderr(), "Nothing was terminated.");
            return Ok(ExitStatus::Interrupted);
        };
        connection.client = journals.client(0, &connection.client);
        Some(journals)
    };
    let stdout = StdoutThread::start()
        .map_err(|e| CliError::caused_by("cannot start writing standard output", &e))?;
    let run = Run {
        connection: &connection,
        options: &options,
        cancel: &cancel,
        interrupts: &interrupts,
        ui,
    };
    let (cx, width) = (connection.line_context(), stdout_width());
    let status = if args.dry_run {
        let info = RunInfo::start(CommandKind::DryRun, &connection.region);
        run.preview(
            &ids,
            info,
            PlanOutput::new(args.format(), stdout.writer(), cx, width),
        )
    } else {
        let info = RunInfo::start(CommandKind::Terminate, &connection.region);
        run.confirm_and_terminate(
            args,
            &ids,
            info,
            ReportOutput::new(args.format(), stdout.writer(), cx, width),
        )
    };
    if let Some(journals) = &journals {
        journals.report_failures();
    }
    stdout.exit_status(&interrupts, status)
}

pub fn options(args: &TerminateArgs) -> TerminateOptions {
    // Optional parameters set only when given, so the request says no more than
    // the command did.
    let mut options = TerminateOptions::new()
        .with_preflight(!args.no_preflight)
        .with_destroy_prepaid(args.destroy_prepaid);
    if args.release_prepaid_data_disks {
        options = options.with_release_prepaid_data_disks(true);
    }
    if args.release_address {
        options = options.with_release_address(true);
    }
    if let Some(timeout) = args.timeout {
        options = options.with_deadline(timeout);
    }
    if args.wait {
        options = options.with_wait(args.wait_timeout);
    }
    options
}

/// What the person said.
enum Answer {
    /// Go ahead; with the plan shown, when the instances were read first.
    Yes(Option<Plan>),
    No,
    /// Interrupted while reading: nothing was terminated.
    Interrupted,
}

/// What every step of one command shares.
struct Run<'a> {
    connection: &'a Connection,
    options: &'a TerminateOptions,
    cancel: &'a CancelToken,
    interrupts: &'a Interrupts,
    ui: Ui,
}

impl Run<'_> {
    /// A note on stderr, unless `--quiet`.
    fn note(&self, text: &str) {
        if !self.ui.quiet {
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    }

    /// `--dry-run`: reads and refunds, nothing terminated. Exit 0 when no
    /// instance would fail.
    fn preview(
        &self,
        ids: &[String],
        mut info: RunInfo,
        mut output: PlanOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        self.log_first_requests(ids)?;
        let plan = self.read(ids, |entries| output.planned(entries))?;
        let interrupted = self.interrupts.happened();
        if !interrupted {
            self.refused(whole_run::of_plan(&plan), plan.entries().len())?;
        }
        info.finish(interrupted);
        info.count_instances(plan.entries().len());
        output.plan(&plan, &info);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else {
            ExitStatus::of_plan(&plan)
        })
    }

    /// The one error of a whole-run refusal, if there is one.
    fn refused(
        &self,
        refusal: Option<whole_run::Refusal>,
        instances: usize,
    ) -> Result<(), CliError> {
        match refusal {
            None => Ok(()),
            Some(refusal) => {
                let identity = self.connection.identity();
                Err(refusal.error(
                    instances,
                    &self.connection.endpoint_text(),
                    identity.as_ref().map(|i| i.masked_secret_id()),
                ))
            }
        }
    }

    /// Asks first unless `--yes` (or the embedded emulator), then terminates.
    fn confirm_and_terminate(
        &self,
        args: &TerminateArgs,
        ids: &[String],
        info: RunInfo,
        output: ReportOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        let confirmed = if args.yes || self.connection.is_embedded() {
            None
        } else {
            match self.confirm(ids, args.no_preflight)? {
                Answer::Yes(plan) => plan,
                Answer::No => {
                    self.note("Nothing was terminated.");
                    return Ok(ExitStatus::Incomplete);
                }
                Answer::Interrupted => {
                    self.note("Nothing was terminated.");
                    return Ok(ExitStatus::Interrupted);
                }
            }
        };
        self.terminate(ids, confirmed.as_ref(), info, output)
    }

    /// Reads `ids` (a preview, nothing terminated) behind a progress bar,
    /// handing each batch of entries to `on_entries` as it becomes final.
    fn read(
        &self,
        ids: &[String],
        mut on_entries: impl FnMut(&[PlanEntry]),
    ) -> Result<Plan, CliError> {
        let progress = Progress::new(ids.len(), "reading", self.ui.show_progress);
        let plan = self
            .connection
            .client
            .preview_with(ids, self.options, self.cancel, |event| {
                log::trace!("{event:?}");
                if let Event::Pace(pace) = event {
                    progress.pace(pace);
                }
                if let Event::Planned(entries) = event {
                    progress.advance(entries.len());
                    on_entries(entries);
                }
            });
        progress.finish();
        plan.map_err(|e| CliError::caused_by("", &e))
    }

    /// Shows what is about to happen on the terminal and asks. Without a
    /// terminal, refuses: nothing is read or sent. With the preflight, the
    /// instances are read first (a preview) and the summary says what was
    /// found; without it, the credentials are still found first, so that a yes
    /// is never followed by "no credentials".
    fn confirm(&self, ids: &[String], no_preflight: bool) -> Result<Answer, CliError> {
        let mut terminal = Terminal::open().map_err(|_| {
            CliError::new(
                "refusing to terminate without asking, and there is no terminal to ask on; \
                 nothing was sent (pass --yes to terminate without a question)",
            )
        })?;
        let (summary, plan) = if no_preflight {
            self.first_requests(ids)?;
            (PlanSummary::unread(self.header(false), ids), None)
        } else {
            let plan = self.read(ids, |_| {})?;
            if self.interrupts.happened() {
                return Ok(Answer::Interrupted);
            }
            self.refused(whole_run::of_plan(&plan), plan.entries().len())?;
            (PlanSummary::from_plan(self.header(true), &plan), Some(plan))
        };
        let summary = summary.fitted_to(terminal.width());
        if summary.to_terminate() == 0 {
            let shown = writeln!(terminal.output(), "{summary}Nothing to terminate.");
            shown.map_err(|e| CliError::caused_by("cannot write on the terminal", &e))?;
            return Ok(Answer::Yes(plan));
        }
        let yes = self
            .interrupts
            .exiting_at_once(|| terminal.ask(&summary))
            .map_err(|e| CliError::caused_by("cannot ask on the terminal", &e))?;
        Ok(if yes { Answer::Yes(plan) } else { Answer::No })
    }

    /// Where, as whom and in which currency, for the question. Who is asked of
    /// STS when `look_up` (with nothing terminated yet: an interrupt meanwhile
    /// ends the run at once); `--no-preflight` sends nothing before
    /// TerminateInstances, so it shows the masked SecretId only.
    fn header(&self, look_up: bool) -> Header {
        let identity = if look_up {
            self.interrupts
                .exiting_at_once(|| self.connection.looked_up_identity())
        } else {
            self.connection.identity()
        };
        Header {
            region: self.connection.region.clone(),
            endpoint: self.connection.endpoint.clone(),
            endpoints: Vec::new(),
            identity,
            currency: self.connection.line_context().currency,
        }
    }

    /// Terminates `ids`, or only those `confirmed` says to terminate, and prints
    /// the report of every instance (those left out as the plan said: skipped
    /// or failed, never sent).
    fn terminate(
        &self,
        ids: &[String],
        confirmed: Option<&Plan>,
        mut info: RunInfo,
        mut output: ReportOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        let to_send: Vec<String> = match confirmed {
            None => ids.to_vec(),
            Some(plan) => {
                // What a person did not say yes to is not sent, whatever a new
                // read might find; its outcome is already known. What the journal
                // says an earlier run terminated goes to the run too, which reports
                // it with that run's RequestId and sends nothing for it (the read
                // behind the question found it gone, or in the recycle bin).
                let history = self.connection.client.journal().map(|j| j.history());
                let journaled = |e: &PlanEntry| {
                    let prior = history.as_ref().and_then(|h| h.prior(&e.id));
                    prior.is_some_and(|p| p.terminated())
                };
                let (send, keep): (Vec<_>, Vec<_>) = plan
                    .entries()
                    .iter()
                    .partition(|e| e.action == PlannedAction::Terminate || journaled(e));
                let known: Vec<InstanceOutcome> = keep.iter().map(|e| e.unsent_outcome()).collect();
                output.outcomes(&known);
                send.iter().map(|e| e.id.to_string()).collect()
            }
        };
        let report = if to_send.is_empty() {
            Report::default()
        } else {
            let progress = Progress::new(to_send.len(), "terminating", self.ui.show_progress);
            let result = self.connection.client.terminate_with(
                &to_send,
                self.options,
                self.cancel,
                |event| output.show(&progress, event),
            );
            progress.finish();
            result.map_err(|e| CliError::caused_by("", &e))?
        };
        let report = match confirmed {
            Some(plan) => report.completed_by(plan),
            None => report,
        };
        let interrupted = self.interrupts.happened();
        if !interrupted {
            self.refused(whole_run::of_report(&report), report.instances().len())?;
        }
        info.finish(interrupted);
        info.count_instances(report.instances().len());
        output.report(&report, &info);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else {
            ExitStatus::of(&report)
        })
    }

    /// At DEBUG, the TerminateInstances requests a run without reads would send
    /// first, signed, the session token redacted (with the reads, the batches
    /// depend on what they find; each request sent is logged as it leaves).
    fn log_first_requests(&self, ids: &[String]) -> Result<(), CliError> {
        if log::log_enabled!(log::Level::Debug) {
            self.first_requests(ids)?;
        }
        Ok(())
    }

    /// Signs the first TerminateInstances requests of a run without reads (which
    /// needs the credentials) and, when DEBUG is on, logs each.
    fn first_requests(&self, ids: &[String]) -> Result<(), CliError> {
        let blind = self.options.clone().with_preflight(false);
        let requests = self
            .connection
            .client
            .signed_requests(ids, &blind)
            .map_err(|e| CliError::caused_by("", &e))?;
        if !log::log_enabled!(log::Level::Debug) {
            // Signed all the same: that is what finds the credentials early.
            return Ok(());
        }
        for request in &requests {
            log_lines("TerminateInstances without reads would send", request);
        }
        Ok(())
    }
}
