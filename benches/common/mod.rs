//! What the signing benchmarks share: the request they sign, the floors they are
//! compared with, and the interleaved timing loop.
//!
//! # The warm floor
//!
//! The least work any TC3 signer must do per signature when nothing about the
//! request's hashing is cached except the derived key (a pre-keyed HMAC state):
//!
//! 1. SHA-256 of the body (it changes with every request);
//! 2. its 64 hex digits written into the canonical request, and SHA-256 of the whole
//!    canonical request text from the initial state;
//! 3. those 64 hex digits written into the string to sign, and HMAC-SHA256 of the
//!    whole string to sign from the pre-keyed inner and outer states;
//! 4. the 64 hex digits of the MAC (what `Signer::signature` returns).
//!
//! The text around the two hex slots (method, headers, timestamp, scope) is laid out
//! once, outside the timed loop, together with its SHA-256 padding, because its
//! bytes do not depend on the body. The hex digits must be written each time:
//! the canonical request contains the body hash and the string to sign contains the
//! canonical request hash, so the three hashes form a dependency chain, as they do
//! in a signature, and each hash must be encoded before the next can start.
//!
//! Two implementations of the same work:
//!
//! * [`Floor::warm`] (`floor/warm`, the floor every ratio is taken against): straight
//!   through `sha2`'s compression function, so the cost is 8 compressions of
//!   64-byte blocks for the 1-ID request (1 body + 4 canonical request + 2 string to
//!   sign + 1 outer HMAC), three hex encodings and nothing else: no buffer copies,
//!   no clones, padding prepared once.
//! * [`Floor::warm_api`] (`floor/warm_api`): the same chain through the streaming
//!   `Sha256::digest` and `Hmac::clone/update/finalize` APIs, as an independent
//!   harness would write it; for reference.
//!
//! A signer beats the floor only by hashing fewer blocks: it may keep the SHA-256
//! midstate of the canonical request's constant prefix (2 of the 4 blocks for this
//! request), which the floor, by definition, does not.
//!
//! [`Floor::unchained`] (`floor/unchained`, for reference only) compresses the same
//! 8 blocks over the prepared texts as they stand: no hex, no dependency between
//! the hashes. It is what hashing "SHA-256(body) + SHA-256(canonical request) +
//! HMAC(string to sign)" of fixed texts measures, and it is faster than any
//! signature can be: nothing is encoded or written, and no hash waits for another.

#![allow(dead_code)]

use std::hint::black_box;
use std::time::Instant;

use hmac::{Hmac, KeyInit, Mac};
use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateInstances};

pub const TIMESTAMP: u64 = 1_700_000_000;
pub const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
pub const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
pub const ACTION: &str = "TerminateInstances";

/// The request every benchmark signs: a 1-ID TerminateInstances in `ap-guangzhou`
/// on the default endpoint, the default signed headers.
pub struct Setup {
    pub credentials: Credentials,
    pub config: ServiceConfig,
    pub one: TerminateInstances,
    pub body: Vec<u8>,
    /// The canonical request and the string to sign, as text.
    pub canonical: String,
    pub string_to_sign: String,
}

impl Setup {
    pub fn new() -> Self {
        let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
        let config = ServiceConfig::builder("ap-guangzhou")
            .build()
            .expect("valid region");
        let one = TerminateInstances::new(["ins-r8hr2upy"]).expect("valid ID");
        let body = one.to_body();
        let params = config
            .signing_params(ACTION, &body, TIMESTAMP)
            .expect("valid parameters");
        let canonical = params.canonical_request().to_string();
        let string_to_sign = params.string_to_sign().to_string();
        Setup {
            credentials,
            config,
            one,
            body,
            canonical,
            string_to_sign,
        }
    }
}

const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn output(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// Lowercase hex, branch-free (the fastest safe encoding measured).
#[inline(always)]
pub fn hex_into(digest: &[u8; 32], out: &mut [u8]) {
    for (pair, &b) in out.chunks_exact_mut(2).zip(digest) {
        let (hi, lo) = (b >> 4, b & 0x0f);
        pair[0] = hi + b'0' + ((hi + 6) >> 4) * 39;
        pair[1] = lo + b'0' + ((lo + 6) >> 4) * 39;
    }
}

/// `text` with its SHA-256 padding, as whole blocks; the message is taken to follow
/// `prior_blocks` blocks already absorbed.
fn padded(text: &[u8], prior_blocks: u64) -> Vec<[u8; 64]> {
    let mut bytes = text.to_vec();
    bytes.push(0x80);
    while bytes.len() % 64 != 56 {
        bytes.push(0);
    }
    let bits = (prior_blocks * 64 + text.len() as u64) * 8;
    bytes.extend_from_slice(&bits.to_be_bytes());
    bytes
        .chunks_exact(64)
        .map(|c| c.try_into().expect("64-byte chunks"))
        .collect()
}

/// SHA-256, continued from `state` (which has absorbed `prior_blocks` blocks) over
/// `data`: whole blocks straight from the input, the padded rest from the stack.
#[inline(always)]
fn sha256_from(mut state: [u32; 8], prior_blocks: u64, data: &[u8]) -> [u8; 32] {
    let (blocks, rest) = data.as_chunks::<64>();
    compress256(&mut state, blocks);
    let mut tail = [[0u8; 64]; 2];
    let flat = tail.as_flattened_mut();
    flat[..rest.len()].copy_from_slice(rest);
    flat[rest.len()] = 0x80;
    let n = if rest.len() < 56 { 1 } else { 2 };
    let bits = (prior_blocks * 64 + data.len() as u64) * 8;
    flat[n * 64 - 8..n * 64].copy_from_slice(&bits.to_be_bytes());
    compress256(&mut state, &tail[..n]);
    output(&state)
}

/// The states of HMAC-SHA256 keyed with `key` (at most 64 bytes): after `key ^ ipad`
/// and after `key ^ opad`.
#[inline(always)]
fn hmac_states(key: &[u8]) -> ([u32; 8], [u32; 8]) {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let (mut inner, mut outer) = (IV, IV);
    compress256(&mut inner, &[block.map(|b| b ^ 0x36)]);
    compress256(&mut outer, &[block.map(|b| b ^ 0x5c)]);
    (inner, outer)
}

#[inline(always)]
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let (inner, outer) = hmac_states(key);
    sha256_from(outer, 1, &sha256_from(inner, 1, data))
}

/// The TC3 signing key: three HMACs (`"TC3" + SecretKey` of up to 61 bytes).
#[inline(always)]
fn k_signing(secret: &str, date: &str, service: &str) -> [u8; 32] {
    let mut k = [0u8; 64];
    k[..3].copy_from_slice(b"TC3");
    k[3..3 + secret.len()].copy_from_slice(secret.as_bytes());
    let k_date = hmac(&k[..3 + secret.len()], date.as_bytes());
    let k_service = hmac(&k_date, service.as_bytes());
    hmac(&k_service, b"tc3_request")
}

/// The warm floor (see the module documentation), prepared for one request.
pub struct Floor {
    date: String,
    // Compression-function floor.
    /// The body padded (only for [`Floor::unchained`]; the floor pads it each time).
    body_blocks: Vec<[u8; 64]>,
    canonical: Vec<[u8; 64]>,
    to_sign: Vec<[u8; 64]>,
    outer_block: [u8; 64],
    inner: [u32; 8],
    outer: [u32; 8],
    // Streaming-API floor.
    canonical_text: Vec<u8>,
    to_sign_text: Vec<u8>,
    keyed: Hmac<Sha256>,
}

impl Floor {
    pub fn new(setup: &Setup) -> Self {
        let canonical = setup.canonical.as_bytes();
        let to_sign = setup.string_to_sign.as_bytes();
        // The date opens the third line: `TC3-HMAC-SHA256\n<ts>\n<date>/cvm/tc3_request\n...`.
        let date = setup.string_to_sign.split('\n').nth(2).expect("scope line")[..10].to_owned();
        let key = k_signing(SECRET_KEY, &date, "cvm");
        let (inner, outer) = hmac_states(&key);
        let outer_block = padded(&[0u8; 32], 1)[0];
        Floor {
            body_blocks: padded(&setup.body, 0),
            canonical: padded(canonical, 0),
            to_sign: padded(to_sign, 1),
            outer_block,
            inner,
            outer,
            canonical_text: canonical.to_vec(),
            to_sign_text: to_sign.to_vec(),
            keyed: <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any length"),
            date,
        }
    }

    /// The warm floor through the compression function.
    #[inline(always)]
    pub fn warm(&mut self, body: &[u8]) -> [u8; 64] {
        let body_hash = sha256_from(IV, 0, body);
        let slot = self.canonical_text.len() - 64;
        hex_into(
            &body_hash,
            &mut self.canonical.as_flattened_mut()[slot..slot + 64],
        );
        let mut s = IV;
        compress256(&mut s, &self.canonical);
        let canonical_hash = output(&s);
        let slot = self.to_sign_text.len() - 64;
        hex_into(
            &canonical_hash,
            &mut self.to_sign.as_flattened_mut()[slot..slot + 64],
        );
        let mut s = self.inner;
        compress256(&mut s, &self.to_sign);
        self.outer_block[..32].copy_from_slice(&output(&s));
        let mut s = self.outer;
        compress256(&mut s, std::slice::from_ref(&self.outer_block));
        let mut hex = [0u8; 64];
        hex_into(&output(&s), &mut hex);
        hex
    }

    /// Not a floor, for reference: the same compressions over the prepared texts
    /// as they stand, each hash independent of the others and no hex written. No
    /// signature can do this (each text contains the previous hash), and the CPU
    /// overlaps the independent hashes.
    #[inline(always)]
    pub fn unchained(&self) -> [[u32; 8]; 4] {
        let mut body = IV;
        compress256(&mut body, black_box(&self.body_blocks));
        let mut canonical = IV;
        compress256(&mut canonical, black_box(&self.canonical));
        let mut inner = self.inner;
        compress256(&mut inner, black_box(&self.to_sign));
        let mut outer = self.outer;
        compress256(
            &mut outer,
            black_box(std::slice::from_ref(&self.outer_block)),
        );
        [body, canonical, inner, outer]
    }

    /// The warm floor through the streaming `Sha256` and `Hmac` APIs.
    #[inline(always)]
    pub fn warm_api(&mut self, body: &[u8]) -> [u8; 64] {
        let body_hash: [u8; 32] = Sha256::digest(body).into();
        let slot = self.canonical_text.len() - 64;
        hex_into(&body_hash, &mut self.canonical_text[slot..]);
        let canonical_hash: [u8; 32] = Sha256::digest(&self.canonical_text).into();
        let slot = self.to_sign_text.len() - 64;
        hex_into(&canonical_hash, &mut self.to_sign_text[slot..]);
        let mut mac = self.keyed.clone();
        mac.update(&self.to_sign_text);
        let mut hex = [0u8; 64];
        hex_into(&mac.finalize().into_bytes().into(), &mut hex);
        hex
    }

    /// The cold floor: the key derived afresh (three HMACs and keying), then the
    /// warm floor.
    #[inline(always)]
    pub fn cold(&mut self, body: &[u8]) -> [u8; 64] {
        let key = k_signing(black_box(SECRET_KEY), black_box(&self.date), "cvm");
        let (inner, outer) = hmac_states(&key);
        self.inner = inner;
        self.outer = outer;
        self.warm(body)
    }
}

/// One contender of an interleaved run: runs its operation `n` times.
pub struct Contender<'a> {
    pub name: &'static str,
    pub run: Box<dyn FnMut(u64) + 'a>,
}

impl<'a> Contender<'a> {
    /// Wraps one operation; the loop is inside, so only batches are dispatched dynamically.
    pub fn new<T>(name: &'static str, mut op: impl FnMut() -> T + 'a) -> Self {
        Contender {
            name,
            run: Box::new(move |n| {
                for _ in 0..n {
                    black_box(op());
                }
            }),
        }
    }
}

/// Nanoseconds per operation of each contender in each round.
pub struct Interleaved {
    pub names: Vec<&'static str>,
    /// `rounds[r][c]`: contender `c` in round `r`.
    pub rounds: Vec<Vec<f64>>,
}

/// Runs the contenders round-robin: in every round each contender runs `reps`
/// batches of about `batch_ms` milliseconds, alternating with the others (the order
/// rotates from round to round), and the round keeps each contender's fastest batch.
/// Ratios taken within a round compare runs made within a few milliseconds of each
/// other, so they survive the clock and load changes of a shared machine that make
/// separate measurements disagree.
pub fn interleave(
    contenders: &mut [Contender<'_>],
    rounds: usize,
    reps: usize,
    batch_ms: f64,
) -> Interleaved {
    // Warm up and size the batches.
    let iters: Vec<u64> = contenders
        .iter_mut()
        .map(|c| {
            (c.run)(1_000);
            let mut n = 1_000u64;
            loop {
                let t = Instant::now();
                (c.run)(n);
                let ms = t.elapsed().as_secs_f64() * 1e3;
                if ms >= batch_ms / 4.0 || n >= 1 << 30 {
                    break ((n as f64 * batch_ms / ms.max(1e-6)) as u64).max(1);
                }
                n *= 4;
            }
        })
        .collect();
    let k = contenders.len();
    let mut out = Vec::with_capacity(rounds);
    for r in 0..rounds {
        let mut best = vec![f64::INFINITY; k];
        for _ in 0..reps {
            for i in 0..k {
                let c = (i + r) % k;
                let t = Instant::now();
                (contenders[c].run)(iters[c]);
                let ns = t.elapsed().as_nanos() as f64 / iters[c] as f64;
                best[c] = best[c].min(ns);
            }
        }
        out.push(best);
    }
    Interleaved {
        names: contenders.iter().map(|c| c.name).collect(),
        rounds: out,
    }
}

impl Interleaved {
    fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no contender {name}"))
    }

    /// `a / b` in every round.
    pub fn ratios(&self, a: &str, b: &str) -> Vec<f64> {
        let (a, b) = (self.index(a), self.index(b));
        self.rounds.iter().map(|r| r[a] / r[b]).collect()
    }

    /// The contender's time in every round.
    pub fn times(&self, name: &str) -> Vec<f64> {
        let i = self.index(name);
        self.rounds.iter().map(|r| r[i]).collect()
    }
}

/// (median, min, max).
pub fn summary(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (median, v[0], v[n - 1])
}
