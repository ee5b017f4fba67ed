//! Helpers shared by the integration tests: sign a request with the core's signer and
//! exchange raw HTTP/1.1 over a `TcpStream`, with timeouts so nothing can hang.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_cvm_core::signing::{Signer, SigningParams};
use tencentcloud_cvm_core::Credentials;

pub const SECRET_ID: &str = "AKIDintegration";
pub const SECRET_KEY: &str = "integration-secret-key";

pub fn creds() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A signed `TerminateInstances` request for `ids`, as raw HTTP/1.1 bytes.
pub fn terminate_request(addr: SocketAddr, creds: &Credentials, ids: &[&str]) -> Vec<u8> {
    let body = serde_json::json!({ "InstanceIds": ids }).to_string();
    signed_request(addr, creds, body.as_bytes(), true)
}

pub fn signed_request(addr: SocketAddr, creds: &Credentials, body: &[u8], close: bool) -> Vec<u8> {
    action_request(addr, creds, "TerminateInstances", body, close)
}

/// A signed request of `action` with this JSON `body`, as raw HTTP/1.1 bytes.
pub fn action_request(
    addr: SocketAddr,
    creds: &Credentials,
    action: &str,
    body: &[u8],
    close: bool,
) -> Vec<u8> {
    region_request(addr, creds, "ap-guangzhou", action, body, close)
}

/// A signed request of `action` to `region` with this JSON `body`, as raw HTTP/1.1 bytes.
pub fn region_request(
    addr: SocketAddr,
    creds: &Credentials,
    region: &str,
    action: &str,
    body: &[u8],
    close: bool,
) -> Vec<u8> {
    let host = addr.to_string();
    let ts = unix_now();
    let params = SigningParams::builder()
        .host(&host)
        .action(action)
        .payload(body)
        .timestamp(ts)
        .build()
        .unwrap();
    let auth = Signer::new().sign(&params, creds).into_authorization();
    let mut out = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         X-TC-Action: {action}\r\nX-TC-Version: 2017-03-12\r\n\
         X-TC-Timestamp: {ts}\r\nX-TC-Region: {region}\r\nAuthorization: {auth}\r\n\
         Content-Length: {}\r\n{}\r\n",
        body.len(),
        if close { "Connection: close\r\n" } else { "" }
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    /// `OK` or the error code of the envelope.
    pub fn code(&self) -> String {
        self.json()["Response"]["Error"]["Code"]
            .as_str()
            .unwrap_or("OK")
            .to_owned()
    }

    pub fn request_id(&self) -> String {
        self.json()["Response"]["RequestId"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Everything the server sends until it closes the connection (or the timeout).
pub fn read_all(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(out),
            Err(e) => return Err(e),
        }
    }
}

/// Sends `request` on a new connection and returns all bytes received until close.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut s = connect(addr);
    s.write_all(request).unwrap();
    read_all(&mut s).expect("server closed the connection in time")
}

/// Parses one response (head and the body after it, trusting what was received).
pub fn parse_response(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Sends a signed `TerminateInstances` and parses the response.
pub fn terminate(addr: SocketAddr, ids: &[&str]) -> RawResponse {
    parse_response(&exchange(addr, &terminate_request(addr, &creds(), ids)))
}

/// Sends a signed request of `action` with this JSON body and parses the response.
pub fn call(addr: SocketAddr, action: &str, body: serde_json::Value) -> RawResponse {
    let body = body.to_string();
    parse_response(&exchange(
        addr,
        &action_request(addr, &creds(), action, body.as_bytes(), true),
    ))
}

/// Sends a signed request of `action` to `region` with this JSON body and parses the
/// response.
pub fn call_in(
    addr: SocketAddr,
    region: &str,
    action: &str,
    body: serde_json::Value,
) -> RawResponse {
    let body = body.to_string();
    parse_response(&exchange(
        addr,
        &region_request(addr, &creds(), region, action, body.as_bytes(), true),
    ))
}

/// Sends a signed STS request of `action` (version 2018-08-13, scope `sts`) and parses
/// the response.
pub fn sts_call(addr: SocketAddr, action: &str, body: serde_json::Value) -> RawResponse {
    let body = body.to_string();
    let host = addr.to_string();
    let ts = unix_now();
    let params = SigningParams::builder()
        .host(&host)
        .service("sts")
        .action(action)
        .payload(body.as_bytes())
        .timestamp(ts)
        .build()
        .unwrap();
    let auth = Signer::new().sign(&params, &creds()).into_authorization();
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         X-TC-Action: {action}\r\nX-TC-Version: 2018-08-13\r\n\
         X-TC-Timestamp: {ts}\r\nX-TC-Region: ap-guangzhou\r\nAuthorization: {auth}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body.as_bytes());
    parse_response(&exchange(addr, &request))
}
