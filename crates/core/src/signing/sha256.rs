//! SHA-256 and HMAC-SHA256 driven straight through the `sha2` crate's compression
//! function ([`sha2::block_api::compress256`], SHA-NI where the CPU has it).
//!
//! Why not `sha2::Sha256` and `hmac::Hmac`: every signature finishes four hashes,
//! three of them from a saved state over at most two or three blocks. Through the
//! streaming API each of those costs a state clone, a round trip through the block
//! buffer and the generic padding code, together about a quarter of a cached-key
//! signature at SHA-NI speed. Here the rest of a message is laid out once in a
//! stack buffer (hex digits written in place, not copied), padded there, and
//! compressed in one call. Only padding and the HMAC construction live here; the
//! compression function is the crate's. The tests check every length against `sha2`
//! and `hmac`.

use sha2::block_api::compress256;

use super::sink::{hex32_into, Sink};

type State = [u32; 8];

/// The SHA-256 initial hash value (FIPS 180-4, 5.3.3).
const IV: State = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A SHA-256 computation in progress: the state after `blocks` whole blocks, and
/// the bytes of the next, incomplete block.
///
/// `Copy` and 112 bytes: a cached midstate is taken out of the signer's cache by
/// copying it, so no hashing happens while the cache is locked.
#[derive(Clone, Copy)]
pub(crate) struct Midstate {
    state: State,
    blocks: u64,
    tail: [u8; 64],
    /// Always below 64: a full block is compressed as soon as it is complete.
    tail_len: usize,
}

impl Default for Midstate {
    fn default() -> Self {
        Self::new()
    }
}

impl Midstate {
    /// The state before any input.
    pub(crate) const fn new() -> Self {
        Midstate {
            state: IV,
            blocks: 0,
            tail: [0; 64],
            tail_len: 0,
        }
    }

    /// SHA-256 of everything written, with the padding.
    pub(crate) fn finish(&self) -> [u8; 32] {
        let mut buf = [0u8; 128];
        let len = self.tail_len;
        buf[..len].copy_from_slice(&self.tail[..len]);
        finish_in(self.state, self.blocks, &mut buf, len)
    }

    /// SHA-256 of everything written followed by the 64 lowercase hex digits of
    /// `digest`: how both the canonical request (ending in the payload hash) and
    /// the string to sign (ending in the canonical request hash) end.
    #[inline]
    pub(crate) fn finish_with_hex(&self, digest: &[u8; 32]) -> [u8; 32] {
        // Tail (< 64) + 64 digits + 9 bytes of padding fit in three blocks.
        let mut buf = [0u8; 192];
        let len = self.tail_len;
        // All 64 bytes, a fixed-size copy: whatever lies past the tail is
        // overwritten by the digits, which reach past byte 64.
        buf[..64].copy_from_slice(&self.tail);
        if let Some(slot) = buf.get_mut(len..len + 64) {
            hex32_into(digest, slot);
        }
        finish_in(self.state, self.blocks, &mut buf, len + 64)
    }
}

impl Sink for Midstate {
    fn put(&mut self, mut bytes: &[u8]) {
        if self.tail_len > 0 {
            let take = bytes.len().min(64 - self.tail_len);
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 64 {
                return;
            }
            compress256(&mut self.state, std::slice::from_ref(&self.tail));
            self.blocks = self.blocks.wrapping_add(1);
            self.tail_len = 0;
        }
        let (blocks, rest) = bytes.as_chunks::<64>();
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
            self.blocks = self.blocks.wrapping_add(blocks.len() as u64);
        }
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }
}

/// Pads the `len` message bytes at the start of `buf` (zero after them), compresses
/// the padded blocks into `state`, which has absorbed `blocks` blocks before, and
/// returns the digest.
///
/// `buf` must have room for the padding: `len + 9` rounded up to 64. The callers'
/// sizes guarantee it; were it ever short, the digest would be wrong, never a panic.
#[inline(always)]
fn finish_in<const N: usize>(
    mut state: State,
    blocks: u64,
    buf: &mut [u8; N],
    len: usize,
) -> [u8; 32] {
    let padded = (len + 9).div_ceil(64) * 64;
    // Message length in bits, modulo 2^64 as the standard has it.
    let bits = blocks
        .wrapping_mul(512)
        .wrapping_add((len as u64).wrapping_mul(8));
    if let Some(b) = buf.get_mut(len) {
        *b = 0x80;
    }
    if let Some(end) = buf.get_mut(padded.saturating_sub(8)..padded) {
        end.copy_from_slice(&bits.to_be_bytes());
    }
    let (chunks, _) = buf[..padded.min(N)].as_chunks::<64>();
    compress256(&mut state, chunks);
    let mut out = [0u8; 32];
    for (o, word) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// SHA-256 of `data`.
pub(crate) fn digest(data: &[u8]) -> [u8; 32] {
    let mut state = IV;
    let (blocks, rest) = data.as_chunks::<64>();
    if !blocks.is_empty() {
        compress256(&mut state, blocks);
    }
    let mut buf = [0u8; 128];
    buf[..rest.len()].copy_from_slice(rest);
    finish_in(state, blocks.len() as u64, &mut buf, rest.len())
}

/// An HMAC-SHA256 key, kept as the two states after the key blocks (RFC 2104):
/// the inner one after `key ^ ipad`, the outer one after `key ^ opad`.
#[derive(Clone, Copy)]
pub(crate) struct HmacKey {
    inner: State,
    outer: State,
}

impl HmacKey {
    /// Keys HMAC-SHA256 with `key` of any length.
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; 64];
        if key.len() > block.len() {
            block[..32].copy_from_slice(&digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        for b in &mut block {
            *b ^= 0x36;
        }
        let mut inner = IV;
        compress256(&mut inner, std::slice::from_ref(&block));
        for b in &mut block {
            *b ^= 0x36 ^ 0x5c;
        }
        let mut outer = IV;
        compress256(&mut outer, std::slice::from_ref(&block));
        // Best effort: the padded key is secret.
        block.fill(0);
        std::hint::black_box(&block);
        HmacKey { inner, outer }
    }

    /// The inner hash, ready for the message.
    pub(crate) fn inner(&self) -> Midstate {
        Midstate {
            state: self.inner,
            blocks: 1,
            tail: [0; 64],
            tail_len: 0,
        }
    }

    /// The MAC, given the finished inner hash of the message.
    #[inline]
    pub(crate) fn outer(&self, inner_hash: &[u8; 32]) -> [u8; 32] {
        outer(&self.outer, inner_hash)
    }

    /// HMAC-SHA256 of `data`.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut inner = self.inner();
        inner.put(data);
        self.outer(&inner.finish())
    }

    /// The outer state alone: all that finishing a MAC needs.
    pub(crate) fn outer_state(&self) -> OuterKey {
        OuterKey(self.outer)
    }
}

/// The outer half of an [`HmacKey`].
#[derive(Clone, Copy)]
pub(crate) struct OuterKey(State);

impl OuterKey {
    /// The MAC, given the finished inner hash of the message.
    #[inline]
    pub(crate) fn finish(&self, inner_hash: &[u8; 32]) -> [u8; 32] {
        outer(&self.0, inner_hash)
    }
}

#[inline(always)]
fn outer(state: &State, inner_hash: &[u8; 32]) -> [u8; 32] {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(inner_hash);
    finish_in(*state, 1, &mut buf, 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Digest, Sha256};

    fn message(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 131 + len * 7) as u8).collect()
    }

    #[test]
    fn digest_matches_sha2_at_every_length_up_to_four_blocks() {
        for len in 0..=260 {
            let m = message(len);
            assert_eq!(digest(&m)[..], Sha256::digest(&m)[..], "length {len}");
        }
    }

    #[test]
    fn streamed_in_pieces_matches_sha2() {
        for len in 0..=200 {
            let m = message(len);
            for piece in [1, 3, 63, 64, 65] {
                let mut s = Midstate::new();
                for chunk in m.chunks(piece) {
                    s.put(chunk);
                }
                assert_eq!(s.finish()[..], Sha256::digest(&m)[..], "{len}/{piece}");
            }
        }
    }

    #[test]
    fn finish_with_hex_matches_sha2_for_every_tail_length() {
        let d: [u8; 32] = Sha256::digest(b"payload").into();
        let hex = crate::signing::sink::hex32(&d);
        for len in 0..=200 {
            let mut m = message(len);
            let mut s = Midstate::new();
            s.put(&m);
            m.extend_from_slice(&hex);
            assert_eq!(s.finish_with_hex(&d)[..], Sha256::digest(&m)[..], "{len}");
        }
    }

    #[test]
    fn hmac_matches_the_hmac_crate() {
        for key_len in [0, 1, 31, 32, 33, 63, 64, 65, 100, 200] {
            let key = message(key_len);
            let k = HmacKey::new(&key);
            for len in [0, 1, 55, 56, 63, 64, 65, 118, 119, 200] {
                let m = message(len);
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
                mac.update(&m);
                let want = mac.finalize().into_bytes();
                assert_eq!(k.mac(&m)[..], want[..], "key {key_len} message {len}");
                assert_eq!(
                    k.outer_state().finish(&{
                        let mut i = k.inner();
                        i.put(&m);
                        i.finish()
                    })[..],
                    want[..]
                );
            }
        }
    }

    #[test]
    fn lengths_past_two_to_the_sixty_four_bits_wrap_instead_of_panicking() {
        let s = Midstate {
            state: IV,
            blocks: u64::MAX,
            tail: [0; 64],
            tail_len: 63,
        };
        let _ = s.finish();
        let _ = s.finish_with_hex(&[0; 32]);
    }
}
