//! Per-client request settings and the signed `http::Request` they produce.

use std::fmt;

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use http::{HeaderMap, Request, Uri};

use crate::credentials::Credentials;
use crate::endpoint::{Endpoint, EndpointError};
use crate::signing::{
    PayloadSigning, SignedHeaders, Signer, SigningError, SigningParams, UNSIGNED_PAYLOAD,
};
use crate::terminate::{TerminateInstances, ACTION, VERSION};

/// The `Content-Type` this crate sends, as the official SDKs do.
pub const CONTENT_TYPE_JSON: &str = "application/json";
/// `X-TC-RequestClient`: this crate's name and version.
pub const REQUEST_CLIENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
static X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
static X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");

/// The language of error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// `zh-CN`.
    ZhCn,
    /// `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }

    /// Parses `zh-CN` or `en-US`.
    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "zh-CN" => Some(Language::ZhCn),
            "en-US" => Some(Language::EnUs),
            _ => None,
        }
    }
}

/// Why a request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The region is empty or holds characters a region cannot have.
    InvalidRegion(String),
    /// The endpoint URL was refused.
    Endpoint(EndpointError),
    /// The session token or SecretId cannot be sent in a header (control characters).
    /// The value is not repeated here.
    InvalidCredentialCharacters(&'static str),
    /// The signing parameters were refused.
    Signing(SigningError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidRegion(r) => write!(
                f,
                "invalid region `{}`: expected lowercase letters, digits and '-', e.g. ap-guangzhou",
                r.escape_debug()
            ),
            BuildError::Endpoint(e) => e.fmt(f),
            BuildError::InvalidCredentialCharacters(what) => {
                write!(f, "the {what} contains characters that cannot be sent in a header")
            }
            BuildError::Signing(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Endpoint(e) => Some(e),
            BuildError::Signing(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SigningError> for BuildError {
    fn from(e: SigningError) -> Self {
        BuildError::Signing(e)
    }
}

/// Everything about a request that does not change from call to call:
/// region, endpoint, language, signing options. Header values are prepared once.
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
    region: String,
    endpoint: Endpoint,
    language: Option<Language>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
    host: String,
    uri: Uri,
    /// The headers every request carries, prepared once; each request clones
    /// them (no hashing) and adds its own.
    base_headers: HeaderMap,
}

/// Builder for [`ServiceConfig`].
#[derive(Clone, Debug)]
pub struct ServiceConfigBuilder {
    region: String,
    endpoint: Endpoint,
    language: Option<Language>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
}

impl ServiceConfigBuilder {
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
        let (scheme, host) = self.endpoint.resolve(&self.region);
        let uri: Uri = format!("{}://{host}/", scheme.as_str())
            .parse()
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let host_value = HeaderValue::from_str(&host)
            .map_err(|_| BuildError::Endpoint(EndpointError::invalid_host()))?;
        let region_value = HeaderValue::from_str(&self.region)
            .map_err(|_| BuildError::InvalidRegion(self.region.clone()))?;
        let mut base_headers = HeaderMap::with_capacity(12);
        base_headers.insert(HOST, host_value);
        base_headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        base_headers.insert(X_TC_VERSION.clone(), HeaderValue::from_static(VERSION));
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
        // Placeholders, overwritten in every request: replacing a value in a
        // cloned map neither rehashes nor grows it.
        base_headers.insert(X_TC_ACTION.clone(), HeaderValue::from_static(""));
        base_headers.insert(X_TC_TIMESTAMP.clone(), HeaderValue::from_static(""));
        base_headers.insert(AUTHORIZATION, HeaderValue::from_static(""));
        Ok(ServiceConfig {
            region: self.region,
            endpoint: self.endpoint,
            language: self.language,
            signed_headers: self.signed_headers,
            payload_signing: self.payload_signing,
            host,
            uri,
            base_headers,
        })
    }
}

impl ServiceConfig {
    /// Starts a builder for `region` (e.g. `ap-guangzhou`).
    pub fn builder(region: impl Into<String>) -> ServiceConfigBuilder {
        ServiceConfigBuilder {
            region: region.into(),
            endpoint: Endpoint::Default,
            language: None,
            signed_headers: SignedHeaders::default(),
            payload_signing: PayloadSigning::default(),
        }
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

    /// Signing parameters for `action` with `body` at `timestamp` (for inspecting intermediates).
    pub fn signing_params<'a>(
        &'a self,
        action: &'a str,
        body: &'a [u8],
        timestamp: u64,
    ) -> Result<SigningParams<'a>, SigningError> {
        SigningParams::builder()
            .host(&self.host)
            .action(action)
            .content_type(CONTENT_TYPE_JSON)
            .payload(body)
            .timestamp(timestamp)
            .signed_headers(self.signed_headers)
            .payload_signing(self.payload_signing)
            .build()
    }

    /// Builds and signs a `POST /` for any CVM action (version 2017-03-12) with a JSON `body`.
    ///
    /// `action` must be an API action name (ASCII letters and digits), e.g. `TerminateInstances`.
    pub fn build_request(
        &self,
        action: &'static str,
        body: Vec<u8>,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(BuildError::Signing(SigningError::InvalidValue("action")));
        }
        // The host was validated when this config was built, the content type is
        // constant and the action was just checked: skip the builder's checks.
        let params = SigningParams::builder()
            .content_type(CONTENT_TYPE_JSON)
            .payload(&body)
            .signed_headers(self.signed_headers)
            .payload_signing(self.payload_signing)
            .build_prevalidated(&self.host, action, timestamp);
        let (signature, date) = signer.signature_and_date(&params, credentials);
        let authorization = crate::signing::authorization_bytes(
            credentials.secret_id(),
            date,
            params.service(),
            self.signed_headers.as_str(),
            &signature,
        );
        let mut authorization = HeaderValue::try_from(authorization)
            .map_err(|_| BuildError::InvalidCredentialCharacters("SecretId"))?;
        authorization.set_sensitive(true);

        let mut headers = self.base_headers.clone();
        for (name, value) in [
            (&X_TC_ACTION, HeaderValue::from_static(action)),
            (&X_TC_TIMESTAMP, HeaderValue::from(timestamp)),
            (&AUTHORIZATION, authorization),
        ] {
            if let Some(slot) = headers.get_mut(name) {
                *slot = value;
            }
        }
        if let Some(token) = credentials.token() {
            let mut value = HeaderValue::from_str(token.expose())
                .map_err(|_| BuildError::InvalidCredentialCharacters("session token"))?;
            value.set_sensitive(true);
            headers.insert(X_TC_TOKEN.clone(), value);
        }

        let mut request = Request::new(body);
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Builds and signs a TerminateInstances request.
    pub fn terminate_instances(
        &self,
        request: &TerminateInstances,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        self.build_request(ACTION, request.to_body(), timestamp, credentials, signer)
    }
}
