//! The journal, end to end: `tccvm terminate` processes against the emulator in
//! this process (which says what it accepted, and whether anything was destroyed
//! in the recycle bin).
//! - SIGKILL mid-run on 3,000 prepaid instances: every RequestId shown is in the
//!   journal, every one the service issued is there or its batch's intent is;
//!   the same command again exits 0, names the killed run's RequestIds, and
//!   destroys nothing;
//! - SIGHUP mid-run: the journal holds every batch sent, with its RequestId;
//! - two runs at once: the second waits for the lock, then sends nothing again;
//!   with --no-wait it exits 2;
//! - a journal that cannot be written: exit 2, nothing sent;
//! - a re-run after success exits 0; `journal show` and `journal path`;
//! - a torn last line is tolerated, and an earlier request that may have acted
//!   keeps a prepaid instance from being sent.
#![forbid(unsafe_code)]

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use tencentcloud_cvm::journal::JournalContents;
use tencentcloud_cvm::sans_io::{AnswerResult, JournalEntry};
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{ChargeType, Emulator, Fault, InstanceState, InstanceView};

/// How long a test waits for something that should happen in well under a second.
const PATIENCE: Duration = Duration::from_secs(60);

/// `n` RUNNING prepaid instances `ins-000000NN`.
fn prepaid(n: usize) -> CountingEmulator {
    let mut config = Emulator::builder().credential(Credentials::new(SECRET_ID, SECRET_KEY));
    for i in 0..n {
        config = config.instance(
            InstanceView::new(format!("ins-{i:08}")).with_charge_type(ChargeType::Prepaid),
        );
    }
    CountingEmulator::with(config)
}

/// `tccvm args --region ap-guangzhou --endpoint URL` on the first `n` instances.
fn command(svc: &CountingEmulator, args: &[&str], n: usize) -> (Command, TempDir) {
    let (mut cmd, home) = clean_command(tccvm_path());
    cmd.args(args)
        .args(["--region", "ap-guangzhou", "--endpoint", &svc.url()])
        .args((0..n).map(|i| format!("ins-{i:08}")))
        .envs(svc.env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    (cmd, home)
}

/// The JSON lines of a `-o jsonl` report: the instances' lines, by ID.
fn instance_lines(stdout: &str) -> HashMap<String, Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("id").is_some())
        .map(|v| (v["id"].as_str().unwrap().to_owned(), v))
        .collect()
}

/// The RequestIds of the TerminateInstances the emulator accepted.
fn accepted_by_service(svc: &CountingEmulator) -> HashSet<String> {
    svc.entries()
        .iter()
        .filter(|e| e.action.as_deref() == Some("TerminateInstances") && e.result == "OK")
        .map(|e| e.request_id.clone())
        .collect()
}

/// What the journal says: the accepted answers' RequestIds, and how many intents
/// no answer closed.
fn journaled(path: &Path) -> (HashSet<String>, usize, JournalContents) {
    let contents = JournalContents::read(path).unwrap();
    let mut intents = HashSet::new();
    let mut accepted = HashSet::new();
    for r in &contents.records {
        match &r.record.entry {
            JournalEntry::Intent(i) => {
                intents.insert((i.batch, i.attempt));
            }
            JournalEntry::Answer(a) => {
                intents.remove(&(a.batch, a.attempt));
                if a.result == AnswerResult::Accepted {
                    accepted.insert(a.request_id.clone().unwrap());
                }
            }
            _ => {}
        }
    }
    (accepted, intents.len(), contents)
}

fn journal_file(dir: &TempDir) -> PathBuf {
    dir.path().join("ap-guangzhou.jsonl")
}

fn assert_nothing_destroyed(svc: &CountingEmulator) {
    svc.server.with_state(|e| {
        assert_eq!(e.destroyed_from_recycle_bin(), Vec::<String>::new());
        assert_eq!(e.terminated_more_than_once(), Vec::<String>::new());
    });
}

/// Waits until the lock file next to `journal` names `child` as its holder.
fn wait_for_lock(journal: &Path, child: &Child) {
    let lock = PathBuf::from(format!("{}.lock", journal.display()));
    let started = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != child.id().to_string() {
        assert!(
            started.elapsed() < PATIENCE,
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_kill_mid_run_on_3000_prepaid_instances_loses_no_request_id_and_a_rerun_finishes_it() {
    let svc = prepaid(3000);
    let dir = TempDir::new("journal-kill");
    let journal = dir.path().to_str().unwrap();
    // One TerminateInstances a second (a limit of N lets N go back to back): the
    // kill comes right after an answer is shown, long before the next intent is
    // written. (A kill between an intent made durable and its request leaving
    // would hold that batch back on the re-run, `unknown`: a prepaid instance whose
    // request may have acted is never sent again. That is the next test's case.)
    let args = [
        "terminate",
        "--yes",
        "-o",
        "jsonl",
        "--journal",
        journal,
        "--rate-limit",
        "TerminateInstances=1",
    ];
    let (mut cmd, _home) = command(&svc, &args, 3000);
    let mut child = cmd.spawn().unwrap();
    let lines = stdout_lines(&mut child);
    let mut shown = Vec::new();
    while shown.len() < 300 {
        shown.push(
            lines
                .recv_timeout(PATIENCE)
                .expect("the run reports as it goes"),
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // What was in the pipe when it died.
    while let Ok(line) = lines.recv_timeout(PATIENCE) {
        shown.push(line);
    }
    let killed = instance_lines(&shown.join("\n"));
    assert!(
        killed.len() < 3000,
        "killed mid-run: {} lines",
        killed.len()
    );

    let (in_journal, open_intents, _) = journaled(&journal_file(&dir));
    let by_service = accepted_by_service(&svc);
    let shown_ids: HashSet<String> = killed
        .values()
        .filter_map(|l| l["request_id"].as_str().map(str::to_owned))
        .collect();
    eprintln!(
        "killed after {} lines: {} TerminateInstances accepted by the service, {} in the \
         journal, {} shown, {} intents unanswered",
        killed.len(),
        by_service.len(),
        in_journal.len(),
        shown_ids.len(),
        open_intents
    );
    assert!(
        shown_ids.is_subset(&in_journal),
        "every RequestId shown is on disk"
    );
    // An accepted request whose answer the kill beat has its intent there.
    let missing = by_service.difference(&in_journal).count();
    assert!(missing <= open_intents, "{missing} > {open_intents}");
    assert!(!in_journal.is_empty());

    let (mut cmd, _home) = command(&svc, &args[..6], 3000);
    let out = cmd.output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let rerun = instance_lines(&text(&out.stdout));
    assert_eq!(rerun.len(), 3000);
    for (id, line) in &rerun {
        let outcome = line["outcome"].as_str().unwrap();
        assert!(
            outcome == "terminated" || outcome == "skipped",
            "{id}: {line}"
        );
        if let Some(before) = killed.get(id).and_then(|l| l["request_id"].as_str()) {
            assert_eq!(
                line["request_id"], before,
                "{id} names the killed run's RequestId"
            );
        }
    }
    let named: HashSet<String> = rerun
        .values()
        .filter_map(|l| l["request_id"].as_str().map(str::to_owned))
        .collect();
    assert!(in_journal.is_subset(&named));
    assert_nothing_destroyed(&svc);
    svc.server.with_state(|e| {
        let in_bin = e
            .instances()
            .iter()
            .filter(|i| i.state == InstanceState::Shutdown)
            .count();
        assert_eq!(in_bin, 3000, "every one in the recycle bin, once");
    });
    eprintln!(
        "re-run: exit 0, {} terminated, {} skipped; {} TerminateInstances accepted in all",
        rerun
            .values()
            .filter(|l| l["outcome"] == "terminated")
            .count(),
        rerun.values().filter(|l| l["outcome"] == "skipped").count(),
        accepted_by_service(&svc).len()
    );
}

#[test]
fn a_hang_up_mid_run_leaves_every_batch_sent_in_the_journal() {
    let svc = prepaid(3000);
    // The first ten TerminateInstances are answered 1.5 s late: the hang-up comes
    // while they are in flight.
    for _ in 0..10 {
        svc.server.inject_for(
            "TerminateInstances",
            Fault::Delay(Duration::from_millis(1500)),
        );
    }
    let dir = TempDir::new("journal-hup");
    let args = [
        "terminate",
        "--yes",
        "-o",
        "jsonl",
        "--journal",
        dir.path().to_str().unwrap(),
    ];
    let (mut cmd, _home) = command(&svc, &args, 3000);
    let child = cmd.spawn().unwrap();
    let started = Instant::now();
    while svc.count("TerminateInstances") < 10 {
        assert!(started.elapsed() < PATIENCE);
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&child, "HUP");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert_eq!(instance_lines(&text(&out.stdout)).len(), 3000);
    let (in_journal, open_intents, contents) = journaled(&journal_file(&dir));
    assert_eq!(in_journal, accepted_by_service(&svc));
    assert_eq!(in_journal.len(), 10);
    assert_eq!(open_intents, 0, "every batch sent has its answer");
    let outcomes = contents
        .records
        .iter()
        .filter(|r| matches!(r.record.entry, JournalEntry::Outcome(_)))
        .count();
    assert_eq!(outcomes, 3000, "and every instance its outcome");
}

#[test]
fn a_second_run_waits_for_the_first_then_sends_nothing_again() {
    let svc = prepaid(1000);
    let dir = TempDir::new("journal-two");
    let args = [
        "terminate",
        "--yes",
        "-o",
        "jsonl",
        "--journal",
        dir.path().to_str().unwrap(),
        "--rate-limit",
        "TerminateInstances=5",
    ];
    let (mut first, _h1) = command(&svc, &args, 1000);
    let first = first.spawn().unwrap();
    let first_pid = first.id();
    wait_for_lock(&journal_file(&dir), &first);
    let (mut second, _h2) = command(&svc, &args, 1000);
    let second = second.spawn().unwrap();
    let first_out = first.wait_with_output().unwrap();
    let second_out = second.wait_with_output().unwrap();
    assert_eq!(
        first_out.status.code(),
        Some(0),
        "{}",
        text(&first_out.stderr)
    );
    let stderr = text(&second_out.stderr);
    assert_eq!(second_out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("waiting for another run").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("held by pid {first_pid}")),
        "{stderr}"
    );
    let a = instance_lines(&text(&first_out.stdout));
    let b = instance_lines(&text(&second_out.stdout));
    assert_eq!(b.len(), 1000);
    for (id, line) in &b {
        assert_eq!(line["outcome"], "terminated", "{id}");
        assert_eq!(line["request_id"], a[id]["request_id"], "{id}");
    }
    assert_eq!(accepted_by_service(&svc).len(), 10, "the first run's only");
    assert_nothing_destroyed(&svc);
}

#[test]
fn with_no_wait_a_second_run_exits_2_and_sends_nothing() {
    let svc = prepaid(500);
    let dir = TempDir::new("journal-nowait");
    let journal = dir.path().to_str().unwrap();
    let slow = [
        "terminate",
        "--yes",
        "--json",
        "--journal",
        journal,
        "--rate-limit",
        "TerminateInstances=5",
    ];
    let (mut first, _h1) = command(&svc, &slow, 500);
    let first = first.spawn().unwrap();
    wait_for_lock(&journal_file(&dir), &first);
    let (mut second, _h2) = command(
        &svc,
        &[
            "terminate",
            "--yes",
            "--json",
            "--journal",
            journal,
            "--no-wait",
        ],
        500,
    );
    let out = second.output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--no-wait"), "{stderr}");
    assert!(stderr.contains("ap-guangzhou.jsonl.lock"), "{stderr}");
    assert!(stderr.contains(&format!("pid {}", first.id())), "{stderr}");
    assert!(out.stdout.is_empty());
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert_eq!(accepted_by_service(&svc).len(), 5, "the first run's only");
}

#[test]
fn a_journal_that_cannot_be_written_is_exit_2_with_nothing_sent() {
    let svc = prepaid(3);
    let dir = TempDir::new("journal-unwritable");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let inside_a_file = file.join("j.jsonl");
    // Given, or the default place (the state directory), where it cannot be.
    let given = [
        "terminate",
        "--yes",
        "--journal",
        inside_a_file.to_str().unwrap(),
    ];
    let (mut cmd, _home) = command(&svc, &given, 3);
    let out = cmd.output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("journal"), "{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    let (mut cmd, _home) = command(&svc, &["terminate", "--yes"], 3);
    let out = cmd.env("XDG_STATE_HOME", &file).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a-file/tccvm"), "{stderr}");
    assert_eq!(svc.entries().len(), 0, "not even a read");
}

#[test]
fn a_rerun_after_success_exits_0_and_the_journal_shows_it() {
    let svc = prepaid(5);
    let state = TempDir::new("journal-state");
    let run = || {
        let (mut cmd, _home) = command(&svc, &["terminate", "--yes", "--json"], 5);
        let out = cmd.env("XDG_STATE_HOME", state.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = run();
    let again = run();
    assert_eq!(accepted_by_service(&svc).len(), 1);
    let request_id = first["instances"][0]["request_id"].clone();
    for entry in again["instances"].as_array().unwrap() {
        assert_eq!(entry["outcome"], "terminated");
        assert_eq!(entry["request_id"], request_id);
    }
    assert_nothing_destroyed(&svc);

    let tccvm = |args: &[&str]| {
        let (mut cmd, _home) = clean_command(tccvm_path());
        let out = cmd
            .args(args)
            .env("XDG_STATE_HOME", state.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let dir = state.path().join("tccvm");
    assert_eq!(tccvm(&["journal", "path"]).trim(), dir.to_str().unwrap());
    assert_eq!(
        tccvm(&["journal", "path", "--region", "ap-guangzhou"]).trim(),
        dir.join("ap-guangzhou.jsonl").to_str().unwrap()
    );
    let shown: Value = serde_json::from_str(&tccvm(&["journal", "show", "-o", "json"])).unwrap();
    let journal = &shown["journals"][0];
    assert_eq!(journal["region"], "ap-guangzhou");
    let instances = journal["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 5);
    for i in instances {
        assert_eq!(i["terminated"], true, "{i}");
        assert_eq!(i["request_ids"][0], request_id, "{i}");
    }
    assert!(journal["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["at"].is_u64()));
    let table = tccvm(&["journal", "show"]);
    assert!(
        table.contains("ins-00000004  terminated, prepaid"),
        "{table}"
    );
}

#[test]
fn a_torn_last_line_is_tolerated_and_an_earlier_request_that_may_have_acted_holds_prepaid_back() {
    let svc = prepaid(2);
    let dir = TempDir::new("journal-torn");
    let intent = r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-00000000"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false}"#;
    std::fs::write(journal_file(&dir), format!("{intent}\n{}", &intent[..50])).unwrap();
    let args = [
        "terminate",
        "--yes",
        "--json",
        "--journal",
        dir.path().to_str().unwrap(),
    ];
    let (mut cmd, _home) = command(&svc, &args, 2);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let held = &doc["instances"][0];
    assert_eq!(held["outcome"], "unknown", "{held}");
    assert_eq!(
        held["code"], "FailClosed.EarlierRequestMayHaveActed",
        "{held}"
    );
    assert_eq!(doc["instances"][1]["outcome"], "terminated");
    assert_eq!(accepted_by_service(&svc).len(), 1);
    svc.server.with_state(|e| {
        assert_eq!(
            e.instance("ins-00000000").unwrap().state,
            InstanceState::Running
        );
    });
}

#[test]
fn the_embedded_emulator_keeps_its_journal_out_of_the_state_directory() {
    let state = TempDir::new("journal-demo");
    let (mut cmd, _home) = clean_command(tccvm_path());
    let out = cmd
        .args(["terminate", "--emulator", "--json"])
        .env("XDG_STATE_HOME", state.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!state.path().join("tccvm").exists());
}

#[test]
fn regions_side_by_side_each_keep_their_own_journal() {
    let dir = TempDir::new("journal-regions");
    let tccvm = |journal: &Path| {
        let (mut cmd, _home) = clean_command(tccvm_path());
        let args = [
            "terminate",
            "--emulator",
            "--region",
            "ap-guangzhou,ap-shanghai",
        ];
        cmd.args(args)
            .args(["--all", "--yes", "--json", "-q", "--journal"])
            .arg(journal)
            .output()
            .unwrap()
    };
    let out = tccvm(dir.path());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_region: HashMap<String, Vec<String>> = HashMap::new();
    for entry in doc["instances"].as_array().unwrap() {
        let region = entry["region"].as_str().unwrap().to_owned();
        by_region
            .entry(region)
            .or_default()
            .push(entry["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(by_region.len(), 2, "{doc}");
    for (region, mut ids) in by_region {
        let file = dir.path().join(format!("{region}.jsonl"));
        let journal = JournalContents::read(&file).unwrap();
        let mut named: Vec<String> = journal
            .history
            .instances()
            .map(|(id, _)| id.to_string())
            .collect();
        named.sort();
        ids.sort();
        assert_eq!(named, ids, "{region}'s journal names its instances only");
    }
    // One file cannot hold two regions' journals: refused before anything is sent.
    let out = tccvm(&dir.path().join("ap-guangzhou.jsonl"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("give a directory"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn on_a_terminal_a_rerun_after_success_exits_0_too() {
    let svc = CountingEmulator::start(2);
    let state = TempDir::new("journal-terminal");
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000 ins-00000001",
        tccvm_path(),
        svc.url()
    );
    let state_home = state.path().to_str().unwrap();
    let mut env = svc.env();
    env.push(("XDG_STATE_HOME", state_home));
    let (code, screen) = run_on_terminal(&command, &env, "y\n");
    assert_eq!(code, 0, "{screen}");
    // Pay-as-you-go: gone now, so the read behind the question finds neither. The
    // journal says they were terminated, and by which request.
    let (code, screen) = run_on_terminal(&command, &env, "");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Nothing to terminate."), "{screen}");
    assert!(screen.contains("2 instance(s): 2 terminated"), "{screen}");
    assert_eq!(accepted_by_service(&svc).len(), 1);
}

#[test]
fn an_interrupt_while_waiting_for_the_lock_ends_at_once_with_nothing_sent() {
    let svc = prepaid(500);
    let dir = TempDir::new("journal-wait-int");
    let args = [
        "terminate",
        "--yes",
        "--json",
        "--journal",
        dir.path().to_str().unwrap(),
        "--rate-limit",
        "TerminateInstances=2",
    ];
    let (mut first, _h1) = command(&svc, &args, 500);
    let first = first.spawn().unwrap();
    // Its reads done: it is sending.
    let started = Instant::now();
    while accepted_by_service(&svc).is_empty() {
        assert!(started.elapsed() < PATIENCE, "the first run never sent");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (mut second, _h2) = command(&svc, &args, 500);
    let mut second = second.spawn().unwrap();
    // Once it says it waits, it has read nothing and sent nothing.
    let mut stderr = second.stderr.take().unwrap();
    let mut said = Vec::new();
    let mut byte = [0u8; 1];
    while !text(&said).contains('\n') {
        use std::io::Read;
        assert_eq!(stderr.read(&mut byte).unwrap(), 1, "{}", text(&said));
        said.push(byte[0]);
    }
    assert!(
        text(&said).contains("waiting for another run"),
        "{}",
        text(&said)
    );
    signal(&second, "INT");
    let out = second.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(out.stdout.is_empty());
    signal(&first, "INT");
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(130), "{}", text(&first.stderr));
    let sent_by_first = instance_count(&first.stdout);
    assert_eq!(
        svc.count("DescribeInstances"),
        5,
        "the first run's reads (100 instances each) only: the second read nothing"
    );
    assert_eq!(accepted_by_service(&svc).len(), sent_by_first.div_ceil(100));
}

/// How many instances a `--json` report says were terminated.
fn instance_count(stdout: &[u8]) -> usize {
    let doc: Value = serde_json::from_slice(stdout).unwrap();
    doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["outcome"] == "terminated")
        .count()
}
