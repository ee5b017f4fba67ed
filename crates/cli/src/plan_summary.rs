//! The one-screen summary shown before the question: where and as whom, how
//! many of each action and charge type, what terminating does to each charge
//! type and what it refunds, the first instances to terminate, and which
//! instances are skipped or fail.

use std::collections::BTreeMap;
use std::fmt;

use tencentcloud_cvm::model::{Amount, ChargeType, InstanceState};
use tencentcloud_cvm::{Plan, PlanEntry, PlannedAction};

use crate::identity::Identity;
use crate::money::{Currency, Money};
use crate::report_output::message_cell;
use crate::table::Table;
use crate::terminal_text::escape;

/// How many instances of a list are shown before "and N more".
const LISTED: usize = 10;

/// Where the requests go and as whom, for the first lines.
#[derive(Clone, Debug)]
pub struct Header {
    pub region: String,
    /// Shown when the requests do not go to the default endpoint.
    pub endpoint: Option<String>,
    /// In a run over several regions, the endpoint of each region that has its own
    /// (shown beside its counts).
    pub endpoints: Vec<(String, String)>,
    pub identity: Option<Identity>,
    pub currency: Currency,
}

/// What a terminate is about to do, for a person to check before saying yes.
#[derive(Debug)]
pub struct PlanSummary {
    header: Header,
    what: What,
    /// The width of the terminal it is shown on, which its tables fit.
    width: Option<usize>,
}

#[derive(Debug)]
enum What {
    /// Sent as given, nothing read first (`--no-preflight`).
    Unread { ids: Vec<String> },
    /// From a preview.
    Read(Box<Counts>),
}

#[derive(Debug)]
struct Counts {
    total: usize,
    /// Per region, in a run over several: the region (`-` for the instances placed
    /// in none) and how many instances it has to terminate, skip and fail.
    regions: Vec<(String, [usize; 3])>,
    /// The first instances to terminate: ID, state, charge type, name, region.
    listed: Vec<[String; 5]>,
    terminate: usize,
    terminate_by_charge: BTreeMap<String, usize>,
    /// What terminating does, per charge type (and whether in the recycle bin).
    effects: BTreeMap<(String, bool), Effect>,
    /// Prepaid instances in the recycle bin among those to terminate: destroyed.
    destroyed: usize,
    refund: Option<Amount>,
    skip: usize,
    fail: usize,
    fail_by_code: BTreeMap<String, usize>,
    /// The first skipped and failing instances: ID and why.
    skipped: Vec<(String, String)>,
    failing: Vec<(String, String)>,
}

/// What terminating the instances of one charge type does.
#[derive(Debug)]
struct Effect {
    instances: usize,
    meaning: &'static str,
    /// Their refunds added up; `None` if one is not known.
    refund: Option<Amount>,
}

/// What TerminateInstances does to an instance of `charge` (in the recycle bin
/// or not), as the API documents it.
fn meaning(charge: Option<&ChargeType>, in_recycle_bin: bool) -> &'static str {
    match charge {
        Some(ChargeType::Prepaid) if in_recycle_bin => {
            "already in the recycle bin: destroyed for good, nothing to restore"
        }
        Some(ChargeType::Prepaid) => "moved to the recycle bin: kept 7 days, renewing restores it",
        Some(ChargeType::PostpaidByHour) => "pay-as-you-go: released at once, for good",
        Some(ChargeType::SpotPaid) => "spot: released at once, for good",
        Some(ChargeType::CdhPaid) => {
            "on a dedicated host (CDH): the API does not document what terminating does"
        }
        Some(ChargeType::CdcPaid) => {
            "in a dedicated cluster (CDC): the API does not document what terminating does"
        }
        _ => "a charge type the API does not document: what terminating does is not known",
    }
}

impl PlanSummary {
    /// `ids` to be sent as they are, their state not read first.
    pub fn unread(header: Header, ids: &[String]) -> Self {
        PlanSummary {
            header,
            what: What::Unread { ids: ids.to_vec() },
            width: None,
        }
    }

    /// What a preview found.
    pub fn from_plan(header: Header, plan: &Plan) -> Self {
        PlanSummary::from_plans(header, &[(None, plan)])
    }

    /// What the previews of several regions found (`None`: the instances placed in
    /// no region); with more than one, how many each region matched, and the
    /// region of each instance listed.
    pub fn from_plans(header: Header, plans: &[(Option<&str>, &Plan)]) -> Self {
        let mut counts = Counts {
            total: 0,
            regions: Vec::new(),
            listed: Vec::new(),
            terminate: 0,
            terminate_by_charge: BTreeMap::new(),
            effects: BTreeMap::new(),
            destroyed: 0,
            refund: Some(Amount::ZERO),
            skip: 0,
            fail: 0,
            fail_by_code: BTreeMap::new(),
            skipped: Vec::new(),
            failing: Vec::new(),
        };
        let several = plans.len() > 1;
        for (region, plan) in plans {
            counts.total += plan.entries().len();
            counts.terminate += plan.count(PlannedAction::Terminate);
            counts.skip += plan.count(PlannedAction::Skip);
            counts.fail += plan.count(PlannedAction::Fail);
            counts.refund = match (counts.refund, plan.refund_total()) {
                (Some(sum), Some(r)) => sum.checked_add(&r),
                _ => None,
            };
            if several {
                counts.regions.push((
                    region.unwrap_or("-").to_owned(),
                    [
                        plan.count(PlannedAction::Terminate),
                        plan.count(PlannedAction::Skip),
                        plan.count(PlannedAction::Fail),
                    ],
                ));
            }
            counts.add(plan, region.filter(|_| several).map(|r| r.to_owned()));
        }
        PlanSummary {
            header,
            what: What::Read(Box::new(counts)),
            width: None,
        }
    }

    /// The same, its tables fitted to `width` columns.
    pub fn fitted_to(mut self, width: Option<usize>) -> Self {
        self.width = width;
        self
    }

    /// How many instances a yes terminates.
    pub fn to_terminate(&self) -> usize {
        match &self.what {
            What::Unread { ids } => ids.len(),
            What::Read(counts) => counts.terminate,
        }
    }
}

impl Counts {
    /// The entries of one plan (of `region`, named in the rows when several are shown).
    fn add(&mut self, plan: &Plan, region: Option<String>) {
        for entry in plan.entries() {
            let charge = entry.charge_type().map_or("?", |c| c.as_str());
            match entry.action {
                PlannedAction::Terminate => self.terminating(entry, charge, region.as_deref()),
                PlannedAction::Fail => {
                    let code = entry.code.as_ref().map_or("not read", |c| c.as_str());
                    *self.fail_by_code.entry(code.to_owned()).or_default() += 1;
                    if self.failing.len() < LISTED {
                        let why = message_cell(entry.code.as_ref(), entry.message.as_deref());
                        self.failing.push((entry.id.to_string(), why));
                    }
                }
                PlannedAction::Skip if self.skipped.len() < LISTED => {
                    let why = message_cell(entry.code.as_ref(), entry.message.as_deref());
                    self.skipped.push((entry.id.to_string(), why));
                }
                _ => {}
            }
        }
    }

    fn terminating(&mut self, entry: &PlanEntry, charge: &str, region: Option<&str>) {
        *self
            .terminate_by_charge
            .entry(charge.to_owned())
            .or_default() += 1;
        let prepaid = entry.charge_type().is_some_and(|c| c.is_prepaid());
        let in_bin = prepaid && entry.state() == Some(&InstanceState::Shutdown);
        if in_bin {
            self.destroyed += 1;
        }
        let effect = self
            .effects
            .entry((charge.to_owned(), in_bin))
            .or_insert_with(|| Effect {
                instances: 0,
                meaning: meaning(entry.charge_type(), in_bin),
                refund: Some(Amount::ZERO),
            });
        effect.instances += 1;
        effect.refund = match (effect.refund, entry.refund) {
            (Some(sum), Some(r)) => sum.checked_add(&r),
            _ => None,
        };
        if self.listed.len() < LISTED {
            self.listed.push([
                entry.id.to_string(),
                entry.state().map_or("?", |s| s.as_str()).to_owned(),
                charge.to_owned(),
                entry
                    .instance
                    .as_ref()
                    .and_then(|i| i.instance_name.clone())
                    .unwrap_or_default(),
                region.unwrap_or_default().to_owned(),
            ]);
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

/// `items` as a table (`INSTANCE`, `WHY`), then "and N more" for the rest.
fn list(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    items: &[(String, String)],
    total: usize,
    width: Option<usize>,
) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(f, "{title}")?;
    let mut table = Table::new(vec!["  INSTANCE", "WHY"]);
    for (id, why) in items {
        table.row([format!("  {id}"), why.clone()]);
    }
    write_table(f, &table, width)?;
    if total > items.len() {
        writeln!(
            f,
            "  and {} more (--dry-run lists them all)",
            total - items.len()
        )?;
    }
    Ok(())
}

impl fmt::Display for PlanSummary {
    /// Every line ends with a newline; text from the service or input is escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = &self.header;
        write!(f, "Region {}", escape(&header.region))?;
        if let Some(endpoint) = &header.endpoint {
            write!(f, ", endpoint {}", escape(endpoint))?;
        }
        let as_whom = |f: &mut fmt::Formatter<'_>| match &header.identity {
            Some(identity) => {
                for (i, line) in identity.lines().iter().enumerate() {
                    let lead = if i == 0 { "As " } else { "  " };
                    writeln!(f, "{lead}{}", escape(line))?;
                }
                Ok(())
            }
            None => Ok(()),
        };
        let money = |a: Amount| Money::new(a, header.currency);
        match &self.what {
            What::Unread { ids } => {
                writeln!(
                    f,
                    ": {} instance(s) to terminate, not read first",
                    ids.len()
                )?;
                as_whom(f)?;
                for id in ids.iter().take(LISTED) {
                    writeln!(f, "  {}", escape(id))?;
                }
                if ids.len() > LISTED {
                    writeln!(f, "  and {} more", ids.len() - LISTED)?;
                }
                writeln!(
                    f,
                    "Their state, billing and refund are not known (--no-preflight): pay-as-you-go \
                     instances are released at once, prepaid ones moved to the recycle bin, and \
                     prepaid instances already in the recycle bin destroyed for good."
                )
            }
            What::Read(c) => {
                writeln!(f, ": {} instance(s) read", c.total)?;
                as_whom(f)?;
                for (region, [terminate, skip, fail]) in &c.regions {
                    write!(f, "  {}", escape(region))?;
                    if let Some((_, url)) = header.endpoints.iter().find(|(r, _)| r == region) {
                        write!(f, " ({})", escape(url))?;
                    }
                    writeln!(
                        f,
                        ": {terminate} to terminate, {skip} to skip, {fail} to fail"
                    )?;
                }
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
                if !c.effects.is_empty() {
                    writeln!(f, "What terminating does:")?;
                    let mut table =
                        Table::new(vec!["  CHARGE TYPE", "INSTANCES", "REFUND", "EFFECT"]);
                    for ((charge, _), effect) in &c.effects {
                        table.row([
                            format!("  {charge}"),
                            effect.instances.to_string(),
                            effect
                                .refund
                                .map_or("not known".to_owned(), |r| money(r).to_string()),
                            effect.meaning.to_owned(),
                        ]);
                    }
                    write_table(f, &table, self.width)?;
                }
                match c.refund {
                    Some(total) => writeln!(f, "Refund: {}", money(total))?,
                    None => writeln!(f, "Refund: not known for every instance")?,
                }
                if !c.listed.is_empty() {
                    writeln!(f, "To terminate:")?;
                    let mut table = Table::with_region(
                        vec!["  INSTANCE", "STATE", "CHARGE TYPE", "NAME"],
                        !c.regions.is_empty(),
                    );
                    for [id, state, charge, name, region] in &c.listed {
                        table.row_in(
                            Some(region.as_str()),
                            [
                                format!("  {id}"),
                                state.clone(),
                                charge.clone(),
                                name.clone(),
                            ],
                        );
                    }
                    write_table(f, &table, self.width)?;
                    if c.terminate > c.listed.len() {
                        writeln!(f, "  and {} more", c.terminate - c.listed.len())?;
                    }
                }
                list(f, "Skipped, not sent:", &c.skipped, c.skip, self.width)?;
                list(f, "Failing, not sent:", &c.failing, c.fail, self.width)?;
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

fn write_table(f: &mut fmt::Formatter<'_>, table: &Table, width: Option<usize>) -> fmt::Result {
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = table.write_fitted(&mut text, width);
    f.write_str(&String::from_utf8_lossy(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    fn header(endpoint: Option<&str>) -> Header {
        Header {
            region: "ap-guangzhou".to_owned(),
            endpoint: endpoint.map(str::to_owned),
            endpoints: Vec::new(),
            identity: None,
            currency: Currency::Cny,
        }
    }

    #[test]
    fn unread_lists_ten_then_counts() {
        let ids: Vec<String> = (0..12).map(|i| format!("ins-{i:08}")).collect();
        let text = PlanSummary::unread(header(Some("http://127.0.0.1:1")), &ids).to_string();
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
        let mut h = header(None);
        h.region = "ap-\u{1b}[2Jx".to_owned();
        let text = PlanSummary::unread(h, &[]).to_string();
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn the_identity_follows_the_region() {
        let mut h = header(None);
        h.identity = Some(Identity::from_secret_id("AKIDexampleexample1234"));
        let text = PlanSummary::unread(h, &["ins-00000001".to_owned()]).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            "As SecretId AKID****1234 (the account behind it is not looked up)"
        );
    }

    #[test]
    fn failing_instances_are_named_not_only_counted() {
        let ids: Vec<String> = (0..12).map(|i| format!("ins-{i:08}")).collect();
        let mut run = Termination::preview(&ids, &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        let text = PlanSummary::from_plan(header(None), &run.into_plan()).to_string();
        assert!(
            text.contains("Failing, not sent:\n  INSTANCE      WHY\n  ins-00000000  not read: "),
            "{text}"
        );
        assert!(text.contains("  ins-00000009  not read"), "{text}");
        assert!(!text.contains("  ins-00000010  "), "{text}");
        assert!(
            text.contains("  and 2 more (--dry-run lists them all)\n"),
            "{text}"
        );
    }

    #[test]
    fn each_charge_type_says_what_terminating_does() {
        assert!(meaning(Some(&ChargeType::PostpaidByHour), false).contains("released at once"));
        assert!(meaning(Some(&ChargeType::SpotPaid), false).contains("released at once"));
        assert!(meaning(Some(&ChargeType::Prepaid), false).contains("recycle bin"));
        assert!(meaning(Some(&ChargeType::Prepaid), true).contains("destroyed for good"));
        assert!(meaning(Some(&ChargeType::CdhPaid), false).contains("does not document"));
        assert!(meaning(Some(&ChargeType::parse("UNDERWRITE")), false).contains("not known"));
        assert!(meaning(None, false).contains("not known"));
    }
}
