//! What the service says is shown, never obeyed: a message holding escape
//! sequences and a newline puts no raw control byte on the output and cannot
//! add a row to the table; the JSON keeps it exactly.
#![forbid(unsafe_code)]

use crate::common;

use common::*;

const HOSTILE: &str = "拒绝\u{1b}[2J\u{1b}]0;owned\u{7}\u{1b}[1A\nins-zzzzzzzz  terminated  -  fake\r\u{9b}31m\u{202e}";

fn hostile_service() -> FakeService {
    service_answering("UnauthorizedOperation")
}

fn service_answering(code: &'static str) -> FakeService {
    FakeService::start(move |_| {
        serde_json::json!({"Response": {
            "Error": {"Code": code, "Message": HOSTILE},
            "RequestId": "req-\u{1b}[31m-1",
        }})
        .to_string()
    })
}

/// Runs tccvm without the preflight read, so the hostile text comes as the
/// answer to TerminateInstances.
fn terminate(svc: &FakeService, format: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "terminate",
        "--yes",
        "--no-preflight",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &svc.url,
        "ins-00000001",
        "ins-00000002",
    ];
    args.extend_from_slice(format);
    let out = run(
        &args,
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDhostile"),
            ("TENCENTCLOUD_SECRET_KEY", "hostile-key"),
        ],
        None,
    );
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn has_raw_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn the_table_escapes_what_the_service_says() {
    let svc = hostile_service();
    let (code, stdout, stderr) = terminate(&svc, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'));
    assert!(!has_raw_control(&stdout), "{stdout:?}");
    assert!(!has_raw_control(&stderr), "{stderr:?}");
    // Header, two rows, the summary: no row was injected.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[1].starts_with("ins-00000001  failed"), "{stdout}");
    assert!(lines[2].starts_with("ins-00000002  failed"), "{stdout}");
    assert!(
        lines[1]
            .contains("拒绝\\u{1b}[2J\\u{1b}]0;owned\\u{7}\\u{1b}[1A\\nins-zzzzzzzz  terminated"),
        "{stdout}"
    );
    assert!(lines[1].contains("req-\\u{1b}[31m-1"), "{stdout}");
    assert_eq!(lines[3], "2 instance(s): 0 terminated, 2 failed, 0 unknown");
    assert_eq!(svc.count("TerminateInstances"), 1);
}

#[test]
fn a_refused_read_is_escaped_too_and_nothing_is_terminated() {
    let svc = hostile_service();
    let url = svc.url.clone();
    for command in [
        vec![
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000001",
        ],
        vec![
            "terminate",
            "--dry-run",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000001",
        ],
        vec![
            "status",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000001",
        ],
    ] {
        let out = run(
            &command,
            &[
                ("TENCENTCLOUD_SECRET_ID", "AKIDhostile"),
                ("TENCENTCLOUD_SECRET_KEY", "hostile-key"),
            ],
            None,
        );
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(!has_raw_control(&stdout), "{command:?}: {stdout:?}");
        assert!(!has_raw_control(&stderr), "{command:?}: {stderr:?}");
        assert!(stdout.contains("\\u{1b}[2J"), "{command:?}: {stdout}");
        // Header, the row, the summary line.
        assert_eq!(stdout.lines().count(), 3, "{command:?}: {stdout}");
    }
    assert!(svc.count("DescribeInstances") >= 3);
    assert_eq!(svc.count("TerminateInstances"), 0);
}

#[test]
fn json_and_jsonl_keep_it_exactly() {
    let svc = hostile_service();
    let (code, stdout, _) = terminate(&svc, &["--json"]);
    assert_eq!(code, 1);
    assert!(
        !stdout.contains('\u{1b}'),
        "JSON escapes control characters"
    );
    // C1 controls (U+009B is an 8-bit CSI) are escaped too, not only C0.
    assert!(
        !stdout.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{stdout:?}"
    );
    assert!(stdout.contains(r"\u009b31m"), "{stdout}");
    assert!(!has_raw_control(&stdout), "{stdout:?}");
    let doc: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    for entry in doc["instances"].as_array().unwrap() {
        assert_eq!(entry["message"], HOSTILE);
        assert_eq!(entry["request_id"], "req-\u{1b}[31m-1");
    }

    let (_, stdout, _) = terminate(&svc, &["--output", "jsonl"]);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "two instances, then the summary: {stdout}");
    assert!(lines[..2].iter().all(|l| l["message"] == HOSTILE));
    assert_eq!(lines[2]["summary"]["failed"], 2);
    assert_eq!(svc.count("TerminateInstances"), 2);
}

#[test]
fn a_v_log_line_escapes_an_error_code_with_escape_bytes() {
    let svc = service_answering("Unauthorized\u{1b}[31mOperation\u{9b}2J");
    let out = run(
        &[
            "-v",
            "terminate",
            "--yes",
            "--no-preflight",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &svc.url,
            "ins-00000001",
        ],
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDhostile"),
            ("TENCENTCLOUD_SECRET_KEY", "hostile-key"),
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!has_raw_control(&stderr), "{stderr:?}");
    // The log line names the code, escaped as the table escapes it.
    assert!(
        stderr.contains(
            "TerminateInstances answered: HTTP 200, RequestId req-\\u{1b}[31m-1, error Unauthorized\\u{1b}[31mOperation\\u{9b}2J"
        ),
        "{stderr}"
    );
}
