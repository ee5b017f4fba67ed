//! The signing key: three HMACs derived from the SecretKey, the date and the service.
//!
//! ```text
//! k_date    = HMAC("TC3" + SecretKey, date)
//! k_service = HMAC(k_date, service)
//! k_signing = HMAC(k_service, "tc3_request")
//! ```
//!
//! The derived key is kept as a pre-keyed HMAC state, so each signature costs
//! one clone of that state plus the HMAC of the string to sign.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::date::UtcDate;
use super::sink::hex32;
use super::string_to_sign::{StringToSign, ALGORITHM};
use crate::credentials::Secret;

type HmacSha256 = Hmac<Sha256>;

/// A derived TC3 signing key for one (SecretKey, date, service).
#[derive(Clone)]
pub struct SigningKey {
    /// Keyed with the derived key, with `TC3-HMAC-SHA256\n` (the first line of
    /// every string to sign) already absorbed.
    keyed: HmacSha256,
    date: UtcDate,
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
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
            let k = hmac(&stack[..3 + secret.len()], date.as_str().as_bytes());
            stack.fill(0);
            k
        } else {
            let mut key = Vec::with_capacity(3 + secret.len());
            key.extend_from_slice(b"TC3");
            key.extend_from_slice(secret);
            let k = hmac(&key, date.as_str().as_bytes());
            key.fill(0);
            k
        };
        let k_service = hmac(&k_date, service.as_bytes());
        let k_signing = hmac(&k_service, b"tc3_request");
        let mut keyed =
            <HmacSha256 as KeyInit>::new_from_slice(&k_signing).expect("HMAC takes any key length");
        keyed.update(ALGORITHM.as_bytes());
        keyed.update(b"\n");
        SigningKey { keyed, date }
    }

    /// The date this key is valid for.
    pub fn date(&self) -> UtcDate {
        self.date
    }

    /// Lowercase hex HMAC-SHA256 of the string to sign under this key.
    pub fn sign(&self, string_to_sign: &StringToSign<'_>) -> Signature {
        let mut mac = self.keyed.clone();
        string_to_sign.write_after_algorithm_to(&mut mac);
        Signature(hex32(&mac.finalize().into_bytes()))
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
