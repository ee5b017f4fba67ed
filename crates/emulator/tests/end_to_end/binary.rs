//! The `tencentcloud-cvm-emulator` binary: first line, access log, signals, usage errors.

use crate::common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_tencentcloud-cvm-emulator");

struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    fn start(extra: &[&str]) -> (Running, SocketAddr) {
        let (running, addrs) = Running::start_on(extra, 1);
        (running, addrs[0])
    }

    /// Starts it with `extra` arguments that make it listen on `listeners` addresses.
    fn start_on(extra: &[&str], listeners: usize) -> (Running, Vec<SocketAddr>) {
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--credential"])
            .arg(format!("{SECRET_ID}:{SECRET_KEY}"))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut running = Running { child, lines };
        let addrs = (0..listeners)
            .map(|_| {
                let line = running.line();
                let url = line
                    .strip_prefix("listening on http://")
                    .unwrap_or_else(|| panic!("a first line was {line:?}"));
                url.parse().unwrap()
            })
            .collect();
        (running, addrs)
    }

    fn line(&mut self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(10))
            .expect("a stdout line within 10 s")
    }

    fn signal(&mut self, name: &str) -> ExitStatus {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running after SIG{name}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_logs_and_stops_on_sigterm() {
    let (mut emulator, addr) = Running::start(&["--instances", "2", "--rate-limit", "5"]);
    let r = terminate(addr, &["ins-00000001"]);
    assert_eq!(r.code(), "OK");
    let line = emulator.line();
    assert!(line.contains(&format!("secret_id={SECRET_ID}")), "{line}");
    assert!(line.contains("action=TerminateInstances"), "{line}");
    assert!(line.contains(" ids=1 "), "{line}");
    assert!(line.contains(" result=OK "), "{line}");
    assert!(
        line.contains(&format!("request_id={}", r.request_id())),
        "{line}"
    );
    assert!(!line.contains(SECRET_KEY));
    // RFC 3339 time first.
    assert!(
        line.as_bytes()[4] == b'-' && line.as_bytes()[10] == b'T',
        "{line}"
    );

    let r = terminate(addr, &["ins-00000009"]);
    assert_eq!(r.code(), "InvalidInstanceId.NotFound");
    assert!(emulator
        .line()
        .contains(" result=InvalidInstanceId.NotFound "));

    let status = emulator.signal("TERM");
    assert!(status.success(), "{status:?}");
}

#[test]
fn several_listeners_serve_one_fleet_each_with_its_own_budget() {
    let (mut emulator, addrs) = Running::start_on(
        &[
            "--listen",
            "127.0.0.1:0",
            "--listen=127.0.0.1:0",
            "--instances",
            "4",
            "--rate-limit",
            "TerminateInstances=1",
            "--arrival-jitter-ms",
            "0",
        ],
        3,
    );
    assert_eq!(
        addrs.iter().collect::<std::collections::HashSet<_>>().len(),
        3
    );
    // One TerminateInstances per second per endpoint: each listener takes one.
    for (addr, id) in addrs
        .iter()
        .zip(["ins-00000000", "ins-00000001", "ins-00000002"])
    {
        assert_eq!(terminate(*addr, &[id]).code(), "OK", "{addr}");
        let line = emulator.line();
        assert!(line.contains(&format!(" host={addr}")), "{line}");
    }
    assert_eq!(
        terminate(addrs[1], &["ins-00000003"]).code(),
        "RequestLimitExceeded"
    );
    assert!(emulator.line().contains(" result=RequestLimitExceeded "));
    // One fleet: what one endpoint did, another reads.
    let read = call(
        addrs[2],
        "DescribeInstancesStatus",
        serde_json::json!({"InstanceIds": ["ins-00000000", "ins-00000003"]}),
    );
    let states = read.json()["Response"]["InstanceStatusSet"].clone();
    assert_eq!(
        states,
        serde_json::json!([
            {"InstanceId": "ins-00000000", "InstanceState": "TERMINATING"},
            {"InstanceId": "ins-00000003", "InstanceState": "RUNNING"}
        ])
    );
    assert!(emulator.signal("TERM").success());
}

#[test]
fn tls_cert_serves_https_and_writes_the_certificate() {
    let dir = std::env::temp_dir().join(format!("cvm-emulator-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("ca.pem");
    let mut child = Command::new(BIN)
        .args(["--credential", "A:B", "--tls-cert"])
        .arg(&cert)
        .args([
            "--fixture",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fleet.json"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("listening on https://127.0.0.1:"),
        "{first}"
    );
    let pem = std::fs::read_to_string(&cert).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fixture_and_sigint() {
    let dir = std::env::temp_dir().join(format!("cvm-emulator-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = dir.join("fixture.json");
    std::fs::write(
        &fixture,
        r#"{"Instances":[{"InstanceId":"ins-prepaid1","InstanceChargeType":"PREPAID"},
            {"InstanceId":"ins-protect1","DisableApiTermination":true}]}"#,
    )
    .unwrap();
    let (mut emulator, addr) = Running::start(&["--fixture", fixture.to_str().unwrap()]);
    assert_eq!(terminate(addr, &["ins-prepaid1"]).code(), "OK");
    assert!(emulator.line().contains(" result=OK "));
    assert_eq!(
        terminate(addr, &["ins-protect1"]).code(),
        "UnsupportedOperation.InstancesProtected"
    );
    assert!(emulator.line().contains("InstancesProtected"));
    let status = emulator.signal("INT");
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn faults_hit_the_next_terminates_only() {
    let (mut emulator, addr) = Running::start(&[
        "--instances",
        "3",
        "--fault",
        "close-after-state-change:2",
        "--fault",
        "server-error-html",
        "--rate-limit",
        "DescribeInstances=100",
    ]);
    let describe = || {
        call(
            addr,
            "DescribeInstances",
            serde_json::json!({"InstanceIds": ["ins-00000000", "ins-00000001", "ins-00000002"]}),
        )
    };
    // A read goes through untouched, and is logged under its own name.
    assert_eq!(describe().code(), "OK");
    let line = emulator.line();
    assert!(
        line.contains("action=DescribeInstances ids=3 result=OK"),
        "{line}"
    );
    assert!(!line.contains("fault="), "{line}");
    // The next two terminates are applied, their answers lost; the third gets a 502.
    for id in ["ins-00000000", "ins-00000001"] {
        let raw = exchange(addr, &terminate_request(addr, &creds(), &[id]));
        assert!(raw.is_empty(), "{id}: {:?}", String::from_utf8_lossy(&raw));
        let line = emulator.line();
        assert!(
            line.contains(" result=OK ") && line.ends_with(" fault=CloseAfterStateChange"),
            "{line}"
        );
    }
    assert_eq!(terminate(addr, &["ins-00000002"]).status, 502);
    assert!(emulator.line().ends_with(" fault=ServerErrorHtml"));
    // Then everything is served normally.
    assert_eq!(terminate(addr, &["ins-00000002"]).code(), "OK");
    let states: Vec<String> = describe().json()["Response"]["InstanceSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceState"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["TERMINATING"; 3]);
}

#[test]
fn usage_errors_exit_2_without_echoing_keys() {
    for args in [
        &[][..],
        &["--credential", "AKID:SENTINELKEY", "--instances", "many"],
        &["--credential", "AKID:SENTINELKEY", "--frobnicate"],
        &["--credential", "AKID:SENTINELKEY", "--fixture"],
        &[
            "--credential",
            "AKID:SENTINELKEY",
            "--fault",
            "close-after-everything",
        ],
        &[
            "--credential",
            "AKID:SENTINELKEY",
            "--arrival-jitter-ms",
            "soon",
        ],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("usage:"), "{stderr}");
        assert!(!stderr.contains("SENTINELKEY"));
        assert!(out.stdout.is_empty());
    }
    let out = Command::new(BIN)
        .args(["--credential", "AKID:KEY", "--fixture", "/nonexistent.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // A second address that cannot be bound stops it from starting at all.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let out = Command::new(BIN)
        .args([
            "--credential",
            "AKID:KEY",
            "--listen",
            "127.0.0.1:0",
            "--listen",
        ])
        .arg(taken.local_addr().unwrap().to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // A certificate file that cannot be written.
    let out = Command::new(BIN)
        .args([
            "--credential",
            "AKID:KEY",
            "--tls-cert",
            "/nonexistent/dir/ca.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
}

#[test]
fn read_faults_hit_the_next_reads_and_action_faults_the_next_terminates() {
    let (mut emulator, addr) = Running::start(&[
        "--instances",
        "3",
        "--fault",
        "field=InstanceState:lowercase:2",
        "--fault",
        "partial-batch=1:FailedOperation.Unreturnable",
        "--fault",
        "refuse-read=ins-00000002",
    ]);
    let describe = |ids: &[&str]| {
        call(
            addr,
            "DescribeInstances",
            serde_json::json!({ "InstanceIds": ids }),
        )
    };
    let states = |r: &RawResponse| -> Vec<String> {
        r.json()["Response"]["InstanceSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceState"].as_str().unwrap().to_owned())
            .collect()
    };
    // A terminate first: it takes the action fault, not the read faults.
    let r = terminate(addr, &["ins-00000000", "ins-00000001"]);
    assert_eq!(r.code(), "FailedOperation.Unreturnable");
    assert!(emulator.line().ends_with(" fault=PartialBatch"));
    // The next two reads are lower-cased; the refusal waits for a read naming its ID.
    let read = describe(&["ins-00000000", "ins-00000001"]);
    assert_eq!(states(&read), ["terminating", "running"]);
    assert!(emulator.line().ends_with(" fault=Field"));
    assert_eq!(states(&describe(&["ins-00000001"])), ["running"]);
    emulator.line();
    assert_eq!(states(&describe(&["ins-00000001"])), ["RUNNING"]);
    assert!(!emulator.line().contains("fault="));
    assert_eq!(
        describe(&["ins-00000001", "ins-00000002"]).code(),
        "UnauthorizedOperation"
    );
    assert!(emulator.line().ends_with(" fault=RefuseRead"));
    assert_eq!(describe(&["ins-00000002"]).code(), "OK");
    assert!(emulator.signal("TERM").success());
}

#[test]
fn fault_for_aims_at_one_action_and_the_new_actions_answer() {
    let (mut emulator, addr) = Running::start(&[
        "--fixture",
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fleet.json"),
        "--fault-for",
        "GetCallerIdentity=refuse=UnauthorizedOperation:2",
    ]);
    for _ in 0..2 {
        let r = sts_call(addr, "GetCallerIdentity", serde_json::json!({}));
        assert_eq!(r.code(), "UnauthorizedOperation");
        assert!(emulator.line().ends_with(" fault=Refuse"));
    }
    let r = sts_call(addr, "GetCallerIdentity", serde_json::json!({}));
    assert_eq!(r.code(), "OK");
    assert_eq!(r.json()["Response"]["AccountId"], "100000000001");
    emulator.line();
    let regions = call(addr, "DescribeRegions", serde_json::json!({}));
    assert_eq!(regions.code(), "OK");
    let listed = regions.json()["Response"]["RegionSet"].clone();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["Region"] == "ap-beijing"));
    assert!(emulator.signal("TERM").success());
}
