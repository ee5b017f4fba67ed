//! Bulk terminate throughput: 3,000 IDs (30 TerminateInstances) through the
//! blocking client against the loopback emulator, which throttles more than
//! its documented rate per action and SecretId, as the service does.
//!
//! Three cases:
//!
//! * **blind, 300 ms**: no reads before sending (`preflight(false)`); every
//!   answer comes 300 ms late (a cross-region round trip). The floor is what
//!   the TerminateInstances limit allows: 30 requests at 10 per second leave in
//!   3 bursts, the last ⌈30/10⌉−1 = 2 s after the first, answered one round
//!   trip later: 2.3 s.
//! * **safe flow, 300 ms**: the default, reading every instance first; a batch
//!   goes as soon as its own read is back, so the floor is one round trip more:
//!   2.6 s.
//! * **safe flow, loopback**: the default against the emulator answering at
//!   once: the floor is the 2 s of the limit.
//!
//! Each prints the median wall time next to its floor, and how many answers
//! were `RequestLimitExceeded` (the target is none).
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
fn one_run(ids: &[String], round_trip: Duration, options: &TerminateOptions) -> (Duration, usize) {
    let credentials = Credentials::new("AKIDbulkBench", "bulk-bench-key");
    let emulator = Emulator::builder()
        .credential(credentials.clone())
        .instances(IDS)
        // The emulator's own per-action limits: TerminateInstances 10/s,
        // DescribeInstances 40/s, as documented.
        .build()
        .unwrap();
    let results = Arc::new(Mutex::new(Vec::new()));
    let sink = results.clone();
    let server = Server::new(emulator)
        .access_log(move |e| sink.lock().unwrap().push(e.result.clone()))
        .bind("127.0.0.1:0")
        .unwrap();
    if !round_trip.is_zero() {
        // Every request, reads included, answered one round trip late.
        for _ in 0..IDS.div_ceil(100) * 3 {
            server.inject(Fault::Delay(round_trip));
        }
    }
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(credentials)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let started = Instant::now();
    let report = client.terminate(ids, options).unwrap();
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
    let cases = [
        (
            "blind, 300 ms round trip",
            ROUND_TRIP,
            TerminateOptions::new().with_preflight(false),
            floor(),
        ),
        (
            "safe flow, 300 ms round trip",
            ROUND_TRIP,
            TerminateOptions::new(),
            floor() + ROUND_TRIP,
        ),
        (
            "safe flow, loopback",
            Duration::ZERO,
            TerminateOptions::new(),
            floor() - ROUND_TRIP,
        ),
    ];
    let mut group = c.benchmark_group("bulk");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(30));
    let mut summaries = Vec::new();
    for (name, round_trip, options, floor) in cases {
        let runs = Mutex::new(Vec::new());
        group.bench_function(format!("terminate 3000 IDs, 10 req/s, {name}"), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let (took, throttled) = one_run(&ids, round_trip, &options);
                    runs.lock().unwrap().push((took, throttled));
                    total += took;
                }
                total
            })
        });
        let mut runs = runs.into_inner().unwrap();
        runs.sort();
        let median = runs[runs.len() / 2].0;
        let throttled: usize = runs.iter().map(|r| r.1).sum();
        summaries.push(format!(
            "bulk ({name}): {} runs, median {:.3} s, floor {:.3} s, ratio {:.3}, fastest {:.3} s, slowest {:.3} s, throttled answers {throttled}",
            runs.len(),
            median.as_secs_f64(),
            floor.as_secs_f64(),
            median.as_secs_f64() / floor.as_secs_f64(),
            runs[0].0.as_secs_f64(),
            runs[runs.len() - 1].0.as_secs_f64(),
        ));
    }
    group.finish();
    for line in summaries {
        println!("{line}");
    }
}

criterion_group!(benches, bulk);
criterion_main!(benches);
