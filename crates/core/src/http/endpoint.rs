//! Where requests go: the global endpoint, a regional one, or a custom base URL.

use std::fmt;

use crate::http::service::Service;

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
    /// Parses `https://host[:port][/]` or `http://host[:port][/]` (the scheme in any
    /// case); a bare `host[:port]` means HTTPS.
    ///
    /// The URL is parsed as browsers and curl parse one (the WHATWG URL standard, by the
    /// `url` crate), then held to what a base URL given by a person can mean:
    ///
    /// * no user info, path (beyond one `/`), query or fragment;
    /// * a host name of dot-separated labels, each 1 to 63 letters, digits and inner
    ///   hyphens (no empty label, so no trailing dot), at most 253 characters in all,
    ///   in ASCII (an internationalized name in its `xn--` form); or a dotted-quad IPv4
    ///   address; or an IPv6 address in brackets (no zone ID);
    /// * a decimal port from 1 to 65535, without sign or leading zeros.
    ///
    /// Everything the standard would quietly rewrite is refused rather than guessed at:
    /// legacy IPv4 forms (`127.1`, `0x7f.0.0.1`, `2130706433`), percent-escapes, tabs and
    /// newlines inside the URL, Unicode names. The host is kept in lower case and the
    /// scheme's default port is dropped.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{CustomEndpoint, Scheme};
    /// let e = CustomEndpoint::parse("HTTP://127.0.0.1:8080/")?;
    /// assert_eq!(e.scheme(), Scheme::Http);
    /// assert_eq!(e.authority(), "127.0.0.1:8080");
    /// assert!(CustomEndpoint::parse("http://127.0.0.1:+1").is_err());
    /// # Ok::<(), tencentcloud_cvm_core::EndpointError>(())
    /// ```
    pub fn parse(url: &str) -> Result<Self, EndpointError> {
        let err = |reason| Err(EndpointError { reason });
        let text = url.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
            Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
            Some(_) => return err("only http:// and https:// are supported"),
            None => (Scheme::Https, text),
        };
        let written = rest.strip_suffix('/').unwrap_or(rest);
        if written.contains(['/', '\\', '?', '#']) {
            return err("a base URL has no path, query or fragment");
        }
        if written.contains('@') {
            return err("a base URL has no user info");
        }
        if !written.is_ascii() {
            return err("the host has characters a host name cannot have (write an internationalized name in its xn-- form)");
        }
        let parsed =
            url::Url::parse(&format!("{}://{written}/", scheme.as_str())).map_err(|e| {
                EndpointError {
                    reason: parse_error_reason(e),
                }
            })?;
        let host = match parsed.host() {
            None => return err("the host is empty"),
            Some(url::Host::Domain(name)) => {
                check_host_name(name)?;
                name
            }
            Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => parsed.host_str().unwrap_or_default(),
        };
        let port = match parsed.port() {
            Some(0) => return err("the port is not a number from 1 to 65535"),
            port => port,
        };
        // The parser accepted it, but may have rewritten it: only what it kept as written
        // (up to case, IPv6 notation and an explicit default port) is taken as meant.
        let (host_written, port_written) = match written.strip_prefix('[') {
            Some(v6) => v6.split_once(']').unwrap_or((v6, "")),
            None => written.split_at(written.rfind(':').unwrap_or(written.len())),
        };
        let host_kept = match parsed.host() {
            Some(url::Host::Ipv6(addr)) => host_written.parse::<std::net::Ipv6Addr>() == Ok(addr),
            _ => host_written.eq_ignore_ascii_case(host),
        };
        if !host_kept {
            return err("write the host plainly: a name, a dotted-quad IPv4 address or a bracketed IPv6 address");
        }
        let port_written = port_written.strip_prefix(':');
        let port_kept = match (port, port_written) {
            (None, None) => true,
            (Some(p), Some(w)) => w == p.to_string(),
            (None, Some(w)) => w == scheme.default_port().to_string(),
            (Some(_), None) => false,
        };
        if !port_kept {
            return err("the port is not a number from 1 to 65535 in plain decimal");
        }
        Ok(CustomEndpoint {
            scheme,
            host: host.to_owned(),
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

/// The reason for a URL the WHATWG parser refused.
fn parse_error_reason(error: url::ParseError) -> &'static str {
    match error {
        url::ParseError::EmptyHost => "the host is empty",
        url::ParseError::InvalidPort => "the port is not a number from 1 to 65535",
        url::ParseError::InvalidIpv4Address => "the host is not a valid IPv4 address",
        url::ParseError::InvalidIpv6Address => {
            "the host is not a valid IPv6 address in brackets (zone IDs are not supported)"
        }
        url::ParseError::InvalidDomainCharacter | url::ParseError::IdnaError => {
            "the host has characters a host name cannot have"
        }
        _ => "not a URL",
    }
}

/// Host-name syntax (RFC 1123 labels), which the URL standard leaves to DNS.
fn check_host_name(name: &str) -> Result<(), EndpointError> {
    let err = |reason| Err(EndpointError { reason });
    if name.len() > 253 {
        return err("the host name is longer than 253 characters");
    }
    for label in name.split('.') {
        if label.is_empty() {
            return err("the host name has an empty label (two dots in a row, or a dot at its start or end)");
        }
        if label.len() > 63 {
            return err("a label of the host name is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return err("the host has characters a host name cannot have");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return err("a label of the host name starts or ends with a hyphen");
        }
    }
    Ok(())
}

impl Endpoint {
    /// Parses a custom base URL.
    pub fn custom(url: &str) -> Result<Self, EndpointError> {
        CustomEndpoint::parse(url).map(Endpoint::Custom)
    }

    /// The endpoint of `to` that goes with this endpoint of `from`: the default
    /// and regional forms are per service already; a custom URL whose host
    /// starts with `from`'s name as a whole label gets `to`'s name there
    /// (`https://cvm.ap-guangzhou.tencentcloudapi.com` for CVM is
    /// `https://sts.ap-guangzhou.tencentcloudapi.com` for STS), and any other
    /// custom URL (an address, an emulator, a gateway serving every service) is
    /// kept as it is.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{Endpoint, Service};
    /// let cvm = Endpoint::custom("https://cvm.internal.tencentcloudapi.com:8443")?;
    /// let (_, host) = cvm.for_service(Service::CVM, Service::STS).resolve(Service::STS, "ap-guangzhou");
    /// assert_eq!(host, "sts.internal.tencentcloudapi.com:8443");
    /// let emulator = Endpoint::custom("http://127.0.0.1:8080")?;
    /// assert_eq!(emulator.for_service(Service::CVM, Service::STS), emulator);
    /// # Ok::<(), tencentcloud_cvm_core::EndpointError>(())
    /// ```
    pub fn for_service(&self, from: Service, to: Service) -> Endpoint {
        match self {
            Endpoint::Default => Endpoint::Default,
            Endpoint::Regional => Endpoint::Regional,
            Endpoint::Custom(c) => {
                let host = match c.host.split_once('.') {
                    Some((first, rest)) if first == from.name() => {
                        format!("{}.{rest}", to.name())
                    }
                    _ => c.host.clone(),
                };
                Endpoint::Custom(CustomEndpoint {
                    scheme: c.scheme,
                    host,
                    port: c.port,
                })
            }
        }
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
    fn another_service_at_the_same_place() {
        let sts = |url: &str| {
            Endpoint::custom(url)
                .unwrap()
                .for_service(Service::CVM, Service::STS)
                .resolve(Service::STS, "ap-shanghai")
        };
        assert_eq!(
            sts("https://cvm.tencentcloudapi.com"),
            (Scheme::Https, "sts.tencentcloudapi.com".into())
        );
        assert_eq!(
            sts("cvm.intl.tencentcloudapi.com"),
            (Scheme::Https, "sts.intl.tencentcloudapi.com".into())
        );
        assert_eq!(
            sts("http://cvm.local:8080"),
            (Scheme::Http, "sts.local:8080".into())
        );
        // Only a whole first label names the service.
        for kept in [
            "https://cvmx.example.com",
            "https://api.cvm.example.com",
            "https://cvm",
            "http://127.0.0.1:9000",
            "https://[::1]:9443",
            "https://localhost:8443",
        ] {
            let (scheme, host) = Endpoint::custom(kept)
                .unwrap()
                .resolve(Service::CVM, "ap-shanghai");
            assert_eq!(sts(kept), (scheme, host), "{kept}");
        }
        for (given, expected) in [
            (Endpoint::Default, "sts.tencentcloudapi.com"),
            (Endpoint::Regional, "sts.ap-shanghai.tencentcloudapi.com"),
        ] {
            let (_, host) = given
                .for_service(Service::CVM, Service::STS)
                .resolve(Service::STS, "ap-shanghai");
            assert_eq!(host, expected);
        }
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

    fn reason(url: &str) -> String {
        match CustomEndpoint::parse(url) {
            Ok(e) => panic!("{url} accepted as {e:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn authority(url: &str) -> (Scheme, String) {
        let e = CustomEndpoint::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        (e.scheme(), e.authority())
    }

    #[test]
    fn the_scheme_is_case_insensitive() {
        assert_eq!(
            authority("HTTP://127.0.0.1:8080"),
            (Scheme::Http, "127.0.0.1:8080".into())
        );
        assert_eq!(
            authority("Https://CVM.Example"),
            (Scheme::Https, "cvm.example".into())
        );
        assert!(reason("HTTPX://h").contains("only http:// and https://"));
    }

    #[test]
    fn a_port_is_plain_decimal_from_1_to_65535() {
        for bad in [
            "http://127.0.0.1:+1",
            "http://h:-1",
            "http://h:0x50",
            "http://h:1e3",
        ] {
            assert!(reason(bad).contains("port"), "{bad}");
        }
        // Leading zeros and an empty port are refused rather than read as something else.
        assert!(reason("http://h:08080").contains("port"));
        assert!(reason("http://h:").contains("port"));
        assert!(reason("http://h:0").contains("port"));
        assert!(reason("http://h:65536").contains("port"));
        assert_eq!(authority("http://h:65535").1, "h:65535");
        assert_eq!(authority("http://h:1").1, "h:1");
        // The scheme's default port, written out, is dropped; the other one is kept.
        assert_eq!(authority("https://h:443").1, "h");
        assert_eq!(authority("https://h:80").1, "h:80");
    }

    #[test]
    fn host_names_are_rfc_1123_labels() {
        for (bad, why) in [
            ("http://a..b", "empty label"),
            ("http://.a", "empty label"),
            ("http://a.", "empty label"),
            ("http://-a", "hyphen"),
            ("http://a-", "hyphen"),
            ("http://a.-b.c", "hyphen"),
            ("http://a_b", "characters"),
            ("http://a!b", "characters"),
            ("http://a%2eb", "plainly"),
        ] {
            assert!(reason(bad).contains(why), "{bad}: {}", reason(bad));
        }
        let label63 = "a".repeat(63);
        assert_eq!(
            authority(&format!("http://{label63}.x")).1,
            format!("{label63}.x")
        );
        assert!(reason(&format!("http://{label63}a.x")).contains("63"));
        let name253 = [&*"a".repeat(61); 4].join(".") + ".abcde";
        assert_eq!(name253.len(), 253);
        assert_eq!(authority(&format!("http://{name253}")).1, name253);
        assert!(reason(&format!("http://{name253}a")).contains("253"));
        assert_eq!(authority("http://a-b.c0").1, "a-b.c0");
        assert_eq!(
            authority("http://xn--bcher-kva.example").1,
            "xn--bcher-kva.example"
        );
        assert!(reason("http://bücher.example").contains("xn--"));
    }

    #[test]
    fn ip_addresses_are_written_plainly() {
        assert_eq!(authority("http://127.0.0.1").1, "127.0.0.1");
        // Legacy IPv4 forms mean 127.0.0.1 to the URL standard, and something else to
        // some people and tools: refused.
        for bad in [
            "http://127.1",
            "http://0x7f.0.0.1",
            "http://2130706433",
            "http://0177.0.0.1",
        ] {
            assert!(reason(bad).contains("plainly"), "{bad}: {}", reason(bad));
        }
        assert!(reason("http://256.0.0.1").contains("IPv4"));
        assert_eq!(authority("http://[::1]").1, "[::1]");
        assert_eq!(authority("http://[0:0:0:0:0:0:0:1]:8080").1, "[::1]:8080");
        assert_eq!(authority("http://[FE80::1]").1, "[fe80::1]");
        assert!(reason("http://[fe80::1%25eth0]").contains("zone"));
        assert!(reason("http://[fe80::1%eth0]").contains("IPv6"));
        assert!(reason("http://[::1").contains("IPv6"));
        assert!(reason("http://[::g]").contains("IPv6"));
    }

    #[test]
    fn a_base_url_is_only_scheme_host_and_port() {
        for bad in [
            "http://h/p",
            "http://h//",
            "http://h/.",
            "http://h\\",
            "http://h?",
            "http://h?q=1",
            "http://h#",
            "http://h/#f",
            "http:///h",
        ] {
            assert!(
                reason(bad).contains("path, query or fragment"),
                "{bad}: {}",
                reason(bad)
            );
        }
        for bad in ["http://u@h", "http://u:p@h", "http://@h", "http://:@h"] {
            assert!(reason(bad).contains("user info"), "{bad}");
        }
        // Surrounding blanks are trimmed; inside, the standard would drop tabs and newlines.
        assert_eq!(authority("  http://h:8080/\n").1, "h:8080");
        for bad in ["http://lo\tcalhost", "http://h\n:80", "http://h :80"] {
            assert!(CustomEndpoint::parse(bad).is_err(), "{bad:?}");
        }
        assert!(reason("http://:80").contains("empty"));
    }
}
