//! Target `describe_instances_parser`: DescribeInstances' typed answer on arbitrary
//! responses.

use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_core::{Action, DescribeInstancesResponse, Disposition, TerminationCheck};

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
/// * `termination_check` never panics and only refuses with a final code.
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
            {
                if let TerminationCheck::Refused(code) = state.termination_check(charge) {
                    assert_eq!(code.disposition(), Disposition::Final);
                }
            }
            assert_eq!(
                answer.find(&instance.instance_id).map(|i| &i.instance_id),
                Some(&instance.instance_id)
            );
        }
    });
}
