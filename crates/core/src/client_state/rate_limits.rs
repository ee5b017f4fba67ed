//! Rate limits as the service counts them: per action, access endpoint and
//! sub-account (the "API 频率限制说明" page: API + 接入地域 + 子账号). A client keeps
//! one [`RateLimiter`] per bucket (action, the `Host` it sends to, the SecretId
//! it signs with), each held to the limit configured for its action or else the
//! action's documented one (the table below), and adapting to the answers. Runs
//! that share a client state share its buckets: regions reached through one
//! endpoint share its budget, regions on their own endpoints have their own.

use std::fmt;
use std::time::Instant;

use crate::actions::{Action, ActionTable};
use crate::client_state::limiter::{Answered, Permit, RateLimit, RateLimiter, Spacing};

/// The configured limits, and one limiter per bucket, created on first use.
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{Action, RateLimit, RateLimits};
/// let mut limits = RateLimits::new()
///     .with_limit(Action::TerminateInstances, RateLimit::new(1, Duration::from_secs(1)));
/// let t0 = Instant::now();
/// let gz = "cvm.ap-guangzhou.tencentcloudapi.com";
/// assert!(limits.try_acquire(Action::TerminateInstances, gz, "AKIDa", t0).is_ok());
/// assert!(limits.try_acquire(Action::TerminateInstances, gz, "AKIDa", t0).is_err());
/// // Another action, endpoint or SecretId is another bucket.
/// assert!(limits.try_acquire(Action::DescribeInstances, gz, "AKIDa", t0).is_ok());
/// assert!(limits.try_acquire(Action::TerminateInstances, "cvm.ap-shanghai.tencentcloudapi.com", "AKIDa", t0).is_ok());
/// assert!(limits.try_acquire(Action::TerminateInstances, gz, "AKIDb", t0).is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct RateLimits {
    configured: Vec<(Action, RateLimit)>,
    spacing: Spacing,
    slow_start: bool,
    buckets: Vec<Bucket>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            configured: Vec::new(),
            spacing: Spacing::default(),
            slow_start: true,
            buckets: Vec::new(),
        }
    }
}

/// What a limiter counts: one action, sent to one endpoint, signed by one SecretId.
#[derive(Clone, PartialEq, Eq)]
struct BucketKey {
    action: Action,
    endpoint: String,
    secret_id: String,
}

impl fmt::Debug for BucketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {} as {}",
            self.action, self.endpoint, self.secret_id
        )
    }
}

#[derive(Clone, Debug)]
struct Bucket {
    key: BucketKey,
    limiter: RateLimiter,
}

/// Where one bucket stands: the limit it holds its requests to now, the limit it
/// may return to, and what the service said. A run reports it in
/// [`Event::Pace`](crate::Event::Pace) when it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pace {
    /// The action.
    pub action: Action,
    /// The access endpoint (the `Host` the requests go to).
    pub endpoint: String,
    /// The limit in force now.
    pub limit: RateLimit,
    /// The configured (else documented) limit, which it returns to.
    pub ceiling: RateLimit,
    /// The limit the service stated when it throttled, if it did.
    pub stated: Option<u32>,
    /// How many answers were `RequestLimitExceeded*` so far.
    pub throttled: u64,
}

impl Pace {
    /// Whether the limit in force is below the ceiling: the service throttled, and
    /// the client slowed down.
    pub fn is_slowed(&self) -> bool {
        self.limit != self.ceiling
    }
}

impl RateLimits {
    /// Every action at its documented limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `action`'s limit, the ceiling its buckets adapt under (replacing the
    /// buckets already in use).
    pub fn with_limit(mut self, action: Action, limit: RateLimit) -> Self {
        self.buckets.retain(|b| b.key.action != action);
        self.configured.retain(|(a, _)| *a != action);
        self.configured.push((action, limit));
        self
    }

    /// How every bucket spreads the requests a window allows (default
    /// [`Spacing::Bursts`]; replaces the buckets already in use).
    pub fn with_spacing(mut self, spacing: Spacing) -> Self {
        self.spacing = spacing;
        self.buckets.clear();
        self
    }

    /// Whether a bucket opens its first window by its answers (slow start, the
    /// default: see [`RateLimiter`]), or sends a window's worth at once (replaces
    /// the buckets already in use).
    pub fn with_slow_start(mut self, slow_start: bool) -> Self {
        self.slow_start = slow_start;
        self.buckets.clear();
        self
    }

    /// The limit `action` is held to at most: the configured one, else its documented one.
    pub fn limit(&self, action: Action) -> RateLimit {
        self.configured
            .iter()
            .find(|(a, _)| *a == action)
            .map_or_else(|| action.default_rate_limit(), |&(_, l)| l)
    }

    /// Records a send of `action` to `endpoint` (the `Host`) signed by
    /// `secret_id` at `now`, if its bucket allows one; else says from when it
    /// may (or sooner, if an answer comes first).
    pub fn try_acquire(
        &mut self,
        action: Action,
        endpoint: &str,
        secret_id: &str,
        now: Instant,
    ) -> Result<Permit, Instant> {
        let index = self.bucket_index(action, endpoint, secret_id);
        let mut permit = self.buckets[index].limiter.try_acquire(now)?;
        permit.bucket = u32::try_from(index).unwrap_or(u32::MAX);
        Ok(permit)
    }

    /// Whether a send of `action` to `endpoint` signed by `secret_id` could go at
    /// `now`, recording nothing; else from when.
    pub fn check(
        &mut self,
        action: Action,
        endpoint: &str,
        secret_id: &str,
        now: Instant,
    ) -> Result<(), Instant> {
        let index = self.bucket_index(action, endpoint, secret_id);
        self.buckets[index].limiter.check(now)
    }

    /// The bucket of `action`, `endpoint` and `secret_id`, made on first use.
    fn bucket_index(&mut self, action: Action, endpoint: &str, secret_id: &str) -> usize {
        let found = self.buckets.iter().position(|b| {
            b.key.action == action
                && b.key.endpoint.eq_ignore_ascii_case(endpoint)
                && b.key.secret_id == secret_id
        });
        found.unwrap_or_else(|| {
            let mut limiter =
                RateLimiter::with_options(self.limit(action), self.spacing, self.slow_start);
            // How fast this endpoint answers, as the other buckets on it found.
            let round_trip = self
                .buckets
                .iter()
                .filter(|b| b.key.endpoint.eq_ignore_ascii_case(endpoint))
                .filter_map(|b| b.limiter.lowest_round_trip())
                .min();
            if round_trip.is_some_and(|d| d >= limiter.slow_start_useless()) {
                limiter = limiter.without_slow_start();
            }
            self.buckets.push(Bucket {
                key: BucketKey {
                    action,
                    endpoint: endpoint.to_ascii_lowercase(),
                    secret_id: secret_id.to_owned(),
                },
                limiter,
            });
            self.buckets.len() - 1
        })
    }

    /// Tells the bucket of `permit` what became of its request.
    pub(crate) fn answered(&mut self, permit: Permit, now: Instant, answer: Answered<'_>) {
        if let Some(bucket) = self.buckets.get_mut(permit.bucket as usize) {
            bucket.limiter.answered(permit, now, answer);
        }
    }

    /// The limiter `permit` came from.
    pub(crate) fn limiter_of(&self, permit: Permit) -> Option<&RateLimiter> {
        self.buckets.get(permit.bucket as usize).map(|b| &b.limiter)
    }

    /// Where the bucket of `permit` stands.
    pub(crate) fn pace_of(&self, permit: Permit) -> Option<Pace> {
        self.buckets.get(permit.bucket as usize).map(Bucket::pace)
    }

    /// Where every bucket in use stands.
    pub fn paces(&self) -> impl Iterator<Item = Pace> + '_ {
        self.buckets.iter().map(Bucket::pace)
    }
}

impl Bucket {
    fn pace(&self) -> Pace {
        Pace {
            action: self.key.action,
            endpoint: self.key.endpoint.clone(),
            limit: self.limiter.limit(),
            ceiling: self.limiter.ceiling(),
            stated: self.limiter.stated(),
            throttled: self.limiter.throttled(),
        }
    }
}

impl Action {
    /// Its documented request rate, per second and per SecretId: what a client is
    /// held to unless [`RateLimits::with_limit`] says otherwise.
    ///
    /// | action | limit | source |
    /// | --- | --- | --- |
    /// | `TerminateInstances` | 10/s | <https://cloud.tencent.com/document/api/213/15723> |
    /// | `DescribeInstances` | 40/s | <https://cloud.tencent.com/document/api/213/15728>, <https://www.tencentcloud.com/document/product/213/33258> |
    /// | `DescribeInstancesStatus` | 40/s | <https://cloud.tencent.com/document/api/213/15738>, <https://www.tencentcloud.com/document/product/213/33256> |
    /// | `InquiryPriceTerminateInstances` | 10/s | <https://cloud.tencent.com/document/api/213/58193> |
    /// | `DescribeRegions` | 20/s | the CVM API category page, <https://www.tencentcloud.com/document/api/213/15689> |
    /// | STS `GetCallerIdentity` | 20/s | <https://cloud.tencent.com/document/api/1312/66098> |
    ///
    /// Each page says "A maximum of N requests can be initiated per second for this
    /// API" (默认接口请求频率限制：N次/秒). The service counts per action, access region
    /// and sub-account (see [`RateLimits`]); every limit here has the default 100 ms guard.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{Action, RateLimit};
    /// assert_eq!(Action::TerminateInstances.default_rate_limit(), RateLimit::per_second(10));
    /// assert_eq!(Action::DescribeInstancesStatus.default_rate_limit().max(), 40);
    /// // An action this crate does not speak has no documented limit here.
    /// assert_eq!(Action::parse("RunInstances").map(Action::default_rate_limit), None);
    /// ```
    pub fn default_rate_limit(self) -> RateLimit {
        DocumentedRateLimits.entry(self)
    }
}

/// The table of documented limits (sources in [`Action::default_rate_limit`]).
struct DocumentedRateLimits;

impl ActionTable for DocumentedRateLimits {
    type Entry = RateLimit;

    fn terminate_instances(&self) -> RateLimit {
        RateLimit::per_second(10)
    }
    fn describe_instances(&self) -> RateLimit {
        RateLimit::per_second(40)
    }
    fn describe_instances_status(&self) -> RateLimit {
        RateLimit::per_second(40)
    }
    fn inquiry_price_terminate_instances(&self) -> RateLimit {
        RateLimit::per_second(10)
    }
    fn describe_regions(&self) -> RateLimit {
        RateLimit::per_second(20)
    }
    fn get_caller_identity(&self) -> RateLimit {
        RateLimit::per_second(20)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const GZ: &str = "cvm.ap-guangzhou.tencentcloudapi.com";

    /// Sends `action` as often as its bucket allows at `t0`, answering each at once.
    fn burst(
        limits: &mut RateLimits,
        action: Action,
        endpoint: &str,
        secret: &str,
        t0: Instant,
    ) -> usize {
        let mut n = 0;
        let mut now = t0;
        while let Ok(permit) = limits.try_acquire(action, endpoint, secret, now) {
            limits.answered(permit, now, Answered::Accepted);
            n += 1;
            now += Duration::from_micros(1);
        }
        n
    }

    #[test]
    fn each_bucket_has_its_own_window_and_a_documented_default() {
        let t0 = Instant::now();
        let mut limits = RateLimits::new();
        for action in Action::ALL {
            let max = action.default_rate_limit().max();
            assert!(max >= 10, "{action}");
            assert_eq!(
                burst(&mut limits, *action, GZ, "A", t0),
                max as usize,
                "{action}"
            );
        }
        assert_eq!(limits.limit(Action::DescribeInstances).max(), 40);
        // The same action on another endpoint, or as another SecretId, starts afresh;
        // the endpoint is a host name, whatever its case.
        let terminate = Action::TerminateInstances;
        assert_eq!(
            burst(
                &mut limits,
                terminate,
                "cvm.ap-shanghai.tencentcloudapi.com",
                "A",
                t0
            ),
            10
        );
        assert_eq!(burst(&mut limits, terminate, GZ, "B", t0), 10);
        assert_eq!(
            burst(&mut limits, terminate, &GZ.to_ascii_uppercase(), "A", t0),
            0
        );
        assert_eq!(limits.paces().count(), Action::ALL.len() + 2);
    }

    #[test]
    fn a_bucket_on_an_endpoint_known_to_be_slow_skips_the_slow_start() {
        let t0 = Instant::now();
        let mut limits = RateLimits::new();
        // A read answered 300 ms later: slower than a slow start's clock opens a
        // window of TerminateInstances (10 × 10 ms).
        let read = limits
            .try_acquire(Action::DescribeInstances, GZ, "A", t0)
            .unwrap();
        limits.answered(read, t0 + Duration::from_millis(300), Answered::Accepted);
        let at = t0 + Duration::from_millis(300);
        let sent = (0..10)
            .filter(|_| {
                limits
                    .try_acquire(Action::TerminateInstances, GZ, "A", at)
                    .is_ok()
            })
            .count();
        assert_eq!(sent, 10, "the whole window at once");
        // Elsewhere, nothing is known: two go, then the slow start holds the rest.
        let sent = (0..10)
            .filter(|_| {
                limits
                    .try_acquire(
                        Action::TerminateInstances,
                        "cvm.ap-shanghai.tencentcloudapi.com",
                        "A",
                        at,
                    )
                    .is_ok()
            })
            .count();
        assert_eq!(sent, 2);
    }

    #[test]
    fn a_configured_limit_replaces_the_buckets_in_use() {
        let t0 = Instant::now();
        let mut limits = RateLimits::new();
        assert!(limits
            .try_acquire(Action::TerminateInstances, GZ, "A", t0)
            .is_ok());
        let one = RateLimit::new(1, Duration::from_secs(1));
        let mut limits = limits
            .with_limit(Action::TerminateInstances, one)
            .with_limit(Action::TerminateInstances, one);
        assert_eq!(limits.limit(Action::TerminateInstances), one);
        assert!(limits
            .try_acquire(Action::TerminateInstances, GZ, "A", t0)
            .is_ok());
        assert!(limits
            .try_acquire(Action::TerminateInstances, GZ, "A", t0)
            .is_err());
    }
}
