//! Helpers for driving `tccvm` as a user does: a clean environment, loopback
//! services that count what they are sent, and ways to run with and without a
//! terminal.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{
    AccessLogEntry, Emulator, EmulatorConfig, Server, ServerHandle, Tls,
};

// Scratch directories and the emulator binary, as the workspace's own tests
// have them (not a crate: this package is published, its tests are not).
#[path = "../../../../tests/common/processes.rs"]
mod processes;

pub use processes::*;

/// Every variable a credentials source, the region, the logger or a proxy could read.
pub const CLEARED: &[&str] = &[
    "XDG_STATE_HOME",
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "TENCENTCLOUD_PROFILE",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_ROLE_ARN",
    "TENCENTCLOUD_ROLE_SESSION_NAME",
    "TENCENTCLOUD_STS_ENDPOINT",
    "TENCENTCLOUD_METADATA_ENDPOINT",
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
    "RUST_LOG",
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// The binary under test.
pub fn tccvm_path() -> &'static str {
    env!("CARGO_BIN_EXE_tccvm")
}

/// A `std::process::Command` for `program` with nothing of the caller's
/// environment that could pick credentials, a region or a proxy, an empty HOME
/// (kept alive by the returned guard) and no system credentials file in reach
/// (`/etc/tencentcloud/credentials` is not expected on a test machine).
pub fn clean_command(program: &str) -> (Command, TempDir) {
    let home = TempDir::new("home");
    let mut cmd = Command::new(program);
    cmd.env("HOME", home.path());
    for name in CLEARED {
        cmd.env_remove(name);
    }
    // Not on a CVM: a metadata service that refuses at once.
    cmd.env("TENCENTCLOUD_METADATA_ENDPOINT", closed_port_url());
    (cmd, home)
}

/// Runs `tccvm args` with a clean environment plus `env`, standard input from
/// `stdin`, and no controlling terminal (`setsid`): as from cron or CI.
pub fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let (mut cmd, _home) = clean_command("setsid");
    cmd.arg("-w").arg(tccvm_path()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("setsid (util-linux) runs tccvm");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs `shell_command` (a `sh -c` line) on a new pseudo-terminal (`script`),
/// typing `typed` on it: tccvm finds a terminal to ask on. Returns the exit
/// status of the command and everything the terminal showed.
pub fn run_on_terminal(shell_command: &str, env: &[(&str, &str)], typed: &str) -> (i32, String) {
    let (mut child, _home) = spawn_on_terminal(shell_command, env);
    let mut input = child.stdin.take().unwrap();
    input.write_all(typed.as_bytes()).unwrap();
    // The terminal stays open until the command ends (an EOF would be read as one).
    let out = child.wait_with_output().unwrap();
    drop(input);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout) + &text(&out.stderr),
    )
}

/// `shell_command` (a `sh -c` line) started on a new pseudo-terminal (`script`)
/// with a clean environment plus `env`: what is written to its standard input
/// is typed on the terminal. The HOME guard must outlive the child.
fn spawn_on_terminal(shell_command: &str, env: &[(&str, &str)]) -> (Child, TempDir) {
    let (mut cmd, home) = clean_command("script");
    cmd.args(["-qefc", shell_command, "/dev/null"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs a pseudo-terminal");
    (child, home)
}

/// A port nothing listens on.
pub fn closed_port_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

/// The emulator in this process, with its access log collected.
pub struct CountingEmulator {
    pub server: ServerHandle,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
}

pub const SECRET_ID: &str = "AKIDcliTest";
pub const SECRET_KEY: &str = "cli-test-key";

impl CountingEmulator {
    /// `instances` running pay-as-you-go instances (`ins-00000000`...), one key.
    pub fn start(instances: usize) -> Self {
        Self::with(
            Emulator::builder()
                .credential(Credentials::new(SECRET_ID, SECRET_KEY))
                .instances(instances),
        )
    }

    pub fn with(config: EmulatorConfig) -> Self {
        Self::serving(config, None)
    }

    /// Serving HTTPS with `tls` (its certificate for 127.0.0.1 and localhost).
    pub fn with_tls(config: EmulatorConfig, tls: Tls) -> Self {
        Self::serving(config, Some(tls))
    }

    fn serving(config: EmulatorConfig, tls: Option<Tls>) -> Self {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        let mut server = Server::new(config.build().unwrap())
            .access_log(move |e: &AccessLogEntry| sink.lock().unwrap().push(e.clone()));
        if let Some(tls) = tls {
            server = server.tls(tls);
        }
        let server = server.bind("127.0.0.1:0").unwrap();
        CountingEmulator { server, log }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn entries(&self) -> Vec<AccessLogEntry> {
        self.log.lock().unwrap().clone()
    }

    /// Requests for `action` the service has answered.
    pub fn count(&self, action: &str) -> usize {
        self.entries()
            .iter()
            .filter(|e| e.action.as_deref() == Some(action))
            .count()
    }

    /// The environment and arguments that point tccvm at it.
    pub fn env(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
        ]
    }
}

/// A request a [`FakeService`] received.
#[derive(Clone, Debug)]
pub struct Received {
    pub action: String,
    pub body: serde_json::Value,
}

/// A loopback HTTP/1.1 service answering each request with what `answer`
/// returns (the JSON text of the whole envelope), one connection per request;
/// it checks no signature. For answers the emulator would never give.
pub struct FakeService {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeService {
    pub fn start(answer: impl Fn(&Received) -> String + Send + Sync + 'static) -> FakeService {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let (log, answer) = (Arc::clone(&log), Arc::clone(&answer));
                std::thread::spawn(move || serve(stream, &log, &*answer));
            }
        });
        FakeService { url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self, action: &str) -> usize {
        self.received()
            .iter()
            .filter(|r| r.action == action)
            .count()
    }
}

fn serve(
    stream: TcpStream,
    log: &Mutex<Vec<Received>>,
    answer: &(dyn Fn(&Received) -> String + Send + Sync),
) {
    let mut reader = BufReader::new(stream);
    let (mut action, mut length) = (String::new(), 0usize);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "x-tc-action" => action = value.trim().to_owned(),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let received = Received {
        action,
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    };
    log.lock().unwrap().push(received.clone());
    let body = answer(&received);
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Long enough for anything on a loaded machine; a test waiting this long has failed.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A loopback port that accepts connections and never answers (kept open
/// until the listener thread ends with the test process); counts connections.
pub fn silent_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

/// Like [`run_on_terminal`], but types `typed` only once the terminal shows
/// `prompt` (so a Ctrl-C, say, reaches the program while it waits for an
/// answer), after calling `meanwhile` (to change the world while a person reads).
pub fn answer_on_terminal(
    shell_command: &str,
    env: &[(&str, &str)],
    prompt: &str,
    meanwhile: impl FnOnce(),
    typed: &str,
) -> (i32, String) {
    let (mut child, _home) = spawn_on_terminal(shell_command, env);
    let mut input = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Vec::new();
    while !text(&screen).contains(prompt) {
        match rx.recv_timeout(PATIENCE) {
            Ok(bytes) => screen.extend(bytes),
            Err(_) => panic!("{prompt:?} never shown: {}", text(&screen)),
        }
    }
    meanwhile();
    input.write_all(typed.as_bytes()).unwrap();
    let status = child.wait().unwrap();
    while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(300)) {
        screen.extend(bytes);
    }
    drop(input);
    (status.code().unwrap_or(-1), text(&screen))
}

/// Sends the signal `name` (`INT`, `HUP`, `KILL`, …) to `child`.
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A reference tool, from its variable or the workspace's venv; without it, a
/// notice (a failure when `CI=true`).
pub fn tool(var: &str, venv_path: &str, probe: &[&str], what: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os(var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(venv_path)
        });
    let usable = Command::new(&path)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        return Some(path);
    }
    let notice = format!(
        "{} is missing or does not run; set {var} or run scripts/test, which installs {what}",
        path.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{notice}");
    }
    eprintln!("SKIPPED: {notice}");
    None
}

/// tccli, pip-installed by scripts/test in `.venv-tccli`.
pub fn tccli() -> Option<std::path::PathBuf> {
    tool(
        "TCCVM_TCCLI",
        ".venv-tccli/bin/tccli",
        &["--version"],
        "tccli",
    )
}
