//! The JSON tccvm writes (`-o json`, `-o jsonl`), schema version 1: the README
//! documents it, and a change to a key or its meaning is a new version.
//!
//! `-o json` is one document: what the run was (`schema_version`, `command`,
//! `region`, `started_at`, `finished_at`, `interrupted`, `regions`), a `summary`
//! of counts, and `instances`. `-o jsonl` is one line per instance, as soon as it
//! is final, then one last line: the document without `instances`.
//!
//! `region` is the region, or the regions comma-separated (as `--region` takes
//! them); `regions` has one object per region: `region`, `instances` (how many the
//! run covered there, `null` when it could not be read) and `error` (`null`, or
//! the `code`, `message` and `request_id` of the read that failed). Each
//! instance's `region` is its own, `null` for one the regions' reads could not
//! place in one region (not found in any, or found in two).
//!
//! Each line here is a view of the library's [`Report`], [`Plan`] and their
//! entries (which serialize the same facts with the `serde` feature), plus what
//! only the command knows: the region, and the currency of the refunds.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tencentcloud_cvm::model::utc_time::format_utc;
use tencentcloud_cvm::model::ErrorCode;
use tencentcloud_cvm::wire::{Action, Instance};
use tencentcloud_cvm::{InstanceOutcome, Plan, PlanEntry, PlannedAction, Report};

use crate::money::{Currency, Money};

/// The version of the JSON written: raised when a key changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// What the command is, in `command`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Terminate,
    DryRun,
    Status,
    List,
}

/// What every document (and the last JSON line) says about the run.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    schema_version: u32,
    command: CommandKind,
    region: String,
    started_at: String,
    finished_at: Option<String>,
    interrupted: bool,
    regions: Vec<RegionLine>,
}

/// One region of the run, in `regions`.
#[derive(Clone, Debug, Serialize)]
pub struct RegionLine {
    pub region: String,
    /// How many instances the run covered there; `None` when it could not be read.
    pub instances: Option<usize>,
    pub error: Option<RegionError>,
}

/// Why a region could not be read.
#[derive(Clone, Debug, Serialize)]
pub struct RegionError {
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
}

impl RunInfo {
    /// A run starting now.
    pub fn start(command: CommandKind, region: &str) -> RunInfo {
        RunInfo {
            schema_version: SCHEMA_VERSION,
            command,
            region: region.to_owned(),
            regions: vec![RegionLine {
                region: region.to_owned(),
                instances: None,
                error: None,
            }],
            started_at: format_utc(unix_now()),
            finished_at: None,
            interrupted: false,
        }
    }

    /// The regions the run covered (replacing the one it started with); `region`
    /// becomes their names, comma-separated.
    pub fn with_regions(mut self, regions: Vec<RegionLine>) -> RunInfo {
        self.region = regions
            .iter()
            .map(|r| r.region.as_str())
            .collect::<Vec<_>>()
            .join(",");
        self.regions = regions;
        self
    }

    /// How many instances the run covered in its one region (a run by IDs).
    pub fn count_instances(&mut self, instances: usize) {
        if let [only] = self.regions.as_mut_slice() {
            only.instances = Some(instances);
        }
    }

    /// The run ended now.
    pub fn finish(&mut self, interrupted: bool) {
        self.finished_at = Some(format_utc(unix_now()));
        self.interrupted = interrupted;
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The run, its summary and (in a document) its instances.
#[derive(Serialize)]
pub struct Document<'a, S, E> {
    #[serde(flatten)]
    pub run: &'a RunInfo,
    pub summary: S,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<E>>,
}

/// What every instance's line needs from the command: the region (`None` for
/// an instance a run over several regions could not place in one), and the
/// currency refunds are in.
#[derive(Clone, Debug)]
pub struct LineContext {
    pub region: Option<String>,
    pub currency: Currency,
}

/// The zone the instance was read in (`Placement.Zone`), `null` when no read showed it.
fn zone(instance: Option<&Instance>) -> Option<&str> {
    instance.and_then(Instance::zone)
}

fn name(instance: Option<&Instance>) -> Option<&str> {
    instance.and_then(|i| i.instance_name.as_deref())
}

// -- terminate ---------------------------------------------------------------

/// `summary` of a terminate run: how many instances came to each outcome.
#[derive(Serialize)]
pub struct ReportSummary {
    instances: usize,
    terminated: usize,
    failed: usize,
    unknown: usize,
    not_sent: usize,
    skipped: usize,
    duplicates_removed: usize,
}

impl ReportSummary {
    /// The sums over several reports (one per region).
    pub fn of_all<'a>(reports: impl IntoIterator<Item = &'a Report>) -> ReportSummary {
        let mut sum = ReportSummary::of(&Report::default());
        for r in reports {
            let one = ReportSummary::of(r);
            sum.instances += one.instances;
            sum.terminated += one.terminated;
            sum.failed += one.failed;
            sum.unknown += one.unknown;
            sum.not_sent += one.not_sent;
            sum.skipped += one.skipped;
            sum.duplicates_removed += one.duplicates_removed;
        }
        sum
    }

    /// `N instance(s) in R region(s): a terminated, b failed, c unknown, d not sent, e skipped`.
    pub fn line(&self, regions: usize) -> String {
        format!(
            "{} instance(s) in {regions} region(s): {} terminated, {} failed, {} unknown, {} not \
             sent, {} skipped",
            self.instances, self.terminated, self.failed, self.unknown, self.not_sent, self.skipped
        )
    }

    pub fn of(report: &Report) -> ReportSummary {
        ReportSummary {
            instances: report.instances().len(),
            terminated: report.terminated(),
            failed: report.failed(),
            unknown: report.unknown(),
            not_sent: report.not_sent(),
            skipped: report.skipped(),
            duplicates_removed: report.duplicates_removed(),
        }
    }
}

/// One instance of a terminate run.
#[derive(Serialize)]
pub struct OutcomeLine<'a> {
    id: &'a str,
    region: Option<&'a str>,
    zone: Option<&'a str>,
    name: Option<&'a str>,
    outcome: &'static str,
    code: Option<&'a str>,
    message: Option<&'a str>,
    /// The TerminateInstances RequestId, when one was sent and answered.
    request_id: Option<&'a str>,
    /// The DescribeInstances RequestId, when a read before sending decided it.
    read_request_id: Option<&'a str>,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
}

impl<'a> OutcomeLine<'a> {
    pub fn new(o: &'a InstanceOutcome, cx: &'a LineContext) -> OutcomeLine<'a> {
        let read = o.instance.as_ref();
        let (request_id, read_request_id) = request_ids(o);
        OutcomeLine {
            id: o.id.as_str(),
            region: cx.region.as_deref(),
            zone: zone(read),
            name: name(read),
            outcome: o.outcome.kind().as_str(),
            code: o.outcome.code().map(ErrorCode::as_str),
            message: o.outcome.message(),
            request_id,
            read_request_id,
            state: o.state.as_ref().map(|s| s.as_str()),
            charge_type: read
                .and_then(|i| i.instance_charge_type.as_ref())
                .map(|c| c.as_str()),
        }
    }
}

/// (TerminateInstances' RequestId, a read's RequestId): the outcome's RequestId
/// in the one its action says.
pub fn request_ids(o: &InstanceOutcome) -> (Option<&str>, Option<&str>) {
    let id = o.outcome.request_id();
    match o.outcome.request_action() {
        Some(Action::TerminateInstances) => (id, None),
        Some(_) => (None, id),
        None => (None, None),
    }
}

// -- dry run -----------------------------------------------------------------

/// `summary` of a dry run: how many instances would come to each action, and
/// the refund of those terminated (`null` if one is not known).
#[derive(Serialize)]
pub struct PlanCounts {
    instances: usize,
    terminate: usize,
    skip: usize,
    fail: usize,
    refund: Option<Money>,
    duplicates_removed: usize,
}

impl PlanCounts {
    /// The sums over several plans (one per region).
    pub fn of_all<'a>(plans: impl IntoIterator<Item = &'a Plan>, currency: Currency) -> PlanCounts {
        let mut sum = PlanCounts::of(&Plan::default(), currency);
        for p in plans {
            let one = PlanCounts::of(p, currency);
            sum.instances += one.instances;
            sum.terminate += one.terminate;
            sum.skip += one.skip;
            sum.fail += one.fail;
            sum.duplicates_removed += one.duplicates_removed;
            sum.refund = match (sum.refund, p.refund_total()) {
                (Some(total), Some(r)) => total
                    .amount
                    .checked_add(&r)
                    .map(|a| Money::new(a, currency)),
                _ => None,
            };
        }
        sum
    }

    /// `N instance(s) in R region(s): a to terminate, b to skip, c to fail, refund …`.
    pub fn line(&self, regions: usize) -> String {
        let refund = match &self.refund {
            Some(total) => format!("refund {total}"),
            None => "refund not known for all".to_owned(),
        };
        format!(
            "{} instance(s) in {regions} region(s): {} to terminate, {} to skip, {} to fail, {refund}",
            self.instances, self.terminate, self.skip, self.fail
        )
    }

    pub fn of(plan: &Plan, currency: Currency) -> PlanCounts {
        PlanCounts {
            instances: plan.entries().len(),
            terminate: plan.count(PlannedAction::Terminate),
            skip: plan.count(PlannedAction::Skip),
            fail: plan.count(PlannedAction::Fail),
            refund: plan.refund_total().map(|a| Money::new(a, currency)),
            duplicates_removed: plan.duplicates_removed(),
        }
    }
}

/// One instance of a dry run.
#[derive(Serialize)]
pub struct PlanLine<'a> {
    id: &'a str,
    region: Option<&'a str>,
    zone: Option<&'a str>,
    name: Option<&'a str>,
    action: &'static str,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
    refund: Option<Money>,
    code: Option<&'a str>,
    message: Option<&'a str>,
}

impl<'a> PlanLine<'a> {
    pub fn new(e: &'a PlanEntry, cx: &'a LineContext) -> PlanLine<'a> {
        let read = e.instance.as_ref();
        PlanLine {
            id: e.id.as_str(),
            region: cx.region.as_deref(),
            zone: zone(read),
            name: name(read),
            action: e.action.as_str(),
            state: e.state().map(|s| s.as_str()),
            charge_type: e.charge_type().map(|c| c.as_str()),
            refund: e.refund.map(|a| Money::new(a, cx.currency)),
            code: e.code.as_ref().map(ErrorCode::as_str),
            message: e.message.as_deref(),
        }
    }
}

// -- status --------------------------------------------------------------------

/// What a status read learned about an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    Read,
    NotFound,
    NotRead,
}

impl Seen {
    pub fn of(e: &PlanEntry) -> Seen {
        if e.instance.is_some() {
            Seen::Read
        } else if e.code == Some(ErrorCode::InvalidInstanceIdNotFound) {
            Seen::NotFound
        } else {
            Seen::NotRead
        }
    }

    /// What `status` says when it has no instance to show.
    pub fn message(self, e: &PlanEntry) -> Option<String> {
        match self {
            Seen::Read => None,
            Seen::NotFound => Some("not found: DescribeInstances does not return it".to_owned()),
            Seen::NotRead => Some(e.message.clone().unwrap_or_else(|| "not read".to_owned())),
        }
    }
}

/// `summary` of a status read.
#[derive(Serialize)]
pub struct StatusCounts {
    instances: usize,
    read: usize,
    not_found: usize,
    not_read: usize,
    duplicates_removed: usize,
}

impl StatusCounts {
    /// The sums over several plans (one per region).
    pub fn of_all<'a>(plans: impl IntoIterator<Item = &'a Plan>) -> StatusCounts {
        let mut sum = StatusCounts::of(&Plan::default());
        for p in plans {
            let one = StatusCounts::of(p);
            sum.instances += one.instances;
            sum.read += one.read;
            sum.not_found += one.not_found;
            sum.not_read += one.not_read;
            sum.duplicates_removed += one.duplicates_removed;
        }
        sum
    }

    pub fn of(plan: &Plan) -> StatusCounts {
        let count = |f: Seen| plan.entries().iter().filter(|e| Seen::of(e) == f).count();
        StatusCounts {
            instances: plan.entries().len(),
            read: count(Seen::Read),
            not_found: count(Seen::NotFound),
            not_read: count(Seen::NotRead),
            duplicates_removed: plan.duplicates_removed(),
        }
    }
}

/// One instance of a status read: what DescribeInstances said, and what a
/// terminate would do with it (`action`, `code`).
#[derive(Serialize)]
pub struct StatusLine<'a> {
    id: &'a str,
    region: Option<&'a str>,
    zone: Option<&'a str>,
    name: Option<&'a str>,
    /// `true` read, `false` not found, `null` could not be read.
    found: Option<bool>,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
    protected: Option<bool>,
    latest_operation: Option<&'a str>,
    latest_operation_state: Option<&'a str>,
    latest_operation_request_id: Option<&'a str>,
    expired_time: Option<&'a str>,
    action: &'static str,
    code: Option<&'a str>,
    /// Why it is not shown (not found, or not read); `null` when read.
    message: Option<String>,
}

impl<'a> StatusLine<'a> {
    pub fn new(e: &'a PlanEntry, cx: &'a LineContext) -> StatusLine<'a> {
        let i = e.instance.as_ref();
        let found = Seen::of(e);
        StatusLine {
            id: e.id.as_str(),
            region: cx.region.as_deref(),
            zone: zone(i),
            name: name(i),
            found: match found {
                Seen::Read => Some(true),
                Seen::NotFound => Some(false),
                Seen::NotRead => None,
            },
            state: e.state().map(|s| s.as_str()),
            charge_type: e.charge_type().map(|c| c.as_str()),
            protected: i.and_then(|i| i.disable_api_termination),
            latest_operation: i.and_then(|i| i.latest_operation.as_deref()),
            latest_operation_state: i
                .and_then(|i| i.latest_operation_state.as_ref().map(|s| s.as_str())),
            latest_operation_request_id: i.and_then(|i| i.latest_operation_request_id.as_deref()),
            expired_time: i.and_then(|i| i.expired_time.as_deref()),
            action: e.action.as_str(),
            code: e.code.as_ref().map(ErrorCode::as_str),
            message: found.message(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_text::to_line;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    fn cx() -> LineContext {
        LineContext {
            region: Some("ap-guangzhou".to_owned()),
            currency: Currency::Cny,
        }
    }

    #[test]
    fn a_document_starts_with_the_run_and_its_summary() {
        let mut run = Termination::new(
            ["ins-00000001", "ins-00000001"],
            &TerminateOptions::new(),
            Instant::now(),
        )
        .unwrap();
        run.cancel();
        let report = run.into_report();
        let mut info = RunInfo::start(CommandKind::Terminate, "ap-guangzhou");
        info.finish(true);
        let cx = cx();
        let doc = Document {
            run: &info,
            summary: ReportSummary::of(&report),
            instances: Some(
                report
                    .instances()
                    .iter()
                    .map(|o| OutcomeLine::new(o, &cx))
                    .collect(),
            ),
        };
        let text = to_line(&doc);
        assert!(text.starts_with(r#"{"schema_version":1,"command":"terminate","region":"ap-guangzhou","started_at":""#), "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["interrupted"], true);
        assert_eq!(json["summary"]["not_sent"], 1);
        assert_eq!(json["summary"]["duplicates_removed"], 1);
        let keys: Vec<&str> = json["instances"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "id",
            "region",
            "zone",
            "name",
            "outcome",
            "code",
            "message",
            "request_id",
            "read_request_id",
            "state",
            "charge_type",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected, "(serde_json sorts keys)");
        for time in ["started_at", "finished_at"] {
            let t = json[time].as_str().unwrap();
            assert!(
                tencentcloud_cvm::model::utc_time::parse_utc(t).is_some(),
                "{t}"
            );
        }
    }

    #[test]
    fn the_cli_line_holds_what_the_library_serializes() {
        // The library's serialization and the CLI's line agree on every fact
        // they both name.
        let mut run =
            Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())
                .unwrap();
        run.cancel();
        let plan = run.into_plan();
        let library = serde_json::to_value(&plan.entries()[0]).unwrap();
        let cx = cx();
        let cli = serde_json::to_value(PlanLine::new(&plan.entries()[0], &cx)).unwrap();
        for (key, value) in library.as_object().unwrap() {
            assert_eq!(&cli[key], value, "{key}");
        }
        let mut run =
            Termination::new(["ins-00000001"], &TerminateOptions::new(), Instant::now()).unwrap();
        run.cancel();
        let report = run.into_report();
        let library = serde_json::to_value(&report.instances()[0]).unwrap();
        let cli = serde_json::to_value(OutcomeLine::new(&report.instances()[0], &cx)).unwrap();
        for (key, value) in library.as_object().unwrap() {
            if key != "request_action" {
                assert_eq!(&cli[key], value, "{key}");
            }
        }
    }
}
