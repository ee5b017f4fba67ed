//! TKE OIDC against a scripted STS: the token file is read on every refresh.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::test_support::ManualClock;

use super::*;
use crate::test_support::{answer, FakeHttp, TempDir};
use tencentcloud_cvm_core::env::TKE_REGION_VAR;

const T0: u64 = 1_700_000_000;

fn sts(clock: Arc<ManualClock>) -> Arc<FakeHttp> {
    let issued = AtomicUsize::new(0);
    FakeHttp::new(move |_| {
        let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::json!({"Response": {
            "Credentials": {"TmpSecretId": format!("AKIDpod{n}"),
                "TmpSecretKey": format!("SENTINEL-KEY-{n}"), "Token": format!("SENTINEL-TOKEN-{n}")},
            "ExpiredTime": clock.unix_time() + 7200, "Expiration": "-", "RequestId": format!("r-{n}")}});
        Ok(answer(200, &body.to_string()))
    })
}

fn provider(
    dir: &TempDir,
    clock: &Arc<ManualClock>,
    http: &Arc<FakeHttp>,
) -> WebIdentityCredentials {
    WebIdentityCredentials::builder(
        "ap-shanghai",
        "tke-provider",
        dir.path().join("token"),
        "qcs::cam::uin/1:roleName/pod",
    )
    .sts(|s| {
        s.endpoint_url("http://sts.test")
            .transport(Arc::clone(http))
    })
    .clock(Arc::clone(clock))
    .build()
    .unwrap()
}

fn sent_token(http: &FakeHttp, i: usize) -> String {
    let body: serde_json::Value = serde_json::from_str(&http.bodies()[i]).unwrap();
    body["WebIdentityToken"].as_str().unwrap().to_owned()
}

#[test]
fn the_token_file_is_read_again_on_every_refresh() {
    let dir = TempDir::new("tke-rotate");
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock));
    dir.write("token", "SENTINEL-OIDC-A\n");
    let p = provider(&dir, &clock, &http);
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDpod1");
    assert_eq!(sent_token(&http, 0), "SENTINEL-OIDC-A");
    let h = http.headers(0);
    assert_eq!(h["authorization"], "SKIP");
    assert!(h.get("x-tc-token").is_none());
    let body: serde_json::Value = serde_json::from_str(&http.bodies()[0]).unwrap();
    assert_eq!(body["RoleSessionName"], format!("tencentcloud-cvm-{T0}"));

    // TKE rotates the token; the next refresh sends the new one.
    dir.write("token", "SENTINEL-OIDC-B");
    clock.advance(Duration::from_secs(7200 - 300));
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDpod2");
    assert_eq!(sent_token(&http, 1), "SENTINEL-OIDC-B");
    assert!(!format!("{p:?}").contains("SENTINEL"), "{p:?}");
}

#[test]
fn an_unreadable_token_file_is_an_error_naming_it() {
    let dir = TempDir::new("tke-missing");
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock));
    let p = provider(&dir, &clock, &http);
    let e = p.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), "TKE OIDC");
    assert!(
        e.detail().contains("token") && e.detail().contains("does not exist"),
        "{e}"
    );

    dir.write("token", "  \n");
    clock.advance(Duration::from_secs(10));
    let e = p.credentials().unwrap_err();
    assert!(
        e.detail().starts_with("invalid WebIdentityToken: is empty"),
        "{e}"
    );
    assert_eq!(http.count(), 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_token_file_is_refused_without_blocking() {
    let dir = TempDir::new("tke-fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("token"))
        .status();
    assert!(made.is_ok_and(|s| s.success()));
    let clock = Arc::new(ManualClock::new(T0));
    let http = sts(Arc::clone(&clock));
    let e = provider(&dir, &clock, &http).credentials().unwrap_err();
    assert!(
        e.detail()
            .contains("is a FIFO (named pipe), not a regular file"),
        "{e}"
    );
}

#[test]
fn partial_variables_name_what_is_missing() {
    let lookup = EnvLookup::custom(|n| (n == TKE_REGION_VAR).then(|| "ap-guangzhou".into()));
    let e = TkeVariables::read(&|n| lookup.get(n)).err().unwrap();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.detail()
            .starts_with("TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"),
        "{e}"
    );
    assert!(TkeVariables::read(&|n| EnvLookup::custom(|_| None).get(n))
        .unwrap()
        .is_none());
}
