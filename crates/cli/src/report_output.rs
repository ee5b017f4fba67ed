//! The report of a terminate run on standard output ([`crate::output`]).

use std::io::Write;

use tencentcloud_cvm::model::{ErrorCode, InstanceId};
use tencentcloud_cvm::{Event, InstanceOutcome, Report};

use crate::output::{Entries, Output};
use crate::progress::Progress;
use crate::run_document::{request_ids, LineContext, OutcomeLine, ReportSummary, RunInfo};
use crate::table::Table;
use crate::whole_run::suspect_outcome;

/// A terminate run's entries: one outcome per instance.
pub struct Outcomes;

impl Entries for Outcomes {
    type Entry = InstanceOutcome;
    type View<'a> = OutcomeLine<'a>;
    fn view<'a>(entry: &'a InstanceOutcome, cx: &'a LineContext) -> OutcomeLine<'a> {
        OutcomeLine::new(entry, cx)
    }
    fn id(entry: &InstanceOutcome) -> &InstanceId {
        &entry.id
    }
    fn suspect(entry: &InstanceOutcome) -> bool {
        suspect_outcome(entry)
    }
}

/// Prints a run's outcomes in one format.
pub type ReportOutput<W> = Output<W, Outcomes>;

impl<W: Write> Output<W, Outcomes> {
    /// What a terminate run's event shows: its outcomes streamed and counted on
    /// `progress`, a wait noted beside the bar.
    pub fn show(&mut self, progress: &Progress, event: &Event) {
        log::trace!("{event:?}");
        match event {
            Event::Outcomes(outcomes) => {
                progress.advance(outcomes.len());
                self.outcomes(outcomes);
            }
            Event::Waiting { instances } => {
                progress.note(format!("waiting for {instances} to be gone"));
            }
            Event::Pace(pace) => progress.pace(pace),
            _ => {}
        }
    }

    /// Outcomes as they become known (with jsonl, a line each at once).
    pub fn outcomes(&mut self, outcomes: &[InstanceOutcome]) {
        self.stream(outcomes);
    }

    /// The whole report, at the end.
    pub fn report(&mut self, report: &Report, run: &RunInfo) {
        let footer = report.to_string();
        self.outcomes_at_end(run, ReportSummary::of(report), report.instances(), footer);
    }

    /// Every outcome at the end (of one region or several), with `summary` and the
    /// table's `footer`.
    pub fn outcomes_at_end(
        &mut self,
        run: &RunInfo,
        summary: ReportSummary,
        outcomes: &[InstanceOutcome],
        footer: String,
    ) {
        let region = self.context().region.clone();
        self.end(run, summary, outcomes, |rows, regions| {
            let mut table = Table::with_region(
                vec![
                    "INSTANCE",
                    "OUTCOME",
                    "STATE",
                    "REQUEST ID",
                    "NAME",
                    "MESSAGE",
                ],
                regions.several(),
            );
            for i in rows {
                let o = &i.outcome;
                // A read's RequestId is in the JSON (`read_request_id`) and at -v
                // in the log, not here: this column is TerminateInstances'.
                let (request_id, _) = request_ids(i);
                table.row_in(
                    regions.of(&i.id, region.as_deref()),
                    [
                        i.id.as_str(),
                        o.kind().as_str(),
                        i.state.as_ref().map_or("-", |s| s.as_str()),
                        request_id.unwrap_or("-"),
                        i.instance
                            .as_ref()
                            .and_then(|i| i.instance_name.as_deref())
                            .unwrap_or("-"),
                        &message_cell(o.code(), o.message()),
                    ],
                );
            }
            (table, footer)
        });
    }
}

/// The MESSAGE cell: the code, then what was said.
pub fn message_cell(code: Option<&ErrorCode>, message: Option<&str>) -> String {
    let mut cell = String::new();
    if let Some(code) = code {
        cell.push_str(code.as_str());
    }
    if let Some(message) = message.filter(|m| !m.is_empty()) {
        if !cell.is_empty() {
            cell.push_str(": ");
        }
        cell.push_str(message);
    }
    cell
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

    fn not_sent(ids: &[&str]) -> Report {
        let mut run = Termination::new(ids, &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        run.into_report()
    }

    fn printed(format: OutputFormat, f: impl FnOnce(&mut ReportOutput<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        let cx = LineContext {
            region: Some("ap-guangzhou".to_owned()),
            currency: Currency::Cny,
        };
        f(&mut ReportOutput::new(format, &mut buf, cx, None));
        String::from_utf8(buf).unwrap()
    }

    fn run_info() -> RunInfo {
        let mut run = RunInfo::start(CommandKind::Terminate, "ap-guangzhou");
        run.finish(false);
        run
    }

    #[test]
    fn jsonl_streams_each_instance_once_and_completes_at_the_end() {
        let report = not_sent(&["ins-00000001", "ins-00000002"]);
        let text = printed(OutputFormat::Jsonl, |o| {
            o.outcomes(&report.instances()[..1]);
            o.outcomes(&report.instances()[..1]);
            o.report(&report, &run_info());
        });
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "two instances and the summary: {text}");
        assert_eq!(lines[0]["id"], "ins-00000001");
        assert_eq!(lines[1]["id"], "ins-00000002");
        assert_eq!(lines[1]["outcome"], "not_sent");
        assert_eq!(lines[1]["region"], "ap-guangzhou");
        assert_eq!(lines[2]["summary"]["not_sent"], 2);
        assert_eq!(lines[2]["schema_version"], 1);
        assert!(lines[2].get("instances").is_none());
    }

    #[test]
    fn json_and_table_print_only_at_the_end() {
        let report = not_sent(&["ins-00000001"]);
        let json = printed(OutputFormat::Json, |o| {
            o.outcomes(report.instances());
            o.report(&report, &run_info());
        });
        assert_eq!(json.lines().count(), 1);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["command"], "terminate");
        assert_eq!(doc["summary"]["instances"], 1);
        assert_eq!(doc["instances"][0]["outcome"], "not_sent");
        let table = printed(OutputFormat::Table, |o| {
            o.outcomes(report.instances());
            o.report(&report, &run_info());
        });
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert!(lines[0].starts_with("INSTANCE      OUTCOME   STATE  REQUEST ID  NAME  MESSAGE"));
        assert!(lines[1].starts_with("ins-00000001  not_sent  -      -           -     "));
        assert_eq!(lines[2], report.to_string());
    }

    #[test]
    fn the_message_cell_holds_the_code_and_the_message() {
        let code = ErrorCode::parse("UnsupportedOperation.InstancesProtected");
        assert_eq!(
            message_cell(Some(&code), Some("protected")),
            "UnsupportedOperation.InstancesProtected: protected"
        );
        assert_eq!(message_cell(None, Some("gone")), "gone");
        assert_eq!(
            message_cell(Some(&code), None),
            "UnsupportedOperation.InstancesProtected"
        );
        assert_eq!(message_cell(None, None), "");
    }
}
