//! [`UreqTransport`]: the core's [`Transport`] on a shared, blocking `ureq::Agent`.
//!
//! One agent per transport (cloning shares it, and its connection pool).
//! Defaults: connect timeout [`DEFAULT_CONNECT_TIMEOUT`] (10 s for the DNS
//! lookup, and 10 s for connection setup: TCP, proxy handshake, TLS),
//! whole-request timeout [`DEFAULT_REQUEST_TIMEOUT`] (60 s, from the first DNS
//! lookup to the last body byte), body cap [`DEFAULT_MAX_BODY`] (1 MiB), proxy
//! from the environment as curl reads it (see the crate docs), the CA
//! certificates of `SSL_CERT_FILE` or else the built-in roots ([`TrustRoots`]:
//! a CA file replaces them, as with curl), 4xx and 5xx delivered as
//! responses, redirects never followed (a 3xx is delivered as it is, and the
//! core reports it as an unknown outcome).
//!
//! Proxies: see the crate docs (`# Proxy`), which users see; this module is private.
//!
//! # Error mapping
//!
//! A TerminateInstances that reached the service must never be re-sent blindly
//! (a second call destroys a prepaid instance the first one moved to the
//! recycle bin), so a failure is [`NotSent`](tencentcloud_cvm_core::TransportErrorKind::NotSent)
//! only where the request certainly never left this process, and only through
//! the core's [`ConnectError`] (its transport contract):
//!
//! | failure (ureq)                                                   | kind             |
//! |------------------------------------------------------------------|------------------|
//! | any error while resolving the host (`HostNotFound`, DNS timeout) | `NotSent`        |
//! | any error while connecting: refused, unreachable, connect timeout (or the request timeout expiring during connect), SOCKS/`CONNECT` proxy failure, TLS handshake failure or certificate rejection | `NotSent` |
//! | `BadUri`, `RequireHttpsOnly`, `InvalidProxyUrl` (refused before connecting), `TlsRequired` (connected, nothing written) | `NotSent` |
//! | timeout after the connection was set up (sending, waiting, reading) | `OutcomeUnknown` |
//! | reset, broken pipe or close after the connection was set up (a pooled connection included) | `OutcomeUnknown` |
//! | malformed response (`Protocol`), body cut short, body read error | `OutcomeUnknown` |
//! | anything else (`Http`, `Other`, future variants)                 | `OutcomeUnknown` |
//!
//! "While resolving or connecting" is known exactly, not guessed from the
//! error kind: the agent runs ureq's default resolver and connector chain
//! behind thin wrappers that tag every error they return (ureq writes nothing
//! of the request before that chain hands back a connection). The wrappers
//! use `ureq::unversioned`, which ureq may change in minor releases, so the
//! workspace pins ureq to `~3.5`.
//!
//! # Response body cap
//!
//! At most `max_body + 1` bytes of a body are read. A larger body is returned
//! cut to `max_body + 1` bytes, so the core's parser (which gets the same cap
//! from the client) reports [`ResponseError::TooLarge`] and the outcome is
//! unknown; the rest of the body is not read and the connection is dropped.
//!
//! [`ResponseError::TooLarge`]: tencentcloud_cvm_core::response::ResponseError::TooLarge
//!
//! # Secrets
//!
//! Error messages come from ureq's errors and this module's text; neither
//! includes request headers, so the `Authorization` and `X-TC-Token` values
//! never appear in them.

use std::fmt;
use std::io::Read;
use std::time::Duration;

use tencentcloud_cvm_core::response::DEFAULT_MAX_BODY;
use tencentcloud_cvm_core::{ConnectError, TransportError};

use crate::Transport;
use tencentcloud_cvm_core::REQUEST_CLIENT;

mod no_proxy;
mod phase;
mod proxy_env;
mod trust_roots;

use proxy_env::EnvironmentProxies;
pub use trust_roots::{InvalidTrustRoots, TrustRoots};

/// The default limit on DNS resolution and on connection setup (TCP, proxy, TLS), each.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default limit on one whole request, from DNS to the last byte of the response.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Which proxy the transport uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxyConfig {
    /// From `https_proxy` / `http_proxy` / `all_proxy`, as curl reads them, except
    /// for loopback hosts and those `no_proxy` lists (the default; see the
    /// [crate docs](crate#proxy) for the rules).
    #[default]
    FromEnvironment,
    /// No proxy, whatever the environment says.
    None,
    /// Every request through this proxy URL (`http://`, `https://`, `socks4://`,
    /// `socks4a://`, `socks5://`; user info allowed), loopback included.
    Url(String),
}

/// A proxy URL ureq refused. Does not repeat the URL, which may hold a password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidProxy;

impl fmt::Display for InvalidProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid proxy URL (expected e.g. http://proxy.example:3128)")
    }
}

impl std::error::Error for InvalidProxy {}

/// Settings for a [`UreqTransport`].
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_ureq::{ProxyConfig, UreqTransport};
/// let transport = UreqTransport::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .request_timeout(Duration::from_secs(20))
///     .max_body(64 * 1024)
///     .proxy(ProxyConfig::None)
///     .build()?;
/// assert_eq!(transport.max_body(), 64 * 1024);
/// # Ok::<(), tencentcloud_cvm_ureq::InvalidProxy>(())
/// ```
#[derive(Clone, Debug)]
pub struct UreqTransportBuilder {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_body: usize,
    proxy: ProxyConfig,
    trust_roots: TrustRoots,
}

impl Default for UreqTransportBuilder {
    fn default() -> Self {
        UreqTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            proxy: ProxyConfig::FromEnvironment,
            trust_roots: TrustRoots::from_environment(),
        }
    }
}

impl UreqTransportBuilder {
    /// The limit on DNS resolution and, separately, on connection setup
    /// (TCP, proxy handshake, TLS) (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
    /// The limit on one whole request, DNS to last body byte (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
    /// The most response body bytes kept (default 1 MiB); see the module docs.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
    /// The proxy (default: from the environment).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// The certificate authorities https requests trust (default:
    /// `SSL_CERT_FILE`'s when set, else the built-in roots). A CA file
    /// replaces the built-in roots, as curl's `--cacert` does: see [`TrustRoots`].
    pub fn trust_roots(mut self, roots: TrustRoots) -> Self {
        self.trust_roots = roots;
        self
    }

    /// What [`build`](Self::build) would refuse, an explicit proxy URL ureq
    /// rejects, checked without building agents or reading the environment.
    pub(crate) fn check(&self) -> Result<(), InvalidProxy> {
        match &self.proxy {
            ProxyConfig::Url(url) => ureq::Proxy::new(url).map(drop).map_err(|_| InvalidProxy),
            ProxyConfig::FromEnvironment | ProxyConfig::None => Ok(()),
        }
    }

    /// Builds the agent(s); with [`ProxyConfig::FromEnvironment`], reads the
    /// environment now.
    pub fn build(self) -> Result<UreqTransport, InvalidProxy> {
        self.build_with_environment(|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build), with the environment read through `var`.
    pub(crate) fn build_with_environment(
        self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<UreqTransport, InvalidProxy> {
        // A CA file that cannot be used fails the https requests (never a
        // fall-back to other roots), naming the file, as a bad proxy variable does.
        let (roots, roots_error) = match self.trust_roots.resolve(&var) {
            Ok(roots) => (roots, None),
            Err(e) => {
                log::warn!("{e}: https requests will fail");
                (ureq::tls::RootCerts::Specific(Default::default()), Some(e))
            }
        };
        let agent = |proxy| self.agent(proxy, &roots);
        let routes = match &self.proxy {
            ProxyConfig::None => Routes::Fixed(agent(None)),
            ProxyConfig::Url(url) => {
                let proxy = ureq::Proxy::new(url).map_err(|_| InvalidProxy)?;
                Routes::Fixed(agent(Some(proxy)))
            }
            ProxyConfig::FromEnvironment => {
                let proxies = EnvironmentProxies::read(var);
                let via = |p: Option<&proxy_env::EnvironmentProxy>| {
                    let proxy = ureq::Proxy::new(&p?.url).ok()?;
                    Some(agent(Some(proxy)))
                };
                let http = via(proxies.http.as_ref());
                // One agent (and pool) when both schemes use the same proxy.
                let https = if proxies.https.as_ref().map(|p| &p.url)
                    == proxies.http.as_ref().map(|p| &p.url)
                {
                    http.clone()
                } else {
                    via(proxies.https.as_ref())
                };
                Routes::Environment(Box::new(EnvironmentRoutes {
                    direct: agent(None),
                    http,
                    https,
                    proxies,
                }))
            }
        };
        Ok(UreqTransport {
            routes,
            max_body: self.max_body,
            roots_error,
            settings: self,
        })
    }

    fn agent(&self, proxy: Option<ureq::Proxy>, roots: &ureq::tls::RootCerts) -> ureq::Agent {
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(roots.clone())
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(proxy)
            .user_agent(REQUEST_CLIENT)
            .timeout_resolve(Some(self.connect_timeout))
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.request_timeout))
            .build();
        ureq::Agent::with_parts(
            config,
            phase::TaggingConnector::default(),
            phase::TaggingResolver::default(),
        )
    }
}

/// Which agent carries a request (an agent's proxy is fixed when it is built).
#[derive(Clone)]
enum Routes {
    /// Every request through this agent.
    Fixed(ureq::Agent),
    /// Per request, by what the environment said when the transport was built.
    Environment(Box<EnvironmentRoutes>),
}

/// An agent for each scheme whose variable holds a valid proxy URL, and a
/// direct one. A scheme's agent is looked for only when `proxies` names a
/// proxy for it, so a missing one there means that URL is invalid.
#[derive(Clone)]
struct EnvironmentRoutes {
    direct: ureq::Agent,
    http: Option<ureq::Agent>,
    https: Option<ureq::Agent>,
    proxies: EnvironmentProxies,
}

impl Routes {
    fn agent_for(&self, uri: &http::Uri) -> Result<&ureq::Agent, TransportError> {
        let routes = match self {
            Routes::Fixed(agent) => return Ok(agent),
            Routes::Environment(routes) => routes,
        };
        let is_https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let host = uri.host().unwrap_or_default();
        let Some(proxy) = routes.proxies.for_target(is_https, host) else {
            return Ok(&routes.direct);
        };
        let via = if is_https {
            &routes.https
        } else {
            &routes.http
        };
        match via {
            Some(agent) => Ok(agent),
            // Refused before the request is handed to any agent: nothing written.
            None => Err(TransportError::not_sent(ConnectError::new(
                format!(
                    "the proxy URL in {} is invalid (expected e.g. http://proxy.example:3128)",
                    proxy.variable
                ),
                InvalidProxy,
            ))),
        }
    }
}

/// The blocking HTTP transport: a shared `ureq::Agent` (connection reuse;
/// `clone` is cheap and shares the pool).
///
/// ```no_run
/// use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateInstances};
/// use tencentcloud_cvm_core::signing::Signer;
/// use tencentcloud_cvm_ureq::{Transport, UreqTransport};
/// let config = ServiceConfig::builder("ap-guangzhou").build()?;
/// let request = config.terminate_instances(
///     &TerminateInstances::new(["ins-r8hr2upy"])?,
///     1_700_000_000,
///     &Credentials::new("AKID...", "..."),
///     &Signer::new(),
/// )?;
/// let response = UreqTransport::new().send(request)?;
/// println!("{}", response.status());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct UreqTransport {
    routes: Routes,
    max_body: usize,
    /// Why the CA file cannot be used: every https request fails with it.
    roots_error: Option<InvalidTrustRoots>,
    settings: UreqTransportBuilder,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("connect_timeout", &self.settings.connect_timeout)
            .field("request_timeout", &self.settings.request_timeout)
            .field("max_body", &self.max_body)
            .field(
                "proxy",
                &match self.settings.proxy {
                    ProxyConfig::FromEnvironment => "from environment",
                    ProxyConfig::None => "none",
                    ProxyConfig::Url(_) => "<url>",
                },
            )
            .field("trust_roots", &self.settings.trust_roots)
            .finish_non_exhaustive()
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        UreqTransport::new()
    }
}

impl UreqTransport {
    /// A transport with the default settings (proxy from the environment).
    pub fn new() -> Self {
        // Only an explicit proxy URL is checked when building; one from the
        // environment fails the requests it would carry.
        UreqTransportBuilder::default()
            .build()
            .unwrap_or_else(|InvalidProxy| unreachable!("no explicit proxy URL"))
    }

    /// Starts a builder with the defaults.
    pub fn builder() -> UreqTransportBuilder {
        UreqTransportBuilder::default()
    }

    /// The response body cap.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.settings.connect_timeout
    }

    /// The whole-request timeout.
    pub fn request_timeout(&self) -> Duration {
        self.settings.request_timeout
    }

    fn read_body(&self, body: &mut ureq::Body) -> std::io::Result<Vec<u8>> {
        let cap = self.max_body.saturating_add(1);
        let expected = body
            .content_length()
            .map_or(8 * 1024, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut buf = Vec::with_capacity(expected.min(cap));
        body.as_reader()
            .take(u64::try_from(cap).unwrap_or(u64::MAX))
            .read_to_end(&mut buf)?;
        Ok(buf)
    }
}

impl Transport for UreqTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        if let Some(e) = &self.roots_error {
            if request.uri().scheme() == Some(&http::uri::Scheme::HTTPS) {
                // Refused before any connection: nothing written.
                return Err(TransportError::not_sent(ConnectError::new(
                    e.to_string(),
                    e.clone(),
                )));
            }
        }
        let agent = self.routes.agent_for(request.uri())?;
        let response = agent.run(request).map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let bytes = self.read_body(&mut body).map_err(|e| {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut;
            let error = TransportError::outcome_unknown("the response body could not be read")
                .with_source(e);
            if timed_out {
                error.mark_timed_out()
            } else {
                error
            }
        })?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// Maps a ureq error per the table in the module docs.
pub(crate) fn classify(error: ureq::Error) -> TransportError {
    let timed_out = is_timeout(&error);
    let mapped = match error {
        ureq::Error::Other(inner) if inner.is::<ConnectError>() => {
            match inner.downcast::<ConnectError>() {
                Ok(proof) => TransportError::not_sent(*proof),
                Err(inner) => unknown("the request failed", ureq::Error::Other(inner)),
            }
        }
        // ureq raises these in its `connect` step, before the connection is
        // used (ureq 3.5 `run.rs`: the URL and the https-only check before
        // resolving, `TlsRequired` right after the pool hands a connection
        // back), so nothing of the request was written.
        e @ (ureq::Error::BadUri(_)
        | ureq::Error::RequireHttpsOnly(_)
        | ureq::Error::InvalidProxyUrl
        | ureq::Error::TlsRequired) => {
            let what = match &e {
                ureq::Error::BadUri(_) => "the URL was refused",
                ureq::Error::RequireHttpsOnly(_) => "the URL is not https",
                ureq::Error::InvalidProxyUrl => "the proxy URL was refused",
                _ => "the connection is not TLS",
            };
            TransportError::not_sent(ConnectError::new(what, e))
        }
        e @ ureq::Error::Timeout(_) => unknown("timed out after connecting", e),
        e @ ureq::Error::Io(_) => unknown("the connection failed after connecting", e),
        e @ ureq::Error::Protocol(_) => unknown("the response is not valid HTTP/1.1", e),
        e => unknown("the request failed", e),
    };
    if timed_out {
        mapped.mark_timed_out()
    } else {
        mapped
    }
}

fn unknown(what: &str, error: ureq::Error) -> TransportError {
    TransportError::outcome_unknown(what).with_source(error)
}

/// Whether ureq gave up waiting, in any phase.
fn is_timeout(error: &ureq::Error) -> bool {
    let inner = phase::connect_phase(error).unwrap_or(error);
    match inner {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(e) => e.kind() == std::io::ErrorKind::TimedOut,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
