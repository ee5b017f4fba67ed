//! Signals and standard output, end to end against the emulator:
//! - SIGHUP (a dropped ssh session) mid-run on 3,000 instances: exit 130 and
//!   every instance has its JSON line;
//! - an interrupt while a read hangs gives the read up at once: exit 130 well
//!   within 5 s, its instances not sent;
//! - a report that cannot be written (`/dev/full`, a closed pipe) is a message
//!   on stderr and exit 3;
//! - a stalled reader of stdout holds up neither the run nor the second interrupt.
#![forbid(unsafe_code)]

use crate::common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{Emulator, Fault, Server, ServerHandle};

const KEY: (&str, &str) = ("AKIDcliSignals", "cli-signals-key");

/// What [`Service`] appends to an action's name to count its throttled requests.
const THROTTLED: &str = " (throttled)";

/// The emulator in this process, counting the requests it answered per action
/// (an answer delayed by a fault is counted when it is handled, before the delay).
/// A request it throttled is counted apart: refused before acting, it is sent
/// again, and a loaded machine can make the emulator's sliding second see
/// requests the client spaced out arrive bunched.
struct Service {
    server: ServerHandle,
    counts: Arc<Mutex<HashMap<String, usize>>>,
}

impl Service {
    fn start(instances: usize) -> Service {
        let emulator = Emulator::builder()
            .credential(Credentials::new(KEY.0, KEY.1))
            .instances(instances)
            .build()
            .unwrap();
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let sink = Arc::clone(&counts);
        let server = Server::new(emulator)
            .access_log(move |e| {
                let mut action = e.action.clone().unwrap_or_default();
                if e.result.starts_with("RequestLimitExceeded") {
                    action.push_str(THROTTLED);
                }
                *sink.lock().unwrap().entry(action).or_insert(0) += 1;
            })
            .bind("127.0.0.1:0")
            .unwrap();
        Service { server, counts }
    }

    /// Requests of `action` answered, throttled ones left out.
    fn count(&self, action: &str) -> usize {
        self.counts
            .lock()
            .unwrap()
            .get(action)
            .copied()
            .unwrap_or(0)
    }

    /// Requests of `action` throttled.
    fn throttled(&self, action: &str) -> usize {
        self.count(&format!("{action}{THROTTLED}"))
    }

    /// Waits (at most [`PATIENCE`]) until `action` has been answered `n` times,
    /// throttled answers left out.
    fn wait_for(&self, action: &str, n: usize) {
        let started = Instant::now();
        while self.count(action) < n {
            assert!(started.elapsed() < PATIENCE, "{action} never reached {n}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// tccvm against it: `args`, then the IDs of the first `instances` instances.
    fn command(&self, args: &[&str], instances: usize) -> (Command, TempDir) {
        let (mut cmd, home) = clean_command(tccvm_path());
        cmd.args(args)
            .args(["--region", "ap-guangzhou", "--endpoint", &self.server.url()])
            .args((0..instances).map(|i| format!("ins-{i:08}")))
            .env("TENCENTCLOUD_SECRET_ID", KEY.0)
            .env("TENCENTCLOUD_SECRET_KEY", KEY.1)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        (cmd, home)
    }
}

#[test]
fn a_hang_up_mid_run_still_gives_every_instance_its_line() {
    let svc = Service::start(3000);
    // The first ten TerminateInstances are answered 1.5 s late: the hang-up
    // comes while they are in flight.
    for _ in 0..10 {
        svc.server.inject_for(
            "TerminateInstances",
            Fault::Delay(Duration::from_millis(1500)),
        );
    }
    let (mut cmd, _home) = svc.command(&["terminate", "--yes", "-o", "jsonl"], 3000);
    let child = cmd.spawn().unwrap();
    svc.wait_for("TerminateInstances", 10);
    signal(&child, "HUP");
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, instances) = lines.split_last().unwrap();
    assert_eq!(instances.len(), 3000, "every instance has its line");
    let ids: std::collections::HashSet<&str> = instances
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3000, "each once");
    let count = |k: &str| instances.iter().filter(|l| l["outcome"] == k).count();
    assert_eq!(
        count("terminated"),
        1000,
        "the requests in flight were awaited"
    );
    assert_eq!(count("not_sent"), 2000);
    assert_eq!(summary["interrupted"], true);
    assert_eq!(summary["summary"]["instances"], 3000);
    assert_eq!(
        svc.count("TerminateInstances"),
        10,
        "nothing sent after the hang-up"
    );
}

#[test]
fn an_interrupt_during_a_read_that_hangs_ends_at_once() {
    for command in [
        &["terminate", "--yes", "--json"][..],
        &["status", "--json"],
        &["terminate", "--dry-run", "--json"],
    ] {
        let svc = Service::start(3);
        svc.server
            .inject_for("DescribeInstances", Fault::Delay(Duration::from_secs(120)));
        let (mut cmd, _home) = svc.command(command, 3);
        let child = cmd.spawn().unwrap();
        svc.wait_for("DescribeInstances", 1);
        let interrupted = Instant::now();
        signal(&child, "INT");
        let out = child.wait_with_output().unwrap();
        let took = interrupted.elapsed();
        eprintln!("{command:?}: exit after {took:?}");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{command:?}: {stderr}");
        assert!(took < Duration::from_secs(5), "{command:?}: {took:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{stderr}", text(&out.stdout)));
        assert_eq!(doc["interrupted"], true);
        for entry in doc["instances"].as_array().unwrap() {
            if command[0] == "terminate" && command[1] == "--yes" {
                assert_eq!(entry["outcome"], "not_sent", "{entry}");
            } else {
                assert!(
                    entry["message"].as_str().unwrap().starts_with("not read"),
                    "{entry}"
                );
            }
        }
        assert_eq!(svc.count("TerminateInstances"), 0);
    }
}

#[test]
fn a_report_that_cannot_be_written_is_an_error_and_exit_3() {
    let svc = Service::start(2);
    // A full disk.
    let (mut cmd, _home) = svc.command(&["terminate", "--yes", "--json"], 2);
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = cmd.stdout(full).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr
            .contains("error: cannot write the report on standard output: No space left on device"),
        "{stderr}"
    );
    assert_eq!(svc.count("TerminateInstances"), 1, "the run itself went on");

    // A reader that went away (EPIPE).
    let svc = Service::start(2);
    let (mut cmd, _home) = svc.command(&["status"], 2);
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("error: cannot write the report on standard output: Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn a_stalled_stdout_holds_up_neither_the_run_nor_the_second_interrupt() {
    let svc = Service::start(3000);
    let (mut cmd, _home) = svc.command(&["terminate", "--yes", "-o", "jsonl"], 3000);
    // Nobody reads stdout: the pipe fills after some 200 of the 3,000 lines.
    let mut child = cmd.spawn().unwrap();
    // Each step waits for what tccvm says on stderr, not for a time: the
    // interrupts must come once the run has ended (a first one during the run
    // would stop it) and one at a time (two pending signals are one).
    let (lines, said) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let line = line.unwrap();
            all.push_str(&line);
            all.push('\n');
            let _ = lines.send(line);
        }
        all
    });
    let wait_for_line = |needle: &str| loop {
        match said.recv_timeout(PATIENCE) {
            Ok(line) if line.contains(needle) => break,
            Ok(_) => {}
            Err(e) => panic!("tccvm never said {needle:?}: {e}"),
        }
    };
    // The run goes on to its end all the same (30 requests at 10 a second),
    // then waits for stdout.
    wait_for_line("waiting for standard output to take the report");
    assert_eq!(svc.count("TerminateInstances"), 30);
    assert!(
        svc.server.with_state(|e| e
            .instances()
            .iter()
            .all(|i| i.state != tencentcloud_cvm::model::InstanceState::Running)),
        "every instance was terminated ({} throttled)",
        svc.throttled("TerminateInstances")
    );
    let started = Instant::now();
    signal(&child, "INT");
    wait_for_line("interrupted: sending nothing new");
    signal(&child, "INT");
    let stdout = child.stdout.take();
    let status = child.wait().unwrap();
    drop(stdout);
    assert_eq!(status.code(), Some(130));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let stderr = reader.join().unwrap();
    assert!(
        stderr.contains("standard output is blocked, the report is not written in full"),
        "{stderr}"
    );
}
