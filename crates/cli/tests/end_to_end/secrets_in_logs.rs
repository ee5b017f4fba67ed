//! At the most verbose, with a session token in use, the token appears nowhere
//! in what tccvm writes: not as text, not hex-encoded (ureq's protocol layer
//! writes every byte sent as a hex dump at TRACE).
#![forbid(unsafe_code)]

use crate::common;

use common::*;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::Emulator;

const TOKEN: &str = "SENTINELtokenQ7xW3kP9mL2rV8tY4nB6hC1";
const KEY: &str = "SENTINELkeyF5gH8jK1zX4cV7bN0mQ3wE6r";

/// Where `secret` shows in `output`: as text (any 8 characters of it) or as hex
/// (any 6 bytes of it, either case, with blanks between digits ignored, as a hex
/// dump groups them).
fn leaks(output: &str, secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let hex_digits: String = output.chars().filter(|c| !c.is_whitespace()).collect();
    let hex_digits = hex_digits.to_ascii_lowercase();
    let mut found = Vec::new();
    for window in bytes.windows(8) {
        let piece = String::from_utf8_lossy(window);
        if output.contains(&*piece) {
            found.push(format!("text {piece}"));
        }
    }
    for window in bytes.windows(6) {
        let hex: String = window.iter().map(|b| format!("{b:02x}")).collect();
        if hex_digits.contains(&hex) {
            found.push(format!("hex {hex}"));
        }
    }
    found
}

#[test]
fn the_leak_detector_sees_a_hex_dump_row() {
    // A row as ureq_proto writes it: 16 bytes as hex pairs grouped by two, then ASCII.
    let row: String = TOKEN.as_bytes()[..16]
        .chunks(2)
        .map(|p| format!("{:02x}{:02x} ", p[0], p[1]))
        .collect();
    assert!(!leaks(
        &format!("TRACE ureq_proto::util] {row} ................"),
        TOKEN
    )
    .is_empty());
    assert!(!leaks(&format!("x-tc-token: {}", &TOKEN[10..20]), TOKEN).is_empty());
    assert!(leaks("nothing here", TOKEN).is_empty());
}

fn emulator_with_token() -> CountingEmulator {
    CountingEmulator::with(
        Emulator::builder()
            .credential(Credentials::new(SECRET_ID, KEY).with_token(TOKEN))
            .instances(3),
    )
}

#[test]
fn vvv_with_a_session_token_never_shows_it() {
    let svc = emulator_with_token();
    let url = svc.url();
    let env = [
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", KEY),
        ("TENCENTCLOUD_SESSION_TOKEN", TOKEN),
    ];
    let cases: [(&[&str], Option<&str>, &str); 3] = [
        (&["-vvv"], None, "ins-00000000"),
        (&[], Some("trace"), "ins-00000001"),
        (&["-vvv", "--dry-run"], None, "ins-00000002"),
    ];
    for (flags, rust_log, id) in cases {
        let mut args = vec![
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
        ];
        args.extend_from_slice(flags);
        args.push(id);
        let mut env = env.to_vec();
        if let Some(spec) = rust_log {
            env.push(("RUST_LOG", spec));
        }
        let out = run(&args, &env, None);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        let all = format!("{stdout}{stderr}");
        assert_eq!(leaks(&all, TOKEN), Vec::<String>::new(), "{args:?}: {all}");
        assert_eq!(leaks(&all, KEY), Vec::<String>::new(), "{args:?}: {all}");
        if flags.contains(&"--dry-run") {
            assert!(stderr.contains("x-tc-token: <redacted>"), "{stderr}");
            assert!(stdout.contains("1 to terminate"), "{stdout}");
        } else {
            // The logging was on, deep: ours at TRACE, ureq's at DEBUG.
            assert!(stderr.contains("TRACE tccvm"), "{args:?}: {stderr}");
            assert!(stderr.contains("DEBUG ureq"), "{args:?}: {stderr}");
            // Each request sent was shown, signed, its token redacted.
            assert!(
                stderr.contains("TerminateInstances sending:"),
                "{args:?}: {stderr}"
            );
            assert!(stderr.contains("> x-tc-token: <redacted>"), "{stderr}");
        }
    }
    // The token was sent (the emulator accepts the key only with it), once per
    // run that was not a dry run.
    assert_eq!(svc.count("TerminateInstances"), 2);
    assert!(svc.entries().iter().all(|e| e.result == "OK"));
}
