//! [`InstanceFilter`]: one checked `{"Name", "Values"}` of DescribeInstances'
//! `Filters`, and whether an instance read back agrees with it ([`FilterMatch`]).

use std::collections::HashSet;
use std::net::IpAddr;

use crate::error::validation_error::{clipped, ValidationError};
use crate::model::instance::Instance;
use crate::model::instance_filter_name::InstanceFilterName;
use crate::model::utc_time::parse_wall_clock;

/// Whether an instance, as read, satisfies a filter.
///
/// The service did the selecting; this is the client's check of what came back, so
/// that a service (or a proxy, or an emulator) that ignored or misread a filter cannot
/// widen a selection unnoticed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterMatch {
    /// The fields read satisfy the filter.
    Yes,
    /// The fields read contradict the filter: the service should not have listed it.
    No,
    /// The read cannot tell: a field is absent or `null`, or the filter's matching is
    /// not documented closely enough (`instance-name`, the creation-time bounds near
    /// the bound).
    Unknown,
}

impl FilterMatch {
    /// All of several (AND): `No` if any is, else `Unknown` if any is, else `Yes`.
    pub fn and(self, other: FilterMatch) -> FilterMatch {
        match (self, other) {
            (FilterMatch::No, _) | (_, FilterMatch::No) => FilterMatch::No,
            (FilterMatch::Unknown, _) | (_, FilterMatch::Unknown) => FilterMatch::Unknown,
            (FilterMatch::Yes, FilterMatch::Yes) => FilterMatch::Yes,
        }
    }

    fn from_bool(matches: bool) -> FilterMatch {
        if matches {
            FilterMatch::Yes
        } else {
            FilterMatch::No
        }
    }
}

/// How far a creation-time bound may be from `CreatedTime` before the client calls it
/// a contradiction: the bound's time zone is not documented (UTC−12 to UTC+14 are
/// possible), and it bounds the creation *request*, which precedes `CreatedTime`.
pub(crate) const CREATION_TIME_SLACK: u64 = 15 * 3600;

/// One filter: a name and 1 to [`max_values`](InstanceFilterName::max_values) distinct
/// values, each in the form the name documents. An instance matches the filter when it
/// matches any of the values.
///
/// The rules, in the order checked (as for [`InstanceIdList`](crate::InstanceIdList)):
///
/// | rule | error |
/// | --- | --- |
/// | a documented name, or `tag:` and a key | [`ValidationError::UnknownFilter`] |
/// | at least one value | [`ValidationError::NoFilterValues`] |
/// | at most 5 values (1 for a creation-time bound) | [`ValidationError::TooManyFilterValues`] |
/// | every value in the name's form (see [`InstanceFilterName`]) | [`ValidationError::InvalidFilterValue`] (the first) |
/// | no value twice | [`ValidationError::DuplicateFilterValue`] (the first) |
///
/// ```
/// use tencentcloud_cvm_core::{InstanceFilter, InstanceFilterName, ValidationError};
/// let zones = InstanceFilter::new("zone", ["ap-guangzhou-3", "ap-guangzhou-4"])?;
/// assert_eq!(zones.name(), &InstanceFilterName::Zone);
/// let team = InstanceFilter::tag("team", ["ci"])?;
/// assert_eq!(team.name().to_string(), "tag:team");
/// let e = InstanceFilter::new("vpc-id", ["vpc-123"]).unwrap_err();
/// assert_eq!(e.code().as_str(), "InvalidParameterValue.VpcIdMalformed");
/// assert!(matches!(
///     InstanceFilter::new("instance-state", ["running"]),
///     Err(ValidationError::InvalidFilterValue { .. })
/// ));
/// # Ok::<(), ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstanceFilter {
    name: InstanceFilterName,
    values: Vec<String>,
}

impl InstanceFilter {
    /// A filter by its wire name (`zone`, `tag:team`, …) and values.
    pub fn new<I, S>(name: &str, values: I) -> Result<InstanceFilter, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        InstanceFilter::with_name(InstanceFilterName::parse(name)?, values)
    }

    /// `tag:<key>` with these values: instances whose tag `key` has one of them.
    pub fn tag<I, S>(key: &str, values: I) -> Result<InstanceFilter, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        InstanceFilter::new(&format!("{}{key}", InstanceFilterName::TAG_PREFIX), values)
    }

    /// A filter by its typed name.
    pub fn with_name<I, S>(
        name: InstanceFilterName,
        values: I,
    ) -> Result<InstanceFilter, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let max = name.max_values();
        // Take one more than allowed: enough to refuse, without reading an endless list.
        let values: Vec<String> = values.into_iter().take(max + 1).map(Into::into).collect();
        if values.is_empty() {
            return Err(ValidationError::NoFilterValues(name));
        }
        if values.len() > max {
            return Err(ValidationError::TooManyFilterValues {
                filter: name,
                count: values.len(),
                max,
            });
        }
        for value in &values {
            if let Err(expected) = name.check_value(value) {
                return Err(ValidationError::InvalidFilterValue {
                    filter: name,
                    value: clipped(value),
                    expected,
                });
            }
        }
        let mut seen = HashSet::with_capacity(values.len());
        if let Some(dup) = values.iter().find(|v| !seen.insert(v.as_str())) {
            return Err(ValidationError::DuplicateFilterValue {
                value: clipped(dup),
                filter: name,
            });
        }
        Ok(InstanceFilter { name, values })
    }

    /// The name.
    pub fn name(&self) -> &InstanceFilterName {
        &self.name
    }

    /// The values, in the order given (any of them matches).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Whether `instance`, as read, agrees with this filter (see [`FilterMatch`]).
    ///
    /// Text fields compare exactly (a UUID ignoring case), addresses as addresses
    /// (`::1` equals `0:0:0:0:0:0:0:1`). `instance-name` answers `Yes` when the name
    /// contains a value and `Unknown` otherwise (the service's fuzzy match is not
    /// documented). A creation-time bound answers `No` only when `CreatedTime` is more
    /// than 15 hours on the wrong side of it (its time zone is not documented).
    ///
    /// ```
    /// use tencentcloud_cvm_core::{FilterMatch, Instance, InstanceFilter};
    /// let i: Instance = serde_json::from_str(
    ///     r#"{"InstanceId": "ins-r8hr2upy", "Tags": [{"Key": "team", "Value": "ci"}]}"#)?;
    /// assert_eq!(InstanceFilter::tag("team", ["ci", "web"])?.matches(&i), FilterMatch::Yes);
    /// assert_eq!(InstanceFilter::tag("team", ["web"])?.matches(&i), FilterMatch::No);
    /// // No `Placement` in this read: the zone cannot be checked.
    /// assert_eq!(InstanceFilter::new("zone", ["ap-guangzhou-3"])?.matches(&i), FilterMatch::Unknown);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, instance: &Instance) -> FilterMatch {
        use InstanceFilterName as N;
        let any = |actual: Option<&str>| match actual {
            Some(actual) => FilterMatch::from_bool(self.values.iter().any(|v| v == actual)),
            None => FilterMatch::Unknown,
        };
        let any_in = |list: Option<&Vec<String>>, same: fn(&str, &str) -> bool| match list {
            Some(list) => {
                FilterMatch::from_bool(list.iter().any(|a| self.values.iter().any(|v| same(v, a))))
            }
            None => FilterMatch::Unknown,
        };
        let tags = instance.tags.as_deref();
        let any_tag = |wanted: &dyn Fn(&crate::Tag) -> bool| match tags {
            Some(tags) => FilterMatch::from_bool(tags.iter().any(wanted)),
            None => FilterMatch::Unknown,
        };
        match &self.name {
            N::Zone => any(instance.zone()),
            N::ProjectId => match instance.project_id() {
                Some(id) => {
                    FilterMatch::from_bool(self.values.iter().any(|v| v.parse::<u64>() == Ok(id)))
                }
                None => FilterMatch::Unknown,
            },
            N::HostId => any(instance
                .placement
                .as_ref()
                .and_then(|p| p.host_id.as_deref())),
            N::DedicatedClusterId => any(instance.dedicated_cluster_id.as_deref()),
            N::VpcId => any(instance.vpc_id()),
            N::SubnetId => any(instance.subnet_id()),
            N::InstanceId => any(Some(instance.instance_id.as_str())),
            N::Uuid => match instance.uuid.as_deref() {
                Some(uuid) => {
                    FilterMatch::from_bool(self.values.iter().any(|v| v.eq_ignore_ascii_case(uuid)))
                }
                None => FilterMatch::Unknown,
            },
            N::SecurityGroupId => any_in(instance.security_group_ids.as_ref(), |v, a| v == a),
            N::InstanceName => match instance.instance_name.as_deref() {
                Some(name) if self.values.iter().any(|v| name.contains(v.as_str())) => {
                    FilterMatch::Yes
                }
                _ => FilterMatch::Unknown,
            },
            N::InstanceChargeType => {
                any(instance.instance_charge_type.as_ref().map(|c| c.as_str()))
            }
            N::InstanceState => any(instance.instance_state.as_ref().map(|s| s.as_str())),
            N::PrivateIpAddress => any_in(instance.private_ip_addresses.as_ref(), same_address),
            N::PublicIpAddress => any_in(instance.public_ip_addresses.as_ref(), same_address),
            N::Ipv6Address => any_in(instance.ipv6_addresses.as_ref(), same_address),
            N::TagKey => any_tag(&|t| self.values.contains(&t.key)),
            N::TagValue => any_tag(&|t| self.values.contains(&t.value)),
            N::Tag(key) => any_tag(&|t| &t.key == key && self.values.contains(&t.value)),
            N::CreationStartTime => self.creation_bound(instance, |created, bound| {
                (
                    created >= bound + CREATION_TIME_SLACK,
                    created + CREATION_TIME_SLACK < bound,
                )
            }),
            N::CreationEndTime => self.creation_bound(instance, |created, bound| {
                (
                    created + CREATION_TIME_SLACK <= bound,
                    created > bound + CREATION_TIME_SLACK,
                )
            }),
        }
    }

    /// A creation-time bound: `judge(created, bound)` says (surely inside, surely outside).
    fn creation_bound(
        &self,
        instance: &Instance,
        judge: fn(u64, u64) -> (bool, bool),
    ) -> FilterMatch {
        let (Some(created), Some(bound)) = (
            instance.created_at(),
            self.values.first().and_then(|v| parse_wall_clock(v)),
        ) else {
            return FilterMatch::Unknown;
        };
        match judge(created, bound) {
            (true, _) => FilterMatch::Yes,
            (_, true) => FilterMatch::No,
            _ => FilterMatch::Unknown,
        }
    }

    /// Appends `{"Name":…,"Values":[…]}`.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"Name\":");
        write_json_string(out, &self.name.to_string());
        out.extend_from_slice(b",\"Values\":[");
        for (i, value) in self.values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json_string(out, value);
        }
        out.extend_from_slice(b"]}");
    }
}

/// The same address, compared as addresses when both parse, else as text.
fn same_address(wanted: &str, actual: &str) -> bool {
    match (wanted.parse::<IpAddr>(), actual.parse::<IpAddr>()) {
        (Ok(w), Ok(a)) => w == a,
        _ => wanted == actual,
    }
}

/// Appends `text` as a JSON string.
fn write_json_string(out: &mut Vec<u8>, text: &str) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::ErrorCode;

    fn instance(json: &str) -> Instance {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_in_order() {
        assert_eq!(
            InstanceFilter::new("zonE", ["x"]),
            Err(ValidationError::UnknownFilter {
                name: "zonE".into()
            })
        );
        assert_eq!(
            InstanceFilter::new("zone", Vec::<String>::new()),
            Err(ValidationError::NoFilterValues(InstanceFilterName::Zone))
        );
        // Too many is reported before a malformed value.
        let e = InstanceFilter::new("tag-key", ["a", "b", "c", "d", "e", ""]).unwrap_err();
        assert_eq!(
            e,
            ValidationError::TooManyFilterValues {
                filter: InstanceFilterName::TagKey,
                count: 6,
                max: 5
            }
        );
        assert_eq!(e.code(), ErrorCode::InvalidFilterValueLimitExceeded);
        assert!(InstanceFilter::new("tag-key", ["a", "b", "c", "d", "e"]).is_ok());
        // An endless list is refused without being read to its end.
        let endless = std::iter::repeat("a");
        assert!(matches!(
            InstanceFilter::new("tag-key", endless),
            Err(ValidationError::TooManyFilterValues { count: 6, .. })
        ));
        let e = InstanceFilter::new(
            "creation-start-time",
            ["2023-06-01 00:00:00", "2023-06-02 00:00:00"],
        )
        .unwrap_err();
        assert!(
            matches!(e, ValidationError::TooManyFilterValues { max: 1, .. }),
            "{e}"
        );
        // The first malformed value, then duplicates.
        let e = InstanceFilter::new("vpc-id", ["vpc-00000001", "vpc-1", "vpc-2"]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidParameterValueVpcIdMalformed);
        assert!(e.to_string().contains("`vpc-1`"), "{e}");
        assert!(e.to_string().contains("vpc- and 8 lowercase"), "{e}");
        let e = InstanceFilter::new("zone", ["ap-guangzhou-3", "ap-guangzhou-3"]).unwrap_err();
        assert_eq!(
            e,
            ValidationError::DuplicateFilterValue {
                filter: InstanceFilterName::Zone,
                value: "ap-guangzhou-3".into()
            }
        );
        // Values from a caller are shortened and escaped in messages.
        let long = format!("\u{1b}[31m{}", "x".repeat(200));
        let e = InstanceFilter::new("instance-state", [long.as_str()]).unwrap_err();
        let text = e.to_string();
        assert!(
            !text.contains('\u{1b}') && text.contains('…') && text.len() < 400,
            "{text}"
        );
        let e = InstanceFilter::new(&format!("tag{long}"), ["x"]).unwrap_err();
        assert!(!e.to_string().contains('\u{1b}'));
    }

    #[test]
    fn json() {
        let f = InstanceFilter::tag("team \"x\"\n", ["ci", "未命名"]).unwrap();
        let mut out = Vec::new();
        f.write_json(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"Name":"tag:team \"x\"\n","Values":["ci","未命名"]}"#
        );
    }

    #[test]
    fn matching() {
        use FilterMatch::*;
        let full = instance(
            r#"{"InstanceId":"ins-00000001","InstanceName":"ci-runner-7","InstanceState":"RUNNING",
                "InstanceChargeType":"UNDERWRITE",
                "Placement":{"Zone":"ap-guangzhou-3","ProjectId":1002189,"HostId":"host-00000001"},
                "DedicatedClusterId":"cluster-abc","Uuid":"68B510DB-b4c1-4630-a62b-73d0c7c970f9",
                "SecurityGroupIds":["sg-00000001","sg-00000002"],
                "PrivateIpAddresses":["10.0.0.7"],"PublicIpAddresses":["203.0.113.9"],
                "IPv6Addresses":["2001:db8:0:0:0:0:0:1"],
                "VirtualPrivateCloud":{"VpcId":"vpc-00000001","SubnetId":"subnet-00000001"},
                "Tags":[{"Key":"team","Value":"ci"},{"Key":"env","Value":""}],
                "CreatedTime":"2023-06-01T12:00:00Z"}"#,
        );
        let empty = instance(r#"{"InstanceId":"ins-00000001"}"#);
        let cases: &[(&str, &[&str], FilterMatch, FilterMatch)] = &[
            ("zone", &["ap-guangzhou-4", "ap-guangzhou-3"], Yes, Unknown),
            ("zone", &["ap-guangzhou-4"], No, Unknown),
            ("project-id", &["1002189"], Yes, Unknown),
            ("project-id", &["0"], No, Unknown),
            ("host-id", &["host-00000001"], Yes, Unknown),
            ("host-id", &["host-00000002"], No, Unknown),
            ("dedicated-cluster-id", &["cluster-abc"], Yes, Unknown),
            ("vpc-id", &["vpc-00000001"], Yes, Unknown),
            ("vpc-id", &["vpc-00000002"], No, Unknown),
            ("subnet-id", &["subnet-00000002"], No, Unknown),
            ("instance-id", &["ins-00000001"], Yes, Yes),
            ("instance-id", &["ins-00000002"], No, No),
            (
                "uuid",
                &["68b510db-b4c1-4630-a62b-73d0c7c970f9"],
                Yes,
                Unknown,
            ),
            ("security-group-id", &["sg-00000002"], Yes, Unknown),
            ("security-group-id", &["sg-00000003"], No, Unknown),
            ("instance-name", &["runner"], Yes, Unknown),
            ("instance-name", &["web"], Unknown, Unknown),
            ("instance-charge-type", &["PREPAID"], No, Unknown),
            ("instance-state", &["RUNNING"], Yes, Unknown),
            ("instance-state", &["STOPPED"], No, Unknown),
            ("private-ip-address", &["10.0.0.7"], Yes, Unknown),
            ("public-ip-address", &["10.0.0.7"], No, Unknown),
            ("ipv6-address", &["2001:db8::1"], Yes, Unknown),
            ("tag-key", &["env"], Yes, Unknown),
            ("tag-key", &["owner"], No, Unknown),
            ("tag-value", &[""], Yes, Unknown),
            ("tag-value", &["web"], No, Unknown),
            ("tag:team", &["web", "ci"], Yes, Unknown),
            ("tag:team", &["web"], No, Unknown),
            ("tag:env", &["ci"], No, Unknown),
            ("tag:owner", &["ci"], No, Unknown),
            (
                "creation-start-time",
                &["2023-05-31 00:00:00"],
                Yes,
                Unknown,
            ),
            (
                "creation-start-time",
                &["2023-06-01 12:00:00"],
                Unknown,
                Unknown,
            ),
            ("creation-start-time", &["2023-06-02 03:00:01"], No, Unknown),
            (
                "creation-start-time",
                &["2023-06-02 03:00:00"],
                Unknown,
                Unknown,
            ),
            ("creation-end-time", &["2023-06-02 03:00:00"], Yes, Unknown),
            (
                "creation-end-time",
                &["2023-06-01 00:00:00"],
                Unknown,
                Unknown,
            ),
            ("creation-end-time", &["2023-05-31 20:59:59"], No, Unknown),
        ];
        for (name, values, on_full, on_empty) in cases {
            let f = InstanceFilter::new(name, values.iter().copied()).unwrap();
            assert_eq!(f.matches(&full), *on_full, "{name} {values:?}");
            assert_eq!(
                f.matches(&empty),
                *on_empty,
                "{name} {values:?} on an empty read"
            );
        }
        let no_tags = instance(r#"{"InstanceId":"ins-00000001","Tags":[]}"#);
        assert_eq!(
            InstanceFilter::tag("team", ["ci"])
                .unwrap()
                .matches(&no_tags),
            No
        );
    }

    #[test]
    fn and() {
        use FilterMatch::*;
        assert_eq!(Yes.and(Yes), Yes);
        assert_eq!(Yes.and(Unknown), Unknown);
        assert_eq!(Unknown.and(No), No);
        assert_eq!(No.and(Yes), No);
    }
}
