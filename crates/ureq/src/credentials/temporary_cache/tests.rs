//! The refresh rules on a fake clock: no sleeping, only counted refreshes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::test_support::ManualClock;

use super::*;
use crate::test_support::captured_logs;
use tencentcloud_cvm_core::CredentialsErrorKind;

const T0: u64 = 1_700_000_000;

fn key(n: usize, expires_at: u64) -> TemporaryCredentials {
    TemporaryCredentials::new(
        Credentials::new(format!("AKIDtmp{n}"), format!("SENTINEL-KEY-{n}"))
            .with_token(format!("SENTINEL-TOKEN-{n}")),
        expires_at,
    )
}

fn failure() -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, "test source", "STS is down")
}

/// A refresh that counts its calls and answers key N (valid for `ttl` s) or fails.
struct Source {
    calls: AtomicUsize,
    ttl: u64,
    fail: std::sync::atomic::AtomicBool,
}

impl Source {
    fn new(ttl: u64) -> Self {
        Source {
            calls: AtomicUsize::new(0),
            ttl,
            fail: false.into(),
        }
    }
    fn refresh(&self, clock: &ManualClock) -> Result<TemporaryCredentials, CredentialsError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fail.load(Ordering::SeqCst) {
            return Err(failure());
        }
        Ok(key(n, clock.unix_time() + self.ttl))
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn get(
    cache: &TemporaryCache,
    clock: &ManualClock,
    source: &Source,
) -> Result<Credentials, CredentialsError> {
    cache.get(clock, || source.refresh(clock))
}

#[test]
fn refreshes_when_300_seconds_remain_and_not_before() {
    let clock = ManualClock::new(T0);
    let cache = TemporaryCache::default();
    let source = Source::new(7200);
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp1"
    );
    clock.advance(Duration::from_secs(7200 - 301));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp1"
    );
    assert_eq!(source.calls(), 1);
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp2"
    );
    assert_eq!(source.calls(), 2);
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp2"
    );
    assert_eq!(source.calls(), 2);
}

#[test]
fn a_failed_refresh_keeps_the_valid_key_warns_and_waits_before_retrying() {
    let clock = ManualClock::new(T0);
    let cache = TemporaryCache::default();
    let source = Source::new(7200);
    get(&cache, &clock, &source).unwrap();
    clock.advance(Duration::from_secs(7200 - 200));
    source.fail.store(true, Ordering::SeqCst);
    let logs = captured_logs(|| {
        let kept = get(&cache, &clock, &source).unwrap();
        assert_eq!(kept.secret_id(), "AKIDtmp1");
        assert_eq!(kept.token().unwrap().expose(), "SENTINEL-TOKEN-1");
    });
    assert_eq!(source.calls(), 2);
    let warning = logs
        .iter()
        .find(|(level, _)| *level == log::Level::Warn)
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    assert!(warning.contains("test source"), "{logs:?}");
    assert!(warning.contains("200 s left"), "{warning}");
    assert!(warning.contains("STS is down"), "{warning}");
    assert!(!warning.contains("SENTINEL"), "{warning}");

    // Within 10 s of the failure the endpoint is not asked again.
    clock.advance(Duration::from_secs(9));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp1"
    );
    assert_eq!(source.calls(), 2);
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp1"
    );
    assert_eq!(source.calls(), 3);

    // The service recovers: the next due refresh replaces the key.
    source.fail.store(false, Ordering::SeqCst);
    clock.advance(Duration::from_secs(10));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp4"
    );
}

#[test]
fn after_expiry_a_failed_refresh_is_a_clear_error() {
    let clock = ManualClock::new(T0);
    let cache = TemporaryCache::default();
    let source = Source::new(600);
    get(&cache, &clock, &source).unwrap();
    source.fail.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_secs(600));
    let e = get(&cache, &clock, &source).unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), "test source");
    assert_eq!(
        e.detail(),
        format!("the temporary credentials expired at {} (Unix time) and could not be refreshed: STS is down", T0 + 600)
    );
    // An expired key is never handed out; the failure is reported again
    // without asking the failing source for 10 s.
    assert_eq!(get(&cache, &clock, &source).unwrap_err(), e);
    assert_eq!(source.calls(), 2);
    clock.advance(Duration::from_secs(10));
    assert!(get(&cache, &clock, &source).is_err());
    assert_eq!(source.calls(), 3);
}

#[test]
fn a_first_failure_is_returned_as_it_is() {
    let clock = ManualClock::new(T0);
    let cache = TemporaryCache::default();
    let e = cache
        .get(&clock, || {
            Err(CredentialsError::new(
                CredentialsErrorKind::NotConfigured,
                "CVM role",
                "no metadata service",
            ))
        })
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(e.detail(), "no metadata service");
}

#[test]
fn an_already_expired_answer_is_refused() {
    let clock = ManualClock::new(T0);
    let cache = TemporaryCache::default();
    let e = cache.get(&clock, || Ok(key(1, T0))).unwrap_err();
    assert!(e.detail().contains("clock"), "{e}");
}

/// 8 threads start together on a provider with nothing cached: exactly one
/// refresh; every thread gets its key.
#[test]
fn eight_threads_share_one_refresh() {
    let clock = Arc::new(ManualClock::new(T0));
    let cache = Arc::new(TemporaryCache::default());
    let source = Arc::new(Source::new(7200));
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (clock, cache, source, start) =
                (clock.clone(), cache.clone(), source.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                get(&cache, &clock, &source).map(|c| c.secret_id().to_owned())
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), "AKIDtmp1");
    }
    assert_eq!(source.calls(), 1);

    // Due for refresh: one thread refreshes, the others use the old key meanwhile.
    clock.advance(Duration::from_secs(7200 - 100));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (clock, cache, source, start) =
                (clock.clone(), cache.clone(), source.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                get(&cache, &clock, &source).map(|c| c.secret_id().to_owned())
            })
        })
        .collect();
    for t in threads {
        let id = t.join().unwrap().unwrap();
        assert!(id == "AKIDtmp1" || id == "AKIDtmp2", "{id}");
    }
    assert_eq!(source.calls(), 2);
}

/// 8 threads waiting on a refresh that fails share its error: still one request.
#[test]
fn eight_threads_share_one_failed_refresh() {
    let clock = Arc::new(ManualClock::new(T0));
    let cache = Arc::new(TemporaryCache::default());
    let source = Arc::new(Source::new(7200));
    source.fail.store(true, Ordering::SeqCst);
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (clock, cache, source, start) =
                (clock.clone(), cache.clone(), source.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                get(&cache, &clock, &source).map(|_| ())
            })
        })
        .collect();
    let mut errors = 0;
    for t in threads {
        errors += usize::from(t.join().unwrap().is_err());
    }
    assert_eq!(errors, 8);
    // Those that arrived during the refresh shared its failure; those after it
    // got the same failure without asking again.
    assert_eq!(source.calls(), 1);
}

/// Keys rotate while 8 threads read: every snapshot is one key with its own token.
///
/// The clock moves only between rounds (all readers stopped at a barrier), so
/// what happens is decided by the rules, not by the scheduler: each round a
/// refresh falls due (400 s keys, refreshed with 300 s left, 200 s a round),
/// exactly one reader runs it while the others go on with the current key or
/// share the new one, and no read fails.
#[test]
fn a_snapshot_never_mixes_two_keys() {
    const READERS: usize = 8;
    const ROUNDS: usize = 50;
    let clock = Arc::new(ManualClock::new(T0));
    let cache = Arc::new(TemporaryCache::default());
    let source = Arc::new(Source::new(400));
    // Twice a round: once to start reading, once when all have read.
    let round = Arc::new(Barrier::new(READERS + 1));
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (clock, cache, source, round) =
                (clock.clone(), cache.clone(), source.clone(), round.clone());
            std::thread::spawn(move || {
                let mut seen = std::collections::BTreeSet::new();
                for _ in 0..ROUNDS {
                    round.wait();
                    for _ in 0..10 {
                        let c = get(&cache, &clock, &source).unwrap();
                        let n = c.secret_id().trim_start_matches("AKIDtmp").to_owned();
                        assert_eq!(c.secret_key().expose(), format!("SENTINEL-KEY-{n}"));
                        assert_eq!(c.token().unwrap().expose(), format!("SENTINEL-TOKEN-{n}"));
                        seen.insert(n);
                    }
                    round.wait();
                }
                seen.len()
            })
        })
        .collect();
    for _ in 0..ROUNDS {
        round.wait();
        round.wait();
        clock.advance(Duration::from_secs(200));
    }
    let seen: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    assert!(seen.iter().sum::<usize>() >= 1);
    assert!(source.calls() >= 1);
    assert_eq!(source.calls(), ROUNDS, "one refresh a round, shared");
    // A reader sees at least the key of every other round: the one it started
    // the round with is at most one refresh old.
    assert!(seen.iter().all(|&n| n >= ROUNDS / 2), "{seen:?}");

    // A key that expires between its fetch and its use (the clock jumps past
    // it during the refresh) is reported, not used.
    let late = Source::new(400);
    let jumped = cache.get(&*clock, || {
        let fresh = late.refresh(&clock);
        clock.advance(Duration::from_secs(500));
        fresh
    });
    let e = jumped.unwrap_err();
    assert!(e.detail().contains("before they could be used"), "{e}");
}

#[test]
fn a_panicking_refresh_wakes_the_waiters() {
    let clock = Arc::new(ManualClock::new(T0));
    let cache = Arc::new(TemporaryCache::default());
    let panicked = {
        let (clock, cache) = (clock.clone(), cache.clone());
        std::thread::spawn(move || cache.get(&*clock, || panic!("refresh bug"))).join()
    };
    assert!(panicked.is_err());
    let source = Source::new(7200);
    // The failure is recorded (nobody waits forever on the dead refresh), and
    // the next attempt after the pause refreshes.
    let e = get(&cache, &clock, &source).unwrap_err();
    assert!(e.detail().contains("panicked"), "{e}");
    clock.advance(Duration::from_secs(10));
    assert_eq!(
        get(&cache, &clock, &source).unwrap().secret_id(),
        "AKIDtmp1"
    );
}
