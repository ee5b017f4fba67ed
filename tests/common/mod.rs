//! Helpers for the end-to-end tests: the example binaries and the emulator
//! binary as separate processes, the emulator in this process, temporary
//! directories and access logs.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_cvm::WallClock;
use tencentcloud_cvm_emulator::AccessLogEntry;

pub mod service;

/// A binary of this workspace: next to the test executable when this run built
/// it (and it knows `flag`), else built once into a separate target directory
/// (so as not to wait on this run's build lock).
fn workspace_binary(kind: &str, name: &str, cargo_args: &[&str], flag: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let built = match kind {
        "example" => profile_dir.join("examples").join(&file),
        _ => profile_dir.join(&file),
    };
    let knows = |path: &Path| {
        flag.is_empty()
            || Command::new(path)
                .arg("--help")
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(flag))
    };
    if built.exists() && knows(&built) {
        return built;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target").join("credentials-test");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet"])
        .args(cargo_args)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    let path = match kind {
        "example" => target.join("debug").join("examples").join(&file),
        _ => target.join("debug").join(&file),
    };
    assert!(knows(&path), "{} does not know {flag}", path.display());
    path
}

/// The example called `name`, as this run built it or built on demand.
pub fn example_binary(name: &str) -> PathBuf {
    workspace_binary("example", name, &["--example", name], "")
}

/// The emulator binary.
pub fn emulator_binary() -> PathBuf {
    workspace_binary(
        "bin",
        "tencentcloud-cvm-emulator",
        &[
            "-p",
            "tencentcloud-cvm-emulator",
            "--bin",
            "tencentcloud-cvm-emulator",
        ],
        "--cvm-role",
    )
}

/// A fresh directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tccvm-e2e-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The emulator binary, running; killed on drop.
pub struct EmulatorProcess {
    child: Child,
    lines: Receiver<String>,
    pub url: String,
}

impl EmulatorProcess {
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(emulator_binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
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
        let first = lines.recv_timeout(Duration::from_secs(20)).unwrap();
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line was {first:?}"))
            .to_owned();
        EmulatorProcess { child, lines, url }
    }

    /// The access-log lines written so far (waiting briefly for late ones).
    pub fn log(&self) -> Vec<String> {
        let mut out = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300)) {
            out.push(line);
        }
        out
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    tencentcloud_cvm::SystemClock.unix_time()
}
