//! [`Instance`]: one entry of DescribeInstances' `InstanceSet`, with the fields a
//! terminate flow reads.

use serde::Deserialize;

use crate::actions::Action;
use crate::model::charge_type::ChargeType;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;
use crate::model::isolated_source::IsolatedSource;
use crate::model::latest_operation_state::LatestOperationState;
use crate::model::utc_time::parse_utc;

/// An instance as DescribeInstances describes it. Fields this type does not name are
/// ignored.
///
/// `InstanceId` is required and must be a well-formed ID: an entry without one would
/// be state nobody can attribute, so the whole answer is refused instead
/// ([`ResponseError::WrongType`](crate::response::ResponseError::WrongType)). Every other field
/// may be absent or `null` (the service documents several as "may return null"),
/// and then reads as `None`; a value of the wrong JSON type is refused.
///
/// ```
/// use tencentcloud_cvm_core::{Action, Instance, InstanceState, LatestOperationState};
/// let i: Instance = serde_json::from_str(r#"{
///     "InstanceId": "ins-r8hr2upy", "InstanceState": "SHUTDOWN",
///     "InstanceChargeType": "PREPAID", "ExpiredTime": "2024-01-01T00:00:00Z",
///     "LatestOperation": "TerminateInstances", "LatestOperationState": "SUCCESS",
///     "LatestOperationRequestId": "c7de1287-061d-4ace-8caf-6ad8e5a2f29a",
///     "DisableApiTermination": false, "LatestOperationErrorMsg": null, "Tags": []}"#)?;
/// assert_eq!(i.instance_state, Some(InstanceState::Shutdown));
/// assert_eq!(i.latest_operation_state, Some(LatestOperationState::Success));
/// assert_eq!(i.request_id_of_latest(Action::TerminateInstances), Some("c7de1287-061d-4ace-8caf-6ad8e5a2f29a"));
/// assert_eq!(i.expired_at(), Some(1_704_067_200));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    /// `InstanceId`.
    pub instance_id: InstanceId,
    /// `InstanceState`.
    pub instance_state: Option<InstanceState>,
    /// `InstanceChargeType`.
    pub instance_charge_type: Option<ChargeType>,
    /// `InstanceName`.
    pub instance_name: Option<String>,
    /// `DisableApiTermination`: termination protection.
    pub disable_api_termination: Option<bool>,
    /// `LatestOperation`: the action last applied, e.g. `TerminateInstances`.
    pub latest_operation: Option<String>,
    /// `LatestOperationState`.
    pub latest_operation_state: Option<LatestOperationState>,
    /// `LatestOperationRequestId`: the RequestId of the latest operation's call.
    pub latest_operation_request_id: Option<String>,
    /// `ExpiredTime` as sent, `YYYY-MM-DDThh:mm:ssZ` (prepaid instances; `null` otherwise).
    pub expired_time: Option<String>,
    /// `IsolatedSource`.
    pub isolated_source: Option<IsolatedSource>,
}

impl Instance {
    /// The RequestId of the latest operation, if that operation is `action` and the
    /// service named a (non-empty) RequestId for it.
    pub fn request_id_of_latest(&self, action: Action) -> Option<&str> {
        if self.latest_operation.as_deref() != Some(action.name()) {
            return None;
        }
        self.latest_operation_request_id
            .as_deref()
            .filter(|id| !id.is_empty())
    }

    /// `ExpiredTime` in seconds since the Unix epoch, if present and well-formed.
    pub fn expired_at(&self) -> Option<u64> {
        self.expired_time.as_deref().and_then(parse_utc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_id_is_required() {
        let i: Instance = serde_json::from_str(r#"{"InstanceId":"ins-00000001"}"#).unwrap();
        assert_eq!(i.instance_state, None);
        assert_eq!(i.request_id_of_latest(Action::TerminateInstances), None);
        let nulls: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","InstanceState":null,"InstanceChargeType":null,
                "InstanceName":null,"DisableApiTermination":null,"LatestOperation":null,
                "LatestOperationState":null,"LatestOperationRequestId":null,
                "ExpiredTime":null,"IsolatedSource":null}"#,
        )
        .unwrap();
        assert_eq!(nulls, i);
    }

    #[test]
    fn an_unattributable_entry_is_refused() {
        for bad in [
            r#"{}"#,
            r#"{"InstanceId":null}"#,
            r#"{"InstanceId":""}"#,
            r#"{"InstanceId":"ins-BAD"}"#,
            r#"{"InstanceId":7}"#,
        ] {
            assert!(serde_json::from_str::<Instance>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wrong_types_are_refused() {
        for bad in [
            r#"{"InstanceId":"ins-00000001","DisableApiTermination":"false"}"#,
            r#"{"InstanceId":"ins-00000001","InstanceState":1}"#,
            r#"{"InstanceId":"ins-00000001","LatestOperationRequestId":[]}"#,
        ] {
            assert!(serde_json::from_str::<Instance>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn latest_operation_must_match_and_be_named() {
        let i: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","LatestOperation":"StopInstances",
                "LatestOperationRequestId":"r-1"}"#,
        )
        .unwrap();
        assert_eq!(i.request_id_of_latest(Action::TerminateInstances), None);
        let empty: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","LatestOperation":"TerminateInstances",
                "LatestOperationRequestId":""}"#,
        )
        .unwrap();
        assert_eq!(empty.request_id_of_latest(Action::TerminateInstances), None);
    }
}
