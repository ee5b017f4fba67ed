//! The terminate CLI (`examples/terminate.rs`) end to end, as a user runs it:
//! `--emulator` mode against a real loopback emulator, JSON output, stdin input,
//! exit codes, and a dry run that shows no secret.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The example binary `cargo test` built next to this test; built on demand
/// (in a separate target dir, so as not to wait on this run's build lock) when
/// only this test target was compiled.
fn terminate_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let built = profile_dir
        .join("examples")
        .join(format!("terminate{}", std::env::consts::EXE_SUFFIX));
    if built.exists() {
        return built;
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("cli-test");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--example",
            "terminate",
            "--manifest-path",
        ])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    target
        .join("debug")
        .join("examples")
        .join(format!("terminate{}", std::env::consts::EXE_SUFFIX))
}

fn run(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(terminate_binary());
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .env(
            "TENCENTCLOUD_CREDENTIALS_FILE",
            "/nonexistent/tencentcloud-cvm-test",
        );
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn emulator_demo_terminates_everything() {
    let out = run(&["--emulator"], None, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("terminated"), "{text}");
    assert!(text.contains("0 failed, 0 unknown"), "{text}");
}

#[test]
fn emulator_json_report_has_one_entry_per_instance() {
    let out = run(
        &[
            "--emulator",
            "--json",
            "--release-address",
            "ins-00000001",
            "ins-abcdefgh",
            "ins-00000001",
        ],
        None,
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let list = json["instances"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for entry in list {
        assert_eq!(entry["outcome"], "terminated");
        assert!(entry["request_id"].as_str().unwrap().len() == 36);
        assert!(entry.get("code").is_some() && entry.get("message").is_some());
    }
}

#[test]
fn ids_from_stdin() {
    let out = run(
        &["--emulator", "--json", "-"],
        Some("ins-00000001\n ins-00000002\tins-00000003\n\n"),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["instances"].as_array().unwrap().len(), 3);
}

#[test]
fn usage_and_validation_errors_exit_2_and_send_nothing() {
    let malformed = run(&["--emulator", "ins-00000001", "ins-BAD"], None, &[]);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("InvalidInstanceId.Malformed"));
    assert_eq!(
        run(&["ins-00000001"], None, &[]).status.code(),
        Some(2),
        "--region is required"
    );
    assert_eq!(
        run(&["--region", "ap-guangzhou", "--bogus"], None, &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--emulator", "--language", "fr-FR"], None, &[])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn unreachable_endpoint_exits_1_with_an_outcome() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(
        &[
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--json",
            "ins-00000001",
        ],
        None,
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDcli"),
            ("TENCENTCLOUD_SECRET_KEY", "cli-key"),
            ("NO_PROXY", "*"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["instances"][0]["outcome"], "failed");
}

#[test]
fn dry_run_prints_signed_requests_without_secrets() {
    let out = run(
        &[
            "--region",
            "ap-shanghai",
            "--dry-run",
            "--language",
            "en-US",
            "ins-00000001",
        ],
        None,
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDcli"),
            ("TENCENTCLOUD_SECRET_KEY", "SENTINEL-CLI-KEY"),
            ("TENCENTCLOUD_SESSION_TOKEN", "SENTINEL-CLI-TOKEN"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out) + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("POST https://cvm.tencentcloudapi.com/"),
        "{text}"
    );
    assert!(
        text.contains("TC3-HMAC-SHA256 Credential=AKIDcli/"),
        "{text}"
    );
    assert!(
        text.contains(r#"{"InstanceIds":["ins-00000001"]}"#),
        "{text}"
    );
    assert!(!text.contains("SENTINEL"), "a secret leaked: {text}");
}
