//! [`Transmit`]: a request the driver is to send, and the [`Token`] its answer comes back with.

use std::fmt;

use crate::actions::Action;

/// Names one attempt of one request of a run. The driver hands it back with
/// the answer; an answer for an attempt the run has given up on (a deadline,
/// an abort) is ignored.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(u64);

impl Token {
    pub(crate) fn new(job: usize, attempt: u32) -> Token {
        Token(((job as u64) << 32) | u64::from(attempt))
    }
    pub(crate) fn job(self) -> usize {
        (self.0 >> 32) as usize
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}#{})", self.0 >> 32, self.0 & 0xffff_ffff)
    }
}

/// A signed request to send now.
///
/// `Authorization` and `X-TC-Token` are marked sensitive, so `Debug` output
/// of the request does not show them.
#[derive(Debug)]
#[non_exhaustive]
pub struct Transmit {
    /// Hand this back to [`Termination::handle_response`](super::Termination::handle_response) with the answer.
    pub token: Token,
    /// The request, ready for any HTTP client.
    pub request: http::Request<Vec<u8>>,
    /// The action it sends.
    pub action: Action,
    /// How many instances the request names.
    pub instances: usize,
    /// 1 for the first attempt, 2 for the first retry, ….
    pub attempt: u32,
}
