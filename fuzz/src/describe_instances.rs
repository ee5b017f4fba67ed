//! Target `describe_instances_parser`: DescribeInstances' typed answer on arbitrary
//! responses.

use serde_json::Value;
use tencentcloud_cvm_core::utc_time::{format_utc, parse_timestamp};
use tencentcloud_cvm_core::{
    region_of_zone, Action, DescribeInstancesResponse, Disposition, Instance, TerminationCheck,
};

use crate::typed_response::{text, typed_response};

/// The body of target `describe_instances_parser`; the input is an HTTP-like response
/// as for `response_parser`.
///
/// Invariants checked, besides those of the shared typed harness:
/// * `TotalCount` and the number of `InstanceSet` entries are the JSON's;
/// * every entry has the JSON's well-formed `InstanceId`, and every other field is the
///   JSON's text (`None` for `null` or absent), unknown states and charge types kept
///   verbatim;
/// * `expired_at`, when it reads a time, formats back to the same text;
///   `request_id_of_latest` only answers for `TerminateInstances` with a non-empty id;
/// * `termination_check` never panics and only refuses with a final code;
/// * the fields operators select by are the JSON's: `InstanceType`, `Placement`
///   (`Zone`, `ProjectId`, `HostId`; `region()` is the zone's region), `Tags` (every
///   `Key`/`Value`, `tag()` the first of a key), `CreatedTime` (`created_at` is the
///   text's time: Z or a numeric offset), the address lists, `VirtualPrivateCloud`,
///   `Uuid`, `SecurityGroupIds`, `DedicatedClusterId`.
pub fn describe_instances_parser(data: &[u8]) {
    typed_response::<DescribeInstancesResponse>(data, |answer, json| {
        assert_eq!(json["TotalCount"].as_u64(), Some(answer.total_count));
        let set = json["InstanceSet"]
            .as_array()
            .expect("InstanceSet is an array");
        assert_eq!(set.len(), answer.instance_set.len());
        for (instance, entry) in answer.instance_set.iter().zip(set) {
            assert_eq!(
                text(entry, "InstanceId"),
                Some(instance.instance_id.as_str())
            );
            let field = |name| text(entry, name);
            assert_eq!(
                instance.instance_state.as_ref().map(|v| v.as_str()),
                field("InstanceState")
            );
            assert_eq!(
                instance.instance_charge_type.as_ref().map(|v| v.as_str()),
                field("InstanceChargeType")
            );
            assert_eq!(
                instance.latest_operation_state.as_ref().map(|v| v.as_str()),
                field("LatestOperationState")
            );
            assert_eq!(
                instance.isolated_source.as_ref().map(|v| v.as_str()),
                field("IsolatedSource")
            );
            assert_eq!(instance.instance_name.as_deref(), field("InstanceName"));
            assert_eq!(
                instance.latest_operation.as_deref(),
                field("LatestOperation")
            );
            assert_eq!(
                instance.latest_operation_request_id.as_deref(),
                field("LatestOperationRequestId")
            );
            assert_eq!(instance.expired_time.as_deref(), field("ExpiredTime"));
            let protection = &entry["DisableApiTermination"];
            assert!(protection.is_null() || protection.is_boolean());
            assert_eq!(instance.disable_api_termination, protection.as_bool());
            if let Some(t) = instance.expired_at() {
                assert_eq!(
                    instance.expired_time.as_deref(),
                    Some(format_utc(t).as_str())
                );
            }
            if let Some(id) = instance.request_id_of_latest(Action::TerminateInstances) {
                assert!(!id.is_empty());
                assert_eq!(
                    instance.latest_operation.as_deref(),
                    Some("TerminateInstances")
                );
            }
            if let (Some(state), Some(charge)) =
                (&instance.instance_state, &instance.instance_charge_type)
                && let TerminationCheck::Refused(code) = state.termination_check(charge)
            {
                assert_eq!(code.disposition(), Disposition::Final);
            }
            assert_eq!(
                answer.find(&instance.instance_id).map(|i| &i.instance_id),
                Some(&instance.instance_id)
            );
            check_selection_fields(instance, entry);
        }
    });
}

/// An array of strings as the JSON has it: `None` for `null` or absent.
fn strings<'v>(object: &'v Value, name: &str) -> Option<Vec<&'v str>> {
    let v = &object[name];
    if v.is_null() {
        return None;
    }
    let list = v
        .as_array()
        .unwrap_or_else(|| panic!("{name} read from {v}"));
    Some(
        list.iter()
            .map(|s| s.as_str().unwrap_or_else(|| panic!("{name} read from {v}")))
            .collect(),
    )
}

fn check_selection_fields(instance: &Instance, entry: &Value) {
    assert_eq!(
        instance.instance_type.as_deref(),
        text(entry, "InstanceType")
    );
    assert_eq!(instance.uuid.as_deref(), text(entry, "Uuid"));
    assert_eq!(
        instance.dedicated_cluster_id.as_deref(),
        text(entry, "DedicatedClusterId")
    );
    for (list, name) in [
        (&instance.private_ip_addresses, "PrivateIpAddresses"),
        (&instance.public_ip_addresses, "PublicIpAddresses"),
        (&instance.ipv6_addresses, "IPv6Addresses"),
        (&instance.security_group_ids, "SecurityGroupIds"),
    ] {
        let read: Option<Vec<&str>> = list
            .as_ref()
            .map(|l| l.iter().map(String::as_str).collect());
        assert_eq!(read, strings(entry, name), "{name}");
    }
    let placement = &entry["Placement"];
    assert_eq!(instance.placement.is_some(), !placement.is_null());
    assert_eq!(instance.zone(), text(placement, "Zone"));
    assert_eq!(instance.region(), instance.zone().and_then(region_of_zone));
    if let Some(region) = instance.region() {
        let zone = instance.zone().unwrap_or_default();
        assert!(zone.starts_with(region) && zone[region.len()..].starts_with('-'));
    }
    assert_eq!(instance.project_id(), placement["ProjectId"].as_u64());
    assert_eq!(
        instance
            .placement
            .as_ref()
            .and_then(|p| p.host_id.as_deref()),
        text(placement, "HostId")
    );
    let vpc = &entry["VirtualPrivateCloud"];
    assert_eq!(instance.virtual_private_cloud.is_some(), !vpc.is_null());
    assert_eq!(instance.vpc_id(), text(vpc, "VpcId"));
    assert_eq!(instance.subnet_id(), text(vpc, "SubnetId"));
    let tags = &entry["Tags"];
    match &instance.tags {
        None => assert!(tags.is_null()),
        Some(read) => {
            let json = tags.as_array().expect("Tags is an array");
            assert_eq!(read.len(), json.len());
            for (tag, t) in read.iter().zip(json) {
                assert_eq!(Some(tag.key.as_str()), t["Key"].as_str());
                assert_eq!(Some(tag.value.as_str()), t["Value"].as_str());
                let first = read.iter().find(|other| other.key == tag.key);
                assert_eq!(instance.tag(&tag.key), first.map(|f| f.value.as_str()));
            }
        }
    }
    let created = text(entry, "CreatedTime");
    assert_eq!(instance.created_time.as_deref(), created);
    assert_eq!(instance.created_at(), created.and_then(parse_timestamp));
    if let (Some(t), Some(text)) = (instance.created_at(), created) {
        if text.ends_with('Z') {
            assert_eq!(format_utc(t), text);
        } else {
            // The same wall clock, shifted by the offset written after it.
            assert_eq!(text.len(), 25);
        }
    }
}
