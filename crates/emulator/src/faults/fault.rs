//! Faults a [`ServerHandle`](crate::ServerHandle) can inject into its next requests.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A misbehaviour for one request. Injected faults queue up: each request that
/// arrives takes the first one queued for its action (or for any action), in order;
/// requests that find none are served normally. See
/// [`ServerHandle::inject`](crate::ServerHandle::inject) and
/// [`inject_for`](crate::ServerHandle::inject_for).
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

/// A fault written as the emulator binary's `--fault` takes it: the variant in
/// kebab-case, and for the variants with a parameter `=` and its value.
///
/// | spec | fault |
/// | --- | --- |
/// | `delay=300ms`, `delay=2s` | `Delay` (whole milliseconds or seconds) |
/// | `server-error-html` | `ServerErrorHtml` |
/// | `close-before-state-change` | `CloseBeforeStateChange` |
/// | `close-after-state-change` | `CloseAfterStateChange` |
/// | `truncated-body` | `TruncatedBody` |
/// | `oversized-body=2097152` | `OversizedBody` (bytes) |
/// | `wrong-content-type` | `WrongContentType` |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_emulator::Fault;
/// assert_eq!("delay=300ms".parse(), Ok(Fault::Delay(Duration::from_millis(300))));
/// assert_eq!("close-after-state-change".parse(), Ok(Fault::CloseAfterStateChange));
/// assert_eq!(Fault::OversizedBody(2048).to_string(), "oversized-body=2048");
/// assert!("delay".parse::<Fault>().is_err());
/// ```
impl FromStr for Fault {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| FaultSpecError {
            spec: spec.chars().take(64).collect(),
            why: why.to_owned(),
        };
        let (name, value) = match spec.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (spec, None),
        };
        let fault = match (name, value) {
            ("delay", Some(v)) => Fault::Delay(parse_duration(v).ok_or_else(|| {
                bad("the delay is whole milliseconds or seconds, e.g. `300ms` or `2s`")
            })?),
            ("oversized-body", Some(v)) => Fault::OversizedBody(
                v.parse()
                    .map_err(|_| bad("the size is a number of bytes, e.g. `2097152`"))?,
            ),
            ("delay" | "oversized-body", None) => {
                return Err(bad(
                    "this fault takes a value: `delay=300ms`, `oversized-body=2097152`",
                ))
            }
            ("server-error-html", None) => Fault::ServerErrorHtml,
            ("close-before-state-change", None) => Fault::CloseBeforeStateChange,
            ("close-after-state-change", None) => Fault::CloseAfterStateChange,
            ("truncated-body", None) => Fault::TruncatedBody,
            ("wrong-content-type", None) => Fault::WrongContentType,
            (
                "server-error-html"
                | "close-before-state-change"
                | "close-after-state-change"
                | "truncated-body"
                | "wrong-content-type",
                Some(_),
            ) => return Err(bad("this fault takes no value")),
            _ => return Err(bad("unknown fault")),
        };
        Ok(fault)
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let number = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u64>().ok())
            .flatten()
    };
    if let Some(ms) = text.strip_suffix("ms") {
        return number(ms).map(Duration::from_millis);
    }
    text.strip_suffix('s')
        .and_then(number)
        .map(Duration::from_secs)
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Delay(d) if d.subsec_millis() == 0 && d.as_nanos() % 1_000_000 == 0 => {
                write!(f, "delay={}s", d.as_secs())
            }
            Fault::Delay(d) => write!(f, "delay={}ms", d.as_millis()),
            Fault::ServerErrorHtml => f.write_str("server-error-html"),
            Fault::CloseBeforeStateChange => f.write_str("close-before-state-change"),
            Fault::CloseAfterStateChange => f.write_str("close-after-state-change"),
            Fault::TruncatedBody => f.write_str("truncated-body"),
            Fault::OversizedBody(n) => write!(f, "oversized-body={n}"),
            Fault::WrongContentType => f.write_str("wrong-content-type"),
        }
    }
}

/// A fault spec that names no [`Fault`] (see its `FromStr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpecError {
    spec: String,
    why: String,
}

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid fault `{}`: {}; faults are delay=DURATION, server-error-html, \
             close-before-state-change, close-after-state-change, truncated-body, \
             oversized-body=BYTES, wrong-content-type",
            self.spec.escape_default(),
            self.why
        )
    }
}

impl std::error::Error for FaultSpecError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_round_trips_through_its_spec() {
        for fault in [
            Fault::Delay(Duration::from_millis(300)),
            Fault::Delay(Duration::from_secs(2)),
            Fault::Delay(Duration::ZERO),
            Fault::ServerErrorHtml,
            Fault::CloseBeforeStateChange,
            Fault::CloseAfterStateChange,
            Fault::TruncatedBody,
            Fault::OversizedBody(2 * 1024 * 1024),
            Fault::WrongContentType,
        ] {
            assert_eq!(
                fault.to_string().parse::<Fault>(),
                Ok(fault.clone()),
                "{fault}"
            );
        }
        // Sub-millisecond delays are shown rounded down: the spec has whole milliseconds.
        assert_eq!(
            Fault::Delay(Duration::from_micros(1500)).to_string(),
            "delay=1ms"
        );
    }

    #[test]
    fn bad_specs() {
        for bad in [
            "",
            "delay",
            "delay=",
            "delay=300",
            "delay=1.5s",
            "delay=-1s",
            "delay=+1s",
            "delay=ms",
            "delay=99999999999999999999999ms",
            "oversized-body",
            "oversized-body=2MiB",
            "truncated-body=1",
            "Truncated-Body",
            "CloseAfterStateChange",
            "teapot",
        ] {
            let e = bad.parse::<Fault>().unwrap_err();
            assert!(e.to_string().starts_with("invalid fault"), "{bad}: {e}");
        }
    }
}
