//! Aligned text columns, every cell escaped for the terminal.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

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
    /// two columns).
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width())));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &Table) -> String {
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
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

    #[test]
    fn short_and_long_rows_fit_the_header() {
        let mut t = Table::new(vec!["A", "B"]);
        t.row(["1"]);
        t.row(["1", "2", "3"]);
        assert_eq!(render(&t), "A  B\n1\n1  2\n");
    }
}
