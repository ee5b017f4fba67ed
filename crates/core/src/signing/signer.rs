//! The signer: turns [`SigningParams`] and [`Credentials`] into a signature and an
//! Authorization header.
//!
//! Two things repeat from request to request and are cached: the derived key
//! (per SecretKey, date and service) and the SHA-256 midstate of the canonical
//! request's constant prefix (method, query, signed headers — everything before
//! the payload hash). With both warm, a signature costs the body hash, the hash
//! of the prefix's last partial block plus the payload hash, and one HMAC.

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use sha2::{Digest, Sha256};

use super::canonical_request::payload_hash;
use super::date::UtcDate;
use super::params::{Method, PayloadSigning, SignedHeaders, SigningParams, UNSIGNED_PAYLOAD};
use super::signing_key::{Signature, SigningKey};
use super::sink::hex32;
use super::string_to_sign::ALGORITHM;
use super::string_to_sign::{Decimal, StringToSign};
use crate::credentials::{Credentials, Secret};

/// How many derived keys (and canonical prefixes) a signer remembers: enough for
/// a key rotation across a UTC midnight, small enough that a linear scan beats hashing.
const CACHE_CAPACITY: usize = 4;

struct KeyEntry {
    secret: Secret,
    date: UtcDate,
    service: Box<str>,
    key: SigningKey,
}

/// The canonical request's prefix, identified by what it is made of.
struct PrefixEntry {
    method: Method,
    signed_headers: SignedHeaders,
    query: Box<str>,
    content_type: Box<str>,
    host: Box<str>,
    /// Empty when the action is not signed.
    action: Box<str>,
    state: Sha256,
}

impl PrefixEntry {
    fn matches(&self, p: &SigningParams<'_>) -> bool {
        self.method == p.method()
            && self.signed_headers == p.signed_headers()
            && *self.host == *p.host()
            && *self.content_type == *p.content_type()
            && *self.query == *p.query()
            && *self.action == *signed_action(p)
    }
}

fn signed_action<'a>(p: &SigningParams<'a>) -> &'a str {
    match p.signed_headers() {
        SignedHeaders::ContentTypeHostAction => p.action(),
        SignedHeaders::ContentTypeHost => "",
    }
}

#[derive(Default)]
struct Cache {
    keys: Vec<KeyEntry>,
    prefixes: Vec<PrefixEntry>,
    /// The date and decimal digits of the last timestamp signed: requests come
    /// many to a second, so each second's are computed once.
    second: Option<(u64, UtcDate, Decimal)>,
}

impl Cache {
    fn time_parts(&mut self, timestamp: u64) -> (UtcDate, Decimal) {
        match self.second {
            Some((t, date, digits)) if t == timestamp => (date, digits),
            _ => {
                let parts = (super::date::utc_date(timestamp), Decimal::new(timestamp));
                self.second = Some((timestamp, parts.0, parts.1));
                parts
            }
        }
    }
}

fn push_bounded<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= CACHE_CAPACITY {
        list.remove(0);
    }
    list.push(item);
}

/// Signs requests, caching the derived key per (SecretKey, date, service).
///
/// Owned by the caller (no global state) and `Send + Sync`: clones of a client
/// share one signer behind an `Arc`.
///
/// ```
/// use tencentcloud_cvm_core::{Credentials, signing::{Signer, SigningParams}};
/// let signer = Signer::new();
/// let creds = Credentials::new("AKIDEXAMPLE", "secret");
/// let params = SigningParams::builder()
///     .host("cvm.tencentcloudapi.com").action("TerminateInstances")
///     .payload(b"{}").timestamp(1551113065).build()?;
/// let out = signer.sign(&params, &creds);
/// assert!(out.authorization().starts_with("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, "));
/// # Ok::<(), tencentcloud_cvm_core::signing::SigningError>(())
/// ```
#[derive(Default)]
pub struct Signer {
    cache: Mutex<Cache>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cache = self.lock();
        f.debug_struct("Signer")
            .field("cached_keys", &cache.keys.len())
            .field("cached_prefixes", &cache.prefixes.len())
            .finish()
    }
}

/// The result of signing: the signature and the Authorization header value.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    signature: Signature,
    authorization: String,
}

impl SigningOutput {
    /// The signature (lowercase hex).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }
    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        &self.authorization
    }
    /// Takes the `Authorization` header value.
    pub fn into_authorization(self) -> String {
        self.authorization
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("authorization", &self.authorization)
            .finish()
    }
}

impl Signer {
    /// A signer with an empty key cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        // A poisoned lock only means another thread panicked mid-update; the
        // cache holds plain values, so it is still usable.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The signing key for `secret` on `date` for `service`, derived once and then cached.
    pub fn signing_key(&self, secret: &Secret, date: UtcDate, service: &str) -> SigningKey {
        let cache = self.lock();
        match find_key(&cache, secret, date, service) {
            Some(key) => key.clone(),
            None => {
                drop(cache);
                self.derive_and_cache(secret, date, service)
            }
        }
    }

    fn derive_and_cache(&self, secret: &Secret, date: UtcDate, service: &str) -> SigningKey {
        let key = SigningKey::derive(secret, date, service);
        push_bounded(
            &mut self.lock().keys,
            KeyEntry {
                secret: secret.clone(),
                date,
                service: service.into(),
                key: key.clone(),
            },
        );
        key
    }

    /// The string to sign for `params`, using the cached canonical prefix.
    /// Equal to [`SigningParams::string_to_sign`].
    pub fn string_to_sign<'a>(&self, params: &SigningParams<'a>) -> StringToSign<'a> {
        let body_hash = body_hash(params);
        let mut cache = self.lock();
        let canonical_hash = canonical_hash(&mut cache, params, &body_hash);
        let (date, digits) = cache.time_parts(params.timestamp());
        drop(cache);
        StringToSign::from_parts(digits, date, params.service(), canonical_hash)
    }

    /// The signature alone (no allocation once the key and prefix are cached).
    pub fn signature(&self, params: &SigningParams<'_>, credentials: &Credentials) -> Signature {
        self.signature_and_date(params, credentials).0
    }

    /// The signature and the credential-scope date it was made for.
    pub(crate) fn signature_and_date(
        &self,
        params: &SigningParams<'_>,
        credentials: &Credentials,
    ) -> (Signature, UtcDate) {
        let body_hash = body_hash(params);
        let mut cache = self.lock();
        let canonical_hash = canonical_hash(&mut cache, params, &body_hash);
        let (date, digits) = cache.time_parts(params.timestamp());
        let string_to_sign =
            StringToSign::from_parts(digits, date, params.service(), canonical_hash);
        let secret = credentials.secret_key();
        if let Some(key) = find_key(&cache, secret, date, params.service()) {
            return (key.sign(&string_to_sign), date);
        }
        drop(cache);
        let key = self.derive_and_cache(secret, date, params.service());
        (key.sign(&string_to_sign), date)
    }

    /// The signature and the `Authorization` header value.
    pub fn sign(&self, params: &SigningParams<'_>, credentials: &Credentials) -> SigningOutput {
        let signature = self.signature(params, credentials);
        let authorization = authorization_header(
            credentials.secret_id(),
            params.date(),
            params.service(),
            params.signed_headers().as_str(),
            &signature,
        );
        SigningOutput {
            signature,
            authorization,
        }
    }
}

/// Formats `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<list>, Signature=<hex>`.
pub fn authorization_header(
    secret_id: &str,
    date: UtcDate,
    service: &str,
    signed_headers: &str,
    signature: &Signature,
) -> String {
    let bytes = authorization_bytes(secret_id, date, service, signed_headers, signature);
    // Every part is a `&str` or ASCII, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`authorization_header`] as bytes, in one exactly-sized allocation.
pub(crate) fn authorization_bytes(
    secret_id: &str,
    date: UtcDate,
    service: &str,
    signed_headers: &str,
    signature: &Signature,
) -> Vec<u8> {
    let parts: [&[u8]; 11] = [
        ALGORITHM.as_bytes(),
        b" Credential=",
        secret_id.as_bytes(),
        b"/",
        date.as_bytes(),
        b"/",
        service.as_bytes(),
        b"/tc3_request, SignedHeaders=",
        signed_headers.as_bytes(),
        b", Signature=",
        signature.as_bytes(),
    ];
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// The hex SHA-256 that stands for the payload in the canonical request.
fn body_hash(params: &SigningParams<'_>) -> [u8; 64] {
    match params.payload_signing() {
        PayloadSigning::Signed => payload_hash(params.payload()),
        PayloadSigning::Unsigned => payload_hash(UNSIGNED_PAYLOAD.as_bytes()),
    }
}

fn find_key<'c>(
    cache: &'c Cache,
    secret: &Secret,
    date: UtcDate,
    service: &str,
) -> Option<&'c SigningKey> {
    cache
        .keys
        .iter()
        .find(|e| {
            e.date == date
                && *e.service == *service
                && same_secret(e.secret.expose().as_bytes(), secret.expose().as_bytes())
        })
        .map(|e| &e.key)
}

/// The hex SHA-256 of the canonical request: the cached prefix midstate (computed
/// and cached on first use) continued with the payload hash.
fn canonical_hash(cache: &mut Cache, params: &SigningParams<'_>, body_hash: &[u8; 64]) -> [u8; 64] {
    let mut state = match cache.prefixes.iter().find(|e| e.matches(params)) {
        Some(entry) => entry.state.clone(),
        None => {
            let state = params.canonical_request_with(*body_hash).prefix_state();
            push_bounded(
                &mut cache.prefixes,
                PrefixEntry {
                    method: params.method(),
                    signed_headers: params.signed_headers(),
                    query: params.query().into(),
                    content_type: params.content_type().into(),
                    host: params.host().into(),
                    action: signed_action(params).into(),
                    state: state.clone(),
                },
            );
            state
        }
    };
    state.update(body_hash);
    hex32(&state.finalize())
}

/// Compares two keys without stopping at the first difference, so the time a
/// cache lookup takes does not depend on where two keys differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
