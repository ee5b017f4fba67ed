//! TC3-HMAC-SHA256 request signing, for any action.
//!
//! ```text
//!  SigningParams ──► CanonicalRequest ──sha256──► StringToSign ──HMAC(SigningKey)──► Signature
//!  (method, host,     (method, query,              (algorithm,                         │
//!   content type,      signed headers,              timestamp,                         ▼
//!   payload, action,   payload hash)                date/service/tc3_request,      Authorization
//!   timestamp)                                      canonical hash)                   header
//!
//!  SigningKey = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
//!               derived once per (SecretKey, date, service) and cached by the Signer
//! ```
//!
//! Every intermediate is a value you can print ([`CanonicalRequest`], [`StringToSign`]),
//! so a signature mismatch can be debugged by comparing text with the service's.
//! The fast path hashes the same text without building it.

mod authorization;
mod canonical_request;
mod date;
mod params;
mod sha256;
mod signer;
mod signing_key;
mod sink;
mod string_to_sign;

pub use authorization::{parse_authorization, AuthorizationParseError, ParsedAuthorization};
pub use canonical_request::{payload_hash, CanonicalRequest};
pub use date::{utc_date, UtcDate};
pub use params::{
    Method, PayloadSigning, SignedHeaders, SigningError, SigningParams, SigningParamsBuilder,
    UNSIGNED_PAYLOAD,
};
pub(crate) use signer::AuthorizationTail;
pub use signer::{authorization_header, Signer, SigningOutput};
pub use signing_key::{Signature, SigningKey};
pub use string_to_sign::{StringToSign, ALGORITHM};

#[cfg(test)]
mod properties;
#[cfg(test)]
mod published_vectors;
