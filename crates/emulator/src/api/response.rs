//! Response envelopes, as the service sends them: always HTTP 200, JSON, a RequestId.

use http::header::{CONTENT_TYPE, DATE};
use http::{Response, StatusCode};
use serde::Serialize;
use serde_json::json;

use crate::api::access_log::AccessLogEntry;
use crate::api::error::ApiError;
use crate::emulator::handler::Handled;
use crate::now::Now;

/// The content type of every API response.
pub(crate) const JSON: &str = "application/json";

/// `{"Response":{<the fields of `fields`>,"RequestId":"…"}}`.
pub(crate) fn success_body<T: Serialize>(fields: &T, request_id: &str) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        #[serde(rename = "Response")]
        response: Inner<'a, T>,
    }
    #[derive(Serialize)]
    struct Inner<'a, T> {
        #[serde(flatten)]
        fields: &'a T,
        #[serde(rename = "RequestId")]
        request_id: &'a str,
    }
    let envelope = Envelope {
        response: Inner { fields, request_id },
    };
    // The actions' answers are plain structs of strings, numbers and lists, which
    // always serialize; the fallback only keeps this function total.
    serde_json::to_vec(&envelope).unwrap_or_else(|e| {
        error_body(
            &ApiError::new(
                "InternalError",
                format!("The answer could not be written: {e}."),
            ),
            request_id,
        )
    })
}

/// An answer without fields of its own: `{"Response":{"RequestId":"…"}}`.
#[derive(Serialize)]
pub(crate) struct NoFields {}

/// `{"Response":{"Error":{"Code":"…","Message":"…"},"RequestId":"…"}}`
pub(crate) fn error_body(error: &ApiError, request_id: &str) -> Vec<u8> {
    json!({
        "Response": {
            "Error": { "Code": error.code(), "Message": error.message() },
            "RequestId": request_id,
        }
    })
    .to_string()
    .into_bytes()
}

/// A response with the `Date` and `Content-Type` headers set.
pub(crate) fn build(
    status: StatusCode,
    content_type: &str,
    body: Vec<u8>,
    now: Now,
) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        headers.insert(CONTENT_TYPE, v);
    }
    if let Ok(v) = http::HeaderValue::from_str(&httpdate::fmt_http_date(now.system_time())) {
        headers.insert(DATE, v);
    }
    response
}

/// The API answer to `outcome` (a success body, or the error's envelope), with `log`
/// completed by its result.
pub(crate) fn respond(
    outcome: Result<Vec<u8>, ApiError>,
    mut log: AccessLogEntry,
    now: Now,
) -> Handled {
    let body = match outcome {
        Ok(body) => {
            log.result = "OK".to_owned();
            body
        }
        Err(e) => {
            log.result = e.code().to_owned();
            error_body(&e, &log.request_id)
        }
    };
    Handled {
        response: build(StatusCode::OK, JSON, body, now),
        log,
    }
}

/// A fresh RequestId (UUID v4).
pub(crate) fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_are_json() {
        let ok: serde_json::Value =
            serde_json::from_slice(&success_body(&NoFields {}, "r")).unwrap();
        assert_eq!(ok, json!({"Response": {"RequestId": "r"}}));
        #[derive(Serialize)]
        struct Refund {
            #[serde(rename = "Refunds")]
            refunds: tencentcloud_cvm_core::Amount,
        }
        let exact = success_body(
            &Refund {
                refunds: "2644.44000000000000000001".parse().unwrap(),
            },
            "r",
        );
        assert_eq!(
            exact,
            br#"{"Response":{"Refunds":2644.44000000000000000001,"RequestId":"r"}}"#
        );
        let e = ApiError::new("X.Y", "quote \" and \n newline");
        let err: serde_json::Value = serde_json::from_slice(&error_body(&e, "r")).unwrap();
        assert_eq!(err["Response"]["Error"]["Code"], "X.Y");
        assert_eq!(
            err["Response"]["Error"]["Message"],
            "quote \" and \n newline"
        );
    }

    #[test]
    fn date_header() {
        let r = build(
            StatusCode::OK,
            JSON,
            Vec::new(),
            Now::new(784_111_777, Default::default()),
        );
        assert_eq!(r.headers()[DATE], "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(r.headers()[CONTENT_TYPE], JSON);
    }
}
