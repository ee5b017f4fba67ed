//! Signing parameters: everything TC3 signs, as a small builder.

use std::fmt;

use super::canonical_request::{payload_hash, CanonicalRequest};
use super::date::{utc_date, UtcDate};
use super::string_to_sign::{Decimal, StringToSign};

/// The HTTP method of a signed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Method {
    /// `POST` with a JSON body (the default, and what this crate sends).
    #[default]
    Post,
    /// `GET` with the parameters in the query string and an empty body.
    Get,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Get => "GET",
        }
    }
}

/// Which headers the signature covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignedHeaders {
    /// `content-type;host;x-tc-action`, as the current public documentation signs.
    #[default]
    ContentTypeHostAction,
    /// `content-type;host`, as the official SDKs sign.
    ContentTypeHost,
}

impl SignedHeaders {
    /// The `SignedHeaders` list as it appears in the Authorization header.
    pub fn as_str(self) -> &'static str {
        match self {
            SignedHeaders::ContentTypeHostAction => "content-type;host;x-tc-action",
            SignedHeaders::ContentTypeHost => "content-type;host",
        }
    }
}

/// Whether the payload is hashed into the signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PayloadSigning {
    /// The SHA-256 of the body is signed (the default).
    #[default]
    Signed,
    /// The body is not signed; the request carries `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`
    /// and the literal string `UNSIGNED-PAYLOAD` is hashed in its place.
    Unsigned,
}

/// The value of `X-TC-Content-SHA256` for [`PayloadSigning::Unsigned`].
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Why signing parameters were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// A required parameter was not given.
    Missing(&'static str),
    /// A parameter holds a character that cannot appear in a header (CR, LF or another control).
    InvalidValue(&'static str),
    /// A `GET` request was given a body; `GET` parameters go in the query string.
    BodyWithGet,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::Missing(what) => write!(f, "signing parameter `{what}` is required"),
            SigningError::InvalidValue(what) => {
                write!(f, "signing parameter `{what}` contains a control character")
            }
            SigningError::BodyWithGet => f.write_str("a GET request cannot carry a body"),
        }
    }
}

impl std::error::Error for SigningError {}

/// Everything a TC3-HMAC-SHA256 signature covers, for any action of any service.
///
/// ```
/// use tencentcloud_cvm_core::signing::{SigningParams, SignedHeaders};
/// let body = br#"{"InstanceIds":["ins-r8hr2upy"]}"#;
/// let params = SigningParams::builder()
///     .host("cvm.tencentcloudapi.com")
///     .action("TerminateInstances")
///     .content_type("application/json")
///     .payload(body)
///     .timestamp(1551113065)
///     .signed_headers(SignedHeaders::ContentTypeHost)
///     .build()?;
/// assert!(params.canonical_request().to_string().starts_with("POST\n/\n\ncontent-type:application/json\n"));
/// assert!(params.string_to_sign().to_string().contains("2019-02-25/cvm/tc3_request"));
/// # Ok::<(), tencentcloud_cvm_core::signing::SigningError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    method: Method,
    host: &'a str,
    query: &'a str,
    content_type: &'a str,
    payload: &'a [u8],
    action: &'a str,
    service: &'a str,
    timestamp: u64,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
}

/// Builder for [`SigningParams`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SigningParamsBuilder<'a> {
    method: Method,
    host: Option<&'a str>,
    query: &'a str,
    content_type: Option<&'a str>,
    payload: &'a [u8],
    action: Option<&'a str>,
    service: Option<&'a str>,
    timestamp: Option<u64>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
}

impl<'a> SigningParams<'a> {
    /// Starts a builder. Required: host, action, timestamp.
    pub fn builder() -> SigningParamsBuilder<'a> {
        SigningParamsBuilder::default()
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }
    /// The `Host` header value.
    pub fn host(&self) -> &'a str {
        self.host
    }
    /// The canonical query string (empty for POST).
    pub fn query(&self) -> &'a str {
        self.query
    }
    /// The `Content-Type` header value.
    pub fn content_type(&self) -> &'a str {
        self.content_type
    }
    /// The body bytes.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
    /// The `X-TC-Action` value.
    pub fn action(&self) -> &'a str {
        self.action
    }
    /// The service name in the credential scope (`cvm`).
    pub fn service(&self) -> &'a str {
        self.service
    }
    /// The `X-TC-Timestamp` value, seconds since the Unix epoch.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }
    /// The UTC date of the timestamp, used in the credential scope.
    pub fn date(&self) -> UtcDate {
        utc_date(self.timestamp)
    }
    /// The timestamp's decimal digits.
    pub(crate) fn timestamp_digits(&self) -> Decimal {
        Decimal::new(self.timestamp)
    }
    /// Which headers are signed.
    pub fn signed_headers(&self) -> SignedHeaders {
        self.signed_headers
    }
    /// Whether the payload is signed.
    pub fn payload_signing(&self) -> PayloadSigning {
        self.payload_signing
    }

    /// The canonical request (render it with `to_string()` to debug a signature mismatch).
    pub fn canonical_request(&self) -> CanonicalRequest<'a> {
        let hash = match self.payload_signing {
            PayloadSigning::Signed => payload_hash(self.payload),
            PayloadSigning::Unsigned => payload_hash(UNSIGNED_PAYLOAD.as_bytes()),
        };
        self.canonical_request_with(hash)
    }

    /// The canonical request with an already computed payload hash.
    pub(crate) fn canonical_request_with(&self, hash: [u8; 64]) -> CanonicalRequest<'a> {
        let headers = [
            ("content-type", self.content_type),
            ("host", self.host),
            ("x-tc-action", self.action),
        ];
        let len = match self.signed_headers {
            SignedHeaders::ContentTypeHostAction => 3,
            SignedHeaders::ContentTypeHost => 2,
        };
        CanonicalRequest::inline(self.method.as_str(), self.query, headers, len, hash)
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> StringToSign<'a> {
        StringToSign::from_parts(
            self.timestamp_digits(),
            self.date(),
            self.service,
            self.canonical_request().hash(),
        )
    }
}

fn header_safe(value: &str) -> bool {
    !value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

impl<'a> SigningParamsBuilder<'a> {
    /// The method (default `POST`).
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
    /// The `Host` header value, e.g. `cvm.tencentcloudapi.com` (with `:port` when not default).
    pub fn host(mut self, host: &'a str) -> Self {
        self.host = Some(host);
        self
    }
    /// The canonical query string for `GET` (already URL-encoded).
    pub fn query(mut self, query: &'a str) -> Self {
        self.query = query;
        self
    }
    /// The `Content-Type` (default `application/json` for POST,
    /// `application/x-www-form-urlencoded` for GET).
    pub fn content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = Some(content_type);
        self
    }
    /// The body bytes, exactly as sent.
    pub fn payload(mut self, payload: &'a [u8]) -> Self {
        self.payload = payload;
        self
    }
    /// The action, e.g. `TerminateInstances`.
    pub fn action(mut self, action: &'a str) -> Self {
        self.action = Some(action);
        self
    }
    /// The service in the credential scope (default `cvm`).
    pub fn service(mut self, service: &'a str) -> Self {
        self.service = Some(service);
        self
    }
    /// The request time, seconds since the Unix epoch.
    pub fn timestamp(mut self, timestamp: u64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
    /// Which headers to sign (default `content-type;host;x-tc-action`).
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }
    /// Whether to sign the payload (default: signed).
    pub fn payload_signing(mut self, payload_signing: PayloadSigning) -> Self {
        self.payload_signing = payload_signing;
        self
    }

    /// Produces [`SigningParams`] from values the caller has already checked
    /// (a [`crate::ServiceConfig`] validates its host once, when it is built).
    pub(crate) fn build_prevalidated(
        self,
        host: &'a str,
        action: &'a str,
        timestamp: u64,
    ) -> SigningParams<'a> {
        SigningParams {
            method: self.method,
            host,
            query: self.query,
            content_type: self.content_type.unwrap_or("application/json"),
            payload: self.payload,
            action,
            service: self.service.unwrap_or("cvm"),
            timestamp,
            signed_headers: self.signed_headers,
            payload_signing: self.payload_signing,
        }
    }

    /// Checks the parameters and produces [`SigningParams`].
    pub fn build(self) -> Result<SigningParams<'a>, SigningError> {
        let host = self
            .host
            .filter(|h| !h.is_empty())
            .ok_or(SigningError::Missing("host"))?;
        let action = self
            .action
            .filter(|a| !a.is_empty())
            .ok_or(SigningError::Missing("action"))?;
        let timestamp = self.timestamp.ok_or(SigningError::Missing("timestamp"))?;
        let service = self.service.unwrap_or("cvm");
        if service.is_empty() {
            return Err(SigningError::Missing("service"));
        }
        let content_type = self.content_type.unwrap_or(match self.method {
            Method::Post => "application/json",
            Method::Get => "application/x-www-form-urlencoded",
        });
        if self.method == Method::Get && !self.payload.is_empty() {
            return Err(SigningError::BodyWithGet);
        }
        for (name, value) in [
            ("host", host),
            ("action", action),
            ("service", service),
            ("content_type", content_type),
            ("query", self.query),
        ] {
            if !header_safe(value) {
                return Err(SigningError::InvalidValue(name));
            }
        }
        Ok(SigningParams {
            method: self.method,
            host,
            query: self.query,
            content_type,
            payload: self.payload,
            action,
            service,
            timestamp,
            signed_headers: self.signed_headers,
            payload_signing: self.payload_signing,
        })
    }
}
