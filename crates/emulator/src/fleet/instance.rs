//! Instances as the emulator models them: state, charge type, termination protection,
//! prepaid term and price, and the latest operation.

use tencentcloud_cvm_core::{ChargeType, InstanceState, IsolatedSource, LatestOperationState};

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
        }
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

    /// The first value the emulator does not model (an `Unknown` state or charge type),
    /// if any.
    pub(crate) fn unmodelled_value(&self) -> Option<String> {
        if !self.state.is_known() {
            return Some(format!("instance state `{}`", self.state));
        }
        if !self.charge_type.is_known() {
            return Some(format!("charge type `{}`", self.charge_type));
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
        assert_eq!(odd.unmodelled_value().as_deref(), Some("charge type `X`"));
    }
}
