//! One access-log line per request: when, who, what, how many, result, RequestId.

use std::fmt;

use http::Request;
use tencentcloud_cvm_core::utc_time::format_utc;

use crate::api::auth::secret_id_of;
use crate::api::request_headers;
use crate::api::response;
use crate::now::Now;

/// What the access log records about one request. Never holds a secret: the SecretId is
/// public (it is in every `Authorization` header) and is the only credential part kept.
///
/// `Display` renders one line, with untrusted text escaped so a request cannot forge lines:
///
/// ```
/// use tencentcloud_cvm_emulator::AccessLogEntry;
/// let entry = AccessLogEntry {
///     unix_seconds: 1_700_000_000,
///     secret_id: Some("AKIDexample".into()),
///     action: Some("TerminateInstances".into()),
///     instance_count: 2,
///     result: "OK".into(),
///     request_id: "6f1f2a8e-1c1e-4d52-9c7e-1f1f2a8e1c1e".into(),
///     fault: None,
///     host: Some("127.0.0.1:9000".into()),
/// };
/// assert_eq!(
///     entry.to_string(),
///     "2023-11-14T22:13:20Z secret_id=AKIDexample action=TerminateInstances ids=2 \
///      result=OK request_id=6f1f2a8e-1c1e-4d52-9c7e-1f1f2a8e1c1e host=127.0.0.1:9000",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLogEntry {
    /// When the request was handled (Unix seconds).
    pub unix_seconds: u64,
    /// The SecretId of the `Authorization` header, if it could be read.
    pub secret_id: Option<String>,
    /// The `X-TC-Action` header, if present.
    pub action: Option<String>,
    /// How many instance IDs the request named (0 if its parameters were unreadable).
    pub instance_count: usize,
    /// `OK`, or the error code returned.
    pub result: String,
    /// The RequestId returned, or `-` if no response was sent.
    pub request_id: String,
    /// The injected fault that shaped this request's fate, if any.
    pub fault: Option<&'static str>,
    /// The `Host` the request was sent to (its access endpoint, which throttling
    /// counts by), if present.
    pub host: Option<String>,
}

impl AccessLogEntry {
    /// An entry for a request of `action` at `now` answered with `request_id`, before
    /// anything else is known: no SecretId, no IDs, no result, no fault.
    pub(crate) fn new(now: Now, action: Option<String>, request_id: String) -> Self {
        AccessLogEntry {
            unix_seconds: now.unix_seconds(),
            secret_id: None,
            action,
            instance_count: 0,
            result: String::new(),
            request_id,
            fault: None,
            host: None,
        }
    }

    /// An entry for an API request at `now`, with its SecretId and action as the
    /// headers give them and a fresh RequestId.
    pub(crate) fn for_request(request: &Request<Vec<u8>>, now: Now) -> Self {
        let headers = request.headers();
        AccessLogEntry {
            secret_id: headers
                .get("authorization")
                .and_then(|v| secret_id_of(v.as_bytes())),
            host: request_headers::text(headers, "host"),
            ..AccessLogEntry::new(
                now,
                request_headers::text(headers, "x-tc-action"),
                response::request_id(),
            )
        }
    }
}

/// Formats Unix seconds as RFC 3339 UTC, e.g. `2023-11-14T22:13:20Z`.
///
/// ```
/// assert_eq!(tencentcloud_cvm_emulator::rfc3339(0), "1970-01-01T00:00:00Z");
/// ```
pub fn rfc3339(unix_seconds: u64) -> String {
    format_utc(unix_seconds)
}

struct Field<'a>(Option<&'a str>);

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None | Some("") => f.write_str("-"),
            Some(text) => {
                for c in text.chars().take(128) {
                    if c.is_ascii_graphic() && c != '\\' && c != '"' {
                        fmt::Write::write_char(f, c)?;
                    } else {
                        write!(f, "{}", c.escape_unicode())?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for AccessLogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} secret_id={} action={} ids={} result={} request_id={}",
            rfc3339(self.unix_seconds),
            Field(self.secret_id.as_deref()),
            Field(self.action.as_deref()),
            self.instance_count,
            Field(Some(&self.result)),
            Field(Some(&self.request_id)),
        )?;
        if let Some(host) = &self.host {
            write!(f, " host={}", Field(Some(host)))?;
        }
        if let Some(fault) = self.fault {
            write!(f, " fault={fault}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_fields_stay_on_one_line() {
        let entry = AccessLogEntry {
            unix_seconds: u64::MAX,
            secret_id: Some("AK ID\nfake line".into()),
            action: Some(String::new()),
            instance_count: 0,
            result: "AuthFailure.SecretIdNotFound".into(),
            request_id: "-".into(),
            fault: Some("CloseBeforeStateChange"),
            host: Some("a b".into()),
        };
        let line = entry.to_string();
        assert!(!line.contains('\n'));
        assert!(line.contains("secret_id=AK\\u{20}ID\\u{a}fake\\u{20}line action=- "));
        assert!(line.ends_with(" host=a\\u{20}b fault=CloseBeforeStateChange"));
    }

    #[test]
    fn time_of_day() {
        assert_eq!(rfc3339(1_700_006_399), "2023-11-14T23:59:59Z");
    }
}
