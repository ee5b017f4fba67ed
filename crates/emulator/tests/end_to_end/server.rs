//! The loopback server over real TCP: headers, keep-alive, faults, limits, shutdown.

use crate::common;

use std::collections::HashSet;
use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tencentcloud_cvm_emulator::{
    AccessLogEntry, ChargeType, Emulator, Fault, InstanceState, InstanceView, Server, ServerHandle,
};

fn server(instances: usize) -> ServerHandle {
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(instances)
        .rate_limit(0)
        .build()
        .unwrap();
    Server::new(emulator)
        .read_timeout(Duration::from_millis(500))
        .bind("127.0.0.1:0")
        .unwrap()
}

fn state(s: &ServerHandle, id: &str) -> Option<InstanceState> {
    s.with_state(|e| e.instance(id).map(|v| v.state))
}

#[test]
fn responses_have_date_json_and_unique_request_ids() {
    let s = server(5);
    assert!(s.url().starts_with("http://127.0.0.1:"));
    assert_eq!(s.credentials()[0].secret_id(), SECRET_ID);
    let mut ids = HashSet::new();
    for i in 0..5 {
        let id = format!("ins-{i:08}");
        let r = terminate(s.addr(), &[&id, "ins-zzzzzzzz"][..1 + (i % 2)]);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header_count("date"), 1);
        let date = httpdate::parse_http_date(r.header("date").unwrap()).unwrap();
        let skew = date
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            .abs_diff(unix_now());
        assert!(skew <= 2, "Date is {skew} s off");
        assert_eq!(
            r.header("content-length")
                .map(|v| v.parse::<usize>().unwrap()),
            Some(r.body.len())
        );
        let expected = if i % 2 == 0 {
            "OK"
        } else {
            "InvalidInstanceId.NotFound"
        };
        assert_eq!(r.code(), expected);
        assert!(ids.insert(r.request_id()));
    }
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
    assert_eq!(state(&s, "ins-00000001"), Some(InstanceState::Running));
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let s = server(2);
    let mut conn = connect(s.addr());
    for id in ["ins-00000000", "ins-00000001"] {
        let body = serde_json::json!({ "InstanceIds": [id] }).to_string();
        conn.write_all(&signed_request(s.addr(), &creds(), body.as_bytes(), false))
            .unwrap();
        let mut reader = std::io::BufReader::new(conn.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        assert!(head.starts_with("HTTP/1.1 200"));
        assert!(!String::from_utf8_lossy(&body).contains("Error"));
    }
    assert_eq!(state(&s, "ins-00000001"), Some(InstanceState::Terminating));
}

#[test]
fn terminating_instances_disappear_in_real_time() {
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(1)
        .terminating_for(Duration::from_millis(200))
        .build()
        .unwrap();
    let s = Server::start(emulator, "127.0.0.1:0").unwrap();
    assert_eq!(terminate(s.addr(), &["ins-00000000"]).code(), "OK");
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(state(&s, "ins-00000000"), None);
    assert_eq!(
        terminate(s.addr(), &["ins-00000000"]).code(),
        "InvalidInstanceId.NotFound"
    );
}

#[test]
fn access_log_gets_one_entry_per_request() {
    let entries = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&entries);
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(1)
        .build()
        .unwrap();
    let s = Server::new(emulator)
        .access_log(move |e| sink.lock().unwrap().push(e.clone()))
        .bind("127.0.0.1:0")
        .unwrap();
    let ok = terminate(s.addr(), &["ins-00000000"]);
    s.inject(Fault::ServerErrorHtml);
    let _ = terminate(s.addr(), &["ins-00000000"]);
    let entries = entries.lock().unwrap().clone();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].result, "OK");
    assert_eq!(entries[0].request_id, ok.request_id());
    assert_eq!(entries[0].secret_id.as_deref(), Some(SECRET_ID));
    assert_eq!(entries[0].instance_count, 1);
    assert_eq!(entries[1].fault, Some("ServerErrorHtml"));
    assert!(!entries[0].to_string().contains(SECRET_KEY));
}

// ---------------------------------------------------------------- faults

#[test]
fn delay_then_normal_handling() {
    let s = server(1);
    s.inject(Fault::Delay(Duration::from_millis(300)));
    let start = Instant::now();
    let r = terminate(s.addr(), &["ins-00000000"]);
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.code(), "OK");
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
    assert_eq!(s.pending_faults(), 0);
}

#[test]
fn server_error_html_leaves_state_untouched() {
    let s = server(1);
    s.inject(Fault::ServerErrorHtml);
    let r = terminate(s.addr(), &["ins-00000000"]);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(String::from_utf8_lossy(&r.body).contains("502 Bad Gateway"));
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Running));
    // The next request is served normally.
    assert_eq!(terminate(s.addr(), &["ins-00000000"]).code(), "OK");
}

#[test]
fn close_before_state_change() {
    let s = server(1);
    s.inject(Fault::CloseBeforeStateChange);
    let raw = exchange(
        s.addr(),
        &terminate_request(s.addr(), &creds(), &["ins-00000000"]),
    );
    assert!(raw.is_empty(), "got {:?}", String::from_utf8_lossy(&raw));
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Running));
}

#[test]
fn close_after_state_change_is_the_prepaid_double_call_hazard() {
    let emulator = Emulator::builder()
        .credential(creds())
        .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
        .build()
        .unwrap();
    let s = Server::start(emulator, "127.0.0.1:0").unwrap();
    s.inject(Fault::CloseAfterStateChange);
    let raw = exchange(
        s.addr(),
        &terminate_request(s.addr(), &creds(), &["ins-prepaid1"]),
    );
    assert!(raw.is_empty());
    assert_eq!(state(&s, "ins-prepaid1"), Some(InstanceState::Shutdown));
    // A blind retry destroys the instance.
    assert_eq!(terminate(s.addr(), &["ins-prepaid1"]).code(), "OK");
    assert_eq!(state(&s, "ins-prepaid1"), None);
}

#[test]
fn truncated_body() {
    let s = server(1);
    s.inject(Fault::TruncatedBody);
    let raw = exchange(
        s.addr(),
        &terminate_request(s.addr(), &creds(), &["ins-00000000"]),
    );
    let r = parse_response(&raw);
    assert_eq!(r.status, 200);
    let declared: usize = r.header("content-length").unwrap().parse().unwrap();
    assert!(
        !r.body.is_empty() && r.body.len() < declared,
        "{} of {declared}",
        r.body.len()
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
}

#[test]
fn oversized_body() {
    let s = server(1);
    s.inject(Fault::OversizedBody(2 * 1024 * 1024));
    let r = terminate(s.addr(), &["ins-00000000"]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 2 * 1024 * 1024);
    assert_eq!(r.code(), "OK");
    assert_eq!(r.request_id().len(), 36);
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
}

#[test]
fn wrong_content_type() {
    let s = server(1);
    s.inject(Fault::WrongContentType);
    let r = terminate(s.addr(), &["ins-00000000"]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
}

#[test]
fn targeted_faults_pass_other_actions_by_and_the_lost_answer_is_the_latest_operation() {
    for fault in [Fault::CloseAfterStateChange, Fault::TruncatedBody] {
        let log: Arc<Mutex<Vec<AccessLogEntry>>> = Arc::default();
        let sink = Arc::clone(&log);
        let emulator = Emulator::builder()
            .credential(creds())
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
            .build()
            .unwrap();
        let s = Server::new(emulator)
            .access_log(move |e| sink.lock().unwrap().push(e.clone()))
            .bind("127.0.0.1:0")
            .unwrap();
        s.inject_for("TerminateInstances", fault.clone());
        let describe = || {
            call(
                s.addr(),
                "DescribeInstances",
                serde_json::json!({"InstanceIds": ["ins-prepaid1"]}),
            )
        };
        // Reads are served normally; the fault waits for the terminate.
        let before = describe();
        assert_eq!(before.code(), "OK", "{fault}");
        assert!(before.json()["Response"]["InstanceSet"][0]["LatestOperation"].is_null());
        assert_eq!(s.pending_faults(), 1);
        let raw = exchange(
            s.addr(),
            &terminate_request(s.addr(), &creds(), &["ins-prepaid1"]),
        );
        assert!(
            serde_json::from_slice::<serde_json::Value>(&raw).is_err(),
            "{fault}: an answer arrived"
        );
        assert_eq!(s.pending_faults(), 0);
        let lost = log
            .lock()
            .unwrap()
            .iter()
            .find(|e| e.fault == Some(fault.name()))
            .map(|e| e.request_id.clone())
            .unwrap();
        let after = describe().json();
        let instance = &after["Response"]["InstanceSet"][0];
        assert_eq!(instance["InstanceState"], "SHUTDOWN");
        assert_eq!(instance["LatestOperation"], "TerminateInstances");
        assert_eq!(
            instance["LatestOperationRequestId"],
            lost.as_str(),
            "{fault}"
        );
    }
}

#[test]
fn faults_apply_in_order_one_per_request() {
    let s = server(2);
    s.inject(Fault::ServerErrorHtml);
    s.inject(Fault::CloseBeforeStateChange);
    assert_eq!(s.pending_faults(), 2);
    assert_eq!(terminate(s.addr(), &["ins-00000000"]).status, 502);
    assert!(exchange(
        s.addr(),
        &terminate_request(s.addr(), &creds(), &["ins-00000000"])
    )
    .is_empty());
    assert_eq!(terminate(s.addr(), &["ins-00000000"]).code(), "OK");
    assert_eq!(s.pending_faults(), 0);
}

// ---------------------------------------------------------------- hostile clients

#[test]
fn malformed_http_gets_400_or_close() {
    let s = server(1);
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST / HTTP/1.1\r\nBad Header Line\r\n\r\n",
        b"\x00\x01\x02\xff\r\n\r\n",
        b"POST / HTTP/9.9\r\n\r\n",
    ] {
        let start = Instant::now();
        let raw = exchange(s.addr(), garbage);
        assert!(start.elapsed() < Duration::from_secs(5));
        if !raw.is_empty() {
            let r = parse_response(&raw);
            assert!(r.status >= 400 && r.status < 500, "{}", r.status);
        }
    }
    // Still serving.
    assert_eq!(terminate(s.addr(), &["ins-00000000"]).code(), "OK");
}

#[test]
fn slow_clients_are_cut_off() {
    let s = server(1);
    // Headers never finished.
    let start = Instant::now();
    let raw = exchange(s.addr(), b"POST / HTTP/1.1\r\nHost: x\r\n");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(raw.is_empty() || parse_response(&raw).status >= 400);
    // Body never finished.
    let start = Instant::now();
    let raw = exchange(
        s.addr(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Insta",
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(raw.is_empty());
    // An idle keep-alive connection is closed too.
    let mut idle = connect(s.addr());
    assert!(read_all(&mut idle).unwrap().is_empty());
}

#[test]
fn oversized_requests_are_refused() {
    let s = server(1);
    // Announced too large: refused without reading the body.
    let host = s.addr().to_string();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        10 * 1024 * 1024 + 1
    );
    let r = parse_response(&exchange(s.addr(), head.as_bytes()));
    assert_eq!(r.status, 200);
    assert_eq!(r.code(), "RequestSizeLimitExceeded");
    assert_eq!(r.header("connection"), Some("close"));

    // Chunked, growing past a small limit.
    let emulator = Emulator::builder()
        .credential(creds())
        .body_limit(1024)
        .build()
        .unwrap();
    let s = Server::start(emulator, "127.0.0.1:0").unwrap();
    let mut req = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        s.addr()
    )
    .into_bytes();
    for _ in 0..3 {
        req.extend_from_slice(b"200\r\n");
        req.extend_from_slice(&[b' '; 0x200]);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let r = parse_response(&exchange(s.addr(), &req));
    assert_eq!(r.code(), "RequestSizeLimitExceeded");
}

#[test]
fn large_bodies_under_the_limit_are_read_whole() {
    let s = server(1);
    let mut body = br#"{"InstanceIds":["ins-00000000"]"#.to_vec();
    body.resize(3 * 1024 * 1024, b' ');
    body.push(b'}');
    let raw = exchange(s.addr(), &signed_request(s.addr(), &creds(), &body, true));
    assert_eq!(parse_response(&raw).code(), "OK");
}

#[test]
fn huge_headers_are_refused() {
    let s = server(1);
    let req = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let mut conn = connect(s.addr());
    let _ = conn.write_all(req.as_bytes());
    let raw = read_all(&mut conn).unwrap_or_default();
    assert!(raw.is_empty() || parse_response(&raw).status == 431);
}

/// A signed request whose head (up to and including the blank line) is `head_len`
/// bytes, padded with an unsigned `X-Pad` header.
fn request_with_head_of(addr: std::net::SocketAddr, head_len: usize) -> Vec<u8> {
    let request = signed_request(addr, &creds(), br#"{"InstanceIds":["ins-00000000"]}"#, true);
    let head_end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let line_end = request.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    let pad_field = "X-Pad: \r\n".len();
    let pad = head_len - head_end - pad_field;
    let mut out = request[..line_end].to_vec();
    out.extend_from_slice(format!("X-Pad: {}\r\n", "p".repeat(pad)).as_bytes());
    out.extend_from_slice(&request[line_end..]);
    assert_eq!(
        out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4,
        head_len
    );
    out
}

#[test]
fn a_request_head_is_capped_at_exactly_64_kib() {
    let s = server(1);
    let at_cap = exchange(s.addr(), &request_with_head_of(s.addr(), 64 * 1024));
    assert_eq!(parse_response(&at_cap).code(), "OK");
    let over = exchange(s.addr(), &request_with_head_of(s.addr(), 64 * 1024 + 1));
    assert_eq!(parse_response(&over).status, 431);
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
}

/// A connection from `source` (any 127.0.0.0/8 address: all of it is loopback).
fn connect_from(source: &str, addr: std::net::SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(source.parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap().into_std().unwrap()
    });
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

#[test]
fn one_peer_cannot_hold_every_connection() {
    // The defaults: 256 connections in all, 64 per peer, idle ones closed after 10 s.
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(2)
        .rate_limit(0)
        .build()
        .unwrap();
    let s = Server::start(emulator, "127.0.0.1:0").unwrap();
    let mut idle: Vec<TcpStream> = (0..63).map(|_| connect(s.addr())).collect();
    // With 63 held, a 64th connection from 127.0.0.1 is served (and closes after)...
    let served = exchange(
        s.addr(),
        &terminate_request(s.addr(), &creds(), &["ins-00000000"]),
    );
    assert_eq!(parse_response(&served).code(), "OK");
    // ...with 64 held, a 65th is closed at once...
    idle.push(connect(s.addr()));
    std::thread::sleep(Duration::from_millis(100));
    let mut refused = connect(s.addr());
    let _ = refused.write_all(&terminate_request(s.addr(), &creds(), &["ins-00000001"]));
    assert!(read_all(&mut refused).unwrap_or_default().is_empty());
    // ...and another peer is still served.
    let mut other = connect_from("127.0.0.2:0", s.addr());
    other
        .write_all(&terminate_request(s.addr(), &creds(), &["ins-00000001"]))
        .unwrap();
    assert_eq!(parse_response(&read_all(&mut other).unwrap()).code(), "OK");
    // Closing one frees a place for that peer again.
    idle.pop();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let raw = exchange(
            s.addr(),
            &terminate_request(s.addr(), &creds(), &["ins-00000000"]),
        );
        if !raw.is_empty() {
            // Already terminating: refused by the service, but served.
            assert_eq!(parse_response(&raw).status, 200);
            break;
        }
        // The server sees the close a moment later.
        assert!(Instant::now() < deadline, "the place was never freed");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(idle);
}

#[test]
fn connections_beyond_the_limit_are_closed() {
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(1)
        .build()
        .unwrap();
    let s = Server::new(emulator)
        .max_connections(2)
        .read_timeout(Duration::from_secs(3))
        .bind("127.0.0.1:0")
        .unwrap();
    let first = connect(s.addr());
    let second = connect(s.addr());
    std::thread::sleep(Duration::from_millis(100));
    let mut third = connect(s.addr());
    let start = Instant::now();
    let _ = third.write_all(&terminate_request(s.addr(), &creds(), &["ins-00000000"]));
    assert!(read_all(&mut third).unwrap_or_default().is_empty());
    assert!(start.elapsed() < Duration::from_secs(2));
    drop((first, second));
    // The permits come back once the server sees those connections close.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let raw = exchange(
            s.addr(),
            &terminate_request(s.addr(), &creds(), &["ins-00000000"]),
        );
        if !raw.is_empty() {
            assert_eq!(parse_response(&raw).code(), "OK");
            break;
        }
        assert!(Instant::now() < deadline, "connections never freed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------- shutdown

#[test]
fn shutdown_closes_everything_promptly() {
    let s = server(1);
    let addr = s.addr();
    let mut idle = connect(addr);
    s.inject(Fault::Delay(Duration::from_secs(30)));
    let mut delayed = connect(addr);
    delayed
        .write_all(&terminate_request(addr, &creds(), &["ins-00000000"]))
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    s.shutdown();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(read_all(&mut idle).unwrap_or_default().is_empty());
    assert!(read_all(&mut delayed).unwrap_or_default().is_empty());
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn drop_shuts_down() {
    let addr = {
        let s = server(1);
        s.addr()
    };
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn several_listeners_share_one_fleet_and_count_rate_limits_per_endpoint() {
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(6)
        .action_rate_limit("TerminateInstances", 2)
        .build()
        .unwrap();
    let (sink_entries, sink) = {
        let entries = Arc::new(Mutex::new(Vec::<AccessLogEntry>::new()));
        let clone = Arc::clone(&entries);
        (entries, move |e: &AccessLogEntry| {
            clone.lock().unwrap().push(e.clone())
        })
    };
    let s = Server::new(emulator)
        .access_log(sink)
        .bind_all(["127.0.0.1:0", "127.0.0.1:0"])
        .unwrap();
    let [a, b] = [s.addrs()[0], s.addrs()[1]];
    assert_ne!(a, b);
    assert_eq!(s.urls(), [format!("http://{a}"), format!("http://{b}")]);
    assert_eq!(s.endpoints(), [a.to_string(), b.to_string()]);
    assert_eq!(terminate(a, &["ins-00000000"]).code(), "OK");
    assert_eq!(terminate(a, &["ins-00000001"]).code(), "OK");
    assert_eq!(
        terminate(a, &["ins-00000002"]).code(),
        "RequestLimitExceeded"
    );
    // The other endpoint has a budget of its own, over the same fleet.
    assert_eq!(terminate(b, &["ins-00000002"]).code(), "OK");
    assert_eq!(
        terminate(b, &["ins-00000000"]).code(),
        "UnsupportedOperation.InstanceStateTerminating"
    );
    assert_eq!(state(&s, "ins-00000002"), Some(InstanceState::Terminating));
    assert_eq!(s.with_state(|e| e.throttled("TerminateInstances")), 1);
    let hosts: Vec<Option<String>> = sink_entries
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.host.clone())
        .collect();
    assert_eq!(hosts, [a, a, a, b, b].map(|addr| Some(addr.to_string())));
    s.shutdown();
}

#[test]
fn bind_all_needs_an_address_and_every_one_bound() {
    let none: [&str; 0] = [];
    let e = Server::new(Emulator::builder().build().unwrap())
        .bind_all(none)
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    assert!(Server::new(Emulator::builder().build().unwrap())
        .bind_all(["127.0.0.1:0", addr.as_str()])
        .is_err());
}

#[test]
fn injected_read_faults_lie_and_stale_reads_lag_over_tcp() {
    let emulator = Emulator::builder()
        .credential(creds())
        .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
        .instance(InstanceView::new("ins-prepaid2").with_charge_type(ChargeType::Prepaid))
        .rate_limit(0)
        .build()
        .unwrap();
    let s = Server::start(emulator, "127.0.0.1:0").unwrap();
    let read = || {
        call(
            s.addr(),
            "DescribeInstances",
            serde_json::json!({"InstanceIds": ["ins-prepaid1"]}),
        )
        .json()["Response"]
            .clone()
    };
    s.inject_for("TerminateInstances", Fault::StaleReads(2));
    s.inject_for("DescribeInstances", Fault::TotalCount(1));
    s.inject_for("DescribeInstances", Fault::DropEntries);
    assert_eq!(terminate(s.addr(), &["ins-prepaid1"]).code(), "OK");
    // Two reads lag (and lie), the third tells the truth.
    let first = read();
    assert_eq!(first["InstanceSet"][0]["InstanceState"], "RUNNING");
    let second = read();
    assert_eq!(second["TotalCount"], 1);
    assert_eq!(second["InstanceSet"], serde_json::json!([]));
    assert_eq!(read()["InstanceSet"][0]["InstanceState"], "SHUTDOWN");
    assert_eq!(s.pending_faults(), 0);
    // A second terminate of the recycled instance destroys it, and the record says so.
    assert_eq!(terminate(s.addr(), &["ins-prepaid1"]).code(), "OK");
    s.with_state(|e| {
        assert_eq!(e.destroyed_from_recycle_bin(), ["ins-prepaid1"]);
        assert_eq!(e.termination_record("ins-prepaid1").requests, 2);
        assert_eq!(e.termination_record("ins-prepaid2").requests, 0);
    });
}

/// One request over TLS, trusting only `ca_der`, with the server name `name`.
fn https_exchange(
    addr: std::net::SocketAddr,
    ca_der: Vec<u8>,
    name: &str,
    request: &[u8],
) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use tokio_rustls::rustls::{self, pki_types};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(pki_types::CertificateDer::from(ca_der))
        .map_err(|e| e.to_string())?;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let server_name =
        pki_types::ServerName::try_from(name.to_owned()).map_err(|e| e.to_string())?;
    let connection = rustls::ClientConnection::new(std::sync::Arc::new(config), server_name)
        .map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(connection, connect(addr));
    tls.write_all(request).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        // The server closes without close_notify after `Connection: close`.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => Ok(out),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn https_with_the_certificate_clients_are_given() {
    let tls = tencentcloud_cvm_emulator::Tls::self_signed().unwrap();
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(2)
        .build()
        .unwrap();
    let s = Server::new(emulator)
        .tls(tls.clone())
        .read_timeout(Duration::from_millis(500))
        .bind_all(["127.0.0.1:0", "127.0.0.1:0"])
        .unwrap();
    assert!(s.urls().iter().all(|u| u.starts_with("https://127.0.0.1:")));
    assert_eq!(s.scheme(), "https");
    assert_eq!(s.certificate_pem(), Some(tls.certificate_pem()));
    for (addr, name) in [(s.addrs()[0], "127.0.0.1"), (s.addrs()[1], "localhost")] {
        let raw = https_exchange(
            addr,
            tls.certificate_der(),
            name,
            &terminate_request(addr, &creds(), &["ins-00000000"]),
        )
        .unwrap();
        let r = parse_response(&raw);
        assert_eq!(r.status, 200, "{name}");
    }
    assert_eq!(state(&s, "ins-00000000"), Some(InstanceState::Terminating));
    // Another authority's certificate is not trusted, and other names are refused.
    let other = tencentcloud_cvm_emulator::Tls::self_signed().unwrap();
    let request = terminate_request(s.addr(), &creds(), &["ins-00000001"]);
    assert!(https_exchange(s.addr(), other.certificate_der(), "127.0.0.1", &request).is_err());
    assert!(https_exchange(s.addr(), tls.certificate_der(), "example.com", &request).is_err());
    // Plain HTTP to an HTTPS listener gets no answer.
    let raw = exchange(s.addr(), &request);
    assert!(!raw.starts_with(b"HTTP/1.1 200"));
    // A client that never finishes its handshake is cut off after the read timeout.
    let started = Instant::now();
    let mut idle = connect(s.addr());
    let _ = idle.write_all(b"\x16\x03\x01");
    assert!(read_all(&mut idle).is_ok());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(state(&s, "ins-00000001"), Some(InstanceState::Running));
    s.shutdown();
}
