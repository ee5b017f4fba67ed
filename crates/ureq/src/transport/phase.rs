//! Marks every error raised while resolving the host or setting up a connection.
//!
//! ureq reports a refused connection, a TLS handshake failure and a read error
//! after the request went out with overlapping error values (a failed TLS
//! handshake, for one, surfaces as an `io::Error`, like a reset while reading
//! the response). Whether a request may have reached the service depends on
//! *where* the failure happened, not on its kind, so the transport wraps
//! ureq's resolver and connector chain: an error that comes out of them is
//! wrapped in the core's [`ConnectError`]. Nothing of the request (not even its first byte) is
//! written before the connector chain has returned a connection: that chain
//! resolves, opens the TCP connection, talks to a SOCKS or `CONNECT` proxy and
//! completes the TLS handshake, all before ureq sends the request line.

use tencentcloud_cvm_core::ConnectError;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};
use ureq::{config::Config, http::Uri};

/// What failed, in words, for an error raised while resolving or connecting.
fn what(error: &ureq::Error) -> &'static str {
    match error {
        ureq::Error::HostNotFound => "the host name could not be resolved",
        ureq::Error::Timeout(ureq::Timeout::Resolve) => "the host name lookup timed out",
        ureq::Error::Timeout(_) => "connecting timed out",
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused"
        }
        ureq::Error::ConnectProxyFailed(_) => "the proxy refused the connection",
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "the TLS handshake failed",
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            "the TLS or proxy handshake failed"
        }
        _ => "could not connect",
    }
}

/// Wraps `error` in the core's [`ConnectError`], the proof that nothing of the
/// request was written (once: a proxy connection is set up by a nested run of
/// the same connector).
pub(crate) fn tag(error: ureq::Error) -> ureq::Error {
    match error {
        ureq::Error::Other(inner) if inner.is::<ConnectError>() => ureq::Error::Other(inner),
        other => ureq::Error::Other(Box::new(ConnectError::new(what(&other), other))),
    }
}

/// The inner error if `error` was raised while resolving or connecting.
pub(crate) fn connect_phase(error: &ureq::Error) -> Option<&ureq::Error> {
    match error {
        ureq::Error::Other(inner) => inner
            .downcast_ref::<ConnectError>()
            .and_then(|c| c.cause().downcast_ref::<ureq::Error>()),
        _ => None,
    }
}

/// ureq's default connector chain, with its errors tagged.
#[derive(Debug, Default)]
pub(crate) struct TaggingConnector(DefaultConnector);

impl Connector<()> for TaggingConnector {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        match self.0.connect(details, chained) {
            Ok(Some(transport)) => Ok(Some(transport)),
            // ureq turns "no connector produced a connection" into this error;
            // raise it here so that it is tagged.
            Ok(None) => Err(tag(ureq::Error::ConnectionFailed)),
            Err(e) => Err(tag(e)),
        }
    }
}

/// ureq's default resolver, with its errors tagged.
#[derive(Debug, Default)]
pub(crate) struct TaggingResolver(DefaultResolver);

impl Resolver for TaggingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, timeout).map_err(tag)
    }

    fn empty(&self) -> ResolvedSocketAddrs {
        self.0.empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_once_and_unwraps() {
        let e = tag(tag(ureq::Error::HostNotFound));
        assert!(matches!(connect_phase(&e), Some(ureq::Error::HostNotFound)));
        assert!(connect_phase(&ureq::Error::HostNotFound).is_none());
        assert!(
            e.to_string()
                .ends_with("the host name could not be resolved"),
            "{e}"
        );
        let ureq::Error::Other(inner) = e else {
            panic!("not tagged")
        };
        let cause = std::error::Error::source(&*inner).map(|s| s.to_string());
        assert_eq!(cause.as_deref(), Some("host not found"));
    }
}
