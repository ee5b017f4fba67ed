//! The transport boundary: the one step that does IO.

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

/// Sends one request and returns the response, whatever its status.
///
/// 4xx and 5xx responses are responses, not errors: the core parses the
/// service's error envelope from them. Implementations cap the body they read
/// and say, on failure, whether the request may have reached the service: the
/// engine may re-send after a [`TransportErrorKind::NotSent`] failure, never after
/// an [`OutcomeUnknown`](TransportErrorKind::OutcomeUnknown) one, because a second
/// `TerminateInstances` can destroy a prepaid instance that the first one moved to
/// the recycle bin.
///
/// A transport for tests that answers without a network (the ureq crate has the
/// real one); give it to [`Engine`](crate::Engine) or to a client:
///
/// ```
/// use http::header::{HeaderValue, CONTENT_TYPE};
/// use tencentcloud_cvm_core::response::{parse_response, DEFAULT_MAX_BODY};
/// use tencentcloud_cvm_core::{Transport, TransportError, TransportErrorKind};
///
/// /// Accepts every request for one host, as the service does when all goes well.
/// struct Canned {
///     host: &'static str,
/// }
///
/// impl Transport for Canned {
///     fn send(
///         &self,
///         request: http::Request<Vec<u8>>,
///     ) -> Result<http::Response<Vec<u8>>, TransportError> {
///         if request.uri().host() != Some(self.host) {
///             // Refused before anything was written: safe to send again.
///             return Err(TransportError::new(TransportErrorKind::NotSent, "unknown host"));
///         }
///         let body = br#"{"Response":{"RequestId":"6ff0a3f1-5c04-4b26-9e2b-1c0c5d9f4c3a"}}"#;
///         let mut response = http::Response::new(body.to_vec());
///         response
///             .headers_mut()
///             .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
///         Ok(response)
///     }
/// }
///
/// let transport = Canned { host: "cvm.tencentcloudapi.com" };
/// let request = http::Request::post("https://cvm.tencentcloudapi.com/").body(Vec::new())?;
/// let response = transport.send(request)?;
/// let success = parse_response(&response, DEFAULT_MAX_BODY)?;
/// assert_eq!(success.request_id, "6ff0a3f1-5c04-4b26-9e2b-1c0c5d9f4c3a");
///
/// let elsewhere = http::Request::post("https://example.com/").body(Vec::new())?;
/// let error = transport.send(elsewhere).unwrap_err();
/// assert_eq!(error.kind(), TransportErrorKind::NotSent);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}
