//! TC3-HMAC-SHA256 verification of a request, with the core's signing primitives.
//!
//! The order of checks, each with its error code:
//!
//! 1. `X-TC-Timestamp` is a decimal number → `InvalidParameter`
//! 2. the `Authorization` header parses → `AuthFailure.InvalidAuthorization`
//! 3. `SignedHeaders` names `content-type` and `host`, no name twice → `AuthFailure.InvalidAuthorization`
//! 4. the SecretId is configured → `AuthFailure.SecretIdNotFound`
//! 5. `X-TC-Timestamp` is within the allowed skew of the emulator's clock → `AuthFailure.SignatureExpire`
//! 6. the credential scope is `<UTC date of the timestamp>/<service>/tc3_request` (`cvm`, or
//!    `sts` for STS actions) → `AuthFailure.SignatureFailure`
//! 7. every signed header is present; the signature matches (constant-time) → `AuthFailure.SignatureFailure`
//! 8. the session token matches, if the credential has one → `AuthFailure.TokenFailure`
//! 9. a temporary key has not expired → `AuthFailure.TokenFailure`

use std::time::Duration;

use http::Request;
use subtle::ConstantTimeEq;
use tencentcloud_cvm_core::signing::{
    parse_authorization, payload_hash, utc_date, CanonicalRequest, Signer, StringToSign,
    UNSIGNED_PAYLOAD,
};
use tencentcloud_cvm_core::Credentials;

use crate::api::error::ApiError;
use crate::api::request_headers;
use crate::credential_services::temporary_credentials::TemporaryKeys;

/// What verification needs besides the request.
pub(crate) struct Verifier<'a> {
    pub(crate) credentials: &'a [Credentials],
    /// Temporary keys issued by the CVM role and STS, valid until they expire.
    pub(crate) temporary: &'a TemporaryKeys,
    /// The service the credential scope must name (`cvm`, `sts`).
    pub(crate) service: &'a str,
    pub(crate) signer: &'a Signer,
    pub(crate) clock_skew: Duration,
}

fn failure(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(code, message)
}

/// Up to 128 printable characters of untrusted text, for messages.
pub(crate) fn shown(text: &str) -> String {
    text.chars()
        .take(128)
        .flat_map(char::escape_default)
        .collect()
}

/// The SecretId named by an `Authorization` value, if it parses (for the access log).
pub(crate) fn secret_id_of(authorization: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(authorization).ok()?;
    parse_authorization(text)
        .ok()
        .map(|p| p.secret_id.to_owned())
}

impl Verifier<'_> {
    /// Verifies `request` at unix time `now_unix`, after checking that its
    /// `X-TC-Timestamp` is a number (`InvalidParameter`). Returns the credentials it
    /// was signed with.
    pub(crate) fn verify<'c>(
        &'c self,
        request: &Request<Vec<u8>>,
        now_unix: u64,
    ) -> Result<&'c Credentials, ApiError> {
        let timestamp = request_headers::timestamp(request.headers())?;
        let authorization = request
            .headers()
            .get("authorization")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        let text = std::str::from_utf8(authorization).map_err(|_| {
            failure(
                "AuthFailure.InvalidAuthorization",
                "The Authorization header is not valid text.",
            )
        })?;
        let parsed = parse_authorization(text).map_err(|e| {
            failure(
                "AuthFailure.InvalidAuthorization",
                format!("The Authorization header is invalid: {e}."),
            )
        })?;

        let mut names: Vec<String> = parsed
            .signed_headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(failure(
                "AuthFailure.InvalidAuthorization",
                "SignedHeaders names a header more than once.",
            ));
        }
        for required in ["content-type", "host"] {
            if names
                .binary_search_by(|n| n.as_str().cmp(required))
                .is_err()
            {
                return Err(failure(
                    "AuthFailure.InvalidAuthorization",
                    format!("SignedHeaders must include `{required}`."),
                ));
            }
        }

        let permanent = self
            .credentials
            .iter()
            .find(|c| c.secret_id() == parsed.secret_id);
        let temporary = match permanent {
            Some(_) => None,
            None => self.temporary.find(parsed.secret_id),
        };
        let credentials = permanent
            .or(temporary.map(|t| &t.credentials))
            .ok_or_else(|| {
                failure(
                    "AuthFailure.SecretIdNotFound",
                    format!(
                        "The SecretId `{}` is not found; check that it is correct and enabled.",
                        shown(parsed.secret_id)
                    ),
                )
            })?;

        if timestamp.abs_diff(now_unix) > self.clock_skew.as_secs() {
            return Err(failure(
                "AuthFailure.SignatureExpire",
                format!(
                    "The request timestamp {timestamp} differs from the server time {now_unix} \
                     by more than {} seconds.",
                    self.clock_skew.as_secs()
                ),
            ));
        }

        let date = utc_date(timestamp);
        if parsed.date != date.as_str() {
            return Err(failure(
                "AuthFailure.SignatureFailure",
                format!(
                    "The credential scope date `{}` is not the UTC date of the timestamp ({date}).",
                    shown(parsed.date)
                ),
            ));
        }
        if parsed.service != self.service {
            return Err(failure(
                "AuthFailure.SignatureFailure",
                format!(
                    "The credential scope service `{}` is not `{}`.",
                    shown(parsed.service),
                    self.service
                ),
            ));
        }

        let mut values: Vec<&str> = Vec::with_capacity(names.len());
        for name in &names {
            let value = request.headers().get(name.as_str()).ok_or_else(|| {
                failure(
                    "AuthFailure.SignatureFailure",
                    format!("The signed header `{}` is not in the request.", shown(name)),
                )
            })?;
            let value = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                failure(
                    "AuthFailure.SignatureFailure",
                    format!("The signed header `{name}` is not valid text."),
                )
            })?;
            values.push(value);
        }
        let headers: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(values.iter().copied())
            .collect();

        let unsigned = request
            .headers()
            .get("x-tc-content-sha256")
            .is_some_and(|v| v.as_bytes() == UNSIGNED_PAYLOAD.as_bytes());
        let body_hash = if unsigned {
            payload_hash(UNSIGNED_PAYLOAD.as_bytes())
        } else {
            payload_hash(request.body())
        };
        let query = request.uri().query().unwrap_or("");
        let canonical =
            CanonicalRequest::new(request.method().as_str(), query, &headers, body_hash);
        let string_to_sign = StringToSign::new(timestamp, date, self.service, canonical.hash());
        let expected = self
            .signer
            .signing_key(credentials.secret_key(), date, self.service)
            .sign(&string_to_sign);
        if !expected.verify(parsed.signature) {
            return Err(failure(
                "AuthFailure.SignatureFailure",
                "The request signature does not match the one computed by the server; \
                 check the SecretKey and how the request is signed.",
            ));
        }

        if let Some(expected_token) = credentials.token() {
            let given = request
                .headers()
                .get("x-tc-token")
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            // Lengths may differ (`ct_eq` is then false at once): only the token's
            // length can leak, never its content.
            if !bool::from(given.ct_eq(expected_token.expose().as_bytes())) {
                return Err(failure(
                    "AuthFailure.TokenFailure",
                    "The session token (X-TC-Token) is missing or invalid.",
                ));
            }
        }
        // The service answers an expired temporary key as a token failure.
        if let Some(t) = temporary.filter(|t| now_unix >= t.expires_at) {
            return Err(failure(
                "AuthFailure.TokenFailure",
                format!(
                    "The temporary credentials expired at {}; get new ones.",
                    crate::api::access_log::rfc3339(t.expires_at)
                ),
            ));
        }
        Ok(credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes_and_truncates() {
        assert_eq!(shown("a\nb"), "a\\nb");
        assert_eq!(shown(&"x".repeat(1000)).len(), 128);
    }
}
