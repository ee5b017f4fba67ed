//! Signing and parsing costs, next to the floor the hash crates set.
//!
//! `cargo bench --bench signing`, then `python3 benches/ratios.py` for the table.
//!
//! * `floor/warm`: the three hash operations a signature cannot avoid with a cached key
//!   (SHA-256 of the body, SHA-256 of the canonical request text, HMAC of the string to
//!   sign with a pre-keyed state), on the exact bytes of a 1-ID TerminateInstances
//!   request, with the same `sha2`/`hmac` crates the core uses.
//! * `floor/cold`: the same plus the key derivation (three HMACs, then keying the state).
//! * `signer/*`: the core, from `SigningParams` to the hex `Signature`.
//! * `request/*`: `ServiceConfig::terminate_instances`, body to signed `http::Request`.
//! * `response/*`: `parse_response` on a success and an error envelope.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use tencentcloud_cvm_core::response::{parse_response, DEFAULT_MAX_BODY};
use tencentcloud_cvm_core::signing::{Signer, SigningKey, SigningParams};
use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateInstances};

type HmacSha256 = Hmac<Sha256>;

const TIMESTAMP: u64 = 1_700_000_000;
const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The key derivation of TC3-HMAC-SHA256, as the floor computes it.
fn derive(secret: &str, date: &str) -> HmacSha256 {
    let mut k = Vec::with_capacity(3 + secret.len());
    k.extend_from_slice(b"TC3");
    k.extend_from_slice(secret.as_bytes());
    let k_date = hmac(&k, date.as_bytes());
    let k_service = hmac(&k_date, b"cvm");
    let k_signing = hmac(&k_service, b"tc3_request");
    <HmacSha256 as KeyInit>::new_from_slice(&k_signing).expect("any key length")
}

/// One signature's unavoidable hashing with a pre-keyed HMAC state.
fn warm_floor(keyed: &HmacSha256, body: &[u8], canonical: &[u8], to_sign: &[u8]) -> [u8; 32] {
    let body_hash = Sha256::digest(black_box(body));
    let canonical_hash = Sha256::digest(black_box(canonical));
    let mut mac = keyed.clone();
    mac.update(black_box(to_sign));
    black_box((body_hash, canonical_hash));
    mac.finalize().into_bytes().into()
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
    let config = ServiceConfig::builder("ap-guangzhou")
        .build()
        .expect("valid region");
    let one = TerminateInstances::new(["ins-r8hr2upy"]).expect("valid ID");
    let hundred_ids: Vec<String> = (0..100).map(|i| format!("ins-{i:08x}")).collect();
    let hundred = TerminateInstances::new(&hundred_ids).expect("valid IDs");

    // The exact bytes a 1-ID request hashes.
    let body = one.to_body();
    let params = config
        .signing_params("TerminateInstances", &body, TIMESTAMP)
        .expect("valid parameters");
    let canonical = params.canonical_request().to_string();
    let to_sign = params.string_to_sign().to_string();
    let date = params.date();
    let keyed = derive(SECRET_KEY, date.as_str());

    let signer = Signer::new();
    let expected = signer.signature(&params, &credentials);
    {
        // The floor hashes what the signer signs: same key, same bytes, same result.
        let mac = warm_floor(&keyed, &body, canonical.as_bytes(), to_sign.as_bytes());
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected.as_str());
    }

    let mut g = c.benchmark_group("floor");
    g.bench_function("warm", |b| {
        b.iter(|| warm_floor(&keyed, &body, canonical.as_bytes(), to_sign.as_bytes()))
    });
    g.bench_function("cold", |b| {
        b.iter(|| {
            let keyed = derive(black_box(SECRET_KEY), black_box(date.as_str()));
            warm_floor(&keyed, &body, canonical.as_bytes(), to_sign.as_bytes())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("signer");
    g.bench_function("signature_cached", |b| {
        b.iter(|| signer.signature(black_box(&params), &credentials))
    });
    g.bench_function("signature_cold_fresh_signer", |b| {
        b.iter(|| Signer::new().signature(black_box(&params), &credentials))
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
                .terminate_instances(black_box(&one), TIMESTAMP, &credentials, &signer)
                .expect("builds")
        })
    });
    g.bench_function("terminate_100_cached", |b| {
        b.iter(|| {
            config
                .terminate_instances(black_box(&hundred), TIMESTAMP, &credentials, &signer)
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

criterion_group! {
    name = signing;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(signing);
