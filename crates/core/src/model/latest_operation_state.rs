//! [`LatestOperationState`]: how an instance's latest operation is going.

use crate::model::api_value::api_value_enum;

api_value_enum! {
    /// An instance's `LatestOperationState`: the state of the operation named by
    /// `LatestOperation`, whose request is `LatestOperationRequestId`.
    ///
    /// ```
    /// use tencentcloud_cvm_core::LatestOperationState;
    /// assert_eq!(LatestOperationState::parse("OPERATING"), LatestOperationState::Operating);
    /// ```
    LatestOperationState {
        /// The operation succeeded.
        Success = "SUCCESS",
        /// The operation is in progress.
        Operating = "OPERATING",
        /// The operation failed.
        Failed = "FAILED",
    }
}
