//! The one-screen summary shown before the question: where, how many, which.

use std::fmt;

use crate::terminal_text::escape;

/// How many instance IDs are listed before "and N more".
const LISTED: usize = 10;

/// What a terminate is about to do, for a person to check before saying yes.
#[derive(Debug)]
pub struct PlanSummary {
    region: String,
    /// Shown when the requests do not go to the default endpoint.
    endpoint: Option<String>,
    to_terminate: Vec<String>,
}

impl PlanSummary {
    /// `ids` to be sent as they are, their state not read first.
    pub fn unread(region: &str, endpoint: Option<&str>, ids: &[String]) -> Self {
        PlanSummary {
            region: region.to_owned(),
            endpoint: endpoint.map(str::to_owned),
            to_terminate: ids.to_vec(),
        }
    }

    /// How many instances a yes terminates.
    pub fn to_terminate(&self) -> usize {
        self.to_terminate.len()
    }
}

impl fmt::Display for PlanSummary {
    /// Every line ends with a newline; text from input is escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region {}", escape(&self.region))?;
        if let Some(endpoint) = &self.endpoint {
            write!(f, ", endpoint {}", escape(endpoint))?;
        }
        writeln!(f, ": {} instance(s) to terminate", self.to_terminate.len())?;
        for id in self.to_terminate.iter().take(LISTED) {
            writeln!(f, "  {}", escape(id))?;
        }
        if self.to_terminate.len() > LISTED {
            writeln!(f, "  and {} more", self.to_terminate.len() - LISTED)?;
        }
        writeln!(
            f,
            "Their state, billing and refund were not read first: prepaid instances already in \
             the recycle bin are destroyed."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ten_then_counts() {
        let ids: Vec<String> = (0..12).map(|i| format!("ins-{i:08}")).collect();
        let text =
            PlanSummary::unread("ap-guangzhou", Some("http://127.0.0.1:1"), &ids).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Region ap-guangzhou, endpoint http://127.0.0.1:1: 12 instance(s) to terminate"
        );
        assert_eq!(lines[1], "  ins-00000000");
        assert_eq!(lines[10], "  ins-00000009");
        assert_eq!(lines[11], "  and 2 more");
        assert_eq!(lines.len(), 13);
    }

    #[test]
    fn input_is_escaped() {
        let text = PlanSummary::unread("ap-\u{1b}[2Jx", None, &[]).to_string();
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
