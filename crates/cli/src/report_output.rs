//! The report on standard output: a table, one JSON document, or JSON lines
//! streamed as outcomes become known (the schema is in [`crate::run_document`]).
//!
//! The writer is the stdout thread's ([`crate::stdout_thread`]): writing never
//! blocks the run, and a failed write is reported at the end.

use std::io::Write;

use tencentcloud_cvm::{ErrorCode, InstanceOutcome, Report};

use crate::args::OutputFormat;
use crate::json_lines::{JsonLines, Line};
use crate::json_text::to_line;
use crate::run_document::{
    request_ids, Document, LineContext, OutcomeLine, ReportSummary, RunInfo,
};
use crate::table::Table;
use crate::whole_run::suspect_outcome;

/// Prints a run's outcomes in one format.
pub struct ReportOutput<W: Write> {
    format: OutputFormat,
    out: W,
    /// The JSON lines out (jsonl).
    lines: JsonLines,
    cx: LineContext,
    /// The terminal's width, for the table.
    width: Option<usize>,
}

impl<W: Write> ReportOutput<W> {
    pub fn new(format: OutputFormat, out: W, cx: LineContext, width: Option<usize>) -> Self {
        ReportOutput {
            format,
            out,
            lines: JsonLines::default(),
            cx,
            width,
        }
    }

    /// Outcomes as they become known: with jsonl, one line each, flushed at once
    /// so a reader (or a file) has it even if the run is killed later.
    pub fn outcomes(&mut self, outcomes: &[InstanceOutcome]) {
        if self.format != OutputFormat::Jsonl {
            return;
        }
        let lines: Vec<Line> = outcomes.iter().map(|o| self.line(o)).collect();
        self.lines.write(&mut self.out, lines);
    }

    fn line(&self, o: &InstanceOutcome) -> Line {
        Line {
            id: o.id.clone(),
            text: to_line(&OutcomeLine::new(o, &self.cx)),
            suspect: suspect_outcome(o),
        }
    }

    /// The whole report, at the end: the table and its summary line, the JSON
    /// document, or the lines not streamed yet and the summary line.
    pub fn report(&mut self, report: &Report, run: &RunInfo) {
        match self.format {
            OutputFormat::Table => {
                let mut table = Table::new(vec![
                    "INSTANCE",
                    "OUTCOME",
                    "STATE",
                    "REQUEST ID",
                    "NAME",
                    "MESSAGE",
                ]);
                for i in report.instances() {
                    let o = &i.outcome;
                    // A read's RequestId is in the JSON (`read_request_id`) and at -v
                    // in the log, not here: this column is TerminateInstances'.
                    let (request_id, _) = request_ids(i);
                    table.row([
                        i.id.as_str(),
                        o.kind().as_str(),
                        i.state.as_ref().map_or("-", |s| s.as_str()),
                        request_id.unwrap_or("-"),
                        i.instance
                            .as_ref()
                            .and_then(|i| i.instance_name.as_deref())
                            .unwrap_or("-"),
                        &message_cell(o.code(), o.message()),
                    ]);
                }
                let _ = table.write_fitted(&mut self.out, self.width);
                let _ = writeln!(self.out, "{report}");
            }
            OutputFormat::Json => {
                let document = Document {
                    run,
                    summary: ReportSummary::of(report),
                    instances: Some(
                        report
                            .instances()
                            .iter()
                            .map(|o| OutcomeLine::new(o, &self.cx))
                            .collect::<Vec<_>>(),
                    ),
                };
                let _ = writeln!(self.out, "{}", to_line(&document));
            }
            OutputFormat::Jsonl => {
                let summary = Document::<_, ()> {
                    run,
                    summary: ReportSummary::of(report),
                    instances: None,
                };
                let lines: Vec<Line> = report.instances().iter().map(|o| self.line(o)).collect();
                self.lines.finish(&mut self.out, lines, &to_line(&summary));
            }
        }
        let _ = self.out.flush();
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
    use crate::money::Currency;
    use crate::run_document::CommandKind;
    use std::time::Instant;
    use tencentcloud_cvm::{TerminateOptions, Termination};

    fn not_sent(ids: &[&str]) -> Report {
        let mut run = Termination::new(ids, &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        run.into_report()
    }

    fn printed(format: OutputFormat, f: impl FnOnce(&mut ReportOutput<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        let cx = LineContext {
            region: "ap-guangzhou".to_owned(),
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
