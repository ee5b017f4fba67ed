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

    /// Its width in columns, if it says.
    pub fn width(&self) -> Option<usize> {
        terminal_size::terminal_size_of(&self.output)
            .map(|(terminal_size::Width(w), _)| usize::from(w))
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

/// Above this many instances, a `y` is not enough: the number is typed.
pub const TYPE_THE_NUMBER_ABOVE: usize = 50;

/// Writes the summary and the question, then reads one line. Up to
/// [`TYPE_THE_NUMBER_ABOVE`] instances: "Terminate N instance(s)? [y/N] ", and
/// `y` or `yes` (any case) is a yes. Above: the number of instances must be
/// typed. Anything else, end of input included, is a no.
pub fn ask(
    input: &mut impl BufRead,
    output: &mut impl Write,
    summary: &PlanSummary,
) -> io::Result<bool> {
    let n = summary.to_terminate();
    let by_number = n > TYPE_THE_NUMBER_ABOVE;
    if by_number {
        write!(
            output,
            "{summary}Terminate {n} instance(s)? Type {n} to confirm, anything else to cancel: "
        )?;
    } else {
        write!(output, "{summary}Terminate {n} instance(s)? [y/N] ")?;
    }
    output.flush()?;
    let mut line = String::new();
    input.read_line(&mut line)?;
    let answer = line.trim().to_ascii_lowercase();
    Ok(if by_number {
        answer == n.to_string()
    } else {
        answer == "y" || answer == "yes"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::plan_summary::Header;

    fn answer_for(instances: usize, typed: &str) -> (bool, String) {
        let header = Header {
            region: "ap-guangzhou".to_owned(),
            endpoint: None,
            endpoints: Vec::new(),
            identity: None,
            currency: Currency::Cny,
        };
        let ids: Vec<String> = (0..instances).map(|i| format!("ins-{i:08}")).collect();
        let summary = PlanSummary::unread(header, &ids);
        let mut shown = Vec::new();
        let yes = ask(&mut typed.as_bytes(), &mut shown, &summary).unwrap();
        (yes, String::from_utf8(shown).unwrap())
    }

    fn answer(typed: &str) -> (bool, String) {
        answer_for(1, typed)
    }

    #[test]
    fn above_fifty_the_number_is_typed() {
        let (yes, shown) = answer_for(51, "51\n");
        assert!(yes);
        assert!(
            shown.ends_with(
                "Terminate 51 instance(s)? Type 51 to confirm, anything else to cancel: "
            ),
            "{shown}"
        );
        for typed in ["y\n", "yes\n", "50\n", "051\n", "\n", ""] {
            assert!(!answer_for(51, typed).0, "{typed:?}");
        }
        assert!(answer_for(51, " 51 \r\n").0);
        // Fifty is still a y.
        assert!(answer_for(50, "y\n").0);
        assert!(!answer_for(50, "50\n").0);
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
