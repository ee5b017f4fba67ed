//! [`Transport`]: how a blocking HTTP stack plugs into the blocking driver.

use tencentcloud_cvm_core::TransportError;

/// Sends one request and returns the response, whatever its status.
///
/// 4xx and 5xx responses are responses, not errors: the core reads the
/// service's error envelope from them. An implementation caps the body it
/// reads, and says on failure whether the request may have reached the
/// service ([`tencentcloud_cvm_core::TransportErrorKind`]): that is what decides
/// whether a request may ever be sent again.
///
/// The driver calls it from several threads at once (up to the in-flight cap).
///
/// ```
/// use tencentcloud_cvm_core::{TransportError, TransportErrorKind};
/// use tencentcloud_cvm_ureq::Transport;
///
/// /// Answers every request with a canned success, as a test double.
/// #[derive(Debug)]
/// struct Canned;
/// impl Transport for Canned {
///     fn send(&self, _request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
///         Ok(http::Response::new(br#"{"Response":{"RequestId":"canned"}}"#.to_vec()))
///     }
/// }
/// let answer = Canned.send(http::Request::new(Vec::new()))?;
/// assert_eq!(answer.status(), 200);
/// # let _ = TransportErrorKind::NotSent;
/// # Ok::<(), TransportError>(())
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
