//! A whole-run refusal (the credentials refused, nothing answering) is one
//! error line and exit 2, in every command and format, with nothing on stdout
//! and nothing sent but the refused reads.
#![forbid(unsafe_code)]

use crate::common;

use common::*;

/// The key the emulator does not know.
const REJECTED: [(&str, &str); 2] = [
    ("TENCENTCLOUD_SECRET_ID", "AKIDrejectedKey0000abcd"),
    ("TENCENTCLOUD_SECRET_KEY", "rejected-key"),
];

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08}")).collect()
}

fn one_error_line(out: &std::process::Output) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(text(&out.stdout), "", "nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn a_rejected_secret_id_is_one_error_line_and_exit_2() {
    let svc = CountingEmulator::start(250);
    let url = svc.url();
    let ids = ids(250);
    let base = ["--region", "ap-guangzhou", "--endpoint", url.as_str()];
    let commands: Vec<Vec<&str>> = vec![
        vec!["terminate", "--yes"],
        vec!["terminate", "--yes", "-o", "jsonl"],
        vec!["terminate", "--yes", "--json"],
        vec!["terminate", "--dry-run", "-o", "jsonl"],
        vec!["terminate", "--yes", "--no-preflight"],
        vec!["status"],
        vec!["status", "-o", "jsonl"],
    ];
    for command in commands {
        let mut args = command.clone();
        args.extend_from_slice(&base);
        args.extend(ids.iter().map(String::as_str));
        let out = run(&args, &REJECTED, None);
        let line = one_error_line(&out);
        assert!(
            line.starts_with(
                "error: the service refused the credentials for all 250 instance(s), nothing was \
                 done: AuthFailure.SecretIdNotFound: "
            ),
            "{command:?}: {line}"
        );
        // A terminate run's outcomes keep the refusal's RequestId; a preview's
        // or a status read's entries carry none.
        if command[0] == "terminate" && command[1] != "--dry-run" {
            assert!(line.contains("(RequestId "), "{command:?}: {line}");
        }
        assert!(
            line.trim_end()
                .ends_with("the SecretId used was AKID****abcd"),
            "{command:?}: {line}"
        );
        assert!(!line.contains("rejected-key"), "{line}");
    }
    let still_running = svc.server.with_state(|e| {
        e.instances()
            .iter()
            .filter(|i| i.state == tencentcloud_cvm::model::InstanceState::Running)
            .count()
    });
    assert_eq!(still_running, 250);
}

#[test]
fn on_a_terminal_nothing_is_asked_after_a_rejected_read() {
    let svc = CountingEmulator::start(2);
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000 ins-00000001",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&command, &REJECTED, "y\n");
    assert_eq!(code, 2, "{screen}");
    assert!(!screen.contains("[y/N]"), "{screen}");
    assert!(
        screen.contains("error: the service refused the credentials for all 2 instance(s)"),
        "{screen}"
    );
}

#[test]
fn one_instance_read_makes_it_a_report_again() {
    // The same key, good: the missing instance is a row, not a refusal.
    let svc = CountingEmulator::start(1);
    let url = svc.url();
    let out = run(
        &[
            "status",
            "-o",
            "jsonl",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000000",
            "ins-00000404",
        ],
        &svc.env(),
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per instance, then the summary");
    let line = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap().clone();
    assert_eq!(line("ins-00000000")["found"], true);
    let missing = line("ins-00000404");
    assert_eq!(missing["found"], false);
    assert_eq!(
        missing["message"],
        "not found: DescribeInstances does not return it"
    );
    assert_eq!(lines[2]["summary"]["not_found"], 1);
}
