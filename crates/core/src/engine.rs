//! The engine: drives a batch plan through the limiter, the signer, a
//! [`Transport`] and the retry policy, and books one outcome per instance.
//!
//! Everything here is decisions; the only IO is behind the two traits it is
//! given ([`Transport`] and [`Clock`]), so a custom transport gets batching,
//! rate limiting and safe retries for free, and tests run whole scenarios on a
//! [`crate::clock::ManualClock`] without sleeping.

use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::batch::BatchPlan;
use crate::build_error::BuildError;
use crate::clock::Clock;
use crate::error_code::{Disposition, ErrorCode};
use crate::limiter::{RateLimit, RateLimiter};
use crate::provider::{CredentialsError, ProvideCredentials};
use crate::report::{Outcome, Report};
use crate::response::{parse_response, server_time, ResponseError, DEFAULT_MAX_BODY};
use crate::retry::{retry_reason, AttemptFailure, RetryDecision, RetryPolicy};
use crate::service_config::ServiceConfig;
use crate::signing::Signer;
use crate::terminate::{TerminateInstances, ValidationError, ACTION};
use crate::transport::{Transport, TransportErrorKind};

/// The optional TerminateInstances parameters applied to every batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TerminateOptions {
    /// `ReleasePrepaidDataDisks`.
    pub release_prepaid_data_disks: Option<bool>,
    /// `ReleaseAddress`.
    pub release_address: Option<bool>,
}

impl TerminateOptions {
    fn apply(&self, mut request: TerminateInstances) -> TerminateInstances {
        if let Some(v) = self.release_prepaid_data_disks {
            request = request.release_prepaid_data_disks(v);
        }
        if let Some(v) = self.release_address {
            request = request.release_address(v);
        }
        request
    }
}

/// Why a terminate call sent nothing at all.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TerminateError {
    /// An instance ID was malformed; nothing was sent.
    Validation(ValidationError),
    /// No credentials could be had; nothing was sent.
    Credentials(CredentialsError),
    /// A request could not be built (bad token characters); nothing was sent.
    Build(BuildError),
}

impl fmt::Display for TerminateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TerminateError::Validation(e) => e.fmt(f),
            TerminateError::Credentials(e) => e.fmt(f),
            TerminateError::Build(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TerminateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TerminateError::Validation(e) => Some(e),
            TerminateError::Credentials(e) => Some(e),
            TerminateError::Build(e) => Some(e),
        }
    }
}

/// Progress through a batch plan, reported after each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Requests finished.
    pub requests_done: usize,
    /// Requests in the plan.
    pub requests_total: usize,
    /// Instances with an outcome.
    pub instances_done: usize,
    /// Instances in the plan.
    pub instances_total: usize,
}

/// The engine. `Send + Sync`; share it behind an `Arc` (the ureq client does).
pub struct Engine<T, C> {
    config: ServiceConfig,
    credentials: Arc<dyn ProvideCredentials>,
    transport: T,
    clock: C,
    retry: RetryPolicy,
    max_body: usize,
    signer: Signer,
    limiter: Mutex<RateLimiter>,
    clock_offset: AtomicI64,
    rng: AtomicU64,
}

impl<T, C> fmt::Debug for Engine<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("max_body", &self.max_body)
            .field("clock_offset", &self.clock_offset.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<T: Transport, C: Clock> Engine<T, C> {
    /// An engine with the default rate limit (10/s), retry policy and 1 MiB body cap.
    pub fn new(
        config: ServiceConfig,
        credentials: Arc<dyn ProvideCredentials>,
        transport: T,
        clock: C,
    ) -> Self {
        Engine {
            config,
            credentials,
            transport,
            clock,
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_BODY,
            signer: Signer::new(),
            limiter: Mutex::new(RateLimiter::new(RateLimit::default())),
            clock_offset: AtomicI64::new(0),
            rng: AtomicU64::new(0x9e37_79b9_7f4a_7c15),
        }
    }

    /// Replaces the retry policy.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    /// Replaces the rate limit.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.limiter = Mutex::new(RateLimiter::new(limit));
        self
    }
    /// Replaces the response body cap.
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }
    /// Seeds the backoff jitter (any value; distinct clients should differ).
    pub fn with_jitter_seed(self, seed: u64) -> Self {
        self.rng.store(seed | 1, Ordering::Relaxed);
        self
    }

    /// The request settings.
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }
    /// The correction, in seconds, added to the clock after a `SignatureExpire`.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }

    fn next_random(&self) -> u64 {
        // xorshift64*: jitter only needs to decorrelate clients, not to be secret.
        let mut x = self.rng.load(Ordering::Relaxed);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.store(x, Ordering::Relaxed);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn timestamp(&self) -> u64 {
        let now = self.clock.unix_time() as i64;
        now.saturating_add(self.clock_offset()).max(0) as u64
    }

    fn wait_for_slot(&self) {
        loop {
            let now = self.clock.monotonic();
            let verdict = self
                .limiter
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .try_acquire(now);
            match verdict {
                Ok(()) => return,
                Err(wait) => self.clock.sleep(wait),
            }
        }
    }

    /// The signed requests `terminate` would send, without sending them (for `--dry-run`).
    pub fn signed_requests<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
    ) -> Result<Vec<http::Request<Vec<u8>>>, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let plan = BatchPlan::new(ids).map_err(TerminateError::Validation)?;
        let credentials = self
            .credentials
            .credentials()
            .map_err(TerminateError::Credentials)?;
        let timestamp = self.timestamp();
        plan.batches()
            .map(|batch| {
                let request = batch_request(batch, options).map_err(TerminateError::Validation)?;
                self.config
                    .terminate_instances(&request, timestamp, &credentials, &self.signer)
                    .map_err(TerminateError::Build)
            })
            .collect()
    }

    /// Terminates any number of instances: validates all, removes duplicates,
    /// sends batches of at most 100 within the rate limit with safe retries,
    /// and reports one outcome per distinct instance.
    pub fn terminate<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.terminate_with_progress(ids, options, &mut |_| {})
    }

    /// Like [`Engine::terminate`], calling `progress` after each request.
    pub fn terminate_with_progress<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let plan = BatchPlan::new(ids).map_err(TerminateError::Validation)?;
        if plan.instances().is_empty() {
            return Ok(Report::assemble(&plan, Vec::new()));
        }
        // Fail before sending anything if there are no credentials at all.
        self.credentials
            .credentials()
            .map_err(TerminateError::Credentials)?;
        let mut state = Progress {
            requests_done: 0,
            requests_total: plan.batch_count(),
            instances_done: 0,
            instances_total: plan.instances().len(),
        };
        let mut outcomes = Vec::with_capacity(plan.batch_count());
        for batch in plan.batches() {
            // A plan's batches are valid by construction; should one not be,
            // its instances are reported, not lost.
            let outcome = match batch_request(batch, options) {
                Ok(request) => self.send(&request),
                Err(e) => Outcome::Failed {
                    code: Some(e.code()),
                    message: e.to_string(),
                    request_id: None,
                },
            };
            outcomes.push(outcome);
            state.requests_done += 1;
            state.instances_done += batch.len();
            progress(&state);
        }
        Ok(Report::assemble(&plan, outcomes))
    }

    /// Sends one TerminateInstances request within the rate limit, retrying
    /// only where the service certainly did not act, and returns its outcome.
    pub fn send(&self, request: &TerminateInstances) -> Outcome {
        let started = self.clock.monotonic();
        let mut attempts = 0u32;
        let mut skew_corrected_once = false;
        loop {
            attempts += 1;
            self.wait_for_slot();
            let credentials = match self.credentials.credentials() {
                Ok(c) => c,
                Err(e) => {
                    return Outcome::Failed {
                        code: None,
                        message: format!("not sent: {e}"),
                        request_id: None,
                    }
                }
            };
            let http_request = match self.config.terminate_instances(
                request,
                self.timestamp(),
                &credentials,
                &self.signer,
            ) {
                Ok(r) => r,
                Err(e) => {
                    return Outcome::Failed {
                        code: None,
                        message: format!("not sent: {e}"),
                        request_id: None,
                    }
                }
            };
            let sent_at = self.clock.monotonic();
            let result = self.transport.send(http_request);
            let latency = self.clock.monotonic().saturating_sub(sent_at);
            let ids = request.instance_ids().len();
            let (reason, give_up_outcome) = match result {
                Ok(response) => {
                    let parsed = parse_response(&response, self.max_body);
                    let (code, request_id) = match &parsed {
                        Ok(s) => (None, Some(s.request_id.as_str())),
                        Err(e) => (
                            e.service_error().map(|s| s.code.as_str()),
                            e.service_error().map(|s| s.request_id.as_str()),
                        ),
                    };
                    log::debug!(
                        "action={ACTION} region={} ids={ids} attempt={attempts} status={} code={} request_id={} latency_ms={}",
                        self.config.region(),
                        response.status().as_u16(),
                        code.unwrap_or("-"),
                        request_id.unwrap_or("-"),
                        latency.as_millis()
                    );
                    let error = match parsed {
                        Ok(success) => {
                            return Outcome::Terminated {
                                request_id: success.request_id,
                            }
                        }
                        Err(e) => e,
                    };
                    let mut clock_corrected = false;
                    let expired = error
                        .service_error()
                        .is_some_and(|s| s.code == ErrorCode::AuthFailureSignatureExpire);
                    if expired && !skew_corrected_once {
                        if let Some(server) = server_time(&response) {
                            let offset = server as i64 - self.clock.unix_time() as i64;
                            self.clock_offset.store(offset, Ordering::Relaxed);
                            clock_corrected = true;
                            skew_corrected_once = true;
                        }
                    }
                    let reason = retry_reason(AttemptFailure::Response {
                        error: &error,
                        clock_corrected,
                    });
                    (reason, outcome_of_response_error(error))
                }
                Err(e) => {
                    log::debug!(
                        "action={ACTION} region={} ids={ids} attempt={attempts} status=- code=- request_id=- latency_ms={} transport_error={:?}",
                        self.config.region(),
                        latency.as_millis(),
                        e.kind()
                    );
                    let reason = retry_reason(AttemptFailure::Transport(&e));
                    let outcome = match e.kind() {
                        TransportErrorKind::NotSent => Outcome::Failed {
                            code: None,
                            message: e.to_string(),
                            request_id: None,
                        },
                        TransportErrorKind::OutcomeUnknown => Outcome::Unknown {
                            code: None,
                            message: e.to_string(),
                            request_id: None,
                        },
                    };
                    (reason, outcome)
                }
            };
            let elapsed = self.clock.monotonic().saturating_sub(started);
            match self
                .retry
                .decide(reason, attempts, elapsed, self.next_random())
            {
                RetryDecision::RetryAfter(delay) => {
                    if !delay.is_zero() {
                        self.clock.sleep(delay);
                    }
                }
                RetryDecision::GiveUp => return give_up_outcome,
            }
        }
    }
}

/// One batch of a plan as a request, with the call's options.
fn batch_request(
    batch: &[crate::InstanceId],
    options: &TerminateOptions,
) -> Result<TerminateInstances, ValidationError> {
    TerminateInstances::from_ids(batch.to_vec()).map(|r| options.apply(r))
}

/// A service error whose outcome is unknown stays unknown; any other refusal
/// is a failure; an unparseable answer is unknown.
fn outcome_of_response_error(error: ResponseError) -> Outcome {
    let disposition = error.disposition();
    match error.service_error().cloned() {
        Some(service) if disposition != Disposition::OutcomeUnknown => Outcome::Failed {
            code: Some(service.code),
            message: service.message,
            request_id: Some(service.request_id),
        },
        Some(service) => Outcome::Unknown {
            code: Some(service.code),
            message: service.message,
            request_id: Some(service.request_id),
        },
        None => Outcome::Unknown {
            code: None,
            message: error.to_string(),
            request_id: None,
        },
    }
}

#[cfg(test)]
mod tests;
