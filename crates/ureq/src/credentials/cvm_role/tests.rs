//! The CVM role provider against a scripted metadata service, on a fake clock.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::test_support::ManualClock;
use tencentcloud_cvm_core::{ConnectError, TransportError};

use super::*;
use crate::test_support::{answer, captured_logs, FakeHttp};
use tencentcloud_cvm_core::env::*;

const T0: u64 = 1_700_000_000;
const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// A metadata service with role `ops-role` issuing key N (valid `ttl` s) per
/// credentials request; `down` makes it answer 500.
struct Metadata {
    clock: Arc<ManualClock>,
    issued: AtomicUsize,
    ttl: u64,
    down: AtomicBool,
}

impl Metadata {
    fn new(ttl: u64) -> (Arc<Metadata>, Arc<FakeHttp>) {
        let m = Arc::new(Metadata {
            clock: Arc::new(ManualClock::new(T0)),
            issued: AtomicUsize::new(0),
            ttl,
            down: AtomicBool::new(false),
        });
        let service = Arc::clone(&m);
        let http = FakeHttp::new(move |request| Ok(service.answer(request.uri().path())));
        (m, http)
    }

    fn answer(&self, path: &str) -> http::Response<Vec<u8>> {
        if self.down.load(Ordering::SeqCst) {
            return answer(500, "internal error");
        }
        match path.strip_prefix(ROLE_PATH) {
            Some("") => answer(200, "ops-role"),
            Some("ops-role") => {
                let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
                let body = serde_json::json!({
                    "TmpSecretId": format!("AKIDtmp{n}"),
                    "TmpSecretKey": format!("SENTINEL-KEY-{n}"),
                    "Token": format!("SENTINEL-TOKEN-{n}"),
                    "ExpiredTime": self.clock.unix_time() + self.ttl,
                    "Expiration": "2023-11-15T00:13:20Z",
                    "Code": "Success",
                });
                answer(200, &body.to_string())
            }
            _ => answer(404, "not found"),
        }
    }
}

fn provider(endpoint: &str, m: &Metadata, http: &Arc<FakeHttp>) -> CvmRoleCredentials {
    CvmRoleCredentials::builder()
        .endpoint_url(endpoint)
        .transport(Arc::clone(http))
        .clock(Arc::clone(&m.clock))
        .build()
}

fn assert_clean(e: &CredentialsError) {
    let text = format!("{e} {e:?}");
    assert!(!text.contains("SENTINEL"), "{text}");
}

#[test]
fn discovers_the_role_once_and_caches_the_key() {
    let (m, http) = Metadata::new(7200);
    let p = provider("http://metadata.test-discover", &m, &http);
    let c = p.credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDtmp1");
    assert_eq!(c.secret_key().expose(), "SENTINEL-KEY-1");
    assert_eq!(c.token().unwrap().expose(), "SENTINEL-TOKEN-1");
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDtmp1");
    assert_eq!(
        http.paths(),
        [ROLE_PATH.to_owned(), format!("{ROLE_PATH}ops-role")]
    );
    assert!(!format!("{p:?}").contains("SENTINEL"), "{p:?}");
}

#[test]
fn refreshes_300_seconds_before_expiry() {
    let (m, http) = Metadata::new(7200);
    let p = provider("http://metadata.test-refresh", &m, &http);
    p.credentials().unwrap();
    m.clock.advance(Duration::from_secs(7200 - 301));
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDtmp1");
    assert_eq!(m.issued.load(Ordering::SeqCst), 1);
    m.clock.advance(Duration::from_secs(1));
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDtmp2");
    // The role name is not asked for again.
    assert_eq!(http.count(), 3);
}

#[test]
fn a_failed_refresh_keeps_the_valid_key_then_expiry_is_an_error() {
    let (m, http) = Metadata::new(7200);
    let p = provider("http://metadata.test-failure", &m, &http);
    p.credentials().unwrap();
    m.clock.advance(Duration::from_secs(7200 - 60));
    m.down.store(true, Ordering::SeqCst);
    let logs = captured_logs(|| {
        assert_eq!(p.credentials().unwrap().secret_id(), "AKIDtmp1");
    });
    assert!(
        logs.iter().any(|(level, text)| *level == log::Level::Warn
            && text.contains("CVM role")
            && text.contains("HTTP 500")
            && !text.contains("SENTINEL")),
        "{logs:?}"
    );
    // A 5xx is retried once: both attempts of the failed refresh were made.
    assert_eq!(http.count(), 4);
    m.clock.advance(Duration::from_secs(60));
    let e = p.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.detail().contains("expired at"), "{e}");
    assert_clean(&e);
}

#[test]
fn eight_threads_make_one_credentials_request() {
    let (m, http) = Metadata::new(7200);
    let p = Arc::new(provider("http://metadata.test-threads", &m, &http));
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
        assert_eq!(t.join().unwrap().unwrap(), "AKIDtmp1");
    }
    assert_eq!(m.issued.load(Ordering::SeqCst), 1);
    assert_eq!(http.count(), 2, "{:?}", http.paths());
}

#[test]
fn no_metadata_service_is_not_configured_and_remembered() {
    let http = FakeHttp::new(|_| {
        Err(TransportError::not_sent(ConnectError::new(
            "the connection was refused",
            "refused",
        )))
    });
    let clock = Arc::new(ManualClock::new(T0));
    let make = || {
        CvmRoleCredentials::builder()
            .endpoint_url("http://metadata.test-absent")
            .transport(Arc::clone(&http))
            .clock(Arc::clone(&clock))
            .build()
    };
    let e = make().credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(
        e.detail()
            .contains("no instance metadata service at http://metadata.test-absent"),
        "{e}"
    );
    assert_eq!(http.count(), 2, "one retry");
    // A new provider in the same process does not try again.
    let e = make().credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(e.detail().contains("earlier in this process"), "{e}");
    assert_eq!(http.count(), 2);
}

#[test]
fn a_service_that_never_answers_is_an_error_without_a_second_wait() {
    let http = FakeHttp::new(|_| {
        Err(
            TransportError::outcome_unknown("timed out after connecting")
                .with_source(ureq::Error::Timeout(ureq::Timeout::Global))
                .mark_timed_out(),
        )
    });
    let p = CvmRoleCredentials::builder()
        .endpoint_url("http://metadata.test-silent")
        .transport(Arc::clone(&http))
        .build();
    let e = p.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        "credentials from CVM role: the instance metadata service at http://metadata.test-silent \
         did not answer: timed out after connecting (1 attempt)"
    );
    assert_eq!(http.count(), 1);
}

#[test]
fn no_role_bound_is_not_configured() {
    let http = FakeHttp::new(|_| Ok(answer(404, "")));
    let p = CvmRoleCredentials::builder()
        .endpoint_url("http://metadata.test-norole")
        .transport(Arc::clone(&http))
        .build();
    let e = p.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(e.detail().contains("no CAM role is bound"), "{e}");
    assert_eq!(http.count(), 1);
}

#[test]
fn unusable_answers_are_invalid_and_name_the_field() {
    let cases = [
        (r#"{"Code":"Failed"}"#, "Code is `Failed`"),
        (
            r#"{"Code":"Success","TmpSecretId":"AKID","TmpSecretKey":"SENTINEL-K","Token":"SENTINEL\r\nT","ExpiredTime":1800000000}"#,
            "`Token` in the answer contains a control character",
        ),
        (r#"{"Code":"Success","TmpSecretId":"AKID"#, "not JSON"),
        ("ops-role", "not JSON"),
    ];
    for (i, (body, expected)) in cases.into_iter().enumerate() {
        let http = FakeHttp::new(move |_| Ok(answer(200, body)));
        let p = CvmRoleCredentials::builder()
            .endpoint_url(format!("http://metadata.test-bad{i}"))
            .role_name("ops-role")
            .transport(Arc::clone(&http))
            .build();
        let e = p.credentials().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
        assert!(e.detail().contains(expected), "{e}");
        assert!(e.detail().contains("role ops-role"), "{e}");
        assert_clean(&e);
        assert_eq!(http.paths(), [format!("{ROLE_PATH}ops-role")]);
    }
}

#[test]
fn bad_settings_are_reported_by_each_call() {
    let p = CvmRoleCredentials::builder()
        .lookup(EnvLookup::custom(|name| {
            (name == METADATA_ENDPOINT_VAR).then(|| "ftp://nope".to_owned())
        }))
        .build();
    let e = p.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.detail().starts_with(METADATA_ENDPOINT_VAR), "{e}");
    let e = CvmRoleCredentials::builder()
        .role_name("../x")
        .build()
        .credentials()
        .unwrap_err();
    assert!(e.detail().contains("role name"), "{e}");
}
