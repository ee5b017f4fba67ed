//! Every public core type that holds credentials, built with a sentinel secret:
//! its Debug and Display output must never contain the secret.

use std::time::Instant;

use tencentcloud_cvm_core::profile_file::parse_profile_file;
use tencentcloud_cvm_core::signing::{utc_date, Signer, SigningKey, SigningParams};
use tencentcloud_cvm_core::{
    ClientState, Credentials, ServiceConfig, TerminateInstances, TerminateOptions, Termination,
    TransportError, TransportErrorKind,
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
        Err(TransportError::new(
            TransportErrorKind::OutcomeUnknown,
            "timed out",
        )),
        t0,
        &mut state,
    );
    while let Some(event) = run.poll_event() {
        assert_clean("Event", &format!("{event:?}"));
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
