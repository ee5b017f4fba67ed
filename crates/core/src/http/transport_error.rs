//! [`TransportError`], [`ConnectError`]: the transport contract, how a driver reports a failed send.

use std::error::Error;
use std::fmt;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// Whether a failed send may have reached the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The request certainly never reached the service: it failed before its
    /// first byte was written (DNS failure, connection refused, TLS handshake
    /// failure). Safe to re-send. Only a [`ConnectError`] makes one.
    NotSent,
    /// The request may have been processed (timeout or reset after sending, body
    /// cut short, anything not proven otherwise): never re-send blindly.
    OutcomeUnknown,
}

/// A failure raised before any byte of the request was written: the proof a
/// [`TransportError`] needs to say [`NotSent`](TransportErrorKind::NotSent).
///
/// Create one **only** in code that runs before the request is handed to the
/// part of the HTTP stack that writes it: a resolver, a connector, a proxy or
/// TLS handshake, or a driver step that fails before it starts the attempt
/// (no worker to send on). Never create one from an error returned by the
/// send call as a whole, whatever its kind says: a connection refused by a
/// proxy in the middle of a pooled exchange, or a "connect" flag set by an
/// HTTP client for its own reasons, does not prove that nothing was written.
/// Getting this wrong can re-send a `TerminateInstances`, which destroys a
/// prepaid instance in the recycle bin.
///
/// ```
/// use tencentcloud_cvm_core::{ConnectError, TransportError, TransportErrorKind};
/// // In a connector: the TCP connection could not be opened.
/// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
/// let error = TransportError::from(ConnectError::new("the connection was refused", refused));
/// assert_eq!(error.kind(), TransportErrorKind::NotSent);
/// ```
pub struct ConnectError {
    message: String,
    cause: BoxError,
}

impl ConnectError {
    /// A failure of the connection phase, described by `message`, caused by `cause`.
    pub fn new(message: impl Into<String>, cause: impl Into<BoxError>) -> Self {
        ConnectError {
            message: message.into(),
            cause: cause.into(),
        }
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The underlying error, for downcasting.
    pub fn cause(&self) -> &(dyn Error + Send + Sync + 'static) {
        &*self.cause
    }
}

impl fmt::Debug for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectError")
            .field("message", &self.message)
            .field("cause", &self.cause)
            .finish()
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for ConnectError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.cause)
    }
}

/// A failed send, as the driver that sent it reports it: the transport contract.
///
/// **The stakes.** A `TerminateInstances` that reached the service moves a
/// prepaid instance to the recycle bin; a second one destroys it for good. The
/// core re-sends a request only when the driver says it was *not sent*, so a
/// wrong "not sent" is the one driver bug that destroys what a user meant to
/// keep. A wrong "may have been sent" only costs a read (the core resolves the
/// instance's state before deciding anything).
///
/// So a driver cannot simply say "not sent":
///
/// | constructor | kind | who may use it |
/// | --- | --- | --- |
/// | [`TransportError::outcome_unknown`] | [`OutcomeUnknown`](TransportErrorKind::OutcomeUnknown) | anyone, for any failure |
/// | [`TransportError::from_send_error`] | `NotSent` if a [`ConnectError`] is in the error's source chain, else `OutcomeUnknown` | a driver handing over whatever its HTTP stack returned |
/// | [`TransportError::not_sent`] / `From<ConnectError>` | [`NotSent`](TransportErrorKind::NotSent) | only with a [`ConnectError`] |
///
/// and a [`ConnectError`] is what code running *before the request's first
/// byte is written* raises: a resolver, a connector (TCP connect, proxy
/// handshake, TLS handshake), or a driver that could not even start an
/// attempt. Wrap your HTTP stack's connector (ureq's resolver and connector
/// chain, hyper's `tower::Service<Uri>`, or a connect step of your own as
/// `examples/async_driver.rs` has) so its errors become `ConnectError`s,
/// hand every failure to [`TransportError::from_send_error`], and the
/// classification follows from where the failure happened, not from guessing
/// at error kinds. A failure your connector did not raise (a reset on a pooled
/// connection, a timeout while waiting for the answer, a body cut short) can
/// never come out as `NotSent`.
///
/// ```text
///   resolve ─► connect ─► proxy/TLS handshake ─┬─► write request ─► read response
///   └──────── ConnectError: NotSent ───────────┘   └──── anything else: OutcomeUnknown ────┘
/// ```
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    timed_out: bool,
    source: Option<BoxError>,
}

impl TransportError {
    /// A failure after which the request may have reached the service.
    pub fn outcome_unknown(message: impl Into<String>) -> Self {
        TransportError {
            kind: TransportErrorKind::OutcomeUnknown,
            message: message.into(),
            timed_out: false,
            source: None,
        }
    }

    /// A failure before the request's first byte was written: safe to re-send.
    /// The message is the [`ConnectError`]'s, the source its cause.
    pub fn not_sent(proof: ConnectError) -> Self {
        TransportError {
            kind: TransportErrorKind::NotSent,
            message: proof.message,
            timed_out: false,
            source: Some(proof.cause),
        }
    }

    /// Classifies whatever a send call returned: [`NotSent`](TransportErrorKind::NotSent)
    /// when `error` is, or has in its source chain, a [`ConnectError`] (its
    /// message becomes this error's), [`OutcomeUnknown`](TransportErrorKind::OutcomeUnknown)
    /// ("the request failed") otherwise; `error` is the source either way.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{ConnectError, TransportError, TransportErrorKind};
    /// #[derive(Debug)]
    /// struct Wrapped(ConnectError);
    /// impl std::fmt::Display for Wrapped {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("client error") }
    /// }
    /// impl std::error::Error for Wrapped {
    ///     fn source(&self) -> Option<&(dyn std::error::Error + 'static)> { Some(&self.0) }
    /// }
    /// let dns = ConnectError::new("the host name could not be resolved", "no such host");
    /// let e = TransportError::from_send_error(Wrapped(dns));
    /// assert_eq!(e.kind(), TransportErrorKind::NotSent);
    /// assert_eq!(e.message(), "the host name could not be resolved");
    ///
    /// let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
    /// assert_eq!(TransportError::from_send_error(reset).kind(), TransportErrorKind::OutcomeUnknown);
    /// ```
    pub fn from_send_error(error: impl Into<BoxError>) -> Self {
        let error: BoxError = error.into();
        let error = match error.downcast::<ConnectError>() {
            Ok(proof) => return TransportError::not_sent(*proof),
            Err(other) => other,
        };
        let mut next: Option<&(dyn Error + 'static)> = Some(&*error);
        let mut not_sent = None;
        while let Some(e) = next {
            if let Some(proof) = e.downcast_ref::<ConnectError>() {
                not_sent = Some(proof.message.clone());
                break;
            }
            next = e.source();
        }
        TransportError {
            kind: if not_sent.is_some() {
                TransportErrorKind::NotSent
            } else {
                TransportErrorKind::OutcomeUnknown
            },
            // The error itself is the source: its text is not repeated here.
            message: not_sent.unwrap_or_else(|| "the request failed".to_owned()),
            timed_out: false,
            source: Some(error),
        }
    }

    /// Adds the cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Marks the failure as the transport giving up waiting (a timeout), as
    /// opposed to being refused or cut off; a source of credentials does not
    /// ask again after one (see the `source_exchange` module).
    pub fn mark_timed_out(mut self) -> Self {
        self.timed_out = true;
        self
    }

    /// Whether the request may have reached the service.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the transport gave up waiting ([`TransportError::mark_timed_out`]).
    pub fn timed_out(&self) -> bool {
        self.timed_out
    }

    /// For the core's own tests: any kind, no proof.
    #[cfg(test)]
    pub(crate) fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            timed_out: false,
            source: None,
        }
    }
}

impl From<ConnectError> for TransportError {
    fn from(proof: ConnectError) -> Self {
        TransportError::not_sent(proof)
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

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(BoxError);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("client error")
        }
    }
    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&*self.0)
        }
    }

    #[test]
    fn only_a_connect_error_makes_not_sent() {
        let refused = || std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        // The same io error kind, with and without the proof.
        let plain = TransportError::from_send_error(Outer(Box::new(refused())));
        assert_eq!(plain.kind(), TransportErrorKind::OutcomeUnknown);
        assert_eq!(plain.message(), "the request failed");
        assert_eq!(
            plain.source().map(ToString::to_string).as_deref(),
            Some("client error")
        );
        let proved = TransportError::from_send_error(Outer(Box::new(ConnectError::new(
            "the connection was refused",
            refused(),
        ))));
        assert_eq!(proved.kind(), TransportErrorKind::NotSent);
        assert_eq!(
            proved.to_string(),
            "request not sent: the connection was refused"
        );
        assert!(proved.source().is_some());
        let direct = TransportError::from_send_error(ConnectError::new("dns", refused()));
        assert_eq!(direct.kind(), TransportErrorKind::NotSent);
        assert_eq!(
            direct.source().map(ToString::to_string),
            Some(refused().to_string())
        );
        let unknown = TransportError::outcome_unknown("timed out").mark_timed_out();
        assert!(unknown.timed_out());
        assert_eq!(unknown.kind(), TransportErrorKind::OutcomeUnknown);
        assert!(!proved.timed_out());
    }
}
