//! `tccvm status` on standard output ([`crate::output`]).

use std::io::Write;

use tencentcloud_cvm::model::InstanceId;
use tencentcloud_cvm::{Plan, PlanEntry};

use crate::output::{Entries, Output};
use crate::run_document::{LineContext, RunInfo, Seen, StatusCounts, StatusLine};
use crate::table::Table;
use crate::whole_run::suspect_entry;

/// A status read's entries: each instance as read.
pub struct Statuses;

impl Entries for Statuses {
    type Entry = PlanEntry;
    type View<'a> = StatusLine<'a>;
    fn view<'a>(entry: &'a PlanEntry, cx: &'a LineContext) -> StatusLine<'a> {
        StatusLine::new(entry, cx)
    }
    fn id(entry: &PlanEntry) -> &InstanceId {
        &entry.id
    }
    fn suspect(entry: &PlanEntry) -> bool {
        suspect_entry(entry)
    }
}

/// Prints the instances read, in one format.
pub type StatusOutput<W> = Output<W, Statuses>;

impl<W: Write> Output<W, Statuses> {
    /// Entries as they are read (with jsonl, a line each at once).
    pub fn read(&mut self, entries: &[PlanEntry]) {
        self.stream(entries);
    }

    /// Every instance, at the end.
    pub fn status(&mut self, plan: &Plan, run: &RunInfo) {
        self.statuses_at_end(run, StatusCounts::of(plan), plan.entries());
    }

    /// Every instance at the end (of one region or several), with `counts`.
    pub fn statuses_at_end(&mut self, run: &RunInfo, counts: StatusCounts, entries: &[PlanEntry]) {
        let region = self.context().region.clone();
        self.end(run, counts, entries, |rows, regions| {
            let mut table = Table::with_region(
                vec![
                    "INSTANCE",
                    "STATE",
                    "CHARGE TYPE",
                    "PROTECTED",
                    "LATEST OPERATION",
                    "NAME",
                    "MESSAGE",
                ],
                regions.several(),
            );
            for e in rows {
                let i = e.instance.as_ref();
                let operation = i.and_then(|i| {
                    let op = i.latest_operation.as_deref()?;
                    Some(match &i.latest_operation_state {
                        Some(state) => format!("{op} {}", state.as_str()),
                        None => op.to_owned(),
                    })
                });
                let protected = i.and_then(|i| i.disable_api_termination);
                table.row_in(
                    regions.of(&e.id, region.as_deref()),
                    [
                        e.id.to_string(),
                        e.state().map_or("-", |s| s.as_str()).to_owned(),
                        e.charge_type().map_or("-", |c| c.as_str()).to_owned(),
                        match protected {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "-",
                        }
                        .to_owned(),
                        operation.unwrap_or_else(|| "-".to_owned()),
                        i.and_then(|i| i.instance_name.clone())
                            .unwrap_or_else(|| "-".to_owned()),
                        // Only what is not read is worth a message here.
                        Seen::of(e).message(e).unwrap_or_default(),
                    ],
                );
            }
            let read = rows.iter().filter(|e| Seen::of(e) == Seen::Read).count();
            let footer = format!(
                "{} instance(s): {read} read, {} not found or not read",
                rows.len(),
                rows.len() - read
            );
            (table, footer)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::OutputFormat;
    use crate::money::Currency;
    use crate::run_document::CommandKind;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    fn printed(format: OutputFormat, plan: &Plan) -> String {
        let mut out = Vec::new();
        let cx = LineContext {
            region: Some("ap-guangzhou".to_owned()),
            currency: Currency::Cny,
        };
        let run = RunInfo::start(CommandKind::Status, "ap-guangzhou");
        StatusOutput::new(format, &mut out, cx, None).status(plan, &run);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_instance_not_read_has_its_reason_and_nulls() {
        let mut run =
            Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())
                .unwrap();
        run.cancel();
        let plan = run.into_plan();
        let text = printed(OutputFormat::Table, &plan);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[1].starts_with("ins-00000001  -      -            -          -                 "),
            "{text}"
        );
        assert!(
            lines[1].ends_with("not read: cancelled before it was sent"),
            "{text}"
        );
        assert_eq!(lines[2], "1 instance(s): 0 read, 1 not found or not read");
        let json: serde_json::Value =
            serde_json::from_str(&printed(OutputFormat::Json, &plan)).unwrap();
        let entry = &json["instances"][0];
        assert_eq!(entry["id"], "ins-00000001");
        assert_eq!(entry["state"], serde_json::Value::Null);
        assert_eq!(entry["found"], serde_json::Value::Null);
        assert_eq!(entry["action"], "fail");
        assert_eq!(json["summary"]["not_read"], 1);
        let jsonl = printed(OutputFormat::Jsonl, &plan);
        assert_eq!(
            jsonl.lines().count(),
            2,
            "one instance, one summary: {jsonl}"
        );
    }
}
