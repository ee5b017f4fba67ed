//! Which hosts go direct although the environment names a proxy: loopback hosts, and
//! those a `NO_PROXY` list names, matched the way curl matches them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed `NO_PROXY` value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NoProxy {
    everything: bool,
    names: Vec<String>,
    networks: Vec<(IpAddr, u8)>,
}

impl NoProxy {
    /// Parses a comma-separated list (blanks around entries ignored): `*` matches every
    /// host; an IPv4 or IPv6 address (IPv6 without brackets), optionally with a CIDR
    /// `/bits`, matches an address host in that network; anything else is a domain that
    /// matches itself and its subdomains, a leading or trailing dot ignored.
    pub(crate) fn parse(list: &str) -> Self {
        let mut parsed = NoProxy::default();
        for entry in list.split([',', ' ', '\t']).filter(|e| !e.is_empty()) {
            if entry == "*" {
                parsed.everything = true;
            } else if let Some(network) = network(entry) {
                parsed.networks.push(network);
            } else {
                let name = entry.strip_prefix('.').unwrap_or(entry);
                let name = name.strip_suffix('.').unwrap_or(name);
                if !name.is_empty() {
                    parsed.names.push(name.to_ascii_lowercase());
                }
            }
        }
        parsed
    }

    /// Whether `host` (as in a URI: a name, an IPv4 address or a bracketed IPv6
    /// address) is on the list.
    pub(crate) fn matches(&self, host: &str) -> bool {
        if self.everything {
            return true;
        }
        match address(host) {
            Some(ip) => self
                .networks
                .iter()
                .any(|&(network, bits)| in_network(ip, network, bits)),
            None => {
                let host = host.strip_suffix('.').unwrap_or(host);
                self.names.iter().any(|name| {
                    host.len() >= name.len()
                        && host[host.len() - name.len()..].eq_ignore_ascii_case(name)
                        && (host.len() == name.len()
                            || host.as_bytes()[host.len() - name.len() - 1] == b'.')
                })
            }
        }
    }
}

/// Whether `host` is this machine's loopback: `localhost`, 127.0.0.0/8 or `::1` (also
/// as the IPv4-mapped `::ffff:127.x.y.z`). A proxy elsewhere would reach its own
/// loopback, not ours, so these are never proxied.
pub(crate) fn is_loopback(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match address(host) {
        Some(IpAddr::V4(v4)) => v4.is_loopback(),
        Some(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        None => false,
    }
}

/// The address a URI host is, if it is one.
fn address(host: &str) -> Option<IpAddr> {
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => host.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// An `address[/bits]` entry; a missing prefix length means the whole address.
fn network(entry: &str) -> Option<(IpAddr, u8)> {
    let (address, bits) = match entry.split_once('/') {
        Some((address, bits)) => (address, Some(bits.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let address: IpAddr = address.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    match bits {
        Some(bits) if bits > max => None,
        Some(bits) => Some((address, bits)),
        None => Some((address, max)),
    }
}

fn in_network(ip: IpAddr, network: IpAddr, bits: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_matches_itself_and_its_subdomains_only() {
        let list = NoProxy::parse("example.com");
        for host in [
            "example.com",
            "www.example.com",
            "a.b.EXAMPLE.com",
            "example.com.",
        ] {
            assert!(list.matches(host), "{host}");
        }
        for host in ["notexample.com", "example.com.org", "com", "example.co"] {
            assert!(!list.matches(host), "{host}");
        }
    }

    #[test]
    fn leading_and_trailing_dots_and_blanks_are_ignored() {
        let list = NoProxy::parse(" .example.com , internal. ,\tcorp ");
        for host in [
            "example.com",
            "a.example.com",
            "internal",
            "x.internal",
            "corp",
        ] {
            assert!(list.matches(host), "{host}");
        }
        assert!(!list.matches("internalx"));
    }

    #[test]
    fn a_star_matches_everything_and_an_empty_list_nothing() {
        assert!(NoProxy::parse("*").matches("anything.example"));
        assert!(NoProxy::parse("a.example, *").matches("[2001:db8::1]"));
        for empty in ["", " ", ",,", "."] {
            let list = NoProxy::parse(empty);
            assert!(!list.matches("example.com"), "{empty:?}");
            assert!(!list.matches("10.0.0.1"), "{empty:?}");
        }
    }

    #[test]
    fn addresses_match_addresses_and_networks() {
        let list = NoProxy::parse("10.1.2.3,192.168.0.0/16,2001:db8::/32,fe80::1");
        for host in ["10.1.2.3", "192.168.7.9", "[2001:db8:1::5]", "[fe80::1]"] {
            assert!(list.matches(host), "{host}");
        }
        for host in ["10.1.2.4", "192.169.0.1", "[2001:db9::1]", "[fe80::2]"] {
            assert!(!list.matches(host), "{host}");
        }
        // An address entry is not a domain: it does not match names that end in it.
        assert!(!list.matches("x.10.1.2.3"));
        // Nor does a name entry match an address.
        assert!(!NoProxy::parse("example.com").matches("10.1.2.3"));
        // /0 is every address of its family; a prefix too long for the family is no entry.
        assert!(NoProxy::parse("0.0.0.0/0").matches("203.0.113.7"));
        assert!(!NoProxy::parse("0.0.0.0/0").matches("[::2]"));
        assert!(!NoProxy::parse("10.0.0.0/33").matches("10.0.0.0"));
        assert!(!NoProxy::parse("10.0.0.0/x").matches("10.0.0.0"));
    }

    #[test]
    fn loopback_is_localhost_127_slash_8_and_ipv6_1() {
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "127.0.0.1",
            "127.255.0.9",
            "[::1]",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "localhost.example",
            "mylocalhost",
            "128.0.0.1",
            "[::2]",
            "[::ffff:10.0.0.1]",
            "cvm.tencentcloudapi.com",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
