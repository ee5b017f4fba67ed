//! Every public core type that holds credentials, built with a sentinel secret:
//! its Debug and Display output must never contain the secret.

use std::time::Instant;

use tencentcloud_cvm_core::instance_metadata::parse_role_credentials;
use tencentcloud_cvm_core::profile_file::{parse_profile, parse_profile_file};
use tencentcloud_cvm_core::response::DEFAULT_MAX_BODY;
use tencentcloud_cvm_core::signing::{utc_date, Signer, SigningKey, SigningParams};
use tencentcloud_cvm_core::sts::{self, AssumeRole, AssumeRoleWithWebIdentity};
use tencentcloud_cvm_core::tccli_config::{credential_in_file, parse_credential_file};
use tencentcloud_cvm_core::{
    ClientState, Credentials, ServiceConfig, TemporaryCredentials, TerminateInstances,
    TerminateOptions, Termination, TransportError,
};

const KEY: &str = "SENTINEL-SECRET-KEY-7f3a";
const TOKEN: &str = "SENTINEL-SESSION-TOKEN-91c2";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(KEY), "{what} leaks the SecretKey: {text}");
    assert!(
        !text.contains(TOKEN),
        "{what} leaks the session token: {text}"
    );
    assert!(!text.contains("SENTINEL"), "{what} leaks a secret: {text}");
}

#[test]
fn no_public_type_shows_a_secret() {
    let creds = Credentials::new("AKIDpublic", KEY).with_token(TOKEN);
    assert_clean("Credentials", &format!("{creds:?}"));
    assert_clean(
        "Secret",
        &format!("{:?} {:?}", creds.secret_key(), creds.token()),
    );

    let key = SigningKey::derive(creds.secret_key(), utc_date(1_700_000_000), "cvm");
    assert_clean("SigningKey", &format!("{key:?}"));

    let signer = Signer::new();
    let params = SigningParams::builder()
        .host("h")
        .action("A")
        .timestamp(1)
        .build()
        .unwrap();
    let out = signer.sign(&params, &creds);
    assert_clean("Signer", &format!("{signer:?}"));
    assert_clean("SigningOutput", &format!("{out:?} {}", out.authorization()));
    assert_clean(
        "Signature",
        &format!("{:?} {}", out.signature(), out.signature()),
    );
    assert_clean("SigningParams", &format!("{params:?}"));

    let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
    let req = TerminateInstances::new(["ins-00000001"]).unwrap();
    let http = config
        .terminate_instances(&req, 1_700_000_000, &creds, &signer)
        .unwrap();
    assert_clean("http::Request", &format!("{http:?}"));
    assert_clean("ServiceConfig", &format!("{config:?}"));

    // A whole run, each answer an unknown outcome: the run, its state, what
    // it asks to send, its events and its report.
    let t0 = Instant::now();
    let mut state = ClientState::new(config.clone());
    let mut run = Termination::new(
        ["ins-00000001", "ins-00000002"],
        &TerminateOptions::new(),
        t0,
    )
    .unwrap();
    let transmit = run
        .poll_transmit(t0, 1_700_000_000, &creds, &mut state)
        .unwrap();
    assert_clean("Transmit", &format!("{transmit:?}"));
    assert_clean("Termination", &format!("{run:?}"));
    assert_clean("ClientState", &format!("{state:?}"));
    run.handle_response(
        transmit.token,
        Err(TransportError::outcome_unknown("timed out")),
        t0,
        &mut state,
    );
    while let Some(event) = run.poll_event() {
        assert_clean("Event", &format!("{event:?}"));
    }
    while let Some(record) = run.poll_journal() {
        assert_clean("JournalRecord", &format!("{record:?} {}", record.to_line()));
    }
    let report = run.into_report();
    assert_clean(
        "Report",
        &format!("{report:?} {report} {}", report.to_json()),
    );

    let bad_token = Credentials::new("AKIDpublic", KEY).with_token(format!("{TOKEN}\n"));
    let err = config
        .terminate_instances(&req, 1, &bad_token, &signer)
        .unwrap_err();
    assert_clean("BuildError", &format!("{err:?} {err}"));

    let file = format!("[default]\nsecret_id = AKID\nsecret_key = {KEY}\ntoken = {TOKEN}\n{KEY}\n");
    let err = parse_profile_file(&file, "default").unwrap_err();
    assert_clean("ProfileFileError", &format!("{err:?} {err}"));
    let ok = parse_profile_file(&file.replace(&format!("\n{KEY}\n"), "\n"), "default").unwrap();
    assert_clean("parsed Credentials", &format!("{ok:?}"));
}

/// The temporary-credentials types: what the metadata service and STS answer,
/// the STS requests, and every error about them, built around sentinels.
#[test]
fn temporary_credentials_types_show_no_secret() {
    let answer = format!(
        r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}","Token":"{TOKEN}","ExpiredTime":1700007200,"Code":"Success"}}"#
    );
    let temporary = parse_role_credentials(answer.as_bytes()).unwrap();
    assert_clean("TemporaryCredentials", &format!("{temporary:?}"));
    let again = TemporaryCredentials::new(temporary.credentials().clone(), 1);
    assert_clean("TemporaryCredentials::new", &format!("{again:?}"));

    // Each way an answer can be wrong, with the secrets next to (or in) the defect.
    for broken in [
        answer.replace("Success", "Failed"),
        answer.replace(TOKEN, &format!("{TOKEN}\\r\\n")),
        answer.replace("1700007200", &format!("\"{KEY}\"")),
        answer.replace(&format!("\"{KEY}\""), "17"),
        answer[..answer.len() / 2].to_owned(),
        answer.replace(&format!("\"{TOKEN}\""), &format!("[\"{TOKEN}\"]")),
    ] {
        let e = parse_role_credentials(broken.as_bytes()).unwrap_err();
        assert_clean("metadata CredentialsAnswerError", &format!("{e:?} {e}"));
        let sts_body =
            format!(r#"{{"Response":{{"Credentials":{broken},"ExpiredTime":1,"RequestId":"r"}}}}"#);
        for status in [200, 500] {
            let mut response = http::Response::new(sts_body.clone().into_bytes());
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            if let Err(e) = sts::parse_credentials(&response, DEFAULT_MAX_BODY) {
                let source = std::error::Error::source(&e).map(|s| format!("{s:?} {s}"));
                assert_clean(
                    "STS CredentialsAnswerError",
                    &format!("{e:?} {e} {source:?}"),
                );
            }
        }
    }

    let config = sts::service_config("ap-guangzhou", Default::default()).unwrap();
    let creds = Credentials::new("AKIDpublic", KEY).with_token(TOKEN);
    let assume = AssumeRole::builder("qcs::cam::uin/1:roleName/r", "session")
        .build()
        .unwrap();
    let http = config
        .assume_role(&assume, 1_700_000_000, &creds, &Signer::new())
        .unwrap();
    assert_clean(
        "AssumeRole request",
        &format!("{assume:?} {:?}", http.headers()),
    );
    let web =
        AssumeRoleWithWebIdentity::builder("p", TOKEN, "qcs::cam::uin/1:roleName/r", "session")
            .build()
            .unwrap();
    let http = config.assume_role_with_web_identity(&web, 1_700_000_000);
    assert_clean(
        "AssumeRoleWithWebIdentity",
        &format!("{web:?} {:?}", http.headers()),
    );
    let e = AssumeRoleWithWebIdentity::builder("p", format!("{TOKEN}\n"), "a", "session")
        .build()
        .unwrap_err();
    assert_clean("InvalidStsParameter", &format!("{e:?} {e}"));

    for bad in [
        Credentials::new(format!("AKID{KEY}\n"), "k"),
        Credentials::new("AKID", format!("{KEY}\r")),
        Credentials::new("AKID", "k").with_token(format!("{TOKEN}\u{7}")),
    ] {
        let e = bad.validate().unwrap_err();
        assert_clean("InvalidCredentials", &format!("{e:?} {e}"));
    }
    let file =
        format!("[p]\nsecret_id = A\nsecret_key = {KEY}\ntoken = {TOKEN}\r1\nrole_arn = r\n");
    let e = parse_profile(&file, "p").unwrap_err();
    assert_clean("ProfileFileError::InvalidValue", &format!("{e:?} {e}"));
}

/// tccli's credential file: what it holds never shows, accepted or refused.
#[test]
fn tccli_files_never_show_a_secret() {
    let keys = format!(
        "{{\n  \"secretId\": \"AKIDpublic\",\n  \"secretKey\": \"{KEY}\",\n  \"token\": \"{TOKEN}\"\n}}"
    );
    let parsed = parse_credential_file(&keys).unwrap();
    assert_clean("TccliCredential", &format!("{parsed:?}"));
    let role = keys.replace(
        "\"token\"",
        "\"role-arn\": \"qcs::cam::uin/1:roleName/r\", \"role-session-name\": \"s\", \"token\"",
    );
    assert_clean(
        "TccliCredential",
        &format!("{:?}", parse_credential_file(&role)),
    );
    let path = std::path::Path::new("/home/ops/.tccli/default.credential");
    for refused in [
        keys.replace("\"token\"", "\"type\": \"sso\", \"token\""),
        keys.replace(KEY, &format!("{KEY}\\u0000")),
        keys.replace(TOKEN, &format!("{TOKEN}\\n")),
        keys.replace("\"secretId\": \"AKIDpublic\",", ""),
        role.replace("\"role-session-name\": \"s\", ", ""),
        keys[..keys.len() - 8].to_owned(),
    ] {
        let e = credential_in_file(path, &refused).unwrap_err();
        assert_clean("tccli file error", &format!("{e:?} {e}"));
    }
}
