//! Target `describe_instances_status_parser`: DescribeInstancesStatus' typed answer
//! on arbitrary responses.

use tencentcloud_cvm_core::DescribeInstancesStatusResponse;

use crate::typed_response::{text, typed_response};

/// The body of target `describe_instances_status_parser`; the input is an HTTP-like
/// response as for `response_parser`.
///
/// Invariants checked, besides those of the shared typed harness: `TotalCount` and
/// the entries are the JSON's, each with its well-formed `InstanceId` and its
/// `InstanceState` text (`None` for `null` or absent).
pub fn describe_instances_status_parser(data: &[u8]) {
    typed_response::<DescribeInstancesStatusResponse>(data, |answer, json| {
        assert_eq!(json["TotalCount"].as_u64(), Some(answer.total_count));
        let set = json["InstanceStatusSet"]
            .as_array()
            .expect("InstanceStatusSet is an array");
        assert_eq!(set.len(), answer.instance_status_set.len());
        for (status, entry) in answer.instance_status_set.iter().zip(set) {
            assert_eq!(text(entry, "InstanceId"), Some(status.instance_id.as_str()));
            assert_eq!(
                status.instance_state.as_ref().map(|s| s.as_str()),
                text(entry, "InstanceState")
            );
        }
    });
}
