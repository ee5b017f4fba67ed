//! A preview (`--dry-run`) on standard output ([`crate::output`]).

use std::io::Write;

use tencentcloud_cvm::model::InstanceId;
use tencentcloud_cvm::{Plan, PlanEntry, PlannedAction};

use crate::money::{decimal, Money};
use crate::output::{Entries, Output};
use crate::report_output::message_cell;
use crate::run_document::{LineContext, PlanCounts, PlanLine, RunInfo};
use crate::table::Table;
use crate::whole_run::suspect_entry;

/// A preview's entries: what a terminate would do with each instance.
pub struct Planned;

impl Entries for Planned {
    type Entry = PlanEntry;
    type View<'a> = PlanLine<'a>;
    fn view<'a>(entry: &'a PlanEntry, cx: &'a LineContext) -> PlanLine<'a> {
        PlanLine::new(entry, cx)
    }
    fn id(entry: &PlanEntry) -> &InstanceId {
        &entry.id
    }
    fn suspect(entry: &PlanEntry) -> bool {
        suspect_entry(entry)
    }
}

/// Prints a preview's entries in one format.
pub type PlanOutput<W> = Output<W, Planned>;

impl<W: Write> Output<W, Planned> {
    /// Entries as they become final (with jsonl, a line each at once).
    pub fn planned(&mut self, entries: &[PlanEntry]) {
        self.stream(entries);
    }

    /// The whole plan, at the end.
    pub fn plan(&mut self, plan: &Plan, run: &RunInfo) {
        let currency = self.context().currency;
        let footer = summary_line(plan, self.context());
        self.entries_at_end(run, PlanCounts::of(plan, currency), plan.entries(), footer);
    }

    /// Every entry at the end (of one region or several), with `counts` and the
    /// table's `footer`.
    pub fn entries_at_end(
        &mut self,
        run: &RunInfo,
        counts: PlanCounts,
        entries: &[PlanEntry],
        footer: String,
    ) {
        let region = self.context().region.clone();
        self.end(run, counts, entries, |rows, regions| {
            let mut table = Table::with_region(
                vec![
                    "INSTANCE",
                    "ACTION",
                    "STATE",
                    "CHARGE TYPE",
                    "REFUND",
                    "NAME",
                    "MESSAGE",
                ],
                regions.several(),
            );
            for e in rows {
                table.row_in(
                    regions.of(&e.id, region.as_deref()),
                    [
                        e.id.to_string(),
                        e.action.as_str().to_owned(),
                        e.state().map_or("-", |s| s.as_str()).to_owned(),
                        e.charge_type().map_or("-", |c| c.as_str()).to_owned(),
                        e.refund.as_ref().map_or("-".to_owned(), decimal),
                        e.instance
                            .as_ref()
                            .and_then(|i| i.instance_name.clone())
                            .unwrap_or_else(|| "-".to_owned()),
                        message_cell(e.code.as_ref(), e.message.as_deref()),
                    ],
                );
            }
            (table, footer)
        });
    }
}

/// `N instance(s): a to terminate, b to skip, c to fail, refund 745.40 CNY`.
pub fn summary_line(plan: &Plan, cx: &LineContext) -> String {
    let refund = match plan.refund_total() {
        Some(total) => format!("refund {}", Money::new(total, cx.currency)),
        None => "refund not known for all".to_owned(),
    };
    format!(
        "{} instance(s): {} to terminate, {} to skip, {} to fail, {refund}",
        plan.entries().len(),
        plan.count(PlannedAction::Terminate),
        plan.count(PlannedAction::Skip),
        plan.count(PlannedAction::Fail),
    )
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

    fn unread(ids: &[&str]) -> Plan {
        let mut run = Termination::preview(ids, &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        run.into_plan()
    }

    fn printed(format: OutputFormat, f: impl FnOnce(&mut PlanOutput<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        let cx = LineContext {
            region: Some("ap-guangzhou".to_owned()),
            currency: Currency::Cny,
        };
        f(&mut PlanOutput::new(format, &mut buf, cx, None));
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn each_format() {
        let plan = unread(&["ins-00000001", "ins-00000002"]);
        let run = RunInfo::start(CommandKind::DryRun, "ap-guangzhou");
        let table = printed(OutputFormat::Table, |o| {
            o.planned(plan.entries());
            o.plan(&plan, &run);
        });
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(
            lines[0].starts_with("INSTANCE      ACTION  STATE  CHARGE TYPE  REFUND  NAME  MESSAGE")
        );
        assert!(lines[1]
            .starts_with("ins-00000001  fail    -      -            -       -     not read"));
        assert_eq!(
            lines[3],
            "2 instance(s): 0 to terminate, 0 to skip, 2 to fail, refund 0.00 CNY"
        );
        let json = printed(OutputFormat::Json, |o| o.plan(&plan, &run));
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["command"], "dry_run");
        assert_eq!(doc["summary"]["fail"], 2);
        assert_eq!(doc["summary"]["refund"]["amount"], "0.00");
        assert_eq!(doc["instances"][1]["id"], "ins-00000002");
        let jsonl = printed(OutputFormat::Jsonl, |o| {
            o.planned(&plan.entries()[1..]);
            o.plan(&plan, &run);
        });
        let ids: Vec<String> = jsonl
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        assert_eq!(ids, ["\"ins-00000002\"", "\"ins-00000001\"", "null"]);
    }
}
