//! The transport, logged: at `-v` each answer's action, HTTP status, RequestId
//! and error code (so a read's RequestId is on record though the report shows
//! only TerminateInstances'); at `-vv` each signed request as it leaves, the
//! session token redacted. The logger escapes what the service wrote.

use std::io::Write as _;

use tencentcloud_cvm::http::{Request, Response};
use tencentcloud_cvm::transport::{Transport, TransportError};

use crate::signed_request_dump::write_request;

/// Another transport, with each request and answer logged.
pub struct TracedTransport<T> {
    inner: T,
}

impl<T> TracedTransport<T> {
    pub fn new(inner: T) -> Self {
        TracedTransport { inner }
    }
}

impl<T: Transport> Transport for TracedTransport<T> {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let action = request
            .headers()
            .get("x-tc-action")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("request")
            .to_owned();
        if log::log_enabled!(log::Level::Debug) {
            log_lines(&format!("{action} sending"), &request);
        }
        let result = self.inner.send(request);
        if log::log_enabled!(log::Level::Info) {
            match &result {
                Ok(response) => log::info!("{action} answered: {}", summary(response)),
                Err(e) => log::info!("{action} not answered: {e}"),
            }
        }
        result
    }
}

/// The request as [`write_request`] shows it, one log line each (the logger
/// escapes a line break, so a multi-line message would be one long line).
pub fn log_lines(title: &str, request: &Request<Vec<u8>>) {
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_request(&mut text, request);
    let _ = text.flush();
    log::debug!("{title}:");
    for line in String::from_utf8_lossy(&text).trim_end().lines() {
        log::debug!("> {line}");
    }
}

/// `HTTP 200, RequestId …[, error Code]`, from the envelope when it is one.
fn summary(response: &Response<Vec<u8>>) -> String {
    let mut text = format!("HTTP {}", response.status().as_u16());
    let envelope: Option<serde_json::Value> = serde_json::from_slice(response.body()).ok();
    let inner = envelope.as_ref().and_then(|v| v.get("Response"));
    if let Some(id) = inner
        .and_then(|r| r.get("RequestId"))
        .and_then(|v| v.as_str())
    {
        text.push_str(&format!(", RequestId {id}"));
    }
    if let Some(code) = inner
        .and_then(|r| r.get("Error"))
        .and_then(|e| e.get("Code"))
        .and_then(|v| v.as_str())
    {
        text.push_str(&format!(", error {code}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_summed_up_by_its_envelope() {
        let ok = Response::new(br#"{"Response":{"RequestId":"r-1"}}"#.to_vec());
        assert_eq!(summary(&ok), "HTTP 200, RequestId r-1");
        let refused = Response::new(
            br#"{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"m"},"RequestId":"r-2"}}"#
                .to_vec(),
        );
        assert_eq!(
            summary(&refused),
            "HTTP 200, RequestId r-2, error AuthFailure.SecretIdNotFound"
        );
        let mut html = Response::new(b"<html>".to_vec());
        *html.status_mut() = tencentcloud_cvm::http::StatusCode::BAD_GATEWAY;
        assert_eq!(summary(&html), "HTTP 502");
    }
}
