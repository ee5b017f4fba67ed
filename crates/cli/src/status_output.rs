//! `tccvm status` on standard output: a table, one JSON document, or JSON lines
//! streamed as each read comes back (the schema is in [`crate::run_document`]).

use std::io::Write;

use tencentcloud_cvm::{Plan, PlanEntry};

use crate::args::OutputFormat;
use crate::json_lines::{JsonLines, Line};
use crate::json_text::to_line;
use crate::run_document::{Document, LineContext, RunInfo, Seen, StatusCounts, StatusLine};
use crate::table::Table;
use crate::whole_run::suspect_entry;

/// Prints the instances read, in one format.
pub struct StatusOutput<W: Write> {
    format: OutputFormat,
    out: W,
    lines: JsonLines,
    cx: LineContext,
    width: Option<usize>,
}

impl<W: Write> StatusOutput<W> {
    pub fn new(format: OutputFormat, out: W, cx: LineContext, width: Option<usize>) -> Self {
        StatusOutput {
            format,
            out,
            lines: JsonLines::default(),
            cx,
            width,
        }
    }

    /// Entries as they are read: with jsonl, one line each, flushed at once.
    pub fn read(&mut self, entries: &[PlanEntry]) {
        if self.format != OutputFormat::Jsonl {
            return;
        }
        let lines: Vec<Line> = entries.iter().map(|e| self.line(e)).collect();
        self.lines.write(&mut self.out, lines);
    }

    fn line(&self, e: &PlanEntry) -> Line {
        Line {
            id: e.id.clone(),
            text: to_line(&StatusLine::new(e, &self.cx)),
            suspect: suspect_entry(e),
        }
    }

    /// Every instance, at the end.
    pub fn status(&mut self, plan: &Plan, run: &RunInfo) {
        match self.format {
            OutputFormat::Table => {
                let mut table = Table::new(vec![
                    "INSTANCE",
                    "STATE",
                    "CHARGE TYPE",
                    "PROTECTED",
                    "LATEST OPERATION",
                    "NAME",
                    "MESSAGE",
                ]);
                for e in plan.entries() {
                    let i = e.instance.as_ref();
                    let operation = i.and_then(|i| {
                        let op = i.latest_operation.as_deref()?;
                        Some(match &i.latest_operation_state {
                            Some(state) => format!("{op} {}", state.as_str()),
                            None => op.to_owned(),
                        })
                    });
                    let protected = i.and_then(|i| i.disable_api_termination);
                    table.row([
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
                    ]);
                }
                let _ = table.write_fitted(&mut self.out, self.width);
                let read = plan
                    .entries()
                    .iter()
                    .filter(|e| Seen::of(e) == Seen::Read)
                    .count();
                let _ = writeln!(
                    self.out,
                    "{} instance(s): {read} read, {} not found or not read",
                    plan.entries().len(),
                    plan.entries().len() - read
                );
            }
            OutputFormat::Json => {
                let document = Document {
                    run,
                    summary: StatusCounts::of(plan),
                    instances: Some(
                        plan.entries()
                            .iter()
                            .map(|e| StatusLine::new(e, &self.cx))
                            .collect::<Vec<_>>(),
                    ),
                };
                let _ = writeln!(self.out, "{}", to_line(&document));
            }
            OutputFormat::Jsonl => {
                let summary = Document::<_, ()> {
                    run,
                    summary: StatusCounts::of(plan),
                    instances: None,
                };
                let lines: Vec<Line> = plan.entries().iter().map(|e| self.line(e)).collect();
                self.lines.finish(&mut self.out, lines, &to_line(&summary));
            }
        }
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::run_document::CommandKind;
    use std::time::Instant;
    use tencentcloud_cvm::{TerminateOptions, Termination};

    fn printed(format: OutputFormat, plan: &Plan) -> String {
        let mut out = Vec::new();
        let cx = LineContext {
            region: "ap-guangzhou".to_owned(),
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
