//! One HTTP exchange of a credentials source (metadata service, STS), retried
//! at most once.
//!
//! Why one retry, and none after a timeout: these answers are small,
//! idempotent and wanted now (a request is waiting to be signed). A refused
//! connection, a reset or a 5xx may be gone a moment later; a service that
//! held the connection for the whole timeout without answering is not likely
//! to answer the same question right after, and waiting for it twice would
//! double the time before the caller hears about it.

use crate::Transport;
use std::fmt;

use http::{Request, Response};
use tencentcloud_cvm_core::TransportError;

fn copy(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// The last transport failure, and how many attempts were made.
#[derive(Debug)]
pub(crate) struct ExchangeError {
    pub(crate) error: TransportError,
    pub(crate) attempts: u32,
}

impl fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(
            f,
            "{} ({} attempt{plural})",
            self.error.message(),
            self.attempts
        )
    }
}

/// Whether the transport gave up waiting (as opposed to being refused or cut off).
fn timed_out(error: &TransportError) -> bool {
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        if let Some(ureq::Error::Timeout(_)) = cause.downcast_ref::<ureq::Error>() {
            return true;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        next = cause.source();
    }
    false
}

/// Sends `request`; after a 5xx answer or a transport failure other than a
/// timeout, sends it once more and returns that second result, whatever it is.
pub(crate) fn exchange(
    transport: &dyn Transport,
    request: &Request<Vec<u8>>,
) -> Result<Response<Vec<u8>>, ExchangeError> {
    let first = transport.send(copy(request));
    let retry = match &first {
        Ok(response) => response.status().is_server_error(),
        Err(e) => !timed_out(e),
    };
    if !retry {
        return first.map_err(|error| ExchangeError { error, attempts: 1 });
    }
    log::debug!(
        "{} {}: retrying once after {}",
        request.method(),
        request.uri(),
        match &first {
            Ok(r) => format!("HTTP {}", r.status().as_u16()),
            Err(e) => e.to_string(),
        }
    );
    transport
        .send(copy(request))
        .map_err(|error| ExchangeError { error, attempts: 2 })
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

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Step {
        Status(u16),
        Refused,
        Reset,
        TimedOut,
    }

    #[derive(Debug)]
    struct Script(Mutex<Vec<Step>>);

    impl Transport for Script {
        fn send(&self, _: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
            let io = |kind| std::io::Error::new(kind, "scripted");
            match self.0.lock().unwrap().remove(0) {
                Step::Status(status) => {
                    let mut r = Response::new(Vec::new());
                    *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
                    Ok(r)
                }
                Step::Refused => Err(TransportError::with_source(
                    TransportErrorKind::NotSent,
                    "refused",
                    io(std::io::ErrorKind::ConnectionRefused),
                )),
                Step::Reset => Err(TransportError::with_source(
                    TransportErrorKind::OutcomeUnknown,
                    "reset",
                    io(std::io::ErrorKind::ConnectionReset),
                )),
                Step::TimedOut => Err(TransportError::with_source(
                    TransportErrorKind::OutcomeUnknown,
                    "timed out after connecting",
                    ureq::Error::Timeout(ureq::Timeout::Global),
                )),
            }
        }
    }

    /// (status or "error: attempts", requests sent)
    fn run(script: &[Step]) -> (String, usize) {
        let t = Script(Mutex::new(script.to_vec()));
        let r = exchange(&t, &Request::new(Vec::new()));
        let used = script.len() - t.0.lock().unwrap().len();
        let shown = match r {
            Ok(r) => r.status().as_u16().to_string(),
            Err(e) => e.to_string(),
        };
        (shown, used)
    }

    #[test]
    fn retries_once_unless_it_timed_out() {
        use Step::*;
        assert_eq!(run(&[Status(200)]), ("200".into(), 1));
        assert_eq!(run(&[Status(404)]), ("404".into(), 1));
        assert_eq!(run(&[Status(503), Status(200)]), ("200".into(), 2));
        assert_eq!(
            run(&[Status(500), Status(502), Status(200)]),
            ("502".into(), 2)
        );
        assert_eq!(run(&[Refused, Status(200)]), ("200".into(), 2));
        assert_eq!(
            run(&[Reset, Refused, Status(200)]),
            ("refused (2 attempts)".into(), 2)
        );
        assert_eq!(
            run(&[TimedOut, Status(200)]),
            ("timed out after connecting (1 attempt)".into(), 1)
        );
        assert_eq!(
            run(&[Refused, TimedOut, Status(200)]),
            ("timed out after connecting (2 attempts)".into(), 2)
        );
    }
}
