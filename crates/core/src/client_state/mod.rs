//! [`ClientState`]: what every run of one client shares and remembers between
//! requests: the request settings, the signer's caches, one adaptive rate
//! limiter per bucket (action, access endpoint and SecretId, as the service
//! counts), the clock correction learned from the service, and the retry
//! policy with its jitter.
//!
//! Beside it: one bucket's limiter, the buckets and their configured limits, and
//! which failures may be retried and when.

pub(crate) mod limiter;
pub(crate) mod rate_limits;
pub(crate) mod retry;

use std::fmt;

use std::time::Instant;

use crate::actions::Action;
use crate::client_state::limiter::{Answered, Permit};
use crate::client_state::rate_limits::{Pace, RateLimits};
use crate::client_state::retry::RetryPolicy;
use crate::http::response::DEFAULT_MAX_BODY;
use crate::http::service_config::ServiceConfig;
use crate::signing::Signer;

/// How many requests one run keeps outstanding by default: as many as the
/// TerminateInstances limit lets start in one second, so latency does not
/// bound throughput.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 10;

/// The state runs share. Runs borrow it mutably for each call into them, so
/// concurrent runs of one client (a driver holds it behind a lock) never send
/// more than the limits allow between them: runs in several regions whose
/// requests go to one endpoint share its buckets, and runs whose endpoints
/// differ each have their own (see [`RateLimits`]).
///
/// ```
/// use tencentcloud_cvm_core::{ClientState, ServiceConfig};
/// use tencentcloud_cvm_core::RetryPolicy;
/// let state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?)
///     .with_retry_policy(RetryPolicy::default().with_max_attempts(3))
///     .with_max_in_flight(4);
/// assert_eq!(state.max_in_flight(), 4);
/// assert_eq!(state.clock_offset(), 0);
/// # Ok::<(), tencentcloud_cvm_core::BuildError>(())
/// ```
pub struct ClientState {
    config: ServiceConfig,
    signer: Signer,
    rate_limits: RateLimits,
    retry: RetryPolicy,
    max_body: usize,
    max_in_flight: usize,
    clock_offset: i64,
    rng: u64,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("config", &self.config)
            .field("rate_limits", &self.rate_limits)
            .field("retry", &self.retry)
            .field("max_body", &self.max_body)
            .field("max_in_flight", &self.max_in_flight)
            .field("clock_offset", &self.clock_offset)
            .finish_non_exhaustive()
    }
}

impl ClientState {
    /// Defaults: documented per-action rate limits, [`RetryPolicy::default`],
    /// a 1 MiB response cap, [`DEFAULT_MAX_IN_FLIGHT`] requests in flight per run.
    pub fn new(config: ServiceConfig) -> Self {
        ClientState {
            config,
            signer: Signer::new(),
            rate_limits: RateLimits::new(),
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_BODY,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            clock_offset: 0,
            rng: 0x9e37_79b9_7f4a_7c15,
        }
    }

    /// Replaces the rate limits.
    pub fn with_rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }
    /// Replaces the retry policy.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    /// Replaces the response body cap.
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }
    /// How many requests one run may have outstanding (at least 1).
    pub fn with_max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }
    /// Seeds the backoff jitter (distinct clients should differ, so their
    /// retries spread out rather than collide again).
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.rng = seed | 1;
        self
    }

    /// The request settings.
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }
    /// The rate limits and their buckets.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.rate_limits
    }
    /// Where every bucket in use stands: its limit now, its ceiling, its throttles.
    pub fn paces(&self) -> impl Iterator<Item = Pace> + '_ {
        self.rate_limits.paces()
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }
    /// The response body cap.
    pub fn max_body(&self) -> usize {
        self.max_body
    }
    /// How many requests one run may have outstanding.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }
    /// The correction, in seconds, added to the caller's wall clock after the
    /// service said a signature had expired and its `Date` disagreed.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    pub(crate) fn signer(&self) -> &Signer {
        &self.signer
    }
    /// Records a send of `action` at `now` to the endpoint of `config` (else
    /// this state's) signed by `secret_id`, if its bucket allows; else says from when.
    pub(crate) fn try_acquire(
        &mut self,
        action: Action,
        config: Option<&ServiceConfig>,
        secret_id: &str,
        now: Instant,
    ) -> Result<Permit, Instant> {
        let host = config.unwrap_or(&self.config).host();
        self.rate_limits.try_acquire(action, host, secret_id, now)
    }
    /// Whether a send of `action` like [`ClientState::try_acquire`]'s could go at
    /// `now`, recording nothing; else from when.
    pub(crate) fn check(
        &mut self,
        action: Action,
        config: Option<&ServiceConfig>,
        secret_id: &str,
        now: Instant,
    ) -> Result<(), Instant> {
        let host = config.unwrap_or(&self.config).host();
        self.rate_limits.check(action, host, secret_id, now)
    }
    /// Tells the bucket of `permit` what became of its request.
    pub(crate) fn answered(&mut self, permit: Permit, now: Instant, answer: Answered<'_>) {
        self.rate_limits.answered(permit, now, answer);
    }
    /// When the bucket of `permit` last had a request accepted.
    pub(crate) fn last_accepted(&self, permit: Permit) -> Option<Instant> {
        self.rate_limits.limiter_of(permit)?.last_accepted()
    }
    /// Where the bucket of `permit` stands, and the version of that.
    pub(crate) fn pace_of(&self, permit: Permit) -> Option<(Pace, u64)> {
        let version = self.rate_limits.limiter_of(permit)?.version();
        Some((self.rate_limits.pace_of(permit)?, version))
    }
    pub(crate) fn set_clock_offset(&mut self, offset: i64) {
        self.clock_offset = offset;
    }

    /// The `X-TC-Timestamp` for a caller's wall-clock `unix_time`.
    pub(crate) fn timestamp(&self, unix_time: u64) -> u64 {
        let corrected = i128::from(unix_time) + i128::from(self.clock_offset);
        u64::try_from(corrected.max(0)).unwrap_or(u64::MAX)
    }

    /// xorshift64*: jitter only needs to decorrelate clients, not to be secret.
    pub(crate) fn next_random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}
