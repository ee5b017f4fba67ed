//! Instances as the emulator models them: state, charge type, termination protection.

use std::fmt;
use std::str::FromStr;

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

/// A value that names no known state or charge type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    value: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} `{}`", self.what, self.value)
    }
}

impl std::error::Error for ParseError {}

macro_rules! api_enum {
    (
        $(#[$meta:meta])* $name:ident, $what:literal,
        { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The name the API uses.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, ParseError> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err(ParseError { what: $what, value: s.chars().take(64).collect() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

api_enum! {
    /// An instance's `InstanceState`, as `DescribeInstances` reports it.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::InstanceState;
    /// let s: InstanceState = "ENTER_RESCUE_MODE".parse()?;
    /// assert_eq!(s, InstanceState::EnterRescueMode);
    /// # Ok::<(), tencentcloud_cvm_emulator::ParseError>(())
    /// ```
    InstanceState, "instance state",
    {
        /// Being created.
        Pending => "PENDING",
        /// Creation failed.
        LaunchFailed => "LAUNCH_FAILED",
        /// Running (terminable).
        Running => "RUNNING",
        /// Stopped (terminable).
        Stopped => "STOPPED",
        /// Starting.
        Starting => "STARTING",
        /// Stopping.
        Stopping => "STOPPING",
        /// Rebooting.
        Rebooting => "REBOOTING",
        /// In the recycle bin (terminable only when prepaid: that call destroys it).
        Shutdown => "SHUTDOWN",
        /// Being terminated; pay-as-you-go instances disappear after the terminating time.
        Terminating => "TERMINATING",
        /// Terminated.
        Terminated => "TERMINATED",
        /// Being isolated.
        Isolating => "ISOLATING",
        /// Being frozen.
        Freezing => "FREEZING",
        /// Being banned.
        Banning => "BANNING",
        /// Entering rescue mode.
        EnterRescueMode => "ENTER_RESCUE_MODE",
        /// Leaving rescue mode.
        ExitRescueMode => "EXIT_RESCUE_MODE",
        /// Entering a live migration.
        EnterServiceLiveMigrate => "ENTER_SERVICE_LIVE_MIGRATE",
        /// Leaving a live migration.
        ExitServiceLiveMigrate => "EXIT_SERVICE_LIVE_MIGRATE",
    }
}

impl InstanceState {
    /// The `UnsupportedOperation.InstanceState*` code `TerminateInstances` answers for an
    /// instance in this state, or `None` if the state allows termination for `charge_type`.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::{ChargeType, InstanceState};
    /// assert_eq!(InstanceState::Running.termination_error(ChargeType::PostpaidByHour), None);
    /// assert_eq!(InstanceState::Shutdown.termination_error(ChargeType::Prepaid), None);
    /// assert_eq!(
    ///     InstanceState::Stopping.termination_error(ChargeType::Prepaid),
    ///     Some("UnsupportedOperation.InstanceStateStopping"),
    /// );
    /// ```
    pub fn termination_error(self, charge_type: ChargeType) -> Option<&'static str> {
        use InstanceState::*;
        Some(match self {
            Running | Stopped => return None,
            Shutdown if charge_type == ChargeType::Prepaid => return None,
            Shutdown => "UnsupportedOperation.InstanceStateShutdown",
            Pending => "UnsupportedOperation.InstanceStatePending",
            LaunchFailed => "UnsupportedOperation.InstanceStateLaunchFailed",
            Starting => "UnsupportedOperation.InstanceStateStarting",
            Stopping => "UnsupportedOperation.InstanceStateStopping",
            Rebooting => "UnsupportedOperation.InstanceStateRebooting",
            Terminating => "UnsupportedOperation.InstanceStateTerminating",
            Terminated => "UnsupportedOperation.InstanceStateTerminated",
            Isolating => "UnsupportedOperation.InstanceStateIsolating",
            Freezing => "UnsupportedOperation.InstanceStateFreezing",
            Banning => "UnsupportedOperation.InstanceStateBanning",
            EnterRescueMode => "UnsupportedOperation.InstanceStateEnterRescueMode",
            ExitRescueMode => "UnsupportedOperation.InstanceStateExitRescueMode",
            EnterServiceLiveMigrate => "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
            ExitServiceLiveMigrate => "UnsupportedOperation.InstanceStateExitServiceLiveMigrate",
        })
    }
}

api_enum! {
    /// An instance's `InstanceChargeType`.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::ChargeType;
    /// assert_eq!("PREPAID".parse::<ChargeType>()?, ChargeType::Prepaid);
    /// # Ok::<(), tencentcloud_cvm_emulator::ParseError>(())
    /// ```
    ChargeType, "charge type",
    {
        /// Pay-as-you-go: terminating releases the instance (after a short `TERMINATING` phase).
        PostpaidByHour => "POSTPAID_BY_HOUR",
        /// Monthly subscription: the first termination moves it to the recycle bin
        /// (`SHUTDOWN`), the second destroys it.
        Prepaid => "PREPAID",
    }
}

/// A snapshot of one instance: what [`Emulator::instance`](crate::Emulator::instance)
/// returns and what [`EmulatorConfig::instance`](crate::EmulatorConfig::instance) takes.
///
/// ```
/// use tencentcloud_cvm_emulator::{ChargeType, InstanceState, InstanceView};
/// let v = InstanceView::new("ins-abcdefgh")
///     .with_state(InstanceState::Stopped)
///     .with_charge_type(ChargeType::Prepaid)
///     .with_termination_protection(true);
/// assert_eq!(v.state, InstanceState::Stopped);
/// assert!(v.termination_protection);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InstanceView {
    /// The instance ID, `ins-xxxxxxxx`.
    pub id: String,
    /// The current state.
    pub state: InstanceState,
    /// The charge type.
    pub charge_type: ChargeType,
    /// Termination protection (`DisableApiTermination`): `TerminateInstances` refuses it.
    pub termination_protection: bool,
}

impl InstanceView {
    /// A `RUNNING`, `POSTPAID_BY_HOUR`, unprotected instance.
    pub fn new(id: impl Into<String>) -> Self {
        InstanceView {
            id: id.into(),
            state: InstanceState::Running,
            charge_type: ChargeType::PostpaidByHour,
            termination_protection: false,
        }
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
    fn states_round_trip() {
        for s in InstanceState::ALL {
            assert_eq!(s.as_str().parse::<InstanceState>(), Ok(*s));
        }
        for c in ChargeType::ALL {
            assert_eq!(c.as_str().parse::<ChargeType>(), Ok(*c));
        }
        assert!("running".parse::<InstanceState>().is_err());
    }

    #[test]
    fn every_non_terminable_state_has_its_own_code() {
        let mut codes = std::collections::HashSet::new();
        for s in InstanceState::ALL {
            if let Some(code) = s.termination_error(ChargeType::PostpaidByHour) {
                assert!(code.starts_with("UnsupportedOperation.InstanceState"));
                assert!(codes.insert(code), "duplicate {code}");
            }
        }
        // All but RUNNING and STOPPED.
        assert_eq!(codes.len(), InstanceState::ALL.len() - 2);
    }
}
