//! `--output jsonl` writes each instance's line as soon as its outcome is known,
//! not at the end: here the second request's answer is held back until the test
//! has read the first request's lines from a tccvm still running.
#![forbid(unsafe_code)]

use crate::common;

use std::collections::HashSet;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use common::*;

#[test]
fn lines_come_as_answers_arrive() {
    let released = Arc::new((Mutex::new(false), Condvar::new()));
    let gate = Arc::clone(&released);
    let answered = Arc::new(AtomicUsize::new(0));
    let first_batch = Arc::new(AtomicUsize::new(0));
    let (n, first) = (Arc::clone(&answered), Arc::clone(&first_batch));
    let svc = FakeService::start(move |request| {
        if n.fetch_add(1, Ordering::SeqCst) == 0 {
            let ids = request.body["InstanceIds"].as_array().map_or(0, Vec::len);
            first.store(ids, Ordering::SeqCst);
        } else {
            let (lock, cvar) = &*gate;
            let mut open = lock.lock().unwrap();
            while !*open {
                open = cvar.wait(open).unwrap();
            }
        }
        serde_json::json!({"Response": {"RequestId": format!("req-{}", n.load(Ordering::SeqCst))}})
            .to_string()
    });

    let ids: Vec<String> = (0..150).map(|i| format!("ins-{i:08}")).collect();
    let (mut cmd, _home) = clean_command(tccvm_path());
    let mut child = cmd
        // Without the read first, so the fake service answers only TerminateInstances.
        .args(["terminate", "--yes", "--no-preflight", "--output", "jsonl"])
        .args(["--region", "ap-guangzhou"])
        .args(["--endpoint", &svc.url])
        .args(&ids)
        .env("TENCENTCLOUD_SECRET_ID", "AKIDjsonl")
        .env("TENCENTCLOUD_SECRET_KEY", "jsonl-key")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stdout_lines(&mut child);

    let mut seen = HashSet::new();
    let first: serde_json::Value =
        serde_json::from_str(&lines.recv_timeout(PATIENCE).unwrap()).unwrap();
    seen.insert(first["id"].as_str().unwrap().to_owned());
    let batch = first_batch.load(Ordering::SeqCst);
    assert!(batch == 100 || batch == 50, "{batch}");
    while seen.len() < batch {
        let line: serde_json::Value =
            serde_json::from_str(&lines.recv_timeout(PATIENCE).unwrap()).unwrap();
        assert_eq!(line["outcome"], "terminated");
        seen.insert(line["id"].as_str().unwrap().to_owned());
    }
    // The first request's lines are out while the second is still unanswered.
    assert!(child.try_wait().unwrap().is_none(), "tccvm already ended");

    *released.0.lock().unwrap() = true;
    released.1.notify_all();
    let mut summaries = Vec::new();
    while let Ok(line) = lines.recv_timeout(PATIENCE) {
        let line: serde_json::Value = serde_json::from_str(&line).unwrap();
        // The last line is the run's summary; every other one is an instance's.
        if line.get("summary").is_some() {
            summaries.push(line);
            continue;
        }
        assert!(summaries.is_empty(), "a line after the summary: {line}");
        assert!(
            seen.insert(line["id"].as_str().unwrap().to_owned()),
            "{line}"
        );
    }
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(seen.len(), 150, "one line per instance");
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0]["summary"]["terminated"], 150);
    assert_eq!(svc.count("TerminateInstances"), 2);
}
