//! What the outputs of `terminate`, `--dry-run` and `status` share: one format
//! (a table, one JSON document, or JSON lines), each entry's JSON line
//! streamed as soon as it is final, and at the end the table, the document, or
//! the lines not out yet and the summary line (the schema is in
//! [`crate::run_document`]).
//!
//! The writer is the stdout thread's ([`crate::stdout_thread`]): writing never
//! blocks the run, and a failed write is reported at the end.

use std::collections::HashMap;
use std::io::Write;
use std::marker::PhantomData;

use serde::Serialize;
use tencentcloud_cvm::model::InstanceId;

use crate::args::OutputFormat;
use crate::json_lines::{JsonLines, Line};
use crate::json_text::to_line;
use crate::run_document::{Document, LineContext, RunInfo};
use crate::table::Table;

/// What an output's entries are, and how each is written as JSON.
pub trait Entries {
    /// One instance's result.
    type Entry;
    /// Its JSON line.
    type View<'a>: Serialize
    where
        Self::Entry: 'a;
    fn view<'a>(entry: &'a Self::Entry, cx: &'a LineContext) -> Self::View<'a>;
    fn id(entry: &Self::Entry) -> &InstanceId;
    /// Whether it could belong to a whole-run refusal ([`crate::whole_run`]).
    fn suspect(entry: &Self::Entry) -> bool;
}

/// Which region each instance belongs to, in a run over several regions.
#[derive(Debug, Default)]
pub struct RegionOf {
    places: HashMap<InstanceId, Option<String>>,
    /// Whether the run covers more than one region (the table then shows them).
    several: bool,
}

impl RegionOf {
    /// The region of `id`, if it was placed in one; `default` for an instance
    /// never placed.
    pub fn of<'a>(&'a self, id: &InstanceId, default: Option<&'a str>) -> Option<&'a str> {
        match self.places.get(id) {
            Some(region) => region.as_deref(),
            None => default,
        }
    }

    /// Whether the run covers several regions.
    pub fn several(&self) -> bool {
        self.several
    }
}

/// Prints one command's entries in one format.
pub struct Output<W: Write, E: Entries> {
    format: OutputFormat,
    out: W,
    lines: JsonLines,
    cx: LineContext,
    regions: RegionOf,
    /// The terminal's width, for the table.
    width: Option<usize>,
    entries: PhantomData<E>,
}

impl<W: Write, E: Entries> Output<W, E> {
    pub fn new(format: OutputFormat, out: W, cx: LineContext, width: Option<usize>) -> Self {
        Output {
            format,
            out,
            lines: JsonLines::default(),
            cx,
            regions: RegionOf::default(),
            width,
            entries: PhantomData,
        }
    }

    /// The run covers several regions: each line names its instance's region, and
    /// the table has a REGION column.
    pub fn several_regions(&mut self) {
        self.regions.several = true;
    }

    /// `ids` belong to `region` (`None`: to no region, for an instance the regions'
    /// reads could not place); placed before their entries are written.
    pub fn place<'a>(
        &mut self,
        region: Option<&str>,
        ids: impl IntoIterator<Item = &'a InstanceId>,
    ) {
        for id in ids {
            self.regions
                .places
                .insert(id.clone(), region.map(str::to_owned));
        }
    }

    /// The line context of `id`: its region's.
    fn context_for(&self, id: &InstanceId) -> LineContext {
        LineContext {
            region: self
                .regions
                .of(id, self.cx.region.as_deref())
                .map(str::to_owned),
            currency: self.cx.currency,
        }
    }

    /// Entries as they become final: with jsonl, one line each, flushed at once
    /// so a reader (or a file) has it even if the run is killed later.
    pub fn stream(&mut self, entries: &[E::Entry]) {
        if self.format != OutputFormat::Jsonl {
            return;
        }
        let lines = self.lines_of(entries);
        self.lines.write(&mut self.out, lines);
    }

    fn lines_of(&self, entries: &[E::Entry]) -> Vec<Line> {
        entries
            .iter()
            .map(|e| Line {
                id: E::id(e).clone(),
                text: to_line(&E::view(e, &self.context_for(E::id(e)))),
                suspect: E::suspect(e),
            })
            .collect()
    }

    /// The end: `table` (made only for the table format) and its footer line,
    /// the JSON document, or the lines not streamed yet and the summary line.
    pub fn end<S: Serialize>(
        &mut self,
        run: &RunInfo,
        summary: S,
        entries: &[E::Entry],
        table: impl FnOnce(&[E::Entry], &RegionOf) -> (Table, String),
    ) {
        match self.format {
            OutputFormat::Table => {
                let (table, footer) = table(entries, &self.regions);
                let _ = table.write_fitted(&mut self.out, self.width);
                let _ = writeln!(self.out, "{footer}");
            }
            OutputFormat::Json => {
                let contexts: Vec<LineContext> =
                    entries.iter().map(|e| self.context_for(E::id(e))).collect();
                let document = Document {
                    run,
                    summary,
                    instances: Some(
                        entries
                            .iter()
                            .zip(&contexts)
                            .map(|(e, cx)| E::view(e, cx))
                            .collect::<Vec<_>>(),
                    ),
                };
                let _ = writeln!(self.out, "{}", to_line(&document));
            }
            OutputFormat::Jsonl => {
                let last = Document::<_, ()> {
                    run,
                    summary,
                    instances: None,
                };
                let lines = self.lines_of(entries);
                self.lines.finish(&mut self.out, lines, &to_line(&last));
            }
        }
        let _ = self.out.flush();
    }

    /// What each line names beside the instance.
    pub fn context(&self) -> &LineContext {
        &self.cx
    }
}
