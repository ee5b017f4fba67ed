//! One HTTP exchange of a credentials source (metadata service, STS), retried once.
//!
//! Why one retry and no more: these answers are small, idempotent and wanted
//! now (a request is waiting to be signed); a source that fails twice in a
//! row is reported, and the next call tries again.

use http::{Request, Response};
use tencentcloud_cvm_core::{Transport, TransportError};

fn copy(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Sends `request`; after a transport failure or a 5xx answer, sends it once
/// more and returns that second result, whatever it is.
pub(crate) fn exchange(
    transport: &dyn Transport,
    request: &Request<Vec<u8>>,
) -> Result<Response<Vec<u8>>, TransportError> {
    match transport.send(copy(request)) {
        Ok(response) if !response.status().is_server_error() => Ok(response),
        first => {
            log::debug!(
                "{} {}: retrying once after {}",
                request.method(),
                request.uri(),
                match &first {
                    Ok(r) => format!("HTTP {}", r.status().as_u16()),
                    Err(e) => e.to_string(),
                }
            );
            transport.send(copy(request))
        }
    }
}

/// `error` and its sources, joined with `: ` (for a [`CredentialsError`]
/// detail, which has no source of its own).
///
/// [`CredentialsError`]: tencentcloud_cvm_core::CredentialsError
pub(crate) fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let more = cause.to_string();
        // Some errors repeat their cause in their own message; say it once.
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tencentcloud_cvm_core::TransportErrorKind;

    #[derive(Debug)]
    struct Script(Mutex<Vec<Result<u16, TransportErrorKind>>>);

    impl Transport for Script {
        fn send(&self, _: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
            let next = self.0.lock().unwrap().remove(0);
            next.map(|status| {
                let mut r = Response::new(Vec::new());
                *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
                r
            })
            .map_err(|kind| TransportError::new(kind, "scripted"))
        }
    }

    fn run(
        script: Vec<Result<u16, TransportErrorKind>>,
    ) -> (Result<u16, TransportErrorKind>, usize) {
        let t = Script(Mutex::new(script));
        let before = t.0.lock().unwrap().len();
        let r = exchange(&t, &Request::new(Vec::new()));
        let used = before - t.0.lock().unwrap().len();
        (r.map(|r| r.status().as_u16()).map_err(|e| e.kind()), used)
    }

    #[test]
    fn retries_once_after_a_failure_or_a_5xx() {
        use TransportErrorKind::*;
        assert_eq!(run(vec![Ok(200)]), (Ok(200), 1));
        assert_eq!(run(vec![Ok(404)]), (Ok(404), 1));
        assert_eq!(run(vec![Ok(503), Ok(200)]), (Ok(200), 2));
        assert_eq!(run(vec![Err(NotSent), Ok(200)]), (Ok(200), 2));
        assert_eq!(
            run(vec![Err(OutcomeUnknown), Err(NotSent), Ok(200)]),
            (Err(NotSent), 2)
        );
        assert_eq!(run(vec![Ok(500), Ok(502), Ok(200)]), (Ok(502), 2));
    }
}
