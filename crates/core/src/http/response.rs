//! Parsing responses: the success envelope, the error envelope, and everything
//! that is neither (an HTML 502 page, a truncated body, a wrong type).
//!
//! ```text
//! {"Response":{"RequestId":"…"}}                                  -> Ok(Success)
//! {"Response":{"Error":{"Code":"…","Message":"…"},"RequestId":"…"}} -> Err(ResponseError::Service)
//! anything else                                                   -> Err(another ResponseError)
//! ```

use std::fmt;

use http::Response;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::model::error_code::{Disposition, ErrorCode};

/// The default cap on a response body (1 MiB); TerminateInstances answers are tiny.
pub const DEFAULT_MAX_BODY: usize = 1 << 20;

/// A successful call.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Success {
    /// The RequestId, for support tickets and logs.
    pub request_id: String,
}

/// An error the service reported in its error envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    /// The error code.
    pub code: ErrorCode,
    /// The service's message.
    pub message: String,
    /// The RequestId.
    pub request_id: String,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (RequestId {})",
            self.code, self.message, self.request_id
        )
    }
}

impl std::error::Error for ServiceError {}

/// Why a response is not a success.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// The service answered with its error envelope.
    Service(ServiceError),
    /// A status other than 200, with the error envelope if the body held one.
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The service's error, when the body was an error envelope.
        service: Option<ServiceError>,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// The body is empty.
    EmptyBody,
    /// The body is not JSON (an HTML error page from a proxy, for instance).
    NotJson {
        /// The `Content-Type` received, if any.
        content_type: Option<String>,
        /// The start of the body.
        snippet: String,
    },
    /// The body is JSON that ends early.
    Truncated {
        /// How many bytes arrived.
        len: usize,
    },
    /// The JSON has no `Response` object.
    MissingResponse,
    /// The `Response` object has no `RequestId`, or a null or empty one.
    MissingRequestId,
    /// A field has the wrong type (a number where a string belongs, for instance).
    WrongType {
        /// The decoder's description.
        detail: String,
    },
    /// The body is larger than the configured cap.
    TooLarge {
        /// The body size (at least the cap, when a transport stopped reading).
        len: usize,
        /// The cap.
        limit: usize,
    },
}

impl ResponseError {
    /// What a caller may do next. Only a service error envelope can say the service
    /// did not act; anything unparseable leaves the outcome unknown.
    ///
    /// | answer | disposition |
    /// | --- | --- |
    /// | HTTP 200, error envelope | the code's |
    /// | HTTP 429 or 503, `RequestLimitExceeded*` envelope | throttled |
    /// | any other 5xx, whatever the body | outcome unknown (a gateway may have answered for a service that acted) |
    /// | any other status, error envelope | the code's |
    /// | anything without an envelope | outcome unknown |
    pub fn disposition(&self) -> Disposition {
        match self {
            ResponseError::Service(e) => e.code.disposition(),
            ResponseError::HttpStatus {
                status,
                service: Some(e),
                ..
            } => {
                let throttled = e.code.is_throttle();
                match status {
                    429 | 503 if throttled => Disposition::Throttled,
                    500..=599 => Disposition::OutcomeUnknown,
                    _ => e.code.disposition(),
                }
            }
            _ => Disposition::OutcomeUnknown,
        }
    }

    /// The service error, if the service reported one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::HttpStatus { service, .. } => service.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Service(e) => e.fmt(f),
            ResponseError::HttpStatus {
                status,
                service: Some(e),
                ..
            } => write!(f, "HTTP status {status}: {e}"),
            ResponseError::HttpStatus {
                status, snippet, ..
            } => write!(
                f,
                "HTTP status {status} without an API response: {snippet:?}"
            ),
            ResponseError::EmptyBody => f.write_str("the response body is empty"),
            ResponseError::NotJson {
                content_type,
                snippet,
            } => write!(
                f,
                "the response is not JSON (content type {}): {snippet:?}",
                content_type.as_deref().unwrap_or("none")
            ),
            ResponseError::Truncated { len } => {
                write!(f, "the response JSON ends early after {len} bytes")
            }
            ResponseError::MissingResponse => {
                f.write_str("the response JSON has no `Response` object")
            }
            ResponseError::MissingRequestId => f.write_str("the response has no `RequestId`"),
            ResponseError::WrongType { detail } => {
                write!(f, "the response JSON has an unexpected shape: {detail}")
            }
            ResponseError::TooLarge { len, limit } => {
                write!(
                    f,
                    "the response body ({len} bytes) exceeds the {limit}-byte limit"
                )
            }
        }
    }
}

/// The service's error is part of the message (`Display`), so it is not
/// repeated as a source.
impl std::error::Error for ResponseError {}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Option<Inner>,
}

#[derive(Deserialize)]
struct Inner {
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(200)];
    String::from_utf8_lossy(cut).into_owned()
}

/// Parses a response body into a success or a typed error.
///
/// `max_body` caps the body size ([`DEFAULT_MAX_BODY`] is a good default).
///
/// ```
/// use tencentcloud_cvm_core::response::{parse_response, ResponseError, DEFAULT_MAX_BODY};
/// let ok = http::Response::new(br#"{"Response":{"RequestId":"r-1"}}"#.to_vec());
/// assert_eq!(parse_response(&ok, DEFAULT_MAX_BODY).unwrap().request_id, "r-1");
/// let err = http::Response::new(br#"{"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"no"},"RequestId":"r-2"}}"#.to_vec());
/// let ResponseError::Service(e) = parse_response(&err, DEFAULT_MAX_BODY).unwrap_err() else { panic!() };
/// assert_eq!(e.code.as_str(), "InvalidInstanceId.NotFound");
/// ```
pub fn parse_response(
    response: &Response<Vec<u8>>,
    max_body: usize,
) -> Result<Success, ResponseError> {
    let body = response.body();
    if body.len() > max_body {
        return Err(ResponseError::TooLarge {
            len: body.len(),
            limit: max_body,
        });
    }
    let status = response.status().as_u16();
    let parsed = parse_body(response, body);
    if status == 200 {
        return parsed;
    }
    Err(ResponseError::HttpStatus {
        status,
        service: match parsed {
            Err(ResponseError::Service(e)) => Some(e),
            _ => None,
        },
        snippet: snippet(body),
    })
}

fn parse_body(response: &Response<Vec<u8>>, body: &[u8]) -> Result<Success, ResponseError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(ResponseError::EmptyBody),
        Some(b'{') => {}
        Some(_) => {
            return Err(ResponseError::NotJson {
                content_type: response
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
                snippet: snippet(body),
            })
        }
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Eof => ResponseError::Truncated { len: body.len() },
        serde_json::error::Category::Data => ResponseError::WrongType {
            detail: e.to_string(),
        },
        _ => ResponseError::NotJson {
            content_type: response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            snippet: snippet(body),
        },
    })?;
    let inner = envelope.response.ok_or(ResponseError::MissingResponse)?;
    // Every answer from the service carries a RequestId; one without (absent,
    // null or empty) did not come from it, whatever else it says.
    let request_id = inner
        .request_id
        .filter(|id| !id.is_empty())
        .ok_or(ResponseError::MissingRequestId)?;
    match inner.error {
        Some(e) => Err(ResponseError::Service(ServiceError {
            code: ErrorCode::parse(&e.code),
            message: e.message,
            request_id,
        })),
        None => Ok(Success { request_id }),
    }
}

/// Parses a response into the typed success answer `T`: the contents of its
/// `Response` object (which `T` reads with serde, ignoring fields it does not name).
///
/// Everything that is not a success is classified exactly as [`parse_response`]
/// classifies it (HTTP status, error envelope, empty or missing RequestId, …), so every
/// action's errors have the same dispositions. A success whose fields do not fit `T`
/// (a missing required field, a malformed instance ID, a wrong type) is
/// [`ResponseError::WrongType`]: never a partial result.
///
/// ```
/// use tencentcloud_cvm_core::response::{parse_response_as, DEFAULT_MAX_BODY};
/// use tencentcloud_cvm_core::DescribeInstancesStatusResponse;
/// let body = br#"{"Response":{"TotalCount":1,"InstanceStatusSet":[
///     {"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"}],"RequestId":"r-1"}}"#;
/// let answer: DescribeInstancesStatusResponse =
///     parse_response_as(&http::Response::new(body.to_vec()), DEFAULT_MAX_BODY)?;
/// assert_eq!(answer.request_id, "r-1");
/// assert_eq!(answer.instance_status_set[0].instance_id.as_str(), "ins-r8hr2upy");
/// # Ok::<(), tencentcloud_cvm_core::response::ResponseError>(())
/// ```
pub fn parse_response_as<T: DeserializeOwned>(
    response: &Response<Vec<u8>>,
    max_body: usize,
) -> Result<T, ResponseError> {
    parse_response(response, max_body)?;
    #[derive(Deserialize)]
    struct Typed<T> {
        #[serde(rename = "Response")]
        response: T,
    }
    // The body was read as a success envelope just above, so it is JSON: whatever
    // goes wrong now is the answer's shape.
    serde_json::from_slice::<Typed<T>>(response.body())
        .map(|typed| typed.response)
        .map_err(|e| ResponseError::WrongType {
            detail: e.to_string(),
        })
}

/// The server's clock from the `Date` header, in seconds since the Unix epoch,
/// so a transport can correct clock skew.
pub fn server_time<B>(response: &Response<B>) -> Option<u64> {
    let value = response.headers().get(http::header::DATE)?.to_str().ok()?;
    let t = httpdate::parse_http_date(value).ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    fn resp(status: u16, body: &str) -> Response<Vec<u8>> {
        let mut r = Response::new(body.as_bytes().to_vec());
        *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
        r
    }

    #[test]
    fn each_failure_is_distinct() {
        let p = |s, b| parse_response(&resp(s, b), DEFAULT_MAX_BODY);
        assert_eq!(
            p(
                200,
                r#"{"Response":{"RequestId":"a","Extra":[1,2,{"x":null}]},"Other":1}"#
            ),
            Ok(Success {
                request_id: "a".into()
            })
        );
        assert_eq!(p(200, ""), Err(ResponseError::EmptyBody));
        assert!(matches!(
            p(502, "<html>Bad Gateway</html>"),
            Err(ResponseError::HttpStatus {
                status: 502,
                service: None,
                ..
            })
        ));
        assert!(matches!(
            p(200, "<html>oops</html>"),
            Err(ResponseError::NotJson { .. })
        ));
        assert_eq!(
            p(200, r#"{"Response":{"Requ"#),
            Err(ResponseError::Truncated { len: 18 })
        );
        assert_eq!(
            p(200, r#"{"Resp":{}}"#),
            Err(ResponseError::MissingResponse)
        );
        for no_id in [
            r#"{"Response":{}}"#,
            r#"{"Response":{"RequestId":null}}"#,
            r#"{"Response":{"RequestId":""}}"#,
            r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"m"},"RequestId":""}}"#,
        ] {
            assert_eq!(
                p(200, no_id),
                Err(ResponseError::MissingRequestId),
                "{no_id}"
            );
        }
        assert!(matches!(
            p(200, r#"{"Response":{"RequestId":5}}"#),
            Err(ResponseError::WrongType { .. })
        ));
        assert!(matches!(
            p(
                200,
                r#"{"Response":{"RequestId":"x","Error":{"Message":"m"}}}"#
            ),
            Err(ResponseError::WrongType { .. })
        ));
        assert!(matches!(
            p(200, "{nope}"),
            Err(ResponseError::NotJson { .. })
        ));
        let e = p(200, r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow"},"RequestId":"b"}}"#).unwrap_err();
        assert_eq!(e.disposition(), Disposition::Throttled);
        let e = p(
            500,
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"c"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.service_error().unwrap().request_id, "c");
        assert_eq!(e.disposition(), Disposition::OutcomeUnknown);
        let big = resp(200, &"x".repeat(2000));
        assert_eq!(
            parse_response(&big, 1000),
            Err(ResponseError::TooLarge {
                len: 2000,
                limit: 1000
            })
        );
    }

    #[test]
    fn status_and_envelope_decide_together() {
        let envelope = |code: &str| {
            format!(
                r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m"}},"RequestId":"r"}}}}"#
            )
        };
        let d = |status, code: &str| {
            parse_response(&resp(status, &envelope(code)), DEFAULT_MAX_BODY)
                .unwrap_err()
                .disposition()
        };
        use Disposition::*;
        assert_eq!(d(200, "RequestLimitExceeded"), Throttled);
        assert_eq!(d(429, "RequestLimitExceeded"), Throttled);
        assert_eq!(d(503, "RequestLimitExceeded.UinLimitExceeded"), Throttled);
        assert_eq!(d(502, "RequestLimitExceeded"), OutcomeUnknown);
        assert_eq!(d(500, "RequestLimitExceeded"), OutcomeUnknown);
        // A gateway's 5xx says nothing reliable about what the service did.
        assert_eq!(d(502, "InvalidInstanceId.NotFound"), OutcomeUnknown);
        assert_eq!(d(503, "AuthFailure.SignatureFailure"), OutcomeUnknown);
        assert_eq!(
            d(504, "UnsupportedOperation.InstancesProtected"),
            OutcomeUnknown
        );
        assert_eq!(d(400, "InvalidInstanceId.NotFound"), Final);
        assert_eq!(d(403, "AuthFailure.SignatureFailure"), RejectedBeforeAction);
        assert_eq!(d(429, "InvalidInstanceId.NotFound"), Final);
    }

    #[test]
    fn date_header() {
        let mut r = resp(200, "");
        r.headers_mut().insert(
            http::header::DATE,
            "Mon, 25 Feb 2019 16:44:25 GMT".parse().unwrap(),
        );
        assert_eq!(server_time(&r), Some(1551113065));
        r.headers_mut()
            .insert(http::header::DATE, "yesterday".parse().unwrap());
        assert_eq!(server_time(&r), None);
    }

    quickcheck! {
        fn never_panics_on_arbitrary_bytes(status: u16, body: Vec<u8>) -> bool {
            let mut r = Response::new(body);
            if let Ok(s) = http::StatusCode::from_u16(100 + status % 500) { *r.status_mut() = s; }
            let _ = parse_response(&r, DEFAULT_MAX_BODY);
            true
        }
    }
}
