//! The header names and fixed header values of an API 3.0 request.

use http::header::HeaderName;

/// The `Content-Type` this crate sends, as the official SDKs do.
pub const CONTENT_TYPE_JSON: &str = "application/json";
/// `X-TC-RequestClient`: this crate's name and version.
pub const REQUEST_CLIENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

pub(crate) static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
pub(crate) static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
pub(crate) static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
pub(crate) static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
pub(crate) static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
pub(crate) static X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
pub(crate) static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
pub(crate) static X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");
