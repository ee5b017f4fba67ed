//! A small model of the service for the flow tests, on synthetic time: a fleet that
//! answers DescribeInstances, TerminateInstances (all or nothing, naming the
//! instances it refuses) and InquiryPriceTerminateInstances, and that lies, lags and
//! drops answers as asked: lost answers, duplicate or misspelt entries, an
//! inconsistent `TotalCount`, stale reads, a batch acted on in part then refused, a
//! refusal naming no instance, a read refused because of one ID. And `Drive`, a
//! driver over it that keeps the journal as a driver must.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::*;
use crate::client_state::rate_limits::RateLimits;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportErrorKind;

pub(super) const UNIX_START: u64 = 1_700_000_000;

#[derive(Clone, Debug)]
pub(super) struct Machine {
    pub(super) state: &'static str,
    pub(super) charge: &'static str,
    pub(super) protected: bool,
    /// Refuses any batch it is in, naming no instance (`FailedOperation.Unreturnable`).
    pub(super) unreturnable: bool,
    pub(super) latest: Option<(String, String)>,
}

/// What happens to the next TerminateInstances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Fault {
    /// Lost; the service had not acted.
    LostBeforeActing,
    /// Lost; the service had acted.
    LostAfterActing,
    /// Acts on the first `acted` instances, then refuses with `code`, naming the next.
    PartialBatch { acted: usize, code: &'static str },
    /// Refused with `code`, naming no instance; nothing acted on.
    RefuseUnnamed(&'static str),
    /// Acts; then reads show each changed instance as before, for this many reads.
    StaleReads(u32),
    /// Acts, the answer is lost, and reads lag as with `StaleReads`.
    LostAfterActingThenStale(u32),
}

/// What happens to the next DescribeInstances (that names the instance, for
/// `RefuseIfNamed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ReadFault {
    /// None: the read is answered truly (to aim a later fault at a later read).
    Honest,
    /// Every entry twice, the copy in another state.
    DuplicateEntry,
    /// A field of every entry: a value, or `None` for `null`.
    Field(&'static str, Option<&'static str>),
    /// A field of every entry left out.
    Missing(&'static str),
    /// `TotalCount` says this.
    TotalCount(u64),
    /// The set is empty; `TotalCount` true.
    DropEntries,
    /// One more entry, not asked for.
    ExtraEntry(&'static str),
    /// Every entry `RUNNING`, its latest operation a failed TerminateInstances of another request.
    LatestOperationFailed,
    /// Refused (`UnauthorizedOperation`) naming this ID, if the read names it.
    RefuseIfNamed(&'static str),
}

pub(super) struct Fleet {
    pub(super) machines: BTreeMap<String, Machine>,
    /// Whether refusals name the instances they are about.
    pub(super) names_culprits: bool,
    pub(super) faults: Vec<Fault>,
    pub(super) read_faults: Vec<ReadFault>,
    /// Instances read as they were before a terminate, and for how many more reads.
    stale: BTreeMap<String, (Machine, u32)>,
    next_request: u32,
    /// Every request: action and instance IDs.
    pub(super) log: Vec<(String, Vec<String>)>,
    /// Per instance: TerminateInstances that acted on it, and whether one destroyed it
    /// from the recycle bin.
    pub(super) acted: BTreeMap<String, u32>,
    pub(super) destroyed: Vec<String>,
}

pub(super) fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{prefix}{i:07}")).collect()
}

impl Fleet {
    pub(super) fn new() -> Fleet {
        Fleet {
            machines: BTreeMap::new(),
            names_culprits: true,
            faults: Vec::new(),
            read_faults: Vec::new(),
            stale: BTreeMap::new(),
            next_request: 0,
            log: Vec::new(),
            acted: BTreeMap::new(),
            destroyed: Vec::new(),
        }
    }

    pub(super) fn add(
        &mut self,
        list: &[String],
        state: &'static str,
        charge: &'static str,
    ) -> &mut Self {
        for id in list {
            self.machines.insert(
                id.clone(),
                Machine {
                    state,
                    charge,
                    protected: false,
                    unreturnable: false,
                    latest: None,
                },
            );
        }
        self
    }

    pub(super) fn protect(&mut self, id: &str) -> &mut Self {
        self.machines.get_mut(id).unwrap().protected = true;
        self
    }

    pub(super) fn terminates(&self) -> usize {
        self.count("TerminateInstances")
    }

    pub(super) fn count(&self, action: &str) -> usize {
        self.log.iter().filter(|(a, _)| a == action).count()
    }

    pub(super) fn actions(&self) -> Vec<&str> {
        self.log.iter().map(|(a, _)| a.as_str()).collect()
    }

    pub(super) fn terminates_of(&self, id: &str) -> usize {
        self.log
            .iter()
            .filter(|(a, ids)| a == "TerminateInstances" && ids.iter().any(|i| i == id))
            .count()
    }

    /// Instances a TerminateInstances acted on more than once.
    pub(super) fn acted_twice(&self) -> Vec<&String> {
        self.acted
            .iter()
            .filter(|&(_, &n)| n > 1)
            .map(|(id, _)| id)
            .collect()
    }

    pub(super) fn state(&self, id: &str) -> Option<&'static str> {
        self.machines.get(id).map(|m| m.state)
    }

    fn request_id(&mut self) -> String {
        self.next_request += 1;
        format!("rid-{:04}", self.next_request)
    }

    /// Answers a request; `None` when the answer is lost.
    pub(super) fn handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> Option<http::Response<Vec<u8>>> {
        let action = request.headers()["x-tc-action"]
            .to_str()
            .unwrap()
            .to_owned();
        let body: Value = serde_json::from_slice(request.body()).unwrap();
        let asked: Vec<String> = body["InstanceIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        self.log.push((action.clone(), asked.clone()));
        let rid = self.request_id();
        let body = match action.as_str() {
            "DescribeInstances" => self.describe(&asked, &rid),
            "InquiryPriceTerminateInstances" => {
                let set: Vec<String> = asked
                    .iter()
                    .map(|id| {
                        format!(r#"{{"InstanceId":"{id}","Refunds":12.34,"PriceDetail":"model"}}"#)
                    })
                    .collect();
                format!(
                    r#"{{"Response":{{"InstanceRefundsSet":[{}],"RequestId":"{rid}"}}}}"#,
                    set.join(",")
                )
            }
            "TerminateInstances" => {
                let fault = if self.faults.is_empty() {
                    None
                } else {
                    Some(self.faults.remove(0))
                };
                match fault {
                    Some(Fault::LostBeforeActing) => return None,
                    Some(Fault::RefuseUnnamed(code)) => {
                        self.refuse(code, "The instance is unreturnable.", &[], &rid)
                    }
                    Some(Fault::LostAfterActing) => {
                        self.terminate(&asked, &rid, None);
                        return None;
                    }
                    Some(Fault::PartialBatch { acted, code }) => {
                        self.terminate(&asked, &rid, Some((acted, code)))
                    }
                    Some(Fault::StaleReads(n)) => {
                        self.lag(&asked, n);
                        self.terminate(&asked, &rid, None)
                    }
                    Some(Fault::LostAfterActingThenStale(n)) => {
                        self.lag(&asked, n);
                        self.terminate(&asked, &rid, None);
                        return None;
                    }
                    None => self.terminate(&asked, &rid, None),
                }
            }
            other => panic!("unexpected {other}"),
        };
        Some(http::Response::new(body.into_bytes()))
    }

    /// Reads of `asked` show them as they are now, for `n` reads.
    fn lag(&mut self, asked: &[String], n: u32) {
        for id in asked {
            if let Some(m) = self.machines.get(id) {
                self.stale.insert(id.clone(), (m.clone(), n));
            }
        }
    }

    fn entry(id: &str, m: &Machine) -> Value {
        let mut e = json!({
            "InstanceId": id,
            "InstanceState": m.state,
            "InstanceChargeType": m.charge,
            "DisableApiTermination": m.protected,
        });
        if let Some((op, r)) = &m.latest {
            e["LatestOperation"] = json!(op);
            e["LatestOperationState"] = json!("SUCCESS");
            e["LatestOperationRequestId"] = json!(r);
        }
        e
    }

    fn describe(&mut self, asked: &[String], rid: &str) -> String {
        let position = self.read_faults.iter().position(|f| match f {
            ReadFault::RefuseIfNamed(id) => asked.iter().any(|a| a == id),
            _ => true,
        });
        let fault = position.map(|p| self.read_faults.remove(p));
        if let Some(ReadFault::RefuseIfNamed(id)) = &fault {
            return self.refuse(
                "UnauthorizedOperation",
                "The request was refused because of the instance",
                &[&id.to_string()],
                rid,
            );
        }
        let mut set: Vec<Value> = Vec::new();
        for id in asked {
            if let Some((old, n)) = self.stale.get_mut(id)
                && *n > 0
            {
                *n -= 1;
                set.push(Fleet::entry(id, old));
                continue;
            }
            if let Some(m) = self.machines.get(id) {
                set.push(Fleet::entry(id, m));
            }
        }
        let mut total = set.len() as u64;
        match fault {
            None | Some(ReadFault::Honest | ReadFault::RefuseIfNamed(_)) => {}
            Some(ReadFault::DuplicateEntry) => {
                let mut doubled = Vec::new();
                for e in set {
                    let mut copy = e.clone();
                    copy["InstanceState"] = json!(if e["InstanceState"] == "RUNNING" {
                        "SHUTDOWN"
                    } else {
                        "RUNNING"
                    });
                    doubled.push(e);
                    doubled.push(copy);
                }
                set = doubled;
            }
            Some(ReadFault::Field(field, value)) => {
                for e in &mut set {
                    e[field] = value.map_or(Value::Null, |v| json!(v));
                }
            }
            Some(ReadFault::Missing(field)) => {
                for e in &mut set {
                    if let Some(map) = e.as_object_mut() {
                        map.remove(field);
                    }
                }
            }
            Some(ReadFault::TotalCount(n)) => total = n,
            Some(ReadFault::DropEntries) => set.clear(),
            Some(ReadFault::ExtraEntry(id)) => set.push(json!({
                "InstanceId": id, "InstanceState": "RUNNING",
                "InstanceChargeType": "POSTPAID_BY_HOUR"
            })),
            Some(ReadFault::LatestOperationFailed) => {
                for e in &mut set {
                    e["InstanceState"] = json!("RUNNING");
                    e["LatestOperation"] = json!("TerminateInstances");
                    e["LatestOperationState"] = json!("FAILED");
                    e["LatestOperationRequestId"] = json!("rid-other");
                }
            }
        }
        let mut response = Map::new();
        response.insert("TotalCount".into(), json!(total));
        response.insert("InstanceSet".into(), Value::Array(set));
        response.insert("RequestId".into(), json!(rid));
        json!({ "Response": response }).to_string()
    }

    fn refuse(&self, code: &str, what: &str, culprits: &[&String], rid: &str) -> String {
        let message = if self.names_culprits && !culprits.is_empty() {
            let names: Vec<String> = culprits.iter().map(|c| format!("`{c}`")).collect();
            format!("{what}: {}", names.join(", "))
        } else {
            what.to_owned()
        };
        json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})
            .to_string()
    }

    /// All or nothing, checked in the service's order (or, with `partial`, the
    /// first `acted` acted on and then the request refused).
    fn terminate(
        &mut self,
        asked: &[String],
        rid: &str,
        partial: Option<(usize, &'static str)>,
    ) -> String {
        let missing: Vec<&String> = asked
            .iter()
            .filter(|i| !self.machines.contains_key(*i))
            .collect();
        if !missing.is_empty() {
            return self.refuse(
                "InvalidInstanceId.NotFound",
                "No such instances",
                &missing,
                rid,
            );
        }
        let prepaid = asked
            .iter()
            .filter(|i| self.machines[*i].charge == "PREPAID")
            .count();
        if prepaid != 0 && prepaid != asked.len() {
            return self.refuse(
                "UnsupportedOperation.InstanceMixedPricingModel",
                "Mixed pricing",
                &[],
                rid,
            );
        }
        let protected: Vec<&String> = asked
            .iter()
            .filter(|i| self.machines[*i].protected)
            .collect();
        if !protected.is_empty() {
            return self.refuse(
                "UnsupportedOperation.InstancesProtected",
                "Protected",
                &protected,
                rid,
            );
        }
        if asked.iter().any(|i| self.machines[i].unreturnable) {
            return self.refuse(
                "FailedOperation.Unreturnable",
                "The instance is unreturnable.",
                &[],
                rid,
            );
        }
        for id in asked {
            let m = &self.machines[id];
            let allowed = matches!(m.state, "RUNNING" | "STOPPED")
                || (m.state == "SHUTDOWN" && m.charge != "POSTPAID_BY_HOUR");
            if !allowed {
                let code = match m.state {
                    "TERMINATING" => "UnsupportedOperation.InstanceStateTerminating",
                    "SHUTDOWN" => "UnsupportedOperation.InstanceStateShutdown",
                    _ => "UnsupportedOperation.InstanceStateStopping",
                };
                return self.refuse(code, "Bad state", &[id], rid);
            }
        }
        let acting = partial.map_or(asked.len(), |(n, _)| n.min(asked.len()));
        for id in &asked[..acting] {
            *self.acted.entry(id.clone()).or_default() += 1;
            let m = self.machines.get_mut(id).unwrap();
            m.latest = Some(("TerminateInstances".to_owned(), rid.to_owned()));
            match (m.charge, m.state) {
                ("POSTPAID_BY_HOUR", _) => m.state = "TERMINATING",
                (_, "SHUTDOWN") => {
                    self.machines.remove(id);
                    self.destroyed.push(id.clone());
                }
                _ => m.state = "SHUTDOWN",
            }
        }
        if let Some((_, code)) = partial {
            let next = asked.get(acting).or(asked.last()).unwrap();
            return self.refuse(code, "Cannot be terminated", &[next], rid);
        }
        format!(r#"{{"Response":{{"RequestId":"{rid}"}}}}"#)
    }
}

/// A driver over the model: every answer comes back `latency` later; lost
/// answers come back as a transport error one timeout later. It drains the journal
/// before it polls for requests, as drivers must.
pub(super) struct Drive {
    pub(super) run: Termination,
    pub(super) state: ClientState,
    pub(super) t0: Instant,
    pub(super) now: Instant,
    pub(super) events: Vec<Event>,
    /// The journal, as the driver took it.
    pub(super) journal: Vec<JournalRecord>,
    /// The stages the first instance went through, in order.
    pub(super) stages: Vec<&'static str>,
}

/// An answer due at a time.
type Pending = (
    Instant,
    Token,
    Result<http::Response<Vec<u8>>, TransportError>,
);

pub(super) const LATENCY: Duration = Duration::from_millis(40);
pub(super) const TIMEOUT: Duration = Duration::from_secs(5);

impl Drive {
    pub(super) fn new(run: Termination) -> Drive {
        let t0 = Instant::now();
        Drive {
            run,
            // A bucket sends its first window's worth at once, as the timings here
            // assume; `pacing_tests` has pacing.
            state: ClientState::new(ServiceConfig::builder("ap-guangzhou").build().unwrap())
                .with_rate_limits(RateLimits::new().with_slow_start(false))
                .with_jitter_seed(3),
            t0,
            now: t0,
            events: Vec::new(),
            journal: Vec::new(),
            stages: Vec::new(),
        }
    }

    pub(super) fn go(mut self, fleet: &mut Fleet) -> (Termination, Vec<Event>, Duration) {
        let elapsed = self.finish(fleet);
        (self.run, self.events, elapsed)
    }

    fn drain(&mut self) {
        while let Some(e) = self.run.poll_event() {
            self.events.push(e);
        }
        while let Some(r) = self.run.poll_journal() {
            self.journal.push(r);
        }
    }

    /// Runs to the end; records the stages the first instance goes through.
    pub(super) fn finish(&mut self, fleet: &mut Fleet) -> Duration {
        self.run_until(fleet, |_| false);
        self.now - self.t0
    }

    /// Runs until the end or until `stop` says so after a request was sent (a
    /// crash: what was sent and not answered stays so).
    pub(super) fn run_until(&mut self, fleet: &mut Fleet, mut stop: impl FnMut(&Fleet) -> bool) {
        let creds = Credentials::new("AKIDflow", "flow-key");
        let mut pending: Vec<Pending> = Vec::new();
        for _ in 0..100_000 {
            self.trace_first();
            self.drain();
            if self.run.is_finished() {
                return;
            }
            let unix = UNIX_START + (self.now - self.t0).as_secs();
            while let Some(t) = self
                .run
                .poll_transmit(self.now, unix, &creds, &mut self.state)
            {
                self.trace_first();
                let answer = match fleet.handle(&t.request) {
                    Some(r) => (self.now + LATENCY, Ok(r)),
                    None => (
                        self.now + TIMEOUT,
                        Err(TransportError::new(
                            TransportErrorKind::OutcomeUnknown,
                            "timed out after sending",
                        )),
                    ),
                };
                pending.push((answer.0, t.token, answer.1));
                if stop(fleet) {
                    return;
                }
            }
            pending.sort_by_key(|p| p.0);
            let next = pending.first().map(|p| p.0);
            let wake = match (next, self.run.poll_timeout()) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b).expect("stalled"),
            };
            self.now = self.now.max(wake);
            while pending.first().is_some_and(|p| p.0 <= self.now) {
                let (_, token, answer) = pending.remove(0);
                self.run
                    .handle_response(token, answer, self.now, &mut self.state);
                self.trace_first();
            }
            self.run.handle_timeout(self.now);
        }
        panic!("did not finish");
    }

    fn trace_first(&mut self) {
        if let Some(first) = self.run.instances.first() {
            let stage = first.stage.name();
            if self.stages.last() != Some(&stage) {
                self.stages.push(stage);
            }
        }
    }
}

/// A terminate run of `list` against `fleet`, to its end.
pub(super) fn terminate(
    fleet: &mut Fleet,
    list: &[String],
    options: &TerminateOptions,
) -> (Report, Vec<Event>, Duration) {
    let (report, events, elapsed, _) = terminate_journaled(fleet, list, options);
    (report, events, elapsed)
}

/// [`terminate`], with the journal it wrote (checked against the report).
pub(super) fn terminate_journaled(
    fleet: &mut Fleet,
    list: &[String],
    options: &TerminateOptions,
) -> (Report, Vec<Event>, Duration, Vec<JournalRecord>) {
    let run = Termination::new(list, options, Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    let elapsed = drive.finish(fleet);
    let report = drive.run.into_report();
    let sent = drive
        .journal
        .iter()
        .filter(|r| r.is_intent())
        .count()
        .min(fleet.terminates());
    journal::tests::assert_journal_agrees(&drive.journal, &report, sent);
    (report, drive.events, elapsed, drive.journal)
}

/// The journal, as a later run reads it back from its lines.
pub(super) fn history(journal: &[JournalRecord]) -> crate::History {
    let text: String = journal.iter().map(JournalRecord::to_line).collect();
    crate::History::parse(text.as_bytes()).unwrap()
}

pub(super) fn outcome<'r>(report: &'r Report, id: &str) -> &'r InstanceOutcome {
    report
        .instances()
        .iter()
        .find(|i| i.id.as_str() == id)
        .unwrap()
}

pub(super) fn one_event_each(events: &[Event], n: usize) {
    let mut seen = std::collections::HashSet::new();
    for e in events {
        if let Event::Outcomes(list) = e {
            for o in list {
                assert!(seen.insert(o.id.clone()), "{} twice", o.id);
            }
        }
    }
    assert_eq!(seen.len(), n);
}
