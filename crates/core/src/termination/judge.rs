//! Judging answers: what came back for a request (an HTTP response of any status, or
//! the transport's failure) is understood, safe to send again, or a failure, and a
//! failure of a TerminateInstances says whether the service may have acted.

use std::time::{Duration, Instant};

use super::{Event, Termination, LOG_TARGET};
use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::client_state::retry::{
    read_retry_reason, retry_reason, AttemptFailure, RetryDecision, RetryReason,
};
use crate::client_state::ClientState;
use crate::error::error_chain::with_causes;
use crate::http::response::{server_time, ResponseError};
use crate::http::transport_error::{TransportError, TransportErrorKind};
use crate::model::error_code::{Disposition, ErrorCode};
use crate::termination::report::Outcome;
use crate::termination::request::{Phase, Refusal};
use crate::termination::stage::Stage;

/// What an answer comes to.
pub(super) enum Judgement<T> {
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
pub(super) struct Failure {
    /// Whether the service may have acted (terminate only).
    pub(super) unknown: bool,
    /// The service's refusal, when it answered with one.
    pub(super) service: Option<Refusal>,
    /// What happened.
    pub(super) message: String,
}

impl Failure {
    pub(super) fn outcome(&self) -> Outcome {
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

    /// The failure an error answer stands for.
    fn of(error: &ResponseError, unknown: bool) -> Failure {
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
}

impl Termination {
    /// Judges the answer to request `j`. For a request that only reads, every
    /// failure but the service's own refusal may be retried; for one that acts
    /// (a TerminateInstances), only failures that prove the service did not act,
    /// and a failure that leaves that open is an unknown outcome.
    pub(super) fn judge<R: ApiRequest>(
        &mut self,
        j: usize,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    ) -> Judgement<R::Response> {
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
                    Ok(parsed) => return self.paced(j, Judgement::Ok(parsed), now, state),
                    Err(e) => e,
                };
                let clock_corrected = self.correct_clock(j, &error, &response, state);
                let unknown = acts && error.disposition() == Disposition::OutcomeUnknown;
                let reason = reason_for(AttemptFailure::Response {
                    error: &error,
                    clock_corrected,
                });
                (Failure::of(&error, unknown), reason)
            }
        };
        let judgement = match reason {
            Some(reason) => Judgement::Retry {
                reason,
                fallback: failure,
            },
            None => Judgement::Failed(failure),
        };
        self.paced(j, judgement, now, state)
    }

    /// Queues a safely retryable failure again within the retry budget (its
    /// instances are ready again); otherwise hands back what the answer came to.
    pub(super) fn retry_or<T>(
        &mut self,
        j: usize,
        judgement: Judgement<T>,
        now: Instant,
        state: &mut ClientState,
    ) -> Option<Result<T, Failure>> {
        match judgement {
            Judgement::Ok(t) => Some(Ok(t)),
            Judgement::Failed(f) => Some(Err(f)),
            Judgement::Retry { reason, fallback } => {
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
                let elapsed = self.since_progress(j, now, state);
                let job = &self.jobs[j];
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
                            action: job.work.action(),
                            instances: job.members.len(),
                            attempt: job.attempts,
                            reason,
                            after,
                        });
                        for i in self.jobs[j].members.clone() {
                            let t = &mut self.instances[i];
                            // A TerminateInstances the service did not act on: its
                            // instances are ready again (a read's stay where they are).
                            if t.stage == Stage::Sent {
                                t.make_ready();
                            }
                        }
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
        let (ids, attempt, region) = (job.members.len(), job.attempts, self.config(state).region());
        match result {
            Ok(r) => log::debug!(
                target: LOG_TARGET,
                "action={action} region={region} ids={ids} attempt={attempt} status={} latency_ms={}",
                r.status().as_u16(),
                latency.as_millis()
            ),
            Err(e) => log::debug!(
                target: LOG_TARGET,
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
}
