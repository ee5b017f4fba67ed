//! [`InstanceFilterName`]: the names DescribeInstances' `Filters` document, and the
//! form of the values each takes.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::validation_error::{clipped, ValidationError};
use crate::model::charge_type::ChargeType;
use crate::model::error_code::ErrorCode;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;
use crate::model::placement::region_of_zone;
use crate::model::utc_time::parse_wall_clock;

/// A filter of DescribeInstances, by its documented name (the DescribeInstances page
/// of the CVM API, 2017-03-12), plus `tag:<key>`.
///
/// | name | value form checked before sending | code when malformed |
/// | --- | --- | --- |
/// | `zone` | a zone, e.g. `ap-guangzhou-3` ([`region_of_zone`](crate::region_of_zone)) | `InvalidParameterValue` |
/// | `project-id` | a non-negative integer | `InvalidParameterValue` |
/// | `host-id` | `host-` and 8 of `[a-z0-9]` | `InvalidHostId.Malformed` |
/// | `dedicated-cluster-id` | `cluster-` and 1 to 32 of `[a-z0-9]` | `InvalidParameterValue` |
/// | `vpc-id` | `vpc-` and 8 of `[a-z0-9]` | `InvalidParameterValue.VpcIdMalformed` |
/// | `subnet-id` | `subnet-` and 8 of `[a-z0-9]` | `InvalidParameterValue.SubnetIdMalformed` |
/// | `instance-id` | an [`InstanceId`] | `InvalidInstanceId.Malformed` |
/// | `uuid` | `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal | `InvalidParameterValue.UuidMalformed` |
/// | `security-group-id` | `sg-` and 8 of `[a-z0-9]` | `InvalidSgId.Malformed` |
/// | `instance-name` | not empty | `InvalidParameterValue.InvalidVagueName` |
/// | `instance-charge-type` | a documented [`ChargeType`], spelled exactly | `InvalidParameterValue` |
/// | `instance-state` | a documented [`InstanceState`], spelled exactly | `InvalidParameterValue` |
/// | `private-ip-address`, `public-ip-address` | an IPv4 address | `InvalidParameterValue.IPAddressMalformed` |
/// | `ipv6-address` | an IPv6 address | `InvalidParameterValue.IPv6AddressMalformed` |
/// | `tag-key` | not empty | `InvalidParameterValue` |
/// | `tag-value`, `tag:<key>` | anything (a tag's value may be empty) | |
/// | `creation-start-time`, `creation-end-time` | `YYYY-MM-DD hh:mm:ss`, a real date; one value only | `InvalidParameterValue.InvalidTimeFormat` |
///
/// Names are case-sensitive, as the service reads them. The `instance-name` filter's
/// matching (exact or fuzzy) is not documented: the service lists the error
/// `InvalidParameterValue.InvalidVagueName`, so take it as fuzzy and check names on the
/// client. The creation-time filters' time zone is not documented either (the console
/// shows Beijing time): compare [`Instance::created_at`](crate::Instance::created_at)
/// on the client when the hour matters.
///
/// ```
/// use tencentcloud_cvm_core::InstanceFilterName;
/// let n = InstanceFilterName::parse("tag:team")?;
/// assert_eq!(n, InstanceFilterName::Tag("team".into()));
/// assert_eq!(n.to_string(), "tag:team");
/// assert_eq!(InstanceFilterName::parse("zone")?, InstanceFilterName::Zone);
/// assert!(InstanceFilterName::parse("Zone").is_err());
/// assert!(InstanceFilterName::parse("tag:").is_err());
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum InstanceFilterName {
    /// `zone`: `Placement.Zone`.
    Zone,
    /// `project-id`: `Placement.ProjectId`.
    ProjectId,
    /// `host-id`: the CDH (dedicated host), `Placement.HostId`.
    HostId,
    /// `dedicated-cluster-id`: the CDC (dedicated cluster), `DedicatedClusterId`.
    DedicatedClusterId,
    /// `vpc-id`: `VirtualPrivateCloud.VpcId`.
    VpcId,
    /// `subnet-id`: `VirtualPrivateCloud.SubnetId`.
    SubnetId,
    /// `instance-id`: `InstanceId`.
    InstanceId,
    /// `uuid`: `Uuid`.
    Uuid,
    /// `security-group-id`: one of `SecurityGroupIds`.
    SecurityGroupId,
    /// `instance-name`: `InstanceName` (matching undocumented; taken as fuzzy).
    InstanceName,
    /// `instance-charge-type`: `InstanceChargeType`.
    InstanceChargeType,
    /// `instance-state`: `InstanceState`.
    InstanceState,
    /// `private-ip-address`: one of the primary interface's `PrivateIpAddresses`.
    PrivateIpAddress,
    /// `public-ip-address`: one of the primary interface's `PublicIpAddresses`
    /// (assigned at creation or an elastic IP bound later).
    PublicIpAddress,
    /// `ipv6-address`: one of `IPv6Addresses`.
    Ipv6Address,
    /// `tag-key`: has a tag with this key.
    TagKey,
    /// `tag-value`: has a tag with this value, under any key.
    TagValue,
    /// `tag:<key>`: has the tag `<key>` (the `String`, never empty) with this value.
    Tag(String),
    /// `creation-start-time`: created at or after (`YYYY-MM-DD hh:mm:ss`).
    CreationStartTime,
    /// `creation-end-time`: created at or before (`YYYY-MM-DD hh:mm:ss`).
    CreationEndTime,
}

/// The documented names, in the documentation's order (all but `tag:<key>`).
const NAMES: [(&str, InstanceFilterName); 19] = [
    ("zone", InstanceFilterName::Zone),
    ("project-id", InstanceFilterName::ProjectId),
    ("host-id", InstanceFilterName::HostId),
    (
        "dedicated-cluster-id",
        InstanceFilterName::DedicatedClusterId,
    ),
    ("vpc-id", InstanceFilterName::VpcId),
    ("subnet-id", InstanceFilterName::SubnetId),
    ("instance-id", InstanceFilterName::InstanceId),
    ("uuid", InstanceFilterName::Uuid),
    ("security-group-id", InstanceFilterName::SecurityGroupId),
    ("instance-name", InstanceFilterName::InstanceName),
    (
        "instance-charge-type",
        InstanceFilterName::InstanceChargeType,
    ),
    ("instance-state", InstanceFilterName::InstanceState),
    ("private-ip-address", InstanceFilterName::PrivateIpAddress),
    ("public-ip-address", InstanceFilterName::PublicIpAddress),
    ("ipv6-address", InstanceFilterName::Ipv6Address),
    ("tag-key", InstanceFilterName::TagKey),
    ("tag-value", InstanceFilterName::TagValue),
    ("creation-start-time", InstanceFilterName::CreationStartTime),
    ("creation-end-time", InstanceFilterName::CreationEndTime),
];

impl InstanceFilterName {
    /// The most values a filter takes (`Filters.N.Values`).
    pub const MAX_VALUES: usize = 5;

    /// The prefix of a tag key/value filter's name.
    pub const TAG_PREFIX: &'static str = "tag:";

    /// The name for its wire text: one of the documented names, or `tag:` and a
    /// non-empty key. Anything else is [`ValidationError::UnknownFilter`].
    pub fn parse(name: &str) -> Result<InstanceFilterName, ValidationError> {
        if let Some((_, known)) = NAMES.iter().find(|(n, _)| *n == name) {
            return Ok(known.clone());
        }
        match name.strip_prefix(Self::TAG_PREFIX) {
            Some(key) if !key.is_empty() => Ok(InstanceFilterName::Tag(key.to_owned())),
            _ => Err(ValidationError::UnknownFilter {
                name: clipped(name),
            }),
        }
    }

    /// Every documented name but `tag:<key>`, in the documentation's order.
    pub fn documented() -> impl Iterator<Item = InstanceFilterName> {
        NAMES.iter().map(|(_, n)| n.clone())
    }

    /// The documented names, comma-separated (for messages and help texts).
    pub fn documented_names() -> String {
        NAMES.map(|(n, _)| n).join(", ")
    }

    /// The fixed wire name, `None` for `tag:<key>` (see [`Display`](fmt::Display)).
    pub fn static_name(&self) -> Option<&'static str> {
        NAMES.iter().find(|(_, n)| n == self).map(|(name, _)| *name)
    }

    /// The tag key of a `tag:<key>` filter.
    pub fn tag_key(&self) -> Option<&str> {
        match self {
            InstanceFilterName::Tag(key) => Some(key),
            _ => None,
        }
    }

    /// How many values the filter takes: 5, as documented for every filter, except
    /// the creation-time bounds, which take 1 here: several bounds have no documented
    /// meaning, and a wrong guess would widen a selection.
    pub fn max_values(&self) -> usize {
        match self {
            InstanceFilterName::CreationStartTime | InstanceFilterName::CreationEndTime => 1,
            _ => Self::MAX_VALUES,
        }
    }

    /// The code the service answers for a malformed value of this filter.
    pub fn malformed_code(&self) -> ErrorCode {
        use InstanceFilterName as N;
        match self {
            N::HostId => ErrorCode::InvalidHostIdMalformed,
            N::VpcId => ErrorCode::InvalidParameterValueVpcIdMalformed,
            N::SubnetId => ErrorCode::InvalidParameterValueSubnetIdMalformed,
            N::InstanceId => ErrorCode::InvalidInstanceIdMalformed,
            N::Uuid => ErrorCode::InvalidParameterValueUuidMalformed,
            N::SecurityGroupId => ErrorCode::InvalidSgIdMalformed,
            N::InstanceName => ErrorCode::InvalidParameterValueInvalidVagueName,
            N::PrivateIpAddress | N::PublicIpAddress => {
                ErrorCode::InvalidParameterValueIpAddressMalformed
            }
            N::Ipv6Address => ErrorCode::InvalidParameterValueIpv6AddressMalformed,
            N::CreationStartTime | N::CreationEndTime => {
                ErrorCode::InvalidParameterValueInvalidTimeFormat
            }
            N::Zone
            | N::ProjectId
            | N::DedicatedClusterId
            | N::InstanceChargeType
            | N::InstanceState
            | N::TagKey
            | N::TagValue
            | N::Tag(_) => ErrorCode::InvalidParameterValue,
        }
    }

    /// Checks one value's form; on failure, what the filter takes.
    pub(crate) fn check_value(&self, value: &str) -> Result<(), &'static str> {
        use InstanceFilterName as N;
        let (ok, expected) = match self {
            N::Zone => (
                region_of_zone(value).is_some(),
                "a zone such as ap-guangzhou-3",
            ),
            N::ProjectId => (
                !value.is_empty()
                    && value.bytes().all(|b| b.is_ascii_digit())
                    && value.parse::<u64>().is_ok(),
                "a project ID (a non-negative integer)",
            ),
            N::HostId => (
                resource_id(value, "host-", 8..=8),
                "a CDH ID (host- and 8 lowercase letters or digits)",
            ),
            N::DedicatedClusterId => (
                resource_id(value, "cluster-", 1..=32),
                "a CDC ID (cluster- and lowercase letters or digits)",
            ),
            N::VpcId => (
                resource_id(value, "vpc-", 8..=8),
                "a VPC ID (vpc- and 8 lowercase letters or digits)",
            ),
            N::SubnetId => (
                resource_id(value, "subnet-", 8..=8),
                "a subnet ID (subnet- and 8 lowercase letters or digits)",
            ),
            N::InstanceId => (
                InstanceId::parse(value).is_ok(),
                "an instance ID (ins- and 8 lowercase letters or digits)",
            ),
            N::Uuid => (
                is_uuid(value),
                "a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal)",
            ),
            N::SecurityGroupId => (
                resource_id(value, "sg-", 8..=8),
                "a security group ID (sg- and 8 lowercase letters or digits)",
            ),
            N::InstanceName => (!value.is_empty(), "a name to search for (not empty)"),
            N::InstanceChargeType => (
                ChargeType::parse(value).is_known(),
                "a documented charge type: PREPAID, POSTPAID_BY_HOUR, CDHPAID, SPOTPAID or CDCPAID",
            ),
            N::InstanceState => (
                InstanceState::parse(value).is_known(),
                "a documented instance state in capitals, such as RUNNING or STOPPED",
            ),
            N::PrivateIpAddress | N::PublicIpAddress => (
                value.parse::<Ipv4Addr>().is_ok(),
                "an IPv4 address such as 10.0.0.1",
            ),
            N::Ipv6Address => (
                value.parse::<Ipv6Addr>().is_ok(),
                "an IPv6 address such as 2001:db8::1",
            ),
            N::TagKey => (!value.is_empty(), "a tag key (not empty)"),
            N::TagValue | N::Tag(_) => (true, ""),
            N::CreationStartTime | N::CreationEndTime => (
                parse_wall_clock(value).is_some(),
                "a time written YYYY-MM-DD hh:mm:ss, e.g. 2023-06-01 00:00:00",
            ),
        };
        if ok {
            Ok(())
        } else {
            Err(expected)
        }
    }
}

impl fmt::Display for InstanceFilterName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.static_name(), self) {
            (Some(name), _) => f.write_str(name),
            (None, InstanceFilterName::Tag(key)) => write!(f, "{}{key}", Self::TAG_PREFIX),
            // Every other name is in the table.
            (None, _) => f.write_str("?"),
        }
    }
}

impl std::str::FromStr for InstanceFilterName {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InstanceFilterName::parse(s)
    }
}

/// `prefix` and a number of lowercase letters or digits in `len`.
fn resource_id(value: &str, prefix: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    value.strip_prefix(prefix).is_some_and(|rest| {
        len.contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits (either case).
fn is_uuid(value: &str) -> bool {
    let mut groups = value.split('-');
    let lengths_ok = [8, 4, 4, 4, 12].iter().all(|&n| {
        groups
            .next()
            .is_some_and(|g| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    lengths_ok && groups.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn every_documented_name_round_trips() {
        let names: Vec<InstanceFilterName> = InstanceFilterName::documented().collect();
        assert_eq!(names.len(), 19);
        for n in &names {
            assert_eq!(&InstanceFilterName::parse(&n.to_string()).unwrap(), n);
            assert!(n.static_name().is_some());
            assert_eq!(n.tag_key(), None);
        }
        let tag = InstanceFilterName::parse("tag:a:b c").unwrap();
        assert_eq!(tag.tag_key(), Some("a:b c"));
        assert_eq!(tag.to_string(), "tag:a:b c");
        assert_eq!(tag.static_name(), None);
        for bad in [
            "",
            "Zone",
            "zone ",
            "instance-type",
            "tag",
            "tag:",
            "TAG:a",
            "tag-keys",
        ] {
            let e = InstanceFilterName::parse(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidFilter, "{bad}");
            assert!(e.to_string().contains("creation-end-time"), "{e}");
        }
        assert_eq!(
            InstanceFilterName::documented_names().split(", ").count(),
            19
        );
    }

    #[test]
    fn value_forms() {
        use InstanceFilterName as N;
        let good: &[(N, &[&str])] = &[
            (N::Zone, &["ap-guangzhou-3", "ap-shanghai-fsi-2"]),
            (N::ProjectId, &["0", "1002189"]),
            (N::HostId, &["host-0123abcd"]),
            (N::DedicatedClusterId, &["cluster-abc1234", "cluster-a"]),
            (N::VpcId, &["vpc-1yg5ua6l"]),
            (N::SubnetId, &["subnet-iw7bhwsh"]),
            (N::InstanceId, &["ins-r8hr2upy"]),
            (
                N::Uuid,
                &[
                    "68b510db-b4c1-4630-a62b-73d0c7c970f9",
                    "68B510DB-B4C1-4630-A62B-73D0C7C970F9",
                ],
            ),
            (N::SecurityGroupId, &["sg-8jlk3f3r"]),
            (N::InstanceName, &["ci runner 未命名", " "]),
            (
                N::InstanceChargeType,
                &[
                    "PREPAID",
                    "POSTPAID_BY_HOUR",
                    "CDHPAID",
                    "SPOTPAID",
                    "CDCPAID",
                ],
            ),
            (N::InstanceState, &["RUNNING", "SHUTDOWN", "LAUNCH_FAILED"]),
            (N::PrivateIpAddress, &["10.0.0.1"]),
            (N::PublicIpAddress, &["203.0.113.9"]),
            (N::Ipv6Address, &["2001:db8::1", "::1"]),
            (N::TagKey, &["team"]),
            (N::TagValue, &["", "ci"]),
            (N::Tag("team".into()), &["", "ci"]),
            (N::CreationStartTime, &["2023-06-01 00:00:00"]),
            (N::CreationEndTime, &["2024-02-29 23:59:59"]),
        ];
        for (name, values) in good {
            for v in *values {
                assert_eq!(name.check_value(v), Ok(()), "{name} {v}");
            }
        }
        let bad: &[(N, &[&str], ErrorCode)] = &[
            (
                N::Zone,
                &["", "ap-guangzhou", "AP-GUANGZHOU-3", "guangzhou 3"],
                ErrorCode::InvalidParameterValue,
            ),
            (
                N::ProjectId,
                &["", "-1", "+1", "1.0", "99999999999999999999", "0x10"],
                ErrorCode::InvalidParameterValue,
            ),
            (
                N::HostId,
                &["host-1122", "host-0123ABCD", "ins-0123abcd"],
                ErrorCode::InvalidHostIdMalformed,
            ),
            (
                N::DedicatedClusterId,
                &["cluster-", "cluster-A"],
                ErrorCode::InvalidParameterValue,
            ),
            (
                N::VpcId,
                &["vpc-1yg5ua6", "vpc-1yg5ua6l0", "VPC-1yg5ua6l"],
                ErrorCode::InvalidParameterValueVpcIdMalformed,
            ),
            (
                N::SubnetId,
                &["subnet-", "subnet-iw7bhws!"],
                ErrorCode::InvalidParameterValueSubnetIdMalformed,
            ),
            (
                N::InstanceId,
                &["ins-1122", "i-12345678"],
                ErrorCode::InvalidInstanceIdMalformed,
            ),
            (
                N::Uuid,
                &[
                    "68b510db-b4c1-4630-a62b-73d0c7c970f",
                    "68b510dbb4c14630a62b73d0c7c970f9",
                    "68b510db-b4c1-4630-a62b-73d0c7c970f9-0",
                    "g8b510db-b4c1-4630-a62b-73d0c7c970f9",
                ],
                ErrorCode::InvalidParameterValueUuidMalformed,
            ),
            (
                N::SecurityGroupId,
                &["sg-ide32"],
                ErrorCode::InvalidSgIdMalformed,
            ),
            (
                N::InstanceName,
                &[""],
                ErrorCode::InvalidParameterValueInvalidVagueName,
            ),
            (
                N::InstanceChargeType,
                &["prepaid", "UNDERWRITE", ""],
                ErrorCode::InvalidParameterValue,
            ),
            (
                N::InstanceState,
                &["running", "GONE"],
                ErrorCode::InvalidParameterValue,
            ),
            (
                N::PrivateIpAddress,
                &["10.0.0", "10.0.0.256", "::1", "010.0.0.1"],
                ErrorCode::InvalidParameterValueIpAddressMalformed,
            ),
            (
                N::Ipv6Address,
                &["10.0.0.1", "2001:db8:::1"],
                ErrorCode::InvalidParameterValueIpv6AddressMalformed,
            ),
            (N::TagKey, &[""], ErrorCode::InvalidParameterValue),
            (
                N::CreationStartTime,
                &["2023-06-01T00:00:00Z", "2023-06-01", "2023-02-30 00:00:00"],
                ErrorCode::InvalidParameterValueInvalidTimeFormat,
            ),
        ];
        for (name, values, code) in bad {
            assert_eq!(&name.malformed_code(), code, "{name}");
            for v in *values {
                assert!(name.check_value(v).is_err(), "{name} {v:?}");
            }
        }
    }

    quickcheck! {
        fn parse_never_panics_and_round_trips(s: String) -> bool {
            match InstanceFilterName::parse(&s) {
                Ok(n) => n.to_string() == s,
                Err(e) => e.code() == ErrorCode::InvalidFilter,
            }
        }

        fn check_value_never_panics(s: String) -> bool {
            InstanceFilterName::documented().all(|n| {
                let _ = n.check_value(&s);
                true
            })
        }
    }
}
