//! How many heap allocations one signed 1-ID TerminateInstances request costs, with a
//! warm (cached-key) signer and an already-built `ServiceConfig`.
//!
//! A counting global allocator wraps the system one; it counts only while the flag of
//! the measuring thread is set, so the test harness's own allocations (other threads,
//! output capture) do not interfere. `cargo test --test alloc_count -- --nocapture`
//! prints the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateInstances};

/// The budget for one build and sign, and today's count: the body, the
/// Authorization value and the header map's two buffers. (The `X-TC-Timestamp`
/// value is shared from the signer's per-second cache; it was a fifth.)
const MAX_ALLOCATIONS: usize = 4;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    // `try_with`: the thread-local may be gone while a thread is being torn down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counting touches only an atomic and a const-initialised thread-local `Cell`, neither
// of which allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded as received.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (including reallocations) made by `f` on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    ALLOCATIONS.store(0, Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCATIONS.load(Ordering::SeqCst), out)
}

#[test]
fn one_signed_request_with_a_warm_signer() {
    let credentials = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "example-key");
    let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
    let request = TerminateInstances::new(["ins-r8hr2upy"]).unwrap();
    let signer = Signer::new();
    let timestamp = 1_700_000_000;

    // Warm up: caches the signing key, and lets the config's shared header values and
    // URI reach their steady state.
    let first = config
        .terminate_instances(&request, timestamp, &credentials, &signer)
        .unwrap();

    let (n, second) = allocations(|| {
        config
            .terminate_instances(&request, timestamp, &credentials, &signer)
            .unwrap()
    });
    println!("allocations for one 1-ID build+sign with a warm signer: {n}");
    assert_eq!(second.headers(), first.headers());
    assert_eq!(second.body(), first.body());
    assert!(
        n <= MAX_ALLOCATIONS,
        "{n} allocations, budget {MAX_ALLOCATIONS}"
    );

    // Temporary credentials add the token's header value, and nothing else.
    let with_token = credentials.clone().with_token("temporary-token");
    let _ = config
        .terminate_instances(&request, timestamp, &with_token, &signer)
        .unwrap();
    let (t, _) = allocations(|| {
        config
            .terminate_instances(&request, timestamp, &with_token, &signer)
            .unwrap()
    });
    println!("allocations for one 1-ID build+sign with a session token: {t}");
    assert!(t <= n + 1, "{t} allocations with a token, {n} without");

    // Another endpoint and region: the same count once warm (the shared URL, Host
    // and region values are reference-counted, not copied).
    let regional = ServiceConfig::builder("xx-unlisted-1")
        .endpoint(tencentcloud_cvm_core::Endpoint::Regional)
        .build()
        .unwrap();
    let _ = regional
        .terminate_instances(&request, timestamp, &credentials, &signer)
        .unwrap();
    let (r, _) = allocations(|| {
        regional
            .terminate_instances(&request, timestamp, &credentials, &signer)
            .unwrap()
    });
    println!("allocations for one 1-ID build+sign, regional endpoint, unlisted region: {r}");
    assert!(
        r <= MAX_ALLOCATIONS,
        "{r} allocations, budget {MAX_ALLOCATIONS}"
    );

    // For information: a cold signature with a fresh signer (fills both caches).
    let body = request.to_body();
    let params = config
        .signing_params("TerminateInstances", &body, timestamp)
        .unwrap();
    let (cold, _) = allocations(|| Signer::new().signature(&params, &credentials));
    println!("allocations for one signature with a fresh (cold) signer: {cold}");
    let (warm, _) = allocations(|| signer.signature(&params, &credentials));
    println!("allocations for one signature with a warm signer: {warm}");
    assert_eq!(warm, 0, "a cached-key signature allocates");

    // The counter sees allocations at all (guards against a silently broken counter).
    let (m, v) = allocations(|| vec![0u8; 64]);
    assert_eq!((m, v.len()), (1, 64));
}
