//! The error mapping and body handling against real loopback sockets (127.0.0.1 only).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tencentcloud_cvm_core::response::{parse_response, ResponseError};

use super::*;
use tencentcloud_cvm_core::TransportErrorKind;

/// A request as the test server saw it.
#[derive(Debug)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `None` on EOF.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Seen { head, body })
}

/// A loopback server that accepts one connection and runs `serve` on it.
fn serve_one<R: Send + 'static>(
    serve: impl FnOnce(BufReader<TcpStream>) -> R + Send + 'static,
) -> (SocketAddr, JoinHandle<R>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        serve(BufReader::new(stream))
    });
    (addr, handle)
}

fn transport(request_timeout: Duration, max_body: usize) -> UreqTransport {
    UreqTransport::builder()
        .connect_timeout(Duration::from_secs(1))
        .request_timeout(request_timeout)
        .max_body(max_body)
        .proxy(ProxyConfig::None)
        .build()
        .unwrap()
}

fn request(scheme: &str, addr: SocketAddr) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{scheme}://{addr}/"))
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .header(
            "authorization",
            "TC3-HMAC-SHA256 Credential=AKIDtest/x, SignedHeaders=content-type;host, Signature=abc",
        )
        .header("x-tc-action", "TerminateInstances")
        .body(br#"{"InstanceIds":["ins-00000001"]}"#.to_vec())
        .unwrap()
}

fn answer(stream: &mut TcpStream, response: &str) {
    stream.write_all(response.as_bytes()).unwrap();
    stream.flush().unwrap();
}

#[test]
fn a_closed_port_is_not_sent() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let e = transport(Duration::from_secs(2), DEFAULT_MAX_BODY)
        .send(request("http", addr))
        .unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::NotSent, "{e}");
    assert!(e.message().contains("refused"), "{e}");
    assert!(!e.to_string().contains("Signature"), "{e}");
}

#[test]
fn no_answer_after_sending_is_outcome_unknown() {
    let (tx, rx) = mpsc::channel::<()>();
    let (addr, server) = serve_one(move |mut r| {
        let seen = read_request(&mut r);
        // Hold the connection open, silent, until the client has given up.
        let _ = rx.recv_timeout(Duration::from_secs(3));
        seen
    });
    let started = std::time::Instant::now();
    let e = transport(Duration::from_millis(300), DEFAULT_MAX_BODY)
        .send(request("http", addr))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.kind(), TransportErrorKind::OutcomeUnknown, "{e}");
    assert!(e.message().contains("timed out"), "{e}");
    tx.send(()).unwrap();
    let seen = server
        .join()
        .unwrap()
        .expect("the request reached the server");
    assert!(seen.head.starts_with("POST / HTTP/1.1\r\n"));
}

#[test]
fn a_close_without_answer_is_outcome_unknown() {
    let (addr, server) = serve_one(|mut r| read_request(&mut r));
    let t = transport(Duration::from_secs(2), DEFAULT_MAX_BODY);
    // The server closes right after reading (the join makes that certain).
    let e = thread::scope(|s| {
        let h = s.spawn(|| t.send(request("http", addr)));
        assert!(server.join().unwrap().is_some());
        h.join().unwrap()
    })
    .unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::OutcomeUnknown, "{e}");
}

#[test]
fn a_body_cut_short_is_outcome_unknown() {
    let (addr, _server) = serve_one(|mut r| {
        read_request(&mut r).unwrap();
        let s = r.get_mut();
        answer(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Response\":",
        );
    });
    let e = transport(Duration::from_secs(2), DEFAULT_MAX_BODY)
        .send(request("http", addr))
        .unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::OutcomeUnknown, "{e}");
}

#[test]
fn a_502_html_page_is_a_response() {
    let (addr, server) = serve_one(|mut r| {
        let seen = read_request(&mut r).unwrap();
        let html = "<html><body>502 Bad Gateway</body></html>";
        answer(
            r.get_mut(),
            &format!(
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\nContent-Length: {}\r\n\r\n{html}",
                html.len()
            ),
        );
        seen
    });
    let response = transport(Duration::from_secs(2), DEFAULT_MAX_BODY)
        .send(request("http", addr))
        .unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(
        tencentcloud_cvm_core::response::server_time(&response),
        Some(1_700_000_000)
    );
    assert!(response.body().starts_with(b"<html>"));
    let seen = server.join().unwrap();
    let head = seen.head.to_ascii_lowercase();
    assert!(head.contains(&format!("host: {addr}\r\n")), "{head}");
    assert!(head.contains("x-tc-action: terminateinstances\r\n"));
    assert!(head.contains("authorization: tc3-hmac-sha256 "));
    let ua = format!("user-agent: {REQUEST_CLIENT}\r\n").to_ascii_lowercase();
    assert!(head.contains(&ua), "{head}");
    assert_eq!(seen.body, br#"{"InstanceIds":["ins-00000001"]}"#);
}

#[test]
fn an_oversized_body_is_cut_to_cap_plus_one_and_parses_as_too_large() {
    const CAP: usize = 1024;
    for (len, chunked) in [
        (CAP, false),
        (CAP + 1, false),
        (50_000, false),
        (50_000, true),
    ] {
        let (addr, _server) = serve_one(move |mut r| {
            read_request(&mut r).unwrap();
            let s = r.get_mut();
            let body = vec![b' '; len];
            let _ = if chunked {
                write!(
                    s,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{len:x}\r\n"
                )
                .and_then(|()| s.write_all(&body))
                .and_then(|()| s.write_all(b"\r\n0\r\n\r\n"))
            } else {
                write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n")
                    .and_then(|()| s.write_all(&body))
            };
        });
        let response = transport(Duration::from_secs(2), CAP)
            .send(request("http", addr))
            .unwrap();
        assert_eq!(response.body().len(), len.min(CAP + 1), "{len}");
        let parsed = parse_response(&response, CAP);
        if len > CAP {
            assert!(
                matches!(parsed, Err(ResponseError::TooLarge { limit: CAP, .. })),
                "{parsed:?}"
            );
        } else {
            assert!(!matches!(parsed, Err(ResponseError::TooLarge { .. })));
        }
    }
}

#[test]
fn redirects_are_delivered_not_followed() {
    let (addr, server) = serve_one(|mut r| {
        read_request(&mut r).unwrap();
        answer(
            r.get_mut(),
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n",
        );
        // A followed redirect would arrive here (or at port 1): there must be none.
        read_request(&mut r).is_none()
    });
    let response = transport(Duration::from_secs(2), DEFAULT_MAX_BODY)
        .send(request("http", addr))
        .unwrap();
    assert_eq!(response.status(), 307);
    drop(response);
    assert!(server.join().unwrap(), "a second request was sent");
}

#[test]
fn a_failed_tls_handshake_is_not_sent() {
    let (addr, server) = serve_one(|mut r| {
        // Read part of the ClientHello, answer with plain HTTP, hang up.
        let mut hello = [0u8; 5];
        r.read_exact(&mut hello).unwrap();
        answer(
            r.get_mut(),
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
        );
        hello[0]
    });
    let e = transport(Duration::from_secs(2), DEFAULT_MAX_BODY)
        .send(request("https", addr))
        .unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::NotSent, "{e}");
    assert_eq!(
        server.join().unwrap(),
        0x16,
        "a TLS handshake record came first"
    );
}

#[test]
fn connections_are_reused() {
    let (addr, server) = serve_one(|mut r| {
        let mut served = 0;
        while read_request(&mut r).is_some() {
            served += 1;
            answer(
                r.get_mut(),
                "HTTP/1.1 200 OK\r\nContent-Length: 33\r\n\r\n{\"Response\":{\"RequestId\":\"r-1\"}}\n",
            );
            if served == 2 {
                break;
            }
        }
        served
    });
    let t = transport(Duration::from_secs(2), DEFAULT_MAX_BODY);
    let clone = t.clone();
    assert_eq!(t.send(request("http", addr)).unwrap().status(), 200);
    assert_eq!(clone.send(request("http", addr)).unwrap().status(), 200);
    assert_eq!(server.join().unwrap(), 2, "both requests on one connection");
}

#[test]
fn an_invalid_proxy_url_is_refused_without_echoing_it() {
    let e = UreqTransport::builder()
        .proxy(ProxyConfig::Url("ftp://user:hunter2@".into()))
        .build()
        .unwrap_err();
    assert!(!e.to_string().contains("hunter2"));
}

#[test]
fn debug_shows_settings_not_proxy_credentials() {
    let t = UreqTransport::builder()
        .proxy(ProxyConfig::Url(
            "http://user:hunter2@127.0.0.1:3128".into(),
        ))
        .build()
        .unwrap();
    let d = format!("{t:?}");
    assert!(d.contains("max_body: 1048576"), "{d}");
    assert!(!d.contains("hunter2"), "{d}");
}

#[test]
fn the_mapping_table() {
    use std::io::{Error as IoError, ErrorKind};
    use TransportErrorKind::{NotSent, OutcomeUnknown};
    let tagged = phase::tag;
    let cases: Vec<(ureq::Error, TransportErrorKind, &str)> = vec![
        (
            tagged(ureq::Error::HostNotFound),
            NotSent,
            "could not be resolved",
        ),
        (
            tagged(ureq::Error::Timeout(ureq::Timeout::Resolve)),
            NotSent,
            "lookup timed out",
        ),
        (
            tagged(ureq::Error::Timeout(ureq::Timeout::Connect)),
            NotSent,
            "connecting timed out",
        ),
        // The request timeout expiring while still connecting: nothing was written.
        (
            tagged(ureq::Error::Timeout(ureq::Timeout::Global)),
            NotSent,
            "connecting timed out",
        ),
        (
            tagged(ureq::Error::Io(IoError::from(ErrorKind::ConnectionRefused))),
            NotSent,
            "refused",
        ),
        (
            tagged(ureq::Error::Io(IoError::from(ErrorKind::HostUnreachable))),
            NotSent,
            "could not connect",
        ),
        (
            tagged(ureq::Error::Io(IoError::new(
                ErrorKind::InvalidData,
                "bad record",
            ))),
            NotSent,
            "handshake",
        ),
        (
            tagged(ureq::Error::ConnectProxyFailed("403".into())),
            NotSent,
            "proxy",
        ),
        (
            tagged(ureq::Error::Tls("no provider")),
            NotSent,
            "TLS handshake",
        ),
        (ureq::Error::BadUri("x".into()), NotSent, "URL"),
        (ureq::Error::TlsRequired, NotSent, "TLS"),
        // The same failures after the connection was set up: the request may have arrived.
        (
            ureq::Error::Timeout(ureq::Timeout::Global),
            OutcomeUnknown,
            "timed out",
        ),
        (
            ureq::Error::Timeout(ureq::Timeout::RecvResponse),
            OutcomeUnknown,
            "timed out",
        ),
        (
            ureq::Error::Timeout(ureq::Timeout::SendBody),
            OutcomeUnknown,
            "timed out",
        ),
        (
            ureq::Error::Io(IoError::from(ErrorKind::ConnectionReset)),
            OutcomeUnknown,
            "after connecting",
        ),
        (
            ureq::Error::Io(IoError::from(ErrorKind::BrokenPipe)),
            OutcomeUnknown,
            "after connecting",
        ),
        (
            ureq::Error::Io(IoError::from(ErrorKind::HostUnreachable)),
            OutcomeUnknown,
            "after connecting",
        ),
        (
            ureq::Error::Io(IoError::new(ErrorKind::InvalidData, "bad record")),
            OutcomeUnknown,
            "",
        ),
        (
            ureq::Error::Io(IoError::from(ErrorKind::UnexpectedEof)),
            OutcomeUnknown,
            "",
        ),
        (ureq::Error::ConnectionFailed, OutcomeUnknown, ""),
        (ureq::Error::TooManyRedirects, OutcomeUnknown, ""),
        (ureq::Error::Other("?".into()), OutcomeUnknown, ""),
    ];
    for (error, kind, text) in cases {
        let shown = format!("{error:?}");
        let mapped = classify(error);
        assert_eq!(mapped.kind(), kind, "{shown}");
        assert!(mapped.message().contains(text), "{shown}: {mapped}");
        assert!(std::error::Error::source(&mapped).is_some());
    }
}

/// The proxy host the agent for `uri` uses, `None` for a direct one.
fn route(transport: &UreqTransport, uri: &str) -> Result<Option<String>, TransportError> {
    let uri: http::Uri = uri.parse().unwrap();
    let agent = transport.routes.agent_for(&uri)?;
    Ok(agent.config().proxy().map(|p| p.host().to_owned()))
}

fn from_environment(vars: &'static [(&'static str, &'static str)]) -> UreqTransport {
    UreqTransport::builder()
        .build_with_environment(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
}

#[test]
fn the_environment_routes_each_request_by_scheme_host_and_no_proxy() {
    let t = from_environment(&[
        ("http_proxy", "http://plain.proxy:3128"),
        ("https_proxy", "http://tls.proxy:3128"),
        ("no_proxy", "internal.example, 10.0.0.0/8"),
    ]);
    let via = |uri| route(&t, uri).unwrap();
    assert_eq!(
        via("https://cvm.tencentcloudapi.com/"),
        Some("tls.proxy".into())
    );
    assert_eq!(via("http://cvm.example/"), Some("plain.proxy".into()));
    for direct in [
        "https://cvm.internal.example/",
        "http://10.9.8.7:9000/",
        "http://127.0.0.1:9000/",
        "http://127.8.9.10/",
        "http://localhost:9000/",
        "https://LOCALHOST/",
        "http://[::1]:9000/",
    ] {
        assert_eq!(via(direct), None, "{direct}");
    }
}

#[test]
fn without_proxy_variables_everything_is_direct() {
    let t = from_environment(&[("HTTP_PROXY", "http://httpoxy:3128"), ("no_proxy", "")]);
    assert_eq!(route(&t, "http://cvm.example/").unwrap(), None);
    assert_eq!(route(&t, "https://cvm.example/").unwrap(), None);
}

#[test]
fn an_invalid_environment_proxy_fails_its_requests_naming_the_variable_only() {
    let t = from_environment(&[
        ("https_proxy", "ftp://user:hunter2@proxy:21"),
        ("http_proxy", "http://plain.proxy:3128"),
    ]);
    let e = route(&t, "https://cvm.tencentcloudapi.com/").unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::NotSent);
    assert!(e.to_string().contains("https_proxy"), "{e}");
    assert!(!e.to_string().contains("hunter2"), "{e}");
    // The other scheme, and hosts that go direct, are unaffected.
    assert_eq!(
        route(&t, "http://cvm.example/").unwrap(),
        Some("plain.proxy".into())
    );
    assert_eq!(route(&t, "https://127.0.0.1/").unwrap(), None);
}

#[test]
fn explicit_proxy_settings_ignore_the_environment() {
    let through = UreqTransport::builder()
        .proxy(ProxyConfig::Url("http://chosen.proxy:3128".into()))
        .build_with_environment(|_| Some("http://env.proxy:1".into()))
        .unwrap();
    // Loopback included: the caller chose the proxy.
    for uri in ["https://cvm.example/", "http://127.0.0.1:9000/"] {
        assert_eq!(route(&through, uri).unwrap(), Some("chosen.proxy".into()));
    }
    let none = UreqTransport::builder()
        .proxy(ProxyConfig::None)
        .build_with_environment(|_| Some("http://env.proxy:1".into()))
        .unwrap();
    assert_eq!(route(&none, "https://cvm.example/").unwrap(), None);
}
