//! `DescribeInstances`: instances by ID, or selected by filters, a page at a time.
//!
//! | check | error code |
//! | --- | --- |
//! | only `InstanceIds`, `Filters`, `Offset`, `Limit` | `UnknownParameter` |
//! | parameter types (`Filters`: a list of `{"Name", "Values"}`) | `InvalidParameter`, `MissingParameter` |
//! | not both `InstanceIds` and `Filters` | `InvalidParameter` |
//! | at most 100 IDs, well-formed, none twice (none: every instance) | `InvalidParameterValue.LimitExceeded`, `InvalidInstanceId.Malformed`, `InvalidParameterValue` |
//! | filters: known names, at most 10, 1 to 5 values each, values well formed (see `fleet::filters`) | `InvalidFilter`, `InvalidParameterValue.LimitExceeded`, `InvalidFilterValue.LimitExceeded`, … |
//! | `Limit` 1 to 100 (default 20), `Offset` any (default 0) | `InvalidParameterValue`, `InvalidParameterValue.LimitExceeded` |
//!
//! Only the instances of the request's region (`X-TC-Region`) are seen: those placed in
//! one of its zones, and those without a placement. IDs that do not exist are simply not
//! returned, as the service does. `TotalCount` is the number of matching instances (all
//! pages); `InstanceSet` the page of them (in the order named, or by ID). Each entry has
//! the fields DescribeInstances documents for what the emulator models: ID, name, type,
//! state, charge type, placement, project, tags, creation and expiry times, addresses,
//! VPC, termination protection, isolation, the latest operation; `ExpiredTime` and
//! `RenewFlag` are `null` unless the instance is prepaid, `PublicIpAddresses` is `null`
//! when it has none.

use serde::Serialize;
use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_core::{ChargeType, InstanceState, IsolatedSource, LatestOperationState};

use super::{describe, Call};
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;
use crate::fleet::billing;
use crate::fleet::filters::uuid_of;
use crate::fleet::instance::{InstanceView, Tag};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    total_count: usize,
    instance_set: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Placement<'a> {
    zone: Option<&'a str>,
    project_id: u64,
    host_ids: [&'a str; 0],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagEntry<'a> {
    key: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VirtualPrivateCloud<'a> {
    vpc_id: &'a str,
    subnet_id: &'a str,
    as_vpc_gateway: bool,
    private_ip_addresses: &'a [String],
    ipv6_address_count: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry<'a> {
    instance_id: &'a str,
    instance_name: &'a str,
    instance_type: &'a str,
    instance_state: &'a InstanceState,
    instance_charge_type: &'a ChargeType,
    placement: Placement<'a>,
    tags: Vec<TagEntry<'a>>,
    created_time: String,
    expired_time: Option<String>,
    private_ip_addresses: &'a [String],
    public_ip_addresses: Option<&'a [String]>,
    virtual_private_cloud: VirtualPrivateCloud<'a>,
    security_group_ids: [&'a str; 0],
    uuid: String,
    restrict_state: &'static str,
    renew_flag: Option<&'static str>,
    disable_api_termination: bool,
    latest_operation: Option<&'a str>,
    latest_operation_state: Option<&'a LatestOperationState>,
    latest_operation_request_id: Option<&'a str>,
    latest_operation_error_msg: Option<&'a str>,
    isolated_source: &'a IsolatedSource,
}

impl<'a> Entry<'a> {
    fn new(v: &'a InstanceView, created: u64) -> Self {
        let prepaid = billing::recycled(&v.charge_type);
        Entry {
            instance_id: &v.id,
            instance_name: &v.name,
            instance_type: &v.instance_type,
            instance_state: &v.state,
            instance_charge_type: &v.charge_type,
            placement: Placement {
                zone: v.zone.as_deref(),
                project_id: v.project_id,
                host_ids: [],
            },
            tags: v
                .tags
                .iter()
                .map(|Tag { key, value }| TagEntry { key, value })
                .collect(),
            created_time: format_utc(created),
            expired_time: v.expired_time.filter(|_| prepaid).map(format_utc),
            private_ip_addresses: &v.private_ip_addresses,
            public_ip_addresses: (!v.public_ip_addresses.is_empty())
                .then_some(v.public_ip_addresses.as_slice()),
            virtual_private_cloud: VirtualPrivateCloud {
                vpc_id: v.vpc_id.as_deref().unwrap_or_default(),
                subnet_id: v.subnet_id.as_deref().unwrap_or_default(),
                as_vpc_gateway: false,
                private_ip_addresses: &v.private_ip_addresses,
                ipv6_address_count: 0,
            },
            security_group_ids: [],
            uuid: uuid_of(&v.id),
            restrict_state: "NORMAL",
            renew_flag: prepaid.then_some("NOTIFY_AND_MANUAL_RENEW"),
            disable_api_termination: v.termination_protection,
            latest_operation: v.latest_operation.as_deref(),
            latest_operation_state: v.latest_operation_state.as_ref(),
            latest_operation_request_id: v.latest_operation_request_id.as_deref(),
            latest_operation_error_msg: v.latest_operation.as_ref().map(|_| ""),
            isolated_source: &v.isolated_source,
        }
    }
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    let (total_count, shown) = describe(emulator, call)?;
    let answer = Answer {
        total_count,
        instance_set: shown
            .iter()
            .map(|v| Entry::new(v, emulator.fleet.created(v)))
            .collect(),
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use tencentcloud_cvm_core::response::{parse_response_as, DEFAULT_MAX_BODY};
    use tencentcloud_cvm_core::{ChargeType, DescribeInstancesResponse, InstanceId, InstanceState};

    use crate::fleet::instance::InstanceView;
    use crate::test_support::*;
    use crate::Emulator;

    const ACTION: &str = "DescribeInstances";

    fn fleet() -> Emulator {
        emulator(
            Emulator::builder()
                .instances(25)
                .instance(
                    InstanceView::new("ins-prepaid1")
                        .with_name("db")
                        .with_charge_type(ChargeType::Prepaid)
                        .with_expired_time(T0 + 86_400),
                )
                .instance(InstanceView::new("ins-protect1").with_termination_protection(true))
                .rate_limit(0),
        )
    }

    fn ids(answer: &serde_json::Value) -> Vec<String> {
        answer["InstanceSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceId"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn by_ids_absent_ones_are_simply_missing() {
        let mut e = fleet();
        let a = answer(
            &mut e,
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-prepaid1", "ins-zzzzzzzz", "ins-protect1"]}),
            ),
            t0(),
        );
        assert_eq!(a["TotalCount"], 2);
        assert_eq!(ids(&a), ["ins-prepaid1", "ins-protect1"]);
        let prepaid = &a["InstanceSet"][0];
        assert_eq!(prepaid["InstanceName"], "db");
        assert_eq!(prepaid["InstanceState"], "RUNNING");
        assert_eq!(prepaid["InstanceChargeType"], "PREPAID");
        assert_eq!(prepaid["ExpiredTime"], "2023-11-15T22:13:20Z");
        assert_eq!(prepaid["IsolatedSource"], "NOTISOLATED");
        assert_eq!(prepaid["DisableApiTermination"], false);
        assert!(prepaid["LatestOperation"].is_null());
        let protected = &a["InstanceSet"][1];
        assert_eq!(protected["DisableApiTermination"], true);
        assert!(protected["ExpiredTime"].is_null());
        // None of them exists: an empty set, not an error.
        let none = answer(
            &mut e,
            &Spec::action(ACTION, json!({"InstanceIds": ["ins-zzzzzzzz"]})),
            t0(),
        );
        assert_eq!(
            none,
            json!({"TotalCount": 0, "InstanceSet": [], "RequestId": none["RequestId"]})
        );
    }

    #[test]
    fn pages() {
        let mut e = fleet();
        let first = answer(&mut e, &Spec::action(ACTION, json!({})), t0());
        assert_eq!(first["TotalCount"], 27);
        assert_eq!(ids(&first).len(), 20, "the default Limit is 20");
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = answer(
                &mut e,
                &Spec::action(ACTION, json!({"Offset": offset, "Limit": 10})),
                t0(),
            );
            let got = ids(&page);
            if got.is_empty() {
                break;
            }
            seen.extend(got);
            offset += 10;
        }
        assert_eq!(seen.len(), 27);
        let unique: std::collections::HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), 27);
        // IDs and a page together: the page of the matching instances.
        let both = answer(
            &mut e,
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-00000003", "ins-00000001", "ins-00000002"], "Offset": 1, "Limit": 1}),
            ),
            t0(),
        );
        assert_eq!(both["TotalCount"], 3);
        assert_eq!(ids(&both), ["ins-00000001"]);
        // As form fields in a GET.
        let mut get = Spec::new(Vec::new());
        get.action = ACTION.into();
        get.method = "GET";
        get.content_type = "application/x-www-form-urlencoded".into();
        get.query = "Offset=25&Limit=100".into();
        let h = e.handle(&get.build(), t0());
        assert_eq!(code(&h), "OK");
        assert_eq!(
            envelope(&h)["Response"]["InstanceSet"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn parameter_errors() {
        let mut e = fleet();
        let hundred_one: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
        for (body, expected) in [
            (json!({"Limit": 0}), "InvalidParameterValue"),
            (json!({"Limit": 101}), "InvalidParameterValue.LimitExceeded"),
            (json!({"Offset": -1}), "InvalidParameter"),
            (json!({"Limit": "20"}), "InvalidParameter"),
            (
                json!({"InstanceIds": hundred_one}),
                "InvalidParameterValue.LimitExceeded",
            ),
            (
                json!({"InstanceIds": ["ins-1"]}),
                "InvalidInstanceId.Malformed",
            ),
            (
                json!({"InstanceIds": ["ins-00000001", "ins-00000001"]}),
                "InvalidParameterValue",
            ),
            (
                json!({"Filter": [{"Name": "zone", "Values": ["ap-guangzhou-6"]}]}),
                "UnknownParameter",
            ),
            (
                json!({"InstanceIds": ["ins-00000001"], "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-6"]}]}),
                "InvalidParameter",
            ),
            (
                json!({"Filters": [{"Name": "instance-type", "Values": ["S5.MEDIUM2"]}]}),
                "InvalidFilter",
            ),
            (
                json!({"Filters": [{"Name": "zone", "Values": ["ap-shanghai-2"]}]}),
                "InvalidZone.MismatchRegion",
            ),
            (
                json!({"Filters": [{"Name": "tag-key", "Values": ["a", "b", "c", "d", "e", "f"]}]}),
                "InvalidFilterValue.LimitExceeded",
            ),
            (
                json!({"Filters": vec![json!({"Name": "tag-key", "Values": ["a"]}); 11]}),
                "InvalidParameterValue.LimitExceeded",
            ),
            (json!({"Filters": [{"Name": "zone"}]}), "MissingParameter"),
            (json!({"Filters": "zone=x"}), "InvalidParameter"),
            (json!({"InstanceIds": "ins-00000001"}), "InvalidParameter"),
        ] {
            assert_eq!(
                send(&mut e, &Spec::action(ACTION, body.clone()), t0()),
                expected,
                "{body}"
            );
        }
        // An empty list is no filter at all.
        let all = answer(
            &mut e,
            &Spec::action(ACTION, json!({"InstanceIds": []})),
            t0(),
        );
        assert_eq!(all["TotalCount"], 27);
    }

    #[test]
    fn a_terminate_shows_as_the_latest_operation_with_its_request_id() {
        let mut e = fleet();
        let h = e.handle(&Spec::ids(&["ins-prepaid1"]).build(), t0());
        assert_eq!(code(&h), "OK");
        let terminate_id = h.log.request_id.clone();
        let describe = Spec::action(
            ACTION,
            json!({"InstanceIds": ["ins-prepaid1", "ins-00000001"]}),
        );
        let a = answer(&mut e, &describe, t0().after(Duration::from_millis(10)));
        let prepaid = &a["InstanceSet"][0];
        assert_eq!(prepaid["InstanceState"], "SHUTDOWN");
        assert_eq!(prepaid["IsolatedSource"], "MANMADE");
        assert_eq!(prepaid["LatestOperation"], "TerminateInstances");
        assert_eq!(prepaid["LatestOperationState"], "OPERATING");
        assert_eq!(prepaid["LatestOperationRequestId"], terminate_id.as_str());
        assert!(a["InstanceSet"][1]["LatestOperation"].is_null());
        // Once the operation time (2 s) has passed it succeeded.
        let later = answer(&mut e, &describe, t0().after(Duration::from_secs(2)));
        assert_eq!(later["InstanceSet"][0]["LatestOperationState"], "SUCCESS");
        assert_eq!(
            later["InstanceSet"][0]["LatestOperationRequestId"],
            terminate_id.as_str()
        );
    }

    #[test]
    fn the_core_reads_the_answer() {
        let mut e = fleet();
        assert_eq!(send(&mut e, &Spec::ids(&["ins-00000001"]), t0()), "OK");
        let h = e.handle(
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-00000001", "ins-prepaid1"]}),
            )
            .build(),
            t0(),
        );
        let parsed: DescribeInstancesResponse =
            parse_response_as(&h.response, DEFAULT_MAX_BODY).unwrap();
        assert_eq!(parsed.request_id, h.log.request_id);
        let terminated = parsed
            .find(&InstanceId::parse("ins-00000001").unwrap())
            .unwrap();
        assert_eq!(terminated.instance_state, Some(InstanceState::Terminating));
        assert!(terminated
            .request_id_of_latest(tencentcloud_cvm_core::Action::TerminateInstances)
            .is_some());
        let prepaid = parsed
            .find(&InstanceId::parse("ins-prepaid1").unwrap())
            .unwrap();
        assert_eq!(prepaid.expired_at(), Some(T0 + 86_400));
        assert_eq!(h.log.instance_count, 2);
        assert_eq!(h.log.action.as_deref(), Some(ACTION));
    }

    /// A fleet over three regions, as an operator's would be.
    fn regions() -> Emulator {
        emulator(
            Emulator::builder()
                .instance(
                    InstanceView::new("ins-gzci0001")
                        .with_name("ci-runner-1")
                        .with_zone("ap-guangzhou-6")
                        .with_tag("team", "ci")
                        .with_created_time(T0 - 2 * 86_400)
                        .with_private_ip("10.0.0.1")
                        .with_vpc("vpc-gz000001", "subnet-gz000001"),
                )
                .instance(
                    InstanceView::new("ins-gzci0002")
                        .with_name("ci-runner-2")
                        .with_zone("ap-guangzhou-3")
                        .with_tag("team", "ci")
                        .with_created_ago(Duration::from_secs(3_600)),
                )
                .instance(
                    InstanceView::new("ins-gzweb001")
                        .with_name("web-1")
                        .with_zone("ap-guangzhou-6")
                        .with_tag("team", "web")
                        .with_project_id(7)
                        .with_public_ip("203.0.113.9"),
                )
                .instance(
                    InstanceView::new("ins-shci0001")
                        .with_zone("ap-shanghai-2")
                        .with_tag("team", "ci"),
                )
                .instance(InstanceView::new("ins-anywhere"))
                .rate_limit(0),
        )
    }

    fn in_region(region: &str, body: serde_json::Value) -> Spec {
        let mut spec = Spec::action(ACTION, body);
        spec.region = region.into();
        spec
    }

    #[test]
    fn each_region_sees_its_zones_instances_and_the_placeless_ones() {
        let mut e = regions();
        let all = answer(&mut e, &in_region("ap-guangzhou", json!({})), t0());
        assert_eq!(
            ids(&all),
            [
                "ins-anywhere",
                "ins-gzci0001",
                "ins-gzci0002",
                "ins-gzweb001"
            ]
        );
        assert_eq!(all["TotalCount"], 4);
        let sh = answer(&mut e, &in_region("ap-shanghai", json!({})), t0());
        assert_eq!(ids(&sh), ["ins-anywhere", "ins-shci0001"]);
        // By ID too: another region's instance is simply not there.
        let by_id = answer(
            &mut e,
            &in_region(
                "ap-shanghai",
                json!({"InstanceIds": ["ins-gzci0001", "ins-shci0001"]}),
            ),
            t0(),
        );
        assert_eq!(ids(&by_id), ["ins-shci0001"]);
        // Nor can it be terminated from there.
        let mut terminate = Spec::ids(&["ins-gzci0001"]);
        terminate.region = "ap-shanghai".into();
        assert_eq!(send(&mut e, &terminate, t0()), "InvalidInstanceId.NotFound");
        terminate.region = "ap-guangzhou".into();
        assert_eq!(send(&mut e, &terminate, t0()), "OK");
    }

    #[test]
    fn filters_and_within_or_across() {
        let mut e = regions();
        let filtered = |e: &mut Emulator, filters: serde_json::Value| {
            ids(&answer(
                e,
                &in_region("ap-guangzhou", json!({ "Filters": filters })),
                t0(),
            ))
        };
        assert_eq!(
            filtered(&mut e, json!([{"Name": "tag:team", "Values": ["ci"]}])),
            ["ins-gzci0001", "ins-gzci0002"]
        );
        assert_eq!(
            filtered(
                &mut e,
                json!([{"Name": "tag:team", "Values": ["ci", "web"]},
                       {"Name": "zone", "Values": ["ap-guangzhou-6"]}])
            ),
            ["ins-gzci0001", "ins-gzweb001"]
        );
        assert_eq!(
            filtered(
                &mut e,
                json!([{"Name": "instance-name", "Values": ["runner"]}])
            ),
            ["ins-gzci0001", "ins-gzci0002"]
        );
        assert_eq!(
            filtered(&mut e, json!([{"Name": "project-id", "Values": ["7"]}])),
            ["ins-gzweb001"]
        );
        // Created before 2023-11-13 06:13:20 Beijing time (T0 - 2 days).
        assert_eq!(
            filtered(
                &mut e,
                json!([{"Name": "creation-end-time", "Values": ["2023-11-13 06:13:20"]}])
            ),
            ["ins-gzci0001"]
        );
        // "1 hour ago" counts back from the emulator's start: its first request.
        let started = e.started().unwrap();
        assert_eq!(started, T0);
        let a = answer(
            &mut e,
            &in_region(
                "ap-guangzhou",
                json!({"InstanceIds": ["ins-gzci0002", "ins-gzci0001"]}),
            ),
            t0().after(Duration::from_secs(200)),
        );
        assert_eq!(a["InstanceSet"][0]["CreatedTime"], "2023-11-14T21:13:20Z");
        assert_eq!(a["InstanceSet"][1]["CreatedTime"], "2023-11-12T22:13:20Z");
        assert_eq!(
            filtered(&mut e, json!([{"Name": "tag-key", "Values": ["owner"]}])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn filtered_pages_count_every_match() {
        let mut builder = Emulator::builder().rate_limit(0);
        for i in 0..250 {
            let team = if i % 2 == 0 { "ci" } else { "web" };
            builder = builder.instance(
                InstanceView::new(format!("ins-{i:08}"))
                    .with_zone("ap-beijing-3")
                    .with_tag("team", team),
            );
        }
        let mut e = emulator(builder);
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = answer(
                &mut e,
                &in_region(
                    "ap-beijing",
                    json!({"Filters": [{"Name": "tag:team", "Values": ["ci"]}], "Offset": offset, "Limit": 100}),
                ),
                t0(),
            );
            assert_eq!(page["TotalCount"], 125);
            let got = ids(&page);
            if got.is_empty() {
                break;
            }
            offset += got.len();
            seen.extend(got);
        }
        assert_eq!(seen.len(), 125);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn entries_carry_what_operators_select_by() {
        let mut e = regions();
        let a = answer(
            &mut e,
            &in_region(
                "ap-guangzhou",
                json!({"InstanceIds": ["ins-gzci0001", "ins-gzweb001", "ins-anywhere"]}),
            ),
            t0(),
        );
        let ci = &a["InstanceSet"][0];
        assert_eq!(ci["Placement"]["Zone"], "ap-guangzhou-6");
        assert_eq!(ci["Placement"]["ProjectId"], 0);
        assert_eq!(ci["Tags"], json!([{"Key": "team", "Value": "ci"}]));
        assert_eq!(ci["CreatedTime"], "2023-11-12T22:13:20Z");
        assert_eq!(ci["InstanceType"], "S5.MEDIUM2");
        assert_eq!(ci["PrivateIpAddresses"], json!(["10.0.0.1"]));
        assert!(ci["PublicIpAddresses"].is_null());
        assert_eq!(ci["VirtualPrivateCloud"]["VpcId"], "vpc-gz000001");
        assert_eq!(ci["VirtualPrivateCloud"]["SubnetId"], "subnet-gz000001");
        assert!(ci["RenewFlag"].is_null());
        assert_eq!(ci["Uuid"].as_str().unwrap().len(), 36);
        let web = &a["InstanceSet"][1];
        assert_eq!(web["Placement"]["ProjectId"], 7);
        assert_eq!(web["PublicIpAddresses"], json!(["203.0.113.9"]));
        assert!(a["InstanceSet"][2]["Placement"]["Zone"].is_null());
    }

    #[test]
    fn read_faults_rewrite_the_answer_only() {
        use crate::faults::{Fault, FieldChange};
        let mut e = fleet();
        let read = Spec::action(ACTION, json!({"InstanceIds": ["ins-prepaid1"]})).build();
        let faulted = |e: &mut Emulator, fault: Fault| {
            let h = e.handle_with_fault(&read, t0(), &fault);
            assert_eq!(h.log.fault, Some(fault.name()));
            h
        };
        let h = faulted(&mut e, Fault::DuplicateEntry);
        let set = envelope(&h)["Response"]["InstanceSet"].clone();
        assert_eq!(set.as_array().unwrap().len(), 2);
        assert_eq!(set[1]["InstanceState"], "SHUTDOWN");
        let h = faulted(
            &mut e,
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: FieldChange::Lowercase,
            },
        );
        assert_eq!(
            envelope(&h)["Response"]["InstanceSet"][0]["InstanceChargeType"],
            "prepaid"
        );
        let h = faulted(&mut e, Fault::LatestOperationFailed);
        let entry = &envelope(&h)["Response"]["InstanceSet"][0];
        assert_eq!(entry["LatestOperationState"], "FAILED");
        assert_ne!(entry["LatestOperationRequestId"], h.log.request_id.as_str());
        // Only what was answered changed.
        assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Running));
        // A refusal because of one ID, only when the read names it.
        let refusal = Fault::RefuseRead {
            id: "ins-prepaid1".into(),
            code: "UnauthorizedOperation".into(),
        };
        let h = e.handle_with_fault(&read, t0(), &refusal);
        assert_eq!(code(&h), "UnauthorizedOperation");
        assert!(envelope(&h)["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("ins-prepaid1"));
        let other = Spec::action(ACTION, json!({"InstanceIds": ["ins-00000001"]})).build();
        assert_eq!(code(&e.handle_with_fault(&other, t0(), &refusal)), "OK");
        // Errors stay errors.
        let bad = Spec::action(ACTION, json!({"Limit": 0})).build();
        let h = e.handle_with_fault(&bad, t0(), &Fault::DropEntries);
        assert_eq!(code(&h), "InvalidParameterValue");
    }
}
