use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicUsize, Ordering};

use tencentcloud_cvm_core::{
    Action, Credentials, CredentialsErrorKind, Endpoint, Language, OutcomeKind, RateLimit,
    RateLimits, TransportError,
};

use super::*;
use crate::credentials::EnvLookup;
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
        // The reads that resolve an unknown outcome find nothing; the script
        // is for TerminateInstances.
        if request.headers()["x-tc-action"] == "DescribeInstances" {
            return Ok(http::Response::new(
                br#"{"Response":{"TotalCount":0,"InstanceSet":[],"RequestId":"read"}}"#.to_vec(),
            ));
        }
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

/// These tests script TerminateInstances answers only: no preflight reads.
fn blind() -> TerminateOptions {
    TerminateOptions::new().with_preflight(false)
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08x}")).collect()
}

fn scripted_client(script: Vec<Reply>, fallback: fn() -> Reply) -> (Client, Arc<Scripted>) {
    let transport = Arc::new(Scripted {
        script: Mutex::new(script.into()),
        fallback: Some(fallback),
        sent: Mutex::default(),
    });
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "SENTINEL-KEY"))
        .transport(transport.clone())
        .rate_limits(RateLimits::new().with_limit(
            Action::TerminateInstances,
            RateLimit::new(1000, Duration::from_secs(1)),
        ))
        .jitter_seed(7)
        .build()
        .unwrap();
    (client, transport)
}

#[test]
fn client_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[test]
fn clones_share_one_state() {
    let (client, _) = scripted_client(vec![], ok);
    let clone = client.clone();
    assert!(Arc::ptr_eq(&client.inner, &clone.inner));
}

#[test]
fn a_throttled_terminate_is_retried_and_streams_one_event_per_request() {
    let (_, transport) = scripted_client(vec![throttled(), throttled()], ok);
    // One request at a time, so the throttled answers go to the first request
    // and its retry. Side by side, the second request could get one with the
    // first sent before it, and the limiter would then rightly learn a limit of
    // one a second: the same assertions, 10 s instead of 0.2 s.
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "SENTINEL-KEY"))
        .transport(transport.clone())
        .rate_limits(RateLimits::new().with_limit(
            Action::TerminateInstances,
            RateLimit::new(1000, Duration::from_secs(1)),
        ))
        .jitter_seed(7)
        .max_in_flight(1)
        .build()
        .unwrap();
    let mut settled = Vec::new();
    let mut retries = 0;
    let report = client
        .terminate_with(ids(2_500), &blind(), &CancelToken::new(), |e| match e {
            Event::Outcomes(o) => settled.push(o.len()),
            Event::Retrying { .. } => retries += 1,
            _ => {}
        })
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    assert_eq!(report.instances().len(), 2_500);
    // 25 batches, one throttled twice: 27 requests.
    let sent = transport.sent.lock().unwrap();
    assert_eq!(sent.len(), 27);
    assert_eq!(settled, [100; 25]);
    assert_eq!(retries, 2);
    assert_eq!(sent[0].uri(), "https://cvm.tencentcloudapi.com/");
    assert_eq!(sent[0].headers()["x-tc-region"], "ap-guangzhou");
}

#[test]
fn dry_run_sends_nothing() {
    let (client, transport) = scripted_client(vec![], || panic!("sent"));
    let requests = client.signed_requests(ids(150), &blind()).unwrap();
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
    let e = client.terminate(ids(1), &blind()).unwrap_err();
    assert!(matches!(e, TerminateError::Credentials(_)));
    assert!(transport.sent.lock().unwrap().is_empty());
}

use tencentcloud_cvm_core::ProvideCredentials;

#[test]
fn builder_errors_are_typed() {
    use std::error::Error;
    let nothing_configured = crate::DefaultRegionChain::builder()
        .lookup(|_| None)
        .system_credentials_file("/nonexistent/credentials")
        .build();
    let e = Client::builder()
        .region_chain(nothing_configured)
        .build()
        .unwrap_err();
    assert_eq!(e, ClientBuildError::MissingRegion);
    assert!(e.source().is_none());
    let e = Client::new("Not A Region").unwrap_err();
    assert!(matches!(e, ClientBuildError::Service(_)), "{e}");
    assert!(e.to_string().starts_with("invalid region"), "{e}");
    let e = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url("ftp://example")
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Endpoint(_)), "{e}");
    let e = Client::builder()
        .region("ap-guangzhou")
        .http(|h| h.request_timeout(Duration::ZERO))
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid request_timeout: must be greater than zero"
    );
    let e = Client::builder()
        .region("ap-guangzhou")
        .http(|h| h.max_body(0))
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
        .http(|h| h.proxy(ProxyConfig::Url("::not a url::".into())))
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Proxy(_)), "{e}");
    assert!(
        e.source().is_none(),
        "transparent: the message is shown once"
    );
    let e = Client::builder()
        .region("ap-guangzhou")
        .max_in_flight(0)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid max_in_flight: must be greater than zero"
    );
}

#[test]
fn a_custom_transport_does_not_skip_the_http_checks() {
    let custom = || {
        Client::builder()
            .region("ap-guangzhou")
            .transport(Scripted::default())
    };
    let e = custom()
        .http(|h| h.proxy(ProxyConfig::Url("::not a url::".into())))
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Proxy(_)), "{e}");
    let e = custom()
        .http(|h| h.connect_timeout(Duration::ZERO))
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid connect_timeout: must be greater than zero"
    );
}

#[test]
fn builder_settings_reach_the_config() {
    let client = Client::builder()
        .region("ap-shanghai")
        .endpoint_url("http://127.0.0.1:9")
        .service(|s| s.language(Some(Language::EnUs)))
        .credentials(Credentials::new("AKIDx", "SENTINEL-KEY").with_token("SENTINEL-TOKEN"))
        .build()
        .unwrap();
    assert_eq!(client.config().uri(), "http://127.0.0.1:9/");
    assert_eq!(client.config().language(), Some(Language::EnUs));
    let d = format!("{client:?}");
    assert!(!d.contains("SENTINEL"), "{d}");
    let regional = Client::builder()
        .region("ap-shanghai")
        .service(|s| s.endpoint(Endpoint::Regional))
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
        .http(|h| {
            h.proxy(ProxyConfig::None)
                .request_timeout(Duration::from_secs(2))
        })
        .clock(SystemClock)
        .build()
        .unwrap();
    let report = client.terminate(["ins-00000001"], &blind()).unwrap();
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
    let (client, transport) = scripted_client(
        vec![Err(TransportError::outcome_unknown(
            "timed out after connecting",
        ))],
        || panic!("re-sent after an unknown outcome"),
    );
    // A short settle delay before the reads that resolve it (the default is 2 s).
    let options = blind().with_settle_delay(Duration::from_millis(10));
    let report = client.terminate(ids(1), &options).unwrap();
    assert_eq!(report.unknown(), 1);
    assert_eq!(transport.sent.lock().unwrap().len(), 1);
}

/// Sleeps before answering, and counts how many sends overlap.
#[derive(Default)]
struct Slow {
    delay: Duration,
    now: AtomicUsize,
    peak: AtomicUsize,
    total: AtomicUsize,
}

impl Transport for Slow {
    fn send(&self, _: http::Request<Vec<u8>>) -> Reply {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        self.total.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        self.now.fetch_sub(1, Ordering::SeqCst);
        ok()
    }
}

fn slow_client(
    delay: Duration,
    f: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Client, Arc<Slow>) {
    let transport = Arc::new(Slow {
        delay,
        ..Slow::default()
    });
    let client = f(Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "k"))
        .transport(transport.clone()))
    .build()
    .unwrap();
    (client, transport)
}

#[test]
fn ten_requests_are_in_flight_at_once() {
    let (client, transport) = slow_client(Duration::from_millis(300), |b| b);
    let started = Instant::now();
    let report = client.terminate(ids(1000), &blind()).unwrap();
    assert!(report.all_terminated());
    assert_eq!(transport.peak.load(Ordering::SeqCst), 10);
    // One round trip for ten requests, not ten.
    assert!(
        started.elapsed() < Duration::from_millis(2000),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_cancel_awaits_requests_in_flight_and_reports_the_rest_not_sent() {
    let (client, transport) = slow_client(Duration::from_millis(400), |b| b.max_in_flight(2));
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        trigger.cancel();
    });
    let report = client
        .terminate_with(ids(1000), &blind(), &cancel, |_| {})
        .unwrap();
    canceller.join().unwrap();
    assert_eq!(transport.total.load(Ordering::SeqCst), 2);
    assert_eq!(report.terminated(), 200, "the two in flight were awaited");
    assert_eq!(report.count(OutcomeKind::NotSent), 800);
}

#[test]
fn a_cancel_gives_up_reads_in_flight_at_once() {
    // Every read hangs: a cancel need not wait for them (a read changes nothing).
    let (client, transport) = slow_client(Duration::from_secs(30), |b| b);
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        trigger.cancel();
    });
    let started = Instant::now();
    let report = client
        .terminate_with(ids(250), &TerminateOptions::new(), &cancel, |_| {})
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        transport.total.load(Ordering::SeqCst),
        3,
        "three reads, no terminate"
    );
    assert_eq!(report.not_sent(), 250);
    assert_eq!(
        report.instances()[0].outcome.message(),
        Some("not sent: the run stopped before the read of it answered")
    );
}

#[test]
fn an_abort_returns_at_once_with_requests_in_flight_unknown() {
    let (client, _) = slow_client(Duration::from_secs(5), |b| b);
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        trigger.abort();
    });
    let started = Instant::now();
    let report = client
        .terminate_with(ids(250), &blind(), &cancel, |_| {})
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(report.unknown(), 250);
}

#[test]
fn the_deadline_bounds_a_service_that_never_answers() {
    let (client, _) = slow_client(Duration::from_secs(30), |b| b);
    let started = Instant::now();
    let report = client
        .terminate(
            ids(2000),
            &blind().with_deadline(Duration::from_millis(600)),
        )
        .unwrap();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(report.unknown(), 1000);
    assert_eq!(report.not_sent(), 1000);
}

#[test]
fn a_panicking_transport_gives_unknown_not_a_hang() {
    struct Panics;
    impl Transport for Panics {
        fn send(&self, _: http::Request<Vec<u8>>) -> Reply {
            panic!("boom")
        }
    }
    // The reads that try to resolve the outcome panic too: retried within a short budget.
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "k"))
        .transport(Panics)
        .retry_policy(
            tencentcloud_cvm_core::RetryPolicy::default().with_budget(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let options = blind().with_settle_delay(Duration::from_millis(10));
    let report = client.terminate(ids(3), &options).unwrap();
    assert_eq!(report.unknown(), 3);
}

#[test]
fn credentials_that_cannot_be_sent_send_nothing() {
    let transport = Arc::new(Scripted::default());
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDtest", "k").with_token("SENTINEL\r\nX-Injected: 1"))
        .transport(transport.clone())
        .build()
        .unwrap();
    let e = client.terminate(ids(1), &blind()).unwrap_err();
    assert!(matches!(e, TerminateError::InvalidCredentials(_)), "{e}");
    assert!(!e.to_string().contains("SENTINEL"), "{e}");
    assert!(transport.sent.lock().unwrap().is_empty());
}

/// The provider is asked when a request may go, not on every wake to look at
/// the cancel token; a request sent late is signed with what it says then.
#[test]
fn credentials_are_asked_for_when_sending_not_while_waiting() {
    #[derive(Debug)]
    struct Counting(Arc<AtomicUsize>);
    impl ProvideCredentials for Counting {
        fn credentials(&self) -> Result<Credentials, tencentcloud_cvm_core::CredentialsError> {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Credentials::new(format!("AKIDcall{n}"), "k"))
        }
    }
    #[derive(Default)]
    struct Recording(Mutex<Vec<String>>);
    impl Transport for Recording {
        fn send(&self, request: http::Request<Vec<u8>>) -> Reply {
            let auth = request.headers()["authorization"].to_str().unwrap();
            self.0.lock().unwrap().push(auth.to_owned());
            std::thread::sleep(Duration::from_millis(300));
            ok()
        }
    }
    let asked = Arc::new(AtomicUsize::new(0));
    let transport = Arc::new(Recording::default());
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Counting(asked.clone()))
        .transport(transport.clone())
        .max_in_flight(1)
        .build()
        .unwrap();
    // Two batches, one after the other: 600 ms of waiting, 12 cancel polls.
    let report = client.terminate(ids(200), &blind()).unwrap();
    assert!(report.all_terminated());
    let sent = transport.0.lock().unwrap();
    assert_eq!(sent.len(), 2);
    assert!(sent[0].contains("Credential=AKIDcall1/"), "{}", sent[0]);
    assert!(sent[1].contains("Credential=AKIDcall2/"), "{}", sent[1]);
    let asked = asked.load(Ordering::SeqCst);
    assert!(asked <= 4, "asked {asked} times");
}

/// Records every request and answers each with `answer`.
struct Recording {
    sent: Mutex<Vec<http::Request<Vec<u8>>>>,
    answer: &'static str,
}

impl Transport for Recording {
    fn send(&self, request: http::Request<Vec<u8>>) -> Reply {
        self.sent.lock().unwrap().push(request);
        Ok(http::Response::new(self.answer.as_bytes().to_vec()))
    }
}

const IDENTITY: &str = r#"{"Response":{"Type":"CAMRole","AccountId":"100000000001","UserId":"4611686018000000001:ops","PrincipalId":"100000000042","Arn":"qcs::sts:100000000001:assumed-role/4611686018000000001","RequestId":"r-me"}}"#;

#[test]
fn caller_identity_goes_to_sts_where_the_client_goes() {
    let ask = |builder: ClientBuilder| {
        let transport = Arc::new(Recording {
            sent: Mutex::new(Vec::new()),
            answer: IDENTITY,
        });
        let shared = Arc::clone(&transport);
        let client = builder
            .credentials(Credentials::new("AKIDtmp", "tmp-key").with_token("TOKEN"))
            .transport(shared)
            .sts(|s| s.lookup(EnvLookup::custom(|_| None)))
            .build()
            .unwrap();
        let me = client.caller_identity().unwrap();
        assert_eq!(me.account_id, "100000000001");
        let sent = transport.sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        let r = &sent[0];
        assert_eq!(r.headers()["x-tc-action"], "GetCallerIdentity");
        assert_eq!(r.headers()["x-tc-version"], "2018-08-13");
        assert_eq!(r.headers()["x-tc-token"], "TOKEN");
        assert!(r.headers()["authorization"]
            .to_str()
            .unwrap()
            .contains("/sts/tc3_request"));
        (r.uri().to_string(), r.headers()["x-tc-region"].clone())
    };
    assert_eq!(
        ask(Client::builder().region("ap-shanghai")),
        (
            "https://sts.tencentcloudapi.com/".to_owned(),
            "ap-shanghai".parse().unwrap()
        )
    );
    assert_eq!(
        ask(Client::builder()
            .region("ap-shanghai")
            .service(|s| s.endpoint(Endpoint::Regional)))
        .0,
        "https://sts.ap-shanghai.tencentcloudapi.com/"
    );
    assert_eq!(
        ask(Client::builder()
            .region("ap-shanghai")
            .endpoint_url("https://127.0.0.1:4443"))
        .0,
        "https://127.0.0.1:4443/"
    );
    // TENCENTCLOUD_STS_ENDPOINT, as for AssumeRole, then explicit settings.
    let transport = Arc::new(Recording {
        sent: Mutex::new(Vec::new()),
        answer: IDENTITY,
    });
    let client = Client::builder()
        .region("ap-shanghai")
        .credentials(Credentials::new("AKIDtmp", "tmp-key"))
        .sts(|s| {
            s.lookup(EnvLookup::custom(|name| {
                (name == "TENCENTCLOUD_STS_ENDPOINT").then(|| "http://127.0.0.1:9".to_owned())
            }))
        })
        .transport(Arc::clone(&transport))
        .build()
        .unwrap();
    client.caller_identity().unwrap();
    assert_eq!(
        transport.sent.lock().unwrap()[0].uri(),
        "http://127.0.0.1:9/"
    );
    let explicit = Client::builder().region("ap-shanghai").sts(|s| {
        s.region("ap-guangzhou")
            .endpoint_url("sts.internal.example")
    });
    let (uri, region) = ask(explicit);
    assert_eq!(uri, "https://sts.internal.example/");
    assert_eq!(region, "ap-guangzhou");
}

#[test]
fn caller_identity_errors_say_what_failed() {
    let e = Client::builder()
        .region("ap-shanghai")
        .sts(|s| s.endpoint_url("http://h/path"))
        .build()
        .unwrap_err();
    assert!(matches!(e, ClientBuildError::Sts(_)), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("STS settings: the configured STS endpoint: "),
        "{e}"
    );
    // A malformed variable is read when asked, and nothing is sent.
    let transport = Arc::new(Recording {
        sent: Mutex::new(Vec::new()),
        answer: IDENTITY,
    });
    let client = Client::builder()
        .region("ap-shanghai")
        .credentials(Credentials::new("AKIDtmp", "tmp-key"))
        .sts(|s| s.lookup(EnvLookup::custom(|_| Some(" ".to_owned()))))
        .transport(Arc::clone(&transport))
        .build()
        .unwrap();
    let e = client.caller_identity().unwrap_err();
    assert!(matches!(e, CallerIdentityError::Settings(_)), "{e:?}");
    assert!(e
        .to_string()
        .contains("TENCENTCLOUD_STS_ENDPOINT is set but empty"));
    assert!(transport.sent.lock().unwrap().is_empty());
    // An answer that is not an identity.
    let garbled = Arc::new(Recording {
        sent: Mutex::new(Vec::new()),
        answer: r#"{"Response":{"RequestId":"r"}}"#,
    });
    let client = Client::builder()
        .region("ap-shanghai")
        .credentials(Credentials::new("AKIDtmp", "tmp-key"))
        .sts(|s| s.lookup(EnvLookup::custom(|_| None)))
        .transport(garbled)
        .build()
        .unwrap();
    let e = client.caller_identity().unwrap_err();
    assert_eq!(
        e.to_string(),
        "STS GetCallerIdentity at sts.tencentcloudapi.com: the answer cannot be read"
    );
    assert!(e.service_error().is_none());
}

#[test]
fn a_journal_that_cannot_be_written_stops_the_run_before_its_request_leaves() {
    let (client, transport) = scripted_client(vec![], ok);
    let dir = crate::test_support::TempDir::new("journal-full");
    let journal = Arc::new(crate::Journal::open(dir.path().join("j.jsonl")).unwrap());
    let client = client.with_journal(Arc::clone(&journal));
    journal.fail_writes(true);
    let report = client.terminate(ids(250), &blind()).unwrap();
    // The first intent could not be made durable: nothing was sent.
    assert_eq!(transport.sent.lock().unwrap().len(), 0);
    assert_eq!(report.count(OutcomeKind::NotSent), 250, "{report}");
    let message = report.instances()[0].outcome.message().unwrap_or_default();
    assert!(
        message.contains("cannot write the journal") && message.contains("no space left"),
        "{message}"
    );
    let e = journal.check().unwrap_err();
    assert!(matches!(e.kind(), crate::JournalFileErrorKind::Write { unwritten } if *unwritten > 0));
    assert_eq!(
        std::fs::read(journal.path()).unwrap(),
        b"",
        "taken back whole"
    );

    // Once the disk has room again, what was kept is written with the next records,
    // and the next run, from what they say, sends its instances.
    journal.fail_writes(false);
    let report = client.terminate(ids(1), &blind()).unwrap();
    assert!(report.all_terminated(), "{report}");
    assert_eq!(transport.sent.lock().unwrap().len(), 1);
    let written =
        tencentcloud_cvm_core::History::parse(&std::fs::read(journal.path()).unwrap()).unwrap();
    assert_eq!(written.instances().count(), 250);
    assert!(journal.check().is_err(), "the failure stays on record");
}
