//! Whole scenarios on a scripted transport and a manual clock: no sockets, no sleeping.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::clock::ManualClock;
use crate::transport::TransportError;
use crate::{Credentials, TerminateInstancesBody};

type Reply = Box<
    dyn FnMut(&http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> + Send,
>;

/// Answers requests from a script; records what was sent and when.
struct Scripted {
    clock: Arc<ManualClock>,
    script: Mutex<VecDeque<Reply>>,
    fallback: Mutex<Option<Reply>>,
    sent: Mutex<Vec<(Duration, http::Request<Vec<u8>>)>>,
}

impl Scripted {
    fn new(clock: Arc<ManualClock>) -> Self {
        Scripted {
            clock,
            script: Mutex::default(),
            fallback: Mutex::default(),
            sent: Mutex::default(),
        }
    }
    fn then(
        self,
        reply: impl FnMut(&http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError>
            + Send
            + 'static,
    ) -> Self {
        self.script.lock().unwrap().push_back(Box::new(reply));
        self
    }
    fn otherwise(
        self,
        reply: impl FnMut(&http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError>
            + Send
            + 'static,
    ) -> Self {
        *self.fallback.lock().unwrap() = Some(Box::new(reply));
        self
    }
    fn sent(&self) -> Vec<(Duration, http::Request<Vec<u8>>)> {
        self.sent.lock().unwrap().clone()
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let reply = self.script.lock().unwrap().pop_front();
        let result = match reply {
            Some(mut r) => r(&request),
            None => (self
                .fallback
                .lock()
                .unwrap()
                .as_mut()
                .expect("script exhausted"))(&request),
        };
        self.sent
            .lock()
            .unwrap()
            .push((self.clock.monotonic(), request));
        result
    }
}

fn ok(request_id: &str) -> Result<http::Response<Vec<u8>>, TransportError> {
    Ok(http::Response::new(
        format!(r#"{{"Response":{{"RequestId":"{request_id}"}}}}"#).into_bytes(),
    ))
}

fn api_error(code: &str) -> Result<http::Response<Vec<u8>>, TransportError> {
    Ok(http::Response::new(
        format!(r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m-{code}"}},"RequestId":"rid-{code}"}}}}"#).into_bytes(),
    ))
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08}")).collect()
}

fn body_ids(r: &http::Request<Vec<u8>>) -> Vec<String> {
    serde_json::from_slice::<TerminateInstancesBody>(r.body())
        .unwrap()
        .instance_ids
}

fn engine(transport: Scripted, clock: Arc<ManualClock>) -> Engine<Scripted, Arc<ManualClock>> {
    let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
    Engine::new(
        config,
        Arc::new(Credentials::new("AKIDtest", "test-key")),
        transport,
        clock,
    )
}

fn setup(
    n: usize,
    f: impl FnOnce(Scripted) -> Scripted,
) -> (Engine<Scripted, Arc<ManualClock>>, Vec<String>) {
    let clock = Arc::new(ManualClock::new(1_700_000_000));
    (engine(f(Scripted::new(clock.clone())), clock), ids(n))
}

#[test]
fn batch_sizes_and_one_outcome_each() {
    for (n, requests) in [(0, 0), (1, 1), (100, 1), (101, 2), (1000, 10)] {
        let (e, list) = setup(n, |s| {
            let mut k = 0;
            s.otherwise(move |_| {
                k += 1;
                ok(&format!("req-{k}"))
            })
        });
        let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
        let sent = e.transport().sent();
        assert_eq!(sent.len(), requests, "{n} ids");
        assert_eq!(report.instances().len(), n);
        assert!(report.all_terminated());
        let sent_ids: Vec<String> = sent.iter().flat_map(|(_, r)| body_ids(r)).collect();
        assert_eq!(sent_ids, list, "every id sent exactly once, in order");
        assert!(sent.iter().all(|(_, r)| body_ids(r).len() <= 100));
        if n > 100 {
            assert_eq!(report.instances()[100].outcome.request_id(), Some("req-2"));
        }
    }
}

#[test]
fn duplicates_are_reported_once() {
    let (e, mut list) = setup(3, |s| s.otherwise(|_| ok("r")));
    list.push(list[0].clone());
    list.push(list[2].clone());
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(report.instances().len(), 3);
    assert_eq!(report.duplicates_removed(), 2);
    assert_eq!(body_ids(&e.transport().sent()[0].1).len(), 3);
}

#[test]
fn malformed_id_sends_nothing() {
    let (e, mut list) = setup(250, |s| s.otherwise(|_| ok("r")));
    list.push("ins-NOPE".into());
    let err = e
        .terminate(&list, &TerminateOptions::default())
        .unwrap_err();
    assert!(matches!(
        err,
        TerminateError::Validation(ValidationError::Malformed(_))
    ));
    assert!(e.transport().sent().is_empty());
}

#[test]
fn every_failure_mix_gives_one_outcome_per_instance() {
    let (e, list) = setup(650, |s| {
        s.then(|_| ok("ok-1"))
            .then(|_| api_error("InvalidInstanceId.NotFound"))
            .then(|_| {
                Err(TransportError::new(
                    TransportErrorKind::OutcomeUnknown,
                    "timed out after sending",
                ))
            })
            .then(|_| api_error("InternalError"))
            .then(|_| {
                let mut r = http::Response::new(b"<html>502 Bad Gateway</html>".to_vec());
                *r.status_mut() = http::StatusCode::BAD_GATEWAY;
                Ok(r)
            })
            .then(|_| Ok(http::Response::new(br#"{"Response":{"Requ"#.to_vec())))
            .otherwise(|_| {
                Err(TransportError::new(
                    TransportErrorKind::NotSent,
                    "connection refused",
                ))
            })
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(report.instances().len(), 650);
    let kinds: Vec<&str> = report
        .instances()
        .iter()
        .step_by(100)
        .map(|i| i.outcome.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            "terminated",
            "failed",
            "unknown",
            "unknown",
            "unknown",
            "unknown",
            "failed"
        ]
    );
    assert_eq!(
        report.instances()[150].outcome.code().unwrap().as_str(),
        "InvalidInstanceId.NotFound"
    );
    assert_eq!(
        report.instances()[150].outcome.request_id(),
        Some("rid-InvalidInstanceId.NotFound")
    );
    assert_eq!(
        report.instances()[350].outcome.code().unwrap().as_str(),
        "InternalError"
    );
    // Six batches answered once each (no re-send of an unknown outcome); the
    // last batch was refused on connect and retried to the attempt limit (5).
    assert_eq!(e.transport().sent().len(), 6 + 5);
    assert_eq!(
        (report.terminated(), report.failed(), report.unknown()),
        (100, 150, 400)
    );
}

#[test]
fn limiter_never_exceeds_ten_in_any_second() {
    let (e, list) = setup(3500, |s| s.otherwise(|_| ok("r")));
    e.terminate(&list, &TerminateOptions::default()).unwrap();
    let times: Vec<Duration> = e.transport().sent().iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 35);
    for &start in &times {
        let in_window = times
            .iter()
            .filter(|&&t| t >= start && t < start + Duration::from_secs(1))
            .count();
        assert!(
            in_window <= 10,
            "{in_window} requests within 1 s of {start:?}"
        );
    }
    assert!(
        times[..10].iter().all(|t| t.is_zero()),
        "the first 10 go as a burst"
    );
}

#[test]
fn throttling_is_retried_and_resigned() {
    let (e, list) = setup(1, |s| {
        s.then(|_| api_error("RequestLimitExceeded"))
            .then(|_| api_error("RequestLimitExceeded.UinLimitExceeded"))
            .then(|_| ok("after-throttle"))
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(
        report.instances()[0].outcome,
        Outcome::Terminated {
            request_id: "after-throttle".into()
        }
    );
    let sent = e.transport().sent();
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|(_, r)| r.headers().contains_key("authorization")));
}

#[test]
fn throttling_until_attempts_run_out_fails_with_the_code() {
    let (e, list) = setup(1, |s| s.otherwise(|_| api_error("RequestLimitExceeded")));
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(e.transport().sent().len(), 5);
    assert_eq!(report.instances()[0].outcome.kind(), "failed");
    assert_eq!(
        report.instances()[0].outcome.code(),
        Some(&ErrorCode::RequestLimitExceeded)
    );
}

#[test]
fn timeout_after_sending_is_never_resent() {
    let (e, list) = setup(1, |s| {
        s.then(|_| {
            Err(TransportError::new(
                TransportErrorKind::OutcomeUnknown,
                "read timed out",
            ))
        })
        .otherwise(|_| panic!("a second TerminateInstances was sent"))
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(report.instances()[0].outcome.kind(), "unknown");
    assert_eq!(e.transport().sent().len(), 1);
}

#[test]
fn internal_error_and_5xx_are_never_resent() {
    for reply in [
        api_error("InternalError.TradeUnknownError"),
        api_error("ServiceUnavailable"),
        {
            let mut r = http::Response::new(
                br#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"q"}}"#
                    .to_vec(),
            );
            *r.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            Ok(r)
        },
    ] {
        let mut reply = Some(reply);
        let (e, list) = setup(1, |s| {
            s.then(move |_| reply.take().unwrap())
                .otherwise(|_| panic!("re-sent"))
        });
        let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
        assert_eq!(report.instances()[0].outcome.kind(), "unknown");
        assert_eq!(e.transport().sent().len(), 1);
    }
}

#[test]
fn connect_failures_are_retried_with_backoff() {
    let (e, list) = setup(1, |s| {
        s.then(|_| Err(TransportError::new(TransportErrorKind::NotSent, "dns")))
            .then(|_| Err(TransportError::new(TransportErrorKind::NotSent, "refused")))
            .then(|_| ok("third-time"))
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert!(report.all_terminated());
    assert_eq!(e.transport().sent().len(), 3);
}

#[test]
fn signature_expire_corrects_the_clock_once() {
    let server_date = "Tue, 14 Nov 2023 23:13:20 GMT"; // 1_700_003_600: one hour ahead
    let (e, list) = setup(1, |s| {
        s.then(move |_| {
            let mut r = api_error("AuthFailure.SignatureExpire")?;
            r.headers_mut()
                .insert(http::header::DATE, server_date.parse().unwrap());
            Ok(r)
        })
        .then(|_| ok("fixed"))
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert!(report.all_terminated());
    assert_eq!(e.clock_offset(), 3600);
    let sent = e.transport().sent();
    assert_eq!(sent[0].1.headers()["x-tc-timestamp"], "1700000000");
    assert_eq!(sent[1].1.headers()["x-tc-timestamp"], "1700003600");
}

#[test]
fn signature_expire_without_date_or_twice_is_final() {
    let (e, list) = setup(1, |s| {
        s.otherwise(|_| api_error("AuthFailure.SignatureExpire"))
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(report.instances()[0].outcome.kind(), "failed");
    assert_eq!(e.transport().sent().len(), 1);

    let (e, list) = setup(1, |s| {
        s.otherwise(|_| {
            let mut r = api_error("AuthFailure.SignatureExpire")?;
            r.headers_mut().insert(
                http::header::DATE,
                "Tue, 14 Nov 2023 23:13:20 GMT".parse().unwrap(),
            );
            Ok(r)
        })
    });
    let report = e.terminate(&list, &TerminateOptions::default()).unwrap();
    assert_eq!(report.instances()[0].outcome.kind(), "failed");
    assert_eq!(e.transport().sent().len(), 2, "one correction, then final");
}

#[test]
fn options_reach_every_batch() {
    let (e, list) = setup(150, |s| s.otherwise(|_| ok("r")));
    let options = TerminateOptions {
        release_prepaid_data_disks: Some(true),
        release_address: Some(false),
    };
    e.terminate(&list, &options).unwrap();
    for (_, r) in e.transport().sent() {
        let body: TerminateInstancesBody = serde_json::from_slice(r.body()).unwrap();
        assert_eq!(
            (body.release_prepaid_data_disks, body.release_address),
            (Some(true), Some(false))
        );
    }
}

#[test]
fn progress_is_reported_per_request() {
    let (e, list) = setup(250, |s| s.otherwise(|_| ok("r")));
    let mut seen = Vec::new();
    e.terminate_with_progress(&list, &TerminateOptions::default(), &mut |p| seen.push(*p))
        .unwrap();
    assert_eq!(
        seen.iter().map(|p| p.instances_done).collect::<Vec<_>>(),
        [100, 200, 250]
    );
    assert!(seen
        .iter()
        .all(|p| p.requests_total == 3 && p.instances_total == 250));
}

#[test]
fn missing_credentials_send_nothing() {
    #[derive(Debug)]
    struct NoCreds;
    impl ProvideCredentials for NoCreds {
        fn credentials(&self) -> Result<Credentials, CredentialsError> {
            Err(CredentialsError::new(
                crate::provider::CredentialsErrorKind::NotConfigured,
                "environment",
                "TENCENTCLOUD_SECRET_ID is not set",
            ))
        }
    }
    let clock = Arc::new(ManualClock::new(1));
    let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
    let e = Engine::new(
        config,
        Arc::new(NoCreds),
        Scripted::new(clock.clone()),
        clock,
    );
    let err = e
        .terminate(ids(3), &TerminateOptions::default())
        .unwrap_err();
    assert!(matches!(err, TerminateError::Credentials(_)));
    assert!(e.transport().sent().is_empty());
}

#[test]
fn dry_run_signs_without_sending() {
    let (e, list) = setup(101, |s| s.otherwise(|_| panic!("sent")));
    let requests = e
        .signed_requests(&list, &TerminateOptions::default())
        .unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers()["authorization"].is_sensitive());
    assert!(e.transport().sent().is_empty());
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<Engine<Scripted, Arc<ManualClock>>>();
}
