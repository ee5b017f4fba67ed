//! Faults a [`ServerHandle`](crate::ServerHandle) can inject into its next requests.

use std::time::Duration;

/// A misbehaviour for one request. Injected faults queue up: each request that
/// arrives takes the next one, in order; requests arriving with the queue empty are
/// served normally.
///
/// Whether the emulator's state changes is part of each fault's contract, because it
/// is what a client must reason about when it cannot see the outcome:
///
/// | fault | state change applied? | what the client sees |
/// | --- | --- | --- |
/// | `Delay(d)` | yes, at once | the normal response, `d` late (a client that times out cannot know the outcome) |
/// | `ServerErrorHtml` | no | HTTP 502, `text/html` body |
/// | `CloseBeforeStateChange` | no | the request is read, then the connection closes with no response |
/// | `CloseAfterStateChange` | yes | the connection closes with no response |
/// | `TruncatedBody` | yes | status and headers, a `Content-Length` larger than what follows, then the connection closes |
/// | `OversizedBody(n)` | yes | HTTP 200, a valid JSON envelope padded with whitespace to `n` bytes |
/// | `WrongContentType` | yes | HTTP 200, `Content-Type: text/plain`, a plain-text (not JSON) body |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_emulator::{Emulator, Fault, Server};
/// let server = Server::start(Emulator::builder().instances(1).build()?, "127.0.0.1:0")?;
/// server.inject(Fault::Delay(Duration::from_millis(300)));
/// server.inject(Fault::CloseAfterStateChange);
/// // The next request is answered late; the one after it is applied but unanswered.
/// assert_eq!(server.pending_faults(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Handle the request normally (the state changes at once), then wait this
    /// long before answering.
    Delay(Duration),
    /// Answer HTTP 502 with an HTML page, as a failing gateway does; state untouched.
    ServerErrorHtml,
    /// Read the request, then close the connection without answering; state untouched.
    CloseBeforeStateChange,
    /// Handle the request (state changes), then close the connection without answering.
    CloseAfterStateChange,
    /// Handle the request, send the headers and part of the body, then cut the connection.
    TruncatedBody,
    /// Handle the request and answer with a valid JSON envelope padded to this many bytes.
    OversizedBody(usize),
    /// Handle the request and answer with `Content-Type: text/plain` and a non-JSON body.
    WrongContentType,
}

impl Fault {
    /// The variant's name, as the access log shows it.
    ///
    /// ```
    /// assert_eq!(tencentcloud_cvm_emulator::Fault::TruncatedBody.name(), "TruncatedBody");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Delay(_) => "Delay",
            Fault::ServerErrorHtml => "ServerErrorHtml",
            Fault::CloseBeforeStateChange => "CloseBeforeStateChange",
            Fault::CloseAfterStateChange => "CloseAfterStateChange",
            Fault::TruncatedBody => "TruncatedBody",
            Fault::OversizedBody(_) => "OversizedBody",
            Fault::WrongContentType => "WrongContentType",
        }
    }

    /// Whether the emulator handles the request (and may change state) under this fault.
    pub fn applies_request(&self) -> bool {
        !matches!(self, Fault::ServerErrorHtml | Fault::CloseBeforeStateChange)
    }
}
