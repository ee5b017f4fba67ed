//! The core's terminate state machine driven by tokio and hyper's client: no
//! ureq, no threads of its own, the same decisions (batching, rate limits,
//! safe retries, deadlines, one outcome per instance) as the blocking client.
//!
//! ```text
//! cargo run --example async_driver -- --instances 250
//! ```
//!
//! Starts the embedded emulator with N instances, terminates them all, prints
//! progress on stderr and the JSON report on stdout.
//!
//! The driver is the `loop` in `terminate`: it moves bytes and time, and
//! decides nothing.

use std::error::Error;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use tencentcloud_cvm_core::{
    ClientState, Credentials, Event, Report, ServiceConfig, TerminateOptions, Termination,
    TransportError, TransportErrorKind,
};
use tencentcloud_cvm_emulator::{Emulator, Server};
use tokio::task::JoinSet;

type Http = HttpClient<HttpConnector, Full<Bytes>>;

/// How long one request may take before its outcome is given up as unknown.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn unix_time() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Sends one request. A failure to connect is `NotSent` (safe to send
/// again); anything after that leaves the outcome unknown.
async fn send(
    http: Http,
    request: http::Request<Vec<u8>>,
    max_body: usize,
) -> Result<http::Response<Vec<u8>>, TransportError> {
    let request = request.map(|body| Full::new(Bytes::from(body)));
    let exchange = async {
        let response = http.request(request).await.map_err(|e| {
            let kind = if e.is_connect() {
                TransportErrorKind::NotSent
            } else {
                TransportErrorKind::OutcomeUnknown
            };
            TransportError::with_source(kind, "the HTTP exchange failed", e)
        })?;
        let (parts, body) = response.into_parts();
        // One byte over the cap is enough for the core to say "too large".
        let body = Limited::new(body, max_body.saturating_add(1))
            .collect()
            .await
            .map(|b| b.to_bytes().to_vec())
            .or_else(|e| match e.downcast::<http_body_util::LengthLimitError>() {
                Ok(_) => Ok(vec![b' '; max_body.saturating_add(1)]),
                Err(e) => Err(TransportError::new(
                    TransportErrorKind::OutcomeUnknown,
                    format!("the response body could not be read: {e}"),
                )),
            })?;
        Ok(http::Response::from_parts(parts, body))
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(TransportError::new(
                TransportErrorKind::OutcomeUnknown,
                "timed out after sending",
            ))
        })
}

/// The driver: poll, send, wait for an answer or a timer, feed it back.
async fn terminate(
    ids: &[String],
    credentials: &Credentials,
    state: &mut ClientState,
) -> Result<Report, Box<dyn Error>> {
    let mut run = Termination::new(ids, &TerminateOptions::new(), Instant::now())?;
    let http: Http = HttpClient::builder(TokioExecutor::new()).build_http();
    let mut in_flight = JoinSet::new();
    loop {
        while let Some(event) = run.poll_event() {
            if let Event::Outcomes(outcomes) = event {
                let p = run.progress();
                eprintln!("{} ended ({}/{})", outcomes.len(), p.ended, p.instances);
            }
        }
        if run.is_finished() {
            break;
        }
        while let Some(t) = run.poll_transmit(Instant::now(), unix_time(), credentials, state) {
            let (http, max_body) = (http.clone(), state.max_body());
            in_flight.spawn(async move { (t.token, send(http, t.request, max_body).await) });
        }
        let wake = run.poll_timeout();
        tokio::select! {
            Some(done) = in_flight.join_next() => {
                let (token, result) = done?;
                run.handle_response(token, result, Instant::now(), state);
            }
            _ = tokio::time::sleep_until(wake.unwrap_or_else(Instant::now).into()), if wake.is_some() => {
                run.handle_timeout(Instant::now());
            }
            else => return Err("the run is waiting on nothing".into()),
        }
    }
    Ok(run.into_report())
}

fn instances_arg() -> Result<usize, String> {
    let mut args = std::env::args().skip(1);
    let mut n = 250;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--instances" => {
                let value = args.next().ok_or("--instances needs a number")?;
                n = value
                    .parse()
                    .map_err(|_| format!("--instances: `{value}` is not a number"))?;
            }
            other => return Err(format!("unknown argument `{other}` (usage: --instances N)")),
        }
    }
    Ok(n)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let n = instances_arg()?;
    let credentials = Credentials::new("AKIDasyncDriver", "async-driver-example-key");
    let emulator = Emulator::builder()
        .credential(credentials.clone())
        .instances(n)
        .build()?;
    let server = Server::start(emulator, "127.0.0.1:0")?;
    eprintln!("emulator listening on {} ({n} instances)", server.url());

    let config = ServiceConfig::builder("ap-guangzhou")
        .endpoint_url(server.url())
        .build()?;
    let mut state = ClientState::new(config);
    let ids: Vec<String> = (0..n).map(|i| format!("ins-{i:08}")).collect();
    let report = terminate(&ids, &credentials, &mut state).await?;
    println!("{}", report.to_json());
    eprintln!("{report}");
    Ok(())
}
