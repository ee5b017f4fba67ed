//! Parsing a received `Authorization` header (what a verifier such as the emulator needs).

use std::fmt;

use super::string_to_sign::ALGORITHM;

/// The parts of a TC3 `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAuthorization<'a> {
    /// The SecretId.
    pub secret_id: &'a str,
    /// The credential-scope date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The service in the credential scope.
    pub service: &'a str,
    /// The signed header names, lowercase, in the order given.
    pub signed_headers: Vec<&'a str>,
    /// The signature (hex).
    pub signature: &'a str,
}

/// Why an `Authorization` header could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizationParseError {
    /// Not `TC3-HMAC-SHA256 ...`.
    Algorithm,
    /// A `Credential`, `SignedHeaders` or `Signature` part is missing or malformed.
    Malformed(&'static str),
}

impl fmt::Display for AuthorizationParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthorizationParseError::Algorithm => {
                write!(f, "Authorization does not use {ALGORITHM}")
            }
            AuthorizationParseError::Malformed(what) => {
                write!(f, "Authorization has a missing or malformed {what}")
            }
        }
    }
}

impl std::error::Error for AuthorizationParseError {}

/// Parses `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<a;b>, Signature=<hex>`.
///
/// ```
/// use tencentcloud_cvm_core::signing::parse_authorization;
/// let a = parse_authorization("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168").unwrap();
/// assert_eq!(a.secret_id, "AKID");
/// assert_eq!(a.signed_headers, ["content-type", "host"]);
/// ```
pub fn parse_authorization(
    value: &str,
) -> Result<ParsedAuthorization<'_>, AuthorizationParseError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(AuthorizationParseError::Algorithm)?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        } else {
            return Err(AuthorizationParseError::Malformed("part"));
        }
    }
    let credential = credential.ok_or(AuthorizationParseError::Malformed("Credential"))?;
    let mut scope = credential.split('/');
    let (Some(secret_id), Some(date), Some(service), Some("tc3_request"), None) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(AuthorizationParseError::Malformed("Credential"));
    };
    if secret_id.is_empty() || date.len() != 10 || service.is_empty() {
        return Err(AuthorizationParseError::Malformed("Credential"));
    }
    let signed = signed.ok_or(AuthorizationParseError::Malformed("SignedHeaders"))?;
    let signed_headers: Vec<&str> = signed.split(';').collect();
    if signed_headers.iter().any(|h| h.is_empty()) {
        return Err(AuthorizationParseError::Malformed("SignedHeaders"));
    }
    let signature = signature.ok_or(AuthorizationParseError::Malformed("Signature"))?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AuthorizationParseError::Malformed("Signature"));
    }
    Ok(ParsedAuthorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature,
    })
}
