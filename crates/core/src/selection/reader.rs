//! Reads one request at a time, for the runs that only read (a selection's listing,
//! the list of regions): when each attempt may go (backoff, the action's rate limit),
//! what its answer comes to, and which failures are sent again, by the same rules as
//! a [`Termination`](crate::Termination)'s reads.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::actions::api_request::ApiRequest;
use crate::client_state::limiter::{Answered, Permit};
use crate::client_state::retry::{read_retry_reason, AttemptFailure, RetryDecision, RetryReason};
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error::error_chain::with_causes;
use crate::http::response::{server_time, ResponseError};
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportError;
use crate::model::error_code::{Disposition, ErrorCode};
use crate::termination::{Event, Token, Transmit};

/// What kind of failure ended a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The service refused the request (its error envelope: a code and a RequestId).
    Refused,
    /// No usable answer within the retry budget (the network, a 5xx, a body that
    /// could not be read).
    NoAnswer,
    /// The pages contradicted each other or the request ([`ListingError`](crate::ListingError)).
    Inconsistent,
    /// The request could not be built or signed; nothing was sent.
    NotSent,
    /// The run was cancelled, aborted or past its deadline before the read ended.
    Stopped,
}

/// Why a read that only reads (a selection's listing, the regions) ended without
/// its answer. Nothing was acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    kind: ReadErrorKind,
    code: Option<ErrorCode>,
    message: String,
    request_id: Option<String>,
}

impl ReadError {
    pub(crate) fn new(
        kind: ReadErrorKind,
        code: Option<ErrorCode>,
        message: String,
        request_id: Option<String>,
    ) -> ReadError {
        ReadError {
            kind,
            code,
            message,
            request_id,
        }
    }

    pub(crate) fn stopped(reason: &str) -> ReadError {
        ReadError::new(ReadErrorKind::Stopped, None, reason.to_owned(), None)
    }

    /// What kind of failure.
    pub fn kind(&self) -> ReadErrorKind {
        self.kind
    }
    /// The service's code, when it refused.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }
    /// What happened.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The RequestId of the answer, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ReadError {
    /// `[code: ]message[ (RequestId …)]`, on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "{}: ", code.as_str().escape_debug())?;
        }
        write!(f, "{}", self.message.escape_debug())?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {})", id.escape_debug())?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadError {}

/// What came of an answer.
pub(crate) enum Answer<T> {
    /// Not the attempt awaited (one given up on): nothing changes.
    Ignored,
    /// Safe to send again, after a backoff.
    Retrying,
    /// The read's end.
    Done(Result<T, ReadError>),
}

/// One request at a time: its attempts, their backoff and its rate limit.
#[derive(Debug)]
pub(crate) struct Reader {
    /// Which request (a token's job number): each new request gets the next.
    request: usize,
    attempts: u32,
    first_sent: Option<Instant>,
    last_sent: Option<Instant>,
    not_before: Option<Instant>,
    held_until: Option<Instant>,
    in_flight: Option<Token>,
    signed_at_unix: u64,
    clock_corrected: bool,
    created: Instant,
    pub(crate) events: VecDeque<Event>,
    /// Where the reads go, if not where the client state's requests do.
    pub(crate) config: Option<ServiceConfig>,
    /// The rate-limit bucket's record of the attempt in flight (or the last).
    permit: Option<Permit>,
}

impl Reader {
    pub(crate) fn new(now: Instant) -> Reader {
        Reader {
            request: 0,
            attempts: 0,
            first_sent: None,
            last_sent: None,
            not_before: None,
            held_until: None,
            in_flight: None,
            signed_at_unix: 0,
            clock_corrected: false,
            created: now,
            events: VecDeque::new(),
            config: None,
            permit: None,
        }
    }

    /// Where the reads go: the reader's own settings, else the client state's.
    fn config<'s>(&'s self, state: &'s ClientState) -> &'s ServiceConfig {
        self.config.as_ref().unwrap_or(state.config())
    }

    /// The next request starts: no attempts yet.
    pub(crate) fn next_request(&mut self) {
        self.request += 1;
        self.attempts = 0;
        self.first_sent = None;
        self.last_sent = None;
        self.not_before = None;
        self.held_until = None;
        self.in_flight = None;
        self.clock_corrected = false;
    }

    /// Gives up the attempt in flight: its answer will be ignored.
    pub(crate) fn abandon(&mut self) {
        self.in_flight = None;
    }

    /// An attempt of `request`, if one may go at `now`.
    pub(crate) fn poll_transmit<R: ApiRequest>(
        &mut self,
        request: &R,
        instances: usize,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Result<Option<Transmit>, ReadError> {
        if self.in_flight.is_some() || self.not_before.is_some_and(|t| t > now) {
            return Ok(None);
        }
        let permit = match state.try_acquire(
            R::ACTION,
            self.config.as_ref(),
            credentials.secret_id(),
            now,
        ) {
            Ok(permit) => permit,
            Err(at) => {
                self.held_until = Some(at);
                return Ok(None);
            }
        };
        self.held_until = None;
        let timestamp = state.timestamp(unix_time);
        let signed = self
            .config(state)
            .sign(request, timestamp, credentials, state.signer())
            .map_err(|e| {
                ReadError::new(
                    ReadErrorKind::NotSent,
                    None,
                    format!("not sent: {}", with_causes(&e)),
                    None,
                )
            });
        let signed = match signed {
            Ok(signed) => signed,
            Err(e) => {
                state.answered(permit, now, Answered::NotSent);
                return Err(e);
            }
        };
        self.permit = Some(permit);
        self.attempts += 1;
        self.first_sent.get_or_insert(now);
        self.last_sent = Some(now);
        self.not_before = None;
        self.signed_at_unix = unix_time;
        let token = Token::new(self.request, self.attempts);
        self.in_flight = Some(token);
        Ok(Some(Transmit {
            token,
            request: signed,
            action: R::ACTION,
            instances,
            attempt: self.attempts,
        }))
    }

    /// When an attempt may go, if none is in flight: after its backoff and once its
    /// action's limit allows (a time already past when it may go at once).
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        if self.in_flight.is_some() {
            return None;
        }
        Some(match (self.not_before, self.held_until) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b).unwrap_or(self.created),
        })
    }

    /// Takes the answer to attempt `token`. A failure a read may safely repeat is
    /// queued again within the retry budget, unless `stopped`.
    pub(crate) fn handle<R: ApiRequest>(
        &mut self,
        token: Token,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
        stopped: Option<&str>,
    ) -> Answer<R::Response> {
        if self.in_flight != Some(token) {
            return Answer::Ignored;
        }
        self.in_flight = None;
        let latency = self
            .last_sent
            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        log::debug!(
            target: "tencentcloud_cvm_core::selection",
            "action={} region={} attempt={} latency_ms={} ok={}",
            R::ACTION.name(),
            self.config(state).region(),
            self.attempts,
            latency.as_millis(),
            result.as_ref().is_ok_and(|r| r.status().is_success())
        );
        let (failure, reason) = match result {
            Err(e) => {
                let failure = ReadError::new(ReadErrorKind::NoAnswer, None, with_causes(&e), None);
                (failure, read_retry_reason(AttemptFailure::Transport(&e)))
            }
            Ok(response) => {
                let error = match R::parse_response(&response, state.max_body()) {
                    Ok(parsed) => {
                        self.tell_bucket(Answered::Accepted, now, state);
                        return Answer::Done(Ok(parsed));
                    }
                    Err(e) => e,
                };
                let clock_corrected = self.correct_clock(&error, &response, state);
                let reason = read_retry_reason(AttemptFailure::Response {
                    error: &error,
                    clock_corrected,
                });
                (failure_of(&error), reason)
            }
        };
        let answered = match (reason, &failure.code) {
            (Some(RetryReason::Throttled), code) => Answered::Throttled {
                per_api: code.as_ref() == Some(&ErrorCode::RequestLimitExceeded),
                message: &failure.message,
            },
            (Some(RetryReason::NotSent), _) => Answered::NotSent,
            // The service's own refusal: past the limit.
            (None, Some(_)) => Answered::Accepted,
            _ => Answered::Unknown,
        };
        self.tell_bucket(answered, now, state);
        if let Some(why) = stopped {
            let message = format!("not read again ({why}) after: {}", failure.message);
            return Answer::Done(Err(ReadError { message, ..failure }));
        }
        // Time without progress: since the first attempt, or since the bucket
        // last had a request accepted, if later.
        let progress = self.permit.and_then(|p| state.last_accepted(p));
        let elapsed = match (self.first_sent, progress) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
        .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        let random = state.next_random();
        match (
            reason,
            state
                .retry_policy()
                .decide(reason, self.attempts, elapsed, random),
        ) {
            (Some(reason), RetryDecision::RetryAfter(after)) => {
                self.not_before = Some(now + after);
                self.events.push_back(Event::Retrying {
                    action: R::ACTION,
                    instances: 0,
                    attempt: self.attempts,
                    reason,
                    after,
                });
                Answer::Retrying
            }
            _ => Answer::Done(Err(failure)),
        }
    }

    /// Tells the bucket of the attempt in flight what its answer came to.
    fn tell_bucket(&mut self, answered: Answered<'_>, now: Instant, state: &mut ClientState) {
        if let Some(permit) = self.permit {
            state.answered(permit, now, answered);
            if let Some((pace, _)) = state
                .pace_of(permit)
                .filter(|_| matches!(answered, Answered::Throttled { .. }))
            {
                self.events.push_back(Event::Pace(pace));
            }
        }
    }

    /// After `AuthFailure.SignatureExpire`, once per request: learns the clock offset
    /// from the server's `Date`. Returns whether it did.
    fn correct_clock(
        &mut self,
        error: &ResponseError,
        response: &http::Response<Vec<u8>>,
        state: &mut ClientState,
    ) -> bool {
        let expired = error.disposition() == Disposition::RejectedBeforeAction
            && error
                .service_error()
                .is_some_and(|s| s.code == ErrorCode::AuthFailureSignatureExpire);
        if !expired || self.clock_corrected {
            return false;
        }
        let Some(server) = server_time(response) else {
            return false;
        };
        let offset = i128::from(server) - i128::from(self.signed_at_unix);
        state.set_clock_offset(i64::try_from(offset).unwrap_or(0));
        self.clock_corrected = true;
        true
    }
}

/// The read error an error answer stands for.
fn failure_of(error: &ResponseError) -> ReadError {
    match error.service_error() {
        Some(s) => ReadError::new(
            ReadErrorKind::Refused,
            Some(s.code.clone()),
            match error {
                ResponseError::Service(s) => s.message.clone(),
                _ => error.to_string(),
            },
            Some(s.request_id.clone()),
        ),
        None => ReadError::new(ReadErrorKind::NoAnswer, None, error.to_string(), None),
    }
}
