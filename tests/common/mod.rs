//! Helpers for the end-to-end tests: the example binaries and the emulator
//! binary as separate processes, the emulator in this process, temporary
//! directories and access logs.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_cvm::transport::WallClock;
use tencentcloud_cvm_emulator::AccessLogEntry;

pub mod journaled;
mod processes;
pub mod service;

pub use processes::*;

/// How long the emulator binary may take to say where it listens.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The example called `name`, as this run built it or built on demand.
pub fn example_binary(name: &str) -> PathBuf {
    workspace_binary("example", name, &["--example", name], "")
}

/// A sink collecting an in-process emulator's access log.
pub fn access_log() -> (
    Arc<Mutex<Vec<AccessLogEntry>>>,
    impl Fn(&AccessLogEntry) + Send + Sync + 'static,
) {
    let entries = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&entries);
    (entries, move |e: &AccessLogEntry| {
        sink.lock().unwrap().push(e.clone())
    })
}

/// The wall clock, for tests that need the emulator's notion of "now".
pub fn unix_now() -> u64 {
    tencentcloud_cvm::transport::SystemClock.unix_time()
}
