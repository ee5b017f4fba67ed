//! Whole runs on synthetic time against a scripted service: no network, no
//! concurrency, no waiting. A `Sim` is a driver: it sends what the run asks for,
//! holds each answer back for its scripted latency, and delivers answers and
//! timeouts in time order.

use std::time::{Duration, Instant};

use super::*;
use crate::actions::terminate_instances::TerminateInstancesBody;
use crate::client_state::limiter::RateLimit;
use crate::client_state::rate_limits::RateLimits;
use crate::client_state::retry::{RetryPolicy, RetryReason};
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportErrorKind;
use crate::model::error_code::ErrorCode;
use crate::termination::report::OutcomeKind;

const UNIX_START: u64 = 1_700_000_000;

type Answer = Result<http::Response<Vec<u8>>, TransportError>;

/// What the scripted service does with one request.
enum Reply {
    /// Answers after this long.
    After(Duration, Answer),
    /// Never answers.
    Never,
}

/// One request the run sent.
#[derive(Clone, Debug)]
struct Sent {
    /// 0 for the first request sent.
    n: usize,
    at: Instant,
    ids: Vec<String>,
    request: http::Request<Vec<u8>>,
}

struct Sim {
    run: Termination,
    state: ClientState,
    credentials: Credentials,
    t0: Instant,
    now: Instant,
    service: Box<dyn FnMut(&Sent) -> Reply>,
    read_service: Box<dyn FnMut(&Sent) -> Reply>,
    pending: Vec<(Instant, Token, Answer)>,
    /// The TerminateInstances sent.
    sent: Vec<Sent>,
    /// The reads sent.
    reads: Vec<Sent>,
    events: Vec<Event>,
    journal: Vec<JournalRecord>,
    max_in_flight_seen: usize,
    /// Called before each step; may cancel, abort, …
    hook: Option<Hook>,
    /// Extra times to wake at (for hooks that act at a given time).
    wakes: Vec<Instant>,
}

/// Acts on the run between steps (cancel, abort, …).
type Hook = Box<dyn FnMut(&mut Termination, &SimView)>;

/// Makes one scripted answer.
type MakeAnswer = Box<dyn Fn() -> Answer>;

/// What a hook can see of the simulation.
struct SimView {
    elapsed: Duration,
    sent: usize,
    ended: usize,
}

/// What these scenarios test: the request machinery, without the preflight
/// reads (`flow_tests` has those).
fn blind() -> TerminateOptions {
    TerminateOptions::new().with_preflight(false)
}

fn config() -> ServiceConfig {
    ServiceConfig::builder("ap-guangzhou").build().unwrap()
}

/// The state these scenarios run on: a bucket sends its first window's worth at
/// once (no slow start), as their timings assume; `pacing_tests` has pacing.
fn client_state() -> ClientState {
    ClientState::new(config()).with_rate_limits(RateLimits::new().with_slow_start(false))
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08}")).collect()
}

fn body_ids(r: &http::Request<Vec<u8>>) -> Vec<String> {
    serde_json::from_slice::<TerminateInstancesBody>(r.body())
        .unwrap()
        .instance_ids
}

/// A DescribeInstances answer that returns none of the instances asked for.
fn no_instances() -> Answer {
    Ok(http::Response::new(
        br#"{"Response":{"TotalCount":0,"InstanceSet":[],"RequestId":"read"}}"#.to_vec(),
    ))
}

fn ok(request_id: &str) -> Answer {
    Ok(http::Response::new(
        format!(r#"{{"Response":{{"RequestId":"{request_id}"}}}}"#).into_bytes(),
    ))
}

fn api_error(code: &str) -> Answer {
    with_status(
        200,
        &format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m-{code}"}},"RequestId":"rid-{code}"}}}}"#
        ),
    )
}

fn with_status(status: u16, body: &str) -> Answer {
    let mut r = http::Response::new(body.as_bytes().to_vec());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
    Ok(r)
}

fn transport(kind: TransportErrorKind, message: &str) -> Answer {
    Err(TransportError::new(kind, message))
}

impl Sim {
    fn new(
        n: usize,
        options: TerminateOptions,
        service: impl FnMut(&Sent) -> Reply + 'static,
    ) -> Sim {
        Sim::with_ids(&ids(n), options, service)
    }

    fn with_ids(
        list: &[String],
        options: TerminateOptions,
        service: impl FnMut(&Sent) -> Reply + 'static,
    ) -> Sim {
        let t0 = Instant::now();
        Sim {
            run: Termination::new(list, &options, t0).unwrap(),
            state: client_state().with_jitter_seed(7),
            credentials: Credentials::new("AKIDtest", "test-key"),
            t0,
            now: t0,
            service: Box::new(service),
            // Without a preflight, an instance no read returns cannot be judged:
            // unknown outcomes stay unknown.
            read_service: Box::new(|_: &Sent| Reply::After(ms(5), no_instances())),
            pending: Vec::new(),
            sent: Vec::new(),
            reads: Vec::new(),
            events: Vec::new(),
            journal: Vec::new(),
            max_in_flight_seen: 0,
            hook: None,
            wakes: Vec::new(),
        }
    }

    fn wake_at(mut self, after: Duration) -> Sim {
        self.wakes.push(self.t0 + after);
        self
    }

    fn state(mut self, f: impl FnOnce(ClientState) -> ClientState) -> Sim {
        self.state = f(self.state);
        self
    }

    fn hook(mut self, f: impl FnMut(&mut Termination, &SimView) + 'static) -> Sim {
        self.hook = Some(Box::new(f));
        self
    }

    fn unix(&self) -> u64 {
        UNIX_START + self.now.duration_since(self.t0).as_secs()
    }

    /// Drives the run to its end (panics if it stalls or runs past an hour).
    fn run(mut self) -> Finished {
        let mut spins = 0;
        loop {
            while let Some(e) = self.run.poll_event() {
                self.events.push(e);
            }
            if let Some(hook) = self.hook.as_mut() {
                let view = SimView {
                    elapsed: self.now.duration_since(self.t0),
                    sent: self.sent.len(),
                    ended: self.run.progress().ended,
                };
                hook(&mut self.run, &view);
                while let Some(e) = self.run.poll_event() {
                    self.events.push(e);
                }
            }
            if self.run.is_finished() {
                break;
            }
            // The driver's contract: the journal is drained before anything is sent.
            while let Some(r) = self.run.poll_journal() {
                self.journal.push(r);
            }
            let unix = self.unix();
            while let Some(t) =
                self.run
                    .poll_transmit(self.now, unix, &self.credentials, &mut self.state)
            {
                // Reads (to resolve unknown outcomes, to find culprits) get the
                // read script; the scenarios script the TerminateInstances.
                let is_read = t.action != Action::TerminateInstances;
                let sent = Sent {
                    n: if is_read {
                        self.reads.len()
                    } else {
                        self.sent.len()
                    },
                    at: self.now,
                    ids: body_ids(&t.request),
                    request: t.request,
                };
                let reply = if is_read {
                    (self.read_service)(&sent)
                } else {
                    (self.service)(&sent)
                };
                match reply {
                    Reply::After(d, answer) => self.pending.push((self.now + d, t.token, answer)),
                    Reply::Never => {}
                }
                if is_read {
                    self.reads.push(sent);
                } else {
                    self.sent.push(sent);
                }
                self.max_in_flight_seen =
                    self.max_in_flight_seen.max(self.run.progress().in_flight);
            }
            self.wakes.retain(|&w| w > self.now);
            let next_answer = self
                .pending
                .iter()
                .map(|(t, _, _)| *t)
                .chain(self.wakes.iter().copied())
                .min();
            let wake = match (next_answer, self.run.poll_timeout()) {
                (Some(a), Some(t)) => a.min(t),
                (Some(a), None) => a,
                (None, Some(t)) => t,
                (None, None) => panic!(
                    "stalled at {:?} with {:?}",
                    self.now.duration_since(self.t0),
                    self.run.progress()
                ),
            };
            assert!(
                wake.duration_since(self.t0) < Duration::from_secs(3600),
                "ran past an hour"
            );
            if wake <= self.now {
                spins += 1;
                assert!(
                    spins < 1000,
                    "busy loop at {:?}: wake {:?}, {:?}, {} pending",
                    self.now.duration_since(self.t0),
                    wake.duration_since(self.t0),
                    self.run.progress(),
                    self.pending.len()
                );
            } else {
                spins = 0;
            }
            self.now = self.now.max(wake);
            // Answers due now, in the order they arrive.
            self.pending.sort_by_key(|(t, _, _)| *t);
            let due = self
                .pending
                .iter()
                .take_while(|(t, _, _)| *t <= self.now)
                .count();
            let answers: Vec<_> = self.pending.drain(..due).collect();
            for (_, token, answer) in answers {
                self.run
                    .handle_response(token, answer, self.now, &mut self.state);
            }
            self.run.handle_timeout(self.now);
        }
        while let Some(r) = self.run.poll_journal() {
            self.journal.push(r);
        }
        let elapsed = self.now.duration_since(self.t0);
        Finished {
            report: self.run.into_report(),
            sent: self.sent,
            reads: self.reads,
            events: self.events,
            elapsed,
            max_in_flight_seen: self.max_in_flight_seen,
            state: self.state,
            t0: self.t0,
            journal: self.journal,
        }
    }
}

struct Finished {
    report: Report,
    sent: Vec<Sent>,
    reads: Vec<Sent>,
    events: Vec<Event>,
    elapsed: Duration,
    max_in_flight_seen: usize,
    state: ClientState,
    t0: Instant,
    journal: Vec<JournalRecord>,
}

impl Finished {
    fn kinds(&self) -> Vec<OutcomeKind> {
        self.report
            .instances()
            .iter()
            .map(|i| i.outcome.kind())
            .collect()
    }

    /// Every instance ended exactly once across the events, and the report
    /// agrees with the events.
    fn assert_one_outcome_each(&self) {
        let mut from_events = std::collections::HashMap::new();
        for e in &self.events {
            if let Event::Outcomes(list) = e {
                for i in list {
                    assert!(
                        from_events
                            .insert(i.id.clone(), i.outcome.clone())
                            .is_none(),
                        "{} ended twice",
                        i.id
                    );
                }
            }
        }
        assert_eq!(from_events.len(), self.report.instances().len());
        for i in self.report.instances() {
            assert_eq!(from_events.get(&i.id), Some(&i.outcome), "{}", i.id);
        }
        journal::tests::assert_journal_agrees(&self.journal, &self.report, self.sent.len());
    }

    /// No window of `window` holds more than `max` sends.
    fn assert_rate(&self, max: usize, window: Duration) {
        for s in &self.sent {
            let n = self
                .sent
                .iter()
                .filter(|o| o.at >= s.at && o.at < s.at + window)
                .count();
            assert!(
                n <= max,
                "{n} sends within {window:?} of {:?}",
                s.at.duration_since(self.t0)
            );
        }
    }

    /// How many reads named `id`.
    fn reads_of(&self, id: &str) -> usize {
        self.reads
            .iter()
            .filter(|s| s.ids.iter().any(|i| i == id))
            .count()
    }

    fn sends_of(&self, id: &str) -> usize {
        self.sent
            .iter()
            .filter(|s| s.ids.iter().any(|i| i == id))
            .count()
    }
}

fn always(
    latency: Duration,
    mut answer: impl FnMut(&Sent) -> Answer + 'static,
) -> impl FnMut(&Sent) -> Reply {
    move |s| Reply::After(latency, answer(s))
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Takes the journal, as a driver must before it polls for requests.
fn drain(run: &mut Termination) -> Vec<JournalRecord> {
    std::iter::from_fn(|| run.poll_journal()).collect()
}

/// The next request, as a driver gets it: polled, and if a TerminateInstances's
/// intent is due, polled again once the journal is drained.
fn next(
    run: &mut Termination,
    now: Instant,
    creds: &Credentials,
    state: &mut ClientState,
) -> Option<Transmit> {
    drain(run);
    run.poll_transmit(now, UNIX_START, creds, state)
        .or_else(|| {
            drain(run);
            run.poll_transmit(now, UNIX_START, creds, state)
        })
}

#[test]
fn batch_sizes_and_one_outcome_each() {
    for (n, requests) in [(0, 0), (1, 1), (100, 1), (101, 2), (1000, 10)] {
        let done = Sim::new(n, blind(), always(ms(50), |s| ok(&format!("req-{}", s.n)))).run();
        assert_eq!(done.sent.len(), requests, "{n} ids");
        assert_eq!(done.report.instances().len(), n);
        assert!(done.report.all_terminated());
        let sent_ids: Vec<String> = done.sent.iter().flat_map(|s| s.ids.clone()).collect();
        assert_eq!(sent_ids, ids(n), "every id sent exactly once, in order");
        assert!(done.sent.iter().all(|s| s.ids.len() <= 100));
        if n > 100 {
            assert_eq!(
                done.report.instances()[100].outcome.request_id(),
                Some("req-1")
            );
        }
        done.assert_one_outcome_each();
    }
}

#[test]
fn duplicates_are_reported_once_and_malformed_plans_nothing() {
    let mut list = ids(3);
    list.push(list[0].clone());
    list.push(list[2].clone());
    let done = Sim::with_ids(&list, blind(), always(ms(1), |_| ok("r"))).run();
    assert_eq!(done.report.instances().len(), 3);
    assert_eq!(done.report.duplicates_removed(), 2);
    assert_eq!(done.sent[0].ids.len(), 3);

    let mut list = ids(250);
    list.push("ins-NOPE".into());
    assert!(matches!(
        Termination::new(&list, &blind(), Instant::now()),
        Err(ValidationError::Malformed(bad)) if bad.len() == 1
    ));
}

#[test]
fn ten_in_flight_and_latency_does_not_bound_throughput() {
    // 3,000 IDs, 30 requests, a 300 ms round trip: sends go at 0, 1.05 and
    // 2.10 s (10 per guarded window), the last answer comes 300 ms later.
    let done = Sim::new(3000, blind(), always(ms(300), |s| ok(&format!("r{}", s.n)))).run();
    assert_eq!(done.sent.len(), 30);
    assert_eq!(done.max_in_flight_seen, 10);
    assert!(done.report.all_terminated());
    let window = Action::TerminateInstances.default_rate_limit().window();
    assert_eq!(done.elapsed, window * 2 + ms(300));
    done.assert_rate(10, Duration::from_secs(1));
    done.assert_rate(10, window);
    done.assert_one_outcome_each();
}

#[test]
fn the_in_flight_cap_holds_when_answers_are_slow() {
    let done = Sim::new(2000, blind(), always(ms(2500), |_| ok("r")))
        .state(|s| s.with_max_in_flight(4))
        .run();
    assert_eq!(done.max_in_flight_seen, 4);
    assert_eq!(done.sent.len(), 20);
    assert!(done.report.all_terminated());
    // 5 rounds of 4, each 2.5 s.
    assert_eq!(done.elapsed, ms(12_500));
}

#[test]
fn out_of_order_answers_reach_their_own_instances() {
    // Later requests answer first.
    let done = Sim::new(1000, blind(), |s: &Sent| {
        Reply::After(ms(1000 - 90 * s.n as u64), ok(&format!("for-{}", s.ids[0])))
    })
    .run();
    assert!(done.report.all_terminated());
    for (k, chunk) in done.report.instances().chunks(100).enumerate() {
        let expected = format!("for-ins-{:08}", k * 100);
        assert!(chunk
            .iter()
            .all(|i| i.outcome.request_id() == Some(expected.as_str())));
    }
    // Events arrived in answer order: the last batch first.
    match &done.events[0] {
        Event::Outcomes(o) => assert_eq!(o[0].id.as_str(), "ins-00000900"),
        other => panic!("{other:?}"),
    }
    done.assert_one_outcome_each();
}

#[test]
fn every_window_holds_at_most_ten_sends_across_retries() {
    // Every third attempt is throttled, so retries mix with first sends.
    let done = Sim::new(
        3500,
        blind(),
        always(ms(120), |s| {
            if s.n % 3 == 1 {
                api_error("RequestLimitExceeded")
            } else {
                ok("r")
            }
        }),
    )
    .run();
    assert!(done.report.all_terminated());
    assert!(done.sent.len() > 35);
    done.assert_rate(10, Duration::from_secs(1));
    done.assert_one_outcome_each();
}

#[test]
fn a_throttle_storm_is_outlasted_within_the_budget() {
    // Another client holds the account's quota for 30 s: everything is
    // throttled until then. Five attempts in two seconds would have given up.
    // (The limiter slows down while it lasts: about one attempt a second and a
    // half once it is at its floor.)
    let t_storm_end = std::rc::Rc::new(std::cell::Cell::new(None::<Instant>));
    let end = t_storm_end.clone();
    let done = Sim::new(500, blind(), move |s: &Sent| {
        let storm_end = end.get().unwrap_or(s.at + Duration::from_secs(30));
        end.set(Some(storm_end));
        if s.at < storm_end {
            Reply::After(ms(50), api_error("RequestLimitExceeded.UinLimitExceeded"))
        } else {
            Reply::After(ms(50), ok("after-storm"))
        }
    })
    .run();
    assert!(
        done.report.all_terminated(),
        "{} after {:?}: {:?}",
        done.report,
        done.elapsed,
        done.report.instances()[0].outcome
    );
    assert!(done.elapsed >= Duration::from_secs(20));
    let retries = done
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Retrying {
                    reason: RetryReason::Throttled,
                    ..
                }
            )
        })
        .count();
    assert!(retries > 5 * 5, "{retries} retries");
    done.assert_rate(10, Duration::from_secs(1));
    done.assert_one_outcome_each();
}

#[test]
fn throttling_past_the_budget_fails_with_the_code() {
    let done = Sim::new(
        1,
        blind(),
        always(ms(20), |_| api_error("RequestLimitExceeded")),
    )
    .run();
    let outcome = &done.report.instances()[0].outcome;
    assert_eq!(outcome.kind(), OutcomeKind::Failed);
    assert_eq!(outcome.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert!(done.sent.len() > 10, "{} attempts", done.sent.len());
    let span = done.sent.last().unwrap().at.duration_since(done.sent[0].at);
    assert!(
        span < Duration::from_secs(60) && span > Duration::from_secs(40),
        "{span:?}"
    );
}

#[test]
fn throttling_is_recognised_by_status_and_envelope_together() {
    for status in [200, 429, 503] {
        let done = Sim::new(1, blind(), move |s: &Sent| {
            Reply::After(ms(10), match s.n {
                0 => with_status(status, r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"q"}}"#),
                _ => ok("second"),
            })
        })
        .run();
        assert_eq!(done.sent.len(), 2, "HTTP {status}");
        assert!(done.report.all_terminated(), "HTTP {status}");
    }
}

#[test]
fn throttling_is_retried_and_resigned() {
    let done = Sim::new(1, blind(), |s: &Sent| {
        Reply::After(
            ms(10),
            match s.n {
                0 => api_error("RequestLimitExceeded"),
                1 => api_error("RequestLimitExceeded.UinLimitExceeded"),
                _ => ok("after-throttle"),
            },
        )
    })
    .run();
    assert_eq!(
        done.report.instances()[0].outcome.request_id(),
        Some("after-throttle")
    );
    assert_eq!(done.sent.len(), 3);
    let retrying: Vec<u32> = done
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Retrying { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(retrying, [1, 2]);
}

#[test]
fn refused_connections_are_retried_with_backoff() {
    let done = Sim::new(1, blind(), |s: &Sent| {
        Reply::After(
            ms(1),
            match s.n {
                0 => transport(TransportErrorKind::NotSent, "dns"),
                1 => transport(TransportErrorKind::NotSent, "refused"),
                _ => ok("third-time"),
            },
        )
    })
    .run();
    assert!(done.report.all_terminated());
    assert_eq!(done.sent.len(), 3);
}

#[test]
fn signature_expire_corrects_the_clock_once() {
    // The server is an hour ahead.
    let server_date = "Tue, 14 Nov 2023 23:13:20 GMT"; // 1_700_003_600
    let expired = move || {
        let mut r = api_error("AuthFailure.SignatureExpire")?;
        r.headers_mut()
            .insert(http::header::DATE, server_date.parse().unwrap());
        Ok(r)
    };
    let done = Sim::new(1, blind(), move |s: &Sent| {
        Reply::After(ms(10), if s.n == 0 { expired() } else { ok("fixed") })
    })
    .run();
    assert!(done.report.all_terminated());
    assert_eq!(done.state.clock_offset(), 3600);
    assert_eq!(
        done.sent[0].request.headers()["x-tc-timestamp"],
        "1700000000"
    );
    assert_eq!(
        done.sent[1].request.headers()["x-tc-timestamp"],
        "1700003600"
    );

    // Without a Date header: final at once. Expired again after a correction: final.
    let done = Sim::new(
        1,
        blind(),
        always(ms(10), |_| api_error("AuthFailure.SignatureExpire")),
    )
    .run();
    assert_eq!(done.kinds(), [OutcomeKind::Failed]);
    assert_eq!(done.sent.len(), 1);
    let done = Sim::new(1, blind(), always(ms(10), move |_| expired())).run();
    assert_eq!(done.kinds(), [OutcomeKind::Failed]);
    assert_eq!(done.sent.len(), 2, "one correction, then final");
}

#[test]
fn cancel_mid_flight_awaits_answers_and_sends_nothing_new() {
    // 10,000 IDs at 300 ms a round trip; cancel 1.2 s in: the first 10
    // requests have answered, the next 10 (sent at 1.05 s) are in flight.
    let done = Sim::new(
        10_000,
        blind(),
        always(ms(300), |s| ok(&format!("r{}", s.n))),
    )
    .wake_at(ms(1200))
    .hook(|run, view| {
        if view.elapsed == ms(1200) {
            assert_eq!((view.sent, view.ended), (20, 1000));
            run.cancel();
        }
    })
    .run();
    assert_eq!(done.sent.len(), 20, "nothing sent after the cancel");
    // The 10 in flight at the cancel were awaited and count.
    assert_eq!(done.report.terminated(), 2000);
    assert_eq!(done.report.not_sent(), 8000);
    assert_eq!(
        done.elapsed,
        Action::TerminateInstances.default_rate_limit().window() + ms(300)
    );
    let unsent = &done.report.instances()[9999].outcome;
    assert_eq!(unsent.message(), Some("cancelled before it was sent"));
    done.assert_one_outcome_each();
}

#[test]
fn a_throttled_request_waiting_to_retry_ends_not_sent_on_cancel() {
    let done = Sim::new(
        1,
        blind(),
        always(ms(10), |_| api_error("RequestLimitExceeded")),
    )
    .hook(|run, view| {
        if view.sent == 2 {
            run.cancel();
        }
    })
    .run();
    assert_eq!(done.kinds(), [OutcomeKind::NotSent]);
    assert!(done.sent.len() <= 3);
}

#[test]
fn the_deadline_ends_the_run_with_every_instance_accounted_for() {
    // The service accepts and never answers: without a deadline each batch
    // would cost a transport timeout.
    let done = Sim::new(
        2000,
        blind().with_deadline(Duration::from_secs(3)),
        |_: &Sent| Reply::Never,
    )
    .state(|s| s.with_max_in_flight(5))
    .run();
    assert_eq!(done.elapsed, Duration::from_secs(3));
    assert_eq!(done.sent.len(), 5, "the cap held; nothing answered");
    assert_eq!(done.report.unknown(), 500);
    assert_eq!(done.report.not_sent(), 1500);
    let unknown = &done.report.instances()[0].outcome;
    assert!(unknown.message().unwrap().contains("deadline"), "{unknown}");
    done.assert_one_outcome_each();
}

#[test]
fn past_the_deadline_nothing_new_is_sent() {
    // 10 per window, a 3.5 s deadline: windows open at 0, 1.05, 2.10 and
    // 3.15 s, and every answer is back 100 ms after its send.
    let done = Sim::new(
        10_000,
        blind().with_deadline(ms(3500)),
        always(ms(100), |_| ok("r")),
    )
    .run();
    assert_eq!(done.sent.len(), 40);
    assert_eq!(done.report.terminated(), 4000);
    assert_eq!(done.report.not_sent(), 6000);
    assert_eq!(done.report.unknown(), 0);
    assert_eq!(done.elapsed, ms(3500));
    done.assert_one_outcome_each();
}

#[test]
fn abort_gives_up_in_flight_requests_as_unknown_and_ignores_late_answers() {
    let done = Sim::new(300, blind(), always(ms(5000), |_| ok("too-late")))
        .wake_at(Duration::from_secs(1))
        .hook(|run, view| {
            if view.elapsed == Duration::from_secs(1) {
                run.abort();
            }
        })
        .run();
    assert_eq!(done.report.unknown(), 300);
    assert_eq!(
        done.elapsed,
        Duration::from_secs(1),
        "did not wait for the answers"
    );
    done.assert_one_outcome_each();
}

#[test]
fn stray_and_repeated_answers_are_ignored() {
    let t0 = Instant::now();
    let mut state = client_state();
    let creds = Credentials::new("AKIDtest", "test-key");
    let mut run = Termination::new(ids(150), &blind(), t0).unwrap();
    let a = next(&mut run, t0, &creds, &mut state).unwrap();
    let b = next(&mut run, t0, &creds, &mut state).unwrap();
    assert!(next(&mut run, t0, &creds, &mut state).is_none());
    run.handle_response(a.token, ok("first"), t0, &mut state);
    // The same token again, and a token from nowhere: nothing changes.
    run.handle_response(a.token, ok("second"), t0, &mut state);
    run.handle_response(Token::new(99, 1), ok("stray"), t0, &mut state);
    assert_eq!(run.progress().ended, 100);
    // A refusal about the account, not about particular instances: final for all.
    run.handle_response(
        b.token,
        api_error("LimitExceeded.UserReturnQuota"),
        t0,
        &mut state,
    );
    assert!(run.is_finished());
    let report = run.into_report();
    assert_eq!(report.instances()[0].outcome.request_id(), Some("first"));
    assert_eq!(report.failed(), 50);
}

#[test]
fn a_report_taken_early_accounts_for_everything() {
    let t0 = Instant::now();
    let mut state = client_state();
    let creds = Credentials::new("AKIDtest", "test-key");
    let mut run = Termination::new(ids(250), &blind(), t0).unwrap();
    let _in_flight = next(&mut run, t0, &creds, &mut state).unwrap();
    let report = run.into_report();
    assert_eq!(report.unknown(), 100);
    assert_eq!(report.not_sent(), 150);
}

#[test]
fn per_action_limits_are_configurable() {
    let limits = RateLimits::new().with_limit(
        Action::TerminateInstances,
        RateLimit::new(2, Duration::from_secs(1)).with_guard(Duration::ZERO),
    );
    let done = Sim::new(500, blind(), always(ms(10), |_| ok("r")))
        .state(|s| s.with_rate_limits(limits))
        .run();
    assert_eq!(done.sent.len(), 5);
    done.assert_rate(2, Duration::from_secs(1));
    assert_eq!(done.elapsed, Duration::from_secs(2) + ms(10));
}

#[test]
fn options_reach_every_batch_and_dry_run_signs_without_counting() {
    let options = blind()
        .with_release_prepaid_data_disks(true)
        .with_release_address(false);
    let run = Termination::new(ids(150), &options, Instant::now()).unwrap();
    let state = client_state();
    let requests = run
        .signed_requests(UNIX_START, &Credentials::new("AKIDtest", "k"), &state)
        .unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers()["authorization"].is_sensitive());
    for r in &requests {
        let body: TerminateInstancesBody = serde_json::from_slice(r.body()).unwrap();
        assert_eq!(
            (body.release_prepaid_data_disks, body.release_address),
            (Some(true), Some(false))
        );
    }
}

#[test]
fn unsendable_credentials_fail_the_batch_without_sending() {
    let t0 = Instant::now();
    let mut state = client_state();
    let creds = Credentials::new("AKIDtest", "k").with_token("bad\ntoken");
    let mut run = Termination::new(ids(3), &blind(), t0).unwrap();
    assert!(next(&mut run, t0, &creds, &mut state).is_none());
    assert!(run.is_finished());
    // Its intent is closed: it never left.
    let answer = drain(&mut run).remove(0);
    assert!(
        matches!(&answer.entry, journal::JournalEntry::Answer(a) if a.result == journal::AnswerResult::NotActed),
        "{answer:?}"
    );
    let report = run.into_report();
    assert_eq!(report.failed(), 3);
    let message = report.instances()[0].outcome.message().unwrap();
    assert!(
        message.starts_with("not sent") && !message.contains("bad"),
        "{message}"
    );
}

#[test]
fn poll_timeout_never_asks_to_wake_in_a_busy_loop() {
    // At the in-flight cap with a retry due, only an answer can help.
    let t0 = Instant::now();
    let mut state = client_state().with_max_in_flight(1);
    let creds = Credentials::new("AKIDtest", "k");
    let mut run = Termination::new(ids(200), &blind(), t0).unwrap();
    let a = next(&mut run, t0, &creds, &mut state).unwrap();
    assert!(next(&mut run, t0, &creds, &mut state).is_none());
    assert_eq!(run.poll_timeout(), None);
    let t1 = t0 + ms(5);
    run.handle_response(a.token, api_error("RequestLimitExceeded"), t1, &mut state);
    assert!(matches!(
        run.poll_event(),
        Some(Event::Retrying { attempt: 1, .. })
    ));
    // A slot is free and the second batch was ready all along: poll now.
    assert_eq!(run.poll_timeout(), Some(t0));
    let b = next(&mut run, t1, &creds, &mut state).unwrap();
    assert_eq!(b.attempt, 1);
    // Saturated again, with the retry waiting: only an answer helps.
    assert_eq!(run.poll_timeout(), None);
    run.handle_response(b.token, ok("b"), t1 + ms(1), &mut state);
    drain(&mut run);
    // Now the retry's backoff is what to wait for.
    let wake = run.poll_timeout().unwrap();
    assert!(wake >= t1, "{:?}", wake.duration_since(t0));
}

#[test]
fn termination_is_send_and_sync() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<Termination>();
    assert_send_sync::<ClientState>();
    assert_send_sync::<Transmit>();
    assert_send_sync::<Event>();
}

/// Failures of every kind, and outcomes the service may or may not have acted on.
mod unknown_outcomes;
