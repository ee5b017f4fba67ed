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
//!      while let Some(event) = run.poll_event() { show it }
//!      while let Some(record) = run.poll_journal() { append record.to_line() }
//!      fsync the journal                  // before anything below is sent
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
//! The journal ([`JournalRecord`], [`History`](crate::History)) is what survives a
//! crash: a TerminateInstances leaves `poll_transmit` only after its intent record was
//! taken from `poll_journal` (the next request due asks for its intent, and
//! `poll_timeout` then says to poll again at once), so what was sent is always on
//! disk first. To journal what ending a run early ends, call [`Termination::abort`]
//! and drain the journal before [`Termination::into_report`].
//!
//! # What a terminate run does with an instance
//!
//! Each instance is in one [`Stage`](stage::Stage) at a time; the stages and the
//! moves between them are these, and no others:
//!
//! ```text
//!  ids ─► Unread ── preflight read (DescribeInstances, ≤ 100 per read, checked: one entry per ID, TotalCount) ─┐
//!           │   ├─► the read cannot be believed; a state or charge type not documented, spelled exactly ─► Ended: failed (FailClosed.*)
//!           │   ├─► absent, protected, a state TerminateInstances refuses, a terminate in progress ───────► Ended: failed
//!           │   ├─► SHUTDOWN, not pay-as-you-go: in the recycle bin (without destroy_prepaid) ──────────────► Ended: skipped
//!           │   ├─► the journal: an earlier run terminated it ──────────────────────────────────────────────► Ended: terminated (not read)
//!           │   ├─► the journal: an earlier request may have acted; it did, or prepaid-like, or cannot tell ─► Ended: terminated / unknown
//!           │   └─► the journal: an earlier request may have acted; untouched, pay-as-you-go ─► Confirming ─ read again after the settle delay ─┬─► agrees ─► Ready
//!           │                                                                                                                                 └─► Ended: terminated / unknown
//!           │ (no preflight)      otherwise
//!           ▼                         │
//!         Ready ◄─────────────────────┘
//!           │  batched by charge type, ≤ 100 per request      ▲
//!           │  poll_transmit, once its intent is journaled    │ the attempt failed in a way that proves the service did not act
//!           ▼                                                 │ (throttled, never sent, clock corrected): sent again after a backoff
//!         Sent ───────────────────────────────────────────────┘
//!           ├─ accepted ───────────────────────────────────────────────► Waiting ─► gone, in the recycle bin, or the wait ended ─► Ended: terminated
//!           │    (without a wait: Ended: terminated)                       (read every 2 s; a read that cannot be believed ends nothing)
//!           ├─ refused for its own sake (named, or alone in the batch) ─► Ended: failed
//!           ├─ refused for some others' sake, it not named ─────────────► Isolating ─ read ─┬─► the service acted on it after all ──────────────────► Waiting / Ended: terminated
//!           │                                                                            ├─► the service acted on another of the batch ──────────► Ended: unknown
//!           │                                                                            ├─► a culprit ───────────────────────────────────────────► Ended: failed / skipped
//!           │                                                                            ├─► clean, a culprit found or named ─────────────────────► Ready
//!           │                                                                            ├─► clean, none found, refused before acting ─► halves ──► Ready (each half its own request)
//!           │                                                                            ├─► clean and alone, refused for its own sake ───────────► Ended: failed
//!           │                                                                            └─► the read cannot tell ────────────────────────────────► Ended: unknown
//!           ├─ refused for the request's or the account's sake ─────────► Ended: failed
//!           └─ no answer, 5xx, unreadable ───► Resolving ─ read after the settle delay ─┬─► it acted ──────────────────────────────────► Waiting / Ended: terminated
//!                                                                                     └─► untouched, or cannot tell: never sent again ─► Ended: unknown
//! ```
//!
//! Never back to `Ready` once a TerminateInstances of this run may have acted on an
//! instance (accepted, unanswered, or in a batch the service acted on in part): at
//! most one per instance per run. The one exception is not an exception: the
//! deliberate destroy (`destroy_prepaid`) sends an instance that was in the recycle
//! bin *at its preflight* once, like any other.
//!
//! A refusal saying an instance is already terminating, after an earlier run's
//! request went unanswered, means that request acted: `Sent`/`Isolating` ─►
//! `Waiting` or `Ended: terminated`.
//!
//! When the run stops ([`Termination::cancel`], the deadline, [`Termination::abort`]):
//! `Unread`, `Confirming` and `Ready` end `not_sent`; `Sent` is awaited after a
//! cancel and ends `unknown` at the deadline or an abort; `Isolating` ends `unknown`
//! with its batch's refusal (no read said whether the service acted on part of it);
//! `Resolving` ends `unknown`; `Waiting` ends `terminated`.
//!
//! A run made from a read already made ([`Termination::from_read`], from a
//! [`PreflightRead`](crate::PreflightRead): what a selection listed) starts each
//! instance where its preflight read would have put it: the listing's read *is* the
//! preflight read, judged the same way, and `Unread` is left at once.
//!
//! A preview ([`Termination::preview`]) reads the same way, asks
//! InquiryPriceTerminateInstances what the `Ready` prepaid instances would refund,
//! and sends no TerminateInstances; a status read ([`Termination::status`]) only
//! reads. Both end each instance with a [`PlanEntry`] and the run in a [`Plan`].
//!
//! # What a request goes through
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
//! A TerminateInstances whose outcome is unknown is never sent again in the same
//! run. A later run, given the journal ([`TerminateOptions::with_history`]), sends a
//! pay-as-you-go instance once more only after two reads at least the settle delay
//! apart agree it is untouched, and a prepaid-like one never without
//! `destroy_prepaid`, since a late first call plus a second destroys it.
//!
//! # Where each decision lives
//!
//! | module | decides |
//! | --- | --- |
//! | this one | the public poll/handle API |
//! | `stage` | where an instance is, and which moves are legal |
//! | `evidence` | what is known of an instance whatever its stage (only grows) |
//! | `read_check` | whether a read can be believed at all (one entry per ID, `TotalCount`) |
//! | `journal` | what must be written down before and after each TerminateInstances, and what earlier runs' records say ([`History`](crate::History)) |
//! | `rerun` | what a run does with an instance the journal of earlier runs names |
//! | `request` | which requests exist, when each may go, and how it is built |
//! | `batching` | how ready instances become batches (by charge type, ≤ 100) |
//! | `judge` | what an answer is: understood, safe to send again, or failed (and whether the service may have acted) |
//! | `terminate_answer` | what a TerminateInstances answer does to its instances |
//! | `read_answer` | what a read does: preflight, isolating a refused batch, waiting, prices |
//! | `preflight` | the verdict on an instance from a fresh read, and what each documented charge type and state is judged as |
//! | `from_read` | runs that start from a read already made (a selection's listing) |
//! | `culprits` | which refusals are about particular instances (refused before acting: split), and which ones a message names |
//! | `resolution` | whether a request whose answer was lost acted |
//! | `stopping` | the deadline, cancel and abort |
//! | `ending` | each instance's one outcome, and the events that carry it |
//!
//! Beside the machine live what it takes and gives: the [`TerminateOptions`], the
//! [`DistinctInstanceIds`](crate::DistinctInstanceIds), what TerminateInstances does
//! with an instance in a given state ([`TerminationCheck`](crate::TerminationCheck)),
//! the [`Event`]s, the [`Plan`] and the [`Report`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::actions::Action;
use crate::client_state::limiter::RateLimit;
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error::validation_error::ValidationError;
use crate::http::build_error::BuildError;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportError;
use crate::model::charge_type::ChargeType;
use crate::model::instance_id_list::InstanceIdList;
use crate::termination::distinct_instance_ids::DistinctInstanceIds;
use crate::termination::report::{InstanceOutcome, Outcome, Report};
use crate::termination::terminate_options::TerminateOptions;

mod batching;
mod culprits;
mod ending;
mod event;
mod evidence;
mod from_read;
mod judge;
mod pacing;
mod plan;
mod preflight;
mod read_answer;
mod read_check;
mod request;
mod rerun;
mod resolution;
mod stage;
mod stopping;
mod terminate_answer;
mod transmit;

pub(crate) mod distinct_instance_ids;
pub(crate) mod journal;
pub(crate) mod preflight_read;
pub(crate) mod report;
pub(crate) mod terminate_options;
pub(crate) mod termination_check;

pub use event::Event;
pub use plan::{Plan, PlanEntry, PlannedAction};
pub use transmit::{Token, Transmit};

use ending::entry_for;
use evidence::Evidence;
use journal::emit::Journal;
use journal::record::JournalRecord;
use request::{Job, Purpose, Work};
use stage::{Ending, LastRead, Stage, Tracked};
use stopping::Stop;

/// The log target of every line a run logs, whichever file it comes from.
const LOG_TARGET: &str = "tencentcloud_cvm_core::termination";

/// How often a waiting run reads its terminated instances again.
const WAIT_POLL: Duration = Duration::from_secs(2);

/// What the run is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Terminate,
    Preview,
    Status,
}

/// How far a run has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Distinct instances in the run.
    pub instances: usize,
    /// Instances that have ended: their outcome (or plan entry) is final.
    pub ended: usize,
    /// Requests in flight.
    pub in_flight: usize,
    /// The limit the run's requests are held to now: its TerminateInstances
    /// bucket's (its reads' before it sends any, or when it sends none). `None`
    /// before its first request.
    pub limit: Option<RateLimit>,
    /// Whether that limit is below its configured (or documented) one because
    /// the service throttled.
    pub slowed: bool,
    /// How many of the run's answers were `RequestLimitExceeded*`.
    pub throttled: u64,
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
/// let options = TerminateOptions::new().with_preflight(false);
/// let mut run = Termination::new(["ins-r8hr2upy"], &options, t0)?;
///
/// // A TerminateInstances is journaled before it leaves: its intent first.
/// assert!(run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).is_none());
/// let intent = run.poll_journal().unwrap();
/// assert!(intent.is_intent()); // the driver appends intent.to_line() and fsyncs
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
    /// Batches being filled with ready instances, one per charge type.
    pools: Vec<(Option<ChargeType>, Vec<usize>)>,
    preflight_reads_left: usize,
    in_flight: usize,
    /// Instances not ended yet.
    open: usize,
    events: VecDeque<Event>,
    /// Outcomes given since the last event that carried them.
    ended_outcomes: Vec<InstanceOutcome>,
    /// Plan entries given since the last event that carried them.
    ended_entries: Vec<PlanEntry>,
    deadline: Option<Instant>,
    stop: Option<Stop>,
    /// Per action, when a rate limit that held a ready request back next allows one.
    held_until: Vec<(Action, Instant)>,
    /// Whether the last `poll_transmit` stopped at the in-flight cap.
    saturated: bool,
    /// When the run started: the wake time of a request that may go at once.
    created: Instant,
    /// When the waiting instances are read next.
    next_wait_read: Option<Instant>,
    /// Where this run's requests go, if not where the client state's do.
    config: Option<ServiceConfig>,
    /// What the run last reported of each rate-limit bucket it uses.
    paces: Vec<pacing::Reported>,
    /// [`Event::Pace`]s not yet taken: given after the other events, so that an
    /// answer's own events (its outcomes, its retry) come first.
    pace_events: VecDeque<Event>,
    /// How many of its answers were throttled.
    throttled: u64,
    /// What the journal is to hold, and which TerminateInstances may leave.
    journal: Journal,
    /// Instances the read being taken left `Confirming`: read again together.
    to_confirm: Vec<usize>,
}

impl Termination {
    /// A terminate run: validates every ID (nothing is planned if any is
    /// malformed), drops duplicates, and queues the preflight reads (or, with
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
        Termination::start(Mode::Terminate, ids, options, now)
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
        Termination::start(Mode::Preview, ids, options, now)
    }

    /// A status read: reads every instance and says what a terminate would do,
    /// nothing more. Ends in [`Termination::into_plan`].
    pub fn status<I, S>(ids: I, now: Instant) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Termination::start(Mode::Status, ids, &TerminateOptions::new(), now)
    }

    fn start<I, S>(
        mode: Mode,
        ids: I,
        options: &TerminateOptions,
        now: Instant,
    ) -> Result<Termination, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let distinct = DistinctInstanceIds::new(ids)?;
        let duplicates_removed = distinct.duplicates_removed();
        // Only a terminate run acts on what earlier runs did.
        let history = options.history().filter(|_| mode == Mode::Terminate);
        let instances: Vec<Tracked> = distinct
            .into_instances()
            .into_iter()
            .map(|id| {
                let prior = history.and_then(|h| h.prior(&id)).cloned();
                Tracked::with_evidence(id, Evidence::with_prior(prior))
            })
            .collect();
        let mut run =
            Termination::with_instances(mode, instances, duplicates_removed, options, now);
        // What earlier runs terminated ends now; what they may have sent is read.
        let mut to_read = Vec::new();
        let mut blind = Vec::new();
        for i in 0..run.instances.len() {
            match run.start_after_earlier_runs(i) {
                rerun::Start::Ended => {}
                rerun::Start::Read => to_read.push(i),
                rerun::Start::AsUsual if mode == Mode::Terminate && !options.preflight() => {
                    blind.push(i)
                }
                rerun::Start::AsUsual => to_read.push(i),
            }
        }
        for chunk in to_read.chunks(InstanceIdList::MAX) {
            run.enqueue(Work::Read(Purpose::Preflight), chunk.to_vec(), None);
            run.preflight_reads_left += 1;
        }
        for i in blind {
            run.pool(i);
        }
        run.flush_pools();
        run.flush_events();
        Ok(run)
    }

    /// A run over `instances`, none read and nothing queued yet.
    fn with_instances(
        mode: Mode,
        instances: Vec<Tracked>,
        duplicates_removed: usize,
        options: &TerminateOptions,
        now: Instant,
    ) -> Termination {
        let instances_len = instances.len();
        Termination {
            mode,
            options: options.clone(),
            open: instances.len(),
            instances,
            duplicates_removed,
            jobs: Vec::new(),
            queue: VecDeque::new(),
            pools: Vec::new(),
            preflight_reads_left: 0,
            in_flight: 0,
            events: VecDeque::new(),
            ended_outcomes: Vec::new(),
            ended_entries: Vec::new(),
            deadline: options.deadline().and_then(|after| now.checked_add(after)),
            stop: None,
            held_until: Vec::new(),
            saturated: false,
            created: now,
            next_wait_read: None,
            config: None,
            paces: Vec::new(),
            pace_events: VecDeque::new(),
            throttled: 0,
            journal: Journal::new(instances_len),
            to_confirm: Vec::new(),
        }
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
        self.held_until.clear();
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
            // A TerminateInstances due waits for its intent to be taken: a read
            // must not take its place in flight meanwhile (it goes right after).
            if terminates && self.journal.intent_waiting() {
                return None;
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
                    let limit = self.held_back(job.work.action());
                    earliest(match (job.not_before, limit) {
                        (Some(a), Some(b)) => a.max(b),
                        (a, b) => a.or(b).unwrap_or(self.created),
                    });
                }
            }
            if let Some(t) = self.next_wait_read {
                earliest(t);
            }
            // An intent waits to be taken: the driver should drain the journal and
            // poll again at once.
            if self.journal.intent_waiting() {
                earliest(self.created);
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
        if !self.jobs.get(j).is_some_and(|job| job.is_awaiting(token)) {
            return;
        }
        self.in_flight -= 1;
        self.saturated = false;
        self.jobs[j].answered();
        match self.jobs[j].work.clone() {
            Work::Terminate => {
                let judgement = self.judge::<crate::TerminateInstances>(j, result, now, state);
                self.take_terminate_answer(j, judgement, now, state);
            }
            Work::Read(purpose) => {
                let judgement = self.judge::<crate::DescribeInstances>(j, result, now, state);
                if let Some(read) = self.retry_or(j, judgement, now, state) {
                    match read {
                        Ok(read) => self.take_read(j, &purpose, &read, now),
                        Err(failure) => self.read_failed(j, &purpose, &failure, now),
                    }
                }
            }
            Work::Inquire => {
                let judgement =
                    self.judge::<crate::InquiryPriceTerminateInstances>(j, result, now, state);
                if let Some(prices) = self.retry_or(j, judgement, now, state) {
                    self.take_prices(j, prices);
                }
            }
        }
        self.flush_pools();
        self.advance(now);
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events
            .pop_front()
            .or_else(|| self.pace_events.pop_front())
    }

    /// The next record for the journal, if any: before each TerminateInstances
    /// attempt its `intent`, after it its `answer`, and each instance's `outcome`
    /// (a terminate run's only; a preview or status run writes none).
    ///
    /// **The contract:** drain this after every call into the run and before
    /// [`Termination::poll_transmit`], and make what it gave durable (append, then
    /// `fsync`) before sending anything that `poll_transmit` then returns. A
    /// TerminateInstances never leaves `poll_transmit` before its intent has been
    /// taken here, so a driver that forgets this sends no TerminateInstances at all;
    /// one that keeps no journal drains and drops the records. The
    /// [format](crate::JournalRecord) is JSON lines; a later run reads it back with
    /// [`History`](crate::History).
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{ClientState, Credentials, JournalEntry, ServiceConfig, TerminateOptions, Termination};
    /// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
    /// let credentials = Credentials::new("AKIDexample", "example-key");
    /// let t0 = Instant::now();
    /// let mut run = Termination::new(["ins-r8hr2upy"], &TerminateOptions::new().with_preflight(false), t0)?;
    /// // Not before its intent is taken.
    /// assert!(run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).is_none());
    /// let intent = run.poll_journal().unwrap();
    /// assert!(matches!(intent.entry, JournalEntry::Intent(_)));
    /// // ... append intent.to_line() to the journal and fsync it, then:
    /// assert!(run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn poll_journal(&mut self) -> Option<JournalRecord> {
        self.next_journal_record()
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
        self.open == 0 && self.in_flight == 0
    }

    /// How far the run has come.
    pub fn progress(&self) -> Progress {
        let pace = self.pace_now();
        Progress {
            instances: self.instances.len(),
            ended: self.instances.len() - self.open,
            in_flight: self.in_flight,
            limit: pace.map(|(limit, _)| limit),
            slowed: pace.is_some_and(|(_, slowed)| slowed),
            throttled: self.throttled,
        }
    }

    /// The report: one outcome per distinct instance, in first-requested order.
    /// Called before the run is finished, it aborts it first, so requests in
    /// flight are reported `unknown` and unsent instances `not_sent`. For a
    /// preview or status run, every instance is `not_sent` (they send nothing):
    /// use [`Termination::into_plan`].
    pub fn into_report(mut self) -> Report {
        self.abort();
        let instances = self
            .instances
            .into_iter()
            .map(|t| {
                let outcome = match t.stage {
                    Stage::Ended(Ending::Outcome(o)) => o,
                    _ => Outcome::not_sent("not sent: the run ended first".to_owned()),
                };
                InstanceOutcome {
                    id: t.id,
                    outcome,
                    state: t.state,
                    instance: t.last_read.into_instance(),
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
        let destroy = self.options.destroy_prepaid();
        let entries = self
            .instances
            .into_iter()
            .map(|t| match (t.stage, t.last_read) {
                (Stage::Ended(Ending::Entry(entry)), _) => *entry,
                (_, LastRead::NotRead) => PlanEntry {
                    id: t.id,
                    action: PlannedAction::Fail,
                    instance: None,
                    refund: None,
                    code: None,
                    message: Some("not read: the run ended first".to_owned()),
                },
                (_, read) => {
                    let verdict = preflight::assess(read.instance(), destroy);
                    let instance = match read {
                        LastRead::Found(instance) => Some(*instance),
                        LastRead::NotRead | LastRead::Absent => None,
                    };
                    entry_for(t.id, verdict, instance, None)
                }
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
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fail_closed_tests;
#[cfg(test)]
mod flow_fleet;
#[cfg(test)]
mod flow_tests;

#[cfg(test)]
mod pacing_tests;
