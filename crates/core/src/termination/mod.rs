//! [`Termination`]: one terminate run (or a preview of one) as a poll-style
//! state machine.
//!
//! The run does no IO and reads no clock. The driver feeds it time, wall-clock
//! seconds, credentials and answers; it says what to send next, when to wake
//! it, and what happened. A driver loop (blocking, async, or a test with
//! synthetic time) looks like this:
//!
//! ```text
//!  loop {
//!      while let Some(event) = run.poll_event() { show or persist it }
//!      if run.is_finished() { break }
//!      while let Some(t) = run.poll_transmit(now, unix_time, &credentials, &mut state) {
//!          send t.request in the background; its answer comes back with t.token
//!      }
//!      wait for an answer or until run.poll_timeout()
//!      answer  => run.handle_response(token, result, now, &mut state)
//!      timeout => run.handle_timeout(now)
//!  }
//!  let report = run.into_report();   // or into_plan() for a preview
//! ```
//!
//! # What a terminate run does with an instance
//!
//! ```text
//!            DescribeInstances (preflight, ≤ 100 per read)
//!  listed ────────────────────────────────────────────► absent / protected / refused state ─► failed (never sent)
//!    │  (no preflight)                                  prepaid in the recycle bin ─────────► skipped (never sent)
//!    │                                                  otherwise ─┐
//!    ▼                                                             ▼
//!  pool (one per charge type) ─► TerminateInstances (≤ 100, one charge type) ──► accepted ─► terminated
//!    ▲                                 │                                            │ (wait) read every 2 s
//!    │  refused for others' sake:      │ refused for some instances' sake:          ▼
//!    └──── the rest goes back ◄────────┤ the culprits fail (named, or found by reading) gone / recycle bin
//!                                      │
//!                                      │ no answer, 5xx, unreadable: unknown
//!                                      ▼
//!                       DescribeInstances after the settle delay
//!                        acted ──► terminated     unclear ──► unknown (with what was seen)
//!                        untouched ──► pay-as-you-go: back to the pool (once); prepaid: failed, never re-sent
//! ```
//!
//! A preview ([`Termination::preview`]) reads the same way, asks
//! InquiryPriceTerminateInstances what the prepaid instances would refund, and
//! sends no TerminateInstances; a status read ([`Termination::status`]) only
//! reads. Both end in a [`Plan`].
//!
//! Each request moves through these phases:
//!
//! ```text
//!              poll_transmit                 handle_response
//!   Queued ──────────────────► InFlight ─────────────────────────► Done
//!     ▲  (not before its            │
//!     │   backoff; within its       │ a failure that proves the service did not act
//!     │   action's rate limit       │ (throttled, never sent, clock corrected), or
//!     │   and the in-flight cap)    │ any failure of a read: safe to send again
//!     └──────── backoff ◄───────────┘
//!
//!   cancel():    Queued ─► Done (not_sent); InFlight is awaited
//!   deadline:    Queued ─► Done (not_sent); InFlight ─► Done (unknown), its answer ignored
//!   abort():     as the deadline, at once
//! ```
//!
//! A TerminateInstances whose outcome is unknown is never sent again as it
//! was: only a read that shows a pay-as-you-go instance untouched sends it
//! once more, and a prepaid instance never, since a late first call plus a
//! second destroys it.
//!
//! Beside the machine live what it takes and gives: the [`TerminateOptions`], the
//! [`BatchPlan`](crate::BatchPlan), what TerminateInstances does with an instance
//! in a given state ([`TerminationCheck`](crate::TerminationCheck)), the
//! [`Event`]s, the [`Plan`] and the [`Report`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::actions::describe_instances::{DescribeInstances, DescribeInstancesResponse};
use crate::actions::inquiry_price_terminate_instances::{
    InquiryPriceTerminateInstances, InquiryPriceTerminateInstancesResponse,
};
use crate::actions::terminate_instances::TerminateInstances;
use crate::actions::Action;
use crate::client_state::retry::{
    read_retry_reason, retry_reason, AttemptFailure, RetryDecision, RetryReason,
};
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error::error_chain::with_causes;
use crate::error::validation_error::ValidationError;
use crate::http::build_error::BuildError;
use crate::http::response::{server_time, ResponseError, Success};
use crate::http::transport_error::{TransportError, TransportErrorKind};
use crate::model::amount::Amount;
use crate::model::charge_type::ChargeType;
use crate::model::error_code::{Disposition, ErrorCode};
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::instance_state::InstanceState;
use crate::termination::batch::BatchPlan;
use crate::termination::report::{InstanceOutcome, Outcome, OutcomeKind, Report};
use crate::termination::terminate_options::TerminateOptions;

mod culprits;
mod event;
mod plan;
mod preflight;
mod resolution;
mod transmit;

pub(crate) mod batch;
pub(crate) mod report;
pub(crate) mod terminate_options;
pub(crate) mod termination_check;

pub use event::Event;
pub use plan::{Plan, PlanEntry, PlannedAction};
pub use transmit::{Token, Transmit};

use preflight::Verdict;
use resolution::Resolution;

/// How often a waiting run reads its terminated instances again.
const WAIT_POLL: Duration = Duration::from_secs(2);
/// How many times a pay-as-you-go instance read as untouched after an
/// unanswered request is sent again.
const MAX_RESENDS: u32 = 1;

/// What the run is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Terminate,
    Preview,
    Status,
}

/// Why a DescribeInstances is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Purpose {
    /// Before anything is sent.
    Preflight,
    /// A batch was refused for some instances' sake: find the rest of them (the
    /// answer names one or two at most, or none).
    Isolate {
        refusal: Refusal,
        /// Whether the answer named culprits (they failed already).
        named: bool,
    },
    /// A TerminateInstances went unanswered: did it act?
    Resolve,
    /// Terminated: is it gone (or in the recycle bin) yet?
    Wait,
}

/// A service refusal, kept for the instances it is reported for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Refusal {
    code: ErrorCode,
    message: String,
    request_id: String,
}

/// What a request does.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Work {
    Read(Purpose),
    Terminate,
    Inquire,
}

impl Work {
    fn action(&self) -> Action {
        match self {
            Work::Read(_) => Action::DescribeInstances,
            Work::Terminate => Action::TerminateInstances,
            Work::Inquire => Action::InquiryPriceTerminateInstances,
        }
    }
}

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Queued,
    InFlight(Token),
    Done,
}

/// One request of the run: what it does, which instances it names, how its
/// attempts went.
#[derive(Debug)]
struct Job {
    work: Work,
    members: Vec<usize>,
    phase: Phase,
    attempts: u32,
    first_sent: Option<Instant>,
    last_sent: Option<Instant>,
    not_before: Option<Instant>,
    /// The caller's wall clock when the last attempt was signed, before
    /// correction: what the server's `Date` is compared with.
    signed_at_unix: u64,
    clock_corrected: bool,
}

/// One instance of the run.
#[derive(Debug)]
struct Tracked {
    id: InstanceId,
    /// Whether a preflight read came back for it.
    preflight_read: bool,
    /// What that read returned (`None`: absent, or not read: `preflight_read` tells which).
    before: Option<Instance>,
    /// The state to report: the last read, while nothing this run did changed it.
    state: Option<InstanceState>,
    /// Terminate mode: the final outcome.
    outcome: Option<Outcome>,
    /// Preview and status modes: the final entry.
    planned: Option<PlanEntry>,
    /// An unknown outcome awaiting the read that resolves it.
    unknown: Option<Outcome>,
    /// RequestIds of our TerminateInstances for it, where the service gave one.
    request_ids: Vec<String>,
    /// How many times it was sent again after a read showed it untouched.
    resends: u32,
    /// Terminated and being waited for: by which request, and until when.
    waiting: Option<(Outcome, Instant)>,
}

impl Tracked {
    /// A read came back for it, showing `found` (`None`: absent).
    fn record_read(&mut self, found: Option<Instance>) {
        self.preflight_read = true;
        self.state = found.as_ref().and_then(|f| f.instance_state.clone());
        self.before = found;
    }
}

/// Why the run stopped sending.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stop {
    Cancelled(String),
    Deadline,
    Aborted,
}

impl Stop {
    /// What an instance that was never sent is told.
    fn not_sent(&self) -> String {
        match self {
            Stop::Cancelled(why) => why.clone(),
            Stop::Deadline => "not sent: the run's deadline passed first".to_owned(),
            Stop::Aborted => "not sent: the run was aborted".to_owned(),
        }
    }

    /// Why a failed request is not sent again.
    fn reason(&self) -> &str {
        match self {
            Stop::Cancelled(why) => why,
            Stop::Deadline => "the run's deadline passed",
            Stop::Aborted => "the run was aborted",
        }
    }
}

/// How an answer ends up.
enum Answer<T> {
    /// Read and understood.
    Ok(T),
    /// Safe to send again; `fallback` is what it stands for if no retry is allowed.
    Retry {
        reason: RetryReason,
        fallback: Failure,
    },
    /// Final.
    Failed(Failure),
}

/// A failed request: what its instances are told.
#[derive(Clone, Debug)]
struct Failure {
    /// Whether the service may have acted (terminate only).
    unknown: bool,
    /// The service's refusal, when it answered with one.
    service: Option<Refusal>,
    /// What happened.
    message: String,
}

impl Failure {
    fn outcome(&self) -> Outcome {
        let (code, request_id) = match &self.service {
            Some(r) => (Some(r.code.clone()), Some(r.request_id.clone())),
            None => (None, None),
        };
        if self.unknown {
            Outcome::unknown(code, self.message.clone(), request_id)
        } else {
            Outcome::failed(code, self.message.clone(), request_id)
        }
    }
}

/// How far a run has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Distinct instances in the run.
    pub instances: usize,
    /// Instances with a final outcome (or plan entry).
    pub settled: usize,
    /// Requests in flight.
    pub in_flight: usize,
}

/// A terminate run over any number of instance IDs: validated up front,
/// de-duplicated, read before anything is sent, batched by 100 and by charge
/// type, sent with up to [`ClientState::max_in_flight`] requests outstanding
/// within each action's rate limit, retried only where the service certainly
/// did not act, refused batches isolated to their culprits, unknown outcomes
/// resolved by reading, and ended with exactly one outcome per distinct instance.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{ClientState, Credentials, Event, ServiceConfig, TerminateOptions, Termination};
///
/// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
/// let credentials = Credentials::new("AKIDexample", "example-key");
/// let t0 = Instant::now();
/// // Blind, as the official SDKs send it: no read before.
/// let options = TerminateOptions::new().preflight(false);
/// let mut run = Termination::new(["ins-r8hr2upy"], &options, t0)?;
///
/// let transmit = run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).unwrap();
/// assert_eq!(transmit.request.headers()["x-tc-action"], "TerminateInstances");
/// assert!(run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).is_none());
///
/// // The driver sent it; the service answered.
/// let answer = http::Response::new(br#"{"Response":{"RequestId":"r-1"}}"#.to_vec());
/// run.handle_response(transmit.token, Ok(answer), t0 + Duration::from_millis(80), &mut state);
/// assert!(matches!(run.poll_event(), Some(Event::Outcomes(o)) if o.len() == 1));
/// assert!(run.is_finished());
/// assert_eq!(run.into_report().terminated(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Termination {
    mode: Mode,
    options: TerminateOptions,
    instances: Vec<Tracked>,
    duplicates_removed: usize,
    jobs: Vec<Job>,
    queue: VecDeque<usize>,
    /// Instances ready to terminate (or to price), by charge type.
    pools: Vec<(Option<ChargeType>, Vec<usize>)>,
    preflight_reads_left: usize,
    in_flight: usize,
    unsettled: usize,
    events: VecDeque<Event>,
    outcomes_batch: Vec<InstanceOutcome>,
    planned_batch: Vec<PlanEntry>,
    deadline: Option<Instant>,
    stop: Option<Stop>,
    /// Per action, when a rate limit that held a ready request back next allows one.
    limiter_wake: [Option<Instant>; 3],
    /// Whether the last `poll_transmit` stopped at the in-flight cap.
    saturated: bool,
    /// When the run started: the wake time of a request that may go at once.
    created: Instant,
    /// When the waiting instances are read next.
    next_wait_read: Option<Instant>,
}

impl Termination {
    /// A terminate run: validates every ID (nothing is planned if any is
    /// malformed), drops duplicates, and plans the preflight reads (or, with
    /// preflight off, the TerminateInstances batches). `now` starts the deadline.
    pub fn new<I, S>(
        ids: I,
        options: &TerminateOptions,
        now: Instant,
    ) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Termination::with_mode(Mode::Terminate, ids, options, now)
    }

    /// A preview: reads every instance, asks what the prepaid ones would refund,
    /// and sends no TerminateInstances. Ends in [`Termination::into_plan`].
    pub fn preview<I, S>(
        ids: I,
        options: &TerminateOptions,
        now: Instant,
    ) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Termination::with_mode(Mode::Preview, ids, options, now)
    }

    /// A status read: reads every instance and says what a terminate would do,
    /// nothing more. Ends in [`Termination::into_plan`].
    pub fn status<I, S>(ids: I, now: Instant) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Termination::with_mode(Mode::Status, ids, &TerminateOptions::new(), now)
    }

    fn with_mode<I, S>(
        mode: Mode,
        ids: I,
        options: &TerminateOptions,
        now: Instant,
    ) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let plan = BatchPlan::new(ids)?;
        let duplicates_removed = plan.duplicates_removed();
        let instances: Vec<Tracked> = plan
            .into_instances()
            .into_iter()
            .map(|id| Tracked {
                id,
                preflight_read: false,
                before: None,
                state: None,
                outcome: None,
                planned: None,
                unknown: None,
                request_ids: Vec::new(),
                resends: 0,
                waiting: None,
            })
            .collect();
        let mut run = Termination {
            mode,
            options: options.clone(),
            unsettled: instances.len(),
            instances,
            duplicates_removed,
            jobs: Vec::new(),
            queue: VecDeque::new(),
            pools: Vec::new(),
            preflight_reads_left: 0,
            in_flight: 0,
            events: VecDeque::new(),
            outcomes_batch: Vec::new(),
            planned_batch: Vec::new(),
            deadline: options
                .deadline_after()
                .and_then(|after| now.checked_add(after)),
            stop: None,
            limiter_wake: [None; 3],
            saturated: false,
            created: now,
            next_wait_read: None,
        };
        let all: Vec<usize> = (0..run.instances.len()).collect();
        if mode == Mode::Terminate && !options.preflight_on() {
            for i in all {
                run.pool(i);
            }
            run.flush_pools();
        } else {
            for chunk in all.chunks(InstanceIdList::MAX) {
                run.enqueue(Work::Read(Purpose::Preflight), chunk.to_vec(), None);
                run.preflight_reads_left += 1;
            }
        }
        Ok(run)
    }

    /// The next request to send, if one may go at `now`: signed with
    /// `credentials` at wall-clock `unix_time` (seconds since the Unix epoch,
    /// corrected by the clock offset learned from the service), counted
    /// against its action's rate limit in `state`.
    ///
    /// Call it until it returns `None`, then wait for an answer or for
    /// [`Termination::poll_timeout`].
    pub fn poll_transmit(
        &mut self,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Option<Transmit> {
        self.advance(now);
        self.limiter_wake = [None; 3];
        self.saturated = false;
        if self.stop.is_some() {
            return None;
        }
        // TerminateInstances first: its limit sets the pace, so a batch goes as
        // soon as its own read is back, and reads fill the slots left over.
        for terminates in [true, false] {
            if let Some(t) = self.poll_pass(terminates, now, unix_time, credentials, state) {
                return Some(t);
            }
        }
        None
    }

    /// One pass over the queue, over the TerminateInstances (or over the rest).
    fn poll_pass(
        &mut self,
        terminates: bool,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Option<Transmit> {
        let mut position = 0;
        while position < self.queue.len() {
            if self.in_flight >= state.max_in_flight() {
                self.saturated = true;
                return None;
            }
            let j = self.queue[position];
            let slot = action_slot(self.jobs[j].work.action());
            // Once a limit holds one request back (this poll) it holds back every
            // later one of the same action: skip them without asking again.
            if (self.jobs[j].work == Work::Terminate) != terminates
                || self.limiter_wake[slot].is_some()
                || self.jobs[j].not_before.is_some_and(|t| t > now)
            {
                position += 1;
                continue;
            }
            let action = self.jobs[j].work.action();
            if let Err(at) = state.limits_mut().try_acquire(action.name(), now) {
                self.limiter_wake[slot] = Some(at);
                position += 1;
                continue;
            }
            self.queue.remove(position);
            let timestamp = state.timestamp(unix_time);
            match self.request(j, timestamp, credentials, state) {
                Ok(request) => {
                    let job = &mut self.jobs[j];
                    job.attempts += 1;
                    job.first_sent.get_or_insert(now);
                    job.last_sent = Some(now);
                    job.not_before = None;
                    job.signed_at_unix = unix_time;
                    let token = Token::new(j, job.attempts);
                    job.phase = Phase::InFlight(token);
                    self.in_flight += 1;
                    self.saturated = self.in_flight >= state.max_in_flight();
                    return Some(Transmit {
                        token,
                        request,
                        action: action.name(),
                        instances: job.members.len(),
                        attempt: job.attempts,
                    });
                }
                Err(e) => {
                    self.jobs[j].phase = Phase::Done;
                    let failure = Failure {
                        unknown: false,
                        service: None,
                        message: format!("not sent: {}", with_causes(&e)),
                    };
                    self.job_failed(j, &failure, now);
                    self.flush_events();
                }
            }
        }
        None
    }

    /// When the driver should call [`Termination::handle_timeout`] (or poll
    /// again) if no answer arrives first: a backoff ending, a rate-limit
    /// window opening, a settle delay or wait interval passing, or the
    /// deadline. `None` when only answers can move the run on, or when it is
    /// finished.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_finished() {
            return None;
        }
        let mut wake = match self.stop {
            Some(Stop::Deadline | Stop::Aborted) => None,
            _ => self.deadline,
        };
        let mut earliest = |t: Instant| wake = Some(wake.map_or(t, |w: Instant| w.min(t)));
        if self.stop.is_none() {
            if !self.saturated {
                // A request goes when its backoff is over and its action's limit
                // allows: the later of the two.
                for &j in &self.queue {
                    let job = &self.jobs[j];
                    let limit = self.limiter_wake[action_slot(job.work.action())];
                    earliest(match (job.not_before, limit) {
                        (Some(a), Some(b)) => a.max(b),
                        (a, b) => a.or(b).unwrap_or(self.created),
                    });
                }
            }
            if let Some(t) = self.next_wait_read {
                earliest(t);
            }
        }
        wake
    }

    /// Lets time pass: waits end, and past the deadline nothing more is sent,
    /// unsent instances end `not_sent` and requests in flight are given up as
    /// `unknown`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
    }

    /// Takes the answer to the request `token` names: an HTTP response of any
    /// status, or the transport's failure. Answers for attempts the run gave
    /// up on are ignored.
    pub fn handle_response(
        &mut self,
        token: Token,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    ) {
        let j = token.job();
        match self.jobs.get(j) {
            Some(job) if job.phase == Phase::InFlight(token) => {}
            _ => return,
        }
        self.in_flight -= 1;
        self.saturated = false;
        self.jobs[j].phase = Phase::Done;
        match self.jobs[j].work.clone() {
            Work::Terminate => {
                let answer = self.judge::<TerminateInstances>(j, result, now, state);
                self.settle_terminate(j, answer, now, state);
            }
            Work::Read(purpose) => {
                let answer = self.judge::<DescribeInstances>(j, result, now, state);
                if let Some(read) = self.retry_or(j, answer, now, state) {
                    match read {
                        Ok(read) => self.take_read(j, &purpose, &read, now),
                        Err(failure) => self.read_failed(j, &purpose, &failure, now),
                    }
                }
            }
            Work::Inquire => {
                let answer = self.judge::<InquiryPriceTerminateInstances>(j, result, now, state);
                if let Some(prices) = self.retry_or(j, answer, now, state) {
                    self.take_prices(j, prices);
                }
            }
        }
        self.flush_pools();
        self.advance(now);
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Sends nothing new: unsent instances end `not_sent` at once; requests in
    /// flight are still awaited, and their answers still count.
    pub fn cancel(&mut self) {
        self.cancel_because("cancelled before it was sent");
    }

    /// Like [`Termination::cancel`], with the reason unsent instances report
    /// (e.g. that credentials could no longer be had).
    pub fn cancel_because(&mut self, reason: impl Into<String>) {
        if self.stop.is_none() {
            self.stop_sending(Stop::Cancelled(reason.into()));
            self.flush_events();
        }
    }

    /// Stops at once: like [`Termination::cancel`], and requests in flight are
    /// given up (a TerminateInstances as `unknown`: it may yet be processed);
    /// their answers are ignored. The run is finished after this.
    pub fn abort(&mut self) {
        if !matches!(self.stop, Some(Stop::Aborted | Stop::Deadline)) {
            self.stop_sending(Stop::Aborted);
            self.abandon_in_flight(
                "no answer before the run was aborted: the request may have been processed",
            );
            self.flush_events();
        }
    }

    /// Whether every instance has its outcome and nothing is in flight.
    pub fn is_finished(&self) -> bool {
        self.unsettled == 0 && self.in_flight == 0
    }

    /// How far the run has come.
    pub fn progress(&self) -> Progress {
        Progress {
            instances: self.instances.len(),
            settled: self.instances.len() - self.unsettled,
            in_flight: self.in_flight,
        }
    }

    /// The report: one outcome per distinct instance, in first-requested order.
    /// Called before the run is finished, it aborts it first, so requests in
    /// flight are reported `unknown` and unsent instances `not_sent`. For a
    /// preview or status run, every instance is `not_sent` (they send nothing):
    /// use [`Termination::into_plan`].
    pub fn into_report(mut self) -> Report {
        self.abort();
        let preview = self.mode != Mode::Terminate;
        let instances = self
            .instances
            .into_iter()
            .map(|t| {
                let outcome = match t.outcome {
                    Some(o) if !preview => o,
                    _ => Outcome::not_sent("not sent: the run ended first".to_owned()),
                };
                InstanceOutcome {
                    id: t.id,
                    outcome,
                    state: t.state,
                    instance: t.before,
                }
            })
            .collect();
        Report::new(instances, self.duplicates_removed)
    }

    /// The plan: one entry per distinct instance, in first-requested order.
    /// Called before the run is finished, it aborts it first. For a terminate
    /// run, each entry is what its preflight read said (a `fail` entry where
    /// none came back).
    pub fn into_plan(mut self) -> Plan {
        self.abort();
        let destroy = self.options.destroys_prepaid();
        let entries = self
            .instances
            .into_iter()
            .map(|t| match t.planned {
                Some(entry) => entry,
                None if t.preflight_read => plan_entry(
                    t.id,
                    preflight::judge(t.before.as_ref(), destroy),
                    t.before,
                    None,
                ),
                None => PlanEntry {
                    id: t.id,
                    action: PlannedAction::Fail,
                    instance: None,
                    refund: None,
                    code: None,
                    message: Some("not read: the run ended first".to_owned()),
                },
            })
            .collect();
        Plan::new(entries, self.duplicates_removed)
    }

    /// The TerminateInstances requests this run would send first, signed,
    /// without sending or counting anything: for a run without preflight, its
    /// batches; with preflight, the batches are only known after the reads, so
    /// this is empty.
    pub fn signed_requests(
        &self,
        unix_time: u64,
        credentials: &Credentials,
        state: &ClientState,
    ) -> Result<Vec<http::Request<Vec<u8>>>, BuildError> {
        let timestamp = state.timestamp(unix_time);
        self.queue
            .iter()
            .filter(|&&j| self.jobs[j].work == Work::Terminate)
            .map(|&j| self.request(j, timestamp, credentials, state))
            .collect()
    }

    // -- planning ----------------------------------------------------------

    fn enqueue(&mut self, work: Work, members: Vec<usize>, not_before: Option<Instant>) {
        let j = self.jobs.len();
        self.jobs.push(Job {
            work,
            members,
            phase: Phase::Queued,
            attempts: 0,
            first_sent: None,
            last_sent: None,
            not_before,
            signed_at_unix: 0,
            clock_corrected: false,
        });
        self.queue.push_back(j);
    }

    /// The pool an instance is batched in: by charge type, so that prepaid and
    /// pay-as-you-go never share a request.
    fn pool(&mut self, i: usize) {
        if let Some(stop) = &self.stop {
            let message = stop.not_sent();
            self.not_sent(i, &message);
            return;
        }
        // An empty charge type says no more than an absent one: they share a pool.
        let key = self.instances[i]
            .before
            .as_ref()
            .and_then(|b| b.instance_charge_type.clone())
            .filter(|c| !c.as_str().is_empty());
        match self.pools.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => self.pools.push((key, vec![i])),
        }
    }

    /// Turns pooled instances into requests: full batches at once, partial
    /// ones when no preflight read can add to them any more.
    fn flush_pools(&mut self) {
        if self.stop.is_some() {
            return;
        }
        let force = self.preflight_reads_left == 0;
        let mut batches = Vec::new();
        for (key, members) in &mut self.pools {
            while members.len() >= InstanceIdList::MAX || (force && !members.is_empty()) {
                let take = members.len().min(InstanceIdList::MAX);
                batches.push((key.clone(), members.drain(..take).collect::<Vec<_>>()));
            }
        }
        for (key, members) in batches {
            match self.mode {
                Mode::Terminate => self.enqueue(Work::Terminate, members, None),
                Mode::Preview if key.as_ref().is_some_and(ChargeType::is_prepaid) => {
                    self.enqueue(Work::Inquire, members, None)
                }
                // Pay-as-you-go is billed by the hour used: terminating refunds nothing.
                Mode::Preview => {
                    for i in members {
                        self.plan(i, Verdict::Ready, Some(Amount::ZERO));
                    }
                }
                Mode::Status => {
                    for i in members {
                        self.plan(i, Verdict::Ready, None);
                    }
                }
            }
        }
    }

    // -- building requests -------------------------------------------------

    fn request(
        &self,
        j: usize,
        timestamp: u64,
        credentials: &Credentials,
        state: &ClientState,
    ) -> Result<http::Request<Vec<u8>>, BuildError> {
        let job = &self.jobs[j];
        let ids: Vec<InstanceId> = job
            .members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let (config, signer) = (state.config(), state.signer());
        match job.work {
            Work::Terminate => {
                let request = self
                    .options
                    .apply(TerminateInstances::for_list(InstanceIdList::from_plan(ids)));
                config.sign(&request, timestamp, credentials, signer)
            }
            Work::Read(_) => {
                let request = DescribeInstances::for_list(InstanceIdList::from_plan(ids));
                config.sign(&request, timestamp, credentials, signer)
            }
            Work::Inquire => {
                let request =
                    InquiryPriceTerminateInstances::for_list(InstanceIdList::from_plan(ids));
                config.sign(&request, timestamp, credentials, signer)
            }
        }
    }

    // -- reading answers ---------------------------------------------------

    /// Reads an answer. For a request that only reads, every failure but the
    /// service's own refusal may be retried; for one that acts (`acts`: a
    /// TerminateInstances), only failures that prove the service did not act,
    /// and a failure that leaves that open is an unknown outcome.
    fn judge<R: crate::actions::api_request::ApiRequest>(
        &mut self,
        j: usize,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    ) -> Answer<R::Response> {
        self.log_answer(j, &result, now, state);
        let acts = R::ACTION == Action::TerminateInstances;
        let reason_for = |failure| match acts {
            true => retry_reason(failure),
            false => read_retry_reason(failure),
        };
        let (failure, reason) = match result {
            Err(e) => {
                let failure = Failure {
                    unknown: acts && e.kind() == TransportErrorKind::OutcomeUnknown,
                    service: None,
                    message: with_causes(&e),
                };
                (failure, reason_for(AttemptFailure::Transport(&e)))
            }
            Ok(response) => {
                let error = match R::parse_response(&response, state.max_body()) {
                    Ok(parsed) => return Answer::Ok(parsed),
                    Err(e) => e,
                };
                let clock_corrected = self.correct_clock(j, &error, &response, state);
                let unknown = acts && error.disposition() == Disposition::OutcomeUnknown;
                let reason = reason_for(AttemptFailure::Response {
                    error: &error,
                    clock_corrected,
                });
                (failure_of(&error, unknown), reason)
            }
        };
        match reason {
            Some(reason) => Answer::Retry {
                reason,
                fallback: failure,
            },
            None => Answer::Failed(failure),
        }
    }

    /// Re-queues a safely retryable failure within the retry budget; otherwise
    /// hands back what the answer came to.
    fn retry_or<T>(
        &mut self,
        j: usize,
        answer: Answer<T>,
        now: Instant,
        state: &mut ClientState,
    ) -> Option<Result<T, Failure>> {
        match answer {
            Answer::Ok(t) => Some(Ok(t)),
            Answer::Failed(f) => Some(Err(f)),
            Answer::Retry { reason, fallback } => {
                if let Some(stop) = &self.stop {
                    return Some(Err(Failure {
                        message: format!(
                            "not sent again ({}) after: {}",
                            stop.reason(),
                            fallback.message
                        ),
                        ..fallback
                    }));
                }
                let job = &self.jobs[j];
                let elapsed = job
                    .first_sent
                    .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
                let random = state.next_random();
                match state
                    .retry_policy()
                    .decide(Some(reason), job.attempts, elapsed, random)
                {
                    RetryDecision::RetryAfter(after) => {
                        let job = &mut self.jobs[j];
                        job.phase = Phase::Queued;
                        job.not_before = Some(now + after);
                        self.events.push_back(Event::Retrying {
                            action: job.work.action().name(),
                            instances: job.members.len(),
                            attempt: job.attempts,
                            reason,
                            after,
                        });
                        self.queue.push_back(j);
                        None
                    }
                    RetryDecision::GiveUp => Some(Err(fallback)),
                }
            }
        }
    }

    fn log_answer(
        &self,
        j: usize,
        result: &Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &ClientState,
    ) {
        let job = &self.jobs[j];
        let latency = job
            .last_sent
            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        let action = job.work.action().name();
        let (ids, attempt, region) = (job.members.len(), job.attempts, state.config().region());
        match result {
            Ok(r) => log::debug!(
                "action={action} region={region} ids={ids} attempt={attempt} status={} latency_ms={}",
                r.status().as_u16(),
                latency.as_millis()
            ),
            Err(e) => log::debug!(
                "action={action} region={region} ids={ids} attempt={attempt} status=- latency_ms={} transport_error={:?}",
                latency.as_millis(),
                e.kind()
            ),
        }
    }

    /// After `AuthFailure.SignatureExpire`, once per request: learns the clock
    /// offset from the server's `Date`. Returns whether it did.
    fn correct_clock(
        &mut self,
        j: usize,
        error: &ResponseError,
        response: &http::Response<Vec<u8>>,
        state: &mut ClientState,
    ) -> bool {
        let expired = error.disposition() == Disposition::RejectedBeforeAction
            && error
                .service_error()
                .is_some_and(|s| s.code == ErrorCode::AuthFailureSignatureExpire);
        let job = &mut self.jobs[j];
        if !expired || job.clock_corrected {
            return false;
        }
        let Some(server) = server_time(response) else {
            return false;
        };
        let offset = i128::from(server) - i128::from(job.signed_at_unix);
        state.set_clock_offset(i64::try_from(offset).unwrap_or(0));
        job.clock_corrected = true;
        true
    }

    // -- what answers do -----------------------------------------------------

    fn settle_terminate(
        &mut self,
        j: usize,
        answer: Answer<Success>,
        now: Instant,
        state: &mut ClientState,
    ) {
        let outcome = match self.retry_or(j, answer, now, state) {
            None => return,
            Some(o) => o,
        };
        let members = self.jobs[j].members.clone();
        match outcome {
            Ok(Success { request_id }) => {
                for &i in &members {
                    self.instances[i].request_ids.push(request_id.clone());
                    self.accepted(i, Outcome::terminated(request_id.clone()), now);
                }
            }
            Err(failure) if failure.unknown => {
                for &i in &members {
                    if let Some(r) = &failure.service {
                        self.instances[i].request_ids.push(r.request_id.clone());
                    }
                    self.instances[i].unknown = Some(failure.outcome());
                    self.instances[i].state = None;
                }
                if self.stop.is_some() {
                    for &i in &members {
                        self.give_up_unknown(i, "not read again: the run stopped");
                    }
                } else {
                    let settle = now + self.options.settle();
                    self.enqueue(Work::Read(Purpose::Resolve), members, Some(settle));
                }
            }
            Err(failure) => match &failure.service {
                Some(refusal) if culprits::is_per_instance(&refusal.code) && members.len() > 1 => {
                    self.isolate(j, refusal.clone(), now)
                }
                Some(refusal) if culprits::is_per_instance(&refusal.code) => {
                    let i = members[0];
                    self.refused_for_itself(i, refusal, now);
                }
                _ => self.job_failed(j, &failure, now),
            },
        }
    }

    /// A batch refused for some of its instances' sake: the ones the message
    /// names fail, and the rest is read to find any other culprit (a service
    /// that names the first bad instance only would otherwise cost one refusal
    /// per culprit) before it is sent again.
    fn isolate(&mut self, j: usize, refusal: Refusal, now: Instant) {
        let members = self.jobs[j].members.clone();
        let ids: Vec<InstanceId> = members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let named = culprits::named(&refusal.message, &ids);
        if !named.is_empty() {
            log::info!(
                "{}: {} of {} instance(s) named as the cause; reading the others before sending them again",
                refusal.code,
                named.len(),
                members.len()
            );
        }
        let mut rest = Vec::new();
        for (k, &i) in members.iter().enumerate() {
            if named.contains(&k) {
                self.refused_for_itself(i, &refusal, now);
            } else if !self.settled(i) {
                rest.push(i);
            }
        }
        if rest.is_empty() {
            return;
        }
        if self.stop.is_some() {
            for i in rest {
                self.refused_for_itself(i, &refusal, now);
            }
            return;
        }
        let named = !named.is_empty();
        self.enqueue(Work::Read(Purpose::Isolate { refusal, named }), rest, None);
    }

    /// Settles an instance the service refused a request for: failed with the
    /// refusal, unless the refusal says it is already terminating after an
    /// earlier request of ours that went unanswered (that one acted).
    fn refused_for_itself(&mut self, i: usize, refusal: &Refusal, now: Instant) {
        let t = &self.instances[i];
        if culprits::says_already_terminated(&refusal.code) && t.resends > 0 {
            let outcome = Outcome::terminated_as_read(
                t.request_ids.first().cloned(),
                format!(
                    "an earlier request acted late: the service now answers {}",
                    refusal.code
                ),
            );
            self.accepted(i, outcome, now);
            return;
        }
        let outcome = Outcome::failed(
            Some(refusal.code.clone()),
            refusal.message.clone(),
            Some(refusal.request_id.clone()),
        );
        self.settle(i, outcome);
    }

    /// A terminated instance: settled now, or waited for.
    fn accepted(&mut self, i: usize, outcome: Outcome, now: Instant) {
        let t = &mut self.instances[i];
        t.unknown = None;
        t.state = None;
        match self.options.wait_timeout() {
            Some(timeout) if self.stop.is_none() => {
                t.waiting = Some((outcome, now + timeout));
                if self.next_wait_read.is_none() {
                    self.next_wait_read = Some(now + WAIT_POLL);
                }
            }
            _ => self.settle(i, outcome),
        }
    }

    fn take_read(
        &mut self,
        j: usize,
        purpose: &Purpose,
        read: &DescribeInstancesResponse,
        now: Instant,
    ) {
        let members = self.jobs[j].members.clone();
        match purpose {
            Purpose::Preflight => {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                for &i in &members {
                    let found = read.find(&self.instances[i].id).cloned();
                    self.instances[i].record_read(found);
                    self.preflight(i, &read.request_id);
                }
            }
            Purpose::Isolate { refusal, named } => {
                self.take_isolating_read(&members, refusal, *named, read, now)
            }
            Purpose::Resolve => {
                for &i in &members {
                    let after = read.find(&self.instances[i].id);
                    self.resolve(i, after, now);
                }
            }
            Purpose::Wait => {
                let mut still = 0;
                for &i in &members {
                    let after = read.find(&self.instances[i].id);
                    if !self.check_waiting(i, after, now) {
                        still += 1;
                    }
                }
                if still > 0 {
                    self.events.push_back(Event::Waiting { instances: still });
                }
            }
        }
    }

    /// The preflight verdict on one instance.
    fn preflight(&mut self, i: usize, read_request_id: &str) {
        let verdict = preflight::judge(
            self.instances[i].before.as_ref(),
            self.options.destroys_prepaid(),
        );
        if self.mode != Mode::Terminate {
            match verdict {
                Verdict::Ready => self.pool(i),
                other => self.plan(i, other, None),
            }
            return;
        }
        match verdict {
            Verdict::Ready => self.pool(i),
            Verdict::Fail { code, message } => {
                let outcome =
                    Outcome::failed(Some(code), message, Some(read_request_id.to_owned()))
                        .decided_by_read();
                self.settle(i, outcome);
            }
            Verdict::Skip { message } => self.settle(i, Outcome::skipped(message)),
        }
    }

    /// A refused batch, read to find which instances it was refused for.
    fn take_isolating_read(
        &mut self,
        members: &[usize],
        refusal: &Refusal,
        named: bool,
        read: &DescribeInstancesResponse,
        now: Instant,
    ) {
        let destroy = self.options.destroys_prepaid();
        let mut clean = Vec::new();
        let mut found_culprit = false;
        for &i in members {
            let after = read.find(&self.instances[i].id).cloned();
            let t = &mut self.instances[i];
            // The read decides the batching from here on (charge types included).
            t.record_read(after);
            match preflight::judge(t.before.as_ref(), destroy) {
                Verdict::Ready => clean.push(i),
                Verdict::Fail { code, message } => {
                    found_culprit = true;
                    let note = format!(
                        "{message} (the batch it was in was refused: {})",
                        refusal.code
                    );
                    let refused = Refusal {
                        code,
                        message: note,
                        request_id: refusal.request_id.clone(),
                    };
                    self.refused_for_itself(i, &refused, now);
                }
                Verdict::Skip { message } => {
                    found_culprit = true;
                    self.settle(i, Outcome::skipped(message));
                }
            }
        }
        let mixed = refusal.code == ErrorCode::UnsupportedOperationInstanceMixedPricingModel;
        if found_culprit || mixed || named {
            for i in clean {
                self.pool(i);
            }
        } else {
            for i in clean {
                let message = format!(
                    "{} (refused as a whole; reading the instances found no single cause)",
                    refusal.message
                );
                let outcome = Outcome::failed(
                    Some(refusal.code.clone()),
                    message,
                    Some(refusal.request_id.clone()),
                );
                self.settle(i, outcome);
            }
        }
    }

    /// Resolves an unknown outcome from a read.
    fn resolve(&mut self, i: usize, after: Option<&Instance>, now: Instant) {
        if self.settled(i) {
            return;
        }
        let t = &self.instances[i];
        let verdict = resolution::resolve(t.before.as_ref(), after, &t.request_ids);
        let waited = self.options.settle().as_secs_f64();
        let charge = after
            .and_then(|a| a.instance_charge_type.as_ref())
            .or_else(|| {
                t.before
                    .as_ref()
                    .and_then(|b| b.instance_charge_type.as_ref())
            });
        let prepaid = charge.is_none_or(|c| c.is_prepaid());
        match verdict {
            Resolution::Terminated { request_id, seen } => {
                let request_id = request_id.or_else(|| t.request_ids.first().cloned());
                let outcome = Outcome::terminated_as_read(
                    request_id,
                    format!(
                        "the answer was lost; a read {waited:.0} s later shows it acted: {seen}"
                    ),
                );
                self.accepted(i, outcome, now);
            }
            Resolution::Untouched { seen }
                if !prepaid && t.resends < MAX_RESENDS && self.stop.is_none() =>
            {
                log::info!(
                    "{}: read untouched {waited:.0} s after an unanswered request ({seen}); sending it again",
                    t.id
                );
                let t = &mut self.instances[i];
                t.resends += 1;
                t.unknown = None;
                self.pool(i);
            }
            Resolution::Untouched { seen } => {
                let why = if prepaid {
                    "not sent again: for a prepaid instance a late first call plus a second would destroy it"
                } else {
                    "not sent again"
                };
                let outcome = Outcome::failed(
                    None,
                    format!(
                        "the answer was lost, and a read {waited:.0} s later shows the instance untouched ({seen}); {why}"
                    ),
                    None,
                );
                self.instances[i].state = after.and_then(|a| a.instance_state.clone());
                self.settle(i, outcome);
            }
            Resolution::Unclear { seen } => {
                self.instances[i].state = after.and_then(|a| a.instance_state.clone());
                self.give_up_unknown(
                    i,
                    &format!("a read {waited:.0} s later cannot tell: {seen}"),
                );
            }
        }
    }

    /// Whether a waited-for instance is done; settles it if so.
    fn check_waiting(&mut self, i: usize, after: Option<&Instance>, now: Instant) -> bool {
        let Some((outcome, until)) = self.instances[i].waiting.clone() else {
            return true;
        };
        let state = after.and_then(|a| a.instance_state.clone());
        let prepaid = after
            .and_then(|a| a.instance_charge_type.as_ref())
            .is_some_and(|c| c.is_prepaid());
        let done = match &state {
            None if after.is_none() => Some("gone".to_owned()),
            Some(InstanceState::Shutdown) if prepaid => Some("in the recycle bin".to_owned()),
            _ if now >= until => Some(format!(
                "still {} when the wait ended",
                state.as_ref().map_or("unknown", |s| s.as_str())
            )),
            _ => None,
        };
        match done {
            Some(note) => {
                self.instances[i].waiting = None;
                self.instances[i].state = state;
                self.settle(i, outcome.noted(&note));
                true
            }
            None => false,
        }
    }

    fn take_prices(
        &mut self,
        j: usize,
        prices: Result<InquiryPriceTerminateInstancesResponse, Failure>,
    ) {
        let members = self.jobs[j].members.clone();
        for i in members {
            match &prices {
                Ok(p) => {
                    let refund = p.find(&self.instances[i].id).and_then(|r| r.refunds);
                    self.plan(i, Verdict::Ready, refund);
                }
                Err(f) => {
                    let note = format!("refund not known: {}", f.message);
                    let entry = plan_entry(
                        self.instances[i].id.clone(),
                        Verdict::Ready,
                        self.instances[i].before.clone(),
                        None,
                    );
                    let entry = PlanEntry {
                        message: Some(note),
                        ..entry
                    };
                    self.settle_planned(i, entry);
                }
            }
        }
    }

    /// A read that failed for good.
    fn read_failed(&mut self, j: usize, purpose: &Purpose, failure: &Failure, now: Instant) {
        let members = self.jobs[j].members.clone();
        match purpose {
            Purpose::Preflight => {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                let message = match self.mode {
                    Mode::Terminate => {
                        format!(
                            "not sent: the read before sending failed: {}",
                            failure.message
                        )
                    }
                    _ => format!("not read: {}", failure.message),
                };
                let outcome = Failure {
                    message,
                    ..failure.clone()
                }
                .outcome()
                .decided_by_read();
                for i in members {
                    self.settle(i, outcome.clone());
                }
            }
            Purpose::Isolate { refusal, .. } => {
                for i in members {
                    self.refused_for_itself(i, refusal, now);
                }
            }
            Purpose::Resolve => {
                for i in members {
                    self.give_up_unknown(
                        i,
                        &format!("reading the instance failed: {}", failure.message),
                    );
                }
            }
            Purpose::Wait => {
                for i in members {
                    if let Some((outcome, _)) = self.instances[i].waiting.take() {
                        let note =
                            format!("not waited for: reading it failed: {}", failure.message);
                        self.settle(i, outcome.noted(&note));
                    }
                }
            }
        }
    }

    /// Every member of a request that failed for good fails the same way.
    fn job_failed(&mut self, j: usize, failure: &Failure, now: Instant) {
        let members = self.jobs[j].members.clone();
        match self.jobs[j].work.clone() {
            Work::Terminate => {
                for i in members {
                    self.settle(i, failure.outcome());
                }
            }
            Work::Read(purpose) => self.read_failed(j, &purpose, failure, now),
            Work::Inquire => self.take_prices(j, Err(failure.clone())),
        }
    }

    fn give_up_unknown(&mut self, i: usize, note: &str) {
        if let Some(unknown) = self.instances[i].unknown.take() {
            self.settle(i, unknown.noted(note));
        }
    }

    // -- time and stopping ---------------------------------------------------

    fn advance(&mut self, now: Instant) {
        let due = self.deadline.is_some_and(|d| now >= d);
        if due && !matches!(self.stop, Some(Stop::Deadline | Stop::Aborted)) {
            self.stop_sending(Stop::Deadline);
            self.abandon_in_flight(
                "no answer before the run's deadline: the request may have been processed",
            );
        }
        if self.stop.is_none() && self.next_wait_read.is_some_and(|t| t <= now) {
            self.next_wait_read = None;
            self.read_waiting(now);
        }
        self.flush_events();
    }

    /// Queues reads of the instances being waited for (those not already in one).
    fn read_waiting(&mut self, now: Instant) {
        let busy: Vec<usize> = self
            .jobs
            .iter()
            .filter(|job| job.phase != Phase::Done && job.work == Work::Read(Purpose::Wait))
            .flat_map(|job| job.members.iter().copied())
            .collect();
        let waiting: Vec<usize> = (0..self.instances.len())
            .filter(|&i| self.instances[i].waiting.is_some() && !busy.contains(&i))
            .collect();
        for chunk in waiting.chunks(InstanceIdList::MAX) {
            self.enqueue(Work::Read(Purpose::Wait), chunk.to_vec(), None);
        }
        if self.instances.iter().any(|t| t.waiting.is_some()) {
            self.next_wait_read = Some(now + WAIT_POLL);
        }
    }

    /// Stops sending for `stop`: ends everything not yet sent (and everything
    /// only waited for) with its message.
    fn stop_sending(&mut self, stop: Stop) {
        let message = stop.not_sent();
        self.stop = Some(stop);
        let queued: Vec<usize> = self.queue.drain(..).collect();
        self.limiter_wake = [None; 3];
        self.next_wait_read = None;
        for j in queued {
            self.jobs[j].phase = Phase::Done;
            let failure = Failure {
                unknown: false,
                service: None,
                message: message.clone(),
            };
            self.stopped_before_sending(j, &failure);
        }
        let pooled: Vec<usize> = self
            .pools
            .iter_mut()
            .flat_map(|(_, members)| members.drain(..))
            .collect();
        for i in pooled {
            self.not_sent(i, &message);
        }
        for i in 0..self.instances.len() {
            if let Some((outcome, _)) = self.instances[i].waiting.take() {
                self.settle(i, outcome.noted("not waited for: the run stopped"));
            }
        }
    }

    /// What a request that never went out means for its instances.
    fn stopped_before_sending(&mut self, j: usize, failure: &Failure) {
        let members = self.jobs[j].members.clone();
        match self.jobs[j].work.clone() {
            Work::Terminate | Work::Read(Purpose::Preflight) => {
                if self.jobs[j].work == Work::Read(Purpose::Preflight) {
                    self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                }
                for i in members {
                    self.not_sent(i, &failure.message);
                }
            }
            Work::Read(Purpose::Isolate { refusal, .. }) => {
                for i in members {
                    self.refused_for_itself(i, &refusal, self.created);
                }
            }
            Work::Read(Purpose::Resolve) => {
                for i in members {
                    self.give_up_unknown(i, "not read again: the run stopped");
                }
            }
            Work::Read(Purpose::Wait) => {}
            Work::Inquire => self.take_prices(j, Err(failure.clone())),
        }
    }

    fn not_sent(&mut self, i: usize, message: &str) {
        let note = match (self.mode, self.instances[i].resends) {
            (Mode::Terminate, 0) => message.to_owned(),
            (Mode::Terminate, _) => format!("{message} (an earlier request was read as untouched)"),
            _ => format!("not read: {message}"),
        };
        self.settle(i, Outcome::not_sent(note));
    }

    fn abandon_in_flight(&mut self, message: &str) {
        for j in 0..self.jobs.len() {
            if matches!(self.jobs[j].phase, Phase::InFlight(_)) {
                self.jobs[j].phase = Phase::Done;
                self.in_flight -= 1;
                let unknown = self.jobs[j].work == Work::Terminate;
                let failure = Failure {
                    unknown,
                    service: None,
                    // A read given up changed nothing: only a TerminateInstances may have acted.
                    message: if unknown {
                        message.to_owned()
                    } else {
                        "not sent: the run stopped before the read of it answered".to_owned()
                    },
                };
                if unknown {
                    for i in self.jobs[j].members.clone() {
                        self.settle(i, failure.outcome());
                    }
                } else {
                    self.stopped_before_sending(j, &failure);
                }
            }
        }
    }

    // -- outcomes ------------------------------------------------------------

    fn settled(&self, i: usize) -> bool {
        let t = &self.instances[i];
        t.outcome.is_some() || t.planned.is_some()
    }

    /// Gives instance `i` its outcome, once.
    fn settle(&mut self, i: usize, outcome: Outcome) {
        if self.settled(i) {
            return;
        }
        if self.mode != Mode::Terminate {
            let entry = PlanEntry {
                id: self.instances[i].id.clone(),
                action: match outcome.kind() {
                    OutcomeKind::Skipped => PlannedAction::Skip,
                    _ => PlannedAction::Fail,
                },
                instance: self.instances[i].before.clone(),
                refund: None,
                code: outcome.code().cloned(),
                message: outcome.message().map(str::to_owned),
            };
            self.settle_planned(i, entry);
            return;
        }
        let t = &mut self.instances[i];
        t.waiting = None;
        t.unknown = None;
        t.outcome = Some(outcome.clone());
        self.unsettled -= 1;
        self.outcomes_batch.push(InstanceOutcome {
            id: t.id.clone(),
            outcome,
            state: t.state.clone(),
            instance: t.before.clone(),
        });
    }

    /// Plans instance `i` from its verdict.
    fn plan(&mut self, i: usize, verdict: Verdict, refund: Option<Amount>) {
        let t = &self.instances[i];
        let entry = plan_entry(t.id.clone(), verdict, t.before.clone(), refund);
        self.settle_planned(i, entry);
    }

    fn settle_planned(&mut self, i: usize, entry: PlanEntry) {
        if self.settled(i) {
            return;
        }
        self.instances[i].planned = Some(entry.clone());
        self.unsettled -= 1;
        self.planned_batch.push(entry);
    }

    /// Turns what the last call settled into events.
    fn flush_events(&mut self) {
        if !self.outcomes_batch.is_empty() {
            self.events
                .push_back(Event::Outcomes(std::mem::take(&mut self.outcomes_batch)));
        }
        if !self.planned_batch.is_empty() {
            self.events
                .push_back(Event::Planned(std::mem::take(&mut self.planned_batch)));
        }
    }
}

/// Index of an action in per-action arrays.
fn action_slot(action: Action) -> usize {
    match action {
        Action::TerminateInstances => 0,
        Action::DescribeInstances | Action::DescribeInstancesStatus => 1,
        _ => 2,
    }
}

fn plan_entry(
    id: InstanceId,
    verdict: Verdict,
    instance: Option<Instance>,
    refund: Option<Amount>,
) -> PlanEntry {
    let (action, code, message) = match verdict {
        Verdict::Ready => (PlannedAction::Terminate, None, None),
        Verdict::Fail { code, message } => (PlannedAction::Fail, Some(code), Some(message)),
        Verdict::Skip { message } => (PlannedAction::Skip, None, Some(message)),
    };
    PlanEntry {
        id,
        action,
        instance,
        refund: if action == PlannedAction::Terminate {
            refund
        } else {
            None
        },
        code,
        message,
    }
}

/// The failure an error answer stands for.
fn failure_of(error: &ResponseError, unknown: bool) -> Failure {
    let service = error.service_error().map(|s| Refusal {
        code: s.code.clone(),
        message: s.message.clone(),
        request_id: s.request_id.clone(),
    });
    // An error envelope under an HTTP error status: the status is part of the story.
    let message = match error {
        ResponseError::Service(s) => s.message.clone(),
        _ => error.to_string(),
    };
    Failure {
        unknown,
        service,
        message,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod flow_tests;
