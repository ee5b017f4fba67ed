//! The generated part of the seed corpus (`corpus/<target>/seed-*`).
//!
//! `tests/replay.rs` checks that every seed here is committed with the same bytes;
//! `FUZZ_WRITE_SEEDS=1 cargo test -p tencentcloud-cvm-fuzz --test replay` rewrites them.
//! Files in `corpus/` that are not named `seed-*` were found by libFuzzer.
//!
//! The seeds of `emulator_handler` and of the typed parsers are here; every other
//! target's are in the file named after it.

use tencentcloud_cvm_core::signing::{Signer, SigningParams};
use tencentcloud_cvm_core::{Credentials, ErrorCode};

use crate::emulator::{Mode, Signing, NOW, SECRET_ID, SECRET_KEY};

mod credentials_answer;
mod credentials_file;
mod endpoint_url;
mod fault_spec;
mod response_parser;

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
    out.extend(response_parser::seeds());
    out.extend(credentials_file::seeds());
    out.extend(emulator_seeds());
    out.extend(describe_instances_seeds());
    out.extend(describe_instances_status_seeds());
    out.extend(inquiry_price_seeds());
    out.extend(credentials_answer::seeds());
    out.extend(endpoint_url::seeds());
    out.extend(fault_spec::seeds());
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
    let reads: [(&str, &str, &[u8]); 14] = [
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
    let describe = with_action(DESCRIBE);
    out.push(seed(
        T,
        "describe-repeat-eight-times",
        emulator_request(Mode { repeat: 8, ..valid }, 0, "POST /", &describe, b"{}"),
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
