//! The signer: turns [`SigningParams`] and [`Credentials`] into a signature and an
//! Authorization header.
//!
//! What repeats from request to request is cached: the derived key (per
//! SecretKey, date and service) together with its HMAC inner state after the
//! string to sign's head (algorithm, timestamp, scope) for the current second
//! and the `X-TC-Timestamp` header value made from the same digits, and the
//! SHA-256 midstate of the canonical request's constant prefix (method,
//! query, signed headers: everything before the payload hash). With both warm, a
//! 1-ID TerminateInstances signature compresses 6 blocks where hashing the texts
//! whole takes 8: 1 for the body, 2 for the canonical request's last partial block
//! and the payload hash, 2 for the string to sign's head and the canonical hash,
//! 1 for the outer HMAC.
//!
//! The lock is held only to look the caches up and copy the states out (about
//! 300 bytes); once the caches are warm no hashing happens under it, so callers
//! sharing a signer wait for each other only for that copy.

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use http::HeaderValue;

use super::date::{utc_date, UtcDate};
use super::params::{Method, PayloadSigning, SignedHeaders, SigningParams, UNSIGNED_PAYLOAD};
use super::sha256::{self, Midstate, OuterKey};
use super::signing_key::{Signature, SigningKey};
use super::sink::hex32;
use super::string_to_sign::{write_head, Decimal, StringToSign};
use crate::credentials::{Credentials, Secret};

/// How many derived keys (and canonical prefixes) a signer remembers: enough for
/// a key rotation across a UTC midnight, small enough that a linear scan beats hashing.
const CACHE_CAPACITY: usize = 4;

struct KeyEntry {
    secret: Secret,
    date: UtcDate,
    service: Box<str>,
    key: SigningKey,
    /// The timestamp `head` was made for.
    head_timestamp: Option<u64>,
    /// The key's inner HMAC hash with the string to sign's head (algorithm,
    /// timestamp, scope) absorbed: requests come many to a second, so each
    /// second's head is written once, not once per signature.
    head: Midstate,
    /// `X-TC-Timestamp` for `head_timestamp`, made with the head: a request takes
    /// a shared handle to it instead of formatting, checking and allocating the
    /// same ten digits again.
    timestamp_value: HeaderValue,
}

impl KeyEntry {
    fn new(secret: &Secret, date: UtcDate, service: &str, key: SigningKey) -> Self {
        KeyEntry {
            secret: secret.clone(),
            date,
            service: service.into(),
            head_timestamp: None,
            head: key.hmac().inner(),
            timestamp_value: HeaderValue::from_static(""),
            key,
        }
    }

    fn is_for(&self, secret: &Secret, date: UtcDate, service: &str) -> bool {
        self.date == date && self.is_for_secret_and_service(secret, service)
    }

    #[inline]
    fn is_for_secret_and_service(&self, secret: &Secret, service: &str) -> bool {
        same_bytes(self.service.as_bytes(), service.as_bytes())
            && same_bytes(self.secret.expose().as_bytes(), secret.expose().as_bytes())
    }

    /// Points `head` at `timestamp` (which must fall on `self.date`).
    fn set_head(&mut self, timestamp: u64) {
        let mut head = self.key.hmac().inner();
        let digits = Decimal::new(timestamp);
        write_head(&mut head, &digits, self.date, &self.service);
        self.head = head;
        self.head_timestamp = Some(timestamp);
        // Decimal digits are always a valid header value; `From<u64>` is the
        // infallible way to the same bytes.
        self.timestamp_value = HeaderValue::from_bytes(digits.as_bytes())
            .unwrap_or_else(|_| HeaderValue::from(timestamp));
    }

    fn prepared(&self, canonical: Midstate) -> Prepared {
        Prepared {
            canonical,
            head: self.head,
            outer: self.key.hmac().outer_state(),
            date: self.date,
        }
    }
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
    state: Midstate,
}

impl PrefixEntry {
    #[inline]
    fn matches(&self, p: &SigningParams<'_>) -> bool {
        self.method == p.method()
            && self.signed_headers == p.signed_headers()
            && same_bytes(self.host.as_bytes(), p.host().as_bytes())
            && same_bytes(self.action.as_bytes(), signed_action(p).as_bytes())
            && same_bytes(self.content_type.as_bytes(), p.content_type().as_bytes())
            && same_bytes(self.query.as_bytes(), p.query().as_bytes())
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
}

impl Cache {
    /// The canonical prefix midstate for `params`, computed and remembered on a miss.
    fn canonical_prefix(&mut self, params: &SigningParams<'_>) -> Midstate {
        if let Some(entry) = self.prefixes.iter().find(|e| e.matches(params)) {
            return entry.state;
        }
        let state = params.canonical_request_with([0; 64]).prefix_state();
        push_bounded(
            &mut self.prefixes,
            PrefixEntry {
                method: params.method(),
                signed_headers: params.signed_headers(),
                query: params.query().into(),
                content_type: params.content_type().into(),
                host: params.host().into(),
                action: signed_action(params).into(),
                state,
            },
        );
        state
    }
}

/// What one signature takes from the caches, copied out so that no hashing
/// happens while the cache is locked.
struct Prepared {
    canonical: Midstate,
    head: Midstate,
    outer: OuterKey,
    date: UtcDate,
}

impl Prepared {
    /// The signature of the request whose payload hash is `body`.
    #[inline(always)]
    fn signature(&self, body: &[u8; 32]) -> Signature {
        let canonical = self.canonical.finish_with_hex(body);
        let inner = self.head.finish_with_hex(&canonical);
        Signature::from_mac(&self.outer.finish(&inner))
    }
}

/// What [`Signer::sign_request`] returns.
pub(crate) struct RequestSignature {
    pub(crate) signature: Signature,
    pub(crate) date: UtcDate,
    /// `X-TC-Timestamp`, shared with the signer's cache.
    pub(crate) timestamp_value: HeaderValue,
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
        // A poisoned lock only means another caller panicked mid-update; the
        // cache holds plain values, so it is still usable.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The signing key for `secret` on `date` for `service`, derived once and then cached.
    pub fn signing_key(&self, secret: &Secret, date: UtcDate, service: &str) -> SigningKey {
        if let Some(e) = self
            .lock()
            .keys
            .iter()
            .find(|e| e.is_for(secret, date, service))
        {
            return e.key.clone();
        }
        let key = SigningKey::derive(secret, date, service);
        self.remember(KeyEntry::new(secret, date, service, key.clone()));
        key
    }

    /// Caches a freshly derived key unless another caller cached it meanwhile.
    fn remember(&self, entry: KeyEntry) {
        let mut cache = self.lock();
        let known = cache
            .keys
            .iter()
            .any(|e| e.is_for(&entry.secret, entry.date, &entry.service));
        if !known {
            push_bounded(&mut cache.keys, entry);
        }
    }

    /// The string to sign for `params`, using the cached canonical prefix.
    /// Equal to [`SigningParams::string_to_sign`].
    pub fn string_to_sign<'a>(&self, params: &SigningParams<'a>) -> StringToSign<'a> {
        let body = body_digest(params);
        let canonical = self.lock().canonical_prefix(params);
        StringToSign::new(
            params.timestamp(),
            params.date(),
            params.service(),
            hex32(&canonical.finish_with_hex(&body)),
        )
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
        let body = body_digest(params);
        let (p, ()) = self.prepared(params, credentials.secret_key(), |_| ());
        (p.signature(&body), p.date)
    }

    /// What building a signed request needs from the signer: the signature, the
    /// date of its credential scope and the `X-TC-Timestamp` value.
    pub(crate) fn sign_request(
        &self,
        params: &SigningParams<'_>,
        credentials: &Credentials,
    ) -> RequestSignature {
        let body = body_digest(params);
        let (p, timestamp_value) = self.prepared(params, credentials.secret_key(), |e| {
            e.timestamp_value.clone()
        });
        RequestSignature {
            signature: p.signature(&body),
            date: p.date,
            timestamp_value,
        }
    }

    /// Looks up (or fills) both caches under one short lock, and takes `extra`
    /// from the key's entry while it is held.
    #[inline]
    fn prepared<T>(
        &self,
        params: &SigningParams<'_>,
        secret: &Secret,
        extra: impl FnOnce(&KeyEntry) -> T,
    ) -> (Prepared, T) {
        let timestamp = params.timestamp();
        let service = params.service();
        let mut cache = self.lock();
        let canonical = cache.canonical_prefix(params);
        // The common case: this key already signed in this second.
        if let Some(e) = cache.keys.iter().find(|e| {
            e.head_timestamp == Some(timestamp) && e.is_for_secret_and_service(secret, service)
        }) {
            return (e.prepared(canonical), extra(e));
        }
        let date = utc_date(timestamp);
        if let Some(e) = cache
            .keys
            .iter_mut()
            .find(|e| e.is_for(secret, date, service))
        {
            e.set_head(timestamp);
            return (e.prepared(canonical), extra(e));
        }
        // Derive without holding the lock: three HMACs other callers need not wait for.
        drop(cache);
        let mut entry = KeyEntry::new(
            secret,
            date,
            service,
            SigningKey::derive(secret, date, service),
        );
        entry.set_head(timestamp);
        let prepared = (entry.prepared(canonical), extra(&entry));
        self.remember(entry);
        prepared
    }

    /// The signature and the `Authorization` header value.
    pub fn sign(&self, params: &SigningParams<'_>, credentials: &Credentials) -> SigningOutput {
        let (signature, date) = self.signature_and_date(params, credentials);
        let authorization = authorization_header(
            credentials.secret_id(),
            date,
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
    let bytes =
        AuthorizationTail::new(service, signed_headers).authorization(secret_id, date, signature);
    // Every part is a `&str` or ASCII, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// What an Authorization value holds after the date,
/// `/<service>/tc3_request, SignedHeaders=<list>, Signature=`: the same for every
/// request to one service with one choice of signed headers, so a
/// [`ServiceConfig`](crate::ServiceConfig) writes it once.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizationTail(Box<[u8]>);

impl AuthorizationTail {
    pub(crate) fn new(service: &str, signed_headers: &str) -> Self {
        let parts: [&[u8]; 5] = [
            b"/",
            service.as_bytes(),
            b"/tc3_request, SignedHeaders=",
            signed_headers.as_bytes(),
            b", Signature=",
        ];
        AuthorizationTail(parts.concat().into_boxed_slice())
    }

    /// `TC3-HMAC-SHA256 Credential=<id>/<date>` + this tail + the signature, in
    /// one exactly-sized allocation.
    #[inline]
    pub(crate) fn authorization(
        &self,
        secret_id: &str,
        date: UtcDate,
        signature: &Signature,
    ) -> Vec<u8> {
        // `ALGORITHM` and the credential's key (the published vectors check it).
        const HEAD: &[u8] = b"TC3-HMAC-SHA256 Credential=";
        let id = secret_id.as_bytes();
        let mut out = Vec::with_capacity(HEAD.len() + id.len() + 1 + 10 + self.0.len() + 64);
        out.extend_from_slice(HEAD);
        out.extend_from_slice(id);
        out.push(b'/');
        out.extend_from_slice(date.as_bytes());
        out.extend_from_slice(&self.0);
        out.extend_from_slice(signature.as_bytes());
        out
    }
}

/// The SHA-256 that stands for the payload in the canonical request.
fn body_digest(params: &SigningParams<'_>) -> [u8; 32] {
    match params.payload_signing() {
        PayloadSigning::Signed => sha256::digest(params.payload()),
        PayloadSigning::Unsigned => sha256::digest(UNSIGNED_PAYLOAD.as_bytes()),
    }
}

/// Byte equality, inline and a word at a time: the strings compared here are 3 to
/// 40 bytes long, where a call into libc's `memcmp` costs more than the comparison
/// (it was a sixth of a cached signature). It never stops at the first difference,
/// so comparing keys takes a time that depends only on their lengths.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    let half = |s: &[u8], at: usize| -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    };
    if n >= 8 {
        // Whole words, then the last word again, overlapping: no byte loop.
        let mut diff = word(a, n - 8) ^ word(b, n - 8);
        let mut at = 0;
        while at + 8 <= n {
            diff |= word(a, at) ^ word(b, at);
            at += 8;
        }
        diff == 0
    } else if n >= 4 {
        ((half(a, 0) ^ half(b, 0)) | (half(a, n - 4) ^ half(b, n - 4))) == 0
    } else {
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Heads longer than a block (a long service name, a 20-digit timestamp)
    /// take the general path through the midstate.
    #[test]
    fn long_heads_sign_like_no_cache() {
        let long_service = "s".repeat(150);
        let credentials = Credentials::new("AKIDexample", "k".repeat(200));
        let signer = Signer::new();
        for service in [
            "cvm",
            "a-service-name-that-runs-past-one-block",
            &long_service,
        ] {
            for timestamp in [0, 1_700_000_000, u64::MAX] {
                let params = SigningParams::builder()
                    .host("example.com")
                    .action("Act")
                    .service(service)
                    .payload(b"{}")
                    .timestamp(timestamp)
                    .build()
                    .unwrap();
                let want = SigningKey::derive(credentials.secret_key(), params.date(), service)
                    .sign(&params.string_to_sign());
                for _ in 0..2 {
                    assert_eq!(signer.signature(&params, &credentials), want);
                }
            }
        }
    }

    #[test]
    fn the_authorization_opens_with_the_algorithm() {
        let value = authorization_header(
            "AKID",
            utc_date(0),
            "cvm",
            "content-type;host",
            &Signature::from_mac(&[0; 32]),
        );
        let head = format!(
            "{} Credential=AKID/1970-01-01/cvm/tc3_request, ",
            super::super::ALGORITHM
        );
        assert!(value.starts_with(&head), "{value}");
    }

    #[test]
    fn same_bytes_agrees_with_eq() {
        let base: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37)).collect();
        for len in 0..=40 {
            let a = &base[..len];
            assert!(same_bytes(a, a));
            for i in 0..len {
                let mut b = a.to_vec();
                b[i] ^= 0x20;
                assert!(!same_bytes(a, &b), "{len} {i}");
            }
            if len > 0 {
                assert!(!same_bytes(a, &base[..len - 1]));
            }
        }
    }
}
