//! `tccvm terminate` and `tccvm status` on a selection (filters, conditions,
//! exclusions, `--all`, several regions): the selection is read in every region,
//! and that read is the preflight read of each region's run.
//!
//! ```text
//!   refuse an unbounded selection (exit 2, nothing sent)
//!   read the selection in each region ─► place each instance (RegionReads)
//!     --dry-run:  preview each region's instances from its read
//!     --yes:      terminate each region's instances from its read
//!     otherwise:  preview, show the counts per region and the first rows, ask;
//!                 then terminate in each region what was said yes to (read
//!                 again by ID first, as any run by IDs)
//!   one report: every instance with its region
//! ```

use std::io::Write;
use std::time::Instant;

use tencentcloud_cvm::selection::{Regions, Selection};
use tencentcloud_cvm::{
    CancelToken, Event, InstanceOutcome, Plan, PlanEntry, PlannedAction, Report, TerminateOptions,
};

use crate::args::{JournalArgs, StatusArgs, TerminateArgs};
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
use crate::region_targets;
use crate::report_output::ReportOutput;
use crate::run_document::{CommandKind, PlanCounts, ReportSummary, RunInfo, StatusCounts};
use crate::select::{self, Selected};
use crate::status_output::StatusOutput;
use crate::stdout_thread::{ChannelWriter, StdoutThread};
use crate::table::stdout_width;
use crate::terminate_command::options;
use crate::whole_run;
use crate::Ui;

/// Which regions, in words, for messages before any is known.
fn regions_text(args_region: Option<&str>, all_regions: bool) -> String {
    match (args_region, all_regions) {
        (_, true) => "every region".to_owned(),
        (Some(r), _) => r.to_owned(),
        (None, false) => "the region".to_owned(),
    }
}

/// A note on stderr, unless `--quiet`.
fn note(ui: Ui, text: &str) {
    if !ui.quiet {
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

/// `tccvm terminate` on a selection.
pub fn terminate(args: &TerminateArgs, ui: Ui) -> Result<ExitStatus, CliError> {
    let ids = instance_ids::gather_any(&args.ids)?;
    let selection = select::selection(&ids, &args.selection, args.all)?;
    if selection.is_unbounded() && !selection.is_all() {
        return Err(select::unbounded(&regions_text(
            args.target.region.as_deref(),
            args.target.all_regions,
        )));
    }
    let (connection, _) = Connection::open_for(&args.target, ids, true, ui)?;
    let ask = !(args.yes || connection.is_embedded() || args.dry_run);
    // Without a terminal to ask on, nothing is read or sent.
    let terminal = match ask {
        true => Some(Terminal::open().map_err(|_| {
            CliError::new(
                "refusing to terminate without asking, and there is no terminal to ask on; \
                 nothing was sent (pass --yes to terminate without a question)",
            )
        })?),
        false => None,
    };
    let started = Instant::now();
    let options = options(args);
    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    let stdout = StdoutThread::start()
        .map_err(|e| CliError::caused_by("cannot start writing standard output", &e))?;
    let run = SelectionRun {
        connection: &connection,
        options: &options,
        cancel: &cancel,
        interrupts: &interrupts,
        ui,
        started,
        journal: (!args.dry_run).then_some(&args.journal),
        journals: std::cell::RefCell::new(None),
    };
    let status = (|| {
        let (regions, selected) = run.read(
            args.target.region.as_deref(),
            args.target.all_regions,
            &selection,
        )?;
        let Some(selected) = selected else {
            note(ui, "Nothing was terminated.");
            return Ok(ExitStatus::Interrupted);
        };
        let kind = if args.dry_run {
            CommandKind::DryRun
        } else {
            CommandKind::Terminate
        };
        let info = RunInfo::start(kind, &connection.region).with_regions(selected.region_lines());
        let (cx, width) = (connection.line_context(), stdout_width());
        if args.dry_run {
            let output = PlanOutput::new(args.format(), stdout.writer(), cx, width);
            return run.preview(&regions, selected, info, output);
        }
        let output = ReportOutput::new(args.format(), stdout.writer(), cx, width);
        match terminal {
            Some(terminal) => run.confirm_and_terminate(&regions, selected, terminal, info, output),
            None => run.terminate(&regions, selected, info, output),
        }
    })();
    if let Some(journals) = run.journals.borrow().as_ref() {
        journals.report_failures();
    }
    stdout.exit_status(&interrupts, status)
}

/// `tccvm status` on a selection: each instance as its region's read shows it.
pub fn status(args: &StatusArgs, ui: Ui) -> Result<ExitStatus, CliError> {
    let ids = instance_ids::gather_any(&args.ids)?;
    let selection = select::selection(&ids, &args.selection, args.all)?;
    if selection.is_unbounded() && !selection.is_all() {
        return Err(CliError::new(
            "no instance IDs and no filter were given; nothing was read (give IDs, --filter or \
             --tag, or --all to read every instance; `tccvm list` lists them)",
        ));
    }
    let (connection, _) = Connection::open_for(&args.target, ids, true, ui)?;
    let options = TerminateOptions::new();
    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    let stdout = StdoutThread::start()
        .map_err(|e| CliError::caused_by("cannot start writing standard output", &e))?;
    let run = SelectionRun {
        connection: &connection,
        options: &options,
        cancel: &cancel,
        interrupts: &interrupts,
        ui,
        started: Instant::now(),
        journal: None,
        journals: std::cell::RefCell::new(None),
    };
    let status = (|| {
        let (regions, selected) = run.read(
            args.target.region.as_deref(),
            args.target.all_regions,
            &selection,
        )?;
        let Some(selected) = selected else {
            return Ok(ExitStatus::Interrupted);
        };
        let mut info = RunInfo::start(CommandKind::Status, &connection.region)
            .with_regions(selected.region_lines());
        let mut output = StatusOutput::new(
            args.format(),
            stdout.writer(),
            connection.line_context(),
            stdout_width(),
        );
        place(&mut output, &regions, &selected);
        let failed_regions = selected.failed_regions();
        let mut plans: Vec<(Option<String>, Plan)> = Vec::new();
        for r in selected.reads {
            if let (Ok(read), Some(client)) = (r.read, regions.client(&r.region)) {
                plans.push((Some(r.region), client.status_read(read)));
            }
        }
        if !selected.unplaced.is_empty()
            && let Some(client) = regions.clients().first()
        {
            plans.push((None, client.status_read(selected.unplaced)));
        }
        let entries: Vec<PlanEntry> = plans
            .iter()
            .flat_map(|(_, p)| p.entries().to_vec())
            .collect();
        run.refused_entries(&entries)?;
        output.read(&entries);
        info.finish(false);
        output.statuses_at_end(
            &info,
            StatusCounts::of_all(plans.iter().map(|(_, p)| p)),
            &entries,
        );
        let read_all = plans
            .iter()
            .all(|(_, p)| ExitStatus::of_status(p) == ExitStatus::Done);
        Ok(if failed_regions == 0 && read_all {
            ExitStatus::Done
        } else {
            ExitStatus::Incomplete
        })
    })();
    stdout.exit_status(&interrupts, status)
}

/// Places every instance of `selected` in its region for `output` (and says
/// whether the run covers several).
fn place<W: Write, E: crate::output::Entries>(
    output: &mut crate::output::Output<W, E>,
    regions: &Regions,
    selected: &Selected,
) {
    if regions.clients().len() > 1 {
        output.several_regions();
    }
    for (region, id) in selected.placed() {
        output.place(region, [id]);
    }
}

/// What every step of one run shares.
struct SelectionRun<'a> {
    connection: &'a Connection,
    options: &'a TerminateOptions,
    cancel: &'a CancelToken,
    interrupts: &'a Interrupts,
    ui: Ui,
    started: Instant,
    /// Where a terminate keeps its journals (`None`: no journal, as for a dry run or
    /// a status read), and, once opened, the journals.
    journal: Option<&'a JournalArgs>,
    journals: std::cell::RefCell<Option<Journals>>,
}

impl SelectionRun<'_> {
    /// The regions, and the selection read in each (`None` when an interrupt came
    /// first). A run no region of which could be read is one error.
    fn read(
        &self,
        region: Option<&str>,
        all_regions: bool,
        selection: &Selection,
    ) -> Result<(Regions, Option<Selected>), CliError> {
        let regions = region_targets::regions(
            self.connection,
            region,
            all_regions,
            self.connection.endpoints(),
            self.cancel,
        )?;
        // Each region's journal, locked, before its selection is read.
        let regions = match self.journal {
            None => regions,
            Some(args) => {
                let names: Vec<&str> = regions
                    .clients()
                    .iter()
                    .map(|c| c.config().region())
                    .collect();
                let embedded = self.connection.is_embedded();
                let Some(journals) = Journals::open(args, embedded, &names, self.cancel, self.ui)?
                else {
                    return Ok((regions, None));
                };
                let clients: Vec<_> = (regions.clients().iter().enumerate())
                    .map(|(i, c)| journals.client(i, c))
                    .collect();
                *self.journals.borrow_mut() = Some(journals);
                Regions::new(clients)
            }
        };
        let deadline = self.options.deadline().map(|d| self.started + d);
        let selected = select::read(&regions, selection, deadline, self.cancel, self.ui)?;
        if self.interrupts.happened() {
            return Ok((regions, None));
        }
        if let Some(e) = selected.nothing_read() {
            return Err(e);
        }
        Ok((regions, Some(selected)))
    }

    /// The options for the runs after the read: the deadline is what is left of it.
    fn remaining(&self) -> TerminateOptions {
        match self.options.deadline() {
            Some(d) => self.options.clone().with_deadline(
                d.saturating_sub(self.started.elapsed())
                    .max(std::time::Duration::from_millis(1)),
            ),
            None => self.options.clone(),
        }
    }

    fn refused_entries(&self, entries: &[PlanEntry]) -> Result<(), CliError> {
        match whole_run::of_entries(entries) {
            None => Ok(()),
            Some(refusal) => Err(self.refusal(refusal, entries.len())),
        }
    }

    fn refusal(&self, refusal: whole_run::Refusal, instances: usize) -> CliError {
        let identity = self.connection.identity();
        refusal.error(
            instances,
            &self.connection.endpoint_text(),
            identity.as_ref().map(|i| i.masked_secret_id()),
        )
    }

    /// The previews of every region from its read (prices asked, nothing
    /// terminated), each entry handed to `on_entries` as it becomes final.
    fn plans(
        &self,
        regions: &Regions,
        selected: Selected,
        mut on_entries: impl FnMut(&[PlanEntry]),
    ) -> Result<Vec<(Option<String>, Plan)>, CliError> {
        let total = selected.placed().count();
        let progress = Progress::new(total, "reading", self.ui.show_progress);
        let plans = regions.preview(
            selected.reads,
            selected.unplaced,
            &self.remaining(),
            self.cancel,
            |_, event| match event {
                Event::Planned(entries) => {
                    progress.advance(entries.len());
                    on_entries(entries);
                }
                Event::Pace(pace) => progress.pace(pace),
                _ => {}
            },
        );
        progress.finish();
        plans.map_err(|e| CliError::caused_by("", &e))
    }

    /// `--dry-run`.
    fn preview(
        &self,
        regions: &Regions,
        selected: Selected,
        mut info: RunInfo,
        mut output: PlanOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        place(&mut output, regions, &selected);
        let failed_regions = selected.failed_regions();
        let plans = self.plans(regions, selected, |entries| output.planned(entries))?;
        let entries: Vec<PlanEntry> = plans
            .iter()
            .flat_map(|(_, p)| p.entries().to_vec())
            .collect();
        let interrupted = self.interrupts.happened();
        if !interrupted {
            self.refused_entries(&entries)?;
        }
        info.finish(interrupted);
        let counts = PlanCounts::of_all(plans.iter().map(|(_, p)| p), output.context().currency);
        let footer = counts.line(regions.clients().len());
        output.entries_at_end(&info, counts, &entries, footer);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else if failed_regions > 0 {
            ExitStatus::Incomplete
        } else {
            ExitStatus::of_plan_entries(&entries)
        })
    }

    /// `--yes`: each region's instances terminated from its read.
    fn terminate(
        &self,
        regions: &Regions,
        selected: Selected,
        info: RunInfo,
        mut output: ReportOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        place(&mut output, regions, &selected);
        let failed_regions = selected.failed_regions();
        let total = selected.placed().count();
        let progress = Progress::new(total, "terminating", self.ui.show_progress);
        let reports = regions.terminate(
            selected.reads,
            selected.unplaced,
            &self.remaining(),
            self.cancel,
            |_, event| output.show(&progress, event),
        );
        progress.finish();
        let reports = reports.map_err(|e| CliError::caused_by("", &e))?;
        self.report(regions, reports, failed_regions, info, output)
    }

    /// Asks first, then terminates in each region what a person said yes to.
    fn confirm_and_terminate(
        &self,
        regions: &Regions,
        selected: Selected,
        mut terminal: Terminal,
        info: RunInfo,
        mut output: ReportOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        place(&mut output, regions, &selected);
        let failed_regions = selected.failed_regions();
        let plans = self.plans(regions, selected, |_| {})?;
        if self.interrupts.happened() {
            note(self.ui, "Nothing was terminated.");
            return Ok(ExitStatus::Interrupted);
        }
        let entries: Vec<PlanEntry> = plans
            .iter()
            .flat_map(|(_, p)| p.entries().to_vec())
            .collect();
        self.refused_entries(&entries)?;
        let names: Vec<&str> = regions
            .clients()
            .iter()
            .map(|c| c.config().region())
            .collect();
        let several = names.len() > 1;
        let header = Header {
            region: names.join(","),
            // Several regions: each has its endpoint, shown beside its counts.
            endpoint: self.connection.endpoint.clone().filter(|_| !several),
            endpoints: regions
                .clients()
                .iter()
                .filter(|_| several)
                .map(|c| {
                    (
                        c.config().region().to_owned(),
                        format!("{}", c.config().uri()),
                    )
                })
                .collect(),
            identity: self.connection.identity(),
            currency: self.connection.line_context().currency,
        };
        let shown: Vec<(Option<&str>, &Plan)> =
            plans.iter().map(|(r, p)| (r.as_deref(), p)).collect();
        let summary = PlanSummary::from_plans(header, &shown).fitted_to(terminal.width());
        if summary.to_terminate() > 0 {
            let yes = self
                .interrupts
                .exiting_at_once(|| terminal.ask(&summary))
                .map_err(|e| CliError::caused_by("cannot ask on the terminal", &e))?;
            if !yes {
                note(self.ui, "Nothing was terminated.");
                return Ok(ExitStatus::Incomplete);
            }
        } else {
            let shown = writeln!(terminal.output(), "{summary}Nothing to terminate.");
            shown.map_err(|e| CliError::caused_by("cannot write on the terminal", &e))?;
        }
        let total: usize = plans
            .iter()
            .map(|(_, p)| p.count(PlannedAction::Terminate))
            .sum();
        let progress = Progress::new(total, "terminating", self.ui.show_progress);
        // What a person did not say yes to is not sent; its outcome is known.
        let mut to_send: Vec<(String, Vec<String>)> = Vec::new();
        for (region, plan) in &plans {
            let (send, keep): (Vec<&PlanEntry>, Vec<&PlanEntry>) = plan
                .entries()
                .iter()
                .partition(|e| e.action == PlannedAction::Terminate);
            let known: Vec<InstanceOutcome> = keep.iter().map(|e| e.unsent_outcome()).collect();
            output.outcomes(&known);
            if let Some(region) = region.as_deref().filter(|r| regions.client(r).is_some())
                && !send.is_empty()
            {
                to_send.push((
                    region.to_owned(),
                    send.iter().map(|e| e.id.to_string()).collect(),
                ));
            }
        }
        // Every region at once, each read again by ID before sending, as any run by IDs.
        let sent = regions.terminate_ids(&to_send, &self.remaining(), self.cancel, |_, e| {
            output.show(&progress, e)
        });
        progress.finish();
        let mut sent = sent.map_err(|e| CliError::caused_by("", &e))?;
        let mut reports = Vec::new();
        for (region, plan) in plans {
            let found = sent
                .iter()
                .position(|(r, _)| Some(r.as_str()) == region.as_deref());
            let report = found.map_or_else(Report::default, |i| sent.swap_remove(i).1);
            reports.push((region, report.completed_by(&plan)));
        }
        self.report(regions, reports, failed_regions, info, output)
    }

    /// The report of every region, and the exit status.
    fn report(
        &self,
        regions: &Regions,
        reports: Vec<(Option<String>, Report)>,
        failed_regions: usize,
        mut info: RunInfo,
        mut output: ReportOutput<ChannelWriter>,
    ) -> Result<ExitStatus, CliError> {
        let outcomes: Vec<InstanceOutcome> = reports
            .iter()
            .flat_map(|(_, r)| r.instances().to_vec())
            .collect();
        let interrupted = self.interrupts.happened();
        if !interrupted && let Some(refusal) = whole_run::of_outcomes(&outcomes) {
            return Err(self.refusal(refusal, outcomes.len()));
        }
        info.finish(interrupted);
        let summary = ReportSummary::of_all(reports.iter().map(|(_, r)| r));
        let footer = summary.line(regions.clients().len());
        output.outcomes_at_end(&info, summary, &outcomes, footer);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else if failed_regions > 0 || !reports.iter().all(|(_, r)| r.all_done()) {
            ExitStatus::Incomplete
        } else {
            ExitStatus::Done
        })
    }
}
