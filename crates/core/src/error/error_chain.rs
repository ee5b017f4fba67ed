//! An error and its causes as one line, for messages that must stand alone
//! (an instance's outcome, a log line).

use std::error::Error;

/// `error`'s message, then each cause's, `: `-separated (a cause that only
/// repeats the message before it is skipped).
pub(crate) fn with_causes(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let message = e.to_string();
        if !text.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport_error::{TransportError, TransportErrorKind};

    #[test]
    fn joins_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let e =
            TransportError::new(TransportErrorKind::NotSent, "could not connect").with_source(io);
        assert_eq!(
            with_causes(&e),
            "request not sent: could not connect: connection refused"
        );
        let plain = TransportError::new(TransportErrorKind::OutcomeUnknown, "timed out");
        assert_eq!(with_causes(&plain), "request outcome unknown: timed out");
    }
}
