//! The rate limiter of one bucket (one action, access endpoint and SecretId, as the
//! service counts): when a request may go, and how the limit adapts to what the
//! service answers.
//!
//! # The window
//!
//! The service refuses a request when, counting it, more than its limit arrived in the
//! second before it *arrived*. So the limiter keeps a log of its sends and lets a
//! request go while fewer than `max` of them may still be inside such a second. A send
//! occupies the window from when it left until:
//!
//! ```text
//!   sent + 1 s + guard + excess
//!   excess = min(1 s, round trip − lowest round trip seen)    answered
//!          = 1 s                                              not answered yet
//! ```
//!
//! A request cannot arrive after its answer does, so a send that took longer than
//! usual to be answered may have arrived that much later than usual, and occupies the
//! window that much longer (a loaded machine or a congested uplink delays arrivals;
//! this makes them harmless). A constant latency moves every arrival alike and costs
//! nothing. The guard (100 ms unless configured) covers what the answers cannot show:
//! the server's clock and arrivals counted late after the answer left. A window's sends
//! leave together ([`Spacing::Bursts`]): against arrival jitter, bursts are throttled
//! far less than evenly spaced sends at the same throughput (the bulk bench measures
//! both), since only the few requests at a window's edge can meet the previous
//! window's late arrivals.
//!
//! # Adapting
//!
//! The configured (else documented) limit is the ceiling; the limit in force starts
//! there and moves with the answers:
//!
//! * **Slow start.** Until a window's worth of requests was accepted, a request goes
//!   while fewer than two are unanswered, or else once per 10 ms: on a fast link the
//!   answers pace the first window and a service that allows less than documented
//!   refuses two requests, not a window's worth; on a slow one the clock opens the
//!   window in 90 ms. Where the answers are slower than the clock would open the
//!   whole window (10 ms a request), they cannot pace it, and there is no slow
//!   start: a bucket whose endpoint another bucket already found that slow sends
//!   its first window at once. (TCP's slow start doubles per round trip, which
//!   overshoots by as much as it has in flight.)
//! * **Throttled** (any `RequestLimitExceeded*`), once per window (throttles of
//!   requests sent before the last decrease are already accounted for):
//!   - the service states its limit (`RequestLimitExceeded` says "exceeds the
//!     frequency limit `N`"): the limit becomes `N`, which is also the new ceiling;
//!   - else, when fewer of our own requests than the limit were in the window before
//!     the refused one, the service allows that many: the limit becomes that count
//!     (the bandwidth a TCP BBR sender measures, rather than a blind halving);
//!   - else our window was full and yet refused: the arrivals bunched (jitter), or
//!     someone else spends the same budget (the console, another client). The guard
//!     doubles (up to 400 ms), then the limit falls to 70 % (TCP's and AWS's adaptive
//!     mode's multiplicative decrease).
//! * **Steady success.** While the limiter holds requests back and nothing was
//!   throttled for a while (2 s at first), it probes: the guard halves back towards
//!   its configured value, or the limit rises by one towards the ceiling (additive
//!   increase). A probe that is throttled is undone, and the next waits twice as long
//!   (up to 60 s), so a run under a steady lower limit probes a few times, not every
//!   window (the role of CUBIC's plateau near the last maximum).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// A request rate: at most `max` requests in any `per` window, plus a guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    max: u32,
    per: Duration,
    guard: Duration,
}

/// The guard added to every window unless replaced.
const DEFAULT_GUARD: Duration = Duration::from_millis(100);

/// The most a send may occupy the window past its guard, however late its answer.
const MAX_EXCESS: Duration = Duration::from_secs(1);
/// The most the guard grows to when throttles the limit does not explain keep coming.
const MAX_GUARD: Duration = Duration::from_millis(400);
/// The least a guard grows to when it grows (from a configured guard of zero, say).
const MIN_GUARD_STEP: Duration = Duration::from_millis(50);
/// Slow start: one more request may go per this much time, whatever the answers.
const SLOW_START_STEP: Duration = Duration::from_millis(10);
/// Slow start: how many requests may be unanswered, whatever the clock.
const SLOW_START_OUTSTANDING: usize = 2;
/// How long after a throttle the limit is first probed upwards.
const FIRST_PROBE_AFTER: Duration = Duration::from_secs(2);
/// The longest wait between probes.
const MAX_PROBE_AFTER: Duration = Duration::from_secs(60);
/// How long the lowest round trip seen stays the reference for the excess.
const LOWEST_ROUND_TRIP_FOR: Duration = Duration::from_secs(10);

impl RateLimit {
    /// At most `max` requests per `per` (a `max` of 0 is taken as 1).
    ///
    /// A guard of 100 ms is added to the window by default, so that requests
    /// whose arrival the answers do not reveal still *arrive* within the limit.
    pub fn new(max: u32, per: Duration) -> Self {
        RateLimit {
            per,
            ..RateLimit::per_second(max)
        }
    }

    /// At most `max` requests per second (a `max` of 0 is taken as 1), with the
    /// default guard: how the service documents its limits.
    pub const fn per_second(max: u32) -> Self {
        RateLimit {
            max: if max == 0 { 1 } else { max },
            per: Duration::from_secs(1),
            guard: DEFAULT_GUARD,
        }
    }

    /// Replaces the guard added to the window.
    pub fn with_guard(mut self, guard: Duration) -> Self {
        self.guard = guard;
        self
    }

    /// The most requests per window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The window the service counts in (a second, for every documented limit).
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The guard added to the window.
    pub fn guard(&self) -> Duration {
        self.guard
    }

    /// The window length, guard included.
    pub fn window(&self) -> Duration {
        self.per + self.guard
    }

    /// The requests per second this allows at most over time: `max` per window.
    ///
    /// ```
    /// use tencentcloud_cvm_core::RateLimit;
    /// assert!((RateLimit::per_second(11).requests_per_second() - 10.0).abs() < 1e-9);
    /// ```
    pub fn requests_per_second(&self) -> f64 {
        f64::from(self.max) / self.window().as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

impl Default for RateLimit {
    /// 10 requests per second, the most common CVM limit (TerminateInstances' among them).
    fn default() -> Self {
        RateLimit::per_second(10)
    }
}

/// How a limiter spreads the requests a window allows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Spacing {
    /// Each request as soon as the window allows it: a window's worth leaves
    /// together (the default; see the module docs for why).
    #[default]
    Bursts,
    /// Evenly: at most one request per window / max.
    Even,
}

/// A send the limiter let go; hand it back with what became of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Permit {
    pub(crate) bucket: u32,
    pub(crate) send: u64,
}

/// What became of a send, as the limiter learns from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answered<'a> {
    /// The service answered and did not throttle it (whatever else it said).
    Accepted,
    /// A `RequestLimitExceeded*` answer.
    Throttled {
        /// The code is plain `RequestLimitExceeded`: the per-API limit, whose
        /// message states it.
        per_api: bool,
        /// The service's message.
        message: &'a str,
    },
    /// It may have arrived; nothing else is known (no answer, 5xx, unreadable).
    Unknown,
    /// It never left (the transport proved it): it occupies nothing.
    NotSent,
}

#[derive(Clone, Copy, Debug)]
struct Send {
    id: u64,
    at: Instant,
    answered: Option<Instant>,
    throttled: bool,
}

/// A change being tried on the way back up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProbeKind {
    /// The guard was halved from this.
    Guard(Duration),
    /// The limit rose by one.
    Limit,
}

/// How far the slow start has come.
#[derive(Clone, Copy, Debug, Default)]
struct SlowStart {
    sent: u32,
    accepted: u32,
}

#[derive(Clone, Copy, Debug)]
struct Probe {
    since: Instant,
    kind: ProbeKind,
}

/// The limiter of one bucket: a log of the sends that may still count at the
/// service, held to a limit that adapts to the answers (see the module docs).
///
/// ```
/// use std::time::{Duration, Instant};
/// use tencentcloud_cvm_core::{RateLimit, RateLimiter};
/// let t0 = Instant::now();
/// let ms = |n| t0 + Duration::from_millis(n);
/// let mut l = RateLimiter::new(RateLimit::new(3, Duration::from_secs(1)).with_guard(Duration::ZERO));
/// let first = l.try_acquire(ms(0)).unwrap();
/// let _second = l.try_acquire(ms(0)).unwrap();
/// // Slow start: with two unanswered, a third waits for an answer (or 20 ms).
/// assert_eq!(l.try_acquire(ms(1)), Err(ms(20)));
/// l.accepted(first, ms(1));
/// assert!(l.try_acquire(ms(1)).is_ok());
/// // Three in the window: the next goes when the first leaves it.
/// assert_eq!(l.try_acquire(ms(2)), Err(ms(1000)));
/// ```
#[derive(Clone, Debug)]
pub struct RateLimiter {
    ceiling: RateLimit,
    spacing: Spacing,
    /// The most requests per window now.
    max: u32,
    /// The limit the service stated when it throttled.
    stated: Option<u32>,
    guard: Duration,
    sent: VecDeque<Send>,
    next_id: u64,
    last_sent: Option<Instant>,
    /// Until a window's worth was accepted, or the first throttle.
    slow_start: Option<SlowStart>,
    first_sent: Option<Instant>,
    /// Throttles of sends before this were answered by an earlier decrease.
    decreased_at: Option<Instant>,
    probe: Option<Probe>,
    probe_at: Option<Instant>,
    probe_after: Duration,
    lowest_round_trip: Option<(Duration, Instant)>,
    last_accepted: Option<Instant>,
    throttled: u64,
    /// Counts changes of what [`RateLimiter::limit`] and the throttle count say.
    version: u64,
    /// Scratch space for the times sends leave the window.
    frees: Vec<Instant>,
}

impl RateLimiter {
    /// An empty limiter whose ceiling is `limit`.
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter::with_spacing(limit, Spacing::default())
    }

    /// An empty limiter whose ceiling is `limit`, spreading a window's requests as `spacing` says.
    pub fn with_spacing(limit: RateLimit, spacing: Spacing) -> Self {
        RateLimiter::with_options(limit, spacing, true)
    }

    /// An empty limiter, with or without a slow start.
    pub(crate) fn with_options(limit: RateLimit, spacing: Spacing, slow_start: bool) -> Self {
        RateLimiter {
            ceiling: limit,
            spacing,
            max: limit.max,
            stated: None,
            guard: limit.guard,
            sent: VecDeque::with_capacity(limit.max as usize * 2),
            next_id: 0,
            last_sent: None,
            slow_start: slow_start.then_some(SlowStart::default()),
            first_sent: None,
            decreased_at: None,
            probe: None,
            probe_at: None,
            probe_after: FIRST_PROBE_AFTER,
            lowest_round_trip: None,
            last_accepted: None,
            throttled: 0,
            version: 0,
            frees: Vec::new(),
        }
    }

    /// The limit in force now (at most the ceiling).
    pub fn limit(&self) -> RateLimit {
        RateLimit {
            max: self.max,
            per: self.ceiling.per,
            guard: self.guard,
        }
    }

    /// The configured (or documented) limit: what the limit returns to.
    pub fn ceiling(&self) -> RateLimit {
        self.ceiling
    }

    /// The limit the service stated in a `RequestLimitExceeded` message, if it did.
    pub fn stated(&self) -> Option<u32> {
        self.stated
    }

    /// How many answers were `RequestLimitExceeded*`.
    pub fn throttled(&self) -> u64 {
        self.throttled
    }

    /// When the service last accepted a request (answered it without throttling).
    pub fn last_accepted(&self) -> Option<Instant> {
        self.last_accepted
    }

    /// The lowest round trip of an accepted request lately, if any was.
    pub(crate) fn lowest_round_trip(&self) -> Option<Duration> {
        self.lowest_round_trip.map(|(d, _)| d)
    }

    /// A round trip this long or longer makes a slow start useless: the clock
    /// releases the whole window before the first answers come back.
    pub(crate) fn slow_start_useless(&self) -> Duration {
        SLOW_START_STEP.saturating_mul(self.max)
    }

    /// Sends its first window at once: its endpoint answers too slowly for a
    /// slow start to learn anything before the window is spent.
    pub(crate) fn without_slow_start(mut self) -> Self {
        self.slow_start = None;
        self
    }

    /// Changes each time the limit in force or the throttle count changes.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// The most the limit may rise to now: the ceiling, or the stated limit if lower.
    fn top(&self) -> u32 {
        self.stated
            .map_or(self.ceiling.max, |s| s.min(self.ceiling.max))
            .max(1)
    }

    fn window(&self) -> Duration {
        self.ceiling.per + self.guard
    }

    /// When `send` stops counting in the window (see the module docs).
    fn free_at(&self, send: &Send) -> Instant {
        let base = send.at + self.window();
        match send.answered {
            Some(answered) => {
                let lowest = self.lowest_round_trip.map_or(Duration::ZERO, |(d, _)| d);
                let excess = answered
                    .saturating_duration_since(send.at)
                    .saturating_sub(lowest);
                base + excess.min(MAX_EXCESS)
            }
            None => base + MAX_EXCESS,
        }
    }

    /// Lets a request go at `now` if the limit allows, recording it; else says
    /// from when it may (or sooner, if an answer comes first). A `now` earlier
    /// than a recorded send is taken as that send's time, so time going
    /// backwards never lets more through.
    pub fn try_acquire(&mut self, now: Instant) -> Result<Permit, Instant> {
        let now = self.admit(now)?;
        let id = self.next_id;
        self.next_id += 1;
        self.sent.push_back(Send {
            id,
            at: now,
            answered: None,
            throttled: false,
        });
        self.last_sent = Some(now);
        self.first_sent.get_or_insert(now);
        if let Some(slow) = &mut self.slow_start {
            slow.sent += 1;
        }
        Ok(Permit {
            bucket: 0,
            send: id,
        })
    }

    /// Whether a request could go at `now`, recording nothing: `Ok` when
    /// [`RateLimiter::try_acquire`] would let one go now, else from when.
    pub fn check(&mut self, now: Instant) -> Result<(), Instant> {
        self.admit(now).map(|_| ())
    }

    /// When a request may go, if not at `now` (the time it would be sent at, if it may).
    fn admit(&mut self, now: Instant) -> Result<Instant, Instant> {
        let now = self.last_sent.map_or(now, |last| now.max(last));
        self.prune(now);
        if self.sent.len() >= self.max as usize && self.probe_up(now) {
            // A smaller guard may have let some out.
            self.prune(now);
        }
        let mut wait: Option<Instant> = None;
        let mut later = |t: Instant| wait = Some(wait.map_or(t, |w: Instant| w.max(t)));
        if self.sent.len() >= self.max as usize {
            let mut frees = std::mem::take(&mut self.frees);
            frees.clear();
            frees.extend(self.sent.iter().map(|s| self.free_at(s)));
            frees.sort_unstable();
            let leave = self.sent.len() + 1 - self.max as usize;
            later(frees[leave - 1]);
            self.frees = frees;
        }
        if let (Some(slow), Some(first)) = (self.slow_start, self.first_sent) {
            // Either few enough are unanswered, or the clock lets one more go.
            let outstanding = self.sent.iter().filter(|s| s.answered.is_none()).count();
            let by_clock = first + SLOW_START_STEP.saturating_mul(slow.sent);
            if outstanding >= SLOW_START_OUTSTANDING && now < by_clock {
                later(by_clock);
            }
        }
        if let (Spacing::Even, Some(last)) = (self.spacing, self.last_sent) {
            let gap = self.window() / self.max.max(1);
            if now < last + gap {
                later(last + gap);
            }
        }
        match wait {
            Some(at) => Err(at.max(now)),
            None => Ok(now),
        }
    }

    /// Forgets the sends that no longer count at `now`.
    fn prune(&mut self, now: Instant) {
        let mut sent = std::mem::take(&mut self.sent);
        sent.retain(|s| self.free_at(s) > now);
        self.sent = sent;
    }

    /// The limit is reached at `now`: probes upwards instead of refusing, when it
    /// is below its ceiling and nothing was throttled for long enough. Returns
    /// whether it did (the guard halved, or the limit rose by one).
    fn probe_up(&mut self, now: Instant) -> bool {
        if self.probe.is_some() || self.probe_at.is_none_or(|t| now < t) {
            return false;
        }
        if self.guard > self.ceiling.guard {
            let was = self.guard;
            self.guard = (self.guard / 2).max(self.ceiling.guard);
            self.start_probe(now, ProbeKind::Guard(was));
            true
        } else if self.max < self.top() {
            self.max += 1;
            self.start_probe(now, ProbeKind::Limit);
            true
        } else {
            self.probe_at = None;
            false
        }
    }

    fn start_probe(&mut self, now: Instant, kind: ProbeKind) {
        self.probe = Some(Probe { since: now, kind });
        self.probe_at = None;
        self.version += 1;
    }

    /// The service answered `permit`'s request at `now` without throttling it.
    pub fn accepted(&mut self, permit: Permit, now: Instant) {
        self.answered(permit, now, Answered::Accepted);
    }

    /// What became of `permit`'s request, learnt at `now`.
    pub(crate) fn answered(&mut self, permit: Permit, now: Instant, answer: Answered<'_>) {
        let Some(position) = self.sent.iter().position(|s| s.id == permit.send) else {
            // Out of every window already: it says nothing of the window any more.
            match answer {
                Answered::Accepted => self.last_accepted = Some(now),
                Answered::Throttled { .. } => {
                    self.throttled += 1;
                    self.version += 1;
                }
                Answered::Unknown | Answered::NotSent => {}
            }
            return;
        };
        if let Answered::NotSent = answer {
            self.sent.remove(position);
            return;
        }
        let send = &mut self.sent[position];
        send.answered.get_or_insert(now);
        let send = *send;
        match answer {
            Answered::Accepted => self.on_accepted(send, now),
            Answered::Throttled { per_api, message } => {
                self.sent[position].throttled = true;
                self.on_throttled(send, now, per_api, message);
            }
            Answered::Unknown | Answered::NotSent => {}
        }
    }

    fn on_accepted(&mut self, send: Send, now: Instant) {
        self.last_accepted = Some(now);
        let round_trip = now.saturating_duration_since(send.at);
        let keep = self.lowest_round_trip.is_some_and(|(d, at)| {
            d <= round_trip && now.saturating_duration_since(at) < LOWEST_ROUND_TRIP_FOR
        });
        if !keep {
            self.lowest_round_trip = Some((round_trip, now));
        }
        if let Some(slow) = &mut self.slow_start {
            slow.accepted += 1;
            // A window's worth went through; or the answers are too slow to pace
            // the window, which the clock spends before they come.
            if slow.accepted >= self.max || round_trip >= self.slow_start_useless() {
                self.slow_start = None;
            }
        }
        if let Some(probe) = self.probe {
            let since = self
                .sent
                .iter()
                .filter(|s| s.at >= probe.since && s.answered.is_some() && !s.throttled)
                .count();
            if since >= self.max as usize {
                // A window's worth went through at the new level: keep it, and go on
                // probing while the limiter is the bottleneck.
                self.probe = None;
                self.probe_at = Some(now + self.probe_after);
            }
        }
    }

    fn on_throttled(&mut self, send: Send, now: Instant, per_api: bool, message: &str) {
        self.throttled += 1;
        self.version += 1;
        self.slow_start = None;
        let stated = if per_api { stated_limit(message) } else { None };
        if let Some(n) = stated {
            let n = n.max(1);
            if self.stated != Some(n) {
                self.stated = Some(n);
            }
        }
        if let Some(probe) = self.probe.filter(|p| send.at >= p.since) {
            // The way up was throttled: back to where it was, and wait longer next time.
            match probe.kind {
                ProbeKind::Guard(was) => self.guard = was,
                ProbeKind::Limit => self.max = self.max.saturating_sub(1).max(1),
            }
            self.probe = None;
            self.probe_after = (self.probe_after * 2).min(MAX_PROBE_AFTER);
            self.decrease(now);
            return;
        }
        if self.decreased_at.is_some_and(|t| send.at < t) {
            // Sent under the limit before the last decrease: already accounted for.
            return;
        }
        let top = self.top();
        if self.max > top {
            self.max = top;
        } else {
            let window = self.window();
            let before = self
                .sent
                .iter()
                .filter(|s| s.id != send.id && !s.throttled)
                .filter(|s| s.at < send.at && send.at.saturating_duration_since(s.at) <= window)
                .count();
            let before = u32::try_from(before).unwrap_or(u32::MAX);
            if stated.is_none() && before >= 1 && before + 1 < self.max {
                self.max = before;
            } else if self.guard < MAX_GUARD {
                self.guard = (self.guard * 2).max(MIN_GUARD_STEP).min(MAX_GUARD);
            } else {
                self.max = (self.max * 7 / 10).clamp(1, self.max.saturating_sub(1).max(1));
            }
        }
        self.probe = None;
        self.decrease(now);
    }

    fn decrease(&mut self, now: Instant) {
        self.decreased_at = Some(now);
        self.probe_at = Some(now + self.probe_after);
        self.version += 1;
    }
}

/// The limit a `RequestLimitExceeded` message states: the service says "Your current
/// request times equals to `11` in a second, which exceeds the frequency limit `10`
/// for a second."; `None` when the message says nothing of the kind.
///
/// ```
/// use tencentcloud_cvm_core::stated_limit;
/// let m = "Your current request times equals to `4` in a second, which exceeds the frequency limit `3` for a second. Please reduce the frequency of calls.";
/// assert_eq!(stated_limit(m), Some(3));
/// assert_eq!(stated_limit("请求频率超过限制"), None);
/// ```
pub fn stated_limit(message: &str) -> Option<u32> {
    const MARK: &str = "frequency limit `";
    let start = message.find(MARK)? + MARK.len();
    let rest = &message[start..];
    let digits = &rest[..rest.find('`')?];
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests;
