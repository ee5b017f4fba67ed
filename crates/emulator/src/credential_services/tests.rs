//! Metadata and STS answers from the pure handler, and the CVM verifier
//! accepting what they issue: signed with the core's own request builders.

use std::time::Duration;

use http::Request;
use tencentcloud_cvm_core::instance_metadata::{parse_role_credentials, parse_role_name};
use tencentcloud_cvm_core::response::DEFAULT_MAX_BODY;
use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::sts::{self, AssumeRole, AssumeRoleWithWebIdentity};
use tencentcloud_cvm_core::{
    Credentials, Endpoint, ServiceConfig, TemporaryCredentials, TerminateInstances,
};

use crate::{Emulator, EmulatorConfig, Handled, Now};

const BASE_ID: &str = "AKIDbase";
const URL: &str = "http://127.0.0.1:9000";
const T0: u64 = 1_700_000_000;
const ARN: &str = "qcs::cam::uin/100000000001:roleName/ops";

fn t0() -> Now {
    Now::new(T0, Duration::from_secs(100))
}

fn base() -> Credentials {
    Credentials::new(BASE_ID, "base-key")
}

fn emulator(config: EmulatorConfig) -> Emulator {
    config.credential(base()).instances(3).build().unwrap()
}

fn get(path: &str) -> Request<Vec<u8>> {
    Request::get(format!("{URL}{path}"))
        .body(Vec::new())
        .unwrap()
}

fn terminate(credentials: &Credentials, id: &str, now: Now) -> Request<Vec<u8>> {
    let config = ServiceConfig::builder("ap-guangzhou")
        .endpoint(Endpoint::custom(URL).unwrap())
        .build()
        .unwrap();
    let request = TerminateInstances::new([id]).unwrap();
    config
        .terminate_instances(&request, now.unix_seconds(), credentials, &Signer::new())
        .unwrap()
}

fn sts_config() -> ServiceConfig {
    sts::service_config("ap-guangzhou", Endpoint::custom(URL).unwrap()).unwrap()
}

fn assume_role(credentials: &Credentials, arn: &str, duration: u64, now: Now) -> Request<Vec<u8>> {
    let request = AssumeRole::builder(arn, "test-session")
        .duration_seconds(duration)
        .build()
        .unwrap();
    sts_config()
        .assume_role(&request, now.unix_seconds(), credentials, &Signer::new())
        .unwrap()
}

fn code(handled: &Handled) -> String {
    let v: serde_json::Value = serde_json::from_slice(handled.response.body()).unwrap();
    let code = v["Response"]["Error"]["Code"]
        .as_str()
        .unwrap_or("OK")
        .to_owned();
    assert_eq!(code, handled.log.result);
    code
}

fn role_key(e: &mut Emulator, now: Now) -> TemporaryCredentials {
    let h = e.handle(
        &get("/latest/meta-data/cam/security-credentials/ops-role"),
        now,
    );
    assert_eq!(h.response.status(), 200);
    parse_role_credentials(h.response.body()).unwrap()
}

#[test]
fn metadata_without_a_role_is_404() {
    let mut e = emulator(Emulator::builder());
    let h = e.handle(&get("/latest/meta-data/cam/security-credentials/"), t0());
    assert_eq!(h.response.status(), 404);
    assert_eq!(h.log.result, "NotFound");
    assert!(e.temporary_credentials().is_empty());
}

#[test]
fn the_role_key_signs_cvm_requests_only_with_its_token_and_only_until_expiry() {
    let mut e = emulator(
        Emulator::builder()
            .cvm_role("ops-role")
            .temp_credential_ttl(Duration::from_secs(600)),
    );
    let h = e.handle(&get("/latest/meta-data/cam/security-credentials/"), t0());
    assert_eq!(
        parse_role_name(h.response.body()).unwrap().as_str(),
        "ops-role"
    );
    assert_eq!(
        h.log.action.as_deref(),
        Some("metadata:/latest/meta-data/cam/security-credentials/")
    );
    let other = e.handle(
        &get("/latest/meta-data/cam/security-credentials/other"),
        t0(),
    );
    assert_eq!(other.response.status(), 404);

    let key = role_key(&mut e, t0());
    assert_eq!(key.expires_at(), T0 + 600);
    let c = key.credentials().clone();
    assert!(c.secret_id().starts_with("AKIDtmp"));
    let issued = e.temporary_credentials();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].secret_id, c.secret_id());
    assert_eq!(issued[0].issued_for, "cvm-role ops-role");

    let h = e.handle(&terminate(&c, "ins-00000000", t0()), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.secret_id.as_deref(), Some(c.secret_id()));

    let without_token = Credentials::new(c.secret_id(), c.secret_key().expose());
    let h = e.handle(&terminate(&without_token, "ins-00000001", t0()), t0());
    assert_eq!(code(&h), "AuthFailure.TokenFailure");

    let late = t0().after(Duration::from_secs(600));
    let h = e.handle(&terminate(&c, "ins-00000001", late), late);
    assert_eq!(code(&h), "AuthFailure.TokenFailure");
    let v: serde_json::Value = serde_json::from_slice(h.response.body()).unwrap();
    assert!(v["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[test]
fn assume_role_is_signed_for_sts_by_a_known_key() {
    let mut e = emulator(Emulator::builder());
    let h = e.handle(&assume_role(&base(), ARN, 3600, t0()), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.action.as_deref(), Some("AssumeRole"));
    assert_eq!(h.log.secret_id.as_deref(), Some(BASE_ID));
    assert!(h.log.to_string().contains("action=AssumeRole"));
    let assumed = sts::parse_credentials(&h.response, DEFAULT_MAX_BODY).unwrap();
    assert_eq!(assumed.expires_at(), T0 + 3600);
    let c = assumed.credentials();
    assert_ne!(c.secret_id(), BASE_ID);
    let h = e.handle(&terminate(c, "ins-00000000", t0()), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.secret_id.as_deref(), Some(c.secret_id()));
    assert!(e.temporary_credentials()[0]
        .issued_for
        .starts_with(&format!("AssumeRole {ARN}")));

    // An assumed key may assume again (scope sts), but never signs STS as `cvm`.
    let h = e.handle(&assume_role(c, ARN, 900, t0()), t0());
    assert_eq!(code(&h), "OK");
}

#[test]
fn assume_role_refusals() {
    let mut e = emulator(Emulator::builder().temp_credential_ttl(Duration::from_secs(60)));
    let unknown = Credentials::new("AKIDnobody", "k");
    assert_eq!(
        code(&e.handle(&assume_role(&unknown, ARN, 900, t0()), t0())),
        "AuthFailure.SecretIdNotFound"
    );
    assert_eq!(
        code(&e.handle(
            &assume_role(&base(), "qcs::cam::uin/1:user/x", 900, t0()),
            t0()
        )),
        "ResourceNotFound.RoleNotExist"
    );
    // A request signed for the CVM scope is not an STS signature.
    let cvm_scope = {
        let mut r = terminate(&base(), "ins-00000000", t0());
        r.headers_mut()
            .insert("x-tc-action", http::HeaderValue::from_static("AssumeRole"));
        r.headers_mut()
            .insert("x-tc-version", http::HeaderValue::from_static("2018-08-13"));
        r
    };
    assert_eq!(
        code(&e.handle(&cvm_scope, t0())),
        "AuthFailure.SignatureFailure"
    );
    let mut wrong_version = assume_role(&base(), ARN, 900, t0());
    wrong_version
        .headers_mut()
        .insert("x-tc-version", http::HeaderValue::from_static("2017-03-12"));
    assert_eq!(code(&e.handle(&wrong_version, t0())), "NoSuchVersion");
    let signed = |body: serde_json::Value| {
        sts_config()
            .build_request(
                "AssumeRole",
                body.to_string().into_bytes(),
                T0,
                &base(),
                &Signer::new(),
            )
            .unwrap()
    };
    let h = e.handle(
        &signed(serde_json::json!({"RoleArn": ARN, "RoleSessionName": "x"})),
        t0(),
    );
    assert_eq!(code(&h), "InvalidParameter.ValidationError");
    let h = e.handle(&signed(serde_json::json!({"RoleArn": ARN})), t0());
    assert_eq!(code(&h), "MissingParameter");
    let h = e.handle(
        &signed(
            serde_json::json!({"RoleArn": ARN, "RoleSessionName": "ok", "DurationSeconds": 43201}),
        ),
        t0(),
    );
    assert_eq!(code(&h), "InvalidParameter.ValidationError");
    let mut tampered = assume_role(&base(), ARN, 900, t0());
    tampered.body_mut().push(b' ');
    assert_eq!(
        code(&e.handle(&tampered, t0())),
        "AuthFailure.SignatureFailure"
    );
    // Keys last at most the emulator's lifetime for them.
    let h = e.handle(&assume_role(&base(), ARN, 7200, t0()), t0());
    assert_eq!(
        sts::parse_credentials(&h.response, DEFAULT_MAX_BODY)
            .unwrap()
            .expires_at(),
        T0 + 60
    );
}

#[test]
fn web_identity_is_unsigned_and_checks_the_token() {
    let mut e = emulator(Emulator::builder().web_identity("tke-provider", "good-token"));
    let ask = |token: &str| {
        let r = AssumeRoleWithWebIdentity::builder("tke-provider", token, ARN, "pod-1")
            .build()
            .unwrap();
        sts_config().assume_role_with_web_identity(&r, T0)
    };
    let h = e.handle(&ask("good-token"), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.action.as_deref(), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(h.log.secret_id, None);
    let c = sts::parse_credentials(&h.response, DEFAULT_MAX_BODY).unwrap();
    assert_eq!(
        code(&e.handle(&terminate(c.credentials(), "ins-00000000", t0()), t0())),
        "OK"
    );

    let h = e.handle(&ask("SENTINEL-forged"), t0());
    assert_eq!(code(&h), "InvalidParameter.WebIdentityTokenError");
    assert!(!String::from_utf8_lossy(h.response.body()).contains("SENTINEL"));
}

#[test]
fn an_invalid_role_name_fails_the_build() {
    let e = Emulator::builder().cvm_role("a/b").build().unwrap_err();
    assert_eq!(e, crate::ConfigError::InvalidRoleName("a/b".into()));
}

#[test]
fn get_caller_identity_names_the_role_of_a_temporary_key() {
    use crate::test_support::Spec;
    let mut e = emulator(Emulator::builder().account_id("100000000077"));
    let h = e.handle(&assume_role(&base(), ARN, 3600, t0()), t0());
    assert_eq!(code(&h), "OK");
    let assumed = sts::parse_credentials(&h.response, DEFAULT_MAX_BODY).unwrap();
    let c = assumed.credentials().clone();
    let identity = e.caller_identity(c.secret_id());
    assert_eq!(identity.kind, "CAMRole");
    assert_eq!(identity.account_id, "100000000077");
    assert!(identity.user_id.ends_with(":test-session"), "{identity:?}");
    assert!(identity
        .arn
        .starts_with("qcs::sts:100000000077:assumed-role/4611686018"));
    // The principal is the sub-account that asked for the role.
    assert_eq!(identity.principal_id, e.caller_identity(BASE_ID).user_id);
    // Asked over the wire, signed by the temporary key with its token.
    let mut spec = Spec::action("GetCallerIdentity", serde_json::json!({}));
    spec.version = "2018-08-13".into();
    spec.service = "sts".into();
    spec.timestamp = T0;
    spec.token = c.token().map(|t| t.expose().to_owned());
    spec.creds = c;
    let h = e.handle(&spec.build(), t0());
    assert_eq!(code(&h), "OK");
    let v: serde_json::Value = serde_json::from_slice(h.response.body()).unwrap();
    assert_eq!(v["Response"]["Type"], "CAMRole");
    assert_eq!(v["Response"]["Arn"], identity.arn.as_str());
    // The CVM role's key is the role too.
    let mut e = emulator(Emulator::builder().cvm_role("ops-role"));
    let key = role_key(&mut e, t0());
    assert_eq!(
        e.caller_identity(key.credentials().secret_id()).kind,
        "CAMRole"
    );
}
