//! A preview (`--dry-run`) on standard output: a table, one JSON document, or
//! JSON lines streamed as each read comes back.

use std::io::Write;

use tencentcloud_cvm::{Plan, PlanEntry};

use crate::args::OutputFormat;
use crate::json_lines::JsonLines;
use crate::table::Table;

/// Prints a preview's entries in one format; write errors are ignored, as for
/// [`ReportOutput`](crate::report_output::ReportOutput).
pub struct PlanOutput<W: Write> {
    format: OutputFormat,
    out: W,
    lines: JsonLines,
}

impl<W: Write> PlanOutput<W> {
    pub fn new(format: OutputFormat, out: W) -> Self {
        PlanOutput {
            format,
            out,
            lines: JsonLines::default(),
        }
    }

    /// Entries as they become final: with jsonl, one line each, flushed at once.
    pub fn planned(&mut self, entries: &[PlanEntry]) {
        if self.format != OutputFormat::Jsonl {
            return;
        }
        self.lines.write(&mut self.out, entries);
    }

    /// The whole plan, at the end: the table and its summary line, the JSON
    /// document, or the lines not streamed yet.
    pub fn plan(&mut self, plan: &Plan) {
        match self.format {
            OutputFormat::Table => {
                let mut table = Table::new(vec![
                    "INSTANCE",
                    "ACTION",
                    "STATE",
                    "CHARGE TYPE",
                    "REFUND",
                    "CODE",
                    "MESSAGE",
                ]);
                for e in plan.entries() {
                    table.row([
                        e.id.to_string(),
                        e.action.as_str().to_owned(),
                        e.state().map_or("-", |s| s.as_str()).to_owned(),
                        e.charge_type().map_or("-", |c| c.as_str()).to_owned(),
                        e.refund.as_ref().map_or("-".to_owned(), |r| r.to_string()),
                        e.code.as_ref().map_or("-", |c| c.as_str()).to_owned(),
                        e.message.clone().unwrap_or_default(),
                    ]);
                }
                let _ = table.write(&mut self.out);
                let _ = writeln!(self.out, "{plan}");
            }
            OutputFormat::Json => {
                let _ = writeln!(self.out, "{}", plan.to_json());
            }
            OutputFormat::Jsonl => self.lines.write(&mut self.out, plan.entries()),
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

    fn unread(ids: &[&str]) -> Plan {
        let mut run = Termination::preview(ids, &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        run.into_plan()
    }

    fn printed(format: OutputFormat, f: impl FnOnce(&mut PlanOutput<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        f(&mut PlanOutput::new(format, &mut buf));
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn each_format() {
        let plan = unread(&["ins-00000001", "ins-00000002"]);
        let table = printed(OutputFormat::Table, |o| {
            o.planned(plan.entries());
            o.plan(&plan);
        });
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(
            lines[0].starts_with("INSTANCE      ACTION  STATE  CHARGE TYPE  REFUND  CODE  MESSAGE")
        );
        assert!(lines[1]
            .starts_with("ins-00000001  fail    -      -            -       -     not read"));
        assert_eq!(lines[3], plan.to_string());
        let json = printed(OutputFormat::Json, |o| o.plan(&plan));
        assert_eq!(json, format!("{}\n", plan.to_json()));
        let jsonl = printed(OutputFormat::Jsonl, |o| {
            o.planned(&plan.entries()[1..]);
            o.plan(&plan);
        });
        let ids: Vec<String> = jsonl
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        assert_eq!(ids, ["\"ins-00000002\"", "\"ins-00000001\""]);
    }
}
