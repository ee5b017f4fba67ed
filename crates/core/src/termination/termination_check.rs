//! [`TerminationCheck`]: what TerminateInstances does with an instance in a given
//! state and charge type, known before anything is sent.
//!
//! This is the one place that maps states to the `UnsupportedOperation.InstanceState*`
//! codes; the emulator answers with it, and a preflight can predict with it.

use crate::model::charge_type::ChargeType;
use crate::model::error_code::ErrorCode;
use crate::model::instance_state::InstanceState;

/// TerminateInstances' verdict on one instance, judged from its state and charge type.
///
/// | state | charge type | verdict |
/// | --- | --- | --- |
/// | `RUNNING`, `STOPPED` | any | allowed |
/// | `SHUTDOWN` | `PREPAID` | allowed: the call *destroys* the instance (it is in the recycle bin) |
/// | `SHUTDOWN` | another known one | `UnsupportedOperation.InstanceStateShutdown` |
/// | `SHUTDOWN` | unknown | unpredictable |
/// | `RESCUE_MODE` | any | `UnsupportedOperation.InstanceStateRescueMode` |
/// | any other documented state `X_Y` | any | `UnsupportedOperation.InstanceStateXY` |
/// | an unknown state | any | unpredictable |
///
/// The `InstanceStateShutdown` and `InstanceStateRescueMode` codes are not in
/// TerminateInstances' own error table (the CVM API uses them for other actions); they
/// are this crate's model of the answer. Every other code is from that table.
///
/// ```
/// use tencentcloud_cvm_core::{ChargeType, ErrorCode, InstanceState, TerminationCheck};
/// let check = |s: &str, c: &str| InstanceState::parse(s).termination_check(&ChargeType::parse(c));
/// assert_eq!(check("RUNNING", "POSTPAID_BY_HOUR"), TerminationCheck::Allowed);
/// assert_eq!(check("SHUTDOWN", "PREPAID"), TerminationCheck::Allowed);
/// assert_eq!(
///     check("STOPPING", "PREPAID"),
///     TerminationCheck::Refused(ErrorCode::UnsupportedOperationInstanceStateStopping),
/// );
/// assert_eq!(check("HIBERNATING", "PREPAID"), TerminationCheck::Unpredictable);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TerminationCheck {
    /// The state allows termination.
    Allowed,
    /// The service refuses the whole request with this code.
    Refused(ErrorCode),
    /// The state or charge type is one this crate does not know: only the service can say.
    Unpredictable,
}

impl InstanceState {
    /// TerminateInstances' verdict on an instance in this state, billed as `charge_type`.
    /// See [`TerminationCheck`] for the table.
    pub fn termination_check(&self, charge_type: &ChargeType) -> TerminationCheck {
        use ErrorCode as E;
        use InstanceState as S;
        let code = match self {
            S::Running | S::Stopped => return TerminationCheck::Allowed,
            S::Shutdown if charge_type.is_prepaid() => return TerminationCheck::Allowed,
            S::Shutdown if !charge_type.is_known() => return TerminationCheck::Unpredictable,
            S::Shutdown => E::UnsupportedOperationInstanceStateShutdown,
            S::Pending => E::UnsupportedOperationInstanceStatePending,
            S::LaunchFailed => E::UnsupportedOperationInstanceStateLaunchFailed,
            S::Starting => E::UnsupportedOperationInstanceStateStarting,
            S::Stopping => E::UnsupportedOperationInstanceStateStopping,
            S::Rebooting => E::UnsupportedOperationInstanceStateRebooting,
            S::Terminating => E::UnsupportedOperationInstanceStateTerminating,
            S::Terminated => E::UnsupportedOperationInstanceStateTerminated,
            S::Isolating => E::UnsupportedOperationInstanceStateIsolating,
            S::Freezing => E::UnsupportedOperationInstanceStateFreezing,
            S::Banning => E::UnsupportedOperationInstanceStateBanning,
            S::EnterRescueMode => E::UnsupportedOperationInstanceStateEnterRescueMode,
            S::RescueMode => E::UnsupportedOperationInstanceStateRescueMode,
            S::ExitRescueMode => E::UnsupportedOperationInstanceStateExitRescueMode,
            S::EnterServiceLiveMigrate => {
                E::UnsupportedOperationInstanceStateEnterServiceLiveMigrate
            }
            S::ServiceLiveMigrate => E::UnsupportedOperationInstanceStateServiceLiveMigrate,
            S::ExitServiceLiveMigrate => E::UnsupportedOperationInstanceStateExitServiceLiveMigrate,
            S::Unknown(_) => return TerminationCheck::Unpredictable,
        };
        TerminationCheck::Refused(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::Disposition;

    #[test]
    fn every_refusing_state_has_its_own_final_code() {
        let mut codes = std::collections::HashSet::new();
        for state in InstanceState::ALL {
            for charge in ChargeType::ALL {
                match state.termination_check(charge) {
                    TerminationCheck::Refused(code) => {
                        assert!(
                            code.as_str()
                                .starts_with("UnsupportedOperation.InstanceState"),
                            "{code}"
                        );
                        assert_eq!(code.disposition(), Disposition::Final);
                        // The code names the state: `ENTER_RESCUE_MODE` -> `EnterRescueMode`.
                        let camel: String = state
                            .as_str()
                            .split('_')
                            .map(|w| w[..1].to_owned() + &w[1..].to_ascii_lowercase())
                            .collect();
                        assert!(code.as_str().ends_with(&camel), "{state} -> {code}");
                        codes.insert(code);
                    }
                    TerminationCheck::Allowed => assert!(
                        matches!(state, InstanceState::Running | InstanceState::Stopped)
                            || (*state == InstanceState::Shutdown && charge.is_prepaid()),
                        "{state} {charge}"
                    ),
                    TerminationCheck::Unpredictable => panic!("{state} {charge}"),
                }
            }
        }
        // All documented states but RUNNING and STOPPED refuse, each with its own code.
        assert_eq!(codes.len(), InstanceState::ALL.len() - 2);
    }

    #[test]
    fn unknown_values_are_unpredictable() {
        let unknown_state = InstanceState::parse("HIBERNATING");
        let unknown_charge = ChargeType::parse("NEWPAID");
        assert_eq!(
            unknown_state.termination_check(&ChargeType::Prepaid),
            TerminationCheck::Unpredictable
        );
        // Whether SHUTDOWN is the recycle bin depends on the charge type.
        assert_eq!(
            InstanceState::Shutdown.termination_check(&unknown_charge),
            TerminationCheck::Unpredictable
        );
        // RUNNING is terminable whatever the billing.
        assert_eq!(
            InstanceState::Running.termination_check(&unknown_charge),
            TerminationCheck::Allowed
        );
        assert_eq!(
            InstanceState::Stopping.termination_check(&unknown_charge),
            TerminationCheck::Refused(ErrorCode::UnsupportedOperationInstanceStateStopping)
        );
    }
}
