//! tccvm's credentials errors: exit 2, before anything is sent, naming the
//! source and never a secret. A metadata service that accepts and never
//! answers; a CR/LF inside a SecretId or token; a FIFO as the credentials file.
#![forbid(unsafe_code)]

use crate::common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::*;

const ARGS: fn(&str) -> Vec<&str> = |endpoint| {
    vec![
        "terminate",
        "--yes",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        endpoint,
        "ins-00000001",
    ]
};

#[test]
fn a_metadata_service_that_never_answers_fails_in_under_5_seconds() {
    let (metadata, metadata_connections) = silent_listener();
    let (endpoint, cvm_connections) = silent_listener();
    let started = Instant::now();
    let out = run(
        &ARGS(&endpoint),
        &[("TENCENTCLOUD_METADATA_ENDPOINT", &metadata)],
        None,
    );
    let elapsed = started.elapsed();
    let stderr = text(&out.stderr);
    eprintln!("credentials error after {elapsed:?}: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(stderr.contains("credentials from CVM role"), "{stderr}");
    assert!(stderr.contains(&format!("the instance metadata service at {metadata} did not answer: timed out after connecting")), "{stderr}");
    // One request, not retried after a timeout; nothing sent to CVM.
    assert_eq!(metadata_connections.load(Ordering::SeqCst), 1);
    assert_eq!(cvm_connections.load(Ordering::SeqCst), 0);
}

#[test]
fn no_credentials_anywhere_lists_every_source() {
    let (endpoint, cvm_connections) = silent_listener();
    // A port nothing listens on: connection refused, "not on a CVM".
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let out = run(
        &ARGS(&endpoint),
        &[("TENCENTCLOUD_METADATA_ENDPOINT", &closed)],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for source in [
        "environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set",
        "profile file: no credentials file at ",
        "STS AssumeRole: TENCENTCLOUD_ROLE_ARN is not set",
        "TKE OIDC: TKE_REGION",
        "CVM role: no instance metadata service at",
    ] {
        assert!(stderr.contains(source), "{source:?} missing from {stderr}");
    }
    assert_eq!(cvm_connections.load(Ordering::SeqCst), 0);
}

#[test]
fn a_line_break_inside_a_secret_id_or_token_is_a_validation_error() {
    const KEY: &str = "SENTINEL-KEY-c0a1";
    let (endpoint, cvm_connections) = silent_listener();
    for (id, token, variable) in [
        ("AKID\r\nX-Injected: yes", None, "TENCENTCLOUD_SECRET_ID"),
        (
            "AKIDfine",
            Some("SENTINEL-TOKEN\nX"),
            "TENCENTCLOUD_SESSION_TOKEN",
        ),
        ("AKIDfine", Some("SENTINEL-TOKEN\r2"), "TENCENTCLOUD_TOKEN"),
    ] {
        let mut env = vec![
            ("TENCENTCLOUD_SECRET_ID", id),
            ("TENCENTCLOUD_SECRET_KEY", KEY),
        ];
        if let Some(t) = token {
            env.push((variable, t));
        }
        let out = run(&ARGS(&endpoint), &env, None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "{variable} contains a control character (such as CR or LF)"
            )),
            "{stderr}"
        );
        assert!(
            !stderr.contains("SENTINEL") && !stderr.contains("Injected"),
            "{stderr}"
        );
        assert!(!text(&out.stdout).contains("SENTINEL"));
    }
    assert_eq!(
        cvm_connections.load(Ordering::SeqCst),
        0,
        "nothing was sent"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_credentials_file_fails_at_once() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path().join("credentials");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (endpoint, cvm_connections) = silent_listener();
    let started = Instant::now();
    let out = run(
        &ARGS(&endpoint),
        &[("TENCENTCLOUD_CREDENTIALS_FILE", &fifo.display().to_string())],
        None,
    );
    let elapsed = started.elapsed();
    let stderr = text(&out.stderr);
    eprintln!("FIFO refused after {elapsed:?}: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "profile file {}: is a FIFO (named pipe), not a regular file",
            fifo.display()
        )),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(cvm_connections.load(Ordering::SeqCst), 0);
}
