//! Bulk terminate throughput: 3,000 IDs (30 requests) through the blocking
//! client against the loopback emulator, which answers every request 300 ms
//! late (a cross-region round trip) and throttles more than 10 requests per
//! second per SecretId, as the service does.
//!
//! The floor is what the API's limit allows: 30 requests at 10 per second
//! leave in 3 bursts, the last one ⌈30/10⌉−1 = 2 seconds after the first,
//! and its answers come one round trip later: 2 s + 300 ms. The bench
//! prints the median wall time next to that floor, and how many answers were
//! `RequestLimitExceeded` (the target is none).
//!
//! ```text
//! cargo bench --bench bulk
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_cvm::{Client, Credentials, ProxyConfig, TerminateOptions};
use tencentcloud_cvm_emulator::{Emulator, Fault, Server};

const IDS: usize = 3000;
const ROUND_TRIP: Duration = Duration::from_millis(300);
const LIMIT_PER_SECOND: usize = 10;

fn floor() -> Duration {
    let requests = IDS.div_ceil(100);
    let windows = requests.div_ceil(LIMIT_PER_SECOND) - 1;
    Duration::from_secs(windows as u64) + ROUND_TRIP
}

/// One run on a fresh emulator; returns its wall time and the throttled answers.
fn one_run(ids: &[String]) -> (Duration, usize) {
    let credentials = Credentials::new("AKIDbulkBench", "bulk-bench-key");
    let emulator = Emulator::builder()
        .credential(credentials.clone())
        .instances(IDS)
        .rate_limit(LIMIT_PER_SECOND as u32)
        .build()
        .unwrap();
    let results = Arc::new(Mutex::new(Vec::new()));
    let sink = results.clone();
    let server = Server::new(emulator)
        .access_log(move |e| sink.lock().unwrap().push(e.result.clone()))
        .bind("127.0.0.1:0")
        .unwrap();
    for _ in 0..IDS.div_ceil(100) * 2 {
        server.inject(Fault::Delay(ROUND_TRIP));
    }
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(credentials)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let started = Instant::now();
    let report = client.terminate(ids, &TerminateOptions::new()).unwrap();
    let took = started.elapsed();
    assert!(report.all_terminated(), "{report}");
    let throttled = results
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.starts_with("RequestLimitExceeded"))
        .count();
    (took, throttled)
}

fn bulk(c: &mut Criterion) {
    let ids: Vec<String> = (0..IDS).map(|i| format!("ins-{i:08}")).collect();
    let runs = Mutex::new(Vec::new());
    let mut group = c.benchmark_group("bulk");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(30));
    group.bench_function("terminate 3000 IDs, 300 ms round trip, 10 req/s", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (took, throttled) = one_run(&ids);
                runs.lock().unwrap().push((took, throttled));
                total += took;
            }
            total
        })
    });
    group.finish();

    let mut runs = runs.into_inner().unwrap();
    runs.sort();
    let median = runs[runs.len() / 2].0;
    let throttled: usize = runs.iter().map(|r| r.1).sum();
    println!(
        "bulk: {} runs, median {:.3} s, floor {:.3} s, ratio {:.3}, fastest {:.3} s, slowest {:.3} s, throttled answers {throttled}",
        runs.len(),
        median.as_secs_f64(),
        floor().as_secs_f64(),
        median.as_secs_f64() / floor().as_secs_f64(),
        runs[0].0.as_secs_f64(),
        runs[runs.len() - 1].0.as_secs_f64(),
    );
}

criterion_group!(benches, bulk);
criterion_main!(benches);
