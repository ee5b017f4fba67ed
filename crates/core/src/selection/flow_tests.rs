//! A selection read end to end on synthetic time, against a scripted service that
//! pages through a fleet (honestly, or not), and the runs made from what it read.

use std::time::{Duration, Instant};

use super::*;
use crate::actions::terminate_instances::TerminateInstancesBody;
use crate::client_state::retry::RetryPolicy;
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::{TransportError, TransportErrorKind};
use crate::model::error_code::ErrorCode;
use crate::model::utc_time::format_utc;
use crate::selection::reader::{ReadError, ReadErrorKind};
use crate::selection::region_reads::RegionReads;
use crate::selection::selection_read::SelectionRead;
use crate::termination::preflight_read::{PreflightRead, Seen};
use crate::termination::report::OutcomeKind;
use crate::termination::terminate_options::TerminateOptions;
use crate::termination::{PlannedAction, Termination, Transmit};

const NOW: u64 = 1_700_000_000;

type Answer = Result<http::Response<Vec<u8>>, TransportError>;

/// One instance of the scripted fleet.
struct Fake {
    id: &'static str,
    zone: &'static str,
    team: &'static str,
    age: u64,
    protected: bool,
}

fn fleet() -> Vec<Fake> {
    let f = |id, zone, team, age, protected| Fake {
        id,
        zone,
        team,
        age,
        protected,
    };
    vec![
        f("ins-gz000001", "ap-guangzhou-3", "ci", 172_800, false),
        f("ins-gz000002", "ap-guangzhou-3", "ci", 3600, false),
        f("ins-gz000003", "ap-guangzhou-6", "ci", 172_800, true),
        f("ins-gz000004", "ap-guangzhou-6", "web", 172_800, false),
        f("ins-gz000005", "ap-guangzhou-6", "ci", 172_800, false),
        f("ins-sh000001", "ap-shanghai-2", "ci", 172_800, false),
    ]
}

fn json(f: &Fake) -> String {
    format!(
        r#"{{"InstanceId":"{}","InstanceName":"n-{}","InstanceState":"RUNNING",
            "InstanceChargeType":"POSTPAID_BY_HOUR","DisableApiTermination":{},
            "Placement":{{"Zone":"{}"}},"Tags":[{{"Key":"team","Value":"{}"}}],
            "CreatedTime":"{}"}}"#,
        f.id,
        f.id,
        f.protected,
        f.zone,
        f.team,
        format_utc(NOW - f.age)
    )
}

/// What a DescribeInstances body asks for.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Asked {
    #[serde(default)]
    instance_ids: Vec<String>,
    #[serde(default)]
    filters: Vec<AskedFilter>,
    offset: u64,
    limit: u64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AskedFilter {
    name: String,
    values: Vec<String>,
}

/// The honest answer of `region` to `request`: the matching instances' page.
fn honest(region: &str, request: &http::Request<Vec<u8>>, fleet: &[Fake], n: usize) -> Answer {
    let asked: Asked = serde_json::from_slice(request.body()).unwrap();
    let matching: Vec<&Fake> = fleet
        .iter()
        .filter(|f| f.zone.starts_with(region))
        .filter(|f| asked.instance_ids.is_empty() || asked.instance_ids.iter().any(|i| i == f.id))
        .filter(|f| {
            asked.filters.iter().all(|flt| match flt.name.as_str() {
                "tag:team" => flt.values.iter().any(|v| v == f.team),
                "zone" => flt.values.iter().any(|v| v == f.zone),
                other => panic!("filter {other}"),
            })
        })
        .collect();
    let page: Vec<String> = matching
        .iter()
        .skip(asked.offset as usize)
        .take(asked.limit as usize)
        .map(|f| json(f))
        .collect();
    ok_body(&format!(
        r#"{{"TotalCount":{},"InstanceSet":[{}],"RequestId":"page-{n}"}}"#,
        matching.len(),
        page.join(",")
    ))
}

fn ok_body(inner: &str) -> Answer {
    Ok(http::Response::new(
        format!(r#"{{"Response":{inner}}}"#).into_bytes(),
    ))
}

fn state(region: &str) -> ClientState {
    ClientState::new(ServiceConfig::builder(region).build().unwrap())
        .with_retry_policy(RetryPolicy::default().with_budget(Duration::from_secs(10)))
}

/// Drives `read` to its end on synthetic time; `answer(n, request)` answers the
/// `n`th request. Returns the requests sent.
fn drive_read(
    read: &mut SelectionRead,
    state: &mut ClientState,
    t0: Instant,
    mut answer: impl FnMut(usize, &http::Request<Vec<u8>>) -> Option<Answer>,
) -> Vec<http::Request<Vec<u8>>> {
    let credentials = Credentials::new("AKIDexample", "key");
    let mut now = t0;
    let mut sent = Vec::new();
    for _ in 0..1000 {
        if read.is_finished() {
            break;
        }
        let unix = NOW + now.duration_since(t0).as_secs();
        match read.poll_transmit(now, unix, &credentials, state) {
            Some(Transmit { token, request, .. }) => {
                let n = sent.len();
                let reply = answer(n, &request);
                sent.push(request);
                if let Some(reply) = reply {
                    now += Duration::from_millis(20);
                    read.handle_response(token, reply, now, state);
                }
            }
            None => match read.poll_timeout() {
                Some(t) => {
                    now = now.max(t);
                    read.handle_timeout(now);
                }
                None => break,
            },
        }
    }
    assert!(read.is_finished(), "the read never ended");
    sent
}

fn read_region(selection: &Selection, region: &str) -> (Result<PreflightRead, ReadError>, usize) {
    let t0 = Instant::now();
    let mut state = state(region);
    let mut read = SelectionRead::new(selection, region, t0)
        .unwrap()
        .with_page_size(2)
        .unwrap();
    let fleet = fleet();
    let sent = drive_read(&mut read, &mut state, t0, |n, r| {
        Some(honest(region, r, &fleet, n))
    });
    (read.into_read(), sent.len())
}

fn ci_older_than_6h() -> Selection {
    Selection::builder()
        .tag("team=ci")
        .older_than("6h")
        .build()
        .unwrap()
}

fn found_ids(read: &PreflightRead) -> Vec<&str> {
    read.selected().map(|i| i.instance_id.as_str()).collect()
}

/// Runs `run` against a service that accepts every TerminateInstances; returns the
/// IDs each one named.
fn terminate(run: &mut Termination) -> Vec<Vec<String>> {
    let credentials = Credentials::new("AKIDexample", "key");
    let mut state = state("ap-guangzhou");
    let t0 = Instant::now();
    let mut sent = Vec::new();
    loop {
        // A TerminateInstances leaves once its journal record is taken.
        let Some(t) = run.poll_transmit(t0, NOW, &credentials, &mut state) else {
            match run.poll_journal() {
                Some(_) => continue,
                None => break,
            }
        };
        assert_eq!(
            t.action.name(),
            "TerminateInstances",
            "nothing is read again"
        );
        let body: TerminateInstancesBody = serde_json::from_slice(t.request.body()).unwrap();
        sent.push(body.instance_ids);
        run.handle_response(
            t.token,
            ok_body(r#"{"RequestId":"term-1"}"#),
            t0,
            &mut state,
        );
    }
    sent
}

#[test]
fn a_paged_filter_listing_selects_by_age_and_its_read_is_the_preflight() {
    let (read, pages) = read_region(&ci_older_than_6h(), "ap-guangzhou");
    let read = read.unwrap();
    // 4 team=ci instances in pages of 2 (each after the first repeats one): 3 pages.
    assert_eq!(pages, 3);
    assert_eq!(read.listed(), 4);
    assert_eq!(read.request_ids(), ["page-0", "page-1", "page-2"]);
    // The young one is left out; listed by filter, it is not reported at all.
    assert_eq!(
        found_ids(&read),
        ["ins-gz000001", "ins-gz000003", "ins-gz000005"]
    );
    // Each instance carries the RequestId of the page that read it last (the anchor
    // of a page is read again by the next).
    let rids: Vec<&str> = read
        .entries()
        .iter()
        .map(|e| match &e.seen {
            Seen::Found { request_id, .. } => request_id.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(rids, ["page-0", "page-2", "page-2"]);

    let mut run = Termination::from_read(read, &TerminateOptions::new(), Instant::now());
    let sent = terminate(&mut run);
    assert_eq!(
        sent,
        [vec!["ins-gz000001".to_owned(), "ins-gz000005".to_owned()]]
    );
    let report = run.into_report();
    assert_eq!(report.terminated(), 2);
    let protected = &report.instances()[1];
    assert_eq!(protected.id.as_str(), "ins-gz000003");
    assert_eq!(
        protected.outcome.code(),
        Some(&ErrorCode::UnsupportedOperationInstancesProtected)
    );
    assert_eq!(protected.outcome.request_id(), Some("page-2"));
    assert_eq!(
        protected.outcome.request_action(),
        Some(crate::actions::Action::DescribeInstances)
    );
}

#[test]
fn named_ids_each_end_once_found_or_not() {
    let selection = Selection::builder()
        .ids([
            "ins-gz000001",
            "ins-gz000002",
            "ins-gz000004",
            "ins-gz000009",
            "ins-gz000005",
        ])
        .tag("team=ci")
        .older_than("6h")
        .exclude_id("ins-gz000005")
        .build()
        .unwrap();
    let (read, pages) = read_region(&selection, "ap-guangzhou");
    let read = read.unwrap();
    // By IDs, the filter is judged on the read (the API takes one or the other).
    let asked = pages;
    assert!(asked >= 1);
    let seen: Vec<(&str, &str)> = read
        .entries()
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                match &e.seen {
                    Seen::Found { .. } => "found",
                    Seen::Absent { .. } => "absent",
                    Seen::LeftOut { .. } => "left out",
                    Seen::Failed { .. } => "failed",
                },
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("ins-gz000001", "found"),
            ("ins-gz000002", "left out"),
            ("ins-gz000004", "left out"),
            ("ins-gz000009", "absent"),
            ("ins-gz000005", "left out"),
        ]
    );
    let mut run = Termination::from_read(read, &TerminateOptions::new(), Instant::now());
    assert_eq!(terminate(&mut run), [vec!["ins-gz000001".to_owned()]]);
    let report = run.into_report();
    let kinds: Vec<OutcomeKind> = report
        .instances()
        .iter()
        .map(|o| o.outcome.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            OutcomeKind::Terminated,
            OutcomeKind::Skipped,
            OutcomeKind::Skipped,
            OutcomeKind::Failed,
            OutcomeKind::Skipped,
        ]
    );
    let young = report.instances()[1].outcome.message().unwrap();
    assert_eq!(young, "created less than 6h ago; not sent");
    let web = report.instances()[2].outcome.message().unwrap();
    assert_eq!(web, "does not match the filter tag:team; not sent");
    assert_eq!(
        report.instances()[3].outcome.code(),
        Some(&ErrorCode::InvalidInstanceIdNotFound)
    );
}

#[test]
fn preview_and_status_from_a_read_send_no_terminate() {
    let (read, _) = read_region(&ci_older_than_6h(), "ap-guangzhou");
    let read = read.unwrap();
    let mut status = Termination::status_from_read(read.clone(), Instant::now());
    assert!(status.is_finished());
    let credentials = Credentials::new("AKIDexample", "key");
    assert!(status
        .poll_transmit(
            Instant::now(),
            NOW,
            &credentials,
            &mut state("ap-guangzhou")
        )
        .is_none());
    let plan = status.into_plan();
    let actions: Vec<PlannedAction> = plan.entries().iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            PlannedAction::Terminate,
            PlannedAction::Fail,
            PlannedAction::Terminate
        ]
    );
    // Pay-as-you-go refunds nothing: a preview asks no price either.
    let preview = Termination::preview_from_read(read, &TerminateOptions::new(), Instant::now());
    assert!(preview.is_finished());
    assert_eq!(preview.into_plan().count(PlannedAction::Terminate), 2);
}

#[test]
fn a_listing_that_shifts_or_a_refusal_fails_the_read_and_nothing_is_selected() {
    let t0 = Instant::now();
    let fleet = fleet();
    // The second page does not start with the first page's last entry.
    let mut read = SelectionRead::new(&ci_older_than_6h(), "ap-guangzhou", t0)
        .unwrap()
        .with_page_size(2)
        .unwrap();
    let mut st = state("ap-guangzhou");
    drive_read(&mut read, &mut st, t0, |n, r| {
        if n == 1 {
            let mut req = r.clone();
            let mut asked: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
            asked["Offset"] = serde_json::json!(2);
            *req.body_mut() = asked.to_string().into_bytes();
            Some(honest("ap-guangzhou", &req, &fleet, n))
        } else {
            Some(honest("ap-guangzhou", r, &fleet, n))
        }
    });
    let e = read.into_read().unwrap_err();
    assert_eq!(e.kind(), ReadErrorKind::Inconsistent);
    assert!(e.message().contains("shifted"), "{e}");

    // A refusal is final: not sent again.
    let mut read = SelectionRead::new(&ci_older_than_6h(), "ap-guangzhou", t0).unwrap();
    let sent = drive_read(&mut read, &mut state("ap-guangzhou"), t0, |_, _| {
        Some(ok_body(
            r#"{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"no such key"},"RequestId":"r-auth"}"#,
        ))
    });
    assert_eq!(sent.len(), 1);
    let e = read.into_read().unwrap_err();
    assert_eq!(e.kind(), ReadErrorKind::Refused);
    assert_eq!(e.code().unwrap().as_str(), "AuthFailure.SecretIdNotFound");
    assert_eq!(e.request_id(), Some("r-auth"));
    assert_eq!(
        e.to_string(),
        "AuthFailure.SecretIdNotFound: no such key (RequestId r-auth)"
    );
}

#[test]
fn a_lost_page_is_read_again_and_cancel_or_the_deadline_stops_at_once() {
    let t0 = Instant::now();
    let fleet = fleet();
    let mut read = SelectionRead::new(&ci_older_than_6h(), "ap-guangzhou", t0).unwrap();
    let mut st = state("ap-guangzhou");
    let sent = drive_read(&mut read, &mut st, t0, |n, r| {
        Some(match n {
            0 => Err(TransportError::new(
                TransportErrorKind::OutcomeUnknown,
                "reset",
            )),
            1 => {
                let mut r = http::Response::new(b"<html>bad gateway</html>".to_vec());
                *r.status_mut() = http::StatusCode::BAD_GATEWAY;
                Ok(r)
            }
            _ => honest("ap-guangzhou", r, &fleet, n),
        })
    });
    assert_eq!(sent.len(), 3);
    assert!(matches!(
        read.poll_event(),
        Some(crate::termination::Event::Retrying { .. })
    ));
    assert_eq!(found_ids(&read.into_read().unwrap()).len(), 3);

    // No answer: cancelled, the page in flight is given up.
    let mut read = SelectionRead::new(&ci_older_than_6h(), "ap-guangzhou", t0).unwrap();
    let credentials = Credentials::new("AKIDexample", "key");
    let mut st = state("ap-guangzhou");
    let page = read.poll_transmit(t0, NOW, &credentials, &mut st).unwrap();
    read.cancel();
    assert!(read.is_finished());
    read.handle_response(
        page.token,
        honest("ap-guangzhou", &page.request, &fleet, 0),
        t0,
        &mut st,
    );
    assert_eq!(read.into_read().unwrap_err().kind(), ReadErrorKind::Stopped);

    let mut read = SelectionRead::new(&ci_older_than_6h(), "ap-guangzhou", t0)
        .unwrap()
        .with_deadline(t0 + Duration::from_secs(5));
    let mut st = state("ap-guangzhou");
    assert!(read.poll_transmit(t0, NOW, &credentials, &mut st).is_some());
    // A page in flight: only the deadline can wake it.
    assert_eq!(read.poll_timeout(), Some(t0 + Duration::from_secs(5)));
    read.handle_timeout(t0 + Duration::from_secs(5));
    let e = read.into_read().unwrap_err();
    assert_eq!(e.kind(), ReadErrorKind::Stopped);
    assert!(e.message().contains("deadline"), "{e}");
}

#[test]
fn an_instance_placed_in_another_region_is_never_sent() {
    let t0 = Instant::now();
    let mut read = SelectionRead::new(&Selection::all(), "ap-guangzhou", t0).unwrap();
    drive_read(&mut read, &mut state("ap-guangzhou"), t0, |_, _| {
        // A service that lies: a Shanghai instance in Guangzhou's listing.
        Some(ok_body(&format!(
            r#"{{"TotalCount":1,"InstanceSet":[{}],"RequestId":"r-lie"}}"#,
            json(&fleet()[5])
        )))
    });
    let read = read.into_read().unwrap();
    assert!(
        matches!(&read.entries()[0].seen, Seen::Failed { code: Some(c), .. } if c.as_str() == SelectionRead::REGION_MISMATCH)
    );
    let mut run = Termination::from_read(read, &TerminateOptions::new(), t0);
    assert!(terminate(&mut run).is_empty());
    assert_eq!(run.into_report().failed(), 1);
}

#[test]
fn several_regions_place_each_id_once_or_fail_it() {
    let named = ["ins-gz000001", "ins-sh000001", "ins-xx000001"];
    let selection = Selection::by_ids(named).unwrap();
    let gz = read_region(&selection, "ap-guangzhou").0;
    let sh = read_region(&selection, "ap-shanghai").0;
    let mut reads = RegionReads::new(&selection);
    reads.push("ap-guangzhou", gz.clone());
    reads.push("ap-shanghai", sh.clone());
    let (regions, unplaced) = reads.resolve();
    let in_region = |r: usize| -> Vec<String> {
        regions[r]
            .read
            .as_ref()
            .unwrap()
            .entries()
            .iter()
            .map(|e| e.id.to_string())
            .collect()
    };
    assert_eq!(in_region(0), ["ins-gz000001"]);
    assert_eq!(in_region(1), ["ins-sh000001"]);
    assert_eq!(unplaced.entries().len(), 1);
    assert!(matches!(&unplaced.entries()[0].seen,
        Seen::Failed { code: Some(ErrorCode::InvalidInstanceIdNotFound), message, .. }
            if message.contains("ap-guangzhou, ap-shanghai")));

    // A service that lies: the same instances in both regions. Neither is sent.
    let mut lying = RegionReads::new(&selection);
    lying.push("ap-guangzhou", gz.clone());
    lying.push("ap-shanghai", gz.clone());
    let (regions, unplaced) = lying.resolve();
    for r in &regions {
        assert!(r.read.as_ref().unwrap().is_empty(), "{r:?}");
    }
    let codes: Vec<(&str, &str)> = unplaced
        .entries()
        .iter()
        .map(|e| match &e.seen {
            Seen::Failed { code, .. } => (e.id.as_str(), code.as_ref().map_or("-", |c| c.as_str())),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("ins-gz000001", RegionReads::AMBIGUOUS_REGION),
            ("ins-sh000001", "InvalidInstanceId.NotFound"),
            ("ins-xx000001", "InvalidInstanceId.NotFound"),
        ]
    );
    let mut run = Termination::from_read(unplaced, &TerminateOptions::new(), Instant::now());
    assert!(terminate(&mut run).is_empty());
    assert_eq!(run.into_report().failed(), 3);

    // A region that could not be read: what it might hold is not sent anywhere.
    let mut partial = RegionReads::new(&selection);
    partial.push("ap-guangzhou", gz);
    partial.push(
        "ap-shanghai",
        Err(ReadError::new(
            ReadErrorKind::NoAnswer,
            None,
            "timed out".into(),
            None,
        )),
    );
    let (regions, unplaced) = partial.resolve();
    assert!(regions[0].read.as_ref().unwrap().is_empty());
    assert!(regions[1].read.is_err());
    assert_eq!(unplaced.len(), 3);
    assert!(unplaced
        .entries()
        .iter()
        .all(|e| matches!(&e.seen, Seen::Failed { .. })));

    // One region, its read failed: each ID fails there, with the read's error.
    let mut one = RegionReads::new(&selection);
    one.push(
        "ap-guangzhou",
        Err(ReadError::new(
            ReadErrorKind::Refused,
            Some(ErrorCode::parse("AuthFailure.SignatureFailure")),
            "bad signature".into(),
            Some("r-9".into()),
        )),
    );
    let (regions, unplaced) = one.resolve();
    assert!(unplaced.is_empty());
    let read = regions[0].read.as_ref().unwrap();
    assert_eq!(read.len(), 3);
    let report = Termination::from_read(read.clone(), &TerminateOptions::new(), Instant::now())
        .into_report();
    assert!(report
        .instances()
        .iter()
        .all(|o| o.outcome.code().unwrap().as_str() == "AuthFailure.SignatureFailure"));
}

#[test]
fn filter_listings_in_several_regions_fail_an_instance_listed_twice() {
    let selection = ci_older_than_6h();
    let gz = read_region(&selection, "ap-guangzhou").0;
    let mut reads = RegionReads::new(&selection);
    reads.push("ap-guangzhou", gz.clone());
    reads.push("ap-shanghai", read_region(&selection, "ap-shanghai").0);
    let (regions, unplaced) = reads.resolve();
    assert!(unplaced.is_empty());
    assert_eq!(found_ids(regions[0].read.as_ref().unwrap()).len(), 3);
    assert_eq!(
        found_ids(regions[1].read.as_ref().unwrap()),
        ["ins-sh000001"]
    );
    let mut twice = RegionReads::new(&selection);
    twice.push("ap-guangzhou", gz.clone());
    twice.push("ap-beijing", gz);
    let (regions, unplaced) = twice.resolve();
    assert_eq!(unplaced.len(), 3);
    assert!(regions.iter().all(|r| r.read.as_ref().unwrap().is_empty()));
}
