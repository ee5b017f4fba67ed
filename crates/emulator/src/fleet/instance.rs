//! Instances as the emulator models them: state, charge type, termination protection,
//! prepaid term and price, the latest operation, and what operators select by
//! (placement, tags, creation time, name, type, network).

use std::time::Duration;

use tencentcloud_cvm_core::{ChargeType, InstanceState, IsolatedSource, LatestOperationState};

use crate::fleet::billing;

/// Whether `id` has the form the service accepts: `ins-` and 8 lowercase letters or digits.
///
/// ```
/// use tencentcloud_cvm_emulator::is_valid_instance_id;
/// assert!(is_valid_instance_id("ins-r8hr2upy"));
/// assert!(!is_valid_instance_id("ins-R8HR2UPY"));
/// assert!(!is_valid_instance_id("ins-123"));
/// ```
pub fn is_valid_instance_id(id: &str) -> bool {
    tencentcloud_cvm_core::InstanceId::parse(id).is_ok()
}

/// What a prepaid instance costs per 30 days unless told otherwise: 100.00.
pub const DEFAULT_MONTHLY_PRICE_CENTS: u64 = 10_000;

/// The `InstanceType` of an instance unless told otherwise.
pub const DEFAULT_INSTANCE_TYPE: &str = "S5.MEDIUM2";

/// A snapshot of one instance: what [`Emulator::instance`](crate::Emulator::instance)
/// returns and what [`EmulatorConfig::instance`](crate::EmulatorConfig::instance) takes.
///
/// States and charge types are the core's types; the emulator models the documented
/// values only, so building an emulator with an `Unknown` one fails.
///
/// ```
/// use tencentcloud_cvm_emulator::{ChargeType, InstanceState, InstanceView};
/// let v = InstanceView::new("ins-abcdefgh")
///     .with_state(InstanceState::Stopped)
///     .with_charge_type(ChargeType::Prepaid)
///     .with_expired_time(1_735_689_600) // 2025-01-01T00:00:00Z
///     .with_monthly_price_cents(4_500)
///     .with_termination_protection(true);
/// assert_eq!(v.state, InstanceState::Stopped);
/// assert!(v.termination_protection);
/// assert_eq!(v.name, "ins-abcdefgh");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InstanceView {
    /// The instance ID, `ins-xxxxxxxx`.
    pub id: String,
    /// `InstanceName` (by default the ID).
    pub name: String,
    /// The current state.
    pub state: InstanceState,
    /// The charge type.
    pub charge_type: ChargeType,
    /// Termination protection (`DisableApiTermination`): `TerminateInstances` refuses it.
    pub termination_protection: bool,
    /// `ExpiredTime` of a prepaid instance, in Unix seconds (`None`: not set; it is only
    /// reported for prepaid instances).
    pub expired_time: Option<u64>,
    /// What a prepaid instance costs per 30 days, in cents (the refund's base).
    pub monthly_price_cents: u64,
    /// `LatestOperation`, e.g. `TerminateInstances`.
    pub latest_operation: Option<String>,
    /// `LatestOperationState`.
    pub latest_operation_state: Option<LatestOperationState>,
    /// `LatestOperationRequestId`: the RequestId of the call that started the latest
    /// operation (set even when that call's answer was lost).
    pub latest_operation_request_id: Option<String>,
    /// `IsolatedSource`: `MANMADE` once TerminateInstances moved a prepaid instance to
    /// the recycle bin.
    pub isolated_source: IsolatedSource,
    /// `Placement.Zone`, e.g. `ap-guangzhou-6`. An instance with a zone is visible only
    /// in its zone's region (the zone without its last `-N`); one without is visible
    /// in every region.
    pub zone: Option<String>,
    /// `Placement.ProjectId` (0: the default project).
    pub project_id: u64,
    /// `InstanceType`, e.g. `S5.MEDIUM2`.
    pub instance_type: String,
    /// `Tags`, in order.
    pub tags: Vec<Tag>,
    /// `CreatedTime` (`None`: when the emulator first saw a request).
    pub created_time: Option<CreatedTime>,
    /// `PrivateIpAddresses` of the primary network interface.
    pub private_ip_addresses: Vec<String>,
    /// `PublicIpAddresses` of the primary network interface (none: `null`).
    pub public_ip_addresses: Vec<String>,
    /// `VirtualPrivateCloud.VpcId`.
    pub vpc_id: Option<String>,
    /// `VirtualPrivateCloud.SubnetId`.
    pub subnet_id: Option<String>,
}

/// A tag: `{"Key": …, "Value": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag {
    /// The key, e.g. `team`.
    pub key: String,
    /// The value, e.g. `ci`.
    pub value: String,
}

impl Tag {
    /// The tag `key=value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// When an instance was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CreatedTime {
    /// At this time (Unix seconds).
    At(u64),
    /// This long before the emulator first saw a request (its start, as its clock
    /// reads): so a fixture can say "created 2 days ago" whenever it is used.
    Ago(Duration),
}

impl CreatedTime {
    /// The creation time in Unix seconds, for an emulator that started at `start`.
    pub fn resolve(&self, start: u64) -> u64 {
        match self {
            CreatedTime::At(t) => *t,
            CreatedTime::Ago(d) => start.saturating_sub(d.as_secs()),
        }
    }
}

/// The region of an availability zone: the zone without its last `-N` (`ap-guangzhou-6`
/// is in `ap-guangzhou`, `ap-shanghai-fsi-2` in `ap-shanghai-fsi`); `None` if `zone`
/// does not end in `-N`.
///
/// ```
/// use tencentcloud_cvm_emulator::region_of_zone;
/// assert_eq!(region_of_zone("ap-guangzhou-6"), Some("ap-guangzhou"));
/// assert_eq!(region_of_zone("ap-shanghai-fsi-2"), Some("ap-shanghai-fsi"));
/// assert_eq!(region_of_zone("ap-guangzhou"), None);
/// ```
pub fn region_of_zone(zone: &str) -> Option<&str> {
    let (region, number) = zone.rsplit_once('-')?;
    (!region.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(region)
}

impl InstanceView {
    /// A `RUNNING`, `POSTPAID_BY_HOUR`, unprotected instance named after its ID, with no
    /// latest operation.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        InstanceView {
            name: id.clone(),
            id,
            state: InstanceState::Running,
            charge_type: ChargeType::PostpaidByHour,
            termination_protection: false,
            expired_time: None,
            monthly_price_cents: DEFAULT_MONTHLY_PRICE_CENTS,
            latest_operation: None,
            latest_operation_state: None,
            latest_operation_request_id: None,
            isolated_source: IsolatedSource::NotIsolated,
            zone: None,
            project_id: 0,
            instance_type: DEFAULT_INSTANCE_TYPE.to_owned(),
            tags: Vec::new(),
            created_time: None,
            private_ip_addresses: Vec::new(),
            public_ip_addresses: Vec::new(),
            vpc_id: None,
            subnet_id: None,
        }
    }

    /// In this availability zone (`Placement.Zone`), and so visible only in its region.
    pub fn with_zone(mut self, zone: impl Into<String>) -> Self {
        self.zone = Some(zone.into());
        self
    }

    /// In this project (`Placement.ProjectId`).
    pub fn with_project_id(mut self, project_id: u64) -> Self {
        self.project_id = project_id;
        self
    }

    /// Of this `InstanceType`.
    pub fn with_instance_type(mut self, instance_type: impl Into<String>) -> Self {
        self.instance_type = instance_type.into();
        self
    }

    /// With one more tag.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }

    /// Created at this time (Unix seconds).
    pub fn with_created_time(mut self, unix_seconds: u64) -> Self {
        self.created_time = Some(CreatedTime::At(unix_seconds));
        self
    }

    /// Created this long before the emulator's start (see [`CreatedTime::Ago`]).
    pub fn with_created_ago(mut self, ago: Duration) -> Self {
        self.created_time = Some(CreatedTime::Ago(ago));
        self
    }

    /// With one more private IP address on the primary network interface.
    pub fn with_private_ip(mut self, ip: impl Into<String>) -> Self {
        self.private_ip_addresses.push(ip.into());
        self
    }

    /// With one more public IP address on the primary network interface.
    pub fn with_public_ip(mut self, ip: impl Into<String>) -> Self {
        self.public_ip_addresses.push(ip.into());
        self
    }

    /// In this VPC and subnet (`VirtualPrivateCloud`).
    pub fn with_vpc(mut self, vpc_id: impl Into<String>, subnet_id: impl Into<String>) -> Self {
        self.vpc_id = Some(vpc_id.into());
        self.subnet_id = Some(subnet_id.into());
        self
    }

    /// The region its zone is in; `None` if it has no zone (visible everywhere).
    pub fn region(&self) -> Option<&str> {
        self.zone.as_deref().and_then(region_of_zone)
    }

    /// Whether a request to `region` sees it (`None`: a request naming no region sees
    /// every instance).
    pub(crate) fn visible_in(&self, region: Option<&str>) -> bool {
        match (region, &self.zone) {
            (Some(region), Some(zone)) => region_of_zone(zone) == Some(region),
            _ => true,
        }
    }

    /// The value of its tag `key`, if it has one.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
    }

    /// With another name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// With another state.
    pub fn with_state(mut self, state: InstanceState) -> Self {
        self.state = state;
        self
    }

    /// With another charge type.
    pub fn with_charge_type(mut self, charge_type: ChargeType) -> Self {
        self.charge_type = charge_type;
        self
    }

    /// With termination protection on or off.
    pub fn with_termination_protection(mut self, on: bool) -> Self {
        self.termination_protection = on;
        self
    }

    /// With this `ExpiredTime` (Unix seconds), for a prepaid instance.
    pub fn with_expired_time(mut self, unix_seconds: u64) -> Self {
        self.expired_time = Some(unix_seconds);
        self
    }

    /// With this price per 30 days, in cents, for a prepaid instance.
    pub fn with_monthly_price_cents(mut self, cents: u64) -> Self {
        self.monthly_price_cents = cents;
        self
    }

    /// The first value the emulator does not model (an `Unknown` state, a charge type
    /// it has no termination for, a zone without a region), if any.
    pub(crate) fn unmodelled_value(&self) -> Option<String> {
        if !self.state.is_known() {
            return Some(format!("instance state `{}`", self.state));
        }
        if billing::termination(&self.charge_type).is_none() {
            return Some(format!(
                "charge type `{}` (charge types: {})",
                self.charge_type,
                billing::MODELLED.join(", ")
            ));
        }
        if let Some(zone) = self.zone.as_deref().filter(|z| region_of_zone(z).is_none()) {
            return Some(format!("zone `{zone}` (not REGION-N)"));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_instance_id("ins-00000000"));
        assert!(is_valid_instance_id("ins-abcdefgh"));
        for bad in [
            "",
            "ins-",
            "ins-0000000",
            "ins-000000000",
            "INS-00000000",
            "ins_00000000",
            "ins-0000000A",
            "ins-0000000-",
            "ins-0000000é",
            " ins-00000000",
            "ins-00000000\n",
        ] {
            assert!(!is_valid_instance_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn only_documented_values_are_modelled() {
        assert_eq!(InstanceView::new("ins-00000001").unmodelled_value(), None);
        let odd = InstanceView::new("ins-00000001").with_state(InstanceState::parse("ON"));
        assert_eq!(
            odd.unmodelled_value().as_deref(),
            Some("instance state `ON`")
        );
        let odd = InstanceView::new("ins-00000001").with_charge_type(ChargeType::parse("X"));
        assert!(odd
            .unmodelled_value()
            .unwrap()
            .starts_with("charge type `X` (charge types: PREPAID"));
        let underwrite =
            InstanceView::new("ins-00000001").with_charge_type(ChargeType::parse("UNDERWRITE"));
        assert_eq!(underwrite.unmodelled_value(), None);
        let odd = InstanceView::new("ins-00000001").with_zone("guangzhou");
        assert!(odd.unmodelled_value().unwrap().contains("guangzhou"));
    }

    #[test]
    fn zones_place_instances_in_one_region() {
        let v = InstanceView::new("ins-00000001").with_zone("ap-shanghai-fsi-2");
        assert_eq!(v.region(), Some("ap-shanghai-fsi"));
        assert!(v.visible_in(Some("ap-shanghai-fsi")));
        assert!(!v.visible_in(Some("ap-shanghai")));
        assert!(v.visible_in(None));
        let everywhere = InstanceView::new("ins-00000002");
        assert!(everywhere.visible_in(Some("ap-beijing")));
        for bad in ["", "-1", "ap-", "ap-guangzhou-", "ap-guangzhou-x1"] {
            assert_eq!(region_of_zone(bad), None, "{bad}");
        }
        assert_eq!(
            CreatedTime::Ago(Duration::from_secs(60)).resolve(1_000),
            940
        );
        assert_eq!(CreatedTime::Ago(Duration::from_secs(60)).resolve(10), 0);
        assert_eq!(CreatedTime::At(5).resolve(1_000), 5);
    }
}
