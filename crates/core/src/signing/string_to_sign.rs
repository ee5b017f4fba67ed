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
        write_head(sink, &self.timestamp, self.date, self.service);
        sink.put(&self.canonical_hash);
    }
}

/// Everything before the canonical request hash: the same for every request signed
/// in one second for one service, so the signer prepares it once per second.
pub(crate) fn write_head(sink: &mut impl Sink, timestamp: &Decimal, date: UtcDate, service: &str) {
    sink.put(ALGORITHM.as_bytes());
    sink.put(b"\n");
    sink.put(timestamp.as_bytes());
    sink.put(b"\n");
    sink.put(date.as_bytes());
    sink.put(b"/");
    sink.put(service.as_bytes());
    sink.put(b"/tc3_request\n");
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
