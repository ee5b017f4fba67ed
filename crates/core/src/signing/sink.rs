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
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        Digest::update(self, bytes);
    }
}

impl Sink for hmac::Hmac<Sha256> {
    #[inline]
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
    let bytes = value.as_bytes().trim_ascii();
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        sink.put(bytes);
        return;
    }
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
    for (pair, &byte) in out.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
    }
    out
}

/// Two lowercase hex digits for every byte value: one lookup per byte.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 0x0f]];
        i += 1;
    }
    table
};

/// Collects small writes on the stack and hands them to `inner` in large pieces:
/// hashers pay a fixed cost per `update`, and canonical text arrives in dozens of
/// few-byte pieces.
pub(crate) struct Buffered<'a, S: Sink, const N: usize = 512> {
    inner: &'a mut S,
    buf: [u8; N],
    len: usize,
}

impl<'a, S: Sink, const N: usize> Buffered<'a, S, N> {
    pub(crate) fn new(inner: &'a mut S) -> Self {
        Buffered {
            inner,
            buf: [0; N],
            len: 0,
        }
    }

    /// Hands over what is buffered; call once at the end.
    #[inline]
    pub(crate) fn flush(&mut self) {
        if self.len > 0 {
            self.inner.put(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl<S: Sink, const N: usize> Sink for Buffered<'_, S, N> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > self.buf.len() {
            self.flush();
            if bytes.len() > self.buf.len() {
                self.inner.put(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
}
