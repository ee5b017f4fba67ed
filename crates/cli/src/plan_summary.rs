//! The one-screen summary shown before the question: where, how many of each
//! action and charge type, the refund, and the first instances to terminate.

use std::collections::BTreeMap;
use std::fmt;

use tencentcloud_cvm::model::InstanceState;
use tencentcloud_cvm::{Plan, PlannedAction};

use crate::table::Table;
use crate::terminal_text::escape;

/// How many instances are listed before "and N more".
const LISTED: usize = 10;

/// What a terminate is about to do, for a person to check before saying yes.
#[derive(Debug)]
pub struct PlanSummary {
    region: String,
    /// Shown when the requests do not go to the default endpoint.
    endpoint: Option<String>,
    what: What,
}

#[derive(Debug)]
enum What {
    /// Sent as given, nothing read first (`--no-preflight`).
    Unread { ids: Vec<String> },
    /// From a preview.
    Read(Counts),
}

#[derive(Debug)]
struct Counts {
    total: usize,
    /// The first instances to terminate: ID, state, charge type, name.
    listed: Vec<[String; 4]>,
    terminate: usize,
    terminate_by_charge: BTreeMap<String, usize>,
    /// Prepaid instances in the recycle bin among those to terminate: destroyed.
    destroyed: usize,
    refund: Option<String>,
    skip: usize,
    fail: usize,
    fail_by_code: BTreeMap<String, usize>,
}

impl PlanSummary {
    /// `ids` to be sent as they are, their state not read first.
    pub fn unread(region: &str, endpoint: Option<&str>, ids: &[String]) -> Self {
        PlanSummary {
            region: region.to_owned(),
            endpoint: endpoint.map(str::to_owned),
            what: What::Unread { ids: ids.to_vec() },
        }
    }

    /// What a preview found.
    pub fn from_plan(region: &str, endpoint: Option<&str>, plan: &Plan) -> Self {
        let mut counts = Counts {
            total: plan.entries().len(),
            listed: Vec::new(),
            terminate: plan.count(PlannedAction::Terminate),
            terminate_by_charge: BTreeMap::new(),
            destroyed: 0,
            refund: plan.refund_total().map(|a| a.to_string()),
            skip: plan.count(PlannedAction::Skip),
            fail: plan.count(PlannedAction::Fail),
            fail_by_code: BTreeMap::new(),
        };
        for entry in plan.entries() {
            let charge = entry.charge_type().map_or("?", |c| c.as_str());
            match entry.action {
                PlannedAction::Terminate => {
                    *counts
                        .terminate_by_charge
                        .entry(charge.to_owned())
                        .or_default() += 1;
                    let prepaid = entry.charge_type().is_some_and(|c| c.is_prepaid());
                    if prepaid && entry.state() == Some(&InstanceState::Shutdown) {
                        counts.destroyed += 1;
                    }
                    if counts.listed.len() < LISTED {
                        counts.listed.push([
                            entry.id.to_string(),
                            entry.state().map_or("?", |s| s.as_str()).to_owned(),
                            charge.to_owned(),
                            entry
                                .instance
                                .as_ref()
                                .and_then(|i| i.instance_name.clone())
                                .unwrap_or_default(),
                        ]);
                    }
                }
                PlannedAction::Fail => {
                    let code = entry.code.as_ref().map_or("not read", |c| c.as_str());
                    *counts.fail_by_code.entry(code.to_owned()).or_default() += 1;
                }
                _ => {}
            }
        }
        PlanSummary {
            region: region.to_owned(),
            endpoint: endpoint.map(str::to_owned),
            what: What::Read(counts),
        }
    }

    /// How many instances a yes terminates.
    pub fn to_terminate(&self) -> usize {
        match &self.what {
            What::Unread { ids } => ids.len(),
            What::Read(counts) => counts.terminate,
        }
    }
}

/// `A 2, B 1`, escaped.
fn tally(counts: &BTreeMap<String, usize>) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|(name, n)| format!("{} {n}", escape(name)))
        .collect();
    parts.join(", ")
}

impl fmt::Display for PlanSummary {
    /// Every line ends with a newline; text from the service or input is escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region {}", escape(&self.region))?;
        if let Some(endpoint) = &self.endpoint {
            write!(f, ", endpoint {}", escape(endpoint))?;
        }
        match &self.what {
            What::Unread { ids } => {
                writeln!(
                    f,
                    ": {} instance(s) to terminate, not read first",
                    ids.len()
                )?;
                for id in ids.iter().take(LISTED) {
                    writeln!(f, "  {}", escape(id))?;
                }
                if ids.len() > LISTED {
                    writeln!(f, "  and {} more", ids.len() - LISTED)?;
                }
                writeln!(
                    f,
                    "Their state, billing and refund are not known (--no-preflight): prepaid \
                     instances already in the recycle bin are destroyed."
                )
            }
            What::Read(c) => {
                writeln!(f, ": {} instance(s) read", c.total)?;
                writeln!(
                    f,
                    "  terminate  {:>5}  {}",
                    c.terminate,
                    tally(&c.terminate_by_charge)
                )?;
                writeln!(
                    f,
                    "  skip       {:>5}  {}",
                    c.skip,
                    if c.skip > 0 {
                        "prepaid, already in the recycle bin (--destroy-prepaid destroys them)"
                    } else {
                        ""
                    }
                )?;
                writeln!(f, "  fail       {:>5}  {}", c.fail, tally(&c.fail_by_code))?;
                match &c.refund {
                    Some(total) => writeln!(f, "Refund: {total}")?,
                    None => writeln!(f, "Refund: not known for every instance")?,
                }
                if !c.listed.is_empty() {
                    writeln!(f, "To terminate:")?;
                    let mut table = Table::new(vec!["  INSTANCE", "STATE", "CHARGE TYPE", "NAME"]);
                    for [id, state, charge, name] in &c.listed {
                        table.row([
                            format!("  {id}"),
                            state.clone(),
                            charge.clone(),
                            name.clone(),
                        ]);
                    }
                    let mut text = Vec::new();
                    // Writing to a Vec cannot fail.
                    let _ = table.write(&mut text);
                    f.write_str(&String::from_utf8_lossy(&text))?;
                    if c.terminate > c.listed.len() {
                        writeln!(f, "  and {} more", c.terminate - c.listed.len())?;
                    }
                }
                if c.destroyed > 0 {
                    writeln!(
                        f,
                        "{} of them prepaid and already in the recycle bin: terminating destroys \
                         them for good (--destroy-prepaid).",
                        c.destroyed
                    )?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unread_lists_ten_then_counts() {
        let ids: Vec<String> = (0..12).map(|i| format!("ins-{i:08}")).collect();
        let text =
            PlanSummary::unread("ap-guangzhou", Some("http://127.0.0.1:1"), &ids).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Region ap-guangzhou, endpoint http://127.0.0.1:1: 12 instance(s) to terminate, not read first"
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
