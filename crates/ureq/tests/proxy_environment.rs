//! The proxy from the real process environment, with a real proxy stand-in (a loopback
//! listener that records what reaches it and refuses it) and the emulator: a loopback
//! endpoint goes direct although every proxy variable is set, other hosts go through
//! the proxy their scheme's variable names.
//!
//! This file holds one test on purpose: it sets environment variables, which no other
//! test may read or write at the same time.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tencentcloud_cvm_core::{Credentials, OutcomeKind, TerminateOptions, TransportErrorKind};
use tencentcloud_cvm_emulator::{Emulator, InstanceState, Server};
use tencentcloud_cvm_ureq::{Client, Transport, UreqTransport};

/// Answers every request with a refusal (403) and records its request line.
struct ProxyStandIn {
    seen: Arc<Mutex<Vec<String>>>,
}

impl ProxyStandIn {
    fn start(listener: TcpListener) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        // Runs until the test process ends; it only ever accepts loopback connections.
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
                let mut reader = BufReader::new(&stream);
                let mut head = Vec::new();
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(n) if n > 0 && line != "\r\n" => head.push(line),
                        _ => break,
                    }
                }
                let first = head.first().map_or("", |l| l.trim_end()).to_owned();
                record.lock().unwrap().push(first);
                let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
        });
        ProxyStandIn { seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn post(url: &str) -> http::Request<Vec<u8>> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .body(b"{}".to_vec())
        .unwrap()
}

#[test]
fn loopback_goes_direct_and_other_hosts_through_the_environment_proxy() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    // Every variable a proxy could come from, and no exceptions: set before this test
    // starts a thread, so nothing reads the environment while it changes.
    for name in [
        "http_proxy",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        std::env::set_var(name, &proxy_url);
    }
    for name in ["no_proxy", "NO_PROXY"] {
        std::env::remove_var(name);
    }
    let proxy = ProxyStandIn::start(listener);

    let credentials = Credentials::new("AKIDproxytest", "proxy-test-key");
    let emulator = Emulator::builder()
        .credential(credentials.clone())
        .instances(2)
        .build()
        .unwrap();
    let server = Server::start(emulator, "127.0.0.1:0").unwrap();

    // The client with its defaults (proxy from the environment) reaches the emulator.
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(credentials)
        .build()
        .unwrap();
    let report = client
        .terminate(["ins-00000000"], &TerminateOptions::new())
        .unwrap();
    assert!(
        report.instances()[0].outcome.kind() == OutcomeKind::Terminated,
        "{report}"
    );
    let state = server.with_state(|e| e.instance("ins-00000000").map(|i| i.state));
    assert_eq!(state, Some(InstanceState::Terminating));

    // So does a bare transport, by `localhost` too.
    let transport = UreqTransport::new();
    let port = server.addr().port();
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
    ] {
        let response = transport.send(post(&url)).unwrap();
        let body = String::from_utf8_lossy(response.body()).into_owned();
        assert!(body.contains("\"RequestId\""), "{url}: {body}");
    }
    assert_eq!(proxy.seen(), Vec::<String>::new());

    // Any other host goes through the proxy (ureq tunnels with CONNECT for both
    // schemes); the stand-in refuses, so nothing was sent.
    for url in [
        "http://cvm.proxied.example/",
        "https://cvm.proxied.example/",
    ] {
        let error = transport.send(post(url)).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::NotSent, "{error}");
        assert!(error.to_string().contains("proxy"), "{error}");
    }
    assert_eq!(
        proxy.seen(),
        [
            "CONNECT cvm.proxied.example:80 HTTP/1.1",
            "CONNECT cvm.proxied.example:443 HTTP/1.1",
        ]
    );
}
