//! Signing and parsing costs, next to the floor the hash crates set.
//!
//! `cargo bench --bench signing`, then `python3 benches/ratios.py` for the table.
//! The same ratios measured interleaved, in one process: `cargo bench --bench interleaved`.
//! On a busy machine, `SIGNING_BENCH_CLOCK=thread-cpu cargo bench --bench signing`
//! measures the benchmark thread's CPU time instead of wall time (see `ThreadCpuTime`).
//!
//! * `floor/warm`: the least hashing a signature needs with a cached key and no other
//!   cache (see `common/mod.rs` for exactly what it includes and why), straight
//!   through `sha2`'s compression function: the floor the ratios are taken against.
//! * `floor/warm_api`: the same work through the streaming `Sha256`/`Hmac` APIs.
//! * `floor/cold`: the warm floor plus the key derivation (three HMACs, then keying).
//! * `signer/*`: the core, from `SigningParams` to the hex `Signature`.
//! * `request/*`: `ServiceConfig::terminate_instances`, body to signed `http::Request`.
//! * `response/*`: `parse_response` on a success and an error envelope.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{Floor, Setup, TIMESTAMP};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};
use tencentcloud_cvm_core::response::{parse_response, DEFAULT_MAX_BODY};
use tencentcloud_cvm_core::signing::{Signer, SigningKey, SigningParams};
use tencentcloud_cvm_core::TerminateInstances;

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    let setup = Setup::new();
    let (credentials, config, one, body) =
        (&setup.credentials, &setup.config, &setup.one, &setup.body);
    let hundred_ids: Vec<String> = (0..100).map(|i| format!("ins-{i:08x}")).collect();
    let hundred = TerminateInstances::new(&hundred_ids).expect("valid IDs");
    let params = config
        .signing_params(common::ACTION, body, TIMESTAMP)
        .expect("valid parameters");
    let mut floor = Floor::new(&setup);

    let signer = Signer::new();
    // The floors compute what the signer computes: same key, same bytes, same result.
    let expected = signer.signature(&params, credentials);
    assert_eq!(&floor.warm(body), expected.as_bytes());
    assert_eq!(&floor.warm_api(body), expected.as_bytes());
    assert_eq!(&floor.cold(body), expected.as_bytes());

    let mut g = c.benchmark_group("floor");
    g.bench_function("warm", |b| b.iter(|| floor.warm(black_box(body))));
    g.bench_function("warm_api", |b| b.iter(|| floor.warm_api(black_box(body))));
    g.bench_function("cold", |b| b.iter(|| floor.cold(black_box(body))));
    g.finish();

    let mut g = c.benchmark_group("signer");
    g.bench_function("signature_cached", |b| {
        b.iter(|| signer.signature(black_box(&params), credentials))
    });
    g.bench_function("signature_cold_fresh_signer", |b| {
        b.iter(|| Signer::new().signature(black_box(&params), credentials))
    });
    // The target's "cold key": the key is derived afresh (three HMACs), while the
    // canonical prefix of a request the signer has seen before stays cached.
    g.bench_function("signature_cold_key", |b| {
        b.iter(|| {
            let p: &SigningParams<'_> = black_box(&params);
            SigningKey::derive(credentials.secret_key(), p.date(), p.service())
                .sign(&signer.string_to_sign(p))
        })
    });
    g.bench_function("signature_cold_derive", |b| {
        b.iter(|| {
            let p: &SigningParams<'_> = black_box(&params);
            SigningKey::derive(credentials.secret_key(), p.date(), p.service())
                .sign(&p.string_to_sign())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("request");
    g.bench_function("terminate_1_cached", |b| {
        b.iter(|| {
            config
                .terminate_instances(black_box(one), TIMESTAMP, credentials, &signer)
                .expect("builds")
        })
    });
    g.bench_function("terminate_100_cached", |b| {
        b.iter(|| {
            config
                .terminate_instances(black_box(&hundred), TIMESTAMP, credentials, &signer)
                .expect("builds")
        })
    });
    g.finish();

    let success = br#"{"Response":{"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#.to_vec();
    let error = br#"{"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"The instance `ins-r8hr2upy` does not exist."},"RequestId":"b5b41468-520d-4192-b42f-595cc34b6c1c"}}"#.to_vec();
    let mut g = c.benchmark_group("response");
    for (name, body) in [("parse_success", success), ("parse_error", error)] {
        let response = http::Response::new(body);
        g.throughput(Throughput::Bytes(response.body().len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| parse_response(black_box(&response), DEFAULT_MAX_BODY))
        });
    }
    g.finish();
}

/// Thread CPU time instead of wall-clock time, chosen with `SIGNING_BENCH_CLOCK=thread-cpu`.
///
/// On a shared machine the benchmark thread is descheduled now and then, and wall
/// time charges those gaps to whatever benchmark was running; criterion's
/// benchmarks run one after another, so a load change between two of them skews
/// their ratio. The thread's CPU time leaves the gaps out. (The interleaved bench
/// solves the same problem by alternating the contenders instead.)
struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }
    fn end(&self, start: Self::Intermediate) -> Self::Value {
        start.elapsed()
    }
    fn add(&self, a: &Self::Value, b: &Self::Value) -> Self::Value {
        *a + *b
    }
    fn zero(&self) -> Self::Value {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Durations, shown as criterion shows wall time.
        static WALL_TIME: WallTime = WallTime;
        WALL_TIME.formatter()
    }
}

fn configured<M: Measurement>(c: Criterion<M>) -> Criterion<M> {
    c.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args()
}

fn main() {
    match std::env::var("SIGNING_BENCH_CLOCK").as_deref() {
        Ok("thread-cpu") => benches(&mut configured(
            Criterion::default().with_measurement(ThreadCpuTime),
        )),
        Ok("wall") | Err(_) => benches(&mut configured(Criterion::default())),
        Ok(other) => panic!("SIGNING_BENCH_CLOCK is `wall` or `thread-cpu`, not `{other}`"),
    }
    Criterion::default().configure_from_args().final_summary();
}
