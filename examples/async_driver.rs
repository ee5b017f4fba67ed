//! The core's terminate state machine driven by tokio and hyper: no ureq, no
//! threads of its own, the same decisions (batching, rate limits, safe
//! retries, deadlines, one outcome per instance) as the blocking client.
//!
//! ```text
//! cargo run --example async_driver -- --instances 250
//! ```
//!
//! Starts the embedded emulator with N instances, terminates them all, prints
//! progress on stderr and the JSON report on stdout.
//!
//! The driver decides nothing: the `loop` in `terminate` moves bytes and time,
//! and `send` hands every failure to the core as it is. Whether a failed
//! request may be sent again is the core's call, from where it failed: only a
//! `ConnectError`, raised while connecting (before a byte of the request is
//! written), can make it "not sent".

use std::error::Error;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tencentcloud_cvm::sans_io::{ClientState, Termination};
use tencentcloud_cvm::transport::{ConnectError, TransportError};
use tencentcloud_cvm::wire::ServiceConfig;
use tencentcloud_cvm::{Credentials, Event, Report, TerminateOptions};
use tencentcloud_cvm_emulator::{Emulator, Server};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// How long one request may take before its outcome is given up as unknown.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Sends one request on a connection of its own.
async fn send(
    mut request: http::Request<Vec<u8>>,
    max_body: usize,
) -> Result<http::Response<Vec<u8>>, TransportError> {
    let authority = request.uri().authority().map(|a| a.to_string());
    *request.uri_mut() = http::Uri::from_static("/");
    let exchange = async {
        let stream = TcpStream::connect(authority.unwrap_or_default())
            .await
            .map_err(|e| ConnectError::new("could not connect", e))?;
        let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(TransportError::from_send_error)?;
        tokio::spawn(connection);
        let response = sender
            .send_request(request.map(|body| Full::new(Bytes::from(body))))
            .await
            .map_err(TransportError::from_send_error)?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, max_body)
            .collect()
            .await
            .map_err(TransportError::from_send_error)?;
        Ok(http::Response::from_parts(parts, body.to_bytes().to_vec()))
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| Err(TransportError::outcome_unknown("timed out").mark_timed_out()))
}

fn unix_time() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The driver: poll, send, wait for an answer or a timer, feed it back.
async fn terminate(
    ids: &[String],
    credentials: &Credentials,
    state: &mut ClientState,
) -> Result<Report, Box<dyn Error>> {
    let mut run = Termination::new(ids, &TerminateOptions::new(), Instant::now())?;
    let mut in_flight = JoinSet::new();
    loop {
        while let Some(event) = run.poll_event() {
            if let Event::Outcomes(outcomes) = event {
                let p = run.progress();
                eprintln!("{} ended ({}/{})", outcomes.len(), p.ended, p.instances);
            }
        }
        // A TerminateInstances leaves only once its journal record is taken: append
        // each to a file and fsync it here to survive a crash (this example drops them).
        while run.poll_journal().is_some() {}
        if run.is_finished() {
            break;
        }
        while let Some(t) = run.poll_transmit(Instant::now(), unix_time(), credentials, state) {
            let max_body = state.max_body();
            in_flight.spawn(async move { (t.token, send(t.request, max_body).await) });
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let n: usize = match std::env::args().skip(1).collect::<Vec<_>>().as_slice() {
        [] => 250,
        [flag, n] if flag == "--instances" => {
            n.parse().map_err(|_| "--instances needs a number")?
        }
        _ => return Err("usage: async_driver [--instances N]".into()),
    };
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
