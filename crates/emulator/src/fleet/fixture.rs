//! Instance fixtures: a JSON list of instances to start the emulator with.

use std::fmt;
use std::path::Path;

use std::net::Ipv4Addr;
use std::time::Duration;

use serde::Deserialize;
use tencentcloud_cvm_core::utc_time::parse_utc;
use tencentcloud_cvm_core::{
    Amount, ChargeType, InstanceState, IsolatedSource, LatestOperationState,
};

use crate::fleet::billing;
use crate::fleet::instance::{CreatedTime, InstanceView};

/// A list of instances read from JSON, in the field names `DescribeInstances` uses.
///
/// The document is either a list or an object with an `Instances` list. Each entry:
///
/// | field | default | notes |
/// | --- | --- | --- |
/// | `InstanceId` | required | `ins-` and 8 lowercase letters or digits |
/// | `InstanceName` | the ID | |
/// | `InstanceState` | `RUNNING` | any documented state |
/// | `InstanceChargeType` | `POSTPAID_BY_HOUR` | `PREPAID`, `POSTPAID_BY_HOUR`, `SPOTPAID`, `CDHPAID`, `CDCPAID`, `UNDERWRITE` |
/// | `DisableApiTermination` | `false` | termination protection |
/// | `InstanceType` | `S5.MEDIUM2` | |
/// | `Placement` | none: visible in every region | `{"Zone": "ap-guangzhou-6", "ProjectId": 0}`; an instance with a zone is visible only in its zone's region |
/// | `ProjectId` | 0 | the same as `Placement.ProjectId` (give one of them) |
/// | `Tags` | none | `[{"Key": "team", "Value": "ci"}]` |
/// | `CreatedTime` | the emulator's start | `YYYY-MM-DDThh:mm:ssZ` (or `+00:00`), or relative to the emulator's start: `-2d`, `-1h`, `-30m`, `-90s` (the emulator's own form, so a fixture stays "2 days old" whenever it runs) |
/// | `PrivateIpAddresses`, `PublicIpAddresses` | none | lists of IPv4 addresses |
/// | `VirtualPrivateCloud` | none | `{"VpcId": "vpc-xxxxxxxx", "SubnetId": "subnet-xxxxxxxx"}` |
/// | `ExpiredTime` | none | `YYYY-MM-DDThh:mm:ssZ`; `PREPAID` and `UNDERWRITE` only |
/// | `MonthlyPrice` | 100 | the emulator's own field: the price per 30 days the refund is computed from, at most 2 decimals; `PREPAID` only |
/// | `IsolatedSource` | `MANMADE` for a `PREPAID` or `UNDERWRITE` instance in `SHUTDOWN` (in the recycle bin), else `NOTISOLATED` | |
/// | `LatestOperation`, `LatestOperationState`, `LatestOperationRequestId` | none | |
///
/// Unknown fields and values are rejected, so a typo cannot silently change a test.
///
/// ```
/// use tencentcloud_cvm_emulator::{ChargeType, CreatedTime, Fixture, InstanceState};
/// use std::time::Duration;
/// let fixture = Fixture::from_json(r#"{"Instances": [
///     {"InstanceId": "ins-00000001", "InstanceName": "web-1",
///      "Placement": {"Zone": "ap-guangzhou-6"}, "Tags": [{"Key": "team", "Value": "web"}],
///      "CreatedTime": "-2d"},
///     {"InstanceId": "ins-00000002", "InstanceState": "STOPPED",
///      "InstanceChargeType": "PREPAID", "DisableApiTermination": true,
///      "ExpiredTime": "2030-01-01T00:00:00Z", "MonthlyPrice": 45.5,
///      "CreatedTime": "2023-11-14T22:13:20Z"}
/// ]}"#)?;
/// let [first, second] = fixture.instances() else { unreachable!() };
/// assert_eq!(first.region(), Some("ap-guangzhou"));
/// assert_eq!(first.tag("team"), Some("web"));
/// assert_eq!(first.created_time, Some(CreatedTime::Ago(Duration::from_secs(2 * 86_400))));
/// assert_eq!(second.state, InstanceState::Stopped);
/// assert_eq!(second.charge_type, ChargeType::Prepaid);
/// assert!(second.termination_protection);
/// assert_eq!(second.expired_time, Some(1_893_456_000));
/// assert_eq!(second.monthly_price_cents, 4_550);
/// assert_eq!(second.created_time, Some(CreatedTime::At(1_700_000_000)));
/// assert_eq!(first.name, "web-1");
/// # Ok::<(), tencentcloud_cvm_emulator::FixtureError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fixture {
    instances: Vec<InstanceView>,
}

/// Why a fixture could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum FixtureError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The JSON is malformed or does not describe instances.
    Json(serde_json::Error),
    /// A value is unknown or does not fit its instance (a state, a charge type, a time,
    /// a price).
    Value(String),
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixtureError::Io(_) => f.write_str("cannot read the fixture file"),
            FixtureError::Json(_) => {
                f.write_str("the fixture is not valid JSON describing instances")
            }
            FixtureError::Value(e) => write!(f, "invalid fixture value: {e}"),
        }
    }
}

impl std::error::Error for FixtureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FixtureError::Io(e) => Some(e),
            FixtureError::Json(e) => Some(e),
            FixtureError::Value(_) => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapper {
    #[serde(rename = "Instances")]
    instances: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(rename = "InstanceId")]
    id: String,
    #[serde(rename = "InstanceName", default)]
    name: Option<String>,
    #[serde(rename = "InstanceState", default)]
    state: Option<String>,
    #[serde(rename = "InstanceChargeType", default)]
    charge_type: Option<String>,
    #[serde(rename = "DisableApiTermination", default)]
    protected: bool,
    #[serde(rename = "ExpiredTime", default)]
    expired_time: Option<String>,
    #[serde(rename = "MonthlyPrice", default)]
    monthly_price: Option<Amount>,
    #[serde(rename = "InstanceType", default)]
    instance_type: Option<String>,
    #[serde(rename = "Placement", default)]
    placement: Option<PlacementEntry>,
    #[serde(rename = "ProjectId", default)]
    project_id: Option<u64>,
    #[serde(rename = "Tags", default)]
    tags: Option<Vec<TagEntry>>,
    #[serde(rename = "CreatedTime", default)]
    created_time: Option<String>,
    #[serde(rename = "PrivateIpAddresses", default)]
    private_ips: Option<Vec<String>>,
    #[serde(rename = "PublicIpAddresses", default)]
    public_ips: Option<Vec<String>>,
    #[serde(rename = "VirtualPrivateCloud", default)]
    vpc: Option<VpcEntry>,
    #[serde(rename = "IsolatedSource", default)]
    isolated_source: Option<String>,
    #[serde(rename = "LatestOperation", default)]
    latest_operation: Option<String>,
    #[serde(rename = "LatestOperationState", default)]
    latest_operation_state: Option<String>,
    #[serde(rename = "LatestOperationRequestId", default)]
    latest_operation_request_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacementEntry {
    #[serde(rename = "Zone", default)]
    zone: Option<String>,
    #[serde(rename = "ProjectId", default)]
    project_id: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TagEntry {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Value")]
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VpcEntry {
    #[serde(rename = "VpcId")]
    vpc_id: String,
    #[serde(rename = "SubnetId")]
    subnet_id: String,
}

/// `CreatedTime`: an absolute time, or one relative to the emulator's start.
fn created_time(text: &str) -> Option<CreatedTime> {
    if let Some(ago) = text.strip_prefix('-') {
        let unit = ago.chars().last()?;
        let digits = &ago[..ago.len() - unit.len_utf8()];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        let seconds = match unit {
            'd' => n.checked_mul(86_400)?,
            'h' => n.checked_mul(3_600)?,
            'm' => n.checked_mul(60)?,
            's' => n,
            _ => return None,
        };
        return Some(CreatedTime::Ago(Duration::from_secs(seconds)));
    }
    let utc = match text.strip_suffix("+00:00") {
        Some(base) => parse_utc(&format!("{base}Z")),
        None => parse_utc(text),
    };
    utc.map(CreatedTime::At)
}

impl Entry {
    fn into_view(self) -> Result<InstanceView, FixtureError> {
        let bad = |what: String| FixtureError::Value(format!("{}: {what}", self.id));
        let mut view =
            InstanceView::new(self.id.clone()).with_termination_protection(self.protected);
        if let Some(name) = &self.name {
            view = view.with_name(name.clone());
        }
        if let Some(s) = &self.state {
            view = view.with_state(InstanceState::parse(s));
        }
        if let Some(c) = &self.charge_type {
            view = view.with_charge_type(ChargeType::parse(c));
        }
        if let Some(t) = &self.instance_type {
            view = view.with_instance_type(t.clone());
        }
        if let Some(p) = &self.placement
            && let Some(zone) = &p.zone
        {
            view = view.with_zone(zone.clone());
        }
        let project = (
            self.placement.as_ref().and_then(|p| p.project_id),
            self.project_id,
        );
        match project {
            (Some(a), Some(b)) if a != b => {
                return Err(bad(format!(
                    "Placement.ProjectId {a} and ProjectId {b} disagree"
                )))
            }
            (Some(p), _) | (None, Some(p)) => view = view.with_project_id(p),
            (None, None) => {}
        }
        for tag in self.tags.iter().flatten() {
            if tag.key.is_empty() {
                return Err(bad("a tag has an empty Key".to_owned()));
            }
            view = view.with_tag(tag.key.clone(), tag.value.clone());
        }
        if let Some(t) = &self.created_time {
            view.created_time = Some(created_time(t).ok_or_else(|| {
                bad(format!(
                    "CreatedTime `{}` is neither YYYY-MM-DDThh:mm:ssZ nor -Nd, -Nh, -Nm, -Ns",
                    t.escape_default()
                ))
            })?);
        }
        let addresses = [
            ("PrivateIpAddresses", &self.private_ips),
            ("PublicIpAddresses", &self.public_ips),
        ];
        for (field, ips) in addresses {
            for ip in ips.iter().flatten() {
                if ip.parse::<Ipv4Addr>().is_err() {
                    return Err(bad(format!(
                        "{field}: `{}` is not an IPv4 address",
                        ip.escape_default()
                    )));
                }
                view = if field == "PrivateIpAddresses" {
                    view.with_private_ip(ip.clone())
                } else {
                    view.with_public_ip(ip.clone())
                };
            }
        }
        if let Some(vpc) = &self.vpc {
            view = view.with_vpc(vpc.vpc_id.clone(), vpc.subnet_id.clone());
        }
        // Escaping the whole text escapes only the value: the rest is plain words.
        if let Some(what) = view.unmodelled_value() {
            return Err(bad(format!("unknown {}", what.escape_default())));
        }
        let recycled = billing::recycled(&view.charge_type);
        if view.state == InstanceState::Shutdown && recycled {
            view.isolated_source = IsolatedSource::Manmade;
        }
        if let Some(source) = &self.isolated_source {
            view.isolated_source = IsolatedSource::parse(source);
            if !view.isolated_source.is_known() {
                return Err(bad(format!(
                    "unknown IsolatedSource `{}`",
                    source.escape_default()
                )));
            }
        }
        view.latest_operation = self.latest_operation.clone();
        view.latest_operation_request_id = self.latest_operation_request_id.clone();
        if let Some(state) = &self.latest_operation_state {
            let parsed = LatestOperationState::parse(state);
            if !parsed.is_known() {
                return Err(bad(format!(
                    "unknown LatestOperationState `{}`",
                    state.escape_default()
                )));
            }
            view.latest_operation_state = Some(parsed);
        }
        let prepaid_only = |field: &str| bad(format!("{field} is for PREPAID instances only"));
        if let Some(t) = &self.expired_time {
            if !recycled {
                return Err(bad(
                    "ExpiredTime is for PREPAID and UNDERWRITE instances only".to_owned(),
                ));
            }
            let at = parse_utc(t).ok_or_else(|| {
                bad(format!(
                    "ExpiredTime `{}` is not YYYY-MM-DDThh:mm:ssZ",
                    t.escape_default()
                ))
            })?;
            view = view.with_expired_time(at);
        }
        if let Some(price) = &self.monthly_price {
            if !view.charge_type.is_prepaid() {
                return Err(prepaid_only("MonthlyPrice"));
            }
            let cents = price
                .units_at_scale(2)
                .and_then(|c| u64::try_from(c).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "MonthlyPrice {price} is not a non-negative amount with at most 2 decimals"
                    ))
                })?;
            view = view.with_monthly_price_cents(cents);
        }
        Ok(view)
    }
}

impl Fixture {
    /// Parses a fixture document.
    pub fn from_json(text: &str) -> Result<Self, FixtureError> {
        // Told apart by their first character rather than by an untagged enum, which
        // would buffer the values and lose the exact text prices are read from.
        let entries = if text.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<Entry>>(text)
        } else {
            serde_json::from_str::<Wrapper>(text).map(|w| w.instances)
        }
        .map_err(FixtureError::Json)?;
        let instances = entries
            .into_iter()
            .map(Entry::into_view)
            .collect::<Result<_, _>>()?;
        Ok(Fixture { instances })
    }

    /// The example fleet of `fixtures/fleet.json` (shipped with the crate): 13
    /// instances over ap-guangzhou, ap-shanghai and ap-beijing, tagged `team=ci` or
    /// `team=web`, created 2 days or 1 hour before the emulator starts, one protected,
    /// one already in the recycle bin.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::Fixture;
    /// assert_eq!(Fixture::example().instances().len(), 13);
    /// ```
    pub fn example() -> Self {
        // Checked by this crate's tests: it parses.
        Self::from_json(include_str!("../../fixtures/fleet.json")).unwrap_or(Fixture {
            instances: Vec::new(),
        })
    }

    /// Reads and parses a fixture file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(FixtureError::Io)?;
        Self::from_json(&text)
    }

    /// The instances, in file order. IDs are checked when the emulator is built.
    pub fn instances(&self) -> &[InstanceView] {
        &self.instances
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_list_with_defaults() {
        let f = Fixture::from_json(r#"[{"InstanceId":"ins-aaaaaaaa"}]"#).unwrap();
        assert_eq!(f.instances(), &[InstanceView::new("ins-aaaaaaaa")]);
    }

    #[test]
    fn describe_instances_fields() {
        let f = Fixture::from_json(
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceType":"SA2.MEDIUM4",
                "Placement":{"Zone":"ap-shanghai-2","ProjectId":7},
                "Tags":[{"Key":"team","Value":"ci"},{"Key":"env","Value":""}],
                "CreatedTime":"2020-09-22T00:00:00+00:00",
                "PrivateIpAddresses":["10.0.0.7"],"PublicIpAddresses":["203.0.113.9"],
                "VirtualPrivateCloud":{"VpcId":"vpc-abcd1234","SubnetId":"subnet-abcd1234"}},
               {"InstanceId":"ins-bbbbbbbb","InstanceChargeType":"UNDERWRITE",
                "InstanceState":"SHUTDOWN","ProjectId":3,"CreatedTime":"-1h",
                "PublicIpAddresses":null,
                "LatestOperation":"TerminateInstances","LatestOperationState":"SUCCESS",
                "LatestOperationRequestId":"r-1"}]"#,
        )
        .unwrap();
        let [a, b] = f.instances() else {
            panic!("two instances")
        };
        let expected = InstanceView::new("ins-aaaaaaaa")
            .with_instance_type("SA2.MEDIUM4")
            .with_zone("ap-shanghai-2")
            .with_project_id(7)
            .with_tag("team", "ci")
            .with_tag("env", "")
            .with_created_time(1_600_732_800)
            .with_private_ip("10.0.0.7")
            .with_public_ip("203.0.113.9")
            .with_vpc("vpc-abcd1234", "subnet-abcd1234");
        assert_eq!(a, &expected);
        assert_eq!(b.charge_type.as_str(), "UNDERWRITE");
        assert_eq!(b.isolated_source, IsolatedSource::Manmade);
        assert_eq!(b.project_id, 3);
        assert_eq!(
            b.created_time,
            Some(CreatedTime::Ago(Duration::from_secs(3600)))
        );
        assert_eq!(
            b.latest_operation_state,
            Some(LatestOperationState::Success)
        );
        assert_eq!(b.latest_operation_request_id.as_deref(), Some("r-1"));
        for (text, ago) in [("-90s", 90), ("-30m", 1_800), ("-2d", 172_800), ("-0s", 0)] {
            assert_eq!(
                created_time(text),
                Some(CreatedTime::Ago(Duration::from_secs(ago)))
            );
        }
    }

    #[test]
    fn unknown_values_are_named_escaped() {
        for (entry, expected) in [
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"O\nN"}]"#,
                "ins-aaaaaaaa: unknown instance state `O\\nN`",
            ),
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"ON","InstanceChargeType":"FREE"}]"#,
                "ins-aaaaaaaa: unknown instance state `ON`",
            ),
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"FREE"}]"#,
                "ins-aaaaaaaa: unknown charge type `FREE` (charge types: PREPAID, POSTPAID_BY_HOUR, CDHPAID, SPOTPAID, CDCPAID, UNDERWRITE)",
            ),
        ] {
            match Fixture::from_json(entry) {
                Err(FixtureError::Value(message)) => assert_eq!(message, expected),
                other => panic!("{entry}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_unknown_values_and_fields() {
        for bad in [
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"ON"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"FREE"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","ExpiredTime":"2030-01-01T00:00:00Z"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","ExpiredTime":"2030-01-01"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":1.005}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":-1}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","MonthlyPrice":10}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","Placement":{"Zone":"guangzhou"}}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","Placement":{"ProjectId":1},"ProjectId":2}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","Tags":[{"Key":"","Value":"x"}]}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","CreatedTime":"-2w"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","CreatedTime":"-d"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","CreatedTime":"-99999999999999999d"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","CreatedTime":"2 days ago"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","CreatedTime":"-1é"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","PrivateIpAddresses":["10.0.0"]}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","IsolatedSource":"ELSEWHERE"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","LatestOperationState":"DONE"}]"#,
        ] {
            let e = Fixture::from_json(bad).unwrap_err();
            assert!(matches!(e, FixtureError::Value(_)), "{bad}: {e}");
            assert!(e.to_string().contains("ins-aaaaaaaa"), "{e}");
        }
        assert!(matches!(
            Fixture::from_json(
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":"x"}]"#
            ),
            Err(FixtureError::Json(_))
        ));
        for unknown_field in [
            r#"[{"InstanceId":"ins-aaaaaaaa","Protected":true}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","Placement":{"Zone":"ap-guangzhou-1","Rack":1}}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","Tags":[{"Key":"a","Value":"b","Kind":1}]}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","VirtualPrivateCloud":{"VpcId":"vpc-1"}}]"#,
        ] {
            assert!(
                matches!(
                    Fixture::from_json(unknown_field),
                    Err(FixtureError::Json(_))
                ),
                "{unknown_field}"
            );
        }
        assert!(Fixture::from_json("{").is_err());
        assert!(Fixture::load("/nonexistent/fixture.json").is_err());
    }
}
