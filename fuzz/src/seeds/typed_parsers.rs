//! Seeds of the typed parsers' targets: `describe_instances_parser`,
//! `describe_instances_status_parser`, `inquiry_price_parser`,
//! `describe_regions_parser` and `caller_identity_parser`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    let mut out = describe_instances_seeds();
    out.extend(describe_instances_status_seeds());
    out.extend(inquiry_price_seeds());
    out.extend(describe_regions_seeds());
    out.extend(caller_identity_seeds());
    out
}

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
