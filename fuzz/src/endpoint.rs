//! The `endpoint_url` target: custom endpoint URLs as a user types them.

use tencentcloud_cvm_core::{CustomEndpoint, Endpoint, Scheme, Service, ServiceConfig};

/// Parses the input (as lossy UTF-8) as a custom endpoint URL.
///
/// What must hold: parsing never panics; an accepted URL names a lower-case
/// host with no user info, path, query or fragment left in its authority;
/// parsing its own canonical form gives it back unchanged; and a
/// configuration built on it makes a request URI and `Host` header (the
/// service config builder would refuse the endpoint otherwise).
pub fn endpoint_url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(endpoint) = CustomEndpoint::parse(&text) else {
        return;
    };
    let authority = endpoint.authority();
    assert!(!endpoint.host().is_empty(), "{text:?}");
    assert!(
        !endpoint.host().bytes().any(|b| b.is_ascii_uppercase()),
        "host not lower case: {text:?} -> {authority}"
    );
    assert!(
        !authority.contains(['/', '?', '#', '@', ' ', '\t', '\r', '\n', '%']),
        "{text:?} -> {authority}"
    );
    let scheme = match endpoint.scheme() {
        Scheme::Http => "http",
        Scheme::Https => "https",
    };
    let canonical = format!("{scheme}://{authority}");
    assert_eq!(
        CustomEndpoint::parse(&canonical).as_ref(),
        Ok(&endpoint),
        "{text:?} -> {canonical}"
    );
    let (resolved_scheme, host) =
        Endpoint::Custom(endpoint.clone()).resolve(Service::CVM, "ap-guangzhou");
    assert_eq!(resolved_scheme, endpoint.scheme());
    assert_eq!(host, authority);
    let config = ServiceConfig::builder("ap-guangzhou")
        .endpoint(Endpoint::Custom(endpoint))
        .build();
    assert!(config.is_ok(), "{text:?}: {config:?}");
}
