//! [`ServiceConfig`]: the settings every request to one service in one region shares.

use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};

use http::{HeaderMap, Uri};

use crate::http::build_error::BuildError;
use crate::http::endpoint::{Endpoint, EndpointError};
use crate::http::headers::{
    CONTENT_TYPE_JSON, REQUEST_CLIENT, X_TC_ACTION, X_TC_CONTENT_SHA256, X_TC_LANGUAGE,
    X_TC_REGION, X_TC_REQUEST_CLIENT, X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_VERSION,
};
use crate::http::service::Service;
use crate::model::language::Language;
use crate::signing::{AuthorizationTail, PayloadSigning, SignedHeaders, UNSIGNED_PAYLOAD};

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
    /// The Authorization value's constant part after the date.
    pub(crate) authorization_tail: AuthorizationTail,
}

/// The endpoint as given: a value, or a URL parsed at build time.
#[derive(Clone, Debug)]
enum EndpointChoice {
    Value(Endpoint),
    Url(String),
}

/// Builder for [`ServiceConfig`].
#[derive(Clone, Debug)]
pub struct ServiceConfigBuilder {
    service: Service,
    region: String,
    endpoint: EndpointChoice,
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
    /// The region, e.g. `ap-guangzhou` (replacing the one given to [`ServiceConfig::builder`]).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }
    /// The endpoint (default: [`Endpoint::Default`], e.g. `cvm.tencentcloudapi.com`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = EndpointChoice::Value(endpoint);
        self
    }
    /// A custom base URL (`https://host[:port]`, or `http://` for a local
    /// emulator), checked by [`ServiceConfigBuilder::build`].
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = EndpointChoice::Url(url.into());
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
        let endpoint = match self.endpoint {
            EndpointChoice::Value(e) => e,
            EndpointChoice::Url(url) => Endpoint::custom(&url).map_err(BuildError::Endpoint)?,
        };
        let (scheme, host) = endpoint.resolve(self.service, &self.region);
        let url = format!("{}://{host}/", scheme.as_str());
        let uri: Uri = url
            .parse()
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let host_value = HeaderValue::from_str(&host)
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let region_value = HeaderValue::from_str(&self.region)
            .map_err(|_| BuildError::InvalidRegion(self.region.clone()))?;
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
        let authorization_tail =
            AuthorizationTail::new(self.service.name(), self.signed_headers.as_str());
        Ok(ServiceConfig {
            authorization_tail,
            service: self.service,
            region: self.region,
            endpoint,
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

impl ServiceConfig {
    /// Starts a builder for `region` (e.g. `ap-guangzhou`).
    pub fn builder(region: impl Into<String>) -> ServiceConfigBuilder {
        ServiceConfigBuilder {
            service: Service::CVM,
            region: region.into(),
            endpoint: EndpointChoice::Value(Endpoint::Default),
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
    fn every_region_and_host_reaches_the_request() {
        let credentials = Credentials::new("AKIDexample", "secret");
        let request = TerminateInstances::new(["ins-r8hr2upy"]).unwrap();
        let signer = Signer::new();
        for i in 0..8 {
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
