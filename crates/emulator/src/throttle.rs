//! Request throttling as the service counts it: one sliding one-second window per
//! action, access endpoint and SecretId.
//!
//! Tencent Cloud counts an API's rate per action, per *access endpoint* (the host the
//! request was sent to, e.g. `cvm.ap-guangzhou.tencentcloudapi.com`, not the region of
//! the instances it names) and per sub-account, and measures the window by arrival time
//! at the server. The emulator keys its windows the same way, with the `Host` header as
//! the endpoint and the SecretId as the sub-account; a server with several listeners
//! (several endpoints, one fleet) therefore gives each its own budget.
//!
//! Arrival jitter: with [`EmulatorConfig::arrival_jitter`](crate::EmulatorConfig::arrival_jitter)
//! each request counts as arriving up to that much later than it was handled, uniformly
//! at random from a seedable generator, as uplink jitter delays requests on their way.
//! Requests handled in one order may then count in another: a request is refused when
//! the window ending at its arrival time already holds the limit, counting only the
//! requests that arrived before it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use crate::api::error::ApiError;

const WINDOW: Duration = Duration::from_secs(1);

/// The per-second limit of each action: its documented default, unless configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RateLimits {
    /// One limit for every action, if set.
    all: Option<u32>,
    /// Limits of single actions (by name), over `all`.
    per_action: BTreeMap<String, u32>,
}

impl RateLimits {
    /// Every action: `per_second` (0 disables throttling).
    pub(crate) fn set_all(&mut self, per_second: u32) {
        self.all = Some(per_second);
        self.per_action.clear();
    }

    /// The action called `action`: `per_second` (0 disables its throttling).
    pub(crate) fn set(&mut self, action: &str, per_second: u32) {
        self.per_action.insert(action.to_owned(), per_second);
    }

    /// The limit of `action`, whose documented default is `default`.
    pub(crate) fn limit(&self, action: &str, default: u32) -> u32 {
        self.per_action
            .get(action)
            .copied()
            .or(self.all)
            .unwrap_or(default)
    }
}

/// How late requests may arrive, and the generator that draws each one's lateness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArrivalJitter {
    max: Duration,
    rng: SplitMix64,
}

impl ArrivalJitter {
    /// Up to `max` late, drawn from a generator seeded with `seed`.
    pub(crate) fn new(max: Duration, seed: u64) -> Self {
        ArrivalJitter {
            max,
            rng: SplitMix64(seed),
        }
    }

    /// The greatest lateness.
    pub(crate) fn max(&self) -> Duration {
        self.max
    }

    /// A lateness drawn uniformly from `[0, max]`, at microsecond resolution.
    fn draw(&mut self) -> Duration {
        let micros = u64::try_from(self.max.as_micros()).unwrap_or(u64::MAX);
        if micros == 0 {
            return Duration::ZERO;
        }
        Duration::from_micros(self.rng.below(micros.saturating_add(1)))
    }
}

impl Default for ArrivalJitter {
    fn default() -> Self {
        ArrivalJitter::new(Duration::ZERO, 0)
    }
}

/// SplitMix64: small, fast and good enough to spread arrival times; not for secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, bound)` (`bound` > 0), by rejection so no value is favoured.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next();
            if x < zone {
                return x % bound;
            }
        }
    }
}

/// Arrival times of the requests still in some window, sorted.
type Window = VecDeque<Duration>;

/// Counts authenticated requests per action, access endpoint and SecretId. Throttled
/// requests count too, as they do at the service: a client that keeps hammering stays
/// throttled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Throttle {
    /// By action, then endpoint, then SecretId: so known keys are found without
    /// allocating.
    windows: HashMap<&'static str, HashMap<String, HashMap<String, Window>>>,
    jitter: ArrivalJitter,
    /// How many requests were refused, by action.
    refused: BTreeMap<&'static str, u64>,
}

/// Who a request counts against: its action, the endpoint it was sent to and its SecretId.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key<'a> {
    pub(crate) action: &'static str,
    /// The `Host` the request was sent to, as sent (compared without regard to case).
    pub(crate) endpoint: &'a str,
    pub(crate) secret_id: &'a str,
}

impl Throttle {
    /// A throttle whose requests arrive as `jitter` says.
    pub(crate) fn new(jitter: ArrivalJitter) -> Self {
        Throttle {
            jitter,
            ..Throttle::default()
        }
    }

    /// The arrival jitter in force.
    pub(crate) fn jitter(&self) -> &ArrivalJitter {
        &self.jitter
    }

    /// How many requests of `action` were refused so far.
    pub(crate) fn refused(&self, action: &str) -> u64 {
        self.refused.get(action).copied().unwrap_or(0)
    }

    /// Records a request for `key` handled at monotonic time `now`; errors if it exceeds
    /// `limit` per second (0: no limit) at its arrival time.
    pub(crate) fn check(
        &mut self,
        key: Key<'_>,
        limit: u32,
        now: Duration,
    ) -> Result<(), ApiError> {
        if limit == 0 {
            return Ok(());
        }
        let arrival = now.saturating_add(self.jitter.draw());
        // Host names are compared without regard to case; most arrive in lower case
        // already, and are then looked up without allocating.
        let endpoint: Cow<'_, str> = if key.endpoint.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(key.endpoint.to_ascii_lowercase())
        } else {
            Cow::Borrowed(key.endpoint)
        };
        let by_endpoint = self.windows.entry(key.action).or_default();
        let by_secret = match by_endpoint.get_mut(endpoint.as_ref()) {
            Some(m) => m,
            None => by_endpoint.entry(endpoint.into_owned()).or_default(),
        };
        let window = match by_secret.get_mut(key.secret_id) {
            Some(w) => w,
            None => by_secret.entry(key.secret_id.to_owned()).or_default(),
        };
        let outcome = admit(window, limit, now, arrival);
        if outcome.is_err() {
            *self.refused.entry(key.action).or_default() += 1;
        }
        outcome
    }
}

/// Records a request arriving at `arrival` (handled at `now` ≤ `arrival`) in `window`;
/// errors if, counting it, more than `limit` requests arrived in the second up to it.
fn admit(
    window: &mut Window,
    limit: u32,
    now: Duration,
    arrival: Duration,
) -> Result<(), ApiError> {
    // Every later request arrives at `now` or after, so what arrived a second or more
    // before `now` is in no window any more.
    while window
        .front()
        .is_some_and(|t| now.saturating_sub(*t) >= WINDOW)
    {
        window.pop_front();
    }
    let at = window.partition_point(|t| *t <= arrival);
    window.insert(at, arrival);
    let count = window
        .iter()
        .take(at + 1)
        .filter(|t| arrival.saturating_sub(**t) < WINDOW)
        .count();
    if count > limit as usize {
        return Err(ApiError::new(
            "RequestLimitExceeded",
            format!(
                "Your current request times equals to `{count}` in a second, \
                 which exceeds the frequency limit `{limit}` for a second."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EP: &str = "cvm.ap-guangzhou.tencentcloudapi.com";

    fn key<'a>(action: &'static str, endpoint: &'a str, secret_id: &'a str) -> Key<'a> {
        Key {
            action,
            endpoint,
            secret_id,
        }
    }

    #[test]
    fn eleventh_request_in_a_second_is_refused_then_window_slides() {
        let mut t = Throttle::default();
        let ms = Duration::from_millis;
        let terminate = key("TerminateInstances", EP, "A");
        for i in 0..10 {
            t.check(terminate, 10, ms(i * 10)).unwrap();
        }
        let err = t.check(terminate, 10, ms(500)).unwrap_err();
        assert_eq!(
            err.message(),
            "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second."
        );
        assert_eq!(t.refused("TerminateInstances"), 1);
        // Another SecretId, another action and another endpoint have windows of their own.
        t.check(key("TerminateInstances", EP, "B"), 10, ms(500))
            .unwrap();
        t.check(key("DescribeInstances", EP, "A"), 40, ms(500))
            .unwrap();
        t.check(
            key(
                "TerminateInstances",
                "cvm.ap-shanghai.tencentcloudapi.com",
                "A",
            ),
            10,
            ms(500),
        )
        .unwrap();
        // The endpoint is a host name: its case does not make a new one.
        assert!(t
            .check(
                key(
                    "TerminateInstances",
                    "CVM.AP-GUANGZHOU.tencentcloudapi.com",
                    "A"
                ),
                10,
                ms(500)
            )
            .is_err());
        // After the first ten left the window only the refused ones remain.
        t.check(terminate, 10, ms(1_100)).unwrap();
        assert_eq!(t.refused("TerminateInstances"), 2);
        assert_eq!(t.refused("DescribeInstances"), 0);
    }

    #[test]
    fn zero_disables() {
        let mut t = Throttle::default();
        for _ in 0..1000 {
            t.check(key("TerminateInstances", EP, "A"), 0, Duration::ZERO)
                .unwrap();
        }
    }

    #[test]
    fn limits_resolve_action_then_all_then_default() {
        let mut l = RateLimits::default();
        assert_eq!(l.limit("DescribeInstances", 40), 40);
        l.set("DescribeInstances", 5);
        assert_eq!(l.limit("DescribeInstances", 40), 5);
        assert_eq!(l.limit("TerminateInstances", 10), 10);
        l.set_all(0);
        assert_eq!(l.limit("DescribeInstances", 40), 0);
        l.set("TerminateInstances", 3);
        assert_eq!(l.limit("TerminateInstances", 10), 3);
    }

    #[test]
    fn jitter_is_uniform_within_its_bound_and_seeded() {
        let mut a = ArrivalJitter::new(Duration::from_millis(150), 7);
        let mut b = ArrivalJitter::new(Duration::from_millis(150), 7);
        let draws: Vec<Duration> = (0..10_000).map(|_| a.draw()).collect();
        assert!(draws.iter().all(|d| *d <= Duration::from_millis(150)));
        assert_eq!(draws, (0..10_000).map(|_| b.draw()).collect::<Vec<_>>());
        // Uniform: each tenth of the range gets about a tenth of the draws.
        let mut deciles = [0u32; 10];
        for d in &draws {
            deciles[((d.as_micros() * 10 / 150_001) as usize).min(9)] += 1;
        }
        assert!(
            deciles.iter().all(|n| (850..1150).contains(n)),
            "{deciles:?}"
        );
        let other: Vec<Duration> = {
            let mut c = ArrivalJitter::new(Duration::from_millis(150), 8);
            (0..100).map(|_| c.draw()).collect()
        };
        assert_ne!(other, draws[..100]);
        assert_eq!(ArrivalJitter::default().draw(), Duration::ZERO);
    }

    #[test]
    fn late_arrivals_count_in_the_window_of_their_arrival() {
        let ms = Duration::from_millis;
        let mut window = Window::new();
        // Sent 100 ms apart, but the first arrives 950 ms late: at 950 ms it is the
        // third request to arrive in its second (those at 100 and 200 ms came first).
        admit(&mut window, 2, ms(0), ms(950)).unwrap();
        admit(&mut window, 2, ms(100), ms(100)).unwrap();
        admit(&mut window, 2, ms(200), ms(200)).unwrap();
        // Arriving at 300 ms, the fourth counts those at 100 and 200 ms only.
        let e = admit(&mut window, 2, ms(300), ms(300)).unwrap_err();
        assert!(e.message().contains("`3`"), "{}", e.message());
        // At 1,250 ms, the ones at 100 and 200 ms have left the window; the refused one
        // at 300 ms and the one at 950 ms have not.
        let e = admit(&mut window, 2, ms(1_250), ms(1_250)).unwrap_err();
        assert!(e.message().contains("`3`"), "{}", e.message());
        assert_eq!(window.len(), 3, "{window:?}");
    }

    #[test]
    fn jitter_spreads_a_burst_that_fits_the_limit_exactly() {
        // 10 requests 100 ms apart fit a limit of 10 exactly; with up to 300 ms of
        // jitter some seconds hold 11 arrivals, and are refused.
        let mut refused = 0;
        for seed in 0..20 {
            let mut t = Throttle::new(ArrivalJitter::new(Duration::from_millis(300), seed));
            for i in 0..50u64 {
                let k = key("TerminateInstances", EP, "A");
                if t.check(k, 10, Duration::from_millis(i * 100)).is_err() {
                    refused += 1;
                }
            }
        }
        assert!(refused > 0);
        let mut calm = Throttle::default();
        for i in 0..50u64 {
            let k = key("TerminateInstances", EP, "A");
            calm.check(k, 10, Duration::from_millis(i * 100)).unwrap();
        }
    }
}
