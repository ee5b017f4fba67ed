//! End to end: the ureq client (real sockets, real clock) against the emulator on
//! loopback, which verifies every signature and models every instance.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tencentcloud_cvm::{
    Client, Credentials, Outcome, OutcomeKind, ProxyConfig, RateLimit, RateLimits, RetryPolicy,
    TerminateError, TerminateOptions, WallClock,
};
use tencentcloud_cvm_emulator::{
    AccessLogEntry, ChargeType, Emulator, EmulatorConfig, Fault, InstanceState, InstanceView,
    Server, ServerHandle,
};

const TIMEOUT: Duration = Duration::from_millis(800);

fn creds() -> Credentials {
    Credentials::new("AKIDendToEnd", "end-to-end-key")
}

struct Service {
    server: ServerHandle,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
}

impl Service {
    fn start(config: EmulatorConfig) -> Service {
        let emulator = config.credential(creds()).build().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let server = Server::new(emulator)
            .access_log(move |e| sink.lock().unwrap().push(e.clone()))
            .bind("127.0.0.1:0")
            .unwrap();
        Service { server, log }
    }

    fn client(&self) -> Client {
        self.client_with(|b| b)
    }

    fn client_with(
        &self,
        f: impl FnOnce(tencentcloud_cvm::ClientBuilder) -> tencentcloud_cvm::ClientBuilder,
    ) -> Client {
        f(Client::builder()
            .region("ap-guangzhou")
            .endpoint_url(self.server.url())
            .credentials(creds())
            .http(|h| h.proxy(ProxyConfig::None))
            .http(|h| h.request_timeout(TIMEOUT)))
        .build()
        .unwrap()
    }

    fn requests(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    fn results(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.result.clone())
            .collect()
    }

    fn state(&self, id: &str) -> Option<InstanceState> {
        self.server.with_state(|e| e.instance(id)).map(|i| i.state)
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08}")).collect()
}

fn one(client: &Client, id: &str) -> Outcome {
    let report = client.terminate([id], &TerminateOptions::new()).unwrap();
    assert_eq!(report.instances().len(), 1);
    report.instances()[0].outcome.clone()
}

fn code(outcome: &Outcome) -> &str {
    outcome.code().map(|c| c.as_str()).unwrap_or("-")
}

#[test]
fn pay_as_you_go_and_prepaid_success() {
    let svc = Service::start(
        Emulator::builder()
            .instances(2)
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
    );
    let client = svc.client();
    let report = client.terminate(ids(2), &TerminateOptions::new()).unwrap();
    assert!(report.all_terminated(), "{report}");
    assert_eq!(svc.state("ins-00000000"), Some(InstanceState::Terminating));

    // Prepaid: the first call moves it to the recycle bin, a deliberate second destroys it.
    let first = one(&client, "ins-prepaid1");
    assert!(first.kind() == OutcomeKind::Terminated, "{first:?}");
    assert_eq!(svc.state("ins-prepaid1"), Some(InstanceState::Shutdown));
    let second = one(&client, "ins-prepaid1");
    assert!(second.kind() == OutcomeKind::Terminated, "{second:?}");
    assert_eq!(svc.state("ins-prepaid1"), None);
    assert_eq!(
        code(&one(&client, "ins-prepaid1")),
        "InvalidInstanceId.NotFound"
    );
}

#[test]
fn every_error_class() {
    let svc = Service::start(
        Emulator::builder()
            .instances(1)
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
            .instance(InstanceView::new("ins-protect1").with_termination_protection(true))
            .instance(InstanceView::new("ins-pending1").with_state(InstanceState::Pending))
            .instance(InstanceView::new("ins-stoppin1").with_state(InstanceState::Stopping))
            .instance(InstanceView::new("ins-isolate1").with_state(InstanceState::Isolating)),
    );
    let client = svc.client();
    let failed = |ids: &[&str]| {
        let report = client.terminate(ids, &TerminateOptions::new()).unwrap();
        assert_eq!(report.instances().len(), ids.len());
        let outcome = report.instances()[0].outcome.clone();
        assert!(
            report.instances().iter().all(|i| i.outcome == outcome),
            "all or nothing"
        );
        assert_eq!(outcome.kind(), OutcomeKind::Failed, "{outcome:?}");
        assert!(
            outcome.request_id().is_some_and(|r| r.len() == 36),
            "{outcome:?}"
        );
        outcome
    };
    assert_eq!(
        code(&failed(&["ins-nothere1"])),
        "InvalidInstanceId.NotFound"
    );
    assert_eq!(
        code(&failed(&["ins-00000000", "ins-prepaid1"])),
        "UnsupportedOperation.InstanceMixedPricingModel"
    );
    assert_eq!(
        code(&failed(&["ins-protect1"])),
        "UnsupportedOperation.InstancesProtected"
    );
    assert_eq!(
        code(&failed(&["ins-pending1"])),
        "UnsupportedOperation.InstanceStatePending"
    );
    assert_eq!(
        code(&failed(&["ins-stoppin1"])),
        "UnsupportedOperation.InstanceStateStopping"
    );
    assert_eq!(
        code(&failed(&["ins-isolate1", "ins-00000000"])),
        "UnsupportedOperation.InstanceStateIsolating"
    );
    assert_eq!(
        svc.state("ins-00000000"),
        Some(InstanceState::Running),
        "refused requests change nothing"
    );

    // Malformed IDs never leave the client.
    let before = svc.requests();
    let err = client
        .terminate(["ins-00000000", "i-bad"], &TerminateOptions::new())
        .unwrap_err();
    assert!(matches!(err, TerminateError::Validation(_)));
    assert!(
        err.to_string().starts_with("InvalidInstanceId.Malformed"),
        "{err}"
    );
    assert_eq!(svc.requests(), before);

    // Authentication.
    let wrong_key = svc.client_with(|b| b.credentials(Credentials::new("AKIDendToEnd", "wrong")));
    assert_eq!(
        code(&one(&wrong_key, "ins-00000000")),
        "AuthFailure.SignatureFailure"
    );
    let unknown_id = svc.client_with(|b| b.credentials(Credentials::new("AKIDnobody", "k")));
    assert_eq!(
        code(&one(&unknown_id, "ins-00000000")),
        "AuthFailure.SecretIdNotFound"
    );
    assert_eq!(svc.state("ins-00000000"), Some(InstanceState::Running));
}

#[test]
fn clock_skew_is_corrected_from_the_date_header() {
    let svc = Service::start(Emulator::builder().instances(1));
    // The client's clock is an hour slow: the first attempt expires, the retry is corrected.
    #[derive(Debug)]
    struct HourSlow;
    impl WallClock for HourSlow {
        fn unix_time(&self) -> u64 {
            tencentcloud_cvm::SystemClock.unix_time() - 3600
        }
    }
    let client = svc.client_with(|b| b.clock(HourSlow));
    let outcome = one(&client, "ins-00000000");
    assert!(outcome.kind() == OutcomeKind::Terminated, "{outcome:?}");
    assert_eq!(svc.results(), ["AuthFailure.SignatureExpire", "OK"]);
    assert!((3590..=3610).contains(&client.clock_offset()));
}

#[test]
fn throttling_is_retried_until_accepted() {
    let svc = Service::start(Emulator::builder().instances(300).rate_limit(1));
    let client = svc.client_with(|b| {
        b.rate_limits(RateLimits::new().with_limit(
            "TerminateInstances",
            RateLimit::new(10, Duration::from_secs(1)),
        ))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(10)
                .base_delay(Duration::from_millis(300)),
        )
    });
    let report = client
        .terminate(ids(300), &TerminateOptions::new())
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    let results = svc.results();
    assert!(
        results.iter().any(|r| r == "RequestLimitExceeded"),
        "the service throttled: {results:?}"
    );
    assert_eq!(results.iter().filter(|r| *r == "OK").count(), 3);
}

#[test]
fn four_threads_share_one_client_under_the_limit() {
    let svc = Service::start(Emulator::builder().instances(4 * 12 * 5));
    let client = svc.client();
    let started = Instant::now();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let client = client.clone();
            std::thread::spawn(move || {
                for r in 0..12 {
                    let first = (t * 12 + r) * 5;
                    let batch: Vec<String> =
                        (first..first + 5).map(|i| format!("ins-{i:08}")).collect();
                    let report = client.terminate(&batch, &TerminateOptions::new()).unwrap();
                    assert!(report.all_terminated(), "{report}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let results = svc.results();
    assert_eq!(results.len(), 48, "no request was retried");
    assert!(results.iter().all(|r| r == "OK"), "{results:?}");
    // 48 requests at 10 per (1 s + guard): the first 10 at once, then 4 more windows.
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_thousand_ids_get_one_outcome_each() {
    let svc = Service::start(Emulator::builder().instances(1040));
    let mut list = ids(1040);
    list.insert(500, "ins-missing0".into()); // fails its whole batch (all or nothing)
    list.push("ins-00000007".into()); // a duplicate, reported once
    let report = svc
        .client()
        .terminate(&list, &TerminateOptions::new())
        .unwrap();
    assert_eq!(report.instances().len(), 1041);
    assert_eq!(report.duplicates_removed(), 1);
    let reported: Vec<&str> = report.instances().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        reported,
        list[..1041].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(report.failed(), 100);
    assert_eq!(report.terminated(), 941);
    assert!(report.instances()[500..600]
        .iter()
        .all(|i| code(&i.outcome) == "InvalidInstanceId.NotFound"));
    assert_eq!(svc.requests(), 11);
}

#[test]
fn prepaid_double_call_hazard_yields_unknown_never_a_second_call() {
    for fault in [
        Fault::CloseAfterStateChange,
        Fault::TruncatedBody,
        Fault::Delay(TIMEOUT * 2),
    ] {
        let name = fault.name();
        let svc = Service::start(
            Emulator::builder()
                .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
        );
        svc.server.inject(fault);
        let outcome = one(&svc.client(), "ins-prepaid1");
        assert_eq!(outcome.kind(), OutcomeKind::Unknown, "{name}: {outcome:?}");
        // Let a delayed request finish on the server before looking.
        let deadline = Instant::now() + TIMEOUT * 4;
        while svc.requests() == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(svc.requests(), 1, "{name}: exactly one TerminateInstances");
        assert_eq!(
            svc.state("ins-prepaid1"),
            Some(InstanceState::Shutdown),
            "{name}: in the recycle bin, not destroyed"
        );
    }
}

#[test]
fn each_fault_gives_the_right_outcome_without_hanging() {
    let cases = [
        (Fault::ServerErrorHtml, "unknown", false),
        (Fault::CloseBeforeStateChange, "unknown", false),
        (Fault::CloseAfterStateChange, "unknown", true),
        (Fault::TruncatedBody, "unknown", true),
        (Fault::OversizedBody(2 << 20), "unknown", true),
        (Fault::WrongContentType, "unknown", true),
        (Fault::Delay(TIMEOUT * 2), "unknown", true),
        (Fault::Delay(Duration::from_millis(50)), "terminated", true),
    ];
    for (fault, expected, changes_state) in cases {
        let name = format!("{fault:?}");
        let svc = Service::start(
            Emulator::builder()
                .instances(1)
                .terminating_for(Duration::from_secs(60)),
        );
        svc.server.inject(fault);
        let started = Instant::now();
        let outcome = one(&svc.client(), "ins-00000000");
        assert!(
            started.elapsed() < TIMEOUT + Duration::from_secs(2),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(outcome.kind().as_str(), expected, "{name}: {outcome:?}");
        std::thread::sleep(if name.contains("Delay") {
            TIMEOUT * 2
        } else {
            Duration::from_millis(50)
        });
        let expected_state = if changes_state {
            InstanceState::Terminating
        } else {
            InstanceState::Running
        };
        assert_eq!(svc.state("ins-00000000"), Some(expected_state), "{name}");
        assert_eq!(svc.requests(), 1, "{name}: never re-sent");
    }
}

#[test]
fn connection_refused_is_failed_after_bounded_retries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(creds())
        .http(|h| h.proxy(ProxyConfig::None))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let outcome = one(&client, "ins-00000000");
    assert_eq!(outcome.kind(), OutcomeKind::Failed, "{outcome:?}");
    assert!(
        outcome.code().is_none() && outcome.message().unwrap().contains("not sent"),
        "{outcome:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
