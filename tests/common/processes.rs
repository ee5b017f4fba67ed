//! What the workspace's end-to-end tests and tccvm's tests (crates/cli/tests,
//! which include this file by path) share, with std alone: scratch directories,
//! this workspace's binaries built on demand, and the emulator binary running.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// A fresh directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tccvm-test-{tag}-{}-{}",
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

/// Lines of a child's stdout as they come.
pub fn stdout_lines(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A binary of this workspace (`kind` "example" or "bin"): next to the test
/// executable when this run built it (and it knows `flag`, when one is given),
/// else built once into a target directory of its own (so as not to wait on
/// this run's build lock).
pub fn workspace_binary(kind: &str, name: &str, cargo_args: &[&str], flag: &str) -> PathBuf {
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
                .is_ok_and(|o| text(&o.stdout).contains(flag))
    };
    if built.exists() && knows(&built) {
        return built;
    }
    // This file is compiled into the tests of more than one package: the
    // workspace root is the manifest directory with the lock file.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap();
    let target = root.join("target").join("test-binaries");
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

/// The emulator binary, one that knows `--cvm-role`.
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

/// The emulator binary, running; killed on drop.
pub struct EmulatorProcess {
    child: Child,
    lines: Receiver<String>,
    pub url: String,
}

impl EmulatorProcess {
    /// Starts it on a loopback port with `args`, waiting up to `patience` for
    /// it to say where it listens.
    pub fn start(args: &[&str], patience: Duration) -> Self {
        let mut child = Command::new(emulator_binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let lines = stdout_lines(&mut child);
        let first = lines.recv_timeout(patience).unwrap();
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
