//! [`RegionState`]: whether a region is available, as DescribeRegions reports it.

use crate::model::api_value::api_value_enum;

api_value_enum! {
    /// A region's `RegionState`. The documentation gives `AVAILABLE` and calls the
    /// field "whether the region is available"; `UNAVAILABLE` is the zone state's other
    /// value, taken here by analogy. Anything else is kept in [`RegionState::Unknown`].
    ///
    /// ```
    /// use tencentcloud_cvm_core::RegionState;
    /// assert_eq!(RegionState::parse("AVAILABLE"), RegionState::Available);
    /// assert!(!RegionState::parse("available").is_known());
    /// ```
    RegionState {
        /// The region can be used.
        Available = "AVAILABLE",
        /// The region cannot be used.
        Unavailable = "UNAVAILABLE",
    }
}
