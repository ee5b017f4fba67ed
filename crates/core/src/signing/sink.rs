//! Where canonical text goes: into a hash (the fast path) or into a buffer (debugging).
//!
//! The canonical request and the string to sign are written once, through this
//! trait, so the text shown for debugging is byte for byte the text that is hashed.

use hmac::Mac;
use sha2::{Digest, Sha256};

/// A byte sink the canonical forms are written into.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        Digest::update(self, bytes);
    }
}

impl Sink for hmac::Hmac<Sha256> {
    fn put(&mut self, bytes: &[u8]) {
        Mac::update(self, bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Writes `value` trimmed of ASCII whitespace and lowercased, in stack-sized chunks.
pub(crate) fn put_lower_trimmed(sink: &mut impl Sink, value: &str) {
    let bytes = value
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .as_bytes();
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(buf.len()) {
        let out = &mut buf[..chunk.len()];
        for (o, b) in out.iter_mut().zip(chunk) {
            *o = b.to_ascii_lowercase();
        }
        sink.put(out);
    }
}

/// Lowercase hex of a 32-byte digest, on the stack.
pub(crate) fn hex32(digest: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // A 32-byte input always fits 64 output bytes; a wrong length only happens on a programming error.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}
