//! Failures of every kind mixed in one run, and a TerminateInstances whose outcome is
//! unknown: sent once, read once, never sent again.

use super::*;

#[test]
fn every_failure_mix_gives_one_outcome_per_instance() {
    let done = Sim::new(650, blind(), |s: &Sent| {
        let batch = s.ids[0][4..].parse::<usize>().unwrap() / 100;
        Reply::After(
            ms(30),
            match batch {
                0 => ok("ok-1"),
                1 => api_error("InvalidInstanceId.NotFound"),
                2 => transport(
                    TransportErrorKind::OutcomeUnknown,
                    "timed out after sending",
                ),
                3 => api_error("InternalError"),
                4 => with_status(502, "<html>502 Bad Gateway</html>"),
                5 => ok_truncated(),
                _ => transport(TransportErrorKind::NotSent, "connection refused"),
            },
        )
    })
    .state(|s| s.with_retry_policy(RetryPolicy::default().with_budget(Duration::from_secs(5))))
    .run();
    let kinds: Vec<OutcomeKind> = done.kinds().into_iter().step_by(100).collect();
    use OutcomeKind::*;
    assert_eq!(
        kinds,
        [Terminated, Failed, Unknown, Unknown, Unknown, Unknown, Failed]
    );
    let nf = &done.report.instances()[150].outcome;
    assert_eq!(nf.code(), Some(&ErrorCode::InvalidInstanceIdNotFound));
    assert_eq!(nf.request_id(), Some("rid-InvalidInstanceId.NotFound"));
    assert_eq!(
        done.report.instances()[350].outcome.code(),
        Some(&ErrorCode::InternalError)
    );
    // Batches 0-5 were answered once each: no unknown outcome was re-sent.
    for k in 0..6 {
        assert_eq!(
            done.sends_of(&format!("ins-{:08}", k * 100)),
            1,
            "batch {k}"
        );
    }
    assert!(
        done.sends_of("ins-00000600") > 1,
        "refused connections are retried"
    );
    assert_eq!(
        (
            done.report.terminated(),
            done.report.failed(),
            done.report.unknown()
        ),
        (100, 150, 400)
    );
    done.assert_one_outcome_each();
}

fn ok_truncated() -> Answer {
    Ok(http::Response::new(br#"{"Response":{"Requ"#.to_vec()))
}

#[test]
fn an_unknown_outcome_is_sent_exactly_once() {
    let unknowns: Vec<(&str, MakeAnswer)> = vec![
        (
            "timeout after sending",
            Box::new(|| transport(TransportErrorKind::OutcomeUnknown, "read timed out")),
        ),
        (
            "InternalError",
            Box::new(|| api_error("InternalError.TradeUnknownError")),
        ),
        (
            "ServiceUnavailable",
            Box::new(|| api_error("ServiceUnavailable")),
        ),
        (
            "bare FailedOperation",
            Box::new(|| api_error("FailedOperation")),
        ),
        (
            "new FailedOperation code",
            Box::new(|| api_error("FailedOperation.NewThing")),
        ),
        (
            "500 + InternalError",
            Box::new(|| {
                with_status(
                    500,
                    r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"q"}}"#,
                )
            }),
        ),
        (
            "502 + NotFound envelope",
            Box::new(|| {
                with_status(
                    502,
                    r#"{"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"x"},"RequestId":"q"}}"#,
                )
            }),
        ),
        (
            "502 + throttle envelope",
            Box::new(|| {
                with_status(
                    502,
                    r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"x"},"RequestId":"q"}}"#,
                )
            }),
        ),
        (
            "502 html",
            Box::new(|| with_status(502, "<html>bad gateway</html>")),
        ),
        ("truncated", Box::new(ok_truncated)),
        ("empty RequestId", Box::new(|| ok(""))),
        (
            "null RequestId",
            Box::new(|| {
                Ok(http::Response::new(
                    br#"{"Response":{"RequestId":null}}"#.to_vec(),
                ))
            }),
        ),
        ("3xx", Box::new(|| with_status(302, ""))),
    ];
    for (name, answer) in unknowns {
        let done = Sim::new(3, blind(), move |s: &Sent| {
            assert_eq!(
                s.n, 0,
                "{name}: a request whose outcome is unknown was sent again"
            );
            Reply::After(ms(10), answer())
        })
        .run();
        assert_eq!(done.sent.len(), 1, "{name}");
        assert_eq!(done.kinds(), [OutcomeKind::Unknown; 3], "{name}");
        // Read once to resolve it; the read could not tell (no instance returned).
        assert_eq!(done.reads_of("ins-00000000"), 1, "{name}");
        done.assert_one_outcome_each();
    }
}
