//! Target `response_parser`: `parse_response` and `server_time` on arbitrary responses.

use std::time::{Duration, UNIX_EPOCH};

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{Response, StatusCode};
use serde::de::IgnoredAny;
use serde_json::Value;
use tencentcloud_cvm_core::response::{
    parse_response, server_time, ResponseError, ServiceError, Success, DEFAULT_MAX_BODY,
};
use tencentcloud_cvm_core::{Disposition, ErrorCode};

/// Builds the response an input describes, and the body cap to parse it with.
///
/// * If the input does not start with an ASCII digit, all of it is the body of a
///   `200` response with `Content-Type: application/json` (so plain JSON inputs work).
/// * Otherwise it is split by [`crate::split_message`]: the start line is
///   `STATUS [MAX_BODY]` in decimal (an unparsable or out-of-range status means 200,
///   a missing or unparsable cap means 1 MiB), then `Name: value` header lines
///   (those `http` refuses are skipped), an empty line and the body.
pub fn build(data: &[u8]) -> (Response<Vec<u8>>, usize) {
    if !data.first().is_some_and(u8::is_ascii_digit) {
        let mut response = Response::new(data.to_vec());
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return (response, DEFAULT_MAX_BODY);
    }
    let message = crate::split_message(data);
    let start = String::from_utf8_lossy(message.start);
    let mut words = start.split_ascii_whitespace();
    let status = words
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let max_body = words
        .next()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(DEFAULT_MAX_BODY);
    let mut response = Response::new(message.body.to_vec());
    *response.status_mut() = status;
    for (name, value) in message.headers {
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            response.headers_mut().append(name, value);
        }
    }
    (response, max_body)
}

/// The body of target `response_parser`.
///
/// The input describes a response:
/// * If the input does not start with an ASCII digit, all of it is the body of a
///   `200` response with `Content-Type: application/json` (so plain JSON inputs work).
/// * Otherwise it is split by [`crate::split_message`]: the start line is
///   `STATUS [MAX_BODY]` in decimal (an unparsable or out-of-range status means 200,
///   a missing or unparsable cap means 1 MiB), then `Name: value` header lines
///   (those `http` refuses are skipped), an empty line and the body.
///
/// Invariants checked:
/// * `TooLarge` exactly when the body exceeds the cap; a non-200 status always gives
///   `HttpStatus`, carrying the service error the same body gives with status 200;
/// * a `Success` is a 200 whose body is JSON with a string `Response.RequestId` equal to
///   the one returned and no `Response.Error`;
/// * a service error's code, message and RequestId are those of the body's JSON, and
///   `ErrorCode::parse(code).as_str() == code`;
/// * `EmptyBody` exactly when the body is blank, `Truncated { len }` has the body's
///   length, only service errors have a disposition other than `OutcomeUnknown`;
/// * `server_time`, when it returns a time, returns one that formats and parses back.
pub fn response_parser(data: &[u8]) {
    let (response, max_body) = build(data);
    let result = parse_response(&response, max_body);
    check(&response, max_body, &result);
    // Display, Debug and the error trait must not panic either.
    match &result {
        Ok(s) => drop(format!("{s:?}")),
        Err(e) => drop(format!("{e} {e:?} {:?}", std::error::Error::source(e))),
    }
    check_server_time(&response);
    // Any text at all round-trips through ErrorCode.
    let text = String::from_utf8_lossy(&data[..data.len().min(96)]);
    check_code_round_trip(&text);
}

fn check(response: &Response<Vec<u8>>, max_body: usize, result: &Result<Success, ResponseError>) {
    let body = response.body();
    let status = response.status().as_u16();
    if body.len() > max_body {
        assert_eq!(
            result,
            &Err(ResponseError::TooLarge {
                len: body.len(),
                limit: max_body
            })
        );
        return;
    }
    if status != 200 {
        let Err(ResponseError::HttpStatus {
            status: s,
            service,
            snippet,
        }) = result
        else {
            panic!("status {status} gave {result:?}");
        };
        assert_eq!(*s, status);
        assert!(
            snippet.len() <= 200 * 3,
            "snippet of {} bytes",
            snippet.len()
        );
        let mut as_200 = Response::new(body.clone());
        *as_200.headers_mut() = response.headers().clone();
        let at_200 = parse_response(&as_200, max_body);
        check(&as_200, max_body, &at_200);
        match at_200 {
            Err(ResponseError::Service(e)) => assert_eq!(service.as_ref(), Some(&e)),
            _ => assert_eq!(service, &None),
        }
        if let Some(e) = service {
            check_service_error(body, e);
        }
        return;
    }
    let blank = body.iter().all(u8::is_ascii_whitespace);
    assert_eq!(
        blank,
        result == &Err(ResponseError::EmptyBody),
        "blank body vs {result:?}"
    );
    match result {
        Ok(success) => {
            if let Some(value) = json(body) {
                let inner = &value["Response"];
                assert_eq!(
                    inner["RequestId"].as_str(),
                    Some(success.request_id.as_str())
                );
                assert!(inner["Error"].is_null(), "a Success with an Error: {inner}");
            }
        }
        Err(e) => {
            if let ResponseError::Service(service) = e {
                check_service_error(body, service);
            } else {
                assert_eq!(e.disposition(), Disposition::OutcomeUnknown, "{e:?}");
                assert!(e.service_error().is_none());
            }
            match e {
                ResponseError::Truncated { len } => assert_eq!(*len, body.len()),
                ResponseError::HttpStatus { .. } | ResponseError::TooLarge { .. } => {
                    panic!("{e:?} for a 200 within the cap")
                }
                ResponseError::MissingResponse | ResponseError::MissingRequestId => {
                    // The body is JSON, so a JSON reader must agree on what is missing.
                    if let Some(value) = json(body) {
                        let inner = &value["Response"];
                        if matches!(e, ResponseError::MissingResponse) {
                            assert!(!inner.is_object(), "Response is there: {inner}");
                        } else {
                            let id = &inner["RequestId"];
                            assert!(
                                id.is_null() || id.as_str() == Some(""),
                                "RequestId is there: {inner}"
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The body as a JSON value. Only called for bodies the parser read as JSON; `None`
/// when `serde_json::Value` cannot hold what the typed reader skipped unread (numbers
/// beyond `f64`, lone UTF-16 surrogates, nesting beyond 128 levels), in which case
/// the body must still be well-formed JSON.
pub(crate) fn json(body: &[u8]) -> Option<Value> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => Some(v),
        Err(_) => match serde_json::from_slice::<IgnoredAny>(body) {
            Ok(_) => None,
            Err(e) => panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(body)),
        },
    }
}

fn check_service_error(body: &[u8], e: &ServiceError) {
    check_code_round_trip(e.code.as_str());
    assert_eq!(ErrorCode::parse(e.code.as_str()), e.code);
    let _ = e.code.disposition();
    let _ = e.to_string();
    if let Some(value) = json(body) {
        let inner = &value["Response"];
        assert_eq!(inner["RequestId"].as_str(), Some(e.request_id.as_str()));
        assert_eq!(inner["Error"]["Code"].as_str(), Some(e.code.as_str()));
        assert_eq!(
            inner["Error"]["Message"].as_str().unwrap_or(""),
            e.message,
            "{inner}"
        );
    }
}

fn check_code_round_trip(code: &str) {
    let parsed = ErrorCode::parse(code);
    assert_eq!(parsed.as_str(), code);
    let _ = parsed.disposition();
    if let Some(known) = ErrorCode::ALL.iter().find(|c| c.as_str() == code) {
        assert_eq!(&parsed, known);
    } else {
        assert!(matches!(parsed, ErrorCode::Unknown(_)), "{parsed:?}");
    }
}

fn check_server_time(response: &Response<Vec<u8>>) {
    let Some(t) = server_time(response) else {
        return;
    };
    let when = UNIX_EPOCH + Duration::from_secs(t);
    let text = httpdate::fmt_http_date(when);
    let mut again = Response::new(());
    again
        .headers_mut()
        .insert(http::header::DATE, HeaderValue::from_str(&text).unwrap());
    assert_eq!(server_time(&again), Some(t), "{text}");
}
