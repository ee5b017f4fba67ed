//! tccvm on the safe flow, against the emulator: a re-run skips what the first
//! run put in the recycle bin (exit 0, nothing sent), `--destroy-prepaid` is the
//! only way to destroy it, the question summarises what was read, a yes
//! terminates only what the question showed, `--dry-run` and `status` read and
//! send nothing else, `--no-preflight` reads nothing, `--wait` waits.
#![forbid(unsafe_code)]

use crate::common;

use common::*;
use tencentcloud_cvm::model::{ChargeType, InstanceState};
use tencentcloud_cvm::transport::WallClock;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{Emulator, InstanceView};

/// A prepaid instance with a year left.
fn prepaid(id: &str) -> InstanceView {
    let year = tencentcloud_cvm::transport::SystemClock.unix_time() + 365 * 86_400;
    InstanceView::new(id)
        .with_charge_type(ChargeType::Prepaid)
        .with_expired_time(year)
}

fn emulator(views: Vec<InstanceView>) -> CountingEmulator {
    let mut config = Emulator::builder().credential(Credentials::new(SECRET_ID, SECRET_KEY));
    for view in views {
        config = config.instance(view);
    }
    CountingEmulator::with(config)
}

fn terminate(svc: &CountingEmulator, extra: &[&str], ids: &[&str]) -> (i32, serde_json::Value) {
    let url = svc.url();
    let mut args = vec![
        "terminate",
        "--json",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &url,
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(ids);
    let out = run(&args, &svc.env(), None);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

fn outcomes(json: &serde_json::Value) -> Vec<String> {
    json["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let key = if i.get("outcome").is_some() {
                "outcome"
            } else {
                "action"
            };
            i[key].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_re_run_skips_the_recycle_bin_and_only_destroy_prepaid_destroys() {
    let ids = ["ins-00000001", "ins-00000002", "ins-00000003"];
    let svc = emulator(ids.iter().map(|id| prepaid(id)).collect());

    let (code, run1) = terminate(&svc, &["--yes"], &ids);
    assert_eq!(code, 0, "{run1}");
    assert_eq!(outcomes(&run1), ["terminated"; 3]);
    assert_eq!(svc.count("TerminateInstances"), 1);

    // The same command again: already in the recycle bin, nothing sent, done.
    let (code, run2) = terminate(&svc, &["--yes"], &ids);
    assert_eq!(code, 0, "skipped counts as done: {run2}");
    assert_eq!(outcomes(&run2), ["skipped"; 3]);
    assert!(run2["instances"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["state"] == "SHUTDOWN"));
    assert_eq!(svc.count("TerminateInstances"), 1, "nothing sent by run 2");

    let (code, run3) = terminate(&svc, &["--yes", "--destroy-prepaid"], &ids);
    assert_eq!(code, 0, "{run3}");
    assert_eq!(outcomes(&run3), ["terminated"; 3]);
    assert_eq!(svc.count("TerminateInstances"), 2);
    let left = svc
        .server
        .with_state(|e| ids.iter().filter_map(|id| e.instance(id)).count());
    assert_eq!(left, 0, "destroyed");
}

/// Running `ins-00000001` and `ins-00000002`, protected `ins-00000003`, prepaid
/// `ins-00000004` running and `ins-00000005` in the recycle bin.
fn mixed() -> CountingEmulator {
    emulator(vec![
        InstanceView::new("ins-00000001").with_name("web-1"),
        InstanceView::new("ins-00000002").with_name("web-2"),
        InstanceView::new("ins-00000003").with_termination_protection(true),
        prepaid("ins-00000004"),
        prepaid("ins-00000005").with_state(InstanceState::Shutdown),
    ])
}

const MIXED: [&str; 6] = [
    "ins-00000001",
    "ins-00000002",
    "ins-00000003",
    "ins-00000004",
    "ins-00000005",
    "ins-00000404",
];

#[test]
fn dry_run_shows_each_action_and_the_refund_and_terminates_nothing() {
    let svc = mixed();
    let (code, plan) = terminate(&svc, &["--dry-run"], &MIXED);
    assert_eq!(code, 1, "two would fail: {plan}");
    assert_eq!(
        outcomes(&plan),
        [
            "terminate",
            "terminate",
            "fail",
            "terminate",
            "skip",
            "fail"
        ]
    );
    let entries = plan["instances"].as_array().unwrap();
    // Refunds are exact decimal strings with the currency (the China site's here).
    assert_eq!(
        entries[0]["refund"],
        serde_json::json!({"amount": "0.00", "currency": "CNY"})
    );
    let prepaid_refund = entries[3]["refund"]["amount"].as_str().unwrap();
    assert!(prepaid_refund.parse::<f64>().unwrap() > 0.0, "{plan}");
    assert_eq!(
        prepaid_refund.split('.').nth(1).map(str::len),
        Some(2),
        "{plan}"
    );
    assert_eq!(plan["summary"]["terminate"], 3);
    assert_eq!(plan["summary"]["skip"], 1);
    assert_eq!(plan["summary"]["fail"], 2);
    assert_eq!(plan["summary"]["refund"]["amount"], prepaid_refund);
    assert_eq!(
        entries[2]["code"],
        "UnsupportedOperation.InstancesProtected"
    );
    assert_eq!(entries[5]["code"], "InvalidInstanceId.NotFound");
    assert_eq!(svc.count("TerminateInstances"), 0);
    assert_eq!(svc.count("InquiryPriceTerminateInstances"), 1);
}

#[test]
fn the_question_sums_up_the_plan_and_a_yes_terminates_only_what_it_showed() {
    let svc = mixed();
    let command = format!(
        "{} terminate --json --region ap-guangzhou --endpoint {} {}",
        tccvm_path(),
        svc.url(),
        MIXED.join(" ")
    );
    // While the question waits, ins-00000003 loses its protection: it was not in
    // what the person said yes to, so it is not terminated.
    let unprotect = || {
        let now = svc.server.now();
        let view = InstanceView::new("ins-00000003");
        svc.server
            .with_state_mut(|e| e.upsert_instance(view, now))
            .unwrap();
    };
    let (code, screen) = answer_on_terminal(&command, &svc.env(), "[y/N] ", unprotect, "y\n");
    assert_eq!(code, 1, "{screen}");
    for line in [
        ": 6 instance(s) read\r\n",
        "  terminate      3  POSTPAID_BY_HOUR 2, PREPAID 1\r\n",
        "  skip           1  prepaid, already in the recycle bin",
        "  fail           2  InvalidInstanceId.NotFound 1, UnsupportedOperation.InstancesProtected 1\r\n",
        "Refund: ",
        "  ins-00000001  RUNNING  POSTPAID_BY_HOUR  web-1\r\n",
        "Terminate 3 instance(s)? [y/N] ",
    ] {
        assert!(screen.contains(line), "{line:?} not in {screen}");
    }
    assert_eq!(
        svc.count("TerminateInstances"),
        2,
        "one per charge type: {screen}"
    );
    let protected_state = svc
        .server
        .with_state(|e| e.instance("ins-00000003").map(|i| i.state));
    assert_eq!(protected_state, Some(InstanceState::Running));
    let json_start = screen.find("{\"schema_version\"").unwrap();
    let report: serde_json::Value = serde_json::from_str(screen[json_start..].trim()).unwrap();
    assert_eq!(
        outcomes(&report),
        [
            "terminated",
            "terminated",
            "failed",
            "terminated",
            "skipped",
            "failed"
        ]
    );
}

#[test]
fn destroying_the_recycle_bin_is_spelt_out_and_nothing_left_is_not_asked() {
    let svc = emulator(vec![
        prepaid("ins-00000005").with_state(InstanceState::Shutdown)
    ]);
    let base = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000005",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&format!("{base} --destroy-prepaid"), &svc.env(), "n\n");
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains(
            "1 of them prepaid and already in the recycle bin: terminating destroys them for good"
        ),
        "{screen}"
    );
    assert_eq!(svc.count("TerminateInstances"), 0);

    // Without --destroy-prepaid there is nothing to terminate: no question, done.
    let (code, screen) = run_on_terminal(&base, &svc.env(), "");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Nothing to terminate."), "{screen}");
    assert!(!screen.contains("[y/N]"), "{screen}");
    assert!(screen.contains("1 instance(s): 0 terminated, 0 failed, 0 unknown, 1 skipped"));
    assert_eq!(svc.count("TerminateInstances"), 0);
}

#[test]
fn no_preflight_reads_nothing_first() {
    let svc = mixed();
    let command = format!(
        "{} terminate --no-preflight --region ap-guangzhou --endpoint {} ins-00000001",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&command, &svc.env(), "y\n");
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("1 instance(s) to terminate, not read first"),
        "{screen}"
    );
    let actions: Vec<Option<String>> = svc.entries().iter().map(|e| e.action.clone()).collect();
    assert_eq!(actions, [Some("TerminateInstances".to_owned())]);
}

#[test]
fn status_reads_and_sends_nothing_else() {
    let svc = mixed();
    let (_, done) = terminate(&svc, &["--yes"], &["ins-00000001"]);
    let request_id = done["instances"][0]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = svc.url();
    let out = run_status(&svc, &url, &["--json", "ins-00000001", "ins-00000003"]);
    assert_eq!(out.0, 0, "both read");
    let entries = out.1["instances"].as_array().unwrap().clone();
    assert_eq!(entries[0]["state"], "TERMINATING");
    assert_eq!(entries[0]["latest_operation"], "TerminateInstances");
    assert_eq!(
        entries[0]["latest_operation_request_id"],
        request_id.as_str()
    );
    assert_eq!(entries[1]["protected"], true);
    assert_eq!(entries[1]["name"], "ins-00000003");

    let out = run(
        &[
            "status",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000002",
            "ins-00000404",
        ],
        &svc.env(),
        None,
    );
    assert_eq!(out.status.code(), Some(1), "one does not exist");
    let table = text(&out.stdout);
    assert!(
        table.starts_with(
            "INSTANCE      STATE    CHARGE TYPE       PROTECTED  LATEST OPERATION  NAME"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "ins-00000002  RUNNING  POSTPAID_BY_HOUR  no         -                 web-2"
        ),
        "{table}"
    );
    assert!(
        table.ends_with("2 instance(s): 1 read, 1 not found or not read\n"),
        "{table}"
    );
    assert_eq!(
        svc.count("TerminateInstances"),
        1,
        "only the terminate above"
    );
}

fn run_status(svc: &CountingEmulator, url: &str, rest: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["status", "--region", "ap-guangzhou", "--endpoint", url];
    args.extend_from_slice(rest);
    let out = run(&args, &svc.env(), None);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn wait_reads_until_the_instances_are_gone() {
    let svc = CountingEmulator::with(
        Emulator::builder()
            .credential(Credentials::new(SECRET_ID, SECRET_KEY))
            .instances(2)
            .terminating_for(std::time::Duration::from_millis(200)),
    );
    let (code, report) = terminate(
        &svc,
        &["--yes", "--wait", "--wait-timeout", "60s"],
        &["ins-00000000", "ins-00000001"],
    );
    assert_eq!(code, 0, "{report}");
    for entry in report["instances"].as_array().unwrap() {
        assert_eq!(entry["outcome"], "terminated");
        assert_eq!(entry["message"], "gone", "{report}");
    }
    assert_eq!(svc.count("TerminateInstances"), 1);
    // The read before, and at least one while waiting.
    assert!(svc.count("DescribeInstances") >= 2);
}

#[test]
fn status_jsonl_prints_one_line_per_instance_then_the_summary() {
    let svc = CountingEmulator::start(150);
    let url = svc.url();
    let ids: Vec<String> = (0..150).map(|i| format!("ins-{i:08}")).collect();
    let mut args = vec![
        "status",
        "-o",
        "jsonl",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &url,
    ];
    args.extend(ids.iter().map(String::as_str));
    let out = run(&args, &svc.env(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, instances) = lines.split_last().unwrap();
    assert_eq!(instances.len(), 150);
    let seen: std::collections::HashSet<&str> = instances
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen.len(), 150, "one line per instance");
    assert!(instances
        .iter()
        .all(|l| l["state"] == "RUNNING" && l["region"] == "ap-guangzhou"));
    assert_eq!(summary["command"], "status");
    assert_eq!(summary["summary"]["read"], 150);
    assert_eq!(svc.count("DescribeInstances"), 2);
}

#[test]
fn the_json_summary_counts_match_its_rows() {
    let svc = mixed();
    let (code, report) = terminate(&svc, &["--yes"], &MIXED);
    assert_eq!(code, 1, "{report}");
    let rows = report["instances"].as_array().unwrap();
    assert_eq!(report["summary"]["instances"], rows.len());
    for outcome in ["terminated", "failed", "unknown", "not_sent", "skipped"] {
        let counted = rows.iter().filter(|r| r["outcome"] == outcome).count();
        assert_eq!(report["summary"][outcome], counted, "{outcome}: {report}");
    }
    assert_eq!(report["summary"]["terminated"], 3);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["command"], "terminate");
    assert_eq!(report["region"], "ap-guangzhou");
    assert_eq!(report["interrupted"], false);
    let started = report["started_at"].as_str().unwrap();
    let finished = report["finished_at"].as_str().unwrap();
    let (s, f) = (
        tencentcloud_cvm::model::utc_time::parse_utc(started).unwrap(),
        tencentcloud_cvm::model::utc_time::parse_utc(finished).unwrap(),
    );
    assert!(s <= f, "{started} {finished}");
    // Names as read; the REQUEST ID of a row never sent is not a read's.
    assert_eq!(rows[0]["name"], "web-1");
    assert_eq!(rows[0]["charge_type"], "POSTPAID_BY_HOUR");
    assert!(rows[0]["request_id"].is_string());
    let protected = &rows[2];
    assert_eq!(protected["outcome"], "failed");
    assert_eq!(protected["request_id"], serde_json::Value::Null);
    assert!(protected["read_request_id"].is_string(), "{protected}");
    assert_eq!(rows[5]["zone"], serde_json::Value::Null);
}

#[test]
fn the_table_fits_a_100_column_terminal() {
    let svc = mixed();
    let command = format!(
        // -q: no progress bar on the terminal, only the report.
        "stty cols 100 rows 50; {} terminate -q --yes --region ap-guangzhou --endpoint {} {}",
        tccvm_path(),
        svc.url(),
        MIXED.join(" ")
    );
    let (code, screen) = run_on_terminal(&command, &svc.env(), "");
    assert_eq!(code, 1, "{screen}");
    let lines: Vec<&str> = screen.lines().map(|l| l.trim_end_matches('\r')).collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("INSTANCE "))
        .unwrap_or_else(|| panic!("{screen}"));
    for line in &lines[header..] {
        assert!(
            unicode_width::UnicodeWidthStr::width(*line) <= 100,
            "{} columns: {line:?}\n{screen}",
            line.len()
        );
    }
    assert!(lines[header].contains("NAME"), "{screen}");
    assert!(
        screen.contains("6 instance(s): 3 terminated, 2 failed, 0 unknown, 1 skipped"),
        "{screen}"
    );
    // The messages are all there, wrapped: the protected one's code among them.
    assert!(
        screen.contains("UnsupportedOperation.InstancesProtected"),
        "{screen}"
    );
}
