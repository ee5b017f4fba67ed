//! JSON Lines: one line per instance, written as soon as it is final and never
//! twice, whether it came in a batch during the run or only at the end; then
//! one summary line.
//!
//! Lines that could belong to a whole-run refusal ([`crate::whole_run`]) wait:
//! if every instance fails that way, the run is one error and no line is
//! written. The first line that cannot belong to one lets them all out.

use std::collections::HashSet;
use std::io::Write;

use tencentcloud_cvm::model::InstanceId;

/// One instance's line.
pub struct Line {
    pub id: InstanceId,
    pub text: String,
    /// Whether it could belong to a whole-run refusal.
    pub suspect: bool,
}

/// The instances whose line is out (or held), and the held lines.
#[derive(Default)]
pub struct JsonLines {
    seen: HashSet<InstanceId>,
    held: Vec<String>,
    /// Once a line that is not a suspect came, nothing more is held.
    released: bool,
}

impl JsonLines {
    /// Writes the line of each instance that has none out yet (or holds it),
    /// then flushes, so a reader (or a file) has it even if the run is killed
    /// later. Write errors are the caller's to learn from the writer.
    pub fn write(&mut self, out: &mut impl Write, lines: impl IntoIterator<Item = Line>) {
        for line in lines {
            if !self.seen.insert(line.id) {
                continue;
            }
            if !self.released && line.suspect {
                self.held.push(line.text);
                continue;
            }
            if !self.released {
                self.released = true;
                for held in std::mem::take(&mut self.held) {
                    let _ = writeln!(out, "{held}");
                }
            }
            let _ = writeln!(out, "{}", line.text);
        }
        let _ = out.flush();
    }

    /// The end: any line not out yet, the held ones first, then the summary line.
    pub fn finish(
        &mut self,
        out: &mut impl Write,
        lines: impl IntoIterator<Item = Line>,
        summary: &str,
    ) {
        self.released = true;
        for held in std::mem::take(&mut self.held) {
            let _ = writeln!(out, "{held}");
        }
        self.write(out, lines);
        let _ = writeln!(out, "{summary}");
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u32, suspect: bool) -> Line {
        let id = InstanceId::parse(&format!("ins-{n:08}")).unwrap();
        Line {
            text: format!("{{\"id\":\"{id}\"}}"),
            id,
            suspect,
        }
    }

    fn text(out: &[u8]) -> Vec<String> {
        String::from_utf8(out.to_vec())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn suspects_wait_for_the_first_line_that_is_not_one() {
        let mut lines = JsonLines::default();
        let mut out = Vec::new();
        lines.write(&mut out, [line(1, true), line(2, true)]);
        assert!(out.is_empty());
        lines.write(&mut out, [line(3, false), line(4, true), line(1, false)]);
        assert_eq!(
            text(&out),
            [
                r#"{"id":"ins-00000001"}"#,
                r#"{"id":"ins-00000002"}"#,
                r#"{"id":"ins-00000003"}"#,
                r#"{"id":"ins-00000004"}"#
            ]
        );
    }

    #[test]
    fn the_end_writes_what_is_left_once_then_the_summary() {
        let mut lines = JsonLines::default();
        let mut out = Vec::new();
        lines.write(&mut out, [line(1, true)]);
        lines.finish(&mut out, [line(1, true), line(2, true)], "{\"summary\":{}}");
        assert_eq!(
            text(&out),
            [
                r#"{"id":"ins-00000001"}"#,
                r#"{"id":"ins-00000002"}"#,
                r#"{"summary":{}}"#
            ]
        );
    }
}
