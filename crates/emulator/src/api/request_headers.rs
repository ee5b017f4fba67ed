//! The `X-TC-*` headers of an API 3.0 request, read the same way by CVM and STS: so
//! both answer a missing header or a bad timestamp with the same code and message.

use http::HeaderMap;

use crate::api::auth::shown;
use crate::api::error::ApiError;

/// `MissingParameter` for the first of `names` not in `headers`.
pub(crate) fn require(headers: &HeaderMap, names: &[&str]) -> Result<(), ApiError> {
    match names.iter().find(|name| !headers.contains_key(**name)) {
        Some(name) => Err(ApiError::new(
            "MissingParameter",
            format!("The request is missing the required header `{name}`."),
        )),
        None => Ok(()),
    }
}

/// The header `name` as text (invalid UTF-8 replaced), if present.
pub(crate) fn text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// `X-TC-Timestamp`, which must be decimal Unix seconds (`InvalidParameter`).
pub(crate) fn timestamp(headers: &HeaderMap) -> Result<u64, ApiError> {
    let text = text(headers, "x-tc-timestamp").unwrap_or_default();
    text.parse().map_err(|_| {
        ApiError::new(
            "InvalidParameter",
            format!(
                "The header `X-TC-Timestamp` must be a Unix timestamp in seconds, not `{}`.",
                shown(&text)
            ),
        )
    })
}
