//! `tccvm terminate` end to end, as a user runs it: the embedded emulator, JSON
//! output, IDs on standard input, exit codes, a dry run that shows no secret, and
//! interrupts (SIGINT/SIGTERM) with requests in flight.
#![forbid(unsafe_code)]

use crate::common;

use std::process::{Command, Output, Stdio};

use common::*;

fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

#[cfg(feature = "emulator")]
#[test]
fn emulator_demo_terminates_everything() {
    let out = run(&["terminate", "--emulator"], &[], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        text(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("terminated"), "{text}");
    assert!(text.contains("0 failed, 0 unknown"), "{text}");
}

/// The demo instances stand in for IDs only in a bare `--emulator` run: naming a
/// region makes it the run an operator could mean for real, refused without IDs or
/// a filter (it used to terminate the demo instances and exit 0).
#[cfg(feature = "emulator")]
#[test]
fn an_emulator_run_naming_a_region_without_ids_or_a_filter_is_refused() {
    let out = run(
        &[
            "terminate",
            "--emulator",
            "--yes",
            "--json",
            "--region",
            "ap-guangzhou",
        ],
        &[],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}{stderr}", stdout(&out));
    assert!(stderr.contains("no instance IDs and no filter"), "{stderr}");
    assert!(!stdout(&out).contains("terminated"), "{}", stdout(&out));
}

#[cfg(feature = "emulator")]
#[test]
fn emulator_json_report_has_one_entry_per_instance() {
    let out = run(
        &[
            "terminate",
            "--emulator",
            "--json",
            "--release-address",
            "ins-00000001",
            "ins-abcdefgh",
            "ins-00000001",
        ],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let list = json["instances"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for entry in list {
        assert_eq!(entry["outcome"], "terminated");
        assert!(entry["request_id"].as_str().unwrap().len() == 36);
        assert!(entry.get("code").is_some() && entry.get("message").is_some());
    }
}

#[cfg(feature = "emulator")]
#[test]
fn ids_from_stdin() {
    let out = run(
        &["terminate", "--emulator", "--json", "-"],
        &[],
        Some("ins-00000001\n ins-00000002\tins-00000003\n\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["instances"].as_array().unwrap().len(), 3);
}

#[test]
fn usage_and_validation_errors_exit_2_and_send_nothing() {
    let svc = CountingEmulator::start(1);
    let url = svc.url();
    let malformed = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000000",
            "ins-BAD",
        ],
        &svc.env(),
        None,
    );
    assert_eq!(malformed.status.code(), Some(2));
    assert!(text(&malformed.stderr).contains("InvalidInstanceId.Malformed"));
    assert_eq!(
        run(&["terminate", "--yes", "ins-00000001"], &svc.env(), None)
            .status
            .code(),
        Some(2),
        "a region is required"
    );
    let bogus = run(
        &["terminate", "--region", "ap-guangzhou", "--bogus"],
        &[],
        None,
    );
    assert_eq!(bogus.status.code(), Some(2));
    let misspelt = run(&["terminate", "--regoin", "ap-guangzhou"], &[], None);
    assert_eq!(misspelt.status.code(), Some(2));
    assert!(text(&misspelt.stderr).contains("a similar argument exists: '--region'"));
    assert_eq!(
        run(
            &["terminate", "--emulator", "--language", "fr-FR"],
            &[],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(
            &["terminate", "--yes", "--region", "ap-guangzhou"],
            &[],
            None
        )
        .status
        .code(),
        Some(2),
        "no IDs"
    );
    assert_eq!(svc.entries().len(), 0, "nothing was sent");
}

#[test]
fn version_and_help() {
    let out = run(&["--version"], &[], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!("tccvm {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run(&["terminate", "--help"], &[], None);
    assert_eq!(out.status.code(), Some(0));
    for flag in [
        "--yes",
        "--output",
        "--timeout",
        "--profile",
        "--verbose",
        "--emulator",
    ] {
        assert!(stdout(&out).contains(flag), "{flag}");
    }
}

#[cfg(not(feature = "emulator"))]
#[test]
fn without_the_emulator_feature_the_flag_says_so() {
    let out = run(&["terminate", "--emulator"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("built without the embedded emulator"),
        "{}",
        text(&out.stderr)
    );
}

/// Nothing answers: a whole-run refusal, one error line and exit 2, with no
/// row per instance. The retry budget is short, so the test does not wait out
/// the default minute of retries.
#[test]
fn an_unreachable_endpoint_is_one_error_and_exit_2() {
    let endpoint = closed_port_url();
    let started = std::time::Instant::now();
    let out = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &endpoint,
            "--retry-budget",
            "1s",
            "--json",
            "ins-00000001",
            "ins-00000002",
        ],
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDcli"),
            ("TENCENTCLOUD_SECRET_KEY", "cli-key"),
            ("NO_PROXY", "*"),
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stdout(&out), "", "no report: nothing was done");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: no answer from {endpoint} for any of 2 instance(s), nothing was done: "
        )),
        "{stderr}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the retry budget was not the default minute: {:?}",
        started.elapsed()
    );
}

/// Keys whose secret parts are sentinels: no output may hold "SENTINEL".
const SENTINEL_ENV: [(&str, &str); 3] = [
    ("TENCENTCLOUD_SECRET_ID", "AKIDcli"),
    ("TENCENTCLOUD_SECRET_KEY", "SENTINEL-CLI-KEY"),
    ("TENCENTCLOUD_SESSION_TOKEN", "SENTINEL-CLI-TOKEN"),
];

/// One instance, accepting only the [`SENTINEL_ENV`] keys.
fn sentinel_emulator() -> CountingEmulator {
    CountingEmulator::with(
        tencentcloud_cvm_emulator::Emulator::builder()
            .credential(
                tencentcloud_cvm::Credentials::new("AKIDcli", "SENTINEL-CLI-KEY")
                    .with_token("SENTINEL-CLI-TOKEN"),
            )
            .instances(1),
    )
}

/// A dry run reads and prices, terminates nothing, and at -vv shows the signed
/// TerminateInstances a run without reads would send, the token redacted.
#[test]
fn dry_run_prints_signed_requests_without_secrets() {
    let svc = sentinel_emulator();
    let url = svc.url();
    let out = run(
        &[
            "-vv",
            "terminate",
            "--region",
            "ap-shanghai",
            "--endpoint",
            &url,
            "--dry-run",
            "--language",
            "en-US",
            "ins-00000000",
        ],
        &SENTINEL_ENV,
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan = stdout(&out);
    let text = stdout(&out) + &text(&out.stderr);
    assert!(text.contains(&format!("POST {url}/")), "{text}");
    assert!(
        text.contains("TC3-HMAC-SHA256 Credential=AKIDcli/"),
        "{text}"
    );
    assert!(text.contains("x-tc-token: <redacted>"), "{text}");
    assert!(
        text.contains(r#"{"InstanceIds":["ins-00000000"]}"#),
        "{text}"
    );
    assert!(!text.contains("SENTINEL"), "a secret leaked: {text}");
    assert!(
        plan.starts_with("INSTANCE      ACTION     STATE    CHARGE TYPE       REFUND"),
        "{plan}"
    );
    assert!(
        plan.contains("1 instance(s): 1 to terminate, 0 to skip, 0 to fail, refund 0"),
        "{plan}"
    );
    assert_eq!(svc.count("DescribeInstances"), 1);
    assert_eq!(
        svc.count("TerminateInstances"),
        0,
        "a dry run terminates nothing"
    );
}

/// At -vv a real run (not only a dry run) shows each signed request as it
/// leaves, the token redacted; at -v each answer's RequestId, a read's included.
#[test]
fn vv_shows_the_signed_requests_of_a_real_run() {
    let svc = sentinel_emulator();
    let url = svc.url();
    let out = run(
        &[
            "-vv",
            "terminate",
            "--yes",
            "--region",
            "ap-shanghai",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &SENTINEL_ENV,
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for shown in [
        "DescribeInstances sending:".to_owned(),
        "TerminateInstances sending:".to_owned(),
        format!("> POST {url}/"),
        "> x-tc-token: <redacted>".to_owned(),
        "> authorization: TC3-HMAC-SHA256 Credential=AKIDcli/".to_owned(),
        r#"> {"InstanceIds":["ins-00000000"]}"#.to_owned(),
        "DescribeInstances answered: HTTP 200, RequestId ".to_owned(),
        "TerminateInstances answered: HTTP 200, RequestId ".to_owned(),
    ] {
        assert!(stderr.contains(&shown), "{shown:?} not in {stderr}");
    }
    assert!(!stderr.contains("SENTINEL"), "a secret leaked: {stderr}");
    assert_eq!(svc.count("TerminateInstances"), 1);
}

/// IDs on standard input are read up to a bound: an endless producer is an
/// error (exit 2) before anything is sent, not a process eating memory.
#[test]
fn endless_ids_on_standard_input_are_refused() {
    let svc = CountingEmulator::start(1);
    let command = format!(
        "yes ins-aaaaaaaa | {} terminate --yes --region ap-guangzhou --endpoint {} -",
        tccvm_path(),
        svc.url()
    );
    let (mut cmd, _home) = clean_command("sh");
    let out = cmd
        .args(["-c", &command])
        .envs(svc.env())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: standard input holds more than 100000 instance IDs (or 4 MiB)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    assert_eq!(svc.entries().len(), 0, "nothing was sent");
}

/// A loopback service whose first `delayed` TerminateInstances answers come
/// `delay` late (it acts at once), counting TerminateInstances, for
/// interrupting a run with requests in flight.
struct SlowService {
    server: tencentcloud_cvm_emulator::ServerHandle,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Each TerminateInstances answer's result (`OK`, or the error code).
    results: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SlowService {
    fn start(instances: usize, delayed: usize, delay: std::time::Duration) -> SlowService {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tencentcloud_cvm_emulator::{Emulator, Fault, Server};
        let emulator = Emulator::builder()
            .credential(tencentcloud_cvm::Credentials::new(
                "AKIDcliSlow",
                "cli-slow-key",
            ))
            .instances(instances)
            .build()
            .unwrap();
        let requests = std::sync::Arc::new(AtomicUsize::new(0));
        let results = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (counter, sink) = (requests.clone(), results.clone());
        // Counts TerminateInstances only: the reads before them are not the point.
        let server = Server::new(emulator)
            .access_log(move |e| {
                if e.action.as_deref() == Some("TerminateInstances") {
                    counter.fetch_add(1, Ordering::SeqCst);
                    sink.lock().unwrap().push(e.result.clone());
                }
            })
            .bind("127.0.0.1:0")
            .unwrap();
        for _ in 0..delayed {
            server.inject_for("TerminateInstances", Fault::Delay(delay));
        }
        SlowService {
            server,
            requests,
            results,
        }
    }

    /// TerminateInstances requests the service acted on (not throttled).
    fn accepted(&self) -> usize {
        let results = self.results.lock().unwrap();
        // Anything else was refused before acting, as a throttled request is.
        for r in results.iter().filter(|r| *r != "OK") {
            assert!(r.starts_with("RequestLimitExceeded"), "{r}");
        }
        results.iter().filter(|r| *r == "OK").count()
    }

    fn command(&self, ids: &[String]) -> (Command, TempDir) {
        let (mut cmd, home) = clean_command(tccvm_path());
        cmd.args([
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &self.server.url(),
            "--json",
        ])
        .args(ids)
        .env("TENCENTCLOUD_SECRET_ID", "AKIDcliSlow")
        .env("TENCENTCLOUD_SECRET_KEY", "cli-slow-key")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        (cmd, home)
    }

    /// Starts tccvm against it, JSON output.
    fn spawn_cli(&self, instances: usize) -> (std::process::Child, TempDir) {
        let ids: Vec<String> = (0..instances).map(|i| format!("ins-{i:08}")).collect();
        let (mut cmd, home) = self.command(&ids);
        (cmd.spawn().unwrap(), home)
    }
}

fn outcomes(out: &Output) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_str(stdout(out).trim())
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), text(&out.stderr)));
    json["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_interrupted_run_accounts_for_every_instance_and_exits_130() {
    use std::time::{Duration, Instant};
    // 3,000 IDs, 30 reads and 30 terminates: the first 10 reads come back at
    // once, and the 10 TerminateInstances they let go are answered 1.5 s late,
    // holding every in-flight slot.
    let svc = SlowService::start(3000, 10, Duration::from_millis(1500));
    let (child, _home) = svc.spawn_cli(3000);
    // The service logs a request once it has answered it; wait for the burst to be in flight.
    std::thread::sleep(Duration::from_millis(600));
    let interrupted_at = Instant::now();
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    // The requests in flight were awaited, not abandoned.
    assert!(
        interrupted_at.elapsed() >= Duration::from_millis(500),
        "{stderr}"
    );
    let list = outcomes(&out);
    assert_eq!(list.len(), 3000, "every instance is in the report");
    let count = |k: &str| list.iter().filter(|(_, o)| o == k).count();
    assert_eq!(
        count("terminated"),
        1000,
        "the 10 requests in flight finished"
    );
    assert_eq!(count("not_sent"), 2000);
    assert_eq!(
        svc.requests.load(std::sync::atomic::Ordering::SeqCst),
        10,
        "nothing sent after the interrupt"
    );

    // The natural re-run of the unsent instances sends each exactly once more.
    let rest: Vec<String> = list
        .iter()
        .filter(|(_, o)| o == "not_sent")
        .map(|(id, _)| id.clone())
        .collect();
    let (mut cmd, _home) = svc.command(&rest);
    let rerun = cmd.output().unwrap();
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun.stderr));
    assert_eq!(outcomes(&rerun).len(), 2000);
    // 20 batches acted on; on a loaded machine the emulator may also throttle a
    // request its window counts early (retried: it did not act).
    assert_eq!(svc.accepted(), 30);
}

#[test]
fn a_second_interrupt_gives_up_requests_in_flight_at_once() {
    use std::time::{Duration, Instant};
    let svc = SlowService::start(500, 5, Duration::from_secs(30));
    let (child, _home) = svc.spawn_cli(500);
    std::thread::sleep(Duration::from_millis(600));
    let started = Instant::now();
    signal(&child, "TERM");
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let list = outcomes(&out);
    assert_eq!(list.len(), 500);
    assert!(list.iter().all(|(_, o)| o == "unknown"), "{list:?}");
}
