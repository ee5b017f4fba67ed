//! Target `describe_regions_parser`: DescribeRegions' typed answer on arbitrary
//! responses.

use tencentcloud_cvm_core::{DescribeRegionsResponse, RegionState, ServiceConfig};

use crate::typed_response::{text, typed_response};

/// The body of target `describe_regions_parser`; the input is an HTTP-like response as
/// for `response_parser`.
///
/// Invariants checked, besides those of the shared typed harness: `TotalCount` and the
/// entries are the JSON's, every `Region` one a request can be configured for
/// (`ServiceConfig` builds with it), `RegionName` and `RegionState` the JSON's text
/// (unknown states kept verbatim), and `available()` exactly the `AVAILABLE` ones, in
/// order.
pub fn describe_regions_parser(data: &[u8]) {
    typed_response::<DescribeRegionsResponse>(data, |answer, json| {
        assert_eq!(json["TotalCount"].as_u64(), Some(answer.total_count));
        let set = json["RegionSet"].as_array().expect("RegionSet is an array");
        assert_eq!(set.len(), answer.region_set.len());
        for (region, entry) in answer.region_set.iter().zip(set) {
            assert_eq!(text(entry, "Region"), Some(region.region.as_str()));
            assert!(
                ServiceConfig::builder(region.region.as_str())
                    .build()
                    .is_ok(),
                "{} cannot be configured",
                region.region
            );
            assert_eq!(region.region_name.as_deref(), text(entry, "RegionName"));
            assert_eq!(
                region.region_state.as_ref().map(|s| s.as_str()),
                text(entry, "RegionState")
            );
        }
        let available: Vec<&str> = answer
            .region_set
            .iter()
            .filter(|r| r.region_state == Some(RegionState::Available))
            .map(|r| r.region.as_str())
            .collect();
        assert_eq!(answer.available().collect::<Vec<_>>(), available);
    });
}
