//! The canonical request: the first thing TC3-HMAC-SHA256 hashes.
//!
//! ```text
//! METHOD \n
//! /      \n
//! query  \n
//! name:value\n ... (signed headers, lowercased and trimmed, sorted by name)
//! \n
//! name;name;...    (the signed header names)
//! \n
//! hex(sha256(payload))   (or of the literal "UNSIGNED-PAYLOAD")
//! ```

use std::fmt;

use super::sha256::{digest, Midstate};
use super::sink::{hex32, put_lower_trimmed, Sink};

/// The canonical request of one signing operation.
///
/// Borrowed from its parts; nothing is copied until it is rendered for debugging.
#[derive(Clone, Copy)]
pub struct CanonicalRequest<'a> {
    method: &'a str,
    query: &'a str,
    headers: HeaderList<'a>,
    payload_hash: [u8; 64],
}

/// The signed headers: inline for the fixed sets this crate signs, borrowed for
/// arbitrary lists (a verifier's view of a received request).
#[derive(Clone, Copy)]
enum HeaderList<'a> {
    Inline([(&'a str, &'a str); 3], usize),
    Borrowed(&'a [(&'a str, &'a str)]),
}

impl<'a> HeaderList<'a> {
    fn as_slice(&self) -> &[(&'a str, &'a str)] {
        match self {
            HeaderList::Inline(items, len) => &items[..*len],
            HeaderList::Borrowed(items) => items,
        }
    }
}

impl<'a> CanonicalRequest<'a> {
    /// Assembles a canonical request.
    ///
    /// `headers` are the signed headers as `(lowercase name, raw value)`, sorted by
    /// name; values are trimmed and lowercased as they are written.
    /// `payload_hash` is the lowercase hex SHA-256 of the payload.
    pub fn new(
        method: &'a str,
        query: &'a str,
        headers: &'a [(&'a str, &'a str)],
        payload_hash: [u8; 64],
    ) -> Self {
        CanonicalRequest {
            method,
            query,
            headers: HeaderList::Borrowed(headers),
            payload_hash,
        }
    }

    /// Like [`CanonicalRequest::new`] for at most three headers, held inline.
    pub(crate) fn inline(
        method: &'a str,
        query: &'a str,
        headers: [(&'a str, &'a str); 3],
        len: usize,
        payload_hash: [u8; 64],
    ) -> Self {
        CanonicalRequest {
            method,
            query,
            headers: HeaderList::Inline(headers, len.min(3)),
            payload_hash,
        }
    }

    pub(crate) fn write_to(&self, sink: &mut impl Sink) {
        self.write_prefix_to(sink);
        sink.put(&self.payload_hash);
    }

    /// Everything before the payload hash: constant for a given endpoint and action,
    /// so its SHA-256 midstate can be computed once and reused.
    pub(crate) fn write_prefix_to(&self, sink: &mut impl Sink) {
        sink.put(self.method.as_bytes());
        sink.put(b"\n/\n");
        sink.put(self.query.as_bytes());
        sink.put(b"\n");
        for (name, value) in self.headers.as_slice() {
            sink.put(name.as_bytes());
            sink.put(b":");
            put_lower_trimmed(sink, value);
            sink.put(b"\n");
        }
        sink.put(b"\n");
        self.write_signed_headers(sink);
        sink.put(b"\n");
    }

    /// The SHA-256 midstate after absorbing [`Self::write_prefix_to`]'s text.
    pub(crate) fn prefix_state(&self) -> Midstate {
        let mut h = Midstate::new();
        self.write_prefix_to(&mut h);
        h
    }

    pub(crate) fn write_signed_headers(&self, sink: &mut impl Sink) {
        for (i, (name, _)) in self.headers.as_slice().iter().enumerate() {
            if i > 0 {
                sink.put(b";");
            }
            sink.put(name.as_bytes());
        }
    }

    /// The `SignedHeaders` list, e.g. `content-type;host`.
    pub fn signed_headers(&self) -> String {
        let mut out = Vec::new();
        self.write_signed_headers(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Lowercase hex SHA-256 of the canonical request, on the stack.
    pub fn hash(&self) -> [u8; 64] {
        let mut h = Midstate::new();
        self.write_to(&mut h);
        hex32(&h.finish())
    }

    /// Lowercase hex SHA-256 of the canonical request.
    pub fn hash_hex(&self) -> String {
        String::from_utf8_lossy(&self.hash()).into_owned()
    }
}

impl fmt::Display for CanonicalRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        self.write_to(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

impl fmt::Debug for CanonicalRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CanonicalRequest")
            .field(&self.to_string())
            .finish()
    }
}

/// Lowercase hex SHA-256 of `payload`.
pub fn payload_hash(payload: &[u8]) -> [u8; 64] {
    hex32(&digest(payload))
}
