//! The proxy the environment names for a request, read as curl reads it.
//!
//! | target    | variables, first set and non-empty wins                      |
//! |-----------|--------------------------------------------------------------|
//! | `http://`  | `http_proxy` (lower case only), then `all_proxy`, `ALL_PROXY` |
//! | `https://` | `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`   |
//!
//! `HTTP_PROXY` is not read, as curl does not read it: CGI servers put a request's
//! `Proxy:` header there ("httpoxy"). `no_proxy`, then `NO_PROXY`, lists the hosts that
//! go direct (see [`NoProxy::parse`]), and loopback hosts always go direct.

use super::no_proxy::{is_loopback, NoProxy};

/// A proxy URL and the variable it came from (named in errors instead of the URL,
/// which may hold a password).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvironmentProxy {
    pub(crate) variable: &'static str,
    pub(crate) url: String,
}

/// What the environment says about proxies, read once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EnvironmentProxies {
    pub(crate) http: Option<EnvironmentProxy>,
    pub(crate) https: Option<EnvironmentProxy>,
    no_proxy: NoProxy,
}

impl EnvironmentProxies {
    /// Reads the variables through `var` (the process environment, or a test's).
    pub(crate) fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|&variable| {
                let url = var(variable).filter(|v| !v.trim().is_empty())?;
                Some(EnvironmentProxy { variable, url })
            })
        };
        let all = ["all_proxy", "ALL_PROXY"];
        EnvironmentProxies {
            http: first(&["http_proxy"]).or_else(|| first(&all)),
            https: first(&["https_proxy", "HTTPS_PROXY"]).or_else(|| first(&all)),
            no_proxy: ["no_proxy", "NO_PROXY"]
                .iter()
                .find_map(|&name| var(name))
                .map(|list| NoProxy::parse(&list))
                .unwrap_or_default(),
        }
    }

    /// The proxy for a request to `host` (as in a URI) over HTTPS or plain HTTP, or
    /// `None` to go direct.
    pub(crate) fn for_target(&self, https: bool, host: &str) -> Option<&EnvironmentProxy> {
        if is_loopback(host) || self.no_proxy.matches(host) {
            return None;
        }
        if https {
            self.https.as_ref()
        } else {
            self.http.as_ref()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(vars: &[(&str, &str)]) -> EnvironmentProxies {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        EnvironmentProxies::read(|name| vars.get(name).cloned())
    }

    fn proxy(env: &EnvironmentProxies, https: bool, host: &str) -> Option<(&'static str, String)> {
        env.for_target(https, host)
            .map(|p| (p.variable, p.url.clone()))
    }

    #[test]
    fn each_scheme_reads_its_own_variables_then_all_proxy() {
        let env = read(&[
            ("http_proxy", "http://h:1"),
            ("https_proxy", "http://s:2"),
            ("ALL_PROXY", "http://a:3"),
        ]);
        assert_eq!(
            proxy(&env, false, "x.example"),
            Some(("http_proxy", "http://h:1".into()))
        );
        assert_eq!(
            proxy(&env, true, "x.example"),
            Some(("https_proxy", "http://s:2".into()))
        );
        let env = read(&[("HTTPS_PROXY", "http://S:2"), ("ALL_PROXY", "socks5://a:3")]);
        assert_eq!(
            proxy(&env, true, "x.example"),
            Some(("HTTPS_PROXY", "http://S:2".into()))
        );
        assert_eq!(
            proxy(&env, false, "x.example"),
            Some(("ALL_PROXY", "socks5://a:3".into()))
        );
        // The lower-case name wins over the upper-case one.
        let env = read(&[("all_proxy", "http://l:1"), ("ALL_PROXY", "http://u:2")]);
        assert_eq!(proxy(&env, true, "x.example").unwrap().0, "all_proxy");
    }

    #[test]
    fn upper_case_http_proxy_is_not_read() {
        let env = read(&[("HTTP_PROXY", "http://h:1")]);
        assert_eq!(proxy(&env, false, "x.example"), None);
        assert_eq!(proxy(&env, true, "x.example"), None);
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let env = read(&[("https_proxy", " "), ("all_proxy", "http://a:1")]);
        assert_eq!(proxy(&env, true, "x.example").unwrap().0, "all_proxy");
        assert_eq!(read(&[]), EnvironmentProxies::default());
    }

    #[test]
    fn no_proxy_and_loopback_go_direct() {
        let env = read(&[
            ("https_proxy", "http://p:1"),
            ("http_proxy", "http://p:1"),
            ("no_proxy", "internal.example,10.0.0.0/8"),
            ("NO_PROXY", "ignored.example"),
        ]);
        for (https, host) in [
            (true, "cvm.internal.example"),
            (false, "10.2.3.4"),
            (true, "localhost"),
            (false, "127.0.0.1"),
            (false, "[::1]"),
        ] {
            assert_eq!(proxy(&env, https, host), None, "{host}");
        }
        for host in ["cvm.tencentcloudapi.com", "ignored.example", "11.0.0.1"] {
            assert!(proxy(&env, true, host).is_some(), "{host}");
        }
        // Loopback goes direct even with an empty NO_PROXY.
        let env = read(&[("http_proxy", "http://p:1"), ("NO_PROXY", "")]);
        assert_eq!(proxy(&env, false, "localhost"), None);
        assert!(proxy(&env, false, "example.com").is_some());
    }
}
