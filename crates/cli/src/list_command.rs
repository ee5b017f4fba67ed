//! `tccvm list`: read a selection in one or more regions and show what it
//! matches; sends nothing but reads.

use std::io::Write;

use tencentcloud_cvm::selection::Seen;
use tencentcloud_cvm::wire::Instance;
use tencentcloud_cvm::CancelToken;

use crate::args::ListArgs;
use crate::cli_error::CliError;
use crate::connection::Connection;
use crate::exit_status::ExitStatus;
use crate::instance_ids;
use crate::interrupts::Interrupts;
use crate::list_output::{ListCounts, ListOutput};
use crate::region_targets;
use crate::run_document::{CommandKind, RunInfo};
use crate::select;
use crate::stdout_thread::StdoutThread;
use crate::table::stdout_width;
use crate::terminal_text::escape;
use crate::Ui;

/// Runs the command: 0 when every region was read (and every ID given listed),
/// 1 when a region could not be read or an ID given is not listed; `Err` (exit 2)
/// when nothing was read.
pub fn run(args: &ListArgs, ui: Ui) -> Result<ExitStatus, CliError> {
    let ids = instance_ids::gather_any(&args.ids)?;
    // Listing reads and nothing more: without IDs or a filter, every instance.
    let selection = select::selection(&ids, &args.selection, true)?;
    let (connection, _) = Connection::open_for(&args.target, ids, true, ui)?;
    let cancel = CancelToken::new();
    let interrupts = Interrupts::watch(&cancel)?;
    let stdout = StdoutThread::start()
        .map_err(|e| CliError::caused_by("cannot start writing standard output", &e))?;
    let status = (|| {
        let regions = region_targets::regions(
            &connection,
            args.target.region.as_deref(),
            args.target.all_regions,
            connection.endpoints(),
            &cancel,
        )?;
        let selected = select::read(&regions, &selection, None, &cancel, ui)?;
        let interrupted = interrupts.happened();
        if !interrupted && let Some(e) = selected.nothing_read() {
            return Err(e);
        }
        let mut output = ListOutput::new(
            args.format(),
            stdout.writer(),
            connection.line_context(),
            stdout_width(),
        );
        if regions.clients().len() > 1 {
            output.several_regions();
        }
        let mut lines = selected.region_lines();
        let mut instances: Vec<Instance> = Vec::new();
        let mut missing = 0;
        for (r, line) in selected.reads.iter().zip(lines.iter_mut()) {
            let Ok(read) = &r.read else { continue };
            let found: Vec<Instance> = read.selected().cloned().collect();
            line.instances = Some(found.len());
            output.place(Some(&r.region), found.iter().map(|i| &i.instance_id));
            instances.extend(found);
            for entry in read.entries() {
                let why = match &entry.seen {
                    Seen::Found { .. } => continue,
                    Seen::Absent { .. } => "not found".to_owned(),
                    Seen::LeftOut { reason, .. } => format!("not listed: {reason}"),
                    Seen::Failed { message, .. } => format!("not listed: {message}"),
                    _ => "not listed".to_owned(),
                };
                missing += 1;
                note(ui, &format!("{} ({}): {why}", entry.id, escape(&r.region)));
            }
        }
        for entry in selected.unplaced.entries() {
            missing += 1;
            let why = match &entry.seen {
                Seen::Failed { message, .. } => message.clone(),
                _ => "not listed".to_owned(),
            };
            note(ui, &format!("{}: {}", entry.id, escape(&why)));
        }
        let mut info = RunInfo::start(CommandKind::List, &connection.region).with_regions(lines);
        output.listed(&instances);
        info.finish(interrupted);
        let counts = ListCounts {
            instances: instances.len(),
            regions: selected.reads.len(),
            regions_failed: selected.failed_regions(),
        };
        output.listing(&info, counts, &instances);
        Ok(if interrupted {
            ExitStatus::Interrupted
        } else if missing > 0 || selected.failed_regions() > 0 {
            ExitStatus::Incomplete
        } else {
            ExitStatus::Done
        })
    })();
    stdout.exit_status(&interrupts, status)
}

/// A note on stderr, unless `--quiet`.
fn note(ui: Ui, text: &str) {
    if !ui.quiet {
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}
