//! Seeds of target `response_parser`: success and error envelopes for every
//! `ErrorCode::ALL` code, HTML pages, truncated and malformed bodies, dates.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
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
