//! [`Termination`]: one terminate run as a poll-style state machine.
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
//!  let report = run.into_report();
//! ```
//!
//! Each request of the run moves through these phases:
//!
//! ```text
//!              poll_transmit                 handle_response
//!   Queued ──────────────────► InFlight ─────────────────────────► Done (outcome for its instances)
//!     ▲  (not before its            │
//!     │   backoff; within the       │ throttled, never sent, or clock corrected:
//!     │   rate limit and the        │ the service certainly did not act
//!     │   in-flight cap)            │
//!     └──────── backoff ◄───────────┘
//!
//!   cancel():    Queued ─► Done (not_sent); InFlight is awaited
//!   deadline:    Queued ─► Done (not_sent); InFlight ─► Done (unknown), its answer ignored
//!   abort():     as the deadline, at once
//! ```
//!
//! What is re-sent is decided by [`crate::retry`]: only failures that prove
//! the service did not act. An answer that leaves the outcome unknown (a
//! timeout after sending, a 5xx, an unreadable body) ends the request as
//! `unknown`; it is never sent again.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::batch::BatchPlan;
use crate::build_error::BuildError;
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error_code::{Disposition, ErrorCode};
use crate::instance_id::InstanceId;
use crate::report::{InstanceOutcome, Outcome, Report};
use crate::response::{parse_response, server_time, ResponseError};
use crate::retry::{retry_reason, AttemptFailure, RetryDecision};
use crate::terminate::{TerminateInstances, ACTION};
use crate::terminate_options::TerminateOptions;
use crate::transport_error::{TransportError, TransportErrorKind};
use crate::validation_error::ValidationError;

mod event;
mod transmit;

pub use event::Event;
pub use transmit::{Token, Transmit};

/// One instance of the run and, once known, its outcome.
#[derive(Debug)]
struct Tracked {
    id: InstanceId,
    outcome: Option<Outcome>,
}

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Queued,
    InFlight(Token),
    Done,
}

/// One request of the run: which instances it names and how its attempts went.
#[derive(Debug)]
struct Job {
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

/// Why the run stopped sending.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stop {
    Cancelled(String),
    Deadline,
    Aborted,
}

/// What an answer means for its request.
enum Verdict {
    Settle(Outcome),
    /// Safe to send again; `fallback` is the outcome if no retry is allowed.
    Retry {
        reason: crate::retry::RetryReason,
        fallback: Outcome,
    },
}

/// How far a run has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Distinct instances in the run.
    pub instances: usize,
    /// Instances with a final outcome.
    pub settled: usize,
    /// Requests in flight.
    pub in_flight: usize,
}

/// A terminate run over any number of instance IDs: validated up front,
/// de-duplicated, batched by 100, sent with up to
/// [`ClientState::max_in_flight`] requests outstanding within each action's
/// rate limit, retried only where the service certainly did not act, and
/// ended with exactly one outcome per distinct instance.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{ClientState, Credentials, Event, ServiceConfig, TerminateOptions, Termination};
///
/// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
/// let credentials = Credentials::new("AKIDexample", "example-key");
/// let t0 = Instant::now();
/// let mut run = Termination::new(["ins-r8hr2upy"], &TerminateOptions::new(), t0)?;
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
    instances: Vec<Tracked>,
    duplicates_removed: usize,
    options: TerminateOptions,
    jobs: Vec<Job>,
    queue: VecDeque<usize>,
    in_flight: usize,
    unsettled: usize,
    events: VecDeque<Event>,
    deadline: Option<Instant>,
    stop: Option<Stop>,
    /// When a rate limit that held a ready request back next allows one.
    limiter_wake: Option<Instant>,
    /// Whether the last `poll_transmit` stopped at the in-flight cap.
    saturated: bool,
    /// When the run started: the wake time of a request that may go at once.
    created: Instant,
}

impl Termination {
    /// Validates every ID (nothing is planned if any is malformed), drops
    /// duplicates and plans batches of at most 100. `now` starts the deadline.
    pub fn new<I, S>(
        ids: I,
        options: &TerminateOptions,
        now: Instant,
    ) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let plan = BatchPlan::new(ids)?;
        let mut jobs = Vec::with_capacity(plan.batch_count());
        let mut start = 0;
        for batch in plan.batches() {
            jobs.push(Job {
                members: (start..start + batch.len()).collect(),
                phase: Phase::Queued,
                attempts: 0,
                first_sent: None,
                last_sent: None,
                not_before: None,
                signed_at_unix: 0,
                clock_corrected: false,
            });
            start += batch.len();
        }
        let duplicates_removed = plan.duplicates_removed();
        let instances: Vec<Tracked> = plan
            .into_instances()
            .into_iter()
            .map(|id| Tracked { id, outcome: None })
            .collect();
        Ok(Termination {
            unsettled: instances.len(),
            instances,
            duplicates_removed,
            options: options.clone(),
            queue: (0..jobs.len()).collect(),
            jobs,
            in_flight: 0,
            events: VecDeque::new(),
            deadline: options
                .deadline_after()
                .and_then(|after| now.checked_add(after)),
            stop: None,
            limiter_wake: None,
            saturated: false,
            created: now,
        })
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
        self.check_deadline(now);
        self.limiter_wake = None;
        self.saturated = false;
        if self.stop.is_some() {
            return None;
        }
        // Once a limit holds one request back it holds back every later one
        // of the same action: skip them without asking again.
        let mut held_back = false;
        let mut position = 0;
        while position < self.queue.len() {
            if self.in_flight >= state.max_in_flight() {
                self.saturated = true;
                return None;
            }
            let j = self.queue[position];
            if self.jobs[j].not_before.is_some_and(|t| t > now) {
                position += 1;
                continue;
            }
            if held_back {
                position += 1;
                continue;
            }
            if let Err(at) = state.limits_mut().try_acquire(ACTION, now) {
                self.limiter_wake = Some(self.limiter_wake.map_or(at, |w| w.min(at)));
                held_back = true;
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
                        action: ACTION,
                        instances: job.members.len(),
                        attempt: job.attempts,
                    });
                }
                Err(e) => {
                    self.jobs[j].phase = Phase::Done;
                    self.settle(j, Outcome::failed(None, format!("not sent: {e}"), None));
                }
            }
        }
        None
    }

    /// When the driver should call [`Termination::handle_timeout`] (or poll
    /// again) if no answer arrives first: a backoff ending, a rate-limit
    /// window opening, or the deadline. `None` when only answers can move the
    /// run on, or when it is finished.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_finished() {
            return None;
        }
        let mut wake = match self.stop {
            Some(Stop::Deadline | Stop::Aborted) => None,
            _ => self.deadline,
        };
        if self.stop.is_none() && !self.saturated {
            // A request goes when its backoff is over and its action's limit
            // allows: the later of the two.
            let ready =
                self.queue
                    .iter()
                    .map(|&j| match (self.jobs[j].not_before, self.limiter_wake) {
                        (Some(a), Some(b)) => a.max(b),
                        (a, b) => a.or(b).unwrap_or(self.created),
                    });
            if let Some(t) = ready.min() {
                wake = Some(wake.map_or(t, |w| w.min(t)));
            }
        }
        wake
    }

    /// Lets time pass: past the deadline, nothing more is sent, unsent
    /// instances end `not_sent` and requests in flight are given up as `unknown`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.check_deadline(now);
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
        match self.judge(j, result, now, state) {
            Verdict::Settle(outcome) => self.settle(j, outcome),
            Verdict::Retry { reason, fallback } => {
                if let Some(stop) = &self.stop {
                    let why = match stop {
                        Stop::Cancelled(why) => why.clone(),
                        Stop::Deadline => "the run's deadline passed".to_owned(),
                        Stop::Aborted => "the run was aborted".to_owned(),
                    };
                    let message = format!(
                        "not sent again ({why}) after: {}",
                        fallback
                            .message()
                            .unwrap_or("a failure the service did not act on")
                    );
                    self.settle(j, Outcome::not_sent(message));
                    return;
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
                            action: ACTION,
                            instances: job.members.len(),
                            attempt: job.attempts,
                            reason,
                            after,
                        });
                        self.queue.push_back(j);
                    }
                    RetryDecision::GiveUp => self.settle(j, fallback),
                }
            }
        }
        self.check_deadline(now);
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
            let reason = reason.into();
            self.stop = Some(Stop::Cancelled(reason.clone()));
            self.drop_queued(&reason);
        }
    }

    /// Stops at once: like [`Termination::cancel`], and requests in flight are
    /// given up as `unknown` (they may yet be processed); their answers are
    /// ignored. The run is finished after this.
    pub fn abort(&mut self) {
        if !matches!(self.stop, Some(Stop::Aborted | Stop::Deadline)) {
            self.stop = Some(Stop::Aborted);
            self.drop_queued("not sent: the run was aborted");
            self.abandon_in_flight(
                "no answer before the run was aborted: the request may have been processed",
            );
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
    /// flight are reported `unknown` and unsent instances `not_sent`.
    pub fn into_report(mut self) -> Report {
        self.abort();
        let instances = self
            .instances
            .into_iter()
            .map(|t| InstanceOutcome {
                id: t.id,
                outcome: t.outcome.unwrap_or_else(|| {
                    Outcome::not_sent("not sent: the run ended first".to_owned())
                }),
            })
            .collect();
        Report::new(instances, self.duplicates_removed)
    }

    /// The requests this run would send first, signed, without sending or
    /// counting anything (for a dry run).
    pub fn signed_requests(
        &self,
        unix_time: u64,
        credentials: &Credentials,
        state: &ClientState,
    ) -> Result<Vec<http::Request<Vec<u8>>>, BuildError> {
        let timestamp = state.timestamp(unix_time);
        self.queue
            .iter()
            .map(|&j| self.request(j, timestamp, credentials, state))
            .collect()
    }

    fn request(
        &self,
        j: usize,
        timestamp: u64,
        credentials: &Credentials,
        state: &ClientState,
    ) -> Result<http::Request<Vec<u8>>, BuildError> {
        let ids = self.jobs[j]
            .members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let request = self.options.apply(TerminateInstances::from_plan(ids));
        state
            .config()
            .terminate_instances(&request, timestamp, credentials, state.signer())
    }

    /// Reads an answer: the outcome, or why it is safe to send again.
    fn judge(
        &mut self,
        j: usize,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    ) -> Verdict {
        let job = &self.jobs[j];
        let latency = job
            .last_sent
            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        let (ids, attempt) = (job.members.len(), job.attempts);
        let response = match result {
            Err(e) => {
                log::debug!(
                    "action={ACTION} region={} ids={ids} attempt={attempt} status=- code=- request_id=- latency_ms={} transport_error={:?}",
                    state.config().region(),
                    latency.as_millis(),
                    e.kind()
                );
                let outcome = match e.kind() {
                    TransportErrorKind::NotSent => Outcome::failed(None, e.to_string(), None),
                    TransportErrorKind::OutcomeUnknown => {
                        Outcome::unknown(None, e.to_string(), None)
                    }
                };
                return match retry_reason(AttemptFailure::Transport(&e)) {
                    Some(reason) => Verdict::Retry {
                        reason,
                        fallback: outcome,
                    },
                    None => Verdict::Settle(outcome),
                };
            }
            Ok(response) => response,
        };
        let parsed = parse_response(&response, state.max_body());
        let (code, request_id) = match &parsed {
            Ok(s) => (None, Some(s.request_id.as_str())),
            Err(e) => (
                e.service_error().map(|s| s.code.as_str()),
                e.service_error().map(|s| s.request_id.as_str()),
            ),
        };
        log::debug!(
            "action={ACTION} region={} ids={ids} attempt={attempt} status={} code={} request_id={} latency_ms={}",
            state.config().region(),
            response.status().as_u16(),
            code.unwrap_or("-"),
            request_id.unwrap_or("-"),
            latency.as_millis()
        );
        let error = match parsed {
            Ok(success) => return Verdict::Settle(Outcome::terminated(success.request_id)),
            Err(error) => error,
        };
        let clock_corrected = self.correct_clock(j, &error, &response, state);
        let fallback = outcome_of(&error);
        match retry_reason(AttemptFailure::Response {
            error: &error,
            clock_corrected,
        }) {
            Some(reason) => Verdict::Retry { reason, fallback },
            None => Verdict::Settle(fallback),
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

    fn check_deadline(&mut self, now: Instant) {
        let due = self.deadline.is_some_and(|d| now >= d);
        if due && !matches!(self.stop, Some(Stop::Deadline | Stop::Aborted)) {
            self.stop = Some(Stop::Deadline);
            self.drop_queued("not sent: the run's deadline passed first");
            self.abandon_in_flight(
                "no answer before the run's deadline: the request may have been processed",
            );
        }
    }

    fn drop_queued(&mut self, message: &str) {
        let queued: Vec<usize> = self.queue.drain(..).collect();
        self.limiter_wake = None;
        for j in queued {
            self.jobs[j].phase = Phase::Done;
            let outcome = match self.jobs[j].attempts {
                0 => Outcome::not_sent(message.to_owned()),
                _ => Outcome::not_sent(format!(
                    "{message} (earlier attempts were refused before the service acted)"
                )),
            };
            self.settle(j, outcome);
        }
    }

    fn abandon_in_flight(&mut self, message: &str) {
        for j in 0..self.jobs.len() {
            if matches!(self.jobs[j].phase, Phase::InFlight(_)) {
                self.jobs[j].phase = Phase::Done;
                self.in_flight -= 1;
                self.settle(j, Outcome::unknown(None, message.to_owned(), None));
            }
        }
    }

    /// Gives every member of request `j` without an outcome this one, and
    /// reports them in one event.
    fn settle(&mut self, j: usize, outcome: Outcome) {
        let mut settled = Vec::with_capacity(self.jobs[j].members.len());
        for &m in &self.jobs[j].members {
            let tracked = &mut self.instances[m];
            if tracked.outcome.is_none() {
                tracked.outcome = Some(outcome.clone());
                settled.push(InstanceOutcome {
                    id: tracked.id.clone(),
                    outcome: outcome.clone(),
                });
            }
        }
        self.unsettled -= settled.len();
        if !settled.is_empty() {
            self.events.push_back(Event::Outcomes(settled));
        }
    }
}

/// The outcome an error answer stands for: a refusal is a failure; anything
/// that leaves open whether the service acted is unknown.
fn outcome_of(error: &ResponseError) -> Outcome {
    let unknown = error.disposition() == Disposition::OutcomeUnknown;
    match (error, error.service_error()) {
        (ResponseError::Service(s), _) if !unknown => Outcome::failed(
            Some(s.code.clone()),
            s.message.clone(),
            Some(s.request_id.clone()),
        ),
        (ResponseError::Service(s), _) => Outcome::unknown(
            Some(s.code.clone()),
            s.message.clone(),
            Some(s.request_id.clone()),
        ),
        // An error envelope under an HTTP error status: the status is part of the story.
        (_, Some(s)) if !unknown => Outcome::failed(
            Some(s.code.clone()),
            error.to_string(),
            Some(s.request_id.clone()),
        ),
        (_, Some(s)) => Outcome::unknown(
            Some(s.code.clone()),
            error.to_string(),
            Some(s.request_id.clone()),
        ),
        (_, None) => Outcome::unknown(None, error.to_string(), None),
    }
}

#[cfg(test)]
mod tests;
