//! One HTTP exchange of a credentials source (metadata service, STS): the IO.
//! When to send again is the core's decision
//! ([`tencentcloud_cvm_core::source_exchange`]).

use crate::Transport;

use http::{Request, Response};
use tencentcloud_cvm_core::source_exchange::{send_again, ExchangeError};

fn copy(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Sends `request`, again as long as the core says so, and returns the last result.
pub(crate) fn exchange(
    transport: &dyn Transport,
    request: &Request<Vec<u8>>,
) -> Result<Response<Vec<u8>>, ExchangeError> {
    let mut attempt = 1;
    loop {
        let result = transport.send(copy(request));
        if !send_again(attempt, result.as_ref()) {
            return result.map_err(|error| ExchangeError::new(error, attempt));
        }
        log::debug!(
            "{} {}: sending again after {}",
            request.method(),
            request.uri(),
            match &result {
                Ok(r) => format!("HTTP {}", r.status().as_u16()),
                Err(e) => e.to_string(),
            }
        );
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tencentcloud_cvm_core::{ConnectError, TransportError};

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
                Step::Refused => Err(TransportError::not_sent(ConnectError::new(
                    "refused",
                    io(std::io::ErrorKind::ConnectionRefused),
                ))),
                Step::Reset => Err(TransportError::outcome_unknown("reset")
                    .with_source(io(std::io::ErrorKind::ConnectionReset))),
                Step::TimedOut => Err(TransportError::outcome_unknown(
                    "timed out after connecting",
                )
                .with_source(ureq::Error::Timeout(ureq::Timeout::Global))
                .mark_timed_out()),
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
