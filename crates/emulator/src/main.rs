//! `tencentcloud-cvm-emulator`: run the CVM emulator on a loopback address.
//!
//! See `--help`. The first stdout lines are `listening on http://ADDR`, one per
//! `--listen`; then one access-log line per request. Exits 0 on SIGINT/SIGTERM, 2 on usage errors, 1 if the
//! server cannot start.
#![forbid(unsafe_code)]

mod args;

use std::io::Write;
use std::process::ExitCode;

use tencentcloud_cvm_core::{Action, Credentials};
use tencentcloud_cvm_emulator::{Emulator, Fixture, Server, Tls};

use args::{Command, USAGE};

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("tencentcloud-cvm-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tencentcloud-cvm-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Box<args::Args>) -> Result<(), String> {
    let mut config = Emulator::builder().instances(args.instances);
    for (id, key) in args.credentials {
        config = config.credential(Credentials::new(id, key));
    }
    if let Some(path) = &args.fixture {
        let fixture =
            Fixture::load(path).map_err(|e| format!("{}: {}", path.display(), with_causes(&e)))?;
        config = config.fixture(&fixture);
    }
    config = config.arrival_jitter(std::time::Duration::from_millis(args.arrival_jitter_ms));
    if let Some(seed) = args.arrival_jitter_seed {
        config = config.arrival_jitter_seed(seed);
    }
    for (action, limit) in &args.rate_limits {
        config = match action {
            Some(action) => config.action_rate_limit(action, *limit),
            None => config.rate_limit(*limit),
        };
    }
    if let Some(role) = args.cvm_role {
        config = config.cvm_role(role);
    }
    if let Some(ttl) = args.temp_credential_ttl {
        config = config.temp_credential_ttl(std::time::Duration::from_secs(ttl));
    }
    for (provider, token) in args.web_identities {
        config = config.web_identity(provider, token);
    }
    let emulator = config.build().map_err(|e| e.to_string())?;
    // Hold stdout until the first line is out, so that no access-log line (written from
    // the server thread) can precede `listening on`.
    let mut server = Server::new(emulator);
    if let Some(path) = &args.tls_cert {
        let tls = Tls::self_signed().map_err(|e| e.to_string())?;
        tls.write_certificate(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        server = server.tls(tls);
    }
    let mut out = std::io::stdout().lock();
    let server = server
        .access_log(|entry| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{entry}");
            let _ = out.flush();
        })
        .bind_all(args.listen.iter().map(String::as_str))
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen.join(", ")))?;
    for (action, fault, count) in &args.faults {
        let action = match action {
            Some(action) => action.as_str(),
            None if fault.is_read_fault() => Action::DescribeInstances.name(),
            None => Action::TerminateInstances.name(),
        };
        for _ in 0..*count {
            server.inject_for(action, fault.clone());
        }
    }
    let signals = Signals::catch().map_err(|e| format!("cannot wait for signals: {e}"))?;
    for url in server.urls() {
        let _ = writeln!(out, "listening on {url}");
    }
    let _ = out.flush();
    drop(out);
    signals
        .wait()
        .map_err(|e| format!("cannot wait for signals: {e}"))?;
    server.shutdown();
    Ok(())
}

/// SIGINT and (on Unix) SIGTERM, caught from the moment this is made: made before
/// `listening on` is printed, so a client that signals as soon as it has been served
/// never finds the default action (death by the signal) still in place.
struct Signals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn catch() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let _guard = runtime.enter();
            let interrupt = signal(SignalKind::interrupt())?;
            let terminate = signal(SignalKind::terminate())?;
            Ok(Signals {
                runtime,
                interrupt,
                terminate,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals { runtime })
    }

    /// Blocks until one of them arrives.
    fn wait(self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            let Signals {
                runtime,
                mut interrupt,
                mut terminate,
            } = self;
            runtime.block_on(async {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            });
            Ok(())
        }
        #[cfg(not(unix))]
        self.runtime.block_on(tokio::signal::ctrl_c())
    }
}

/// `error`'s message followed by each cause's, `: `-separated.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
