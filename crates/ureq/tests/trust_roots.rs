//! The transport trusts the CA certificates it is given, and only those: an
//! https emulator (the in-process emulator behind a TLS front with a
//! self-signed certificate for `localhost` and `127.0.0.1`, as the emulator's
//! `--tls-cert` writes one) is reachable with its certificate trusted, through
//! the builder or `SSL_CERT_FILE`, and refused, before anything is sent,
//! without it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tencentcloud_cvm_core::{Credentials, OutcomeKind, TerminateOptions, TransportErrorKind};
use tencentcloud_cvm_emulator::{Emulator, Server};
use tencentcloud_cvm_ureq::{Client, ProxyConfig, Transport, TrustRoots, UreqTransport};

/// The emulator behind a TLS front: the certificate's PEM file and the https port.
struct HttpsEmulator {
    cert_file: PathBuf,
    port: u16,
    _server: tencentcloud_cvm_emulator::ServerHandle,
}

fn https_emulator(name: &str, instances: usize) -> HttpsEmulator {
    let key =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let dir = std::env::temp_dir().join(format!("tccvm-tls-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert_file = dir.join("emulator.pem");
    std::fs::write(&cert_file, key.cert.pem()).unwrap();

    let emulator = Emulator::builder()
        .credential(Credentials::new("AKIDtls", "tls-test-key"))
        .instances(instances)
        .build()
        .unwrap();
    let server = Server::start(emulator, "127.0.0.1:0").unwrap();
    let backend = server.addr();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(key.cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der())),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || relay(stream, config, backend));
        }
    });
    HttpsEmulator {
        cert_file,
        port,
        _server: server,
    }
}

/// One request per TLS connection, passed to the emulator; the answer goes
/// back with `Connection: close`, so no client reuses the connection.
fn relay(stream: TcpStream, config: Arc<rustls::ServerConfig>, backend: SocketAddr) {
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut reader = BufReader::new(&mut tls);
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return; // the handshake failed or the client left
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
            if name.eq_ignore_ascii_case("connection") {
                continue;
            }
        }
        if line == "\r\n" {
            head.extend_from_slice(b"Connection: close\r\n\r\n");
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let mut upstream = TcpStream::connect(backend).unwrap();
    upstream.write_all(&head).unwrap();
    upstream.write_all(&body).unwrap();
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let (head, rest) = answer.split_at(split);
    let head = String::from_utf8_lossy(head);
    let mut out = String::new();
    for line in head.split("\r\n") {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close");
    let _ = tls.write_all(out.as_bytes());
    let _ = tls.write_all(rest);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

fn client(url: &str, roots: TrustRoots) -> Client {
    Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDtls", "tls-test-key"))
        .http(|h| h.proxy(ProxyConfig::None).trust_roots(roots))
        .build()
        .unwrap()
}

#[test]
fn a_trusted_emulator_certificate_reaches_the_https_emulator() {
    let emulator = https_emulator("trusted", 2);
    let roots = TrustRoots::pem_file(&emulator.cert_file).unwrap();
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}", emulator.port);
        let id = if host == "localhost" {
            "ins-00000000"
        } else {
            "ins-00000001"
        };
        let report = client(&url, roots.clone())
            .terminate([id], &TerminateOptions::new())
            .unwrap();
        assert_eq!(
            report.instances()[0].outcome.kind(),
            OutcomeKind::Terminated,
            "{host}: {report}"
        );
    }
}

#[test]
fn without_the_certificate_nothing_is_sent() {
    let emulator = https_emulator("untrusted", 1);
    let transport = UreqTransport::builder()
        .proxy(ProxyConfig::None)
        .trust_roots(TrustRoots::built_in())
        .build()
        .unwrap();
    let request = http::Request::post(format!("https://127.0.0.1:{}/", emulator.port))
        .body(b"{}".to_vec())
        .unwrap();
    let e = transport.send(request).unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::NotSent, "{e}");
    assert!(e.to_string().contains("TLS"), "{e}");
    // A file that is not PEM, or holds no certificate, is refused by name.
    let junk = emulator.cert_file.with_file_name("junk.pem");
    std::fs::write(&junk, "no certificate here").unwrap();
    let e = TrustRoots::pem_file(&junk).unwrap_err();
    assert!(e.to_string().contains("junk.pem"), "{e}");
    assert!(e.to_string().contains("holds no certificate"), "{e}");
}

/// `SSL_CERT_FILE`, as curl reads it, is the default transport's CA list. The
/// only test in this binary that reads the environment.
#[test]
fn ssl_cert_file_names_the_roots_as_for_curl() {
    let emulator = https_emulator("ssl-cert-file", 1);
    std::env::set_var("SSL_CERT_FILE", &emulator.cert_file);
    let transport = UreqTransport::builder()
        .proxy(ProxyConfig::None)
        .build()
        .unwrap();
    let missing = emulator.cert_file.with_file_name("absent.pem");
    std::env::set_var("SSL_CERT_FILE", &missing);
    let broken = UreqTransport::builder()
        .proxy(ProxyConfig::None)
        .build()
        .unwrap();
    std::env::remove_var("SSL_CERT_FILE");
    let post = || {
        http::Request::post(format!("https://localhost:{}/", emulator.port))
            .header("content-type", "application/json")
            .body(b"{}".to_vec())
            .unwrap()
    };
    let answer = transport.send(post()).unwrap();
    let body = String::from_utf8_lossy(answer.body()).into_owned();
    assert!(body.contains("\"RequestId\""), "{body}");
    let e = broken.send(post()).unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::NotSent, "{e}");
    assert!(e.to_string().contains("named by SSL_CERT_FILE"), "{e}");
    assert!(e.to_string().contains("absent.pem"), "{e}");
}
