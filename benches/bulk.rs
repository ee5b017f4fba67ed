//! Bulk terminate throughput through the blocking client against the loopback
//! emulator, which throttles per action, endpoint (`Host`) and SecretId over a
//! sliding second counted at arrival, as the service does. Every case is reported
//! as its median wall time over its floor, with the throttled answers
//! (`RequestLimitExceeded*`, reads included) summed over its runs, all in one run of
//! the bench.
//!
//! | case | what | floor |
//! | --- | --- | --- |
//! | blind, 300 ms | 3,000 IDs without reads; every answer 300 ms late | 30 requests, 10 per window: the last ⌈30/10⌉−1 = 2 s after the first, answered 300 ms later: 2.3 s |
//! | safe flow, 300 ms | the default (a read before each batch), answers 300 ms late | one round trip more: 2.6 s |
//! | safe flow, loopback | the default, answered at once | 2 s |
//! | 3/s enforced | 3,000 IDs; the emulator allows 3 TerminateInstances a second, the client believes 10 | 30 requests, 3 a second: 9 s |
//! | 1/s enforced | 1,000 IDs at 1 a second | 10 requests: 9 s |
//! | 150 ms jitter | 3,000 IDs at 10/s; each request counts as arriving up to 150 ms late | 2 s |
//! | pacing vs bursts | the 150 ms jitter case with the requests of a window spread evenly, interleaved run for run with the default bursts (same jitter seed) | 2 s |
//! | 3 regions, own endpoints | 3 × 3,000 IDs, each region on a listener of its own (the emulator counts per `Host`), each enforcing 10/s, run side by side | 30 requests per endpoint: 2 s |
//! | 3 regions, one endpoint | 3 × 1,000 IDs through one listener: one budget for all | 30 requests through one bucket: 2 s |
//!
//! ```text
//! taskset -c 1 cargo bench --bench bulk
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use tencentcloud_cvm::sans_io::Spacing;
use tencentcloud_cvm::selection::Regions;
use tencentcloud_cvm::{
    CancelToken, Client, Credentials, ProxyConfig, RateLimits, TerminateOptions,
};
use tencentcloud_cvm_emulator::{Emulator, Fault, InstanceView, Server};

/// The regions of the multi-region cases, and the prefix of their instance IDs.
const REGIONS: [(&str, &str); 3] = [
    ("ap-guangzhou", "gz"),
    ("ap-shanghai", "sh"),
    ("ap-beijing", "bj"),
];

const ROUND_TRIP: Duration = Duration::from_millis(300);

/// One bench case: how many IDs, what the emulator enforces, how the client paces.
#[derive(Clone)]
struct Case {
    name: &'static str,
    ids: usize,
    /// TerminateInstances per second the emulator allows (DescribeInstances: 40).
    limit: u32,
    jitter: Duration,
    round_trip: Duration,
    options: TerminateOptions,
    spacing: Spacing,
    /// How many regions (1: IDs without a placement, in the client's region).
    regions: usize,
    /// Several regions through one listener rather than one each.
    shared_endpoint: bool,
}

impl Case {
    fn new(name: &'static str, ids: usize, limit: u32) -> Case {
        Case {
            name,
            ids,
            limit,
            jitter: Duration::ZERO,
            round_trip: Duration::ZERO,
            options: TerminateOptions::new(),
            spacing: Spacing::Bursts,
            regions: 1,
            shared_endpoint: false,
        }
    }

    /// What the enforced limit allows: the last of ⌈IDs/100⌉ requests goes
    /// ⌈requests/limit⌉ − 1 seconds after the first, answered one round trip
    /// later (two with the reads).
    fn floor(&self) -> Duration {
        let per_bucket = if self.shared_endpoint {
            self.regions
        } else {
            1
        };
        let requests = self.ids.div_ceil(100) * per_bucket;
        let windows = requests.div_ceil(self.limit as usize) - 1;
        let trips = if self.options.preflight() { 2 } else { 1 };
        Duration::from_secs(windows as u64) + self.round_trip * trips
    }
}

/// One run on a fresh emulator; its wall time and its throttled answers.
fn one_run(case: &Case, seed: u64) -> (Duration, usize) {
    let credentials = Credentials::new("AKIDbulkBench", "bulk-bench-key");
    let mut emulator = Emulator::builder()
        .credential(credentials.clone())
        .action_rate_limit("TerminateInstances", case.limit)
        .arrival_jitter(case.jitter)
        .arrival_jitter_seed(seed);
    let mut ids: Vec<(String, Vec<String>)> = Vec::new();
    if case.regions == 1 {
        emulator = emulator.instances(case.ids);
        let list = (0..case.ids).map(|i| format!("ins-{i:08}")).collect();
        ids.push((REGIONS[0].0.to_owned(), list));
    } else {
        // Each region's instances placed in it: visible there only, as the
        // service shows them, so each must be terminated in its own region.
        for (region, prefix) in &REGIONS[..case.regions] {
            let list: Vec<String> = (0..case.ids)
                .map(|i| format!("ins-{prefix}{i:06}"))
                .collect();
            for id in &list {
                let view = InstanceView::new(id.as_str()).with_zone(format!("{region}-3"));
                emulator = emulator.instance(view);
            }
            ids.push(((*region).to_owned(), list));
        }
    }
    let results = Arc::new(Mutex::new(Vec::new()));
    let sink = results.clone();
    let listeners = if case.shared_endpoint {
        1
    } else {
        case.regions
    };
    let server = Server::new(emulator.build().unwrap())
        .access_log(move |e| sink.lock().unwrap().push(e.result.clone()))
        .bind_all(vec!["127.0.0.1:0"; listeners])
        .unwrap();
    if !case.round_trip.is_zero() {
        // Every request, reads included, answered one round trip late.
        for _ in 0..case.ids.div_ceil(100) * 3 * case.regions {
            server.inject(Fault::Delay(case.round_trip));
        }
    }
    let client = Client::builder()
        .region(REGIONS[0].0)
        .endpoint_url(server.url())
        .credentials(credentials)
        .http(|h| h.proxy(ProxyConfig::None))
        .rate_limits(RateLimits::new().with_spacing(case.spacing))
        .build()
        .unwrap();
    let urls = server.urls();
    let regions = Regions::new(REGIONS[..case.regions].iter().enumerate().map(
        |(i, (region, _))| {
            client
                .for_region(region, Some(urls[i % urls.len()].as_str()))
                .unwrap()
        },
    ));
    let started = Instant::now();
    let reports = if case.regions == 1 {
        vec![(
            String::new(),
            client.terminate(&ids[0].1, &case.options).unwrap(),
        )]
    } else {
        regions
            .terminate_ids(&ids, &case.options, &CancelToken::new(), |_, _| {})
            .unwrap()
    };
    let took = started.elapsed();
    for (region, report) in &reports {
        assert!(report.all_terminated(), "{} {region}: {report}", case.name);
    }
    assert_eq!(reports.len(), case.regions);
    assert!(server.with_state(|e| e.terminated_more_than_once().is_empty()));
    let throttled = results
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.starts_with("RequestLimitExceeded"))
        .count();
    (took, throttled)
}

/// The runs of one case: wall times and throttled answers.
#[derive(Default)]
struct Runs(Vec<(Duration, usize)>);

impl Runs {
    fn median(&self) -> Duration {
        let mut times: Vec<Duration> = self.0.iter().map(|r| r.0).collect();
        times.sort();
        times[times.len() / 2]
    }

    fn summary(&self, name: &str, floor: Duration) -> String {
        if self.0.is_empty() {
            return format!("bulk ({name}): not run");
        }
        let median = self.median();
        let (fastest, slowest) = (
            self.0.iter().map(|r| r.0).min().unwrap(),
            self.0.iter().map(|r| r.0).max().unwrap(),
        );
        let throttled: usize = self.0.iter().map(|r| r.1).sum();
        format!(
            "bulk ({name}): {} runs, median {:.3} s, floor {:.3} s, ratio {:.3}, fastest {:.3} s, slowest {:.3} s, throttled answers {throttled} (most in one run {})",
            self.0.len(),
            median.as_secs_f64(),
            floor.as_secs_f64(),
            median.as_secs_f64() / floor.as_secs_f64(),
            fastest.as_secs_f64(),
            slowest.as_secs_f64(),
            self.0.iter().map(|r| r.1).max().unwrap_or(0),
        )
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn bulk(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk");
    // One run per sample, ten samples: the slow cases take 10 s a run.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(1));
    let mut summaries = vec![format!("load average before: {}", load_average())];

    let blind = TerminateOptions::new().with_preflight(false);
    let jitter = Case {
        jitter: Duration::from_millis(150),
        ..Case::new("10/s, 150 ms arrival jitter", 3000, 10)
    };
    let cases = [
        Case {
            round_trip: ROUND_TRIP,
            options: blind,
            ..Case::new("blind, 300 ms round trip", 3000, 10)
        },
        Case {
            round_trip: ROUND_TRIP,
            ..Case::new("safe flow, 300 ms round trip", 3000, 10)
        },
        Case::new("safe flow, loopback", 3000, 10),
        Case::new("3/s enforced", 3000, 3),
        Case::new("1/s enforced, 1,000 IDs", 1000, 1),
        jitter.clone(),
        Case {
            regions: 3,
            ..Case::new("3 regions × 3,000 IDs, own endpoints", 3000, 10)
        },
        Case {
            regions: 3,
            shared_endpoint: true,
            ..Case::new("3 regions × 1,000 IDs, one endpoint", 1000, 10)
        },
    ];
    for case in &cases {
        let runs = Mutex::new(Runs::default());
        let seed = Mutex::new(0u64);
        group.bench_function(case.name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let mut seed = seed.lock().unwrap();
                    *seed += 1;
                    let run = one_run(case, *seed);
                    runs.lock().unwrap().0.push(run);
                    total += run.0;
                }
                total
            })
        });
        summaries.push(runs.into_inner().unwrap().summary(case.name, case.floor()));
    }

    // Pacing against bursts: the same jitter seed for both in each round, run
    // one after the other, so load moves both alike.
    let even = Case {
        name: "10/s, 150 ms arrival jitter, evenly spaced",
        spacing: Spacing::Even,
        ..jitter.clone()
    };
    let (bursts_runs, even_runs) = (Mutex::new(Runs::default()), Mutex::new(Runs::default()));
    let ratios = Mutex::new(Vec::new());
    let seed = Mutex::new(1000u64);
    group.bench_function("pacing vs bursts, 150 ms jitter", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let mut seed = seed.lock().unwrap();
                *seed += 1;
                let burst = one_run(&jitter, *seed);
                let paced = one_run(&even, *seed);
                bursts_runs.lock().unwrap().0.push(burst);
                even_runs.lock().unwrap().0.push(paced);
                ratios
                    .lock()
                    .unwrap()
                    .push(paced.0.as_secs_f64() / burst.0.as_secs_f64());
                total += burst.0;
            }
            total
        })
    });
    let mut ratios = ratios.into_inner().unwrap();
    ratios.sort_by(f64::total_cmp);
    if ratios.is_empty() {
        ratios.push(f64::NAN);
    }
    summaries.push(
        bursts_runs
            .into_inner()
            .unwrap()
            .summary("pacing vs bursts: bursts", jitter.floor()),
    );
    summaries.push(
        even_runs
            .into_inner()
            .unwrap()
            .summary("pacing vs bursts: evenly spaced", even.floor()),
    );
    summaries.push(format!(
        "bulk (pacing vs bursts): evenly spaced / bursts, run for run: median {:.3}, min {:.3}, max {:.3}",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    ));
    group.finish();
    summaries.push(format!("load average after: {}", load_average()));
    for line in summaries {
        println!("{line}");
    }
}

criterion_group!(benches, bulk);
criterion_main!(benches);
