//! The default chain's order and errors, with scripted metadata and STS services.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::test_support::ManualClock;
use tencentcloud_cvm_core::signing::parse_authorization;
use tencentcloud_cvm_core::{ConnectError, CredentialsErrorKind, TransportError};

use super::*;
use crate::credentials::vars;
use crate::test_support::{answer, FakeHttp, TempDir};
use tencentcloud_cvm_core::env::{
    ROLE_ARN_VAR, ROLE_SESSION_NAME_VAR, SECRET_ID_VAR, SECRET_KEY_VAR,
};

const T0: u64 = 1_700_000_000;

/// STS answering AssumeRole and AssumeRoleWithWebIdentity with key N; no
/// metadata service (connections refused).
fn services() -> Arc<FakeHttp> {
    let issued = Arc::new(AtomicUsize::new(0));
    FakeHttp::new(move |request| {
        if request.uri().path().starts_with("/latest/meta-data/") {
            return Err(TransportError::not_sent(ConnectError::new(
                "refused", "refused",
            )));
        }
        let action = request.headers()["x-tc-action"].to_str().unwrap_or("");
        let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::json!({"Response": {
            "Credentials": {
                "TmpSecretId": format!("AKID{action}{n}"),
                "TmpSecretKey": format!("SENTINEL-KEY-{n}"),
                "Token": format!("SENTINEL-TOKEN-{n}"),
            },
            "ExpiredTime": T0 + 7200,
            "Expiration": "2023-11-15T00:13:20Z",
            "RequestId": format!("r-{n}"),
        }});
        Ok(answer(200, &body.to_string()))
    })
}

struct Setup {
    dir: TempDir,
    http: Arc<FakeHttp>,
}

impl Setup {
    fn new(tag: &str) -> Self {
        Setup {
            dir: TempDir::new(tag),
            http: services(),
        }
    }

    fn home(&self) -> String {
        self.dir.path().join("home").display().to_string()
    }

    /// A chain over `pairs` (plus HOME and a metadata endpoint of its own), a
    /// system file inside the temp dir and the scripted services.
    fn chain(&self, pairs: &[(&str, &str)]) -> DefaultCredentialsChain {
        let home = self.home();
        let metadata = metadata_url(self);
        let mut all: Vec<(&str, &str)> = vec![("HOME", &home), (METADATA_ENDPOINT_VAR, &metadata)];
        all.extend_from_slice(pairs);
        let lookup = vars(&all);
        DefaultCredentialsChain::builder()
            .lookup(lookup)
            .system_credentials_file(self.dir.path().join("etc/credentials"))
            .transport(Arc::clone(&self.http))
            .clock(ManualClock::new(T0))
            .build()
    }
}

/// A metadata host of the test's own, so "not on a CVM" is remembered per test.
fn metadata_url(setup: &Setup) -> String {
    let name = setup
        .dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_lowercase();
    format!("http://metadata.{name}")
}

#[test]
fn environment_wins_over_the_file() {
    let s = Setup::new("chain-env");
    s.dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKIDfile\nsecret_key=k\n",
    );
    let both = [(SECRET_ID_VAR, "AKIDenv"), (SECRET_KEY_VAR, "k")];
    assert_eq!(s.chain(&both).credentials().unwrap().secret_id(), "AKIDenv");
    assert_eq!(s.chain(&[]).credentials().unwrap().secret_id(), "AKIDfile");
    assert_eq!(s.http.count(), 0);
}

#[test]
fn an_invalid_environment_stops_the_chain() {
    let s = Setup::new("chain-invalid");
    s.dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKIDfile\nsecret_key=k\n",
    );
    let e = s.chain(&[(SECRET_ID_VAR, "")]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), "environment");
    let e = s
        .chain(&[(SECRET_ID_VAR, "AKID\r\nx"), (SECRET_KEY_VAR, "k")])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.detail()
            .starts_with("TENCENTCLOUD_SECRET_ID contains a control character"),
        "{e}"
    );
    assert_eq!(s.http.count(), 0);
}

#[test]
fn an_invalid_file_is_reported_not_skipped() {
    let s = Setup::new("chain-file");
    s.dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKID\n",
    );
    let e = s.chain(&[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.source_name().starts_with("profile file "), "{e}");
}

#[test]
fn nothing_configured_lists_every_source_in_order() {
    let s = Setup::new("chain-none");
    let e = s.chain(&[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    let text = e.to_string();
    let order = [
        "environment: TENCENTCLOUD_SECRET_ID",
        "profile file: no credentials file at ",
        "STS AssumeRole: TENCENTCLOUD_ROLE_ARN is not set",
        "TKE OIDC: TKE_REGION",
        &format!(
            "CVM role: no instance metadata service at {}",
            metadata_url(&s)
        ),
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|part| {
            text.find(part)
                .unwrap_or_else(|| panic!("{part:?} not in {text}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    // Two attempts at the metadata service; then "not on a CVM" is remembered.
    assert_eq!(s.http.count(), 2);
    s.chain(&[]).credentials().unwrap_err();
    assert_eq!(s.http.count(), 2);
}

#[test]
fn a_role_arn_in_the_environment_is_assumed_with_the_base_key() {
    let s = Setup::new("chain-role");
    let chain = s.chain(&[
        (SECRET_ID_VAR, "AKIDbase"),
        (SECRET_KEY_VAR, "base-key"),
        (ROLE_ARN_VAR, "qcs::cam::uin/100000000001:roleName/ops"),
        (ROLE_SESSION_NAME_VAR, "nightly"),
    ]);
    let c = chain.credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDAssumeRole1");
    assert_eq!(c.token().unwrap().expose(), "SENTINEL-TOKEN-1");
    let auth = s.http.headers(0)["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let auth = parse_authorization(&auth).unwrap();
    assert_eq!((auth.secret_id, auth.service), ("AKIDbase", "sts"));
    let body: serde_json::Value = serde_json::from_str(&s.http.bodies()[0]).unwrap();
    assert_eq!(body["RoleArn"], "qcs::cam::uin/100000000001:roleName/ops");
    assert_eq!(body["RoleSessionName"], "nightly");
    assert_eq!(body["DurationSeconds"], 7200);
    // Cached: the same provider answers the next call without STS.
    assert_eq!(chain.credentials().unwrap().secret_id(), "AKIDAssumeRole1");
    assert_eq!(s.http.count(), 1);
    assert!(!format!("{chain:?}").contains("SENTINEL"));
}

#[test]
fn a_role_arn_without_any_base_key_is_invalid() {
    let s = Setup::new("chain-role-nobase");
    let e = s
        .chain(&[(ROLE_ARN_VAR, "qcs::cam::uin/1:roleName/ops")])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), "STS AssumeRole");
    assert!(e.detail().contains("no base credentials to assume"), "{e}");
    assert!(e.detail().contains("no credentials found"), "{e}");
}

#[test]
fn a_profile_role_arn_is_assumed_with_that_profiles_keys() {
    let s = Setup::new("chain-profile-role");
    s.dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKIDprofile\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\n",
    );
    let c = s
        .chain(&[(ROLE_SESSION_NAME_VAR, "from-env")])
        .credentials()
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDAssumeRole1");
    let auth = s.http.headers(0)["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(parse_authorization(&auth).unwrap().secret_id, "AKIDprofile");
    let body: serde_json::Value = serde_json::from_str(&s.http.bodies()[0]).unwrap();
    assert_eq!(body["RoleSessionName"], "from-env");
}

#[test]
fn a_named_profile_replaces_the_variable_and_keeps_its_role() {
    let s = Setup::new("chain-named-profile");
    s.dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKIDdefault\nsecret_key=k\n[ops]\nsecret_id=AKIDops\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\n",
    );
    let named = |pairs: &[(&str, &str)], profile: &str| {
        let home = s.home();
        let metadata = metadata_url(&s);
        let mut all: Vec<(&str, &str)> = vec![("HOME", &home), (METADATA_ENDPOINT_VAR, &metadata)];
        all.extend_from_slice(pairs);
        DefaultCredentialsChain::builder()
            .lookup(vars(&all))
            .system_credentials_file(s.dir.path().join("etc/credentials"))
            .profile(profile)
            .transport(Arc::clone(&s.http))
            .clock(ManualClock::new(T0))
            .build()
    };
    // Whatever TENCENTCLOUD_PROFILE says; the profile's role is assumed with its keys.
    let c = named(&[("TENCENTCLOUD_PROFILE", "default")], "ops")
        .credentials()
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDAssumeRole1");
    let auth = s.http.headers(0)["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(parse_authorization(&auth).unwrap().secret_id, "AKIDops");
    // The order stays: keys in the environment come first.
    let env = [(SECRET_ID_VAR, "AKIDenv"), (SECRET_KEY_VAR, "k")];
    assert_eq!(
        named(&env, "ops").credentials().unwrap().secret_id(),
        "AKIDenv"
    );
    let e = named(&[], "missing").credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.detail().contains("no [missing] section"), "{e}");
}

#[test]
fn tke_variables_use_the_web_identity_unsigned() {
    let s = Setup::new("chain-tke");
    let token = s.dir.write("token", "SENTINEL-OIDC-1\n");
    let token = token.display().to_string();
    let pairs = [
        (TKE_REGION_VAR_TEST, "ap-shanghai"),
        ("TKE_PROVIDER_ID", "tke-provider"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
        ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pod"),
    ];
    let c = s.chain(&pairs).credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDAssumeRoleWithWebIdentity1");
    let h = s.http.headers(0);
    assert_eq!(h["authorization"], "SKIP");
    assert_eq!(h["x-tc-region"], "ap-shanghai");
    let body: serde_json::Value = serde_json::from_str(&s.http.bodies()[0]).unwrap();
    assert_eq!(body["WebIdentityToken"], "SENTINEL-OIDC-1");
    assert_eq!(body["ProviderId"], "tke-provider");

    // Only some TKE variables: an error naming the missing ones, not a fall-through.
    let e = s.chain(&pairs[..2]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.detail()
            .starts_with("TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"),
        "{e}"
    );
}

const TKE_REGION_VAR_TEST: &str = "TKE_REGION";

#[test]
fn custom_providers_keep_the_same_rules() {
    let lookup = EnvLookup::custom(vars(&[]));
    let chain = DefaultCredentialsChain::from_providers(vec![Box::new(
        EnvironmentCredentials::from_lookup(lookup),
    )]);
    let e = chain.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(
        e.detail().contains("environment: TENCENTCLOUD_SECRET_ID"),
        "{e}"
    );
}
