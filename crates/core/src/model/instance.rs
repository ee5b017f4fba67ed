//! [`Instance`]: one entry of DescribeInstances' `InstanceSet`, with the fields a
//! terminate flow reads and those operators select by.

use serde::Deserialize;

use crate::actions::Action;
use crate::model::charge_type::ChargeType;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;
use crate::model::isolated_source::IsolatedSource;
use crate::model::latest_operation_state::LatestOperationState;
use crate::model::placement::Placement;
use crate::model::tag::Tag;
use crate::model::utc_time::{parse_timestamp, parse_utc};
use crate::model::virtual_private_cloud::VirtualPrivateCloud;

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
///
/// // What operators select and read by.
/// let i: Instance = serde_json::from_str(r#"{
///     "InstanceId": "ins-r8hr2upy", "InstanceType": "S5.MEDIUM2",
///     "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 1002189, "HostIds": []},
///     "Tags": [{"Key": "team", "Value": "ci"}], "CreatedTime": "2020-03-10T02:43:51Z",
///     "PrivateIpAddresses": ["172.16.32.78"], "PublicIpAddresses": null,
///     "VirtualPrivateCloud": {"VpcId": "vpc-1yg5ua6l", "SubnetId": "subnet-iw7bhwsh"}}"#)?;
/// assert_eq!((i.zone(), i.region()), (Some("ap-guangzhou-3"), Some("ap-guangzhou")));
/// assert_eq!(i.project_id(), Some(1002189));
/// assert_eq!(i.tag("team"), Some("ci"));
/// assert_eq!(i.created_at(), Some(1_583_808_231));
/// assert_eq!(i.vpc_id(), Some("vpc-1yg5ua6l"));
/// assert_eq!(i.public_ip_addresses, None);
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
    /// `InstanceType`, e.g. `S5.MEDIUM2`.
    pub instance_type: Option<String>,
    /// `Placement`: zone, project and dedicated host.
    pub placement: Option<Placement>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
    /// `CreatedTime` as sent: `YYYY-MM-DDThh:mm:ssZ` as documented, or with a numeric
    /// offset as in some official examples (read by [`created_at`](Self::created_at)).
    pub created_time: Option<String>,
    /// `PrivateIpAddresses`: the primary network interface's private IPs.
    pub private_ip_addresses: Option<Vec<String>>,
    /// `PublicIpAddresses`: the primary network interface's public IPs (the service
    /// documents it may be `null`).
    pub public_ip_addresses: Option<Vec<String>>,
    /// `IPv6Addresses` (may be `null`).
    #[serde(rename = "IPv6Addresses")]
    pub ipv6_addresses: Option<Vec<String>>,
    /// `VirtualPrivateCloud`: VPC and subnet.
    pub virtual_private_cloud: Option<VirtualPrivateCloud>,
    /// `Uuid`: the instance's globally unique ID.
    pub uuid: Option<String>,
    /// `SecurityGroupIds`.
    pub security_group_ids: Option<Vec<String>>,
    /// `DedicatedClusterId`: the CDC (dedicated cluster) the instance is in, if any.
    pub dedicated_cluster_id: Option<String>,
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

    /// `CreatedTime` in seconds since the Unix epoch, if present and well-formed
    /// ([`parse_timestamp`](crate::utc_time::parse_timestamp)). `None` means the age is
    /// not known: a selection by age must not take it as old (nor as new).
    pub fn created_at(&self) -> Option<u64> {
        self.created_time.as_deref().and_then(parse_timestamp)
    }

    /// `Placement.Zone`.
    pub fn zone(&self) -> Option<&str> {
        self.placement.as_ref()?.zone.as_deref()
    }

    /// The region `Placement.Zone` implies ([`region_of_zone`](crate::region_of_zone)).
    pub fn region(&self) -> Option<&str> {
        self.placement.as_ref()?.region()
    }

    /// `Placement.ProjectId`.
    pub fn project_id(&self) -> Option<u64> {
        self.placement.as_ref()?.project_id
    }

    /// `VirtualPrivateCloud.VpcId`.
    pub fn vpc_id(&self) -> Option<&str> {
        self.virtual_private_cloud.as_ref()?.vpc_id.as_deref()
    }

    /// `VirtualPrivateCloud.SubnetId`.
    pub fn subnet_id(&self) -> Option<&str> {
        self.virtual_private_cloud.as_ref()?.subnet_id.as_deref()
    }

    /// The value of the tag `key`, if the instance has it. Should `Tags` list the key
    /// more than once, the first entry is returned; [`tags`](Self::tags) has them all.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .as_deref()?
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
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
        let more_nulls: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","InstanceType":null,"Placement":null,"Tags":null,
                "CreatedTime":null,"PrivateIpAddresses":null,"PublicIpAddresses":null,
                "IPv6Addresses":null,"VirtualPrivateCloud":null,"Uuid":null,
                "SecurityGroupIds":null,"DedicatedClusterId":null}"#,
        )
        .unwrap();
        assert_eq!(more_nulls, i);
        assert_eq!(
            (i.zone(), i.region(), i.project_id(), i.created_at()),
            (None, None, None, None)
        );
        assert_eq!((i.vpc_id(), i.subnet_id(), i.tag("a")), (None, None, None));
    }

    #[test]
    fn selection_fields() {
        let i: Instance = serde_json::from_str(
            r#"{"InstanceId":"ins-00000001","InstanceType":"S5.MEDIUM2",
                "Placement":{"Zone":"ap-shanghai-fsi-2","ProjectId":0,"HostId":"host-0000000a"},
                "Tags":[{"Key":"team","Value":"ci"},{"Key":"empty","Value":""},{"Key":"team","Value":"web"}],
                "CreatedTime":"2020-09-22T00:00:00+00:00",
                "PrivateIpAddresses":["10.0.0.1","10.0.0.2"],"PublicIpAddresses":[],
                "IPv6Addresses":["2001:db8::1"],
                "VirtualPrivateCloud":{"VpcId":"vpc-00000001","SubnetId":"subnet-00000001",
                    "PrivateIpAddresses":["10.0.0.1"],"AsVpcGateway":false,"Ipv6AddressCount":0},
                "Uuid":"68b510db-b4c1-4630-a62b-73d0c7c970f9","SecurityGroupIds":["sg-00000001"],
                "DedicatedClusterId":"","CPU":2,"Unknown":{"x":[1]}}"#,
        )
        .unwrap();
        assert_eq!(i.instance_type.as_deref(), Some("S5.MEDIUM2"));
        assert_eq!(i.region(), Some("ap-shanghai-fsi"));
        assert_eq!(i.project_id(), Some(0));
        assert_eq!(
            i.placement.as_ref().unwrap().host_id.as_deref(),
            Some("host-0000000a")
        );
        assert_eq!(i.tag("team"), Some("ci"));
        assert_eq!(i.tag("empty"), Some(""));
        assert_eq!(i.tag("Team"), None);
        assert_eq!(i.tags.as_ref().unwrap().len(), 3);
        assert_eq!(i.created_at(), Some(1_600_732_800));
        assert_eq!(i.private_ip_addresses.as_ref().unwrap().len(), 2);
        assert_eq!(i.public_ip_addresses.as_deref(), Some(&[][..]));
        assert_eq!(i.ipv6_addresses.as_ref().unwrap()[0], "2001:db8::1");
        assert_eq!(
            (i.vpc_id(), i.subnet_id()),
            (Some("vpc-00000001"), Some("subnet-00000001"))
        );
        assert_eq!(i.security_group_ids.as_ref().unwrap()[0], "sg-00000001");
        assert_eq!(i.dedicated_cluster_id.as_deref(), Some(""));
        // A malformed time is kept as text and read as unknown.
        let odd: Instance =
            serde_json::from_str(r#"{"InstanceId":"ins-00000001","CreatedTime":"yesterday"}"#)
                .unwrap();
        assert_eq!(odd.created_time.as_deref(), Some("yesterday"));
        assert_eq!(odd.created_at(), None);
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
            r#"{"InstanceId":"ins-00000001","InstanceType":5}"#,
            r#"{"InstanceId":"ins-00000001","Placement":"ap-guangzhou-3"}"#,
            r#"{"InstanceId":"ins-00000001","Placement":{"ProjectId":"0"}}"#,
            r#"{"InstanceId":"ins-00000001","Tags":{"team":"ci"}}"#,
            r#"{"InstanceId":"ins-00000001","Tags":[{"Key":"team"}]}"#,
            r#"{"InstanceId":"ins-00000001","Tags":[{"Key":null,"Value":"ci"}]}"#,
            r#"{"InstanceId":"ins-00000001","Tags":[null]}"#,
            r#"{"InstanceId":"ins-00000001","CreatedTime":1583808231}"#,
            r#"{"InstanceId":"ins-00000001","PrivateIpAddresses":"10.0.0.1"}"#,
            r#"{"InstanceId":"ins-00000001","PublicIpAddresses":[null]}"#,
            r#"{"InstanceId":"ins-00000001","VirtualPrivateCloud":{"VpcId":1}}"#,
            r#"{"InstanceId":"ins-00000001","SecurityGroupIds":[1]}"#,
            // The same field twice cannot be told apart: refused.
            r#"{"InstanceId":"ins-00000001","Tags":[],"Tags":[]}"#,
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
