//! The string to sign: algorithm, timestamp, credential scope and the canonical hash.
//!
//! ```text
//! TC3-HMAC-SHA256 \n
//! <timestamp>     \n
//! <UTC date>/<service>/tc3_request \n
//! hex(sha256(canonical request))
//! ```

use std::fmt;

use super::date::UtcDate;
use super::sink::Sink;

/// The algorithm name, first line of the string to sign and of the Authorization header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The string to sign of one signing operation.
#[derive(Clone, Copy)]
pub struct StringToSign<'a> {
    timestamp: Decimal,
    date: UtcDate,
    service: &'a str,
    canonical_hash: [u8; 64],
}

impl<'a> StringToSign<'a> {
    /// Assembles the string to sign from its parts.
    pub fn new(timestamp: u64, date: UtcDate, service: &'a str, canonical_hash: [u8; 64]) -> Self {
        StringToSign {
            timestamp: Decimal::new(timestamp),
            date,
            service,
            canonical_hash,
        }
    }

    /// Like [`StringToSign::new`] with the timestamp already in decimal.
    pub(crate) fn from_parts(
        timestamp: Decimal,
        date: UtcDate,
        service: &'a str,
        canonical_hash: [u8; 64],
    ) -> Self {
        StringToSign {
            timestamp,
            date,
            service,
            canonical_hash,
        }
    }

    pub(crate) fn write_to(&self, sink: &mut impl Sink) {
        sink.put(ALGORITHM.as_bytes());
        sink.put(b"\n");
        self.write_after_algorithm_to(sink);
    }

    /// Everything after the constant `TC3-HMAC-SHA256\n` line, in one write when
    /// it fits a stack buffer (hashers pay per write).
    pub(crate) fn write_after_algorithm_to(&self, sink: &mut impl Sink) {
        let parts: [&[u8]; 7] = [
            self.timestamp.as_bytes(),
            b"\n",
            self.date.as_bytes(),
            b"/",
            self.service.as_bytes(),
            b"/tc3_request\n",
            &self.canonical_hash,
        ];
        let mut line = [0u8; 192];
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len <= line.len() {
            let mut at = 0;
            for p in parts {
                line[at..at + p.len()].copy_from_slice(p);
                at += p.len();
            }
            sink.put(&line[..len]);
        } else {
            for p in parts {
                sink.put(p);
            }
        }
    }
}

/// The decimal digits of a `u64`, inline (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: u8,
}

impl Decimal {
    pub(crate) fn new(mut v: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        Decimal {
            digits,
            start: i as u8,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[usize::from(self.start)..]
    }
}

impl fmt::Display for StringToSign<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        self.write_to(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

impl fmt::Debug for StringToSign<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StringToSign")
            .field(&self.to_string())
            .finish()
    }
}
