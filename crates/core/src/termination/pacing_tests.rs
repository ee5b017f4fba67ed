//! Pacing on synthetic time against a model of how the service rate-limits: one
//! sliding second per action, endpoint (`Host`) and SecretId, counted when a
//! request *arrives*, refused requests counted too, refusals in the service's
//! words. Requests may be handled late (a slow uplink, a loaded server: the answer
//! leaves after) and counted later still (arrival jitter the answer does not show,
//! as the emulator's `--arrival-jitter-ms` does). Several runs, one per region,
//! share one client state, as a multi-region run does.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::*;
use crate::client_state::limiter::{RateLimit, Spacing};
use crate::client_state::rate_limits::{Pace, RateLimits};
use crate::client_state::retry::RetryPolicy;
use crate::http::endpoint::Endpoint;
use crate::http::service_config::ServiceConfig;
use crate::model::error_code::ErrorCode;
use crate::termination::journal::record::JournalEntry;
use crate::termination::report::OutcomeKind;

const UNIX_START: u64 = 1_700_000_000;
const SECOND: Duration = Duration::from_secs(1);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// SplitMix64: reproducible draws for jitter and delays.
struct Draws(u64);

impl Draws {
    fn below(&mut self, max: Duration) -> Duration {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let micros = max.as_micros() as u64;
        Duration::from_micros(if micros == 0 { 0 } else { z % (micros + 1) })
    }
}

/// The service's rate limiting, and nothing else: every request it lets through
/// succeeds.
struct Service {
    /// TerminateInstances' limit per second; reads have their documented 40.
    limit: u32,
    /// How late after it was sent a request is handled, at most (uniform): the
    /// answer leaves when it is handled.
    handled_late: Duration,
    /// How late after it was handled a request counts as arriving, at most (uniform).
    jitter: Duration,
    /// Answers take this long to come back after the request was handled.
    latency: Duration,
    draws: Draws,
    /// Arrival times (since t0) per action, host and SecretId.
    windows: HashMap<(String, String, String), Vec<Duration>>,
    /// Every TerminateInstances handled: host, region, the IDs, whether refused.
    terminates: Vec<(String, String, Vec<String>, bool)>,
}

impl Service {
    fn new(limit: u32) -> Service {
        Service {
            limit,
            handled_late: Duration::ZERO,
            jitter: Duration::ZERO,
            latency: ms(2),
            draws: Draws(7),
            windows: HashMap::new(),
            terminates: Vec::new(),
        }
    }

    fn seed(mut self, seed: u64) -> Service {
        self.draws = Draws(seed);
        self
    }

    fn throttled(&self) -> usize {
        self.terminates.iter().filter(|t| t.3).count()
    }

    /// Handles a request sent at `sent` (since t0): when its answer is back, and the answer.
    fn handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
        sent: Duration,
    ) -> (Duration, http::Response<Vec<u8>>) {
        let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
        let (action, host, region) = (header("x-tc-action"), header("host"), header("x-tc-region"));
        let authorization = header("authorization");
        let secret_id = authorization
            .split("Credential=")
            .nth(1)
            .and_then(|c| c.split('/').next())
            .unwrap()
            .to_owned();
        let handled = sent + self.draws.below(self.handled_late);
        let arrival = handled + self.draws.below(self.jitter);
        let limit = if action == "TerminateInstances" {
            self.limit
        } else {
            40
        };
        let window = self
            .windows
            .entry((action.clone(), host.clone(), secret_id))
            .or_default();
        window.push(arrival);
        window.sort();
        // Counting only the requests that arrived before it, as the emulator does.
        let count = window
            .iter()
            .filter(|t| **t <= arrival && arrival - **t < SECOND)
            .count();
        let refused = count > limit as usize;
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        let ids: Vec<String> = body["InstanceIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let answer = if refused {
            format!(
                r#"{{"Response":{{"Error":{{"Code":"RequestLimitExceeded","Message":"Your current request times equals to `{count}` in a second, which exceeds the frequency limit `{limit}` for a second."}},"RequestId":"throttled"}}}}"#
            )
        } else if action == "TerminateInstances" {
            r#"{"Response":{"RequestId":"ok"}}"#.to_owned()
        } else {
            let set: Vec<String> = ids
                .iter()
                .map(|id| {
                    format!(
                        r#"{{"InstanceId":"{id}","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR"}}"#
                    )
                })
                .collect();
            format!(
                r#"{{"Response":{{"TotalCount":{},"InstanceSet":[{}],"RequestId":"read"}}}}"#,
                set.len(),
                set.join(",")
            )
        };
        if action == "TerminateInstances" {
            self.terminates.push((host, region, ids, refused));
        }
        (
            handled + self.latency,
            http::Response::new(answer.into_bytes()),
        )
    }
}

/// One region's run: its region, its endpoint and how many IDs.
struct Region {
    name: &'static str,
    endpoint: Endpoint,
    ids: usize,
}

fn regional(name: &'static str, ids: usize) -> Region {
    Region {
        name,
        endpoint: Endpoint::Regional,
        ids,
    }
}

/// Through the nearest-access endpoint, `cvm.tencentcloudapi.com`, shared by every region.
fn shared(name: &'static str, ids: usize) -> Region {
    Region {
        name,
        endpoint: Endpoint::Default,
        ids,
    }
}

struct Finished {
    reports: Vec<Report>,
    events: Vec<Vec<Event>>,
    progress: Vec<Progress>,
    elapsed: Duration,
    state: ClientState,
}

/// Runs one Termination per region side by side over one client state (as
/// `state` configures it) until all finish; `options` for each.
fn run(
    regions: &[Region],
    service: &mut Service,
    options: &TerminateOptions,
    state: impl FnOnce(ClientState) -> ClientState,
) -> Finished {
    let t0 = Instant::now();
    let credentials = Credentials::new("AKIDpacing", "pacing-key");
    let mut state = state(
        ClientState::new(ServiceConfig::builder("ap-guangzhou").build().unwrap())
            .with_jitter_seed(5),
    );
    let mut runs: Vec<Termination> = regions
        .iter()
        .enumerate()
        .map(|(r, region)| {
            let ids: Vec<String> = (0..region.ids).map(|i| format!("ins-{r}{i:07}")).collect();
            let config = ServiceConfig::builder(region.name)
                .endpoint(region.endpoint.clone())
                .build()
                .unwrap();
            Termination::new(ids, options, t0)
                .unwrap()
                .with_config(config)
        })
        .collect();
    let mut events: Vec<Vec<Event>> = vec![Vec::new(); runs.len()];
    let mut pending: Vec<(Duration, usize, Token, http::Response<Vec<u8>>)> = Vec::new();
    let mut now = Duration::ZERO;
    let mut spins = 0;
    loop {
        for (r, run) in runs.iter_mut().enumerate() {
            while let Some(e) = run.poll_event() {
                events[r].push(e);
            }
        }
        if runs.iter().all(Termination::is_finished) {
            break;
        }
        let unix = UNIX_START + now.as_secs();
        for (r, run) in runs.iter_mut().enumerate() {
            // The journal's records taken before each pass (a TerminateInstances
            // leaves only once its intent was), as a driver does.
            loop {
                let mut journaled = false;
                while run.poll_journal().is_some() {
                    journaled = true;
                }
                let mut sent = false;
                while let Some(t) = run.poll_transmit(t0 + now, unix, &credentials, &mut state) {
                    let (at, answer) = service.handle(&t.request, now);
                    pending.push((at, r, t.token, answer));
                    sent = true;
                }
                if !journaled && !sent {
                    break;
                }
            }
        }
        let wake = pending
            .iter()
            .map(|p| t0 + p.0)
            .chain(runs.iter().filter_map(Termination::poll_timeout))
            .min()
            .expect("stalled");
        let wake = wake.duration_since(t0);
        if wake <= now {
            spins += 1;
            assert!(spins < 1000, "busy loop at {now:?}");
        } else {
            spins = 0;
        }
        now = now.max(wake);
        assert!(now < Duration::from_secs(3600), "ran past an hour");
        pending.sort_by_key(|p| p.0);
        let due = pending.iter().take_while(|p| p.0 <= now).count();
        for (_, r, token, answer) in pending.drain(..due).collect::<Vec<_>>() {
            runs[r].handle_response(token, Ok(answer), t0 + now, &mut state);
        }
        for run in &mut runs {
            run.handle_timeout(t0 + now);
        }
    }
    Finished {
        progress: runs.iter().map(Termination::progress).collect(),
        reports: runs.into_iter().map(Termination::into_report).collect(),
        events,
        elapsed: now,
        state,
    }
}

fn blind() -> TerminateOptions {
    TerminateOptions::new().with_preflight(false)
}

/// Every instance terminated, by one accepted request, in its own region.
fn each_terminated_once_in_its_region(done: &Finished, service: &Service, regions: &[Region]) {
    for (r, report) in done.reports.iter().enumerate() {
        assert!(report.all_terminated(), "{}: {report}", regions[r].name);
    }
    let mut accepted: HashMap<&str, &str> = HashMap::new();
    for (_, region, ids, refused) in &service.terminates {
        if !refused {
            for id in ids {
                assert!(accepted.insert(id, region).is_none(), "{id} twice");
            }
        }
    }
    let total: usize = regions.iter().map(|r| r.ids).sum();
    assert_eq!(accepted.len(), total);
    for (id, region) in accepted {
        let r: usize = id[4..5].parse().unwrap();
        assert_eq!(region, regions[r].name, "{id}");
    }
}

fn paces(done: &Finished) -> Vec<&Pace> {
    done.events
        .iter()
        .flatten()
        .filter_map(|e| match e {
            Event::Pace(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn three_regions_on_their_own_endpoints_go_side_by_side() {
    let regions = [
        regional("ap-guangzhou", 3000),
        regional("ap-shanghai", 3000),
        regional("ap-beijing", 3000),
    ];
    let mut service = Service::new(10);
    let done = run(&regions, &mut service, &blind(), |s| s);
    each_terminated_once_in_its_region(&done, &service, &regions);
    assert_eq!(service.throttled(), 0);
    // Each endpoint its own budget: 30 requests each, in three windows, together.
    let window = RateLimit::per_second(10).window();
    assert!(done.elapsed < window * 2 + ms(100), "{:?}", done.elapsed);
    let hosts: std::collections::BTreeSet<&str> =
        service.terminates.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(hosts.len(), 3);
    assert_eq!(done.state.paces().count(), 3);
}

#[test]
fn three_regions_through_one_endpoint_share_its_budget() {
    let regions = [
        shared("ap-guangzhou", 1000),
        shared("ap-shanghai", 1000),
        shared("ap-beijing", 1000),
    ];
    let mut service = Service::new(10);
    let done = run(&regions, &mut service, &blind(), |s| s);
    each_terminated_once_in_its_region(&done, &service, &regions);
    assert_eq!(service.throttled(), 0);
    // 30 requests through one bucket: three windows.
    let window = RateLimit::per_second(10).window();
    assert!(done.elapsed >= window * 2, "{:?}", done.elapsed);
    assert!(done.elapsed < window * 2 + ms(100), "{:?}", done.elapsed);
    assert_eq!(done.state.paces().count(), 1);
}

#[test]
fn a_service_allowing_three_a_second_is_learnt_in_a_few_refusals() {
    let regions = [regional("ap-guangzhou", 3000)];
    let mut service = Service::new(3);
    let done = run(&regions, &mut service, &blind(), |s| s);
    each_terminated_once_in_its_region(&done, &service, &regions);
    // Slow start sent 7 before the first refusal came back; then 3 per window.
    assert!(service.throttled() <= 6, "{}", service.throttled());
    assert!(done.elapsed <= ms(10_500), "{:?}", done.elapsed);
    // The service said 3: the run said so as it happened, and holds to it.
    let pace = paces(&done).into_iter().last().expect("a pace event");
    assert_eq!((pace.stated, pace.limit.max()), (Some(3), 3));
    assert!(pace.is_slowed());
    assert_eq!(pace.throttled, service.throttled() as u64);
    let progress = done.progress[0];
    assert_eq!(progress.limit.map(|l| l.max()), Some(3));
    assert!(progress.slowed);
    assert_eq!(progress.throttled, service.throttled() as u64);
}

#[test]
fn a_service_allowing_one_a_second_ends_every_instance() {
    let regions = [regional("ap-guangzhou", 1000)];
    let mut service = Service::new(1);
    let done = run(&regions, &mut service, &blind(), |s| s);
    each_terminated_once_in_its_region(&done, &service, &regions);
    // Ten requests, a window apart once learnt: about 10 s.
    assert!(done.elapsed <= ms(12_000), "{:?}", done.elapsed);
    assert!(service.throttled() <= 3, "{}", service.throttled());
}

#[test]
fn arrival_jitter_of_150_ms_costs_nothing_at_the_documented_rate() {
    let regions = [regional("ap-guangzhou", 3000)];
    let mut worst = (0, Duration::ZERO);
    for seed in 0..40 {
        let mut service = Service::new(10).seed(seed);
        service.jitter = ms(150);
        let done = run(&regions, &mut service, &blind(), |s| s);
        each_terminated_once_in_its_region(&done, &service, &regions);
        worst = (worst.0.max(service.throttled()), worst.1.max(done.elapsed));
    }
    assert!(worst.0 <= 2, "{worst:?}");
    assert!(worst.1 <= ms(2_450), "{worst:?}");
}

#[test]
fn late_handling_is_seen_in_the_answers_and_throttles_nothing() {
    // A loaded machine: requests are handled (and counted) up to 300 ms after
    // they were sent, their answers leaving only then. A window counted from the
    // sends alone lets the next window's first requests meet the last window's
    // late ones; counted to the answers, none do.
    let regions = [regional("ap-guangzhou", 3000)];
    for seed in 0..40 {
        let mut service = Service::new(10).seed(seed);
        service.handled_late = ms(300);
        let done = run(&regions, &mut service, &blind(), |s| s);
        each_terminated_once_in_its_region(&done, &service, &regions);
        assert_eq!(service.throttled(), 0, "seed {seed}");
    }
}

#[test]
fn bursts_meet_arrival_jitter_less_often_than_even_spacing() {
    // The same ceiling and jitter; only how a window's requests are spread differs.
    let regions = [regional("ap-guangzhou", 3000)];
    let throttles = |spacing: Spacing| -> usize {
        (0..40)
            .map(|seed| {
                let mut service = Service::new(10).seed(seed);
                service.jitter = ms(150);
                run(&regions, &mut service, &blind(), |s| {
                    s.with_rate_limits(RateLimits::new().with_spacing(spacing))
                });
                service.throttled()
            })
            .sum()
    };
    let (bursts, even) = (throttles(Spacing::Bursts), throttles(Spacing::Even));
    assert!(bursts * 5 < even, "bursts {bursts}, even {even}");
}

#[test]
fn a_run_that_keeps_making_progress_never_gives_up_on_throttling() {
    // One a second, 100 requests: the ones refused at the start wait about 100 s
    // for their turn, far past a 5 s budget, while the bucket keeps going.
    let regions = [regional("ap-guangzhou", 10_000)];
    let mut service = Service::new(1);
    let budget = RetryPolicy::default().with_budget(Duration::from_secs(5));
    let done = run(&regions, &mut service, &blind(), |s| {
        s.with_retry_policy(budget)
    });
    each_terminated_once_in_its_region(&done, &service, &regions);
    assert!(service.throttled() >= 1);
    assert!(
        done.elapsed > Duration::from_secs(100),
        "{:?}",
        done.elapsed
    );
}

#[test]
fn a_bucket_that_makes_no_progress_gives_up_after_the_budget() {
    let regions = [regional("ap-guangzhou", 200)];
    let mut service = Service::new(0);
    let budget = RetryPolicy::default().with_budget(Duration::from_secs(5));
    let done = run(&regions, &mut service, &blind(), |s| {
        s.with_retry_policy(budget)
    });
    let report = &done.reports[0];
    assert_eq!(report.failed(), 200);
    assert_eq!(
        report.instances()[0].outcome.code(),
        Some(&ErrorCode::RequestLimitExceeded)
    );
    assert!(done.elapsed >= Duration::from_secs(5), "{:?}", done.elapsed);
    assert!(done.elapsed < Duration::from_secs(15), "{:?}", done.elapsed);
}

#[test]
fn the_deadline_still_bounds_a_slow_run() {
    let regions = [regional("ap-guangzhou", 10_000)];
    let mut service = Service::new(1);
    let options = blind().with_deadline(Duration::from_secs(10));
    let done = run(&regions, &mut service, &options, |s| s);
    let report = &done.reports[0];
    assert!(
        report.terminated() >= 700 && report.terminated() <= 1000,
        "{report}"
    );
    assert_eq!(report.terminated() + report.not_sent(), 10_000);
    assert_eq!(done.elapsed, Duration::from_secs(10));
    assert!(report.instances().iter().all(|i| matches!(
        i.outcome.kind(),
        OutcomeKind::Terminated | OutcomeKind::NotSent
    )));
}

#[test]
fn reads_are_paced_in_their_own_bucket() {
    // With the preflight: 30 reads (40 a second allowed) and 30 TerminateInstances
    // (3 a second allowed), through one endpoint.
    let regions = [regional("ap-guangzhou", 3000)];
    let mut service = Service::new(3);
    let done = run(&regions, &mut service, &TerminateOptions::new(), |s| s);
    each_terminated_once_in_its_region(&done, &service, &regions);
    assert!(service.throttled() <= 6, "{}", service.throttled());
    assert!(done.elapsed <= ms(10_500), "{:?}", done.elapsed);
    let reads = done
        .state
        .paces()
        .find(|p| p.action == Action::DescribeInstances)
        .unwrap();
    assert!(!reads.is_slowed() && reads.throttled == 0, "{reads:?}");
}

#[test]
fn a_terminate_waiting_for_its_intent_keeps_its_place_in_flight() {
    // Two in flight at most: when a read's answer frees a place, the batch it made
    // ready takes it, not the next read, even while its intent is being taken.
    let t0 = Instant::now();
    let mut service = Service::new(10);
    let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build().unwrap())
        .with_max_in_flight(2);
    let credentials = Credentials::new("AKIDpacing", "pacing-key");
    let ids: Vec<String> = (0..300).map(|i| format!("ins-0{i:07}")).collect();
    let mut run = Termination::new(&ids, &TerminateOptions::new(), t0).unwrap();
    let poll = |run: &mut Termination, state: &mut ClientState| {
        run.poll_transmit(t0, UNIX_START, &credentials, state)
    };
    let first = poll(&mut run, &mut state).unwrap();
    let _second = poll(&mut run, &mut state).unwrap();
    assert!(poll(&mut run, &mut state).is_none(), "two in flight");
    let (_, answer) = service.handle(&first.request, Duration::ZERO);
    run.handle_response(first.token, Ok(answer), t0 + ms(5), &mut state);
    // Its batch is due: it asks for its intent, and no read goes meanwhile.
    assert!(poll(&mut run, &mut state).is_none());
    let intent = run.poll_journal().expect("the intent");
    assert!(matches!(intent.entry, JournalEntry::Intent(_)));
    let next = poll(&mut run, &mut state).unwrap();
    assert_eq!(next.action, Action::TerminateInstances);
}
