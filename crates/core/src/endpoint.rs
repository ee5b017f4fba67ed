//! Where requests go: the global endpoint, a regional one, or a custom base URL.

use std::fmt;

use crate::service::Service;

/// The service endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `https://<service>.tencentcloudapi.com/` (e.g. `cvm.tencentcloudapi.com`),
    /// routed to the nearest region.
    #[default]
    Default,
    /// `https://<service>.<region>.tencentcloudapi.com/`, for the configured region.
    Regional,
    /// A custom base URL (private endpoints, proxies, local testing).
    Custom(CustomEndpoint),
}

/// HTTP or HTTPS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP: only when given explicitly, as for a local emulator.
    Http,
    /// HTTPS.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A parsed custom base URL: scheme, host and optional port, path `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomEndpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
}

/// Why an endpoint URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    reason: &'static str,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint: {}", self.reason)
    }
}

impl std::error::Error for EndpointError {}

impl EndpointError {
    pub(crate) fn invalid_host() -> Self {
        EndpointError {
            reason: "the host cannot be used in a URL or a Host header",
        }
    }
}

impl CustomEndpoint {
    /// Parses `https://host[:port][/]` or `http://host[:port][/]`; a bare `host[:port]`
    /// means HTTPS.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{CustomEndpoint, Scheme};
    /// let e = CustomEndpoint::parse("http://127.0.0.1:8080")?;
    /// assert_eq!(e.scheme(), Scheme::Http);
    /// assert_eq!(e.authority(), "127.0.0.1:8080");
    /// # Ok::<(), tencentcloud_cvm_core::EndpointError>(())
    /// ```
    pub fn parse(url: &str) -> Result<Self, EndpointError> {
        let err = |reason| Err(EndpointError { reason });
        let url = url.trim();
        let (scheme, rest) = if let Some(r) = url.strip_prefix("https://") {
            (Scheme::Https, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (Scheme::Http, r)
        } else if url.contains("://") {
            return err("only http:// and https:// are supported");
        } else {
            (Scheme::Https, url)
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#', '@']) {
            return err("a base URL has no path, query, fragment or user info");
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            match v6.split_once(']') {
                Some((addr, "")) => (&authority[..addr.len() + 2], None),
                Some((addr, p)) if p.starts_with(':') => {
                    (&authority[..addr.len() + 2], Some(&p[1..]))
                }
                _ => return err("an IPv6 address is missing its closing bracket"),
            }
        } else {
            match authority.rsplit_once(':') {
                // A bare IPv6 address cannot carry a port unambiguously.
                Some((h, _)) if !h.ends_with(']') && h.contains(':') => {
                    return err(
                        "IPv6 addresses must be written in brackets, e.g. http://[::1]:8080",
                    )
                }
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return err("the host is empty");
        }
        let valid_host = |h: &str| {
            let inner = h.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
            match inner {
                Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
                None => h
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'),
            }
        };
        if !valid_host(host) {
            return err("the host has characters a host name cannot have");
        }
        let port = match port {
            None => None,
            Some(p) => match p.parse::<u16>() {
                Ok(0) | Err(_) => return err("the port is not a number from 1 to 65535"),
                Ok(p) if p == scheme.default_port() => None,
                Ok(p) => Some(p),
            },
        };
        Ok(CustomEndpoint {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, without port.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `host[:port]`, as sent in the `Host` header (port only when not the scheme's default).
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }
}

impl Endpoint {
    /// Parses a custom base URL.
    pub fn custom(url: &str) -> Result<Self, EndpointError> {
        CustomEndpoint::parse(url).map(Endpoint::Custom)
    }

    /// The scheme and `Host` value for `service` in `region`.
    pub fn resolve(&self, service: Service, region: &str) -> (Scheme, String) {
        match self {
            Endpoint::Default => (Scheme::Https, service.default_host()),
            Endpoint::Regional => (Scheme::Https, service.regional_host(region)),
            Endpoint::Custom(c) => (c.scheme, c.authority()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves() {
        assert_eq!(
            Endpoint::Default.resolve(Service::CVM, "ap-guangzhou"),
            (Scheme::Https, "cvm.tencentcloudapi.com".into())
        );
        assert_eq!(
            Endpoint::Regional.resolve(Service::CVM, "ap-shanghai"),
            (Scheme::Https, "cvm.ap-shanghai.tencentcloudapi.com".into())
        );
        let c = Endpoint::custom("http://LOCALHOST:80/").unwrap();
        assert_eq!(
            c.resolve(Service::CVM, "x"),
            (Scheme::Http, "localhost".into())
        );
        let c = Endpoint::custom("cvm.internal.example:8443").unwrap();
        assert_eq!(
            c.resolve(Service::CVM, "x"),
            (Scheme::Https, "cvm.internal.example:8443".into())
        );
        let c = Endpoint::custom("http://[::1]:9000").unwrap();
        assert_eq!(
            c.resolve(Service::CVM, "x"),
            (Scheme::Http, "[::1]:9000".into())
        );
    }

    #[test]
    fn refuses() {
        for bad in [
            "",
            "ftp://h",
            "http://",
            "http://h:0",
            "http://h:99999",
            "http://h/path",
            "http://u@h",
            "http://h h",
            "http://::1:80",
            "http://h:x",
        ] {
            assert!(Endpoint::custom(bad).is_err(), "{bad}");
        }
    }
}
