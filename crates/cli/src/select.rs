//! A command's selection: its IDs and selection flags as a library
//! [`Selection`], and its read in every region of the command.

use std::io::Write;
use std::time::Instant;

use tencentcloud_cvm::selection::{
    PreflightRead, ReadErrorKind, RegionRead, Regions, Seen, SelectError, Selection,
};
use tencentcloud_cvm::CancelToken;

use crate::args::{SelectionArgs, Target};
use crate::cli_error::CliError;
use crate::run_document::{RegionError, RegionLine};
use crate::terminal_text::escape;
use crate::Ui;

/// Whether a command takes the selection path (filters, conditions, exclusions,
/// `--all`, or more than one region) rather than a plain run by IDs in one region.
pub fn is_selection(args: &SelectionArgs, all: bool, target: &Target) -> bool {
    args.any()
        || all
        || target.all_regions
        || target.region.as_deref().is_some_and(|r| r.contains(','))
}

/// The library selection of `ids` and the flags; `all` lifts the refusal of a
/// selection without IDs or a filter.
pub fn selection(ids: &[String], args: &SelectionArgs, all: bool) -> Result<Selection, CliError> {
    let mut builder = Selection::builder().ids(ids.iter().cloned()).all(all);
    for f in &args.filters {
        builder = builder.filter(f.as_str());
    }
    for t in &args.tags {
        builder = builder.tag(t.as_str());
    }
    if let Some(age) = &args.older_than {
        builder = builder.older_than(age.as_str());
    }
    if let Some(glob) = &args.name {
        builder = builder.name(glob.as_str());
    }
    for id in &args.exclude_ids {
        builder = builder.exclude_id(id.as_str());
    }
    for tag in &args.exclude_tags {
        builder = builder.exclude_tag(tag.as_str());
    }
    builder.build().map_err(|e| CliError::caused_by("", &e))
}

/// What a selection's read found in every region.
pub struct Selected {
    /// Each region's read, holding the instances placed there.
    pub reads: Vec<RegionRead>,
    /// The instances placed in no region (each fails, never sent).
    pub unplaced: PreflightRead,
}

impl Selected {
    /// One line per region for the JSON document.
    pub fn region_lines(&self) -> Vec<RegionLine> {
        self.reads
            .iter()
            .map(|r| match &r.read {
                Ok(read) => RegionLine {
                    region: r.region.clone(),
                    instances: Some(read.len()),
                    error: None,
                },
                Err(e) => RegionLine {
                    region: r.region.clone(),
                    instances: None,
                    error: Some(RegionError {
                        code: e.code().map(|c| c.as_str().to_owned()),
                        message: e.message().to_owned(),
                        request_id: e.request_id().map(str::to_owned),
                    }),
                },
            })
            .collect()
    }

    /// How many regions could not be read.
    pub fn failed_regions(&self) -> usize {
        self.reads.iter().filter(|r| r.read.is_err()).count()
    }

    /// Every instance of the run, with its region (`None`: placed in none).
    pub fn placed(
        &self,
    ) -> impl Iterator<Item = (Option<&str>, &tencentcloud_cvm::model::InstanceId)> {
        let regional = self.reads.iter().flat_map(|r| {
            r.read
                .iter()
                .flat_map(|read| read.entries())
                .map(move |e| (Some(r.region.as_str()), &e.id))
        });
        regional.chain(self.unplaced.entries().iter().map(|e| (None, &e.id)))
    }

    /// The one error of a run no region of which could be read (nothing was done),
    /// if that is what happened.
    pub fn nothing_read(&self) -> Option<CliError> {
        let all_failed = !self.reads.is_empty() && self.reads.iter().all(|r| r.read.is_err());
        let anything_placed = self
            .unplaced
            .entries()
            .iter()
            .any(|e| !matches!(e.seen, Seen::Failed { instance: None, .. }));
        if !all_failed || anything_placed {
            return None;
        }
        let first = self
            .reads
            .iter()
            .find_map(|r| r.read.as_ref().err().map(|e| (r, e)))?;
        Some(CliError::new(format!(
            "no region could be read, nothing was done: {}: {}",
            escape(&first.0.region),
            escape(&first.1.to_string())
        )))
    }
}

/// Reads `selection` in every region of `regions`, behind a progress note, each
/// failed region said on stderr (unless `--quiet`).
pub fn read(
    regions: &Regions,
    selection: &Selection,
    deadline: Option<Instant>,
    cancel: &CancelToken,
    ui: Ui,
) -> Result<Selected, CliError> {
    let result = regions.read(selection, deadline, cancel);
    let (reads, unplaced) = result.map_err(|e: SelectError| CliError::caused_by("", &e))?;
    let selected = Selected { reads, unplaced };
    if !ui.quiet {
        for r in &selected.reads {
            if let Err(e) = &r.read
                && e.kind() != ReadErrorKind::Stopped
            {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {} could not be read, nothing there is selected: {}",
                    escape(&r.region),
                    escape(&e.to_string())
                );
            }
        }
    }
    Ok(selected)
}

/// The refusal of a terminate whose selection names no IDs and no filter.
pub fn unbounded(regions: &str) -> CliError {
    CliError::new(format!(
        "refusing to terminate: no instance IDs and no filter were given, so every instance of \
         {} would be selected; nothing was sent (give IDs, --filter or --tag, or --all to \
         select every instance)",
        escape(regions)
    ))
}
