//! [`ServiceConfig`]: the settings every request to one service in one region shares.

use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use std::sync::{Mutex, PoisonError};

use http::{HeaderMap, Uri};

use crate::build_error::BuildError;
use crate::endpoint::{Endpoint, EndpointError};
use crate::headers::{
    CONTENT_TYPE_JSON, REQUEST_CLIENT, X_TC_ACTION, X_TC_CONTENT_SHA256, X_TC_LANGUAGE,
    X_TC_REGION, X_TC_REQUEST_CLIENT, X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_VERSION,
};
use crate::language::Language;
use crate::service::Service;
use crate::signing::{PayloadSigning, SignedHeaders, UNSIGNED_PAYLOAD};

/// Everything about a request that does not change from call to call:
/// service, region, endpoint, language, signing options. Header values are
/// prepared once.
///
/// ```
/// use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateInstances, signing::Signer};
/// let config = ServiceConfig::builder("ap-guangzhou").build()?;
/// let req = TerminateInstances::new(["ins-r8hr2upy"])?;
/// let http = config.terminate_instances(&req, 1551113065, &Credentials::new("AKID", "key"), &Signer::new())?;
/// assert_eq!(http.uri(), "https://cvm.tencentcloudapi.com/");
/// assert_eq!(http.headers()["x-tc-action"], "TerminateInstances");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    service: Service,
    region: String,
    endpoint: Endpoint,
    language: Option<Language>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
    pub(crate) host: String,
    pub(crate) uri: Uri,
    /// The headers every request carries, prepared once, with placeholders for
    /// the per-request ones last: each request clones the map (no hashing, no
    /// growth) and overwrites the placeholders in place.
    pub(crate) base_headers: HeaderMap,
    /// The same with a placeholder for `X-TC-Token`, for temporary credentials.
    pub(crate) base_headers_with_token: HeaderMap,
}

/// Builder for [`ServiceConfig`].
#[derive(Clone, Debug)]
pub struct ServiceConfigBuilder {
    service: Service,
    region: String,
    endpoint: Endpoint,
    language: Option<Language>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
}

impl ServiceConfigBuilder {
    /// The product and API version (default: [`Service::CVM`]).
    pub fn service(mut self, service: Service) -> Self {
        self.service = service;
        self
    }
    /// The endpoint (default: `cvm.tencentcloudapi.com`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }
    /// The language of error messages (default: not sent; the service answers in its default).
    pub fn language(mut self, language: Option<Language>) -> Self {
        self.language = language;
        self
    }
    /// Which headers to sign (default: `content-type;host;x-tc-action`).
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }
    /// Whether to sign the payload (default: signed).
    pub fn payload_signing(mut self, payload_signing: PayloadSigning) -> Self {
        self.payload_signing = payload_signing;
        self
    }

    /// Checks the region and prepares the URL and header values.
    pub fn build(self) -> Result<ServiceConfig, BuildError> {
        let region_ok = !self.region.is_empty()
            && self.region.len() <= 64
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok {
            return Err(BuildError::InvalidRegion(
                self.region.chars().take(64).collect(),
            ));
        }
        let (scheme, host) = self.endpoint.resolve(self.service, &self.region);
        let url = format!("{}://{host}/", scheme.as_str());
        let uri: Uri = url
            .parse()
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let host_value = HeaderValue::from_str(&host)
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let region_value = HeaderValue::from_str(&self.region)
            .map_err(|_| BuildError::InvalidRegion(self.region.clone()))?;
        // Parsed just above, and interned strings are printable ASCII: the
        // `from_static`s cannot panic.
        let (uri, host_value, region_value) =
            match (interned(&url), interned(&host), interned(&self.region)) {
                (Some(url), Some(host), Some(region)) => (
                    Uri::from_static(url),
                    HeaderValue::from_static(host),
                    HeaderValue::from_static(region),
                ),
                _ => (uri, host_value, region_value),
            };
        let mut base_headers = HeaderMap::with_capacity(12);
        base_headers.insert(HOST, host_value);
        base_headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        base_headers.insert(
            X_TC_VERSION.clone(),
            HeaderValue::from_static(self.service.version()),
        );
        base_headers.insert(X_TC_REGION.clone(), region_value);
        base_headers.insert(
            X_TC_REQUEST_CLIENT.clone(),
            HeaderValue::from_static(REQUEST_CLIENT),
        );
        if let Some(language) = self.language {
            base_headers.insert(
                X_TC_LANGUAGE.clone(),
                HeaderValue::from_static(language.as_str()),
            );
        }
        if self.payload_signing == PayloadSigning::Unsigned {
            base_headers.insert(
                X_TC_CONTENT_SHA256.clone(),
                HeaderValue::from_static(UNSIGNED_PAYLOAD),
            );
        }
        // Placeholders, overwritten in every request, last and in this order
        // (`set_per_request` finds them by position): replacing a value in a
        // cloned map neither rehashes nor grows it.
        base_headers.insert(X_TC_ACTION.clone(), HeaderValue::from_static(""));
        base_headers.insert(X_TC_TIMESTAMP.clone(), HeaderValue::from_static(""));
        base_headers.insert(AUTHORIZATION, HeaderValue::from_static(""));
        let mut base_headers_with_token = base_headers.clone();
        base_headers_with_token.insert(X_TC_TOKEN.clone(), HeaderValue::from_static(""));
        Ok(ServiceConfig {
            service: self.service,
            region: self.region,
            endpoint: self.endpoint,
            language: self.language,
            signed_headers: self.signed_headers,
            payload_signing: self.payload_signing,
            host,
            uri,
            base_headers,
            base_headers_with_token,
        })
    }
}

/// `s` as a `&'static str`, from a small process-wide table that keeps each
/// distinct string once (at most [`INTERNED_MAX`] strings of at most
/// [`INTERNED_MAX_LEN`] bytes, printable ASCII only; `None` otherwise).
///
/// Why: every request clones the URL and the `Host` and `X-TC-Region` values. Built
/// from owned strings they are reference-counted, and each clone and drop is an
/// atomic read-modify-write: six per request, 90 ns of a 600 ns 1-ID build on the
/// benchmark machine. Built from `'static` strings they are copied without atomics.
/// A process talks to few endpoints and regions, so the table stays tiny; past its
/// bound, configs fall back to owned values (slower, same requests).
fn interned(s: &str) -> Option<&'static str> {
    static TABLE: Mutex<Interned> = Mutex::new(Interned(Vec::new()));
    TABLE.lock().unwrap_or_else(PoisonError::into_inner).get(s)
}

/// The strings [`interned`] keeps.
struct Interned(Vec<&'static str>);

impl Interned {
    fn get(&mut self, s: &str) -> Option<&'static str> {
        // Printable ASCII only: `HeaderValue::from_static` panics on other bytes that
        // `HeaderValue::from_str` accepts, and what is interned goes to `from_static`.
        if s.len() > INTERNED_MAX_LEN || !s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return None;
        }
        if let Some(found) = self.0.iter().find(|t| **t == s) {
            return Some(found);
        }
        if self.0.len() >= INTERNED_MAX {
            return None;
        }
        let kept: &'static str = Box::leak(s.into());
        self.0.push(kept);
        Some(kept)
    }
}

/// How many distinct strings [`interned`] keeps.
const INTERNED_MAX: usize = 64;
/// The longest string [`interned`] keeps.
const INTERNED_MAX_LEN: usize = 128;

impl ServiceConfig {
    /// Starts a builder for `region` (e.g. `ap-guangzhou`).
    pub fn builder(region: impl Into<String>) -> ServiceConfigBuilder {
        ServiceConfigBuilder {
            service: Service::CVM,
            region: region.into(),
            endpoint: Endpoint::Default,
            language: None,
            signed_headers: SignedHeaders::default(),
            payload_signing: PayloadSigning::default(),
        }
    }

    /// The product and API version.
    pub fn service(&self) -> Service {
        self.service
    }
    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }
    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
    /// The `Host` header value.
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The request URL.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }
    /// The language, if set.
    pub fn language(&self) -> Option<Language> {
        self.language
    }
    /// Which headers are signed.
    pub fn signed_headers(&self) -> SignedHeaders {
        self.signed_headers
    }
    /// Whether the body is signed.
    pub fn payload_signing(&self) -> PayloadSigning {
        self.payload_signing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::Signer;
    use crate::{Credentials, TerminateInstances};

    #[test]
    fn interned_keeps_one_copy_of_each_string_up_to_its_bound() {
        let mut table = Interned(Vec::new());
        let a = table.get("a").unwrap();
        let b = table.get(&String::from("a")).unwrap();
        assert!(std::ptr::eq(a, b));
        assert!(table.get(&"x".repeat(INTERNED_MAX_LEN + 1)).is_none());
        assert!(table.get("caf\u{e9}").is_none());
        assert!(table.get("tab\there").is_none());
        for i in 1..INTERNED_MAX {
            assert!(table.get(&format!("fill-{i}")).is_some());
        }
        assert!(table.get("one too many").is_none());
        assert!(std::ptr::eq(table.get("a").unwrap(), a));
        assert_eq!(table.0.len(), INTERNED_MAX);
    }

    #[test]
    fn configs_past_the_intern_bound_build_the_same_requests() {
        let credentials = Credentials::new("AKIDexample", "secret");
        let request = TerminateInstances::new(["ins-r8hr2upy"]).unwrap();
        let signer = Signer::new();
        for i in 0..(INTERNED_MAX + 8) {
            let region = format!("test-region-{i}");
            let config = ServiceConfig::builder(region.as_str())
                .endpoint(Endpoint::Regional)
                .build()
                .unwrap();
            let http = config
                .terminate_instances(&request, 1_700_000_000, &credentials, &signer)
                .unwrap();
            let host = format!("cvm.{region}.tencentcloudapi.com");
            assert_eq!(http.uri().to_string(), format!("https://{host}/"));
            assert_eq!(http.headers()["host"], host.as_str());
            assert_eq!(http.headers()["x-tc-region"], region.as_str());
        }
    }
}
