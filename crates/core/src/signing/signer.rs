//! The signer: turns [`SigningParams`] and [`Credentials`] into a signature and an
//! Authorization header, caching derived keys.

use std::fmt;
use std::sync::Mutex;

use subtle::ConstantTimeEq;

use super::date::UtcDate;
use super::params::SigningParams;
use super::signing_key::{Signature, SigningKey};
use super::string_to_sign::ALGORITHM;
use crate::credentials::{Credentials, Secret};

/// How many derived keys a signer remembers: enough for a key rotation across a
/// UTC midnight, small enough that a linear scan beats hashing.
const CACHE_CAPACITY: usize = 4;

struct CacheEntry {
    secret: Secret,
    date: UtcDate,
    service: Box<str>,
    key: SigningKey,
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
    cache: Mutex<Vec<CacheEntry>>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.lock().map(|c| c.len()).unwrap_or(0);
        f.debug_struct("Signer")
            .field("cached_keys", &cached)
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

    /// The signing key for `secret` on `date` for `service`, derived once and then cached.
    pub fn signing_key(&self, secret: &Secret, date: UtcDate, service: &str) -> SigningKey {
        // A poisoned lock only means another thread panicked mid-update; the
        // cache holds plain values, so it is still usable.
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let hit = cache.iter().find(|e| {
            e.date == date
                && *e.service == *service
                && bool::from(
                    e.secret
                        .expose()
                        .as_bytes()
                        .ct_eq(secret.expose().as_bytes()),
                )
        });
        if let Some(entry) = hit {
            return entry.key.clone();
        }
        drop(cache);
        let key = SigningKey::derive(secret, date, service);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_CAPACITY {
            cache.remove(0);
        }
        cache.push(CacheEntry {
            secret: secret.clone(),
            date,
            service: service.into(),
            key: key.clone(),
        });
        key
    }

    /// The signature alone (no allocation on a cache hit).
    pub fn signature(&self, params: &SigningParams<'_>, credentials: &Credentials) -> Signature {
        let key = self.signing_key(credentials.secret_key(), params.date(), params.service());
        key.sign(&params.string_to_sign())
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
    let parts: [&str; 11] = [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        date.as_str(),
        "/",
        service,
        "/tc3_request, SignedHeaders=",
        signed_headers,
        ", Signature=",
        signature.as_str(),
    ];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}
