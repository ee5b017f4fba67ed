//! The generated part of the seed corpus (`corpus/<target>/seed-*`).
//!
//! `tests/replay.rs` checks that every seed here is committed with the same bytes;
//! `FUZZ_WRITE_SEEDS=1 cargo test -p tencentcloud-cvm-fuzz --test replay` rewrites them.
//! Files in `corpus/` that are not named `seed-*` were found by libFuzzer.

use tencentcloud_cvm_core::signing::{Signer, SigningParams};
use tencentcloud_cvm_core::{Credentials, ErrorCode};

use crate::emulator::{Mode, Signing, NOW, SECRET_ID, SECRET_KEY};

/// One seed file: its target, its file name and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seed {
    /// The fuzz target (a directory of `corpus/`).
    pub target: &'static str,
    /// The file name, `seed-…`.
    pub name: String,
    /// The content.
    pub data: Vec<u8>,
}

/// Every generated seed, for all targets.
pub fn all() -> Vec<Seed> {
    let mut out = Vec::new();
    out.extend(response_seeds());
    out.extend(credentials_seeds());
    out.extend(emulator_seeds());
    out.extend(describe_instances_seeds());
    out.extend(describe_instances_status_seeds());
    out.extend(inquiry_price_seeds());
    out.extend(credentials_answer_seeds());
    out.extend(endpoint_seeds());
    out.extend(fault_spec_seeds());
    out.extend(tccli_config_seeds());
    out.extend(describe_regions_seeds());
    out.extend(caller_identity_seeds());
    out.extend(instance_filters_seeds());
    out.extend(instance_listing_seeds());
    let mut names = std::collections::HashSet::new();
    for s in &out {
        assert!(names.insert((s.target, s.name.clone())), "{}", s.name);
    }
    out
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn seed(target: &'static str, name: &str, data: impl Into<Vec<u8>>) -> Seed {
    Seed {
        target,
        name: format!("seed-{}", slug(name)),
        data: data.into(),
    }
}

// ---------------------------------------------------------------------------------
// response_parser

const DATE: &str = "Tue, 14 Nov 2023 22:13:20 GMT";

fn request_id(n: usize) -> String {
    format!("6ef60bec-0242-43af-bb20-{n:012x}")
}

fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{status}\r\n").into_bytes();
    for (n, v) in headers {
        out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn api(status: &str, body: impl AsRef<[u8]>) -> Vec<u8> {
    http_response(
        status,
        &[
            ("Date", DATE),
            ("Content-Type", "application/json"),
            ("Connection", "keep-alive"),
        ],
        body.as_ref(),
    )
}

fn error_envelope(code: &str, message: &str, id: &str) -> String {
    let message = serde_json::to_string(message).unwrap_or_default();
    format!(
        r#"{{"Response":{{"Error":{{"Code":"{code}","Message":{message}}},"RequestId":"{id}"}}}}"#
    )
}

fn response_seeds() -> Vec<Seed> {
    const T: &str = "response_parser";
    let ok = format!(r#"{{"Response":{{"RequestId":"{}"}}}}"#, request_id(0));
    let mut out = vec![
        seed(T, "success", api("200", &ok)),
        seed(T, "success-raw-json", ok.clone()),
        seed(
            T,
            "success-pretty-extra-fields",
            api(
                "200",
                format!(
                    "{{\n  \"Response\": {{\n    \"Extra\": [1, 2.5, {{\"x\": null}}, \"\\u672a\"],\n    \"RequestId\": \"{}\"\n  }},\n  \"Other\": true\n}}\n",
                    request_id(1)
                ),
            ),
        ),
        seed(
            T,
            "success-error-null",
            api("200", r#"{"Response":{"Error":null,"RequestId":"r"}}"#),
        ),
        seed(
            T,
            "success-small-cap",
            api("200 40", format!("{ok}{}", " ".repeat(10))),
        ),
        seed(T, "too-large", api("200 10", &ok)),
        seed(T, "success-no-headers", format!("200\n\n{ok}")),
        seed(
            T,
            "success-escapes",
            api("200", r#"{"Response":{"RequestId":"a\"b\\c\u00e9\ud83d\ude00\n"}}"#),
        ),
    ];
    for (i, code) in ErrorCode::ALL.iter().enumerate() {
        let body = error_envelope(
            code.as_str(),
            &format!("The request failed: {} (example message).", code.as_str()),
            &request_id(100 + i),
        );
        out.push(seed(
            T,
            &format!("error-{}", code.as_str()),
            api("200", &body),
        ));
    }
    for code in [
        "ResourceNotFound.NoSuchThing",
        "InternalError.Unexpected",
        "RequestLimitExceeded.NewLimit",
        "AuthFailure.Whatever",
        "",
        "Ünïcode.Cöde",
    ] {
        let body = error_envelope(code, "an unknown code", &request_id(900));
        out.push(seed(T, &format!("error-unknown-{code}"), api("200", &body)));
    }
    let internal = error_envelope("InternalError", "内部错误", &request_id(999));
    out.extend([
        seed(T, "http-500-envelope", api("500", &internal)),
        seed(
            T,
            "http-403-envelope",
            api(
                "403",
                error_envelope("AuthFailure.SignatureFailure", "no", "r"),
            ),
        ),
        seed(
            T,
            "http-502-html",
            http_response(
                "502",
                &[("Content-Type", "text/html"), ("Server", "stgw")],
                b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n",
            ),
        ),
        seed(
            T,
            "http-504-empty",
            http_response("504", &[("Content-Length", "0")], b""),
        ),
        seed(
            T,
            "http-429-text",
            http_response(
                "429",
                &[("Content-Type", "text/plain"), ("Retry-After", "1")],
                b"Too Many Requests",
            ),
        ),
        seed(
            T,
            "http-200-html",
            http_response(
                "200",
                &[("Content-Type", "text/html; charset=utf-8")],
                b"<!DOCTYPE html><html><body>maintenance</body></html>",
            ),
        ),
        seed(T, "http-999", api("999", &ok)),
        seed(T, "http-status-garbage", api("2x0", &ok)),
        seed(T, "empty-body", api("200", "")),
        seed(T, "blank-body", api("200", " \r\n\t ")),
        seed(T, "empty-input", ""),
    ]);
    for cut in [1, 5, 12, 13, 25, ok.len() - 2, ok.len() - 1] {
        out.push(seed(
            T,
            &format!("truncated-success-{cut}"),
            api("200", &ok.as_bytes()[..cut]),
        ));
    }
    for cut in [30, 60, 90] {
        out.push(seed(
            T,
            &format!("truncated-error-{cut}"),
            api("200", &internal.as_bytes()[..cut.min(internal.len())]),
        ));
    }
    let malformed: &[(&str, &str)] = &[
        ("not-json-braces", "{nope}"),
        ("trailing-garbage", r#"{"Response":{"RequestId":"a"}}xyz"#),
        ("two-documents", r#"{"Response":{"RequestId":"a"}} {}"#),
        ("null", "null"),
        ("array", "[]"),
        ("string", r#""Response""#),
        ("number", "12345"),
        ("response-null", r#"{"Response":null}"#),
        ("response-array", r#"{"Response":[]}"#),
        ("response-string", r#"{"Response":"ok"}"#),
        ("missing-response", r#"{"Resp":{"RequestId":"a"}}"#),
        ("missing-request-id", r#"{"Response":{}}"#),
        ("request-id-null", r#"{"Response":{"RequestId":null}}"#),
        ("request-id-number", r#"{"Response":{"RequestId":5}}"#),
        ("request-id-object", r#"{"Response":{"RequestId":{"a":1}}}"#),
        ("request-id-bool", r#"{"Response":{"RequestId":true}}"#),
        (
            "error-string",
            r#"{"Response":{"RequestId":"a","Error":"boom"}}"#,
        ),
        (
            "error-empty",
            r#"{"Response":{"RequestId":"a","Error":{}}}"#,
        ),
        (
            "error-code-number",
            r#"{"Response":{"RequestId":"a","Error":{"Code":7,"Message":"m"}}}"#,
        ),
        (
            "error-no-message",
            r#"{"Response":{"RequestId":"a","Error":{"Code":"InternalError"}}}"#,
        ),
        (
            "error-message-null",
            r#"{"Response":{"RequestId":"a","Error":{"Code":"InternalError","Message":null}}}"#,
        ),
        (
            "error-without-request-id",
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"}}}"#,
        ),
        (
            "duplicate-request-id",
            r#"{"Response":{"RequestId":"a","RequestId":"b"}}"#,
        ),
        (
            "duplicate-response",
            r#"{"Response":{"RequestId":"a"},"Response":{"RequestId":"b"}}"#,
        ),
        ("huge-number", r#"{"Response":{"RequestId":"a","N":1e400}}"#),
        (
            "huge-negative",
            r#"{"Response":{"RequestId":"a","N":-1e999}}"#,
        ),
        (
            "huge-integer",
            r#"{"Response":{"RequestId":"a","N":123456789012345678901234567890123456789}}"#,
        ),
        (
            "lone-surrogate-ignored",
            r#"{"Response":{"RequestId":"a","X":"\ud800"}}"#,
        ),
        (
            "lone-surrogate-request-id",
            r#"{"Response":{"RequestId":"\udc00"}}"#,
        ),
        ("bad-escape", r#"{"Response":{"RequestId":"\q"}}"#),
        (
            "control-char-in-string",
            "{\"Response\":{\"RequestId\":\"a\u{1}b\"}}",
        ),
        ("nul-byte", "{\"Response\":{\"RequestId\":\"a\"}}\0"),
        (
            "bom-before-json",
            "\u{feff}{\"Response\":{\"RequestId\":\"a\"}}",
        ),
        ("single-quotes", "{'Response':{'RequestId':'a'}}"),
        ("trailing-comma", r#"{"Response":{"RequestId":"a",}}"#),
        (
            "leading-whitespace",
            "\n\n   {\"Response\":{\"RequestId\":\"a\"}}",
        ),
        (
            "unicode-request-id",
            r#"{"Response":{"RequestId":"请求-🙂"}}"#,
        ),
    ];
    for (name, body) in malformed {
        out.push(seed(T, &format!("malformed-{name}"), api("200", body)));
    }
    let nest = |depth: usize| {
        format!(
            r#"{{"Response":{{"RequestId":"a","Deep":{}1{}}}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    out.push(seed(T, "deep-nesting-100", api("200", nest(100))));
    out.push(seed(T, "deep-nesting-200", api("200", nest(200))));
    out.push(seed(
        T,
        "deep-nesting-unclosed",
        api("200", format!(r#"{{"Response":{}"#, "{\"a\":".repeat(300))),
    ));
    out.push(seed(
        T,
        "invalid-utf8",
        http_response(
            "200",
            &[("Content-Type", "application/json")],
            b"{\"Response\":{\"RequestId\":\"\xff\xfe\"}}",
        ),
    ));
    let dates = [
        ("imf", DATE),
        ("rfc850", "Tuesday, 14-Nov-23 22:13:20 GMT"),
        ("asctime", "Tue Nov 14 22:13:20 2023"),
        ("epoch", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("year-9999", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("feb-30", "Thu, 30 Feb 2023 00:00:00 GMT"),
        ("garbage", "yesterday"),
        ("empty", ""),
    ];
    for (name, date) in dates {
        out.push(seed(
            T,
            &format!("date-{name}"),
            http_response(
                "200",
                &[("Date", date), ("Content-Type", "application/json")],
                ok.as_bytes(),
            ),
        ));
    }
    out.push(seed(
        T,
        "date-two-headers",
        http_response(
            "200",
            &[("Date", DATE), ("Date", "Mon, 25 Feb 2019 16:44:25 GMT")],
            ok.as_bytes(),
        ),
    ));
    out
}

// ---------------------------------------------------------------------------------
// credentials_file

fn credentials_seeds() -> Vec<Seed> {
    const T: &str = "credentials_file";
    let files: &[(&str, &str, &str)] = &[
        ("simple", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = example-key\n"),
        ("with-token", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = example-key\ntoken = session-token\n"),
        ("crlf", "default", "[default]\r\nsecret_id = AKIDexample\r\nsecret_key = example-key\r\n"),
        ("bom", "default", "\u{feff}[default]\nsecret_id=AKIDexample\nsecret_key=example-key\n"),
        ("comments", "default", "# my keys\n; another comment\n[default]\n  # indented comment\nsecret_id = AKIDexample\n; secret_key = commented-out\nsecret_key = example-key\n"),
        ("double-quotes", "default", "[default]\nsecret_id = \"AKIDexample\"\nsecret_key = \"a key with spaces\"\n"),
        ("single-quotes", "default", "[default]\nsecret_id = 'AKIDexample'\nsecret_key = 'k'\n"),
        ("mismatched-quotes", "default", "[default]\nsecret_id = \"AKIDexample'\nsecret_key = '\n"),
        ("empty-quotes", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = \"\"\n"),
        ("duplicate-keys", "default", "[default]\nsecret_id=A1\nsecret_key=k1\nsecret_id=A2\nsecret_key=k2\n"),
        ("duplicate-sections", "default", "[default]\nsecret_id=A1\n[other]\nsecret_id=B\n[default]\nsecret_key=k1\n"),
        ("missing-key", "default", "[default]\nsecret_id=AKIDexample\n"),
        ("missing-id", "default", "[default]\nsecret_key=example-key\n"),
        ("empty-values", "default", "[default]\nsecret_id=\nsecret_key=\ntoken=\n"),
        ("tabs", "default", "[\tdefault\t]\n\tsecret_id\t=\tAKIDexample\t\n\tsecret_key\t=\texample-key\t\n"),
        ("equals-in-value", "default", "[default]\nsecret_id=AKID=x\nsecret_key=a=b=c\n"),
        ("no-spaces", "default", "[default]\nsecret_id=AKIDexample\nsecret_key=example-key"),
        ("other-profile", "ci", "[default]\nsecret_id=A\nsecret_key=k\n\n[ci]\nsecret_id = AKIDci\nsecret_key = ci-key\ntoken = ci-token\n"),
        ("profile-not-found", "prod", "[default]\nsecret_id=A\nsecret_key=k\n"),
        ("profile-with-spaces", "my profile", "[ my profile ]\nsecret_id=A\nsecret_key=k\n"),
        ("unicode", "默认", "[默认]\nsecret_id=AKID密钥\nsecret_key=🔑-key\n"),
        ("unclosed-section", "default", "[default\nsecret_id=A\nsecret_key=k\n"),
        ("empty-section", "default", "[]\nsecret_id=A\n"),
        ("key-outside-section", "default", "secret_id=A\n[default]\nsecret_key=k\n"),
        ("line-without-equals", "default", "[default]\nsecret_id=A\nTHIS-IS-NOT-A-KEY\nsecret_key=k\n"),
        ("empty-key-name", "default", "[default]\n=value\n"),
        ("uppercase-keys", "default", "[default]\nSECRET_ID=A\nSECRET_KEY=k\n"),
        ("unknown-keys", "default", "[default]\nregion=ap-guangzhou\nsecret_id=A\nsecret_key=k\noutput=json\n"),
        ("role-arn", "default", "[default]\nsecret_id=A\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\nrole_session_name=nightly\n"),
        ("control-character", "default", "[default]\nsecret_id=A\u{7}B\nsecret_key=k\rk\n"),
        ("empty-file", "default", ""),
        ("blank-lines", "default", "\n\n\r\n   \n"),
        ("empty-profile-name", "", "[default]\nsecret_id=A\nsecret_key=k\n"),
        ("cr-only-line-endings", "default", "[default]\rsecret_id=A\rsecret_key=k\r"),
        ("bom-mid-file", "default", "[default]\n\u{feff}secret_id=A\nsecret_key=k\n"),
        ("section-trailing-text", "default", "[default] # comment\nsecret_id=A\nsecret_key=k\n"),
        ("nested-brackets", "[default]", "[[default]]\nsecret_id=A\nsecret_key=k\n"),
        ("key-equals-secret-word", "default", "[default]\nsecret_id=redacted\nsecret_key=redacted\ntoken=Credentials\n"),
        ("secret-like-profile", "example-key", "[default]\nsecret_id=A\nsecret_key=example-key\n"),
    ];
    let mut out: Vec<Seed> = files
        .iter()
        .map(|(name, profile, text)| seed(T, name, format!("{profile}\n{text}")))
        .collect();
    out.push(seed(
        T,
        "crlf-profile-line",
        "default\r\n[default]\r\nsecret_id=A\r\nsecret_key=k\r\n",
    ));
    out.push(seed(
        T,
        "invalid-utf8",
        &b"default\n[default]\nsecret_id=\xff\xfe\nsecret_key=\xc3\x28\n"[..],
    ));
    out.push(seed(
        T,
        "long-values",
        format!(
            "default\n[default]\nsecret_id={}\nsecret_key={}\n",
            "A".repeat(300),
            "k".repeat(500)
        ),
    ));
    out
}

// ---------------------------------------------------------------------------------
// emulator_handler

const HOST: &str = "cvm.tencentcloudapi.com";

fn headers_std() -> Vec<(&'static str, String)> {
    vec![
        ("Host", HOST.into()),
        ("Content-Type", "application/json".into()),
        ("X-TC-Action", "TerminateInstances".into()),
        ("X-TC-Version", "2017-03-12".into()),
        ("X-TC-Region", "ap-guangzhou".into()),
    ]
}

fn emulator_request(
    mode: Mode,
    offset: i8,
    start: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut out = vec![mode.to_byte(), offset as u8];
    out.extend_from_slice(start.as_bytes());
    out.push(b'\n');
    for (n, v) in headers {
        out.extend_from_slice(format!("{n}: {v}\n").as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

fn mode(signing: Signing) -> Mode {
    Mode {
        signing,
        sign_action: false,
        unsigned_payload: false,
        with_token: false,
        repeat: 1,
    }
}

fn ids_body(ids: &[String]) -> Vec<u8> {
    serde_json::json!({ "InstanceIds": ids })
        .to_string()
        .into_bytes()
}

fn emulator_seeds() -> Vec<Seed> {
    const T: &str = "emulator_handler";
    let valid = mode(Signing::Valid);
    let std = headers_std();
    let post = |m: Mode, body: &[u8]| emulator_request(m, 0, "POST /", &std, body);
    let ids = |list: &[&str]| ids_body(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let one = ids(&["ins-00000001"]);
    let mut out = vec![
        seed(T, "valid-one-id", post(valid, &one)),
        seed(T, "valid-three-ids", post(valid, &ids(&["ins-00000000", "ins-00000002", "ins-00000003"]))),
        seed(
            T,
            "valid-flags",
            post(valid, br#"{"InstanceIds":["ins-00000001"],"ReleasePrepaidDataDisks":true,"ReleaseAddress":false}"#),
        ),
        seed(T, "valid-prepaid", post(valid, &ids(&["ins-prepaid1", "ins-prepaid2"]))),
        seed(T, "valid-recycled-prepaid", post(valid, &ids(&["ins-recycled"]))),
        seed(T, "mixed-pricing", post(valid, &ids(&["ins-00000001", "ins-prepaid1"]))),
        seed(T, "protected", post(valid, &ids(&["ins-protectd"]))),
        seed(T, "state-stopping", post(valid, &ids(&["ins-stopping"]))),
        seed(T, "state-shutdown-postpaid", post(valid, &ids(&["ins-shutdown"]))),
        seed(T, "not-found", post(valid, &ids(&["ins-00000001", "ins-zzzzzzzz", "ins-yyyyyyyy"]))),
        seed(T, "malformed-ids", post(valid, &ids(&["ins-1", "INS-00000001", "ins-0000000!", ""]))),
        seed(T, "duplicate-ids", post(valid, &ids(&["ins-00000001", "ins-00000001"]))),
        seed(T, "no-ids", post(valid, br#"{"InstanceIds":[]}"#)),
        seed(T, "ids-null", post(valid, br#"{"InstanceIds":null}"#)),
        seed(T, "empty-object", post(valid, b"{}")),
        seed(T, "empty-body", post(valid, b"")),
        seed(T, "bad-json", post(valid, br#"{"InstanceIds":["ins-00000001""#)),
        seed(T, "json-array-body", post(valid, br#"["ins-00000001"]"#)),
        seed(T, "ids-wrong-type", post(valid, br#"{"InstanceIds":"ins-00000001"}"#)),
        seed(T, "id-number", post(valid, br#"{"InstanceIds":[1]}"#)),
        seed(T, "flag-wrong-type", post(valid, br#"{"InstanceIds":["ins-00000001"],"ReleaseAddress":"yes"}"#)),
        seed(T, "unknown-parameter", post(valid, br#"{"InstanceIds":["ins-00000001"],"DryRun":true}"#)),
        seed(T, "deep-json", post(valid, format!("{{\"InstanceIds\":{}{}", "[".repeat(200), "]".repeat(200)).as_bytes())),
    ];
    let hundred: Vec<String> = (0..100).map(|i| format!("ins-{i:08}")).collect();
    out.push(seed(
        T,
        "hundred-ids-mostly-missing",
        post(valid, &ids_body(&hundred)),
    ));
    let over: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
    out.push(seed(T, "over-hundred-ids", post(valid, &ids_body(&over))));
    out.push(seed(T, "body-too-large", post(valid, &vec![b' '; 2100])));

    // Signing variants.
    let action = Mode {
        sign_action: true,
        ..valid
    };
    out.push(seed(T, "sign-action", post(action, &one)));
    let unsigned = Mode {
        unsigned_payload: true,
        ..valid
    };
    out.push(seed(T, "unsigned-payload", post(unsigned, &one)));
    let token = Mode {
        with_token: true,
        ..valid
    };
    out.push(seed(T, "with-token", post(token, &one)));
    let mut wrong_token = std.clone();
    wrong_token.push(("X-TC-Token", "not-the-token".into()));
    out.push(seed(
        T,
        "wrong-token",
        emulator_request(token, 0, "POST /", &wrong_token, &one),
    ));
    out.push(seed(
        T,
        "token-not-needed",
        emulator_request(valid, 0, "POST /", &wrong_token, &one),
    ));
    out.push(seed(T, "wrong-key", post(mode(Signing::WrongKey), &one)));
    out.push(seed(
        T,
        "clock-ahead",
        emulator_request(valid, 127, "POST /", &std, &one),
    ));
    out.push(seed(
        T,
        "clock-behind",
        emulator_request(valid, -128, "POST /", &std, &one),
    ));
    out.push(seed(
        T,
        "clock-slightly-off",
        emulator_request(valid, 70, "POST /", &std, &one),
    ));
    let mut explicit = std.clone();
    explicit.push(("X-TC-Timestamp", (NOW - 86_400).to_string()));
    out.push(seed(
        T,
        "timestamp-yesterday",
        emulator_request(valid, 0, "POST /", &explicit, &one),
    ));
    let repeat = Mode { repeat: 8, ..valid };
    out.push(seed(T, "repeat-eight-times", post(repeat, &one)));
    out.push(seed(
        T,
        "repeat-prepaid",
        post(Mode { repeat: 3, ..valid }, &ids(&["ins-prepaid1"])),
    ));

    // Form and GET.
    let mut form = std.clone();
    form[1].1 = "application/x-www-form-urlencoded".into();
    out.push(seed(
        T,
        "form-body",
        emulator_request(
            valid,
            0,
            "POST /",
            &form,
            b"InstanceIds.0=ins-00000001&InstanceIds.1=ins-0000000%32&ReleaseAddress=true",
        ),
    ));
    out.push(seed(
        T,
        "get-query",
        emulator_request(
            valid,
            0,
            "GET /?InstanceIds.0=ins-00000001&InstanceIds.1=ins-00000002",
            &form,
            b"",
        ),
    ));
    out.push(seed(
        T,
        "get-bad-percent",
        emulator_request(valid, 0, "GET /?InstanceIds.0=%zz", &form, b""),
    ));
    out.push(seed(
        T,
        "get-with-body",
        emulator_request(valid, 0, "GET /?InstanceIds.0=ins-00000001", &form, &one),
    ));
    let mut text = std.clone();
    text[1].1 = "text/plain".into();
    out.push(seed(
        T,
        "content-type-text",
        emulator_request(valid, 0, "POST /", &text, &one),
    ));
    let mut charset = std.clone();
    charset[1].1 = "Application/JSON; charset=utf-8".into();
    out.push(seed(
        T,
        "content-type-charset",
        emulator_request(valid, 0, "POST /", &charset, &one),
    ));

    // Header problems.
    out.push(seed(
        T,
        "method-put",
        emulator_request(valid, 0, "PUT /", &std, &one),
    ));
    for (i, (name, _)) in std.iter().enumerate().take(4) {
        let mut missing = std.clone();
        missing.remove(i);
        out.push(seed(
            T,
            &format!("missing-{name}"),
            emulator_request(valid, 0, "POST /", &missing, &one),
        ));
    }
    let mut wrong_action = std.clone();
    wrong_action[2].1 = "RunInstances".into();
    out.push(seed(
        T,
        "wrong-action",
        emulator_request(valid, 0, "POST /", &wrong_action, &one),
    ));
    let mut wrong_version = std.clone();
    wrong_version[3].1 = "2022-01-01".into();
    out.push(seed(
        T,
        "wrong-version",
        emulator_request(valid, 0, "POST /", &wrong_version, &one),
    ));
    let mut bad_ts = std.clone();
    bad_ts.push(("X-TC-Timestamp", "17e8".into()));
    out.push(seed(
        T,
        "timestamp-not-a-number",
        emulator_request(valid, 0, "POST /", &bad_ts, &one),
    ));
    let mut other_host = std.clone();
    other_host[0].1 = "CVM.ap-guangzhou.TencentCloudAPI.com".into();
    out.push(seed(
        T,
        "host-mixed-case",
        emulator_request(valid, 0, "POST /", &other_host, &one),
    ));

    // The other actions.
    let with_action = |action: &str| {
        let mut h = std.clone();
        h[2].1 = action.into();
        h
    };
    const DESCRIBE: &str = "DescribeInstances";
    const STATUS: &str = "DescribeInstancesStatus";
    const PRICE: &str = "InquiryPriceTerminateInstances";
    let reads: [(&str, &str, &[u8]); 29] = [
        ("describe-all", DESCRIBE, b"{}"),
        (
            "describe-by-ids",
            DESCRIBE,
            br#"{"InstanceIds":["ins-prepaid1","ins-zzzzzzzz","ins-recycled"]}"#,
        ),
        ("describe-paged", DESCRIBE, br#"{"Offset":3,"Limit":2}"#),
        (
            "describe-ids-and-page",
            DESCRIBE,
            br#"{"InstanceIds":["ins-00000000","ins-00000001"],"Offset":1,"Limit":1}"#,
        ),
        ("describe-limit-zero", DESCRIBE, br#"{"Limit":0}"#),
        ("describe-limit-too-large", DESCRIBE, br#"{"Limit":101}"#),
        ("describe-offset-negative", DESCRIBE, br#"{"Offset":-1}"#),
        (
            "describe-filters",
            DESCRIBE,
            br#"{"Filters":[{"Name":"zone","Values":["ap-guangzhou-6"]}]}"#,
        ),
        (
            "describe-filter-tag",
            DESCRIBE,
            br#"{"Filters":[{"Name":"tag:team","Values":["ci","web"]}]}"#,
        ),
        (
            "describe-filters-and",
            DESCRIBE,
            br#"{"Filters":[{"Name":"tag:team","Values":["ci"]},{"Name":"zone","Values":["ap-guangzhou-6","ap-guangzhou-3"]}],"Limit":100}"#,
        ),
        (
            "describe-filter-every-name",
            DESCRIBE,
            br#"{"Filters":[{"Name":"project-id","Values":["0","7"]},{"Name":"instance-name","Values":["ci"]},{"Name":"instance-charge-type","Values":["POSTPAID_BY_HOUR","SPOTPAID"]},{"Name":"instance-state","Values":["RUNNING"]},{"Name":"private-ip-address","Values":["10.0.0.1"]},{"Name":"vpc-id","Values":["vpc-abcd1234"]},{"Name":"subnet-id","Values":["subnet-abcd1234"]},{"Name":"tag-key","Values":["team"]},{"Name":"tag-value","Values":["ci"]},{"Name":"creation-start-time","Values":["2023-11-01 00:00:00"]}]}"#,
        ),
        (
            "describe-filter-ids-and-hosts",
            DESCRIBE,
            br#"{"Filters":[{"Name":"instance-id","Values":["ins-gzci0001"]},{"Name":"host-id","Values":["host-abcd1234"]},{"Name":"uuid","Values":["0123abcd-0123-4567-89ab-0123456789ab"]},{"Name":"security-group-id","Values":["sg-8jlk3f3r"]},{"Name":"ipv6-address","Values":["2001:db8::1"]},{"Name":"public-ip-address","Values":["203.0.113.9"]},{"Name":"dedicated-cluster-id","Values":["cluster-1"]},{"Name":"creation-end-time","Values":["2030-01-01 00:00:00"]}]}"#,
        ),
        (
            "describe-filter-unknown-name",
            DESCRIBE,
            br#"{"Filters":[{"Name":"instance-type","Values":["S5.MEDIUM2"]}]}"#,
        ),
        (
            "describe-filter-zone-other-region",
            DESCRIBE,
            br#"{"Filters":[{"Name":"zone","Values":["ap-shanghai-2"]}]}"#,
        ),
        (
            "describe-filter-six-values",
            DESCRIBE,
            br#"{"Filters":[{"Name":"tag-key","Values":["a","b","c","d","e","f"]}]}"#,
        ),
        (
            "describe-eleven-filters",
            DESCRIBE,
            br#"{"Filters":[{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]},{"Name":"tag-key","Values":["a"]}]}"#,
        ),
        (
            "describe-ids-and-filters",
            DESCRIBE,
            br#"{"InstanceIds":["ins-gzci0001"],"Filters":[{"Name":"tag-key","Values":["team"]}]}"#,
        ),
        (
            "describe-filter-no-values",
            DESCRIBE,
            br#"{"Filters":[{"Name":"zone"}]}"#,
        ),
        (
            "describe-filter-bad-time",
            DESCRIBE,
            br#"{"Filters":[{"Name":"creation-start-time","Values":["2023-11-01T00:00:00Z"]}]}"#,
        ),
        (
            "describe-filter-not-a-list",
            DESCRIBE,
            br#"{"Filters":{"Name":"zone","Values":["ap-guangzhou-6"]}}"#,
        ),
        (
            "describe-filter-extra-member",
            DESCRIBE,
            br#"{"Filters":[{"Name":"zone","Values":["ap-guangzhou-6"],"Op":"eq"}]}"#,
        ),
        (
            "terminate-spot-and-postpaid",
            "TerminateInstances",
            br#"{"InstanceIds":["ins-00000000","ins-spot0001"]}"#,
        ),
        (
            "terminate-underwrite-in-recycle-bin",
            "TerminateInstances",
            br#"{"InstanceIds":["ins-underwri"]}"#,
        ),
        (
            "status-by-ids",
            STATUS,
            br#"{"InstanceIds":["ins-stopping","ins-shutdown"]}"#,
        ),
        ("status-paged", STATUS, br#"{"Offset":0,"Limit":100}"#),
        (
            "price-prepaid",
            PRICE,
            br#"{"InstanceIds":["ins-prepaid1","ins-prepaid2"]}"#,
        ),
        (
            "price-mixed",
            PRICE,
            br#"{"InstanceIds":["ins-00000000","ins-recycled"]}"#,
        ),
        ("price-no-ids", PRICE, b"{}"),
        (
            "price-stopping",
            PRICE,
            br#"{"InstanceIds":["ins-stopping"]}"#,
        ),
    ];
    for (name, action, body) in reads {
        out.push(seed(
            T,
            name,
            emulator_request(valid, 0, "POST /", &with_action(action), body),
        ));
    }
    let regions = with_action("DescribeRegions");
    out.push(seed(
        T,
        "regions",
        emulator_request(valid, 0, "POST /", &regions, b"{}"),
    ));
    out.push(seed(
        T,
        "regions-with-parameter",
        emulator_request(valid, 0, "POST /", &regions, br#"{"Product":"cvm"}"#),
    ));
    let mut english = regions.clone();
    english.push(("X-TC-Language", "en-US".into()));
    out.push(seed(
        T,
        "regions-in-english",
        emulator_request(valid, 0, "POST /", &english, b""),
    ));
    let mut identity = with_action("GetCallerIdentity");
    identity[3].1 = "2018-08-13".into();
    out.push(seed(
        T,
        "caller-identity",
        emulator_request(valid, 0, "POST /", &identity, b"{}"),
    ));
    out.push(seed(
        T,
        "caller-identity-with-token",
        emulator_request(
            Mode {
                with_token: true,
                ..valid
            },
            0,
            "POST /",
            &identity,
            b"{}",
        ),
    ));
    let mut identity_no_region = identity.clone();
    identity_no_region.remove(4);
    out.push(seed(
        T,
        "caller-identity-without-region",
        emulator_request(valid, 0, "POST /", &identity_no_region, b"{}"),
    ));
    let mut identity_cvm_version = identity.clone();
    identity_cvm_version[3].1 = "2017-03-12".into();
    out.push(seed(
        T,
        "caller-identity-cvm-version",
        emulator_request(valid, 0, "POST /", &identity_cvm_version, b"{}"),
    ));
    let describe = with_action(DESCRIBE);
    out.push(seed(
        T,
        "describe-repeat-eight-times",
        emulator_request(Mode { repeat: 8, ..valid }, 0, "POST /", &describe, b"{}"),
    ));
    out.push(seed(
        T,
        "describe-get-filters",
        emulator_request(
            valid,
            0,
            "GET /?Filters.0.Name=tag%3Ateam&Filters.0.Values.0=ci&Filters.1.Name=zone&Filters.1.Values.0=ap-guangzhou-6&Limit=5",
            &describe,
            b"",
        ),
    ));
    let mut shanghai = describe.clone();
    shanghai[4].1 = "ap-shanghai".into();
    out.push(seed(
        T,
        "describe-in-another-region",
        emulator_request(valid, 0, "POST /", &shanghai, b"{}"),
    ));
    let mut no_region = describe.clone();
    no_region.remove(4);
    out.push(seed(
        T,
        "describe-without-region",
        emulator_request(valid, 0, "POST /", &no_region, b"{}"),
    ));
    out.push(seed(
        T,
        "describe-get-form",
        emulator_request(
            valid,
            0,
            "GET /?InstanceIds.0=ins-00000001&Offset=0&Limit=5",
            &describe,
            b"",
        ),
    ));

    // Authorization given as-is.
    let as_is = mode(Signing::AsIs);
    out.push(seed(T, "no-authorization", post(as_is, &one)));
    let auths = [
        ("garbage", "Bearer abc".to_string()),
        ("wrong-algorithm", format!("TC3-HMAC-SHA1 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}", "0".repeat(64))),
        ("bad-signature", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}", "0".repeat(64))),
        ("unknown-secret-id", format!("TC3-HMAC-SHA256 Credential=AKIDnobody/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}", "a".repeat(64))),
        ("wrong-scope-date", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}", "a".repeat(64))),
        ("wrong-service", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cbs/tc3_request, SignedHeaders=content-type;host, Signature={}", "a".repeat(64))),
        ("signed-headers-missing-host", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type, Signature={}", "a".repeat(64))),
        ("signed-headers-duplicate", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host;Host, Signature={}", "a".repeat(64))),
        ("signed-header-absent", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host;x-absent, Signature={}", "a".repeat(64))),
        ("short-signature", format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature=abc")),
    ];
    for (name, auth) in auths {
        let mut h = std.clone();
        h.push(("X-TC-Timestamp", NOW.to_string()));
        h.push(("Authorization", auth));
        out.push(seed(
            T,
            &format!("authorization-{name}"),
            emulator_request(as_is, 0, "POST /", &h, &one),
        ));
    }
    // A request signed beforehand, sent as-is: valid, so mutations of it stay close.
    let params = SigningParams::builder()
        .host(HOST)
        .action("TerminateInstances")
        .payload(&one)
        .timestamp(NOW)
        .build();
    if let Ok(params) = params {
        let auth = Signer::new().sign(&params, &Credentials::new(SECRET_ID, SECRET_KEY));
        let mut h = std.clone();
        h.push(("X-TC-Timestamp", NOW.to_string()));
        h.push(("Authorization", auth.into_authorization()));
        out.push(seed(
            T,
            "presigned-valid",
            emulator_request(as_is, 0, "POST /", &h, &one),
        ));
        let mut tampered = one.clone();
        tampered[20] = b'9';
        out.push(seed(
            T,
            "presigned-tampered-body",
            emulator_request(as_is, 0, "POST /", &h, &tampered),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------
// describe_instances_parser, describe_instances_status_parser, inquiry_price_parser

/// `{"Response":{<fields>,"RequestId":"…"}}` in a 200 with the usual headers.
fn typed_ok(fields: &str) -> Vec<u8> {
    let comma = if fields.is_empty() { "" } else { "," };
    api(
        "200",
        format!(
            r#"{{"Response":{{{fields}{comma}"RequestId":"{}"}}}}"#,
            request_id(7)
        ),
    )
}

/// Answers every typed target must classify exactly as `parse_response` does.
fn non_success_seeds(target: &'static str) -> Vec<Seed> {
    vec![
        seed(
            target,
            "error-envelope",
            api(
                "200",
                error_envelope("InvalidInstanceId.Malformed", "bad id", &request_id(8)),
            ),
        ),
        seed(
            target,
            "throttled-429",
            api(
                "429",
                error_envelope("RequestLimitExceeded", "slow down", &request_id(9)),
            ),
        ),
        seed(
            target,
            "gateway-502-html",
            http_response(
                "502",
                &[("Content-Type", "text/html")],
                b"<html>502 Bad Gateway</html>",
            ),
        ),
        seed(
            target,
            "truncated",
            api("200", r#"{"Response":{"TotalCount":1,"Inst"#),
        ),
        seed(
            target,
            "empty-request-id",
            api("200", r#"{"Response":{"RequestId":""}}"#),
        ),
        seed(target, "empty-body", api("200", "")),
        seed(
            target,
            "too-large",
            api("200 16", r#"{"Response":{"RequestId":"r"}}"#),
        ),
    ]
}

const FULL_INSTANCE: &str = r#"{"Placement":{"Zone":"ap-guangzhou-6","ProjectId":0},"InstanceId":"ins-r8hr2upy","InstanceType":"S5.MEDIUM4","CPU":2,"Memory":4,"RestrictState":"NORMAL","InstanceName":"web-1","InstanceChargeType":"PREPAID","SystemDisk":{"DiskType":"CLOUD_PREMIUM","DiskSize":50},"DataDisks":null,"PrivateIpAddresses":["172.16.32.78"],"PublicIpAddresses":null,"InternetAccessible":{"InternetChargeType":"TRAFFIC_POSTPAID_BY_HOUR","InternetMaxBandwidthOut":1},"VirtualPrivateCloud":{"VpcId":"vpc-e2qmhbv0","SubnetId":"subnet-6d5j5r5e"},"ImageId":"img-9qabwvbn","RenewFlag":"NOTIFY_AND_MANUAL_RENEW","CreatedTime":"2023-10-14T22:13:20Z","ExpiredTime":"2024-11-14T22:13:20Z","OsName":"TencentOS Server 3.1","SecurityGroupIds":["sg-2nm6v1pf"],"LoginSettings":{"KeyIds":["skey-b4vakk62"]},"InstanceState":"RUNNING","Tags":[{"Key":"team","Value":"infra"}],"StopChargingMode":"NOT_APPLICABLE","Uuid":"68b510db-b4c1-4630-a62b-73d0c7c970f9","LatestOperation":"ResetInstancesPassword","LatestOperationState":"SUCCESS","LatestOperationRequestId":"c7de1287-061d-4ace-8caf-6ad8e5a2f29a","DisasterRecoverGroupId":"","IPv6Addresses":null,"CamRoleName":"","HpcClusterId":"","RdmaIpAddresses":null,"IsolatedSource":"NOTISOLATED","DisableApiTermination":false,"LatestOperationErrorMsg":null,"DefaultLoginUser":"root","DefaultLoginPort":22}"#;

fn describe_instances_seeds() -> Vec<Seed> {
    const T: &str = "describe_instances_parser";
    let set = |total: &str, entries: &[&str]| {
        typed_ok(&format!(
            r#""TotalCount":{total},"InstanceSet":[{}]"#,
            entries.join(",")
        ))
    };
    let mut out = vec![
        seed(T, "full-entry", set("1", &[FULL_INSTANCE])),
        seed(
            T,
            "two-by-id",
            set(
                "2",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR","ExpiredTime":null,"IsolatedSource":"NOTISOLATED","DisableApiTermination":true}"#,
                    r#"{"InstanceId":"ins-00000002","InstanceState":"SHUTDOWN","InstanceChargeType":"PREPAID","ExpiredTime":"2024-02-29T00:00:00Z","IsolatedSource":"MANMADE","LatestOperation":"TerminateInstances","LatestOperationState":"SUCCESS","LatestOperationRequestId":"6ef60bec-0242-43af-bb20-000000000001"}"#,
                ],
            ),
        ),
        seed(T, "empty-set", set("0", &[])),
        seed(
            T,
            "page-of-more",
            set("250", &[r#"{"InstanceId":"ins-00000100"}"#]),
        ),
        seed(
            T,
            "nulls",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceState":null,"InstanceChargeType":null,"InstanceName":null,"DisableApiTermination":null,"LatestOperation":null,"LatestOperationState":null,"LatestOperationRequestId":null,"ExpiredTime":null,"IsolatedSource":null}"#,
                ],
            ),
        ),
        seed(
            T,
            "unknown-values",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceState":"HIBERNATING","InstanceChargeType":"NEWPAID","LatestOperationState":"QUEUED","IsolatedSource":"\u6b20\u8d39"}"#,
                ],
            ),
        ),
        seed(
            T,
            "terminate-without-request-id",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceState":"TERMINATING","LatestOperation":"TerminateInstances","LatestOperationState":"OPERATING","LatestOperationRequestId":""}"#,
                ],
            ),
        ),
        seed(
            T,
            "bad-expired-time",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","ExpiredTime":"2024-02-30 00:00:00"}"#],
            ),
        ),
        seed(
            T,
            "missing-instance-id",
            set("1", &[r#"{"InstanceState":"RUNNING"}"#]),
        ),
        seed(
            T,
            "malformed-instance-id",
            set("1", &[r#"{"InstanceId":"lhins-1234"}"#]),
        ),
        seed(
            T,
            "numeric-instance-id",
            set("1", &[r#"{"InstanceId":12345678}"#]),
        ),
        seed(
            T,
            "duplicate-key",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","InstanceId":"ins-00000002"}"#],
            ),
        ),
        seed(
            T,
            "protection-as-text",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","DisableApiTermination":"true"}"#],
            ),
        ),
        seed(
            T,
            "set-null",
            typed_ok(r#""TotalCount":0,"InstanceSet":null"#),
        ),
        seed(T, "set-missing", typed_ok(r#""TotalCount":0"#)),
        seed(
            T,
            "set-object",
            typed_ok(r#""TotalCount":1,"InstanceSet":{"InstanceId":"ins-00000001"}"#),
        ),
        seed(T, "total-negative", set("-1", &[])),
        seed(T, "total-float", set("1.5", &[])),
        seed(T, "total-huge", set("18446744073709551616", &[])),
        seed(T, "total-missing", typed_ok(r#""InstanceSet":[]"#)),
    ];
    let hundred: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"InstanceId":"ins-{i:08}","InstanceState":"RUNNING","InstanceName":"\u5b9e\u4f8b-{i}"}}"#))
        .collect();
    let hundred: Vec<&str> = hundred.iter().map(String::as_str).collect();
    out.push(seed(T, "hundred-entries", set("100", &hundred)));
    out.extend([
        seed(
            T,
            "selection-fields",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceType":"SA2.MEDIUM4","Placement":{"Zone":"ap-shanghai-fsi-2","ProjectId":1002189,"HostId":"host-0123abcd","HostIds":[]},"Tags":[{"Key":"team","Value":"ci"},{"Key":"team","Value":"web"},{"Key":"\u90e8\u95e8","Value":""}],"CreatedTime":"2020-09-22T08:00:00+08:00","PrivateIpAddresses":["10.0.0.1","10.0.0.2"],"PublicIpAddresses":[],"IPv6Addresses":["2001:db8::1"],"VirtualPrivateCloud":{"VpcId":"vpc-1yg5ua6l","SubnetId":"subnet-iw7bhwsh","AsVpcGateway":false,"PrivateIpAddresses":["10.0.0.1"],"Ipv6AddressCount":1},"Uuid":"68b510db-b4c1-4630-a62b-73d0c7c970f9","SecurityGroupIds":[],"DedicatedClusterId":""}"#,
                ],
            ),
        ),
        seed(
            T,
            "created-time-forms",
            set(
                "3",
                &[
                    r#"{"InstanceId":"ins-00000001","CreatedTime":"2020-09-22T00:00:00+00:00"}"#,
                    r#"{"InstanceId":"ins-00000002","CreatedTime":"2020-09-21T14:30:00-09:30"}"#,
                    r#"{"InstanceId":"ins-00000003","CreatedTime":"2020-09-22 00:00:00"}"#,
                ],
            ),
        ),
        seed(
            T,
            "selection-nulls",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","InstanceType":null,"Placement":null,"Tags":null,"CreatedTime":null,"PrivateIpAddresses":null,"PublicIpAddresses":null,"IPv6Addresses":null,"VirtualPrivateCloud":null,"Uuid":null,"SecurityGroupIds":null,"DedicatedClusterId":null}"#,
                ],
            ),
        ),
        seed(
            T,
            "placement-fields-null",
            set(
                "1",
                &[
                    r#"{"InstanceId":"ins-00000001","Placement":{"Zone":null,"ProjectId":null,"HostId":null},"VirtualPrivateCloud":{}}"#,
                ],
            ),
        ),
        seed(
            T,
            "tag-value-null",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","Tags":[{"Key":"team","Value":null}]}"#],
            ),
        ),
        seed(
            T,
            "tags-object",
            set("1", &[r#"{"InstanceId":"ins-00000001","Tags":{"team":"ci"}}"#]),
        ),
        seed(
            T,
            "project-id-negative",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","Placement":{"ProjectId":-1}}"#],
            ),
        ),
        seed(
            T,
            "addresses-not-strings",
            set(
                "1",
                &[r#"{"InstanceId":"ins-00000001","PrivateIpAddresses":[167772161]}"#],
            ),
        ),
    ]);
    out.extend(non_success_seeds(T));
    out
}

fn describe_instances_status_seeds() -> Vec<Seed> {
    const T: &str = "describe_instances_status_parser";
    let set = |total: &str, entries: &str| {
        typed_ok(&format!(
            r#""TotalCount":{total},"InstanceStatusSet":[{entries}]"#
        ))
    };
    let mut out = vec![
        seed(
            T,
            "documented-example",
            set(
                "2",
                r#"{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"},{"InstanceId":"ins-5d8a23rs","InstanceState":"STOPPED"}"#,
            ),
        ),
        seed(T, "empty", set("0", "")),
        seed(
            T,
            "state-null",
            set("1", r#"{"InstanceId":"ins-00000001","InstanceState":null}"#),
        ),
        seed(
            T,
            "state-unknown",
            set(
                "1",
                r#"{"InstanceId":"ins-00000001","InstanceState":"RESCUE_MODE2"}"#,
            ),
        ),
        seed(
            T,
            "state-number",
            set("1", r#"{"InstanceId":"ins-00000001","InstanceState":3}"#),
        ),
        seed(T, "missing-id", set("1", r#"{"InstanceState":"RUNNING"}"#)),
        seed(
            T,
            "uppercase-id",
            set("1", r#"{"InstanceId":"INS-00000001"}"#),
        ),
        seed(T, "set-missing", typed_ok(r#""TotalCount":3"#)),
    ];
    out.extend(non_success_seeds(T));
    out
}

fn inquiry_price_seeds() -> Vec<Seed> {
    const T: &str = "inquiry_price_parser";
    let refund = |refunds: &str| {
        typed_ok(&format!(
            r#""InstanceRefundsSet":[{{"InstanceId":"ins-rfmme2si","Refunds":{refunds},"PriceDetail":"Refund"}}]"#
        ))
    };
    let mut out = vec![
        seed(
            T,
            "documented-example",
            typed_ok(
                r#""InstanceRefundsSet":[{"InstanceId":"ins-rfmme2si","Refunds":2644.44,"PriceDetail":"\u9000\u6b3e:2644.44\u5143,\u73b0\u91d1\u5238: 0\u5143"}]"#,
            ),
        ),
        seed(T, "zero", refund("0")),
        seed(T, "negative", refund("-1.5")),
        seed(T, "exponent", refund("2.64444e3")),
        seed(T, "exponent-negative", refund("264444E-2")),
        seed(T, "string-amount", refund(r#""12.30""#)),
        seed(T, "string-not-a-number", refund(r#""12,30""#)),
        seed(
            T,
            "thirty-eight-digits",
            refund("99999999999999999999999999999999999999"),
        ),
        seed(
            T,
            "thirty-nine-digits",
            refund("999999999999999999999999999999999999999"),
        ),
        seed(T, "beyond-f64", refund("1e400")),
        seed(
            T,
            "tiny",
            refund("0.00000000000000000000000000000000000001"),
        ),
        seed(T, "too-tiny", refund("1e-39")),
        seed(T, "binary-trap", refund("0.30000000000000004441")),
        seed(T, "null", refund("null")),
        seed(T, "bool", refund("true")),
        seed(
            T,
            "fields-missing",
            typed_ok(r#""InstanceRefundsSet":[{"InstanceId":"ins-rfmme2si"}]"#),
        ),
        seed(
            T,
            "missing-id",
            typed_ok(r#""InstanceRefundsSet":[{"Refunds":1,"PriceDetail":"x"}]"#),
        ),
        seed(T, "set-missing", typed_ok("")),
        seed(
            T,
            "two-instances",
            typed_ok(
                r#""InstanceRefundsSet":[{"InstanceId":"ins-00000001","Refunds":0,"PriceDetail":null},{"InstanceId":"ins-00000002","Refunds":81.09,"PriceDetail":"prepaid"}]"#,
            ),
        ),
    ];
    out.extend(non_success_seeds(T));
    out
}

// credentials_answer

fn credentials_answer_seeds() -> Vec<Seed> {
    const T: &str = "credentials_answer";
    let metadata = r#"{"TmpSecretId":"AKIDtmpexample","TmpSecretKey":"example-temporary-key","Token":"example-token","ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","Code":"Success"}"#;
    let sts = r#"{"Response":{"Credentials":{"Token":"example-token","TmpSecretId":"AKIDtmpexample","TmpSecretKey":"example-temporary-key"},"ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","RequestId":"6ef60bec-0242-43af-bb20-000000000001"}}"#;
    let sts_error = r#"{"Response":{"Error":{"Code":"ResourceNotFound.RoleNotExist","Message":"role not exist"},"RequestId":"6ef60bec-0242-43af-bb20-000000000002"}}"#;
    let cases: &[(&str, u8, String)] = &[
        ("role-name", 0, "ops-role\n".into()),
        ("role-name-lines", 0, "\r\n  ops-role \nother\n".into()),
        ("role-name-bad", 0, "../etc/passwd".into()),
        ("metadata", 1, metadata.into()),
        ("metadata-failed", 1, metadata.replace("Success", "Failed")),
        (
            "metadata-crlf-token",
            1,
            metadata.replace("example-token", "example\\r\\ntoken"),
        ),
        (
            "metadata-float-expiry",
            1,
            metadata.replace("1700007200", "1700007200.0"),
        ),
        (
            "metadata-string-expiry",
            1,
            metadata.replace("1700007200", "\"1700007200\""),
        ),
        (
            "metadata-null-key",
            1,
            metadata.replace("\"example-temporary-key\"", "null"),
        ),
        ("metadata-cut", 1, metadata[..metadata.len() / 2].into()),
        ("sts", 2, sts.into()),
        ("sts-error", 2, sts_error.into()),
        ("sts-500", 3, sts.into()),
        (
            "sts-no-credentials",
            2,
            sts.replace("\"Credentials\"", "\"Other\""),
        ),
        (
            "sts-space-in-id",
            2,
            sts.replace("AKIDtmpexample", "AKID tmp"),
        ),
        (
            "sts-nested-array",
            2,
            sts.replace("\"example-token\"", "[\"example-token\"]"),
        ),
    ];
    cases
        .iter()
        .map(|(name, mode, body)| {
            let mut data = vec![*mode];
            data.extend_from_slice(body.as_bytes());
            seed(T, name, data)
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// endpoint_url

fn endpoint_seeds() -> Vec<Seed> {
    const T: &str = "endpoint_url";
    [
        "https://cvm.tencentcloudapi.com",
        "http://127.0.0.1:8080",
        "HTTP://LOCALHOST:80/",
        "cvm.internal.example:8443",
        "http://[::1]:9000",
        "http://[fe80::1%25eth0]",
        "http://127.0.0.1:+1",
        "http://a..b",
        "http://-a",
        "http://127.1",
        "http://0x7f.0.0.1",
        "http://xn--bcher-kva.example",
        "http://bücher.example",
        "http://u@h",
        "http://h/path?q#f",
        "ftp://h",
        "http://h:65535",
        "http://h:08080",
        " https://h ",
        "http://a.b\tc",
    ]
    .iter()
    .map(|url| seed(T, url, url.as_bytes()))
    .collect()
}

// ---------------------------------------------------------------------------------
// fault_spec

fn fault_spec_seeds() -> Vec<Seed> {
    const T: &str = "fault_spec";
    [
        "delay=300ms",
        "delay=2s",
        "delay=0ms",
        "delay=18446744073709551615s",
        "server-error-html",
        "close-before-state-change",
        "close-after-state-change",
        "truncated-body",
        "oversized-body=1048576",
        "oversized-body=",
        "wrong-content-type",
        "delay",
        "Delay=1s",
        "teapot",
        "duplicate-entry",
        "field=InstanceChargeType:null",
        "field=InstanceState:empty",
        "field=InstanceChargeType:missing",
        "field=InstanceState:lowercase",
        "field=InstanceChargeType:value=UNDERWRITE",
        "field=InstanceState:value=",
        "field=Instance-State:null",
        "field=InstanceState",
        "total-count=1",
        "total-count=-1",
        "drop-entries",
        "extra-entry=ins-notasked",
        "extra-entry=ins-1",
        "latest-operation-failed",
        "refuse-read=ins-00000001",
        "refuse-read=ins-00000001:UnauthorizedOperation",
        "refuse-read=ins-00000001:bad code",
        "stale-reads=3",
        "stale-reads=500ms",
        "stale-reads=1.5",
        "partial-batch=1",
        "partial-batch=1:InvalidInstanceId.NotFound",
        "partial-batch=x",
        "refuse",
        "refuse=FailedOperation.Unreturnable",
        "refuse=",
    ]
    .iter()
    .map(|spec| seed(T, spec, spec.as_bytes()))
    .collect()
}

// ---------------------------------------------------------------------------------
// tccli_config

fn tccli_config_seeds() -> Vec<Seed> {
    const T: &str = "tccli_config";
    vec![
        // Exactly as `tccli configure set secretId AKIDTESTID secretKey TESTKEY region ap-guangzhou` wrote them.
        seed(T, "credential-keys", "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"TESTKEY\"\n}"),
        seed(
            T,
            "configure",
            "{\n  \"_sys_param\": {\n    \"arrayCount\": 10,\n    \"output\": \"json\",\n    \"region\": \"ap-guangzhou\",\n    \"warning\": \"off\"\n  },\n  \"cvm\": {\n    \"endpoint\": \"cvm.tencentcloudapi.com\",\n    \"version\": \"2017-03-12\"\n  },\n  \"sts\": {\n    \"endpoint\": \"sts.tencentcloudapi.com\",\n    \"version\": \"2018-08-13\"\n  }\n}",
        ),
        seed(T, "credential-token", r#"{"secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET-KEY", "token": "SENTINEL-TCCLI-SESSION-TOKEN", "type": "default"}"#),
        seed(T, "cvm-role", "{\n  \"type\": \"cvm-role\"\n}"),
        seed(T, "role-and-token-no-keys", r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "token": "TOKENX"}"#),
        seed(T, "role-with-keys", r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "secretId": "AKIDx", "secretKey": "k"}"#),
        seed(T, "oauth", r#"{"type": "oauth", "secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET-KEY", "token": "t", "expiresAt": 1700000000, "oauth": {"refreshToken": "r"}}"#),
        seed(T, "control-character", r#"{"secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET\r\nKEY"}"#),
        seed(T, "wrong-types", r#"{"secretId": 5, "_sys_param": {"region": ["ap-guangzhou"]}}"#),
        seed(T, "empty-object", "{}"),
        seed(T, "cut-short", "{\"secretId\": \"AKIDx\", \"secretKey\": \"SENTINEL-TCCLI"),
    ]
}

// ---------------------------------------------------------------------------------
// describe_regions_parser, caller_identity_parser

fn describe_regions_seeds() -> Vec<Seed> {
    const T: &str = "describe_regions_parser";
    let set = |total: &str, entries: &[&str]| {
        typed_ok(&format!(
            r#""TotalCount":{total},"RegionSet":[{}]"#,
            entries.join(",")
        ))
    };
    let documented: Vec<String> = [
        ("ap-beijing", "\\u534e\\u5317\\u5730\\u533a(\\u5317\\u4eac)"),
        (
            "ap-guangzhou",
            "\\u534e\\u5357\\u5730\\u533a(\\u5e7f\\u5dde)",
        ),
        ("ap-hongkong", "Hong Kong"),
        ("ap-shanghai", "East China(Shanghai)"),
        ("ap-shanghai-fsi", "East China(Shanghai Finance)"),
        ("ap-shenzhen-fsi", "South China(Shenzhen Finance)"),
        ("ap-singapore", "Singapore"),
        ("na-siliconvalley", "Silicon Valley"),
    ]
    .iter()
    .map(|(r, n)| format!(r#"{{"Region":"{r}","RegionName":"{n}","RegionState":"AVAILABLE"}}"#))
    .collect();
    let documented: Vec<&str> = documented.iter().map(String::as_str).collect();
    let mut out = vec![
        // The documentation's example says 9 and lists 8.
        seed(T, "documented-example", set("9", &documented)),
        seed(T, "empty", set("0", &[])),
        seed(
            T,
            "states",
            set(
                "3",
                &[
                    r#"{"Region":"ap-a","RegionState":"UNAVAILABLE"}"#,
                    r#"{"Region":"ap-b","RegionState":null,"RegionName":null}"#,
                    r#"{"Region":"ap-c","RegionState":"CLOSING"}"#,
                ],
            ),
        ),
        seed(T, "region-missing", set("1", &[r#"{"RegionName":"x"}"#])),
        seed(T, "region-empty", set("1", &[r#"{"Region":""}"#])),
        seed(
            T,
            "region-upper-case",
            set("1", &[r#"{"Region":"AP-GUANGZHOU"}"#]),
        ),
        seed(
            T,
            "region-host-injection",
            set("1", &[r#"{"Region":"ap-guangzhou.evil.example"}"#]),
        ),
        seed(T, "region-number", set("1", &[r#"{"Region":7}"#])),
        seed(
            T,
            "set-null",
            typed_ok(r#""TotalCount":0,"RegionSet":null"#),
        ),
        seed(T, "set-missing", typed_ok(r#""TotalCount":0"#)),
    ];
    out.extend(non_success_seeds(T));
    out
}

fn caller_identity_seeds() -> Vec<Seed> {
    const T: &str = "caller_identity_parser";
    let identity = |kind: &str, user: &str, arn: &str| {
        typed_ok(&format!(
            r#""Type":{kind},"AccountId":"100026200000","UserId":"{user}","PrincipalId":"100026100000","Arn":"{arn}""#
        ))
    };
    let mut out = vec![
        seed(
            T,
            "sub-account",
            identity(
                r#""CAMUser""#,
                "100026100000",
                "qcs::cam:100026200000:uin/100026100000",
            ),
        ),
        seed(
            T,
            "assumed-role",
            identity(
                r#""CAMRole""#,
                "4611686018427420000:roleSessionName",
                "qcs::sts:100026200000:assumed-role/4611686018427420000",
            ),
        ),
        seed(
            T,
            "federated-user",
            identity(
                r#""CAMUser""#,
                "100026100000:federatedUserName",
                "qcs::sts:100026200000:federated-user/100026100000",
            ),
        ),
        seed(
            T,
            "type-null",
            identity(
                "null",
                "100026200000",
                "qcs::cam:100026200000:uin/100026200000",
            ),
        ),
        seed(
            T,
            "type-unknown",
            identity(
                r#""Root""#,
                "100026200000",
                "qcs::cam:100026200000:uin/100026200000",
            ),
        ),
        seed(
            T,
            "account-missing",
            typed_ok(r#""UserId":"1","PrincipalId":"1","Arn":"a""#),
        ),
        seed(
            T,
            "account-number",
            typed_ok(r#""AccountId":100026200000,"UserId":"1","PrincipalId":"1","Arn":"a""#),
        ),
        seed(T, "type-number", identity("1", "1", "a")),
    ];
    out.extend(non_success_seeds(T));
    out
}

// ---------------------------------------------------------------------------------
// instance_filters

fn instance_filters_seeds() -> Vec<Seed> {
    const T: &str = "instance_filters";
    let instance = r#"{"InstanceId":"ins-00000001","InstanceName":"ci-runner","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR","Placement":{"Zone":"ap-guangzhou-3","ProjectId":0,"HostId":"host-0123abcd"},"Tags":[{"Key":"team","Value":"ci"}],"CreatedTime":"2023-06-01T12:00:00Z","PrivateIpAddresses":["10.0.0.1"],"PublicIpAddresses":["203.0.113.9"],"IPv6Addresses":["2001:db8::1"],"VirtualPrivateCloud":{"VpcId":"vpc-1yg5ua6l","SubnetId":"subnet-iw7bhwsh"},"Uuid":"68b510db-b4c1-4630-a62b-73d0c7c970f9","SecurityGroupIds":["sg-8jlk3f3r"],"DedicatedClusterId":"cluster-abc"}"#;
    let first_ten = "zone\tap-guangzhou-3\tap-guangzhou-4\nproject-id\t0\nhost-id\thost-0123abcd\ndedicated-cluster-id\tcluster-abc\nvpc-id\tvpc-1yg5ua6l\nsubnet-id\tsubnet-iw7bhwsh\ninstance-id\tins-00000001\nuuid\t68b510db-b4c1-4630-a62b-73d0c7c970f9\nsecurity-group-id\tsg-8jlk3f3r\ninstance-name\tci";
    let other_ten = "instance-charge-type\tPOSTPAID_BY_HOUR\tPREPAID\ninstance-state\tRUNNING\nprivate-ip-address\t10.0.0.1\npublic-ip-address\t203.0.113.9\nipv6-address\t2001:db8::1\ntag-key\tteam\ntag-value\tci\ntag:team\tci\tweb\ncreation-start-time\t2023-05-01 00:00:00\ncreation-end-time\t2023-07-01 00:00:00";
    let texts: Vec<(&str, String)> = vec![
        ("tag-team", "tag:team\tci".to_owned()),
        (
            "tag-team-with-instance",
            format!("tag:team\tci\n--\n{instance}"),
        ),
        ("first-ten-names", first_ten.to_owned()),
        (
            "first-ten-with-instance",
            format!("{first_ten}\n--\n{instance}"),
        ),
        ("other-ten-names", other_ten.to_owned()),
        (
            "other-ten-with-instance",
            format!("{other_ten}\n--\n{instance}"),
        ),
        (
            "contradicted",
            format!("tag:team\tweb\nzone\tap-guangzhou-4\n--\n{instance}"),
        ),
        ("empty", String::new()),
        ("unknown-name", "instance-type\tS5.MEDIUM2".to_owned()),
        ("tag-without-key", "tag:\tci".to_owned()),
        ("no-values", "zone".to_owned()),
        ("six-values", "tag-key\ta\tb\tc\td\te\tf".to_owned()),
        (
            "two-times",
            "creation-start-time\t2023-06-01 00:00:00\t2023-06-02 00:00:00".to_owned(),
        ),
        (
            "eleven-filters",
            (0..11)
                .map(|i| format!("tag:k{i}\tv"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "duplicate-name",
            "zone\tap-guangzhou-3\nzone\tap-guangzhou-4".to_owned(),
        ),
        (
            "duplicate-value",
            "zone\tap-guangzhou-3\tap-guangzhou-3".to_owned(),
        ),
        (
            "times-reversed",
            "creation-start-time\t2023-06-02 00:00:00\ncreation-end-time\t2023-06-01 00:00:00"
                .to_owned(),
        ),
        (
            "bad-time",
            "creation-end-time\t2023-06-01T00:00:00Z".to_owned(),
        ),
        ("bad-vpc", "vpc-id\tvpc-123".to_owned()),
        ("bad-state", "instance-state\trunning".to_owned()),
        (
            "bad-charge-type",
            "instance-charge-type\tUNDERWRITE".to_owned(),
        ),
        ("bad-ip", "private-ip-address\t10.0.0.256".to_owned()),
        ("bad-uuid", "uuid\t68b510db".to_owned()),
        (
            "control-characters",
            "tag:\u{1b}[31m\tci\u{9b}\nzone\t\u{7}".to_owned(),
        ),
    ];
    texts
        .into_iter()
        .map(|(name, text)| seed(T, name, text.into_bytes()))
        .collect()
}

// ---------------------------------------------------------------------------------
// instance_listing

fn instance_listing_seeds() -> Vec<Seed> {
    const T: &str = "instance_listing";
    // Entries: bits 0-3 the ID, bits 4-5 the tags (0 team=ci, 1 team=web, 2 none, 3 no Tags).
    let listing = |size: u8, kind: u8, pages: &[(u8, &[u8])]| {
        let mut out = vec![size - 2, kind];
        for (total, entries) in pages {
            out.push(*total);
            out.push(entries.len() as u8);
            out.extend_from_slice(entries);
        }
        out
    };
    vec![
        seed(
            T,
            "honest-by-filter",
            listing(3, 2, &[(5, &[0, 1, 2]), (5, &[2, 3, 4])]),
        ),
        seed(
            T,
            "honest-all",
            listing(
                2,
                0,
                &[(4, &[0x21, 0x32]), (4, &[0x32, 0x13]), (4, &[0x13, 0x04])],
            ),
        ),
        seed(T, "honest-by-ids", listing(10, 1, &[(3, &[0, 2, 3])])),
        seed(T, "empty", listing(4, 0, &[(0, &[])])),
        seed(
            T,
            "total-changed",
            listing(3, 2, &[(5, &[0, 1, 2]), (6, &[2, 3, 4])]),
        ),
        seed(T, "short-page", listing(3, 0, &[(5, &[0, 1])])),
        seed(T, "beyond-total", listing(3, 0, &[(1, &[0, 1])])),
        seed(
            T,
            "shifted-skip",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[3, 4, 5])]),
        ),
        seed(
            T,
            "shifted-repeat",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[1, 2, 3])]),
        ),
        seed(
            T,
            "duplicate",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[2, 0, 3])]),
        ),
        seed(T, "not-asked", listing(3, 1, &[(2, &[0, 9])])),
        seed(T, "contradicts-filter", listing(3, 2, &[(1, &[0x10])])),
        seed(T, "unknown-tags-pass", listing(3, 2, &[(2, &[0x30, 0x01])])),
        seed(
            T,
            "page-after-completion",
            listing(3, 0, &[(1, &[0]), (1, &[0])]),
        ),
        seed(
            T,
            "page-after-failure",
            listing(3, 0, &[(5, &[0]), (5, &[0, 1, 2])]),
        ),
    ]
}
