//! Issue 18 part 5: tccvm reaches an emulator serving HTTPS (`--tls-cert`, here
//! `Tls::self_signed()`) when told to trust its certificate, as curl is told:
//! `SSL_CERT_FILE=<the emulator's PEM>`, or `--ca-file`. Without that, nothing is
//! sent and the error is one line, exit 2.
#![forbid(unsafe_code)]

use crate::common;

use common::*;
use tencentcloud_cvm::model::InstanceState;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{Emulator, Tls};

/// The emulator on HTTPS with two instances, and its CA certificate in a file.
fn https_emulator() -> (CountingEmulator, TempDir, String) {
    let tls = Tls::self_signed().unwrap();
    let svc = CountingEmulator::with_tls(
        Emulator::builder()
            .credential(Credentials::new(SECRET_ID, SECRET_KEY))
            .instances(2),
        tls.clone(),
    );
    assert!(svc.url().starts_with("https://127.0.0.1:"), "{}", svc.url());
    let dir = TempDir::new("https");
    let pem = dir.path().join("emulator-ca.pem");
    std::fs::write(&pem, tls.certificate_pem()).unwrap();
    let pem = pem.display().to_string();
    (svc, dir, pem)
}

#[test]
fn status_and_terminate_over_https_trusting_ssl_cert_file() {
    let (svc, _dir, pem) = https_emulator();
    let url = svc.url();
    let mut env = svc.env();
    env.push(("SSL_CERT_FILE", &pem));
    let out = run(
        &[
            "status",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &env,
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("ins-00000000  RUNNING"), "{stdout}");
    assert!(stdout.contains("1 instance(s): 1 read"), "{stdout}");

    let out = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &env,
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 instance(s): 1 terminated"), "{stdout}");
    assert_eq!(svc.count("TerminateInstances"), 1);
    let state = svc
        .server
        .with_state(|e| e.instance("ins-00000000").map(|i| i.state));
    assert_ne!(state, Some(InstanceState::Running), "{state:?}");
}

/// `tccvm ARGS --region ap-guangzhou --endpoint URL --retry-budget 200ms IDS`: a
/// rejected certificate counts as not delivered, which is retried within the
/// retry budget (a minute by default), kept short here.
fn untrusting(
    svc: &CountingEmulator,
    command: &[&str],
    ids: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let url = svc.url();
    let mut args = command.to_vec();
    args.extend([
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &url,
        "--retry-budget",
        "200ms",
    ]);
    args.extend(ids);
    run(&args, env, None)
}

#[test]
fn without_trusting_the_certificate_nothing_is_sent_and_the_error_is_one_line() {
    let (svc, dir, _pem) = https_emulator();
    for command in [&["status"][..], &["terminate", "--yes"]] {
        let out = untrusting(&svc, command, &["ins-00000000", "ins-00000001"], &svc.env());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{command:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("TLS"), "{stderr}");
        assert_eq!(text(&out.stdout), "", "{command:?}");
    }
    assert_eq!(svc.entries().len(), 0, "no request reached the service");
    // Another authority's certificate is no better: the file replaces the
    // built-in roots, and trusts only what it holds.
    let other = dir.path().join("other-ca.pem");
    std::fs::write(&other, Tls::self_signed().unwrap().certificate_pem()).unwrap();
    let other = other.display().to_string();
    let mut env = svc.env();
    env.push(("SSL_CERT_FILE", &other));
    let out = untrusting(&svc, &["terminate", "--yes"], &["ins-00000000"], &env);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(svc.entries().len(), 0);
}

#[test]
fn ca_file_trusts_the_emulator_for_one_command() {
    let (svc, dir, pem) = https_emulator();
    let url = svc.url();
    let out = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "--ca-file",
            &pem,
            "ins-00000001",
        ],
        &svc.env(),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(svc.count("TerminateInstances"), 1);
    // A file that cannot be used: named, exit 2, nothing sent.
    let missing = dir.path().join("absent.pem").display().to_string();
    let out = run(
        &[
            "status",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "--ca-file",
            &missing,
            "ins-00000000",
        ],
        &svc.env(),
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: --ca-file: "), "{stderr}");
    assert!(stderr.contains("absent.pem"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        svc.count("DescribeInstances"),
        1,
        "only the first command's read"
    );
}

/// The question's identity comes over the same HTTPS, trusting the same file.
#[test]
fn the_question_names_the_caller_over_https() {
    let (svc, _dir, pem) = https_emulator();
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000",
        tccvm_path(),
        svc.url()
    );
    let mut env = svc.env();
    env.push(("SSL_CERT_FILE", &pem));
    let (code, screen) = run_on_terminal(&command, &env, "n\n");
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("As SecretId AK****st: account 100000000001, CAMUser qcs::cam:"),
        "{screen}"
    );
    assert_eq!(svc.count("GetCallerIdentity"), 1);
    assert_eq!(svc.count("TerminateInstances"), 0);
}
