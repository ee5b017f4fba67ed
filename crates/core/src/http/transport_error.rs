//! [`TransportError`]: how sending a request failed, as the driver that sent it reports it.

use std::fmt;

/// Whether a failed send may have reached the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The request certainly never reached the service (DNS failure, connection
    /// refused, TLS handshake failure): safe to re-send.
    NotSent,
    /// The request may have been processed (timeout or reset after sending, body
    /// cut short): never re-send blindly.
    OutcomeUnknown,
}

/// A failed send.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A failure with a description and no underlying error.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A failure caused by `source`.
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// Whether the request may have reached the service.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::NotSent => "request not sent",
            TransportErrorKind::OutcomeUnknown => "request outcome unknown",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
