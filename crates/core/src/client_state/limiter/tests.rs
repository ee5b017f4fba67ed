use super::*;
use quickcheck::quickcheck;

const SECOND: Duration = Duration::from_secs(1);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn max_in_any_window(sends: &[Instant], window: Duration) -> usize {
    sends
        .iter()
        .map(|&start| {
            sends
                .iter()
                .filter(|&&t| t >= start && t < start + window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn throttled(message: &str) -> Answered<'_> {
    Answered::Throttled {
        per_api: true,
        message,
    }
}

const SAYS_2: &str = "Your current request times equals to `3` in a second, which exceeds the frequency limit `2` for a second. Please reduce the frequency of calls.";
const SAYS_10: &str = "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second.";

/// Sends as fast as `l` allows from `t0` until `n` went, each answered `latency`
/// later by `answer` (given the send's number); returns the send times.
fn drive(
    l: &mut RateLimiter,
    t0: Instant,
    n: usize,
    latency: Duration,
    mut answer: impl FnMut(usize) -> Answered<'static>,
) -> Vec<Instant> {
    let mut now = t0;
    let mut sends = Vec::new();
    let mut pending: Vec<(Instant, Permit, usize)> = Vec::new();
    while sends.len() < n {
        match l.try_acquire(now) {
            Ok(permit) => {
                pending.push((now + latency, permit, sends.len()));
                sends.push(now);
            }
            Err(at) => {
                assert!(at > now, "woken at once");
                pending.sort_by_key(|p| p.0);
                let next = pending.first().map_or(at, |p| p.0.min(at));
                now = next.max(now);
                while pending.first().is_some_and(|p| p.0 <= now) {
                    let (_, permit, i) = pending.remove(0);
                    l.answered(permit, now, answer(i));
                }
            }
        }
    }
    sends
}

#[test]
fn bursts_then_a_window_apart() {
    let limit = RateLimit::per_second(10);
    let mut l = RateLimiter::new(limit);
    let t0 = Instant::now();
    let sends = drive(&mut l, t0, 55, Duration::ZERO, |_| Answered::Accepted);
    // Answered at once, slow start opens the first window as fast as the answers come.
    assert!(sends[..10].iter().all(|&t| t == t0), "burst of 10 at once");
    assert_eq!(max_in_any_window(&sends, limit.window()), 10);
    assert_eq!(sends[54], t0 + limit.window() * 5);
    assert_eq!(l.limit(), limit);
}

#[test]
fn slow_start_sends_while_two_are_unanswered_or_one_per_10_ms() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(10));
    // Answers take 100 ms: two go, then the window opens by the clock, one per 10 ms.
    let sends = drive(&mut l, t0, 10, ms(100), |_| Answered::Accepted);
    let offsets: Vec<u64> = sends.iter().map(|t| (*t - t0).as_millis() as u64).collect();
    assert_eq!(offsets, [0, 0, 20, 30, 40, 50, 60, 70, 80, 90]);
    // Answered in 1 ms, the answers open it: two each millisecond.
    let mut l = RateLimiter::new(RateLimit::per_second(10));
    let sends = drive(&mut l, t0, 11, ms(1), |_| Answered::Accepted);
    assert!(sends[9] <= t0 + ms(4), "{:?}", sends[9] - t0);
    // Once a window's worth was accepted, no more slow start.
    assert!(l.slow_start.is_none());
    assert_eq!(sends[10], sends[0] + l.limit().window());
}

#[test]
fn a_late_answer_keeps_its_request_in_the_window_that_much_longer() {
    let t0 = Instant::now();
    let limit = RateLimit::per_second(2).with_guard(Duration::ZERO);
    let mut l = RateLimiter::new(limit);
    let a = l.try_acquire(t0).unwrap();
    l.accepted(a, t0 + ms(5));
    let b = l.try_acquire(t0 + ms(5)).unwrap();
    // The first took 5 ms; the second 305 ms: it may have arrived 300 ms late.
    l.accepted(b, t0 + ms(310));
    assert_eq!(l.try_acquire(t0 + ms(400)), Err(t0 + SECOND));
    let c = l.try_acquire(t0 + SECOND).unwrap();
    l.accepted(c, t0 + SECOND + ms(5));
    assert_eq!(
        l.try_acquire(t0 + SECOND),
        Err(t0 + ms(5) + SECOND + ms(300))
    );
    // Unanswered, a request may yet arrive: it holds its place a second more.
    let mut l = RateLimiter::new(limit);
    let a = l.try_acquire(t0).unwrap();
    l.accepted(a, t0 + ms(5));
    let _b = l.try_acquire(t0 + ms(5)).unwrap();
    assert!(
        l.try_acquire(t0 + SECOND).is_ok(),
        "the first left the window"
    );
    assert_eq!(l.try_acquire(t0 + SECOND), Err(t0 + ms(5) + SECOND * 2));
}

#[test]
fn a_constant_latency_costs_nothing() {
    let t0 = Instant::now();
    let limit = RateLimit::per_second(10);
    let mut l = RateLimiter::new(limit);
    let sends = drive(&mut l, t0, 30, ms(300), |_| Answered::Accepted);
    // Slow start by the clock spreads the first window over 90 ms; then windows
    // follow each other with nothing added for the 300 ms every answer takes.
    assert_eq!(sends[29] - t0, limit.window() * 2 + ms(90));
}

#[test]
fn a_stated_limit_is_taken_once_per_window() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(10));
    // The service allows 2: answers at 1 ms, slow start sends two at a time, the
    // second pair out together and both refused.
    let sends = drive(&mut l, t0, 9, ms(1), |i| {
        if (2..4).contains(&i) {
            throttled(SAYS_2)
        } else {
            Answered::Accepted
        }
    });
    // Two throttles, one decrease, to the limit the service stated.
    assert_eq!(l.throttled(), 2);
    assert_eq!(l.stated(), Some(2));
    assert_eq!(l.limit().max(), 2);
    assert_eq!(
        l.limit().guard(),
        DEFAULT_GUARD,
        "the guard is not the cause"
    );
    // The four sent first hold the window; then two per window.
    assert_eq!(sends[3], t0 + ms(1));
    assert!(sends[4] >= t0 + l.limit().window(), "{:?}", sends[4] - t0);
    assert!(sends[6] >= sends[4] + l.limit().window());
    assert!(sends[8] >= sends[6] + l.limit().window());
    // Stated, the limit is the ceiling: nothing to probe.
    let later = t0 + Duration::from_secs(30);
    let mut n = 0;
    while let Ok(p) = l.try_acquire(later) {
        l.accepted(p, later);
        n += 1;
    }
    assert_eq!(n, 2);
}

#[test]
fn without_a_stated_limit_the_requests_accepted_before_set_it_and_probes_raise_it() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(10).with_guard(Duration::ZERO));
    for i in 0..4u64 {
        let permit = l.try_acquire(t0 + ms(i * 10)).unwrap();
        l.accepted(permit, t0 + ms(i * 10 + 1));
    }
    let refused = l.try_acquire(t0 + ms(40)).unwrap();
    l.answered(refused, t0 + ms(41), throttled("slow down"));
    assert_eq!(l.limit().max(), 4, "four were accepted before it");
    assert_eq!(l.stated(), None);
    // As fast as it lets, every request accepted: held to 4 a second for the first
    // two seconds after the throttle, then probed upwards, one at a time.
    let mut now = t0 + ms(41);
    let mut sends = Vec::new();
    while now < t0 + Duration::from_secs(12) {
        match l.try_acquire(now) {
            Ok(permit) => {
                l.accepted(permit, now);
                sends.push(now);
            }
            Err(at) => now = at,
        }
    }
    let until =
        |t: Duration| -> Vec<Instant> { sends.iter().copied().filter(|s| *s < t0 + t).collect() };
    assert_eq!(max_in_any_window(&until(ms(2_040)), SECOND), 4);
    assert_eq!(max_in_any_window(&until(ms(3_100)), SECOND), 5);
    assert!(l.limit().max() >= 7, "{:?}", l.limit());
    assert!(max_in_any_window(&sends, SECOND) <= l.limit().max() as usize);
}

#[test]
fn a_throttled_probe_is_undone_and_the_next_waits_twice_as_long() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(10).with_guard(Duration::ZERO));
    l.slow_start = None;
    for i in 0..3u64 {
        let permit = l.try_acquire(t0 + ms(i)).unwrap();
        l.accepted(permit, t0 + ms(i));
    }
    let refused = l.try_acquire(t0 + ms(3)).unwrap();
    l.answered(refused, t0 + ms(4), throttled("slow down"));
    assert_eq!(l.limit().max(), 3);
    // Two seconds on, the window is full and the limiter probes 4.
    let at = t0 + Duration::from_secs(3);
    for _ in 0..3 {
        let p = l.try_acquire(at).unwrap();
        l.accepted(p, at);
    }
    let probe = l.try_acquire(at).unwrap();
    assert_eq!(l.limit().max(), 4);
    l.answered(probe, at + ms(1), throttled("slow down"));
    assert_eq!(l.limit().max(), 3, "undone");
    assert_eq!(l.probe_after, FIRST_PROBE_AFTER * 2);
    assert_eq!(l.probe_at, Some(at + ms(1) + FIRST_PROBE_AFTER * 2));
}

#[test]
fn a_full_window_refused_grows_the_guard_then_lowers_the_limit() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(10));
    l.slow_start = None;
    l.probe_after = Duration::from_secs(3600);
    let mut now = t0;
    let mut seen = Vec::new();
    for _ in 0..6 {
        // A full window, every request accepted but the last, refused although
        // the limit allowed it.
        let mut sent = Vec::new();
        loop {
            match l.try_acquire(now) {
                Ok(p) => sent.push(p),
                Err(at) if sent.is_empty() => now = at,
                Err(_) => break,
            }
        }
        let (last, rest) = sent.split_last().unwrap();
        for p in rest {
            l.accepted(*p, now + ms(1));
        }
        l.answered(*last, now + ms(1), throttled(SAYS_10));
        now += ms(2);
        seen.push((l.limit().guard().as_millis(), l.limit().max()));
    }
    assert_eq!(
        seen,
        [(200, 10), (400, 10), (400, 7), (400, 4), (400, 2), (400, 1)]
    );
    assert_eq!(l.stated(), Some(10));
    assert_eq!(l.throttled(), 6);
}

#[test]
fn a_check_counts_nothing() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(1).with_guard(Duration::ZERO));
    for _ in 0..3 {
        assert_eq!(l.check(t0), Ok(()));
    }
    let p = l.try_acquire(t0).unwrap();
    l.accepted(p, t0);
    assert_eq!(l.check(t0 + ms(1)), Err(t0 + SECOND));
    assert_eq!(l.try_acquire(t0 + ms(1)), Err(t0 + SECOND));
}

#[test]
fn a_request_that_never_left_frees_its_place() {
    let t0 = Instant::now();
    let mut l = RateLimiter::new(RateLimit::per_second(1).with_guard(Duration::ZERO));
    let p = l.try_acquire(t0).unwrap();
    assert!(l.try_acquire(t0).is_err());
    l.answered(p, t0 + ms(1), Answered::NotSent);
    assert!(l.try_acquire(t0 + ms(1)).is_ok());
}

#[test]
fn even_spacing_sends_one_per_window_share() {
    let t0 = Instant::now();
    let limit = RateLimit::per_second(10);
    let mut l = RateLimiter::with_spacing(limit, Spacing::Even);
    let sends = drive(&mut l, t0, 12, Duration::ZERO, |_| Answered::Accepted);
    let gap = limit.window() / 10;
    for pair in sends.windows(2) {
        assert_eq!(pair[1] - pair[0], gap);
    }
}

#[test]
fn the_stated_limit_is_read_only_from_its_own_words() {
    for (message, limit) in [
        (SAYS_2, Some(2)),
        (
            "which exceeds the frequency limit `20` for a second",
            Some(20),
        ),
        ("frequency limit `` for a second", None),
        ("frequency limit `0`", None),
        ("frequency limit `-3`", None),
        ("frequency limit `12345678901`", None),
        ("frequency limit `7", None),
        ("exceeds the limit `7`", None),
        ("", None),
    ] {
        assert_eq!(stated_limit(message), limit, "{message:?}");
    }
}

quickcheck! {
    fn never_more_than_max_in_any_window(max: u8, gaps: Vec<u16>, refuse: Vec<bool>) -> bool {
        let limit = RateLimit::new(u32::from(max % 12) + 1, SECOND);
        let mut l = RateLimiter::new(limit);
        let mut now = Instant::now();
        let mut sends = Vec::new();
        for (i, gap) in gaps.into_iter().enumerate() {
            now += Duration::from_millis(u64::from(gap % 400));
            loop {
                match l.try_acquire(now) {
                    Ok(permit) => {
                        sends.push(now);
                        let answer = if refuse.get(i).copied().unwrap_or(false) {
                            throttled("slow down")
                        } else {
                            Answered::Accepted
                        };
                        l.answered(permit, now + ms(1), answer);
                        break;
                    }
                    Err(at) => { assert!(at > now); now = at }
                }
            }
        }
        // Whatever it learnt, never more than the ceiling in a window of the ceiling's
        // length, and never more than its limit now in its window now.
        max_in_any_window(&sends, limit.window()) <= limit.max() as usize
            && l.limit().max() <= limit.max()
            && l.limit().max() >= 1
    }
}
