//! Marks every error raised while resolving the host or setting up a connection.
//!
//! ureq reports a refused connection, a TLS handshake failure and a read error
//! after the request went out with overlapping error values (a failed TLS
//! handshake, for one, surfaces as an `io::Error`, like a reset while reading
//! the response). Whether a request may have reached the service depends on
//! *where* the failure happened, not on its kind, so the transport wraps
//! ureq's resolver and connector chain: an error that comes out of them is
//! tagged [`ConnectPhase`]. Nothing of the request (not even its first byte) is
//! written before the connector chain has returned a connection: that chain
//! resolves, opens the TCP connection, talks to a SOCKS or `CONNECT` proxy and
//! completes the TLS handshake, all before ureq sends the request line.

use std::fmt;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};
use ureq::{config::Config, http::Uri};

/// A ureq error raised before any byte of the request was written.
#[derive(Debug)]
pub(crate) struct ConnectPhase(pub(crate) ureq::Error);

impl fmt::Display for ConnectPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed while connecting")
    }
}

impl std::error::Error for ConnectPhase {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Wraps `error` in [`ConnectPhase`] (once: a proxy connection is set up by a
/// nested run of the same connector).
pub(crate) fn tag(error: ureq::Error) -> ureq::Error {
    match error {
        ureq::Error::Other(inner) if inner.is::<ConnectPhase>() => ureq::Error::Other(inner),
        other => ureq::Error::Other(Box::new(ConnectPhase(other))),
    }
}

/// The inner error if `error` was raised while resolving or connecting.
pub(crate) fn connect_phase(error: &ureq::Error) -> Option<&ureq::Error> {
    match error {
        ureq::Error::Other(inner) => inner.downcast_ref::<ConnectPhase>().map(|c| &c.0),
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
        assert!(e.to_string().ends_with("failed while connecting"), "{e}");
        let phase = ConnectPhase(ureq::Error::HostNotFound);
        let cause = std::error::Error::source(&phase).map(|s| s.to_string());
        assert_eq!(cause.as_deref(), Some("host not found"));
    }
}
