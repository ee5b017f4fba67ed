//! `examples/async_driver.rs`: the core's state machine driven by tokio and
//! hyper (no ureq) terminates 250 instances on the embedded emulator, and its
//! JSON report accounts for each one.

use crate::common;

use std::process::Command;

#[test]
fn the_async_driver_terminates_250_instances() {
    let output = Command::new(common::example_binary("async_driver"))
        .args(["--instances", "250"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let instances = report["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 250);
    for (i, entry) in instances.iter().enumerate() {
        assert_eq!(entry["id"], format!("ins-{i:08}"));
        assert_eq!(entry["outcome"], "terminated", "{entry}");
        assert_eq!(
            entry["request_id"].as_str().map(str::len),
            Some(36),
            "{entry}"
        );
    }
    assert!(
        stderr.contains("250 instance(s): 250 terminated"),
        "{stderr}"
    );
}

#[test]
fn the_async_driver_refuses_a_bad_argument() {
    let output = Command::new(common::example_binary("async_driver"))
        .args(["--instances", "many"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
}
