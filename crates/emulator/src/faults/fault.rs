//! Faults a [`ServerHandle`](crate::ServerHandle) can inject into its next requests.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A misbehaviour for one request. Injected faults queue up: each request that
/// arrives takes the first one queued for its action (or for any action), in order;
/// requests that find none are served normally. See
/// [`ServerHandle::inject`](crate::ServerHandle::inject) and
/// [`inject_for`](crate::ServerHandle::inject_for). The pure handler takes one too:
/// [`Emulator::handle_with_fault`](crate::Emulator::handle_with_fault).
///
/// Whether the emulator's state changes is part of each fault's contract, because it
/// is what a client must reason about when it cannot see the outcome.
///
/// Transport faults (served by a [`Server`](crate::Server) only):
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
/// Read faults (for `DescribeInstances`, and `DescribeInstancesStatus` where its
/// entries have the field; a successful read's answer is rewritten, nothing changes):
///
/// | fault | what the read answers |
/// | --- | --- |
/// | `DuplicateEntry` | every entry twice, the copy in another state (`RUNNING` for any other state, `SHUTDOWN` for `RUNNING`) |
/// | `Field { field, change }` | each entry's `field` `null`, empty, missing, in lower case, or another value |
/// | `TotalCount(n)` | `TotalCount` `n`, whatever the set holds |
/// | `DropEntries` | an empty set, with the true `TotalCount` |
/// | `ExtraEntry(id)` | one more entry, for `id`, which was not asked for (`RUNNING`, pay-as-you-go) |
/// | `LatestOperationFailed` | each entry `RUNNING`, `LatestOperation` `TerminateInstances`, `LatestOperationState` `FAILED`, with a `LatestOperationRequestId` of another request |
/// | `RefuseRead { id, code }` | a read that names `id` (in `InstanceIds` or a filter value) is refused with `code`, naming `id`; a request that does not name it does not take the fault |
///
/// Action faults:
///
/// | fault | state change applied? | what the client sees |
/// | --- | --- | --- |
/// | `StaleReads(n)` | yes | the normal answer; then each instance it changed reads as before for `n` more reads |
/// | `StaleReadsFor(d)` | yes | the normal answer; then reads show the instances as before for `d` |
/// | `PartialBatch { acted, code }` | on the first `acted` instances named, in order | the error `code`, naming the first instance not acted on |
/// | `Refuse(code)` | no | the error `code` for the whole request, naming no instance (as `FailedOperation.Unreturnable`'s "The instance is unreturnable." does) |
///
/// A TerminateInstances counts in [`TerminationRecord`](crate::TerminationRecord)'s
/// `requests` under every fault that lets it reach the emulator.
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
    /// A read lists every entry twice, the copy in another state.
    DuplicateEntry,
    /// A read shows one field of each entry changed.
    Field {
        /// The field, as the API names it (e.g. `InstanceChargeType`, `InstanceState`).
        field: String,
        /// What happens to it.
        change: FieldChange,
    },
    /// A read says this `TotalCount`, whatever its set holds.
    TotalCount(u64),
    /// A read's set is empty; its `TotalCount` is the true one.
    DropEntries,
    /// A read lists one more instance, which was not asked for.
    ExtraEntry(String),
    /// A read shows each instance `RUNNING` with a failed TerminateInstances of another
    /// request as its latest operation.
    LatestOperationFailed,
    /// A read naming `id` is refused with `code`, because of that one ID.
    RefuseRead {
        /// The instance the refusal names.
        id: String,
        /// The error code, e.g. `UnauthorizedOperation`.
        code: String,
    },
    /// The request is applied; then reads show the instances it changed as they were
    /// before, for this many reads of each.
    StaleReads(u32),
    /// The request is applied; then reads show the instances it changed as they were
    /// before, for this long.
    StaleReadsFor(Duration),
    /// A TerminateInstances acts on the first `acted` instances it names, then answers
    /// the error `code` naming the first one it did not act on.
    PartialBatch {
        /// How many instances it acts on, in the order named.
        acted: usize,
        /// The error code, e.g. `FailedOperation.Unreturnable`.
        code: String,
    },
    /// The whole request is refused with this code, naming no instance; nothing changes.
    Refuse(String),
}

/// What a [`Fault::Field`] does to the field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldChange {
    /// `null`.
    Null,
    /// `""`.
    Empty,
    /// Left out.
    Missing,
    /// Its text in lower case (`running`, `prepaid`).
    Lowercase,
    /// This text instead (e.g. a charge type the client does not know).
    Value(String),
}

/// The default code of [`Fault::RefuseRead`], [`Fault::PartialBatch`] and
/// [`Fault::Refuse`] when a spec names none.
pub(crate) const DEFAULT_READ_REFUSAL: &str = "UnauthorizedOperation";
/// The default code of [`Fault::PartialBatch`] and [`Fault::Refuse`] when a spec names none.
pub(crate) const DEFAULT_REFUSAL: &str = "FailedOperation.Unreturnable";

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
            Fault::DuplicateEntry => "DuplicateEntry",
            Fault::Field { .. } => "Field",
            Fault::TotalCount(_) => "TotalCount",
            Fault::DropEntries => "DropEntries",
            Fault::ExtraEntry(_) => "ExtraEntry",
            Fault::LatestOperationFailed => "LatestOperationFailed",
            Fault::RefuseRead { .. } => "RefuseRead",
            Fault::StaleReads(_) => "StaleReads",
            Fault::StaleReadsFor(_) => "StaleReadsFor",
            Fault::PartialBatch { .. } => "PartialBatch",
            Fault::Refuse(_) => "Refuse",
        }
    }

    /// Whether the emulator handles the request (and may change state) under this fault.
    pub fn applies_request(&self) -> bool {
        !matches!(self, Fault::ServerErrorHtml | Fault::CloseBeforeStateChange)
    }

    /// Whether it is a read fault: one that rewrites a read's answer (or refuses a
    /// read), for `DescribeInstances`. The emulator binary injects these for reads, and
    /// the others for TerminateInstances.
    pub fn is_read_fault(&self) -> bool {
        matches!(
            self,
            Fault::DuplicateEntry
                | Fault::Field { .. }
                | Fault::TotalCount(_)
                | Fault::DropEntries
                | Fault::ExtraEntry(_)
                | Fault::LatestOperationFailed
                | Fault::RefuseRead { .. }
        )
    }

    /// Whether a request whose body and query are `text` may take this fault: a
    /// [`Fault::RefuseRead`] waits for a request that names its instance, every other
    /// fault takes the next request.
    pub(crate) fn takes(&self, text: &[u8]) -> bool {
        match self {
            Fault::RefuseRead { id, .. } => {
                text.windows(id.len().max(1)).any(|w| w == id.as_bytes())
            }
            _ => true,
        }
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
/// | `duplicate-entry` | `DuplicateEntry` |
/// | `field=InstanceChargeType:null`, `…:empty`, `…:missing`, `…:lowercase`, `…:value=UNDERWRITE` | `Field` |
/// | `total-count=1` | `TotalCount` |
/// | `drop-entries` | `DropEntries` |
/// | `extra-entry=ins-xxxxxxxx` | `ExtraEntry` |
/// | `latest-operation-failed` | `LatestOperationFailed` |
/// | `refuse-read=ins-xxxxxxxx`, `refuse-read=ins-xxxxxxxx:CODE` | `RefuseRead` (default code `UnauthorizedOperation`) |
/// | `stale-reads=3`, `stale-reads=500ms`, `stale-reads=2s` | `StaleReads` (reads), `StaleReadsFor` |
/// | `partial-batch=1`, `partial-batch=1:CODE` | `PartialBatch` (default code `FailedOperation.Unreturnable`) |
/// | `refuse`, `refuse=CODE` | `Refuse` (default code `FailedOperation.Unreturnable`) |
///
/// Codes are letters, digits and dots (`FailedOperation.Unreturnable`); field names
/// letters and digits.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_emulator::{Fault, FieldChange};
/// assert_eq!("delay=300ms".parse(), Ok(Fault::Delay(Duration::from_millis(300))));
/// assert_eq!("close-after-state-change".parse(), Ok(Fault::CloseAfterStateChange));
/// assert_eq!(Fault::OversizedBody(2048).to_string(), "oversized-body=2048");
/// assert_eq!(
///     "field=InstanceState:lowercase".parse(),
///     Ok(Fault::Field { field: "InstanceState".into(), change: FieldChange::Lowercase })
/// );
/// assert_eq!("stale-reads=500ms".parse(), Ok(Fault::StaleReadsFor(Duration::from_millis(500))));
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
        let code = |text: &str| {
            is_code(text).then(|| text.to_owned()).ok_or_else(|| {
                bad("a code is 1 to 64 letters, digits and dots, e.g. `FailedOperation.Unreturnable`")
            })
        };
        let fault = match (name, value) {
            ("delay", Some(v)) => Fault::Delay(parse_duration(v).ok_or_else(|| {
                bad("the delay is whole milliseconds or seconds, e.g. `300ms` or `2s`")
            })?),
            ("oversized-body", Some(v)) => Fault::OversizedBody(
                v.parse()
                    .map_err(|_| bad("the size is a number of bytes, e.g. `2097152`"))?,
            ),
            ("field", Some(v)) => {
                let (field, change) = v.split_once(':').ok_or_else(|| {
                    bad("write `field=NAME:CHANGE`, CHANGE one of null, empty, missing, lowercase, value=TEXT")
                })?;
                if !is_field(field) {
                    return Err(bad("a field name is 1 to 64 letters and digits"));
                }
                let change = match change {
                    "null" => FieldChange::Null,
                    "empty" => FieldChange::Empty,
                    "missing" => FieldChange::Missing,
                    "lowercase" => FieldChange::Lowercase,
                    other => match other.strip_prefix("value=") {
                        Some(text) if text.chars().count() <= 64 => {
                            FieldChange::Value(text.to_owned())
                        }
                        _ => {
                            return Err(bad(
                                "the change is null, empty, missing, lowercase or value=TEXT (at most 64 characters)",
                            ))
                        }
                    },
                };
                Fault::Field {
                    field: field.to_owned(),
                    change,
                }
            }
            ("total-count", Some(v)) => Fault::TotalCount(
                v.parse()
                    .map_err(|_| bad("the count is a number, e.g. `1`"))?,
            ),
            ("extra-entry", Some(v)) => {
                if !crate::is_valid_instance_id(v) {
                    return Err(bad("the entry is an instance ID, e.g. `ins-abcd1234`"));
                }
                Fault::ExtraEntry(v.to_owned())
            }
            ("refuse-read", Some(v)) => {
                let (id, c) = match v.split_once(':') {
                    Some((id, c)) => (id, code(c)?),
                    None => (v, DEFAULT_READ_REFUSAL.to_owned()),
                };
                if !crate::is_valid_instance_id(id) {
                    return Err(bad("write `refuse-read=ins-xxxxxxxx[:CODE]`"));
                }
                Fault::RefuseRead {
                    id: id.to_owned(),
                    code: c,
                }
            }
            ("stale-reads", Some(v)) => match parse_duration(v) {
                Some(d) => Fault::StaleReadsFor(d),
                None => Fault::StaleReads(v.parse().map_err(|_| {
                    bad("the lag is a number of reads (`3`) or a time (`500ms`, `2s`)")
                })?),
            },
            ("partial-batch", Some(v)) => {
                let (acted, c) = match v.split_once(':') {
                    Some((acted, c)) => (acted, code(c)?),
                    None => (v, DEFAULT_REFUSAL.to_owned()),
                };
                let acted = acted
                    .parse()
                    .map_err(|_| bad("write `partial-batch=N[:CODE]`, N instances acted on"))?;
                Fault::PartialBatch { acted, code: c }
            }
            ("refuse", None) => Fault::Refuse(DEFAULT_REFUSAL.to_owned()),
            ("refuse", Some(v)) => Fault::Refuse(code(v)?),
            (
                "delay" | "oversized-body" | "field" | "total-count" | "extra-entry"
                | "refuse-read" | "stale-reads" | "partial-batch",
                None,
            ) => {
                return Err(bad(
                    "this fault takes a value, e.g. `delay=300ms`, `total-count=1`",
                ))
            }
            ("server-error-html", None) => Fault::ServerErrorHtml,
            ("close-before-state-change", None) => Fault::CloseBeforeStateChange,
            ("close-after-state-change", None) => Fault::CloseAfterStateChange,
            ("truncated-body", None) => Fault::TruncatedBody,
            ("wrong-content-type", None) => Fault::WrongContentType,
            ("duplicate-entry", None) => Fault::DuplicateEntry,
            ("drop-entries", None) => Fault::DropEntries,
            ("latest-operation-failed", None) => Fault::LatestOperationFailed,
            (
                "server-error-html"
                | "close-before-state-change"
                | "close-after-state-change"
                | "truncated-body"
                | "wrong-content-type"
                | "duplicate-entry"
                | "drop-entries"
                | "latest-operation-failed",
                Some(_),
            ) => return Err(bad("this fault takes no value")),
            _ => return Err(bad("unknown fault")),
        };
        Ok(fault)
    }
}

/// An error code as the service writes them: letters, digits and dots.
fn is_code(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// A field name as the API writes them: letters and digits.
fn is_field(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
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

/// A duration as a spec writes it: whole seconds when it is, else whole milliseconds.
fn spec_duration(d: &Duration) -> String {
    if d.subsec_millis() == 0 && d.as_nanos().is_multiple_of(1_000_000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Delay(d) => write!(f, "delay={}", spec_duration(d)),
            Fault::ServerErrorHtml => f.write_str("server-error-html"),
            Fault::CloseBeforeStateChange => f.write_str("close-before-state-change"),
            Fault::CloseAfterStateChange => f.write_str("close-after-state-change"),
            Fault::TruncatedBody => f.write_str("truncated-body"),
            Fault::OversizedBody(n) => write!(f, "oversized-body={n}"),
            Fault::WrongContentType => f.write_str("wrong-content-type"),
            Fault::DuplicateEntry => f.write_str("duplicate-entry"),
            Fault::Field { field, change } => {
                write!(f, "field={field}:")?;
                match change {
                    FieldChange::Null => f.write_str("null"),
                    FieldChange::Empty => f.write_str("empty"),
                    FieldChange::Missing => f.write_str("missing"),
                    FieldChange::Lowercase => f.write_str("lowercase"),
                    FieldChange::Value(text) => write!(f, "value={text}"),
                }
            }
            Fault::TotalCount(n) => write!(f, "total-count={n}"),
            Fault::DropEntries => f.write_str("drop-entries"),
            Fault::ExtraEntry(id) => write!(f, "extra-entry={id}"),
            Fault::LatestOperationFailed => f.write_str("latest-operation-failed"),
            Fault::RefuseRead { id, code } => write!(f, "refuse-read={id}:{code}"),
            Fault::StaleReads(n) => write!(f, "stale-reads={n}"),
            Fault::StaleReadsFor(d) => write!(f, "stale-reads={}", spec_duration(d)),
            Fault::PartialBatch { acted, code } => write!(f, "partial-batch={acted}:{code}"),
            Fault::Refuse(code) => write!(f, "refuse={code}"),
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
             oversized-body=BYTES, wrong-content-type, duplicate-entry, \
             field=NAME:(null|empty|missing|lowercase|value=TEXT), total-count=N, \
             drop-entries, extra-entry=ID, latest-operation-failed, refuse-read=ID[:CODE], \
             stale-reads=(N|DURATION), partial-batch=N[:CODE], refuse[=CODE]",
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
            Fault::DuplicateEntry,
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: FieldChange::Null,
            },
            Fault::Field {
                field: "InstanceState".into(),
                change: FieldChange::Empty,
            },
            Fault::Field {
                field: "InstanceState".into(),
                change: FieldChange::Missing,
            },
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: FieldChange::Lowercase,
            },
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: FieldChange::Value("UNDERWRITE".into()),
            },
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: FieldChange::Value(String::new()),
            },
            Fault::TotalCount(1),
            Fault::DropEntries,
            Fault::ExtraEntry("ins-extra001".into()),
            Fault::LatestOperationFailed,
            Fault::RefuseRead {
                id: "ins-00000001".into(),
                code: "UnauthorizedOperation".into(),
            },
            Fault::StaleReads(3),
            Fault::StaleReadsFor(Duration::from_millis(500)),
            Fault::StaleReadsFor(Duration::from_secs(2)),
            Fault::PartialBatch {
                acted: 1,
                code: "InvalidInstanceId.NotFound".into(),
            },
            Fault::Refuse("FailedOperation.Unreturnable".into()),
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
        // Codes default where a spec leaves them out.
        assert_eq!(
            "refuse".parse(),
            Ok(Fault::Refuse("FailedOperation.Unreturnable".into()))
        );
        assert_eq!(
            "partial-batch=2".parse(),
            Ok(Fault::PartialBatch {
                acted: 2,
                code: "FailedOperation.Unreturnable".into()
            })
        );
        assert_eq!(
            "refuse-read=ins-00000001".parse(),
            Ok(Fault::RefuseRead {
                id: "ins-00000001".into(),
                code: "UnauthorizedOperation".into()
            })
        );
        assert_eq!("stale-reads=0".parse(), Ok(Fault::StaleReads(0)));
    }

    #[test]
    fn read_faults_are_told_apart() {
        assert!(Fault::DuplicateEntry.is_read_fault());
        assert!(Fault::TotalCount(1).is_read_fault());
        assert!(!Fault::StaleReads(1).is_read_fault());
        assert!(!Fault::Refuse("X".into()).is_read_fault());
        let refuse = Fault::RefuseRead {
            id: "ins-00000001".into(),
            code: "X".into(),
        };
        assert!(refuse.takes(br#"{"InstanceIds":["ins-00000001"]}"#));
        assert!(!refuse.takes(br#"{"InstanceIds":["ins-00000002"]}"#));
        assert!(Fault::DropEntries.takes(b""));
    }

    #[test]
    fn refusals_quote_a_bounded_part_of_the_spec() {
        for spec in [
            "\u{10ffff}".repeat(1000),
            format!("field=F:{}", "\u{10ffff}".repeat(1000)),
            format!("refuse-read=ins-00000001:{}", "x".repeat(1000)),
        ] {
            let e = spec.parse::<Fault>().unwrap_err().to_string();
            assert!(e.len() <= 64 * 10 + 600, "{} bytes", e.len());
        }
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
            "field",
            "field=InstanceState",
            "field=InstanceState:upper",
            "field=Instance-State:null",
            "field=:null",
            "total-count=-1",
            "total-count=x",
            "extra-entry=ins-1",
            "refuse-read=ins-1",
            "refuse-read=ins-00000001:",
            "refuse-read=ins-00000001:Bad Code",
            "stale-reads=1.5",
            "stale-reads=",
            "partial-batch=x",
            "partial-batch=1:",
            "refuse=",
            "refuse=a\nb",
            "duplicate-entry=1",
            "drop-entries=yes",
            "latest-operation-failed=1",
        ] {
            let e = bad.parse::<Fault>().unwrap_err();
            assert!(e.to_string().starts_with("invalid fault"), "{bad}: {e}");
        }
    }
}
