//! Aligned text columns, every cell escaped for the terminal.

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::terminal_text::escape;

/// A header and rows of cells; the last column is not padded.
#[derive(Debug)]
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// The same header with a REGION column second, when `several` regions are
    /// shown (see [`Table::row_in`]).
    pub fn with_region(mut header: Vec<&'static str>, several: bool) -> Self {
        if several {
            header.insert(1.min(header.len()), "REGION");
        }
        Table::new(header)
    }

    /// Adds a row, with `region` as its second cell when the table has a REGION
    /// column ([`Table::with_region`]; `-` for none).
    pub fn row_in<S: AsRef<str>>(
        &mut self,
        region: Option<&str>,
        cells: impl IntoIterator<Item = S>,
    ) {
        let mut cells: Vec<String> = cells.into_iter().map(|c| c.as_ref().to_owned()).collect();
        if self.header.get(1) == Some(&"REGION") {
            cells.insert(1.min(cells.len()), region.unwrap_or("-").to_owned());
        }
        self.row(cells);
    }

    /// Adds a row; cells are escaped here, so any text may be given. Missing
    /// cells are blank, extra ones dropped.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row: Vec<String> = cells
            .into_iter()
            .take(self.header.len())
            .map(|c| escape(c.as_ref()).into_owned())
            .collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// Writes the header and the rows, one line each, columns two spaces apart,
    /// padded to their widest cell as a terminal shows it (CJK characters take
    /// two columns); within `width` columns when given (a terminal's), where
    /// only the last column gives way. It wraps within its own column while that
    /// leaves it [`MIN_LAST`] columns; else each row's last cell goes on the
    /// lines below the row, indented. The other columns are never cut, so a row
    /// is wider than `width` only when they alone are.
    pub fn write_fitted(&self, out: &mut impl Write, width: Option<usize>) -> io::Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        // Where the last column starts.
        let start: usize = widths[..columns - 1].iter().map(|w| w + 2).sum();
        let last_width = match width {
            Some(total) if start + widths[columns - 1] > total => {
                Some(total.saturating_sub(start)).filter(|&w| w >= MIN_LAST)
            }
            _ => None,
        };
        let below =
            width.is_some_and(|total| start + widths[columns - 1] > total) && last_width.is_none();
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        for (r, row) in std::iter::once(&header).chain(&self.rows).enumerate() {
            let mut line = String::new();
            for (cell, w) in row[..columns - 1].iter().zip(&widths) {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width()) + 2));
            }
            let last = &row[columns - 1];
            if below {
                writeln!(out, "{}", line.trim_end())?;
                if r > 0 && !last.is_empty() {
                    let indent = "    ";
                    let room = width
                        .unwrap_or(0)
                        .saturating_sub(indent.len())
                        .max(MIN_LAST);
                    for part in wrap(last, room) {
                        writeln!(out, "{indent}{part}")?;
                    }
                }
                continue;
            }
            let parts = match last_width {
                Some(room) => wrap(last, room),
                None => vec![last.clone()],
            };
            let mut parts = parts.into_iter();
            line.push_str(&parts.next().unwrap_or_default());
            writeln!(out, "{}", line.trim_end())?;
            for part in parts {
                writeln!(out, "{}{part}", " ".repeat(start))?;
            }
        }
        Ok(())
    }
}

/// The fewest columns the last column wraps in before it moves below its row.
pub const MIN_LAST: usize = 40;

/// `text` in lines of at most `width` display columns: broken at spaces where
/// it can be, within a word where a word alone is wider.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let room = if line.is_empty() {
            width
        } else {
            width.saturating_sub(line.width() + 1)
        };
        if word.width() <= room {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let w = UnicodeWidthChar::width(c).unwrap_or(0);
            if line.width() + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The width of the terminal standard output is, if it is one.
pub fn stdout_width() -> Option<usize> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(stdout).map(|(terminal_size::Width(w), _)| usize::from(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &Table) -> String {
        let mut out = Vec::new();
        t.write_fitted(&mut out, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_align_on_display_width() {
        let mut t = Table::new(vec!["INSTANCE", "OUTCOME", "MESSAGE"]);
        t.row(["ins-00000001", "failed", "实例不存在"]);
        t.row(["ins-2", "terminated", ""]);
        assert_eq!(
            render(&t),
            "\
INSTANCE      OUTCOME     MESSAGE
ins-00000001  failed      实例不存在
ins-2         terminated
"
        );
    }

    #[test]
    fn a_hostile_cell_stays_in_its_row() {
        let mut t = Table::new(vec!["INSTANCE", "OUTCOME", "MESSAGE"]);
        t.row([
            "ins-00000001",
            "failed",
            "boom\u{1b}[1A\u{1b}[2K\nins-zzzzzzzz  terminated",
        ]);
        let text = render(&t);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("boom\\u{1b}[1A\\u{1b}[2K\\nins-zzzzzzzz  terminated"));
    }

    fn fitted(t: &Table, width: usize) -> String {
        let mut out = Vec::new();
        t.write_fitted(&mut out, Some(width)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_last_column_wraps_within_the_width() {
        let mut t = Table::new(vec!["INSTANCE", "OUTCOME", "MESSAGE"]);
        t.row([
            "ins-00000001",
            "failed",
            "the instance does not exist (not returned by DescribeInstances); not sent",
        ]);
        t.row(["ins-00000002", "terminated", ""]);
        let text = fitted(&t, 70);
        assert_eq!(
            text,
            "\
INSTANCE      OUTCOME     MESSAGE
ins-00000001  failed      the instance does not exist (not returned by
                          DescribeInstances); not sent
ins-00000002  terminated
"
        );
        assert!(text.lines().all(|l| l.width() <= 70), "{text}");
        // Wide enough: one line per row, as without a width.
        assert_eq!(fitted(&t, 200), render(&t));
    }

    #[test]
    fn too_narrow_a_last_column_goes_below_its_row() {
        let mut t = Table::new(vec!["INSTANCE", "REQUEST ID", "MESSAGE"]);
        t.row([
            "ins-00000001",
            "6f1b8c2e-0f5d-4a43-9b3c-1c2d3e4f5a6b",
            "the answer was lost; a read 5 s later shows it acted: TERMINATING",
        ]);
        t.row(["ins-00000002", "-", ""]);
        let text = fitted(&t, 60);
        assert_eq!(
            text,
            "\
INSTANCE      REQUEST ID
ins-00000001  6f1b8c2e-0f5d-4a43-9b3c-1c2d3e4f5a6b
    the answer was lost; a read 5 s later shows it acted:
    TERMINATING
ins-00000002  -
"
        );
        assert!(text.lines().all(|l| l.width() <= 60), "{text}");
    }

    #[test]
    fn a_word_wider_than_the_column_is_cut_and_cjk_counts_double() {
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("实例不存在", 4), ["实例", "不存", "在"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("a b", 10), ["a b"]);
    }

    #[test]
    fn short_and_long_rows_fit_the_header() {
        let mut t = Table::new(vec!["A", "B"]);
        t.row(["1"]);
        t.row(["1", "2", "3"]);
        assert_eq!(render(&t), "A  B\n1\n1  2\n");
    }
}
