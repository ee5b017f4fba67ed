//! The requests of a run and their phases: what each does and for which instances
//! ([`Job`]), when it may go (backoff, its action's rate limit, the in-flight cap),
//! and the signed HTTP request it becomes.

use std::time::Instant;

use super::{Termination, Token, Transmit};
use crate::actions::describe_instances::DescribeInstances;
use crate::actions::inquiry_price_terminate_instances::InquiryPriceTerminateInstances;
use crate::actions::terminate_instances::TerminateInstances;
use crate::actions::Action;
use crate::client_state::limiter::{Answered, Permit};
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error::error_chain::with_causes;
use crate::http::build_error::BuildError;
use crate::model::error_code::ErrorCode;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::termination::judge::Failure;

/// Why a DescribeInstances is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Purpose {
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
    /// An earlier run's TerminateInstances may have acted, and the preflight read
    /// shows the instance untouched: does a second read, the settle delay later, agree?
    Confirm,
    /// Terminated: is it gone (or in the recycle bin) yet?
    Wait,
}

/// A service refusal, kept for the instances it is reported for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Refusal {
    pub(super) code: ErrorCode,
    pub(super) message: String,
    pub(super) request_id: String,
}

/// What a request does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Work {
    Read(Purpose),
    Terminate,
    Inquire,
}

impl Work {
    pub(super) fn action(&self) -> Action {
        match self {
            Work::Read(_) => Action::DescribeInstances,
            Work::Terminate => Action::TerminateInstances,
            Work::Inquire => Action::InquiryPriceTerminateInstances,
        }
    }
}

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Queued,
    InFlight(Token),
    Done,
}

/// One request of the run: what it does, which instances it names, how its
/// attempts went.
#[derive(Debug)]
pub(super) struct Job {
    pub(super) work: Work,
    pub(super) members: Vec<usize>,
    pub(super) phase: Phase,
    pub(super) attempts: u32,
    pub(super) first_sent: Option<Instant>,
    pub(super) last_sent: Option<Instant>,
    pub(super) not_before: Option<Instant>,
    /// The caller's wall clock when the last attempt was signed, before
    /// correction: what the server's `Date` is compared with.
    pub(super) signed_at_unix: u64,
    pub(super) clock_corrected: bool,
    /// The rate-limit bucket's record of the last attempt.
    pub(super) permit: Option<Permit>,
}

impl Job {
    /// Whether `token` names the attempt in flight.
    pub(super) fn is_awaiting(&self, token: Token) -> bool {
        self.phase == Phase::InFlight(token)
    }

    /// Its attempt in flight was answered (or given up on).
    pub(super) fn answered(&mut self) {
        self.phase = Phase::Done;
    }
}

impl Termination {
    pub(super) fn enqueue(&mut self, work: Work, members: Vec<usize>, not_before: Option<Instant>) {
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
            permit: None,
        });
        self.queue.push_back(j);
    }

    /// Until when `action`'s rate limit holds its requests back, as this poll learnt.
    pub(super) fn held_back(&self, action: Action) -> Option<Instant> {
        self.held_until
            .iter()
            .find(|(a, _)| *a == action)
            .map(|&(_, t)| t)
    }

    /// One pass over the queue, over the TerminateInstances (or over the rest).
    pub(super) fn poll_pass(
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
            let action = self.jobs[j].work.action();
            // Once a limit holds one request back (this poll) it holds back every
            // later one of the same action: skip them without asking again.
            if (self.jobs[j].work == Work::Terminate) != terminates
                || self.held_back(action).is_some()
                || self.jobs[j].not_before.is_some_and(|t| t > now)
            {
                position += 1;
                continue;
            }
            // A TerminateInstances leaves only once its intent was taken from the
            // journal: the next one due (its bucket would let it go now) asks for
            // it, and none goes before it.
            if terminates && !self.journal.may_leave(j) {
                if let Err(at) = self.due(action, credentials.secret_id(), now, state) {
                    self.held_until.push((action, at));
                    position += 1;
                    continue;
                }
                if self.journal_intent(j) {
                    return None;
                }
                // Another's intent was taken first: that one goes first.
                position += 1;
                continue;
            }
            let permit = match self.acquire(action, credentials.secret_id(), now, state) {
                Ok(permit) => permit,
                Err(at) => {
                    self.held_until.push((action, at));
                    position += 1;
                    continue;
                }
            };
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
                    job.permit = Some(permit);
                    let token = Token::new(j, job.attempts);
                    job.phase = Phase::InFlight(token);
                    let (instances, attempt) = (job.members.len(), job.attempts);
                    if job.work == Work::Terminate {
                        for i in job.members.clone() {
                            self.instances[i].send();
                        }
                    }
                    self.in_flight += 1;
                    self.saturated = self.in_flight >= state.max_in_flight();
                    return Some(Transmit {
                        token,
                        request,
                        action,
                        instances,
                        attempt,
                    });
                }
                Err(e) => {
                    state.answered(permit, now, Answered::NotSent);
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

    /// Request `j`, signed at `timestamp`.
    pub(super) fn request(
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
        let list = InstanceIdList::from_batch(ids);
        let (config, signer) = (self.config(state), state.signer());
        match job.work {
            Work::Terminate => {
                let request = self.options.apply(TerminateInstances::for_list(list));
                config.sign(&request, timestamp, credentials, signer)
            }
            Work::Read(_) => config.sign(
                &DescribeInstances::for_list(list),
                timestamp,
                credentials,
                signer,
            ),
            Work::Inquire => config.sign(
                &InquiryPriceTerminateInstances::for_list(list),
                timestamp,
                credentials,
                signer,
            ),
        }
    }
}
