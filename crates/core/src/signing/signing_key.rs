//! The signing key: three HMACs derived from the SecretKey, the date and the service.
//!
//! ```text
//! k_date    = HMAC("TC3" + SecretKey, date)
//! k_service = HMAC(k_date, service)
//! k_signing = HMAC(k_service, "tc3_request")
//! ```
//!
//! The derived key is kept as the two HMAC states it keys (inner and outer), so
//! a signature starts from them instead of re-keying.

use std::fmt;

use super::date::UtcDate;
use super::sha256::HmacKey;
use super::sink::hex32;
use super::string_to_sign::StringToSign;
use crate::credentials::Secret;

/// A derived TC3 signing key for one (SecretKey, date, service).
#[derive(Clone)]
pub struct SigningKey {
    key: HmacKey,
    date: UtcDate,
}

impl SigningKey {
    /// Derives the key for `secret_key` on `date` for `service` (three HMACs).
    pub fn derive(secret_key: &Secret, date: UtcDate, service: &str) -> Self {
        let secret = secret_key.expose().as_bytes();
        // "TC3" + SecretKey without a heap allocation for keys of ordinary length.
        let mut stack = [0u8; 128];
        let k_date = if secret.len() + 3 <= stack.len() {
            stack[..3].copy_from_slice(b"TC3");
            stack[3..3 + secret.len()].copy_from_slice(secret);
            let k = HmacKey::new(&stack[..3 + secret.len()]).mac(date.as_bytes());
            stack.fill(0);
            std::hint::black_box(&stack);
            k
        } else {
            let mut key = Vec::with_capacity(3 + secret.len());
            key.extend_from_slice(b"TC3");
            key.extend_from_slice(secret);
            let k = HmacKey::new(&key).mac(date.as_bytes());
            key.fill(0);
            std::hint::black_box(&key);
            k
        };
        let k_service = HmacKey::new(&k_date).mac(service.as_bytes());
        let k_signing = HmacKey::new(&k_service).mac(b"tc3_request");
        SigningKey {
            key: HmacKey::new(&k_signing),
            date,
        }
    }

    /// The date this key is valid for.
    pub fn date(&self) -> UtcDate {
        self.date
    }

    /// Lowercase hex HMAC-SHA256 of the string to sign under this key.
    pub fn sign(&self, string_to_sign: &StringToSign<'_>) -> Signature {
        let mut inner = self.key.inner();
        string_to_sign.write_to(&mut inner);
        Signature(hex32(&self.key.outer(&inner.finish())))
    }

    /// The HMAC states, for the signer's fast path.
    pub(crate) fn hmac(&self) -> &HmacKey {
        &self.key
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// A TC3 signature: 64 lowercase hex characters, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 64]);

impl Signature {
    /// The hex of a finished MAC.
    pub(crate) fn from_mac(mac: &[u8; 32]) -> Self {
        Signature(hex32(mac))
    }

    /// The signature as lowercase hex bytes.
    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// The signature as lowercase hex.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Compares with a signature received from elsewhere, in constant time.
    pub fn verify(&self, other: &str) -> bool {
        use subtle::ConstantTimeEq;
        other.len() == self.0.len() && bool::from(self.0.ct_eq(other.as_bytes()))
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}
