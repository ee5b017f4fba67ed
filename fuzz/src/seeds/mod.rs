//! The generated part of the seed corpus (`corpus/<target>/seed-*`).
//!
//! `tests/replay.rs` checks that every seed here is committed with the same bytes;
//! `FUZZ_WRITE_SEEDS=1 cargo test -p tencentcloud-cvm-fuzz --test replay` rewrites them.
//! Files in `corpus/` that are not named `seed-*` were found by libFuzzer.
//!
//! The seeds of `emulator_handler` are here, the typed parsers' in `typed_parsers.rs`;
//! every other target's are in the file named after it.

use tencentcloud_cvm_core::signing::{Signer, SigningParams};
use tencentcloud_cvm_core::{Credentials, ErrorCode};

use crate::emulator::{Mode, Signing, NOW, SECRET_ID, SECRET_KEY};

mod credentials_answer;
mod credentials_file;
mod endpoint_url;
mod fault_spec;
mod instance_filters;
mod instance_listing;
mod response_parser;
mod selection_args;
mod tccli_config;
mod typed_parsers;

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
    out.extend(typed_parsers::seeds());
    out.extend(credentials_answer::seeds());
    out.extend(endpoint_url::seeds());
    out.extend(fault_spec::seeds());
    out.extend(tccli_config::seeds());
    out.extend(instance_filters::seeds());
    out.extend(instance_listing::seeds());
    out.extend(selection_args::seeds());
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
