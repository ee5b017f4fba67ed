//! AssumeRole against a scripted STS, on a fake clock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::test_support::ManualClock;
use tencentcloud_cvm_core::signing::parse_authorization;

use super::*;
use crate::test_support::{answer, FakeHttp};

const T0: u64 = 1_700_000_000;
const ARN: &str = "qcs::cam::uin/100000000001:roleName/ops";

/// STS issuing key N valid for the requested DurationSeconds, or answering
/// `error` when set.
fn sts(clock: Arc<ManualClock>, error: Option<&'static str>) -> Arc<FakeHttp> {
    let issued = AtomicUsize::new(0);
    FakeHttp::new(move |request| {
        if let Some(code) = error {
            let body = serde_json::json!({"Response": {
                "Error": {"Code": code, "Message": "refused"}, "RequestId": "r-err"}});
            return Ok(answer(200, &body.to_string()));
        }
        let asked: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::json!({"Response": {
            "Credentials": {"TmpSecretId": format!("AKIDrole{n}"),
                "TmpSecretKey": format!("SENTINEL-KEY-{n}"), "Token": format!("SENTINEL-TOKEN-{n}")},
            "ExpiredTime": clock.unix_time() + asked["DurationSeconds"].as_u64().unwrap(),
            "Expiration": "-", "RequestId": format!("r-{n}")}});
        Ok(answer(200, &body.to_string()))
    })
}

fn provider(clock: &Arc<ManualClock>, http: &Arc<FakeHttp>) -> AssumeRoleCredentials {
    AssumeRoleCredentials::builder(Credentials::new("AKIDbase", "SENTINEL-BASE"), ARN)
        .role_session_name("test-session")
        .duration_seconds(3600)
        .sts(|s| {
            s.endpoint_url("http://sts.test")
                .transport(Arc::clone(http))
        })
        .clock(Arc::clone(clock))
        .build()
        .unwrap()
}

#[test]
fn signs_with_the_base_key_and_refreshes_300_seconds_before_expiry() {
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock), None);
    let p = provider(&clock, &http);
    assert_eq!(http.count(), 0, "building sends nothing");
    let c = p.credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDrole1");
    assert_eq!(c.token().unwrap().expose(), "SENTINEL-TOKEN-1");
    let h = http.headers(0);
    assert_eq!(h["host"], "sts.test");
    assert_eq!(h["x-tc-action"], "AssumeRole");
    assert_eq!(h["x-tc-region"], "ap-guangzhou");
    let auth = parse_authorization(h["authorization"].to_str().unwrap())
        .map(|a| (a.secret_id.to_owned(), a.service.to_owned()));
    assert_eq!(auth.unwrap(), ("AKIDbase".to_owned(), "sts".to_owned()));

    clock.advance(Duration::from_secs(3600 - 301));
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDrole1");
    assert_eq!(http.count(), 1);
    clock.advance(Duration::from_secs(1));
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDrole2");
    assert_eq!(http.count(), 2);
    assert!(!format!("{p:?}").contains("SENTINEL"), "{p:?}");
}

#[test]
fn eight_threads_make_one_assume_role_request() {
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock), None);
    let p = Arc::new(provider(&clock, &http));
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (p, start) = (Arc::clone(&p), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                p.credentials().map(|c| c.secret_id().to_owned())
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), "AKIDrole1");
    }
    assert_eq!(http.count(), 1);
}

#[test]
fn an_sts_error_is_invalid_and_names_the_code() {
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock), Some("ResourceNotFound.RoleNotExist"));
    let e = provider(&clock, &http).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), "STS AssumeRole");
    assert!(e.detail().contains("ResourceNotFound.RoleNotExist"), "{e}");
    assert!(!e.to_string().contains("SENTINEL"), "{e}");
    // A service error is an answer: no retry.
    assert_eq!(http.count(), 1);
}

#[test]
fn a_base_failure_is_reported_without_calling_sts() {
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock), None);
    let base = crate::EnvironmentCredentials::with_lookup(|_| None);
    let e = AssumeRoleCredentials::builder(base, ARN)
        .sts(|s| s.transport(Arc::clone(&http)))
        .clock(Arc::clone(&clock))
        .build()
        .unwrap()
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.detail()
            .starts_with(&format!("no base credentials to assume {ARN} with")),
        "{e}"
    );
    assert_eq!(http.count(), 0);
}

#[test]
fn bad_settings_fail_the_build() {
    let base = || Credentials::new("AKIDbase", "k");
    let e = AssumeRoleCredentials::builder(base(), ARN)
        .role_session_name("x")
        .build()
        .unwrap_err();
    assert!(e.detail().contains("RoleSessionName"), "{e}");
    let e = AssumeRoleCredentials::builder(base(), ARN)
        .duration_seconds(43_201)
        .build()
        .unwrap_err();
    assert!(e.detail().contains("DurationSeconds"), "{e}");
    let e = AssumeRoleCredentials::builder(base(), ARN)
        .sts(|s| s.endpoint_url("ftp://x"))
        .build()
        .unwrap_err();
    assert!(e.detail().contains("endpoint"), "{e}");
    let e = AssumeRoleCredentials::builder(base(), ARN)
        .lookup(EnvLookup::custom(|n| {
            (n == "TENCENTCLOUD_STS_ENDPOINT").then(|| "http://a b".into())
        }))
        .build()
        .unwrap_err();
    assert!(e.detail().starts_with("TENCENTCLOUD_STS_ENDPOINT"), "{e}");
    let e = AssumeRoleCredentials::builder(base(), ARN)
        .sts(|s| s.region("Bad Region"))
        .build()
        .unwrap_err();
    assert!(e.detail().contains("region"), "{e}");
}
