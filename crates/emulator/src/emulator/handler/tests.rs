//! Handler tests: the checks every request passes, and TerminateInstances end to end.

use std::collections::HashSet;
use std::time::Duration;

use http::header::{CONTENT_TYPE, DATE};
use http::{HeaderValue, StatusCode};
use tencentcloud_cvm_core::signing::{authorization_header, utc_date, SignedHeaders, Signer};
use tencentcloud_cvm_core::Credentials;

use super::*;
use crate::fleet::instance::InstanceView;
use crate::test_support::*;
use tencentcloud_cvm_core::{ChargeType, InstanceState};

// ---------------------------------------------------------------- success paths

#[test]
fn postpaid_goes_terminating_then_disappears() {
    let mut e = emulator(Emulator::builder().instances(2));
    let h = e.handle(&Spec::ids(&["ins-00000001"]).build(), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.instance_count, 1);
    assert_eq!(h.log.secret_id.as_deref(), Some(SECRET_ID));
    assert_eq!(h.log.action.as_deref(), Some(ACTION));
    assert_eq!(state(&e, "ins-00000001"), Some(InstanceState::Terminating));
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));

    // Still terminating just before the default 2 s.
    let soon = t0().after(Duration::from_millis(1999));
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000001"]), soon),
        "UnsupportedOperation.InstanceStateTerminating"
    );
    // Gone on the next request after it.
    let later = t0().after(Duration::from_secs(2));
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000001"]), later),
        "InvalidInstanceId.NotFound"
    );
    assert_eq!(state(&e, "ins-00000001"), None);
}

#[test]
fn terminating_time_is_configurable_and_advance_sweeps() {
    let mut e = emulator(
        Emulator::builder()
            .instances(1)
            .terminating_for(Duration::from_millis(100)),
    );
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000000"]), t0()), "OK");
    e.advance(t0().after(Duration::from_millis(99)));
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Terminating));
    e.advance(t0().after(Duration::from_millis(100)));
    assert_eq!(state(&e, "ins-00000000"), None);
}

#[test]
fn prepaid_goes_to_recycle_bin_then_is_destroyed() {
    let mut e = emulator(
        Emulator::builder()
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    let spec = Spec::ids(&["ins-prepaid1"]);
    assert_eq!(send(&mut e, &spec, t0()), "OK");
    assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Shutdown));
    // It stays in the recycle bin however long we wait.
    e.advance(t0().after(Duration::from_secs(3600)));
    assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Shutdown));
    assert_eq!(send(&mut e, &spec, t0()), "OK");
    assert_eq!(state(&e, "ins-prepaid1"), None);
    assert_eq!(send(&mut e, &spec, t0()), "InvalidInstanceId.NotFound");
}

#[test]
fn stopped_instances_are_terminable() {
    let mut e = emulator(
        Emulator::builder()
            .instance(InstanceView::new("ins-stopped1").with_state(InstanceState::Stopped)),
    );
    assert_eq!(send(&mut e, &Spec::ids(&["ins-stopped1"]), t0()), "OK");
}

#[test]
fn response_shape_and_unique_request_ids() {
    let mut e = emulator(Emulator::builder().instances(3));
    let mut seen = HashSet::new();
    for spec in [
        Spec::ids(&["ins-00000000"]),
        Spec::ids(&["ins-zzzzzzzz"]),
        Spec::ids(&["bad"]),
    ] {
        let h = e.handle(&spec.build(), t0());
        assert_eq!(h.response.status(), StatusCode::OK);
        assert_eq!(h.response.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(h.response.headers()[DATE], "Tue, 14 Nov 2023 22:13:20 GMT");
        let v = envelope(&h);
        let id = v["Response"]["RequestId"].as_str().unwrap().to_owned();
        let uuid = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(h.log.request_id, id);
        assert!(seen.insert(id));
        let response = v["Response"].as_object().unwrap();
        if h.log.result == "OK" {
            assert_eq!(response.len(), 1);
        } else {
            assert_eq!(response.len(), 2);
            assert!(!v["Response"]["Error"]["Message"]
                .as_str()
                .unwrap()
                .is_empty());
        }
    }
}

#[test]
fn release_flags_and_form_and_get_requests_are_accepted() {
    let mut e = emulator(Emulator::builder().instances(4));
    let flags = Spec::new(
        r#"{"InstanceIds":["ins-00000000"],"ReleasePrepaidDataDisks":false,"ReleaseAddress":true}"#,
    );
    assert_eq!(send(&mut e, &flags, t0()), "OK");

    let mut form = Spec::new("InstanceIds.0=ins-00000001&InstanceIds.1=ins-00000002");
    form.content_type = "application/x-www-form-urlencoded".into();
    assert_eq!(send(&mut e, &form, t0()), "OK");

    let mut get = Spec::new(Vec::new());
    get.method = "GET";
    get.content_type = "application/x-www-form-urlencoded".into();
    get.query = "InstanceIds.0=ins-00000003".into();
    assert_eq!(send(&mut e, &get, t0()), "OK");
    assert_eq!(state(&e, "ins-00000003"), Some(InstanceState::Terminating));

    let mut text = Spec::ids(&["ins-00000000"]);
    text.content_type = "text/plain".into();
    assert_eq!(send(&mut e, &text, t0()), "InvalidParameter");
}

// ---------------------------------------------------------------- signatures

#[test]
fn both_signed_header_sets_verify() {
    let mut e = emulator(Emulator::builder().instances(2));
    let mut sdk_style = Spec::ids(&["ins-00000000"]);
    sdk_style.signed_headers = SignedHeaders::ContentTypeHost;
    assert!(sdk_style
        .authorization()
        .contains("SignedHeaders=content-type;host,"));
    assert_eq!(send(&mut e, &sdk_style, t0()), "OK");

    let mut docs_style = Spec::ids(&["ins-00000001"]);
    docs_style.signed_headers = SignedHeaders::ContentTypeHostAction;
    assert!(docs_style
        .authorization()
        .contains("SignedHeaders=content-type;host;x-tc-action,"));
    assert_eq!(send(&mut e, &docs_style, t0()), "OK");
}

#[test]
fn other_signed_header_lists_verify_with_values_lowercased_and_trimmed() {
    let mut e = emulator(Emulator::builder().instances(1));
    let body = ids_body(&["ins-00000000"]);
    let headers = [
        ("content-type", "application/json"),
        ("host", HOST),
        ("x-tc-region", "ap-guangzhou"),
        ("x-tc-timestamp", "1700000000"),
    ];
    let canonical = tencentcloud_cvm_core::signing::CanonicalRequest::new(
        "POST",
        "",
        &headers,
        tencentcloud_cvm_core::signing::payload_hash(body.as_bytes()),
    );
    let sts = tencentcloud_cvm_core::signing::StringToSign::new(
        T0,
        utc_date(T0),
        "cvm",
        canonical.hash(),
    );
    let sig = Signer::new()
        .signing_key(creds().secret_key(), utc_date(T0), "cvm")
        .sign(&sts);
    let auth = authorization_header(
        SECRET_ID,
        utc_date(T0),
        "cvm",
        "content-type;host;x-tc-region;x-tc-timestamp",
        &sig,
    );
    let mut req = Spec::new(body).build_with_authorization(&auth);
    // The service lowercases values before hashing them.
    req.headers_mut()
        .insert("x-tc-region", HeaderValue::from_static("AP-Guangzhou"));
    assert_eq!(code(&e.handle(&req, t0())), "OK");
}

#[test]
fn unsigned_payload_verifies() {
    let mut e = emulator(Emulator::builder().instances(1));
    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.unsigned = true;
    assert_eq!(send(&mut e, &spec, t0()), "OK");

    // Signed as unsigned, but sent without the header: the hashes differ.
    let auth = spec.authorization();
    let mut req = spec.build_with_authorization(&auth);
    req.headers_mut().remove("x-tc-content-sha256");
    assert_eq!(code(&e.handle(&req, t0())), "AuthFailure.SignatureFailure");
}

#[test]
fn wrong_key_tampered_body_and_wrong_scope_fail() {
    let mut e = emulator(Emulator::builder().instances(1));
    let mut wrong_key = Spec::ids(&["ins-00000000"]);
    wrong_key.creds = Credentials::new(SECRET_ID, "not-the-key");
    assert_eq!(
        send(&mut e, &wrong_key, t0()),
        "AuthFailure.SignatureFailure"
    );

    let spec = Spec::ids(&["ins-00000000"]);
    let auth = spec.authorization();
    let mut tampered = spec.build_with_authorization(&auth);
    *tampered.body_mut() = ids_body(&["ins-00000001"]).into_bytes();
    assert_eq!(
        code(&e.handle(&tampered, t0())),
        "AuthFailure.SignatureFailure"
    );

    // Signed header missing from the request.
    let mut missing = spec.build();
    missing.headers_mut().remove("x-tc-action");
    missing.headers_mut().insert(
        "x-tc-action",
        HeaderValue::from_static("TerminateInstances"),
    );
    assert_eq!(code(&e.handle(&missing, t0())), "OK");

    let sig = Signer::new()
        .signing_key(creds().secret_key(), utc_date(T0), "cvm")
        .sign(&tencentcloud_cvm_core::signing::StringToSign::new(
            T0,
            utc_date(T0),
            "cvm",
            [b'0'; 64],
        ));
    for (date, service) in [(utc_date(T0 - 86_400), "cvm"), (utc_date(T0), "cbs")] {
        let auth = authorization_header(SECRET_ID, date, service, "content-type;host", &sig);
        let req = Spec::ids(&["ins-00000000"]).build_with_authorization(&auth);
        assert_eq!(
            code(&e.handle(&req, t0())),
            "AuthFailure.SignatureFailure",
            "{date} {service}"
        );
    }
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Terminating));
}

#[test]
fn signed_header_absent_from_request_fails() {
    let mut e = emulator(Emulator::builder().instances(1));
    let auth = Spec::ids(&["ins-00000000"]).authorization().replace(
        "content-type;host;x-tc-action",
        "content-type;host;x-tc-language",
    );
    let req = Spec::ids(&["ins-00000000"]).build_with_authorization(&auth);
    assert_eq!(code(&e.handle(&req, t0())), "AuthFailure.SignatureFailure");
}

#[test]
fn scope_date_must_be_the_timestamps_utc_date() {
    // 23:59:59 and 00:00:00 UTC: signing with one and sending the other fails.
    let before = 1_700_006_399;
    let mut e = emulator(Emulator::builder().instances(1));
    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.timestamp = before;
    let auth = spec.authorization();
    spec.timestamp = before + 1;
    let req = spec.build_with_authorization(&auth);
    assert_eq!(
        code(&e.handle(&req, Now::new(before, Duration::ZERO))),
        "AuthFailure.SignatureFailure"
    );
}

#[test]
fn clock_skew() {
    let mut e = emulator(Emulator::builder().instances(4).rate_limit(0));
    for (offset, expected) in [
        (-301i64, "AuthFailure.SignatureExpire"),
        (301, "AuthFailure.SignatureExpire"),
        (-300, "OK"),
        (300, "OK"),
    ] {
        let mut spec = Spec::ids(&["ins-00000000"]);
        spec.timestamp = T0.checked_add_signed(offset).unwrap();
        // A fresh instance per accepted request.
        let id = format!(
            "ins-0000000{}",
            e.instances()
                .iter()
                .filter(|v| v.state == InstanceState::Running)
                .count()
                - 1
        );
        spec.body = ids_body(&[&id]).into_bytes();
        assert_eq!(send(&mut e, &spec, t0()), expected, "offset {offset}");
    }
    let mut far = Spec::ids(&["ins-00000000"]);
    far.timestamp = u64::MAX;
    assert_eq!(send(&mut e, &far, t0()), "AuthFailure.SignatureExpire");

    let mut tight = emulator(
        Emulator::builder()
            .instances(1)
            .clock_skew(Duration::from_secs(10)),
    );
    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.timestamp = T0 - 11;
    assert_eq!(send(&mut tight, &spec, t0()), "AuthFailure.SignatureExpire");
}

#[test]
fn unknown_secret_id() {
    let mut e = emulator(Emulator::builder().instances(1));
    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.creds = Credentials::new("AKIDunknown", SECRET_KEY);
    let h = e.handle(&spec.build(), t0());
    assert_eq!(code(&h), "AuthFailure.SecretIdNotFound");
    assert_eq!(h.log.secret_id.as_deref(), Some("AKIDunknown"));
}

#[test]
fn malformed_authorization() {
    let mut e = emulator(Emulator::builder().instances(1));
    let spec = Spec::ids(&["ins-00000000"]);
    let good = spec.authorization();
    for bad in [
        String::from("garbage"),
        good.replace("TC3-HMAC-SHA256", "HMAC-SHA1"),
        good.replace("Credential=", "Cred="),
        good.replace("/tc3_request", "/tc4_request"),
        good.replace("Signature=", "Signature=zz"),
        good.replace("content-type;host;x-tc-action", "host;x-tc-action"),
        good.replace("content-type;host;x-tc-action", "content-type;x-tc-action"),
        good.replace("content-type;host;x-tc-action", "content-type;host;host"),
        good.replace("content-type;host;x-tc-action", "content-type;;host"),
        String::new(),
    ] {
        let req = spec.build_with_authorization(&bad);
        assert_eq!(
            code(&e.handle(&req, t0())),
            "AuthFailure.InvalidAuthorization",
            "{bad}"
        );
    }
}

#[test]
fn session_tokens() {
    let with_token = Credentials::new(SECRET_ID, SECRET_KEY).with_token("session-token");
    let mut e = Emulator::builder()
        .credential(with_token)
        .instances(1)
        .build()
        .unwrap();
    let mut spec = Spec::ids(&["ins-00000000"]);
    assert_eq!(send(&mut e, &spec, t0()), "AuthFailure.TokenFailure");
    spec.token = Some("wrong-token".into());
    assert_eq!(send(&mut e, &spec, t0()), "AuthFailure.TokenFailure");
    spec.token = Some("session-token".into());
    assert_eq!(send(&mut e, &spec, t0()), "OK");

    // A credential without a token accepts a request that carries one.
    let mut plain = emulator(Emulator::builder().instances(1));
    spec.token = Some("anything".into());
    assert_eq!(send(&mut plain, &spec, t0()), "OK");
}

#[test]
fn missing_headers() {
    let mut e = emulator(Emulator::builder().instances(1));
    for name in [
        "X-TC-Action",
        "X-TC-Version",
        "X-TC-Timestamp",
        "Authorization",
        "Host",
    ] {
        let mut req = Spec::ids(&["ins-00000000"]).build();
        req.headers_mut().remove(name);
        let h = e.handle(&req, t0());
        assert_eq!(code(&h), "MissingParameter", "{name}");
        assert!(envelope(&h)["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains(name));
    }
}

#[test]
fn action_version_method_and_timestamp() {
    let mut e = emulator(Emulator::builder().instances(1));
    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.action = "RunInstances".into();
    assert_eq!(send(&mut e, &spec, t0()), "InvalidAction");
    spec.action = "terminateInstances".into();
    assert_eq!(send(&mut e, &spec, t0()), "InvalidAction");

    let mut spec = Spec::ids(&["ins-00000000"]);
    spec.version = "2020-01-01".into();
    assert_eq!(send(&mut e, &spec, t0()), "NoSuchVersion");

    let mut req = Spec::ids(&["ins-00000000"]).build();
    *req.method_mut() = http::Method::PUT;
    assert_eq!(code(&e.handle(&req, t0())), "UnsupportedProtocol");

    let mut req = Spec::ids(&["ins-00000000"]).build();
    req.headers_mut().insert(
        "x-tc-timestamp",
        HeaderValue::from_static("99999999999999999999999"),
    );
    assert_eq!(code(&e.handle(&req, t0())), "InvalidParameter");
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
}

// ---------------------------------------------------------------- parameters

#[test]
fn parameter_validation() {
    let mut e = emulator(Emulator::builder().instances(1).rate_limit(0));
    let hundred_one: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
    let hundred_one: Vec<&str> = hundred_one.iter().map(String::as_str).collect();
    let cases: Vec<(String, &str)> = vec![
        (ids_body(&["ins-0000000"]), "InvalidInstanceId.Malformed"),
        (ids_body(&["INS-00000000"]), "InvalidInstanceId.Malformed"),
        (
            ids_body(&["ins-00000000", "i-00000000"]),
            "InvalidInstanceId.Malformed",
        ),
        (
            ids_body(&hundred_one),
            "InvalidParameterValue.LimitExceeded",
        ),
        (ids_body(&[]), "MissingParameter"),
        ("{}".into(), "MissingParameter"),
        (String::new(), "MissingParameter"),
        (r#"{"InstanceIds":null}"#.into(), "MissingParameter"),
        (
            ids_body(&["ins-00000000", "ins-00000000"]),
            "InvalidParameterValue",
        ),
        ("{".into(), "InvalidParameter"),
        ("[1,2]".into(), "InvalidParameter"),
        (
            r#"{"InstanceIds":"ins-00000000"}"#.into(),
            "InvalidParameter",
        ),
        (r#"{"InstanceIds":[7]}"#.into(), "InvalidParameter"),
        (
            r#"{"InstanceIds":["ins-00000000"],"ReleaseAddress":1}"#.into(),
            "InvalidParameter",
        ),
        (
            r#"{"InstanceIds":["ins-00000000"],"DryRun":true}"#.into(),
            "UnknownParameter",
        ),
        (r#"{"InstanceIds":[1e999999]}"#.into(), "InvalidParameter"),
    ];
    for (body, expected) in cases {
        let h = e.handle(&Spec::new(body.clone()).build(), t0());
        assert_eq!(code(&h), expected, "{body}");
    }
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
    // A hundred is fine.
    let mut e = emulator(Emulator::builder().instances(100));
    let h = e.handle(&Spec::new(ids_body(&hundred_one[..100])).build(), t0());
    assert_eq!(code(&h), "OK");
    assert_eq!(h.log.instance_count, 100);
}

#[test]
fn unknown_ids_are_not_found() {
    let mut e = emulator(Emulator::builder().instances(1));
    let h = e.handle(&Spec::ids(&["ins-00000000", "ins-zzzzzzzz"]).build(), t0());
    assert_eq!(code(&h), "InvalidInstanceId.NotFound");
    assert!(envelope(&h)["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("ins-zzzzzzzz"));
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
}

#[test]
fn mixed_pricing_is_refused() {
    let mut e = emulator(
        Emulator::builder()
            .instances(1)
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    let spec = Spec::ids(&["ins-00000000", "ins-prepaid1"]);
    assert_eq!(
        send(&mut e, &spec, t0()),
        "UnsupportedOperation.InstanceMixedPricingModel"
    );
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
    assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Running));
}

#[test]
fn termination_protection_is_refused() {
    let mut e = emulator(
        Emulator::builder()
            .instances(1)
            .instance(InstanceView::new("ins-protect1").with_termination_protection(true)),
    );
    let h = e.handle(&Spec::ids(&["ins-00000000", "ins-protect1"]).build(), t0());
    assert_eq!(code(&h), "UnsupportedOperation.InstancesProtected");
    assert!(envelope(&h)["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("ins-protect1"));
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
}

#[test]
fn every_state_answers_its_code() {
    let expected = [
        ("PENDING", "UnsupportedOperation.InstanceStatePending"),
        (
            "LAUNCH_FAILED",
            "UnsupportedOperation.InstanceStateLaunchFailed",
        ),
        ("STARTING", "UnsupportedOperation.InstanceStateStarting"),
        ("STOPPING", "UnsupportedOperation.InstanceStateStopping"),
        ("REBOOTING", "UnsupportedOperation.InstanceStateRebooting"),
        (
            "TERMINATING",
            "UnsupportedOperation.InstanceStateTerminating",
        ),
        ("TERMINATED", "UnsupportedOperation.InstanceStateTerminated"),
        ("ISOLATING", "UnsupportedOperation.InstanceStateIsolating"),
        ("FREEZING", "UnsupportedOperation.InstanceStateFreezing"),
        ("BANNING", "UnsupportedOperation.InstanceStateBanning"),
        (
            "ENTER_RESCUE_MODE",
            "UnsupportedOperation.InstanceStateEnterRescueMode",
        ),
        (
            "EXIT_RESCUE_MODE",
            "UnsupportedOperation.InstanceStateExitRescueMode",
        ),
        (
            "ENTER_SERVICE_LIVE_MIGRATE",
            "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
        ),
        (
            "EXIT_SERVICE_LIVE_MIGRATE",
            "UnsupportedOperation.InstanceStateExitServiceLiveMigrate",
        ),
        ("SHUTDOWN", "UnsupportedOperation.InstanceStateShutdown"),
        (
            "RESCUE_MODE",
            "UnsupportedOperation.InstanceStateRescueMode",
        ),
        (
            "SERVICE_LIVE_MIGRATE",
            "UnsupportedOperation.InstanceStateServiceLiveMigrate",
        ),
        ("RUNNING", "OK"),
        ("STOPPED", "OK"),
    ];
    assert_eq!(expected.len(), InstanceState::ALL.len());
    for (state_name, code_expected) in expected {
        let s: InstanceState = state_name.parse().unwrap();
        let mut e = emulator(
            Emulator::builder().instance(InstanceView::new("ins-state001").with_state(s.clone())),
        );
        let h = e.handle(&Spec::ids(&["ins-state001"]).build(), t0());
        assert_eq!(code(&h), code_expected, "{state_name}");
        if code_expected != "OK" {
            assert_eq!(state(&e, "ins-state001"), Some(s), "{state_name} changed");
            assert!(envelope(&h)["Response"]["Error"]["Message"]
                .as_str()
                .unwrap()
                .contains(state_name));
        }
    }
}

#[test]
fn all_or_nothing() {
    let mut e = emulator(
        Emulator::builder()
            .instances(3)
            .instance(InstanceView::new("ins-reboot01").with_state(InstanceState::Rebooting)),
    );
    let spec = Spec::ids(&[
        "ins-00000000",
        "ins-00000001",
        "ins-reboot01",
        "ins-00000002",
    ]);
    assert_eq!(
        send(&mut e, &spec, t0()),
        "UnsupportedOperation.InstanceStateRebooting"
    );
    for v in e.instances() {
        assert_ne!(v.state, InstanceState::Terminating, "{} changed", v.id);
    }
    assert_eq!(
        send(
            &mut e,
            &Spec::ids(&["ins-00000000", "ins-00000001", "ins-00000002"]),
            t0()
        ),
        "OK"
    );
    assert_eq!(
        e.instances()
            .iter()
            .filter(|v| v.state == InstanceState::Terminating)
            .count(),
        3
    );
}

// ---------------------------------------------------------------- throttling

#[test]
fn throttle_at_the_eleventh_request_then_recovery() {
    let mut e = emulator(Emulator::builder().instances(12));
    let mut now = t0();
    for i in 0..10 {
        let id = format!("ins-{i:08}");
        assert_eq!(send(&mut e, &Spec::ids(&[&id]), now), "OK", "request {i}");
        now = now.after(Duration::from_millis(50));
    }
    let h = e.handle(&Spec::ids(&["ins-00000010"]).build(), now);
    assert_eq!(code(&h), "RequestLimitExceeded");
    assert_eq!(
        envelope(&h)["Response"]["Error"]["Message"],
        "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second."
    );
    // Throttled requests change nothing.
    assert_eq!(state(&e, "ins-00000010"), Some(InstanceState::Running));
    // Another SecretId is not affected.
    let other = Credentials::new("AKIDother", "other-key");
    let mut e2 = Emulator::builder()
        .credential(creds())
        .credential(other.clone())
        .instances(12)
        .rate_limit(1)
        .build()
        .unwrap();
    assert_eq!(send(&mut e2, &Spec::ids(&["ins-00000000"]), t0()), "OK");
    let mut spec = Spec::ids(&["ins-00000001"]);
    spec.creds = other;
    assert_eq!(send(&mut e2, &spec, t0()), "OK");
    assert_eq!(
        send(&mut e2, &Spec::ids(&["ins-00000002"]), t0()),
        "RequestLimitExceeded"
    );

    // A second after the burst began, the window has room again.
    let recovered = t0().after(Duration::from_millis(1_460));
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000010"]), recovered), "OK");
}

#[test]
fn each_access_endpoint_has_its_own_budget() {
    // As the service counts: per action, endpoint (Host) and SecretId.
    let mut e = emulator(Emulator::builder().instances(30));
    let to = |host: &str, id: &str| {
        let mut spec = Spec::ids(&[id]);
        spec.host = host.into();
        spec
    };
    for i in 0..10 {
        let id = format!("ins-{i:08}");
        assert_eq!(send(&mut e, &to("localhost:9000", &id), t0()), "OK");
        let id = format!("ins-{:08}", i + 10);
        assert_eq!(send(&mut e, &to("127.0.0.2:9000", &id), t0()), "OK");
    }
    assert_eq!(
        send(&mut e, &to("localhost:9000", "ins-00000020"), t0()),
        "RequestLimitExceeded"
    );
    // The same endpoint in capitals is the same endpoint; another port is another.
    assert_eq!(
        send(&mut e, &to("LOCALHOST:9000", "ins-00000021"), t0()),
        "RequestLimitExceeded"
    );
    assert_eq!(
        send(&mut e, &to("localhost:9001", "ins-00000022"), t0()),
        "OK"
    );
    assert_eq!(e.throttled("TerminateInstances"), 2);
    assert_eq!(e.throttled("DescribeInstances"), 0);
}

#[test]
fn limits_change_mid_run() {
    let mut e = emulator(Emulator::builder().instances(5));
    assert_eq!(e.rate_limit("TerminateInstances"), Some(10));
    e.set_action_rate_limit("TerminateInstances", 1);
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000000"]), t0()), "OK");
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000001"]), t0()),
        "RequestLimitExceeded"
    );
    let later = t0().after(Duration::from_secs(1));
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000001"]), later), "OK");
    e.set_rate_limit(0);
    for i in 2..5 {
        let id = format!("ins-{i:08}");
        assert_eq!(send(&mut e, &Spec::ids(&[&id]), later), "OK");
    }
    assert_eq!(e.throttled("TerminateInstances"), 1);
}

#[test]
fn arrival_jitter_refuses_what_fits_the_limit_on_time() {
    // 10 requests per second, 100 ms apart, fit a limit of 10 exactly; up to 400 ms
    // of arrival jitter crowds some seconds past it.
    let run = |jitter: Duration, seed: u64| {
        let mut e = emulator(
            Emulator::builder()
                .instances(60)
                .arrival_jitter(jitter)
                .arrival_jitter_seed(seed),
        );
        for i in 0..60u64 {
            let id = format!("ins-{i:08}");
            let now = t0().after(Duration::from_millis(i * 100));
            send(&mut e, &Spec::ids(&[&id]), now);
        }
        e.throttled("TerminateInstances")
    };
    assert_eq!(run(Duration::ZERO, 1), 0);
    let jittered = run(Duration::from_millis(400), 1);
    assert!(jittered > 0);
    assert_eq!(run(Duration::from_millis(400), 1), jittered, "seeded");
}

#[test]
fn each_action_has_its_own_documented_limit() {
    let mut e = emulator(Emulator::builder().instances(12));
    let describe = Spec::action("DescribeInstances", serde_json::json!({}));
    let status = Spec::action("DescribeInstancesStatus", serde_json::json!({}));
    let price = Spec::action(
        "InquiryPriceTerminateInstances",
        serde_json::json!({"InstanceIds": ["ins-00000011"]}),
    );
    for i in 0..10 {
        let id = format!("ins-{i:08}");
        assert_eq!(send(&mut e, &Spec::ids(&[&id]), t0()), "OK");
        assert_eq!(send(&mut e, &price, t0()), "OK");
    }
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000010"]), t0()),
        "RequestLimitExceeded"
    );
    assert_eq!(send(&mut e, &price, t0()), "RequestLimitExceeded");
    // The reads have 40 per second each, apart from the terminate window.
    for i in 0..40 {
        assert_eq!(send(&mut e, &describe, t0()), "OK", "describe {i}");
        assert_eq!(send(&mut e, &status, t0()), "OK", "status {i}");
    }
    let h = e.handle(&describe.build(), t0());
    assert_eq!(code(&h), "RequestLimitExceeded");
    assert!(envelope(&h)["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("limit `40`"));
    assert_eq!(send(&mut e, &status, t0()), "RequestLimitExceeded");
}

#[test]
fn limits_are_configurable_per_action() {
    let mut e = emulator(
        Emulator::builder()
            .instances(3)
            .rate_limit(1)
            .action_rate_limit("DescribeInstances", 0),
    );
    let describe = Spec::action("DescribeInstances", serde_json::json!({}));
    for _ in 0..100 {
        assert_eq!(send(&mut e, &describe, t0()), "OK");
    }
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000000"]), t0()), "OK");
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000001"]), t0()),
        "RequestLimitExceeded"
    );
}

#[test]
fn the_access_log_names_each_action() {
    let mut e = emulator(Emulator::builder().instances(2));
    for (spec, action, ids) in [
        (Spec::ids(&["ins-00000000"]), "TerminateInstances", 1),
        (
            Spec::action(
                "DescribeInstances",
                serde_json::json!({"InstanceIds": ["ins-00000000", "ins-00000001"]}),
            ),
            "DescribeInstances",
            2,
        ),
        (
            Spec::action("DescribeInstancesStatus", serde_json::json!({})),
            "DescribeInstancesStatus",
            0,
        ),
        (
            Spec::action(
                "InquiryPriceTerminateInstances",
                serde_json::json!({"InstanceIds": ["ins-00000001"]}),
            ),
            "InquiryPriceTerminateInstances",
            1,
        ),
    ] {
        let h = e.handle(&spec.build(), t0());
        assert_eq!(h.log.result, "OK");
        assert_eq!(h.log.instance_count, ids, "{action}");
        let line = h.log.to_string();
        assert!(
            line.contains(&format!(" action={action} ids={ids} result=OK ")),
            "{line}"
        );
    }
}

#[test]
fn unauthenticated_requests_are_not_counted() {
    let mut e = emulator(Emulator::builder().instances(1).rate_limit(1));
    let mut bad = Spec::ids(&["ins-00000000"]);
    bad.creds = Credentials::new(SECRET_ID, "wrong");
    for _ in 0..5 {
        assert_eq!(send(&mut e, &bad, t0()), "AuthFailure.SignatureFailure");
    }
    assert_eq!(send(&mut e, &Spec::ids(&["ins-00000000"]), t0()), "OK");
}

// ---------------------------------------------------------------- limits and robustness

#[test]
fn bodies_over_the_cap_are_refused() {
    let mut e = emulator(Emulator::builder().instances(1).body_limit(64));
    let mut body = ids_body(&["ins-00000000"]).into_bytes();
    body.resize(65, b' ');
    let h = e.handle(&Spec::new(body.clone()).build(), t0());
    assert_eq!(code(&h), "RequestSizeLimitExceeded");
    body.truncate(64);
    assert_eq!(code(&e.handle(&Spec::new(body).build(), t0())), "OK");

    // The default cap is 10 MiB.
    let mut e = emulator(Emulator::builder().instances(1));
    assert_eq!(e.body_limit(), 10 * 1024 * 1024);
    let mut body = ids_body(&["ins-00000000"]).into_bytes();
    body.resize(10 * 1024 * 1024 + 1, b' ');
    let h = e.handle(&Spec::new(body).build(), t0());
    assert_eq!(code(&h), "RequestSizeLimitExceeded");
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
}

#[test]
fn non_utf8_and_hostile_headers_do_not_panic() {
    let mut e = emulator(Emulator::builder().instances(1));
    let garbage = HeaderValue::from_bytes(b"\xff\xfe\x80 \tx\xc3").unwrap();
    for name in [
        "host",
        "content-type",
        "x-tc-action",
        "x-tc-version",
        "x-tc-timestamp",
        "authorization",
    ] {
        let mut req = Spec::ids(&["ins-00000000"]).build();
        req.headers_mut().insert(name, garbage.clone());
        let h = e.handle(&req, t0());
        assert_ne!(code(&h), "OK", "{name}");
        assert!(h.log.to_string().lines().count() == 1);
    }
    // Unchecked headers: a token when the credential has none, an unknown payload mode.
    for name in ["x-tc-token", "x-tc-content-sha256"] {
        let mut req = Spec::ids(&["ins-00000000"]).build();
        req.headers_mut().insert(name, garbage.clone());
        e.remove_instance("ins-00000000");
        e.upsert_instance(InstanceView::new("ins-00000000"), t0())
            .unwrap();
        assert_eq!(code(&e.handle(&req, t0())), "OK", "{name}");
    }
    // Duplicated headers and a huge header value.
    let mut req = Spec::ids(&["ins-00000000"]).build();
    req.headers_mut()
        .append("host", HeaderValue::from_static("evil.example"));
    req.headers_mut().insert(
        "x-tc-action",
        HeaderValue::from_str(&"A".repeat(100_000)).unwrap(),
    );
    assert_eq!(code(&e.handle(&req, t0())), "InvalidAction");
    // Extreme clocks.
    for now in [
        Now::new(0, Duration::ZERO),
        Now::new(u64::MAX, Duration::MAX),
    ] {
        let h = e.handle(&Spec::ids(&["ins-00000000"]).build(), now);
        assert_eq!(code(&h), "AuthFailure.SignatureExpire");
    }
}

#[test]
fn many_mutated_requests_never_panic() {
    let mut e = emulator(Emulator::builder().instances(3).rate_limit(0));
    let base = Spec::ids(&["ins-00000000", "ins-00000001"]).build();
    let raw = format!(
        "{:?}{}",
        base.headers(),
        String::from_utf8_lossy(base.body())
    )
    .into_bytes();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..2_000 {
        let mut req = base.clone();
        let n = next();
        match n % 4 {
            0 => {
                let mut body = req.body().clone();
                if !body.is_empty() {
                    let i = (next() as usize) % body.len();
                    body[i] = next() as u8;
                }
                *req.body_mut() = body;
            }
            1 => {
                let names = ["authorization", "host", "content-type", "x-tc-timestamp"];
                let name = names[(next() as usize) % names.len()];
                let start = (next() as usize) % raw.len();
                let end = (start + (next() as usize) % 64).min(raw.len());
                let bytes: Vec<u8> = raw[start..end]
                    .iter()
                    .map(|b| {
                        if *b == b'\n' || *b == b'\r' || *b == 0 {
                            b'x'
                        } else {
                            *b
                        }
                    })
                    .collect();
                if let Ok(v) = HeaderValue::from_bytes(&bytes) {
                    req.headers_mut().insert(name, v);
                }
            }
            2 => {
                let len = (next() as usize) % 256;
                *req.body_mut() = (0..len).map(|_| next() as u8).collect();
            }
            _ => {
                let bodies: [&[u8]; 6] = [
                    br#"{"InstanceIds":[{"a":[]}]}"#,
                    br#"{"InstanceIds":["ins-00000000"],"ReleaseAddress":null}"#,
                    b"null",
                    b"\"\\ud800\"",
                    br#"{"InstanceIds":[18446744073709551616]}"#,
                    b"{\"InstanceIds\":[\"ins-\\u0000aaaaaaa\"]}",
                ];
                *req.body_mut() = bodies[(next() as usize) % bodies.len()].to_vec();
            }
        }
        let h = e.handle(&req, t0());
        assert_eq!(h.response.status(), StatusCode::OK);
        let _ = code(&h);
    }
}

// ---------------------------------------------------------------- action faults, records

#[test]
fn partial_batch_acts_on_a_prefix_then_refuses_naming_the_next() {
    let mut e = emulator(Emulator::builder().instances(3));
    let batch = Spec::ids(&["ins-00000002", "ins-00000000", "ins-00000001"]).build();
    let fault = crate::Fault::PartialBatch {
        acted: 1,
        code: "InvalidInstanceId.NotFound".into(),
    };
    let h = e.handle_with_fault(&batch, t0(), &fault);
    assert_eq!(code(&h), "InvalidInstanceId.NotFound");
    assert!(envelope(&h)["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("`ins-00000000`"));
    assert_eq!(state(&e, "ins-00000002"), Some(InstanceState::Terminating));
    assert_eq!(state(&e, "ins-00000000"), Some(InstanceState::Running));
    for (id, accepted) in [
        ("ins-00000002", 1),
        ("ins-00000000", 0),
        ("ins-00000001", 0),
    ] {
        let r = e.termination_record(id);
        assert_eq!((r.requests, r.accepted), (1, accepted), "{id}");
    }
}

#[test]
fn a_refusal_naming_no_instance_changes_nothing_but_is_counted() {
    let mut e = emulator(
        Emulator::builder()
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    let h = e.handle_with_fault(
        &Spec::ids(&["ins-prepaid1"]).build(),
        t0(),
        &crate::Fault::Refuse("FailedOperation.Unreturnable".into()),
    );
    assert_eq!(code(&h), "FailedOperation.Unreturnable");
    assert_eq!(
        envelope(&h)["Response"]["Error"]["Message"],
        "The instance is unreturnable."
    );
    assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Running));
    let r = e.termination_record("ins-prepaid1");
    assert_eq!((r.requests, r.accepted), (1, 0));
}

#[test]
fn records_count_terminates_and_the_destroying_second_call() {
    let mut e = emulator(
        Emulator::builder()
            .instances(1)
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    assert_eq!(send(&mut e, &Spec::ids(&["ins-prepaid1"]), t0()), "OK");
    assert_eq!(e.destroyed_from_recycle_bin(), Vec::<String>::new());
    let later = t0().after(Duration::from_secs(3));
    assert_eq!(send(&mut e, &Spec::ids(&["ins-prepaid1"]), later), "OK");
    assert_eq!(e.destroyed_from_recycle_bin(), ["ins-prepaid1"]);
    assert_eq!(e.terminated_more_than_once(), ["ins-prepaid1"]);
    // A refused request counts as received, not as acted on.
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000000", "ins-zzzzzzzz"]), later),
        "InvalidInstanceId.NotFound"
    );
    let r = e.termination_record("ins-00000000");
    assert_eq!((r.requests, r.accepted), (1, 0));
    // Malformed requests never reach the fleet.
    assert_eq!(
        send(&mut e, &Spec::ids(&["ins-00000000", "ins-1"]), later),
        "InvalidInstanceId.Malformed"
    );
    assert_eq!(e.termination_record("ins-00000000").requests, 1);
    let records = e.termination_records();
    assert_eq!(records.len(), 3);
    assert_eq!(records["ins-prepaid1"].requests, 2);
    assert!(records["ins-prepaid1"].destroyed_from_recycle_bin);
}

#[test]
fn stale_reads_lag_behind_a_terminate() {
    let mut e = emulator(
        Emulator::builder()
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    let h = e.handle_with_fault(
        &Spec::ids(&["ins-prepaid1"]).build(),
        t0(),
        &crate::Fault::StaleReadsFor(Duration::from_millis(500)),
    );
    assert_eq!(code(&h), "OK");
    assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Shutdown));
    let read = Spec::action(
        "DescribeInstances",
        serde_json::json!({"InstanceIds": ["ins-prepaid1"]}),
    );
    let shown = |e: &mut Emulator, at| answer(e, &read, at)["InstanceSet"][0].clone();
    let stale = shown(&mut e, t0().after(Duration::from_millis(100)));
    assert_eq!(stale["InstanceState"], "RUNNING");
    assert!(stale["LatestOperation"].is_null());
    let fresh = shown(&mut e, t0().after(Duration::from_millis(500)));
    assert_eq!(fresh["InstanceState"], "SHUTDOWN");
    assert_eq!(fresh["LatestOperationRequestId"], h.log.request_id.as_str());
}

#[test]
fn random_filters_and_faults_never_panic() {
    use crate::{Fault, FieldChange};
    let mut e = emulator(
        Emulator::builder()
            .instances(4)
            .instance(
                InstanceView::new("ins-gz000001")
                    .with_zone("ap-guangzhou-6")
                    .with_tag("team", "ci")
                    .with_charge_type(ChargeType::Prepaid),
            )
            .instance(
                InstanceView::new("ins-sh000001")
                    .with_zone("ap-shanghai-2")
                    .with_tag("team", "web"),
            )
            .rate_limit(0)
            .terminating_for(Duration::from_millis(50)),
    );
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let names = [
        "zone",
        "project-id",
        "host-id",
        "dedicated-cluster-id",
        "vpc-id",
        "subnet-id",
        "instance-id",
        "uuid",
        "security-group-id",
        "instance-name",
        "instance-charge-type",
        "instance-state",
        "private-ip-address",
        "public-ip-address",
        "ipv6-address",
        "tag-key",
        "tag-value",
        "tag:team",
        "tag:",
        "tag:\u{0}",
        "creation-start-time",
        "creation-end-time",
        "",
        "ZONE",
        "tag:é",
    ];
    let values = [
        "ap-guangzhou-6",
        "ap-shanghai-2",
        "ap-",
        "-1",
        "0",
        "18446744073709551616",
        "host-abcd1234",
        "vpc-abcd1234",
        "subnet-ab",
        "ins-gz000001",
        "ins-1",
        "sg-8jlk3f3r",
        "",
        "ci",
        "web",
        "RUNNING",
        "PREPAID",
        "10.0.0.1",
        "::1",
        "2023-06-01 00:00:00",
        "9999-12-31 23:59:59",
        "1970-01-01 00:00:00",
        "\u{10ffff}",
        "\\",
        "%zz",
    ];
    let regions = ["ap-guangzhou", "ap-shanghai", "", "ap-nowhere"];
    let faults = [
        None,
        Some(Fault::DuplicateEntry),
        Some(Fault::DropEntries),
        Some(Fault::TotalCount(u64::MAX)),
        Some(Fault::ExtraEntry("ins-extra001".into())),
        Some(Fault::LatestOperationFailed),
        Some(Fault::Field {
            field: "InstanceState".into(),
            change: FieldChange::Lowercase,
        }),
        Some(Fault::Field {
            field: "Placement".into(),
            change: FieldChange::Missing,
        }),
        Some(Fault::RefuseRead {
            id: "ins-gz000001".into(),
            code: "UnauthorizedOperation".into(),
        }),
        Some(Fault::StaleReads(u32::MAX)),
        Some(Fault::StaleReadsFor(Duration::MAX)),
        Some(Fault::PartialBatch {
            acted: usize::MAX,
            code: "X".into(),
        }),
        Some(Fault::PartialBatch {
            acted: 0,
            code: "FailedOperation.Unreturnable".into(),
        }),
        Some(Fault::Refuse("".into())),
    ];
    let mut now = t0();
    for round in 0..3_000 {
        let pick = |n: u64, len: usize| (n as usize) % len;
        let filters: Vec<serde_json::Value> = (0..next() % 12)
            .map(|_| {
                let vs: Vec<&str> = (0..next() % 7)
                    .map(|_| values[pick(next(), values.len())])
                    .collect();
                serde_json::json!({"Name": names[pick(next(), names.len())], "Values": vs})
            })
            .collect();
        let mut body = serde_json::json!({});
        match next() % 4 {
            0 => body["Filters"] = filters.into(),
            1 => {
                body["Filters"] = filters.into();
                body["Limit"] = (next() % 102).into();
                body["Offset"] = (next() % 30).into();
            }
            2 => body["InstanceIds"] = serde_json::json!(["ins-gz000001", "ins-sh000001"]),
            _ => {}
        }
        let action = match next() % 5 {
            0 => "TerminateInstances",
            1 => "DescribeInstancesStatus",
            2 => "InquiryPriceTerminateInstances",
            _ => "DescribeInstances",
        };
        if action != "DescribeInstances" {
            let ids: Vec<String> = (0..1 + next() % 3)
                .map(|i| ["ins-gz000001", "ins-sh000001", "ins-00000001"][(i % 3) as usize].into())
                .collect();
            body = serde_json::json!({ "InstanceIds": ids });
        }
        let mut spec = Spec::action(action, body);
        spec.region = regions[pick(next(), regions.len())].into();
        spec.timestamp = now.unix_seconds();
        let request = spec.build();
        let handled = match &faults[pick(next(), faults.len())] {
            Some(fault) => e.handle_with_fault(&request, now, fault),
            None => e.handle(&request, now),
        };
        let answer = envelope(&handled);
        assert!(
            answer["Response"]["RequestId"].is_string(),
            "round {round}: {answer}"
        );
        now = now.after(Duration::from_millis(next() % 40));
        if round % 500 == 0 {
            e.upsert_instance(
                InstanceView::new("ins-gz000001")
                    .with_zone("ap-guangzhou-6")
                    .with_charge_type(ChargeType::Prepaid),
                now,
            )
            .unwrap();
        }
    }
}
