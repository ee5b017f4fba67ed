//! `terminate`: terminate CVM instances from the command line.
//!
//! ```text
//! cargo run --example terminate -- --region ap-guangzhou ins-r8hr2upy ins-5d8a23rs
//! echo "ins-r8hr2upy ins-5d8a23rs" | cargo run --example terminate -- --region ap-guangzhou -
//! cargo run --example terminate -- --region ap-guangzhou --dry-run ins-r8hr2upy
//! cargo run --example terminate -- --emulator --json          # offline, against the emulator
//! ```
//!
//! Exit code: 0 when every instance was terminated, 1 when any failed, is
//! unknown or was not sent, 2 on a usage or validation error (nothing sent),
//! 130 when interrupted (SIGINT or SIGTERM; the full report is still printed).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tencentcloud_cvm::{
    BatchPlan, CancelToken, Client, Credentials, Event, Language, Report, TerminateOptions,
};
use tencentcloud_cvm_emulator::{Emulator, Server, ServerHandle};

const USAGE: &str = "\
Terminate Tencent Cloud CVM instances (TerminateInstances, API 3.0).

Usage: terminate [OPTIONS] [IDS...]

Arguments:
  [IDS...]    Instance IDs (ins-xxxxxxxx); `-` reads more IDs from standard
              input, separated by whitespace or newlines

Options:
  --region REGION                  Region, e.g. ap-guangzhou (required unless --emulator)
  --endpoint URL                   Endpoint base URL (default https://cvm.tencentcloudapi.com)
  --release-prepaid-data-disks     Also release prepaid data disks (ReleasePrepaidDataDisks)
  --release-address                Also release the instances' EIPs (ReleaseAddress)
  --language zh-CN|en-US           Language of the service's error messages
  --dry-run                        Print the signed request(s) and send nothing
  --json                           Print the report as JSON
  --emulator                       Run against an embedded emulator on 127.0.0.1, seeded
                                   with the given IDs (or demo instances when none are given)
  -h, --help                       Print this help

Credentials, first found: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and
TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_TOKEN); the profile TENCENTCLOUD_PROFILE (default
`default`) of TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials or
/etc/tencentcloud/credentials; with TENCENTCLOUD_ROLE_ARN (and TENCENTCLOUD_ROLE_SESSION_NAME)
or a profile's role_arn, that role via STS AssumeRole (TENCENTCLOUD_STS_ENDPOINT); TKE OIDC
(TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN); the CVM's CAM role
(TENCENTCLOUD_METADATA_ENDPOINT). See README, Credentials.

Interrupt (Ctrl-C or SIGTERM): nothing new is sent, requests in flight are awaited, and
the full report is printed; a second interrupt gives up requests in flight at once.

Exit status: 0 all terminated, 1 any failed, unknown or not sent, 2 usage or validation
error, 130 interrupted.";

/// The region the emulator answers for when none is given.
const EMULATOR_REGION: &str = "ap-guangzhou";
/// How many demo instances `--emulator` creates when no IDs are given.
const DEMO_INSTANCES: usize = 3;

#[derive(Debug, Default)]
struct Args {
    ids: Vec<String>,
    read_stdin: bool,
    region: Option<String>,
    endpoint: Option<String>,
    language: Option<Language>,
    options: TerminateOptions,
    dry_run: bool,
    json: bool,
    emulator: bool,
    help: bool,
}

/// A usage or validation error: printed, exit code 2, nothing sent.
enum UsageError {
    /// The command line is wrong (a hint to `--help` follows).
    Usage(String),
    /// An ID, the settings or the credentials are unusable.
    Invalid(String),
}

fn usage(message: impl Into<String>) -> UsageError {
    UsageError::Usage(message.into())
}

fn invalid(e: impl std::fmt::Display) -> UsageError {
    UsageError::Invalid(e.to_string())
}

fn parse_args(raw: impl IntoIterator<Item = String>) -> Result<Args, UsageError> {
    let mut args = Args::default();
    let mut raw = raw.into_iter();
    let mut only_ids = false;
    while let Some(arg) = raw.next() {
        if only_ids || arg == "-" || !arg.starts_with('-') {
            if arg == "-" {
                args.read_stdin = true;
            } else {
                args.ids.push(arg);
            }
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, UsageError> {
            inline
                .clone()
                .or_else(|| raw.next())
                .ok_or_else(|| usage(format!("{name} needs a value ({what})")))
        };
        match name.as_str() {
            "--" => only_ids = true,
            "-h" | "--help" => args.help = true,
            "--region" => args.region = Some(value("e.g. ap-guangzhou")?),
            "--endpoint" => args.endpoint = Some(value("a URL")?),
            "--language" => {
                let v = value("zh-CN or en-US")?;
                args.language = Some(Language::parse(&v).ok_or_else(|| {
                    usage(format!(
                        "--language must be zh-CN or en-US, not `{}`",
                        v.escape_debug()
                    ))
                })?);
            }
            "--release-prepaid-data-disks" => {
                args.options = args.options.clone().release_prepaid_data_disks(true)
            }
            "--release-address" => args.options = args.options.clone().release_address(true),
            "--dry-run" => args.dry_run = true,
            "--json" => args.json = true,
            "--emulator" => args.emulator = true,
            _ => return Err(usage(format!("unknown option `{}`", name.escape_debug()))),
        }
        let takes_value = matches!(name.as_str(), "--region" | "--endpoint" | "--language");
        if inline.is_some() && !takes_value {
            return Err(usage(format!("{name} takes no value")));
        }
    }
    Ok(args)
}

fn read_stdin_ids(ids: &mut Vec<String>) -> Result<(), UsageError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| invalid(format!("cannot read instance IDs from standard input: {e}")))?;
    ids.extend(text.split_whitespace().map(str::to_owned));
    Ok(())
}

/// Credentials for the emulator: a fixed SecretId and a fresh random key.
fn emulator_credentials() -> Credentials {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    Credentials::new(
        "AKIDterminateEmulator",
        format!("emulator-{:016x}", h.finish()),
    )
}

/// Starts the emulator seeded with `ids` (or demo instances) and returns it
/// with the IDs to terminate.
fn start_emulator(ids: Vec<String>) -> Result<(ServerHandle, Vec<String>), UsageError> {
    let mut config = Emulator::builder().credential(emulator_credentials());
    let ids = if ids.is_empty() {
        config = config.instances(DEMO_INSTANCES);
        (0..DEMO_INSTANCES).map(|i| format!("ins-{i:08}")).collect()
    } else {
        // Validated and de-duplicated by the caller's BatchPlan.
        config = config.seed(ids.iter().cloned());
        ids
    };
    let emulator = config
        .build()
        .map_err(|e| invalid(format!("emulator: {e}")))?;
    let server = Server::start(emulator, "127.0.0.1:0")
        .map_err(|e| invalid(format!("cannot start the emulator: {e}")))?;
    eprintln!(
        "emulator listening on {} ({} instance(s))",
        server.url(),
        ids.len()
    );
    Ok((server, ids))
}

/// Prints a request as it would be sent, with the session token redacted.
/// (`Authorization` carries the SecretId, scope and signature, none of them
/// secret; the SecretKey is never in a request.)
fn print_request(out: &mut impl Write, request: &http::Request<Vec<u8>>) -> std::io::Result<()> {
    writeln!(out, "{} {}", request.method(), request.uri())?;
    for (name, value) in request.headers() {
        let shown = if name == "x-tc-token" || (value.is_sensitive() && name != "authorization") {
            "<redacted>".into()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        writeln!(out, "{name}: {shown}")?;
    }
    writeln!(out)?;
    out.write_all(request.body())?;
    writeln!(out)
}

fn print_table(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let rows: Vec<[String; 5]> = report
        .instances()
        .iter()
        .map(|i| {
            let o = &i.outcome;
            [
                i.id.to_string(),
                o.kind().as_str().to_owned(),
                o.code().map_or("-".into(), |c| c.as_str().to_owned()),
                o.request_id().unwrap_or("-").to_owned(),
                o.message().unwrap_or("").to_owned(),
            ]
        })
        .collect();
    let header = ["INSTANCE", "OUTCOME", "CODE", "REQUEST ID", "MESSAGE"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: [&str; 5]| {
        let text = format!(
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header)?;
    for row in &rows {
        line(out, [&row[0], &row[1], &row[2], &row[3], &row[4]])?;
    }
    writeln!(out, "{report}")
}

fn run() -> Result<ExitCode, UsageError> {
    let mut args = parse_args(std::env::args().skip(1))?;
    if args.help {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    if args.read_stdin {
        read_stdin_ids(&mut args.ids)?;
    }
    // Validate every ID before starting anything or sending anything.
    let plan = BatchPlan::new(&args.ids).map_err(invalid)?;
    let ids: Vec<String> = plan.instances().iter().map(|i| i.to_string()).collect();

    let mut builder = Client::builder();
    let (emulator, ids) = if args.emulator {
        if args.endpoint.is_some() {
            return Err(usage("--endpoint cannot be used with --emulator"));
        }
        let (server, ids) = start_emulator(ids)?;
        let credentials = server.credentials()[0].clone();
        builder = builder
            .region(args.region.as_deref().unwrap_or(EMULATOR_REGION))
            .endpoint_url(server.url())
            .credentials(credentials)
            .http(|h| h.proxy(tencentcloud_cvm::ProxyConfig::None));
        (Some(server), ids)
    } else {
        let region = args
            .region
            .as_deref()
            .ok_or_else(|| usage("--region is required (e.g. --region ap-guangzhou)"))?;
        if ids.is_empty() {
            return Err(usage(
                "no instance IDs given (pass them as arguments, or `-` to read standard input)",
            ));
        }
        builder = builder.region(region);
        if let Some(url) = &args.endpoint {
            builder = builder.endpoint_url(url.as_str());
        }
        (None, ids)
    };
    if let Some(language) = args.language {
        builder = builder.service(|s| s.language(Some(language)));
    }
    let client = builder.build().map_err(invalid)?;
    let mut stdout = std::io::stdout().lock();

    if args.dry_run {
        // What a run without the preflight reads would send first (with them, the
        // batches depend on what the reads find).
        let blind = args.options.clone().preflight(false);
        let requests = client.signed_requests(&ids, &blind).map_err(invalid)?;
        for (i, request) in requests.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(stdout);
            }
            let _ = print_request(&mut stdout, request);
        }
        return Ok(ExitCode::SUCCESS);
    }

    // SIGINT or SIGTERM: send nothing new, await what is in flight, then print
    // the whole report. A second one: give up what is in flight, at once.
    let cancel = CancelToken::new();
    let interrupted = watch_signals(&cancel)?;
    let show_progress = std::io::stderr().is_terminal() && ids.len() > 100;
    let total = ids.len();
    let mut settled = 0;
    let report = client
        .terminate_with(&ids, &args.options, &cancel, |event| {
            if let Event::Outcomes(outcomes) = event {
                settled += outcomes.len();
                if show_progress {
                    eprint!("\r{settled}/{total} instances");
                    if settled == total {
                        eprintln!();
                    }
                }
            }
        })
        .map_err(invalid)?;
    let _ = if args.json {
        writeln!(stdout, "{}", report.to_json())
    } else {
        print_table(&mut stdout, &report)
    };
    let _ = stdout.flush();
    drop(emulator);
    Ok(if interrupted.load(Ordering::SeqCst) {
        ExitCode::from(130)
    } else if report.all_terminated() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Turns SIGINT and SIGTERM into a cancel (the first) and an abort (the
/// second). Returns whether one arrived.
fn watch_signals(cancel: &CancelToken) -> Result<Arc<AtomicBool>, UsageError> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .map_err(|e| invalid(format!("cannot watch for interrupts: {e}")))?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let (flag, cancel) = (interrupted.clone(), cancel.clone());
    std::thread::spawn(move || {
        for _ in signals.forever() {
            if flag.swap(true, Ordering::SeqCst) {
                eprintln!("interrupted again: giving up requests in flight");
                cancel.abort();
            } else {
                eprintln!("interrupted: sending nothing new, waiting for requests in flight (again to stop at once)");
                cancel.cancel();
            }
        }
    });
    Ok(interrupted)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(UsageError::Usage(message)) => {
            eprintln!("error: {message}");
            eprintln!("Run with --help for usage.");
            ExitCode::from(2)
        }
        Err(UsageError::Invalid(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
