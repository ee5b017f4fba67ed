//! aws-sigv4's `sign()` against our 1-ID build + sign, interleaved (see
//! `benches/common/mod.rs`), with our floor alongside.
//!
//! The AWS request is the equivalent of ours: `POST https://cvm.tencentcloudapi.com/`
//! with the same 32-byte JSON body and the same three signed headers
//! (`content-type`, `host`, `x-tc-action`), SigV4 for service `cvm` in `ap-guangzhou`
//! at the same second. `sign()` returns the signing instructions (headers to add);
//! ours returns the whole signed `http::Request`. aws-sigv4 has no key cache, so it
//! derives its signing key (four HMACs) every time; that is how it is used.
//!
//! ```sh
//! cd benches/aws-sigv4 && taskset -c 1 cargo run --release [-- --rounds 31]
//! ```

#[path = "../../common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use common::{interleave, summary, Contender, Floor, Setup, TIMESTAMP};
use tencentcloud_cvm_core::signing::Signer;

fn arg<T: std::str::FromStr>(name: &str) -> Option<T> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn main() {
    let setup = Setup::new();
    let signer = Signer::new();
    let mut floor = Floor::new(&setup);

    let identity: Identity =
        AwsCredentials::new(common::SECRET_ID, common::SECRET_KEY, None, None, "bench").into();
    let time = UNIX_EPOCH + Duration::from_secs(TIMESTAMP);
    let aws_params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
        .identity(&identity)
        .region("ap-guangzhou")
        .name("cvm")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .expect("valid AWS signing parameters")
        .into();
    let headers = [
        ("content-type", "application/json"),
        ("host", "cvm.tencentcloudapi.com"),
        ("x-tc-action", "TerminateInstances"),
    ];
    let aws_sign = || {
        let request = SignableRequest::new(
            "POST",
            "https://cvm.tencentcloudapi.com/",
            black_box(headers).into_iter(),
            SignableBody::Bytes(black_box(&setup.body)),
        )
        .expect("signable request");
        sign(request, &aws_params).expect("signs")
    };
    // Both sign what they are given.
    let (instructions, signature) = aws_sign().into_parts();
    assert_eq!(signature.len(), 64);
    assert!(instructions
        .headers()
        .any(|(name, _)| name == "authorization"));

    let body = &setup.body;
    let mut contenders = vec![
        Contender::new("floor/warm", || floor.warm(black_box(body))),
        Contender::new("request/terminate_1_cached", || {
            setup
                .config
                .terminate_instances(
                    black_box(&setup.one),
                    TIMESTAMP,
                    &setup.credentials,
                    &signer,
                )
                .expect("builds")
        }),
        Contender::new("aws-sigv4/sign", aws_sign),
    ];
    let rounds = arg("--rounds").unwrap_or(31usize);
    let run = interleave(&mut contenders, rounds, 8, 1.0);

    println!("round | floor/warm | terminate_1 | aws-sigv4 sign | aws / terminate_1 | terminate_1 / floor");
    let aws_ratio = run.ratios("aws-sigv4/sign", "request/terminate_1_cached");
    let ours = run.ratios("request/terminate_1_cached", "floor/warm");
    for (r, t) in run.rounds.iter().enumerate() {
        println!(
            "{r:5} | {:7.1} | {:7.1} | {:7.1} | {:.2} | {:.3}",
            t[0], t[1], t[2], aws_ratio[r], ours[r]
        );
    }
    println!();
    println!("| | median | min | max |");
    println!("| --- | ---: | ---: | ---: |");
    for name in &run.names {
        let (m, lo, hi) = summary(&run.times(name));
        println!("| {name} (ns) | {m:.1} | {lo:.1} | {hi:.1} |");
    }
    let (m, lo, hi) = summary(&aws_ratio);
    println!("| aws-sigv4 sign / our 1-ID build + sign | {m:.2} | {lo:.2} | {hi:.2} |");
    let (m, lo, hi) = summary(&ours);
    println!("| our 1-ID build + sign / floor/warm | {m:.3} | {lo:.3} | {hi:.3} |");
}
