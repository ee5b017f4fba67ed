//! DescribeInstances' `Filters`: every documented filter name, checked and matched as the
//! service documents them.
//!
//! A request holds at most 10 filters, each with 1 to 5 values. An instance matches when
//! it matches every filter (AND), and it matches a filter when it matches any of its
//! values (OR).
//!
//! | filter | matches | a value is refused with |
//! | --- | --- | --- |
//! | `zone` | `Placement.Zone` | `InvalidZone.MismatchRegion` (not a zone of the request's region) |
//! | `project-id` | `Placement.ProjectId` | `InvalidParameterValue` (not an integer) |
//! | `host-id` | `Placement.HostId` (not modelled: nothing) | `InvalidHostId.Malformed` |
//! | `dedicated-cluster-id` | `DedicatedClusterId` (not modelled: nothing) | |
//! | `vpc-id` | `VirtualPrivateCloud.VpcId` | `InvalidParameterValue.VpcIdMalformed` |
//! | `subnet-id` | `VirtualPrivateCloud.SubnetId` | `InvalidParameterValue.SubnetIdMalformed` |
//! | `instance-id` | `InstanceId` | `InvalidInstanceId.Malformed` |
//! | `uuid` | `Uuid` | `InvalidParameterValue.UuidMalformed` |
//! | `security-group-id` | `SecurityGroupIds` (not modelled: nothing) | `InvalidSgId.Malformed` |
//! | `instance-name` | `InstanceName` containing the value (a fuzzy match) | `InvalidParameterValue.InvalidVagueName` (empty) |
//! | `instance-charge-type` | `InstanceChargeType`, exactly | |
//! | `instance-state` | `InstanceState`, exactly | |
//! | `private-ip-address` | one of `PrivateIpAddresses` | `InvalidParameterValue.IPAddressMalformed` |
//! | `public-ip-address` | one of `PublicIpAddresses` | `InvalidParameterValue.IPAddressMalformed` |
//! | `ipv6-address` | `IPv6Addresses` (not modelled: nothing) | `InvalidParameterValue.IPv6AddressMalformed` |
//! | `tag-key` | a tag with this key | |
//! | `tag-value` | a tag with this value, under any key | |
//! | `tag:KEY` | a tag `KEY` with this value | `InvalidFilter` (empty `KEY`) |
//! | `creation-start-time` | `CreatedTime` at or after it | `InvalidParameterValue.InvalidTimeFormat` |
//! | `creation-end-time` | `CreatedTime` at or before it | `InvalidParameterValue.InvalidTimeFormat` |
//!
//! The creation times are written `YYYY-MM-DD hh:mm:ss`. The docs do not give their
//! time zone; the emulator reads them as Beijing time (UTC+8), as the console shows
//! times. Any other name is refused with `InvalidFilter`; more than 10 filters with
//! `InvalidParameterValue.LimitExceeded`, more than 5 values with
//! `InvalidFilterValue.LimitExceeded`, none with `InvalidParameterValue`.

use std::net::{Ipv4Addr, Ipv6Addr};

use tencentcloud_cvm_core::utc_time::parse_utc;
use tencentcloud_cvm_core::InstanceId;

use crate::api::auth::shown;
use crate::api::error::ApiError;
use crate::fleet::instance::{region_of_zone, InstanceView};

/// The most filters one request may hold.
pub(crate) const MAX_FILTERS: usize = 10;
/// The most values one filter may hold.
pub(crate) const MAX_VALUES: usize = 5;

/// Beijing time is 8 hours ahead of UTC.
const BEIJING_OFFSET: u64 = 8 * 3600;

/// What a filter compares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Field {
    Zone,
    ProjectId,
    HostId,
    DedicatedClusterId,
    VpcId,
    SubnetId,
    InstanceId,
    Uuid,
    SecurityGroupId,
    InstanceName,
    InstanceChargeType,
    InstanceState,
    PrivateIpAddress,
    PublicIpAddress,
    Ipv6Address,
    TagKey,
    TagValue,
    Tag(String),
    CreationStartTime,
    CreationEndTime,
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "zone" => Field::Zone,
            "project-id" => Field::ProjectId,
            "host-id" => Field::HostId,
            "dedicated-cluster-id" => Field::DedicatedClusterId,
            "vpc-id" => Field::VpcId,
            "subnet-id" => Field::SubnetId,
            "instance-id" => Field::InstanceId,
            "uuid" => Field::Uuid,
            "security-group-id" => Field::SecurityGroupId,
            "instance-name" => Field::InstanceName,
            "instance-charge-type" => Field::InstanceChargeType,
            "instance-state" => Field::InstanceState,
            "private-ip-address" => Field::PrivateIpAddress,
            "public-ip-address" => Field::PublicIpAddress,
            "ipv6-address" => Field::Ipv6Address,
            "tag-key" => Field::TagKey,
            "tag-value" => Field::TagValue,
            "creation-start-time" => Field::CreationStartTime,
            "creation-end-time" => Field::CreationEndTime,
            _ => match name.strip_prefix("tag:") {
                Some(key) if !key.is_empty() => Field::Tag(key.to_owned()),
                _ => return None,
            },
        })
    }
}

/// One checked filter: what it compares and the values, any of which matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Filter {
    field: Field,
    values: Vec<String>,
    /// The values as Unix seconds, for the creation-time filters.
    times: Vec<u64>,
}

/// `Name.Values` as the request gave them.
pub(crate) type RawFilter = (String, Vec<String>);

/// Checks the request's filters, in order, for a request to `region`.
pub(crate) fn parse(raw: Vec<RawFilter>, region: Option<&str>) -> Result<Vec<Filter>, ApiError> {
    if raw.len() > MAX_FILTERS {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            format!(
                "At most {MAX_FILTERS} filters may be given, not {}.",
                raw.len()
            ),
        ));
    }
    raw.into_iter()
        .map(|(name, values)| Filter::parse(name, values, region))
        .collect()
}

impl Filter {
    fn parse(name: String, values: Vec<String>, region: Option<&str>) -> Result<Filter, ApiError> {
        let field = Field::parse(&name).ok_or_else(|| {
            ApiError::new(
                "InvalidFilter",
                format!("The filter name `{}` is not supported.", shown(&name)),
            )
        })?;
        if values.is_empty() {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("The filter `{}` has no values.", shown(&name)),
            ));
        }
        if values.len() > MAX_VALUES {
            return Err(ApiError::new(
                "InvalidFilterValue.LimitExceeded",
                format!(
                    "The filter `{}` has {} values; at most {MAX_VALUES} are allowed.",
                    shown(&name),
                    values.len()
                ),
            ));
        }
        let mut times = Vec::new();
        for value in &values {
            let bad = |code: &'static str, what: &str| {
                Err(ApiError::new(
                    code,
                    format!(
                        "The value `{}` of the filter `{}` is not {what}.",
                        shown(value),
                        shown(&name)
                    ),
                ))
            };
            match &field {
                Field::Zone => {
                    let in_region = match region {
                        Some(region) => region_of_zone(value) == Some(region),
                        None => region_of_zone(value).is_some(),
                    };
                    if !in_region {
                        return bad("InvalidZone.MismatchRegion", "a zone of this region");
                    }
                }
                Field::ProjectId if value.parse::<u64>().is_err() => {
                    return bad("InvalidParameterValue", "a project ID (an integer)");
                }
                Field::HostId if !resource_id(value, "host-") => {
                    return bad("InvalidHostId.Malformed", "a CDH ID (host-xxxxxxxx)");
                }
                Field::VpcId if !resource_id(value, "vpc-") => {
                    return bad(
                        "InvalidParameterValue.VpcIdMalformed",
                        "a VPC ID (vpc-xxxxxxxx)",
                    );
                }
                Field::SubnetId if !resource_id(value, "subnet-") => {
                    return bad(
                        "InvalidParameterValue.SubnetIdMalformed",
                        "a subnet ID (subnet-xxxxxxxx)",
                    );
                }
                Field::InstanceId if InstanceId::parse(value).is_err() => {
                    return bad(
                        "InvalidInstanceId.Malformed",
                        "an instance ID (ins-xxxxxxxx)",
                    );
                }
                Field::Uuid if !is_uuid(value) => {
                    return bad("InvalidParameterValue.UuidMalformed", "a UUID");
                }
                Field::SecurityGroupId if !resource_id(value, "sg-") => {
                    return bad("InvalidSgId.Malformed", "a security group ID (sg-xxxxxxxx)");
                }
                Field::InstanceName if value.is_empty() => {
                    return bad(
                        "InvalidParameterValue.InvalidVagueName",
                        "a name to search for",
                    );
                }
                Field::PrivateIpAddress | Field::PublicIpAddress
                    if value.parse::<Ipv4Addr>().is_err() =>
                {
                    return bad("InvalidParameterValue.IPAddressMalformed", "an IP address");
                }
                Field::Ipv6Address if value.parse::<Ipv6Addr>().is_err() => {
                    return bad(
                        "InvalidParameterValue.IPv6AddressMalformed",
                        "an IPv6 address",
                    );
                }
                Field::CreationStartTime | Field::CreationEndTime => match beijing_time(value) {
                    Some(t) => times.push(t),
                    None => {
                        return bad(
                            "InvalidParameterValue.InvalidTimeFormat",
                            "a time written YYYY-MM-DD hh:mm:ss",
                        )
                    }
                },
                _ => {}
            }
        }
        Ok(Filter {
            field,
            values,
            times,
        })
    }

    /// Whether `view`, created at `created` (Unix seconds), matches any of the values.
    pub(crate) fn matches(&self, view: &InstanceView, created: u64) -> bool {
        let any = |actual: &str| self.values.iter().any(|v| v == actual);
        let any_of = |list: &[String]| list.iter().any(|a| any(a));
        match &self.field {
            Field::Zone => view.zone.as_deref().is_some_and(any),
            Field::ProjectId => self
                .values
                .iter()
                .any(|v| v.parse::<u64>().ok() == Some(view.project_id)),
            Field::HostId
            | Field::DedicatedClusterId
            | Field::SecurityGroupId
            | Field::Ipv6Address => false,
            Field::VpcId => view.vpc_id.as_deref().is_some_and(any),
            Field::SubnetId => view.subnet_id.as_deref().is_some_and(any),
            Field::InstanceId => any(&view.id),
            Field::Uuid => any(&uuid_of(&view.id)),
            Field::InstanceName => self.values.iter().any(|v| view.name.contains(v.as_str())),
            Field::InstanceChargeType => any(view.charge_type.as_str()),
            Field::InstanceState => any(view.state.as_str()),
            Field::PrivateIpAddress => any_of(&view.private_ip_addresses),
            Field::PublicIpAddress => any_of(&view.public_ip_addresses),
            Field::TagKey => view.tags.iter().any(|t| any(&t.key)),
            Field::TagValue => view.tags.iter().any(|t| any(&t.value)),
            Field::Tag(key) => view.tags.iter().any(|t| &t.key == key && any(&t.value)),
            Field::CreationStartTime => self.times.iter().any(|t| created >= *t),
            Field::CreationEndTime => self.times.iter().any(|t| created <= *t),
        }
    }
}

/// `prefix` and 8 lowercase letters or digits, as resource IDs are written.
fn resource_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits.
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time, as Unix seconds.
fn beijing_time(value: &str) -> Option<u64> {
    let (date, time) = value.split_once(' ')?;
    parse_utc(&format!("{date}T{time}Z"))?.checked_sub(BEIJING_OFFSET)
}

/// The `Uuid` the emulator gives an instance: derived from its ID, so it is stable.
pub(crate) fn uuid_of(id: &str) -> String {
    let hash = |seed: u64| {
        id.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
        })
    };
    let (a, b) = (hash(0xCBF2_9CE4_8422_2325), hash(0x84222325_CBF29CE4));
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        b >> 52,
        b & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_cvm_core::{ChargeType, InstanceState};

    fn raw(name: &str, values: &[&str]) -> RawFilter {
        (
            name.to_owned(),
            values.iter().map(|v| v.to_string()).collect(),
        )
    }

    fn one(name: &str, values: &[&str]) -> Filter {
        parse(vec![raw(name, values)], Some("ap-guangzhou"))
            .unwrap()
            .remove(0)
    }

    fn code(filters: Vec<RawFilter>) -> String {
        parse(filters, Some("ap-guangzhou"))
            .unwrap_err()
            .code()
            .to_owned()
    }

    #[test]
    fn every_documented_name_is_accepted() {
        for (name, value) in [
            ("zone", "ap-guangzhou-6"),
            ("project-id", "0"),
            ("host-id", "host-abcd1234"),
            ("dedicated-cluster-id", "cluster-xxxxxxx"),
            ("vpc-id", "vpc-abcd1234"),
            ("subnet-id", "subnet-abcd1234"),
            ("instance-id", "ins-abcd1234"),
            ("uuid", "0123abcd-0123-4567-89ab-0123456789ab"),
            ("security-group-id", "sg-8jlk3f3r"),
            ("instance-name", "web"),
            ("instance-charge-type", "PREPAID"),
            ("instance-state", "RUNNING"),
            ("private-ip-address", "10.0.0.1"),
            ("public-ip-address", "203.0.113.9"),
            ("ipv6-address", "2001:db8::1"),
            ("tag-key", "team"),
            ("tag-value", "ci"),
            ("tag:team", "ci"),
            ("creation-start-time", "2023-06-01 00:00:00"),
            ("creation-end-time", "2023-06-01 08:00:00"),
        ] {
            assert!(
                parse(vec![raw(name, &[value])], Some("ap-guangzhou")).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn documented_refusals() {
        let eleven = vec![raw("tag-key", &["a"]); 11];
        assert_eq!(code(eleven), "InvalidParameterValue.LimitExceeded");
        assert!(parse(vec![raw("tag-key", &["a"]); 10], None).is_ok());
        assert_eq!(
            code(vec![raw("tag-key", &["a", "b", "c", "d", "e", "f"])]),
            "InvalidFilterValue.LimitExceeded"
        );
        for (name, value, expected) in [
            ("instance-type", "S5.MEDIUM2", "InvalidFilter"),
            ("Zone", "ap-guangzhou-6", "InvalidFilter"),
            ("tag:", "x", "InvalidFilter"),
            ("zone", "ap-shanghai-2", "InvalidZone.MismatchRegion"),
            ("zone", "ap-guangzhou", "InvalidZone.MismatchRegion"),
            ("project-id", "x", "InvalidParameterValue"),
            ("host-id", "host-1122", "InvalidHostId.Malformed"),
            ("vpc-id", "vpc-1", "InvalidParameterValue.VpcIdMalformed"),
            (
                "subnet-id",
                "sub-abcd1234",
                "InvalidParameterValue.SubnetIdMalformed",
            ),
            ("instance-id", "ins-1122", "InvalidInstanceId.Malformed"),
            ("uuid", "not-a-uuid", "InvalidParameterValue.UuidMalformed"),
            ("security-group-id", "sg-ide32", "InvalidSgId.Malformed"),
            (
                "instance-name",
                "",
                "InvalidParameterValue.InvalidVagueName",
            ),
            (
                "private-ip-address",
                "10.0.0",
                "InvalidParameterValue.IPAddressMalformed",
            ),
            (
                "public-ip-address",
                "::1",
                "InvalidParameterValue.IPAddressMalformed",
            ),
            (
                "ipv6-address",
                "10.0.0.1",
                "InvalidParameterValue.IPv6AddressMalformed",
            ),
            (
                "creation-start-time",
                "2023-06-01T00:00:00Z",
                "InvalidParameterValue.InvalidTimeFormat",
            ),
            (
                "creation-end-time",
                "2023-02-30 00:00:00",
                "InvalidParameterValue.InvalidTimeFormat",
            ),
        ] {
            assert_eq!(code(vec![raw(name, &[value])]), expected, "{name}={value}");
        }
        assert_eq!(code(vec![raw("zone", &[])]), "InvalidParameterValue");
        // Hostile names are shown escaped and cut.
        let long = format!("\u{1b}[31m{}", "x".repeat(500));
        let e = parse(vec![raw(&long, &["a"])], None).unwrap_err();
        assert!(!e.message().contains('\u{1b}') && e.message().len() < 300);
    }

    #[test]
    fn matching() {
        let v = InstanceView::new("ins-abcd1234")
            .with_name("web-frontend-1")
            .with_zone("ap-guangzhou-6")
            .with_project_id(1002189)
            .with_tag("team", "web")
            .with_tag("env", "prod")
            .with_charge_type(ChargeType::Prepaid)
            .with_state(InstanceState::Stopped)
            .with_private_ip("10.0.0.7")
            .with_public_ip("203.0.113.9")
            .with_vpc("vpc-abcd1234", "subnet-abcd1234");
        let created = 1_700_000_000; // 2023-11-15 06:13:20 Beijing time
        let yes = |name: &str, values: &[&str]| one(name, values).matches(&v, created);
        assert!(yes("zone", &["ap-guangzhou-3", "ap-guangzhou-6"]));
        assert!(!yes("zone", &["ap-guangzhou-3"]));
        assert!(yes("project-id", &["1002189"]));
        assert!(yes("instance-name", &["frontend"]));
        assert!(!yes("instance-name", &["Frontend"]));
        assert!(yes("instance-charge-type", &["PREPAID"]));
        assert!(!yes("instance-charge-type", &["prepaid"]));
        assert!(yes("instance-state", &["RUNNING", "STOPPED"]));
        assert!(yes("tag:team", &["ci", "web"]));
        assert!(!yes("tag:team", &["prod"]));
        assert!(yes("tag-key", &["env"]));
        assert!(yes("tag-value", &["prod"]));
        assert!(!yes("tag-key", &["prod"]));
        assert!(yes("private-ip-address", &["10.0.0.7"]));
        assert!(yes("public-ip-address", &["203.0.113.9"]));
        assert!(yes("vpc-id", &["vpc-abcd1234"]));
        assert!(yes("subnet-id", &["subnet-abcd1234"]));
        assert!(yes("instance-id", &["ins-abcd1234"]));
        assert!(yes("uuid", &[&uuid_of("ins-abcd1234")]));
        assert!(!yes("host-id", &["host-abcd1234"]));
        assert!(yes("creation-start-time", &["2023-11-15 06:13:20"]));
        assert!(!yes("creation-start-time", &["2023-11-15 06:13:21"]));
        assert!(yes("creation-end-time", &["2023-11-15 06:13:20"]));
        assert!(!yes("creation-end-time", &["2023-11-15 06:13:19"]));
        assert!(is_uuid(&uuid_of("ins-00000000")));
        assert_ne!(uuid_of("ins-00000000"), uuid_of("ins-00000001"));
    }
}
