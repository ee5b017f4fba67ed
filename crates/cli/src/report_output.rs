//! The report on standard output: a table, one JSON document, or JSON lines
//! streamed as outcomes become known.
//!
//! Write errors (a closed pipe, say) are ignored: the run goes on and its exit
//! status still tells how it ended.

use std::io::Write;

use tencentcloud_cvm::{InstanceOutcome, Report};

use crate::args::OutputFormat;
use crate::json_lines::JsonLines;
use crate::table::Table;

/// Prints a run's outcomes in one format.
pub struct ReportOutput<W: Write> {
    format: OutputFormat,
    out: W,
    /// The JSON lines out (jsonl).
    lines: JsonLines,
}

impl<W: Write> ReportOutput<W> {
    pub fn new(format: OutputFormat, out: W) -> Self {
        ReportOutput {
            format,
            out,
            lines: JsonLines::default(),
        }
    }

    /// Outcomes as they become known: with jsonl, one line each, flushed at once
    /// so a reader (or a file) has it even if the run is killed later.
    pub fn outcomes(&mut self, outcomes: &[InstanceOutcome]) {
        if self.format != OutputFormat::Jsonl {
            return;
        }
        self.lines.write(&mut self.out, outcomes);
    }

    /// The whole report, at the end: the table and its summary line, the JSON
    /// document, or the lines not streamed yet.
    pub fn report(&mut self, report: &Report) {
        match self.format {
            OutputFormat::Table => {
                let mut table = Table::new(vec![
                    "INSTANCE",
                    "OUTCOME",
                    "STATE",
                    "CODE",
                    "REQUEST ID",
                    "MESSAGE",
                ]);
                for i in report.instances() {
                    let o = &i.outcome;
                    table.row([
                        i.id.as_str(),
                        o.kind().as_str(),
                        i.state.as_ref().map_or("-", |s| s.as_str()),
                        o.code().map_or("-", |c| c.as_str()),
                        o.request_id().unwrap_or("-"),
                        o.message().unwrap_or(""),
                    ]);
                }
                let _ = table.write(&mut self.out);
                let _ = writeln!(self.out, "{report}");
            }
            OutputFormat::Json => {
                let _ = writeln!(self.out, "{}", report.to_json());
            }
            OutputFormat::Jsonl => self.lines.write(&mut self.out, report.instances()),
        }
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        f(&mut ReportOutput::new(format, &mut buf));
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn jsonl_streams_each_instance_once_and_completes_at_the_end() {
        let report = not_sent(&["ins-00000001", "ins-00000002"]);
        let text = printed(OutputFormat::Jsonl, |o| {
            o.outcomes(&report.instances()[..1]);
            o.outcomes(&report.instances()[..1]);
            o.report(&report);
        });
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0]["id"], "ins-00000001");
        assert_eq!(lines[1]["id"], "ins-00000002");
        assert_eq!(lines[1]["outcome"], "not_sent");
    }

    #[test]
    fn json_and_table_print_only_at_the_end() {
        let report = not_sent(&["ins-00000001"]);
        let json = printed(OutputFormat::Json, |o| {
            o.outcomes(report.instances());
            o.report(&report);
        });
        assert_eq!(json, format!("{}\n", report.to_json()));
        let table = printed(OutputFormat::Table, |o| {
            o.outcomes(report.instances());
            o.report(&report);
        });
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert!(lines[0].starts_with("INSTANCE      OUTCOME   STATE  CODE  REQUEST ID  MESSAGE"));
        assert!(lines[1].starts_with("ins-00000001  not_sent  -      -     -           "));
        assert_eq!(lines[2], report.to_string());
    }
}
