//! One HTTP exchange of a credentials source (the metadata service, STS): when
//! to ask again, and how a failed exchange reads.
//!
//! At most two attempts. Why one retry, and none after a timeout: these
//! answers are small, idempotent and wanted now (a request is waiting to be
//! signed). A refused connection, a reset or a 5xx may be gone a moment later;
//! a service that held the connection for the whole timeout without answering
//! is not likely to answer the same question right after, and waiting for it
//! twice would double the time before the caller hears about it.
//!
//! ```
//! use tencentcloud_cvm_core::source_exchange::{send_again, MAX_ATTEMPTS};
//! use tencentcloud_cvm_core::TransportError;
//! let mut busy = http::Response::new(Vec::new());
//! *busy.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
//! assert!(send_again(1, Ok(&busy)));
//! assert!(!send_again(MAX_ATTEMPTS, Ok(&busy)));
//! let timeout = TransportError::outcome_unknown("timed out").mark_timed_out();
//! assert!(!send_again(1, Err(&timeout)));
//! ```

use std::fmt;

use http::Response;

use crate::http::transport_error::TransportError;

/// The most attempts of one exchange.
pub const MAX_ATTEMPTS: u32 = 2;

/// Whether to send the request again after attempt number `attempt` (from 1)
/// ended in `result`: after a 5xx answer, or a transport failure other than a
/// timeout, once.
pub fn send_again(attempt: u32, result: Result<&Response<Vec<u8>>, &TransportError>) -> bool {
    attempt < MAX_ATTEMPTS
        && match result {
            Ok(response) => response.status().is_server_error(),
            Err(e) => !e.timed_out(),
        }
}

/// The last transport failure of an exchange, and how many attempts were made.
#[derive(Debug)]
pub struct ExchangeError {
    error: TransportError,
    attempts: u32,
}

impl ExchangeError {
    /// `error` ended attempt number `attempts`, the last.
    pub fn new(error: TransportError, attempts: u32) -> Self {
        ExchangeError { error, attempts }
    }

    /// The last failure.
    pub fn error(&self) -> &TransportError {
        &self.error
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
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

/// Shows the last failure's message and hands on its source.
impl std::error::Error for ExchangeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

/// `error` and its sources, joined with `: ` (for a
/// [`CredentialsError`](crate::CredentialsError) detail, which has no source of its own).
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
    use crate::http::transport_error::TransportErrorKind;

    fn status(code: u16) -> Response<Vec<u8>> {
        let mut r = Response::new(Vec::new());
        *r.status_mut() = http::StatusCode::from_u16(code).unwrap();
        r
    }

    #[test]
    fn once_after_a_5xx_or_a_failure_that_is_not_a_timeout() {
        assert!(!send_again(1, Ok(&status(200))));
        assert!(!send_again(1, Ok(&status(404))));
        assert!(send_again(1, Ok(&status(503))));
        assert!(!send_again(2, Ok(&status(503))));
        let refused = TransportError::new(TransportErrorKind::NotSent, "refused");
        let reset = TransportError::new(TransportErrorKind::OutcomeUnknown, "reset");
        let slow = TransportError::new(TransportErrorKind::OutcomeUnknown, "slow").mark_timed_out();
        assert!(send_again(1, Err(&refused)));
        assert!(send_again(1, Err(&reset)));
        assert!(!send_again(2, Err(&reset)));
        assert!(!send_again(1, Err(&slow)));
        let e = ExchangeError::new(slow, 1);
        assert_eq!(e.to_string(), "slow (1 attempt)");
        assert_eq!(
            ExchangeError::new(reset, 2).to_string(),
            "reset (2 attempts)"
        );
    }
}
