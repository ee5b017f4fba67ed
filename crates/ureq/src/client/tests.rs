use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tencentcloud_cvm_core::clock::ManualClock;
use tencentcloud_cvm_core::transport::{TransportError, TransportErrorKind};
use tencentcloud_cvm_core::{Credentials, CredentialsErrorKind, Endpoint, Language};

use super::*;
use crate::{ProxyConfig, SystemClock};

type Reply = Result<http::Response<Vec<u8>>, TransportError>;

/// Answers from a script (then a fallback), recording what was sent.
#[derive(Default)]
struct Scripted {
    script: Mutex<VecDeque<Reply>>,
    fallback: Option<fn() -> Reply>,
    sent: Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl Transport for Scripted {
    fn send(&self, request: http::Request<Vec<u8>>) -> Reply {
        self.sent.lock().unwrap().push(request);
        let next = self.script.lock().unwrap().pop_front();
        next.unwrap_or_else(|| (self.fallback.expect("script exhausted"))())
    }
}

fn ok() -> Reply {
    Ok(http::Response::new(
        br#"{"Response":{"RequestId":"req-ok"}}"#.to_vec(),
    ))
}

fn throttled() -> Reply {
    Ok(http::Response::new(
        br#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"req-thr"}}"#.to_vec(),
    ))
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08x}")).collect()
}

fn scripted_client(
    script: Vec<Reply>,
    fallback: fn() -> Reply,
) -> (Client, Arc<Scripted>, Arc<ManualClock>) {
    let transport = Arc::new(Scripted {
        script: Mutex::new(script.into()),
        fallback: Some(fallback),
        sent: Mutex::default(),
    });
    let clock = Arc::new(ManualClock::new(1_700_000_000));
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "SENTINEL-KEY"))
        .clock(clock.clone())
        .transport(transport.clone())
        .jitter_seed(7)
        .build()
        .unwrap();
    (client, transport, clock)
}

#[test]
fn client_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[test]
fn clones_share_one_engine() {
    let (client, _, _) = scripted_client(vec![], ok);
    let clone = client.clone();
    assert!(std::ptr::eq(client.engine(), clone.engine()));
}

#[test]
fn a_manual_clock_runs_a_long_throttled_terminate_without_sleeping() {
    let (client, transport, clock) = scripted_client(vec![throttled(), throttled()], ok);
    let started = Instant::now();
    let mut progress = Vec::new();
    let report = client
        .terminate_with_progress(ids(2_500), &TerminateOptions::default(), &mut |p| {
            progress.push(p.instances_done)
        })
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    assert_eq!(report.instances().len(), 2_500);
    // 25 batches, the first throttled twice: 27 requests, all within 10/s.
    let sent = transport.sent.lock().unwrap();
    assert_eq!(sent.len(), 27);
    assert_eq!(progress.len(), 25);
    assert!(
        clock.monotonic() >= Duration::from_secs(2),
        "rate limit waited on the clock"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "no real sleeping"
    );
    assert_eq!(sent[0].uri(), "https://cvm.tencentcloudapi.com/");
    assert_eq!(sent[0].headers()["x-tc-region"], "ap-guangzhou");
}

#[test]
fn dry_run_sends_nothing() {
    let (client, transport, _) = scripted_client(vec![], || panic!("sent"));
    let requests = client
        .signed_requests(ids(150), &TerminateOptions::default())
        .unwrap();
    assert_eq!(requests.len(), 2);
    assert!(transport.sent.lock().unwrap().is_empty());
}

#[test]
fn missing_credentials_send_nothing() {
    #[derive(Debug)]
    struct None_;
    impl ProvideCredentials for None_ {
        fn credentials(&self) -> Result<Credentials, tencentcloud_cvm_core::CredentialsError> {
            Err(tencentcloud_cvm_core::CredentialsError::new(
                CredentialsErrorKind::NotConfigured,
                "test",
                "nothing",
            ))
        }
    }
    let transport = Arc::new(Scripted::default());
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(None_)
        .transport(transport.clone())
        .build()
        .unwrap();
    let e = client
        .terminate(ids(1), &TerminateOptions::default())
        .unwrap_err();
    assert!(matches!(e, TerminateError::Credentials(_)));
    assert!(transport.sent.lock().unwrap().is_empty());
}

use tencentcloud_cvm_core::ProvideCredentials;

#[test]
fn builder_errors_are_typed() {
    use std::error::Error;
    let e = Client::builder().build().unwrap_err();
    assert_eq!(e, ClientBuildError::MissingRegion);
    assert!(e.source().is_none());
    let e = Client::new("Not A Region").unwrap_err();
    assert!(matches!(e, ClientBuildError::Service(_)), "{e}");
    assert!(e.source().is_some());
    let e = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url("ftp://example")
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Endpoint(_)), "{e}");
    let e = Client::builder()
        .region("ap-guangzhou")
        .request_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid request_timeout: must be greater than zero"
    );
    let e = Client::builder()
        .region("ap-guangzhou")
        .max_body(0)
        .build()
        .unwrap_err();
    assert!(matches!(
        e,
        ClientBuildError::InvalidSetting {
            setting: "max_body",
            ..
        }
    ));
    let e = Client::builder()
        .region("ap-guangzhou")
        .proxy(ProxyConfig::Url("::not a url::".into()))
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Proxy(_)), "{e}");
}

#[test]
fn builder_settings_reach_the_config() {
    let client = Client::builder()
        .region("ap-shanghai")
        .endpoint_url("http://127.0.0.1:9")
        .language(Language::EnUs)
        .credentials(Credentials::new("AKIDx", "SENTINEL-KEY").with_token("SENTINEL-TOKEN"))
        .build()
        .unwrap();
    assert_eq!(client.config().uri(), "http://127.0.0.1:9/");
    assert_eq!(client.config().language(), Some(Language::EnUs));
    let d = format!("{client:?}");
    assert!(!d.contains("SENTINEL"), "{d}");
    let regional = Client::builder()
        .region("ap-shanghai")
        .endpoint(Endpoint::Regional)
        .build()
        .unwrap();
    assert_eq!(
        regional.config().host(),
        "cvm.ap-shanghai.tencentcloudapi.com"
    );
}

/// The whole stack over a loopback socket: signed request in, report out.
#[test]
fn terminates_over_real_http() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let answer = r#"{"Response":{"RequestId":"loopback-1"}}"#;
        write!(
            reader.get_mut(),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
        (head, String::from_utf8(body).unwrap())
    });
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(format!("http://{addr}"))
        .credentials(Credentials::new("AKIDloop", "SENTINEL-KEY"))
        .proxy(ProxyConfig::None)
        .request_timeout(Duration::from_secs(2))
        .clock(SystemClock::new())
        .build()
        .unwrap();
    let report = client
        .terminate(["ins-00000001"], &TerminateOptions::default())
        .unwrap();
    assert_eq!(
        report.instances()[0].outcome.request_id(),
        Some("loopback-1")
    );
    assert!(report.all_terminated());
    let (head, body) = server.join().unwrap();
    assert!(
        head.contains("authorization: TC3-HMAC-SHA256 Credential=AKIDloop/"),
        "{head}"
    );
    assert!(!head.contains("SENTINEL"));
    assert_eq!(body, r#"{"InstanceIds":["ins-00000001"]}"#);
}

#[test]
fn transport_errors_become_outcomes() {
    let (client, transport, _) = scripted_client(
        vec![Err(TransportError::new(
            TransportErrorKind::OutcomeUnknown,
            "timed out after connecting",
        ))],
        || panic!("re-sent after an unknown outcome"),
    );
    let report = client
        .terminate(ids(1), &TerminateOptions::default())
        .unwrap();
    assert_eq!(report.unknown(), 1);
    assert_eq!(transport.sent.lock().unwrap().len(), 1);
}
