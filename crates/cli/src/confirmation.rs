//! The question before terminating, asked on the terminal itself (`/dev/tty`),
//! so it works when the IDs come on standard input and the report goes to a pipe.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use crate::plan_summary::PlanSummary;

/// The controlling terminal, opened for the question.
#[derive(Debug)]
pub struct Terminal {
    input: BufReader<File>,
    output: File,
}

impl Terminal {
    /// The process's controlling terminal; an error when it has none (run from
    /// cron, CI, a pipeline without a terminal, or on a system without `/dev/tty`).
    pub fn open() -> io::Result<Terminal> {
        let file = File::options()
            .read(true)
            .write(true)
            .open(CONTROLLING_TERMINAL)?;
        Ok(Terminal {
            output: file.try_clone()?,
            input: BufReader::new(file),
        })
    }

    /// Where to show what is not a question.
    pub fn output(&mut self) -> &mut impl Write {
        &mut self.output
    }

    /// Shows the summary and asks; see [`ask`].
    pub fn ask(&mut self, summary: &PlanSummary) -> io::Result<bool> {
        ask(&mut self.input, &mut self.output, summary)
    }
}

#[cfg(unix)]
const CONTROLLING_TERMINAL: &str = "/dev/tty";
#[cfg(windows)]
const CONTROLLING_TERMINAL: &str = "CONIN$";
#[cfg(not(any(unix, windows)))]
const CONTROLLING_TERMINAL: &str = "";

/// Writes the summary and "Terminate N instances? [y/N] ", then reads one line:
/// `y` or `yes` (any case) is a yes; anything else, end of input included, a no.
pub fn ask(
    input: &mut impl BufRead,
    output: &mut impl Write,
    summary: &PlanSummary,
) -> io::Result<bool> {
    write!(
        output,
        "{summary}Terminate {} instance(s)? [y/N] ",
        summary.to_terminate()
    )?;
    output.flush()?;
    let mut line = String::new();
    input.read_line(&mut line)?;
    let answer = line.trim().to_ascii_lowercase();
    Ok(answer == "y" || answer == "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(typed: &str) -> (bool, String) {
        let summary = PlanSummary::unread("ap-guangzhou", None, &["ins-00000001".to_owned()]);
        let mut shown = Vec::new();
        let yes = ask(&mut typed.as_bytes(), &mut shown, &summary).unwrap();
        (yes, String::from_utf8(shown).unwrap())
    }

    #[test]
    fn only_y_or_yes_is_a_yes() {
        for typed in ["y\n", "Y\n", "yes\n", " YES \r\n"] {
            assert!(answer(typed).0, "{typed:?}");
        }
        for typed in ["", "\n", "n\n", "no\n", "yess\n", "sure\n", "y es\n"] {
            assert!(!answer(typed).0, "{typed:?}");
        }
    }

    #[test]
    fn the_question_follows_the_summary() {
        let (_, shown) = answer("n\n");
        assert!(
            shown.starts_with("Region ap-guangzhou: 1 instance(s) to terminate, not read first\n")
        );
        assert!(
            shown.ends_with("\nTerminate 1 instance(s)? [y/N] "),
            "{shown}"
        );
    }
}
