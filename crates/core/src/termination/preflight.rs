//! What a fresh read of an instance says about terminating it: the verdict a
//! preflight reaches, and the one a refused batch is re-read with.
//!
//! It fails closed: an instance is sent only when its read proves it safe, and every
//! value that decides it must be one the API documents, spelled exactly.
//!
//! # Charge types
//!
//! | `InstanceChargeType` | judged as | in `SHUTDOWN` |
//! | --- | --- | --- |
//! | `POSTPAID_BY_HOUR` | released at once by TerminateInstances (documented) | not sent: TerminateInstances refuses it (`UnsupportedOperation.InstanceStateShutdown`) |
//! | `PREPAID` | prepaid-like: the first TerminateInstances moves it to the recycle bin, a second destroys it (documented) | in the recycle bin: skipped, sent (destroyed) only with `destroy_prepaid` |
//! | `SPOTPAID`, `CDHPAID`, `CDCPAID` | prepaid-like: documented values, but not documented to be released at once | counted as in the recycle bin: skipped, sent only with `destroy_prepaid` |
//! | `UNDERWRITE`, any other value, a documented value in another spelling (`prepaid`), empty, `null`, missing | unknown | not sent, whatever the state: failed, `FailClosed.UnknownChargeType` |
//!
//! # States
//!
//! | `InstanceState` | judged as |
//! | --- | --- |
//! | `RUNNING`, `STOPPED` | terminable: sent |
//! | `SHUTDOWN` | by charge type (above) |
//! | `PENDING`, `LAUNCH_FAILED`, `STARTING`, `STOPPING`, `REBOOTING`, `TERMINATING`, `ENTER_RESCUE_MODE`, `RESCUE_MODE`, `EXIT_RESCUE_MODE`, `ENTER_SERVICE_LIVE_MIGRATE`, `SERVICE_LIVE_MIGRATE`, `EXIT_SERVICE_LIVE_MIGRATE` (the documented states), and `TERMINATED`, `ISOLATING`, `FREEZING`, `BANNING` (named by TerminateInstances' error table) | refused by TerminateInstances: not sent, failed with the state's `UnsupportedOperation.InstanceState*` code |
//! | any other value, another spelling (`running`), empty, `null`, missing | unknown: not sent, failed, `FailClosed.UnknownState` |
//!
//! # The verdict, in order
//!
//! | read | verdict |
//! | --- | --- |
//! | absent | fail, `InvalidInstanceId.NotFound` |
//! | `DisableApiTermination` true | fail, `UnsupportedOperation.InstancesProtected` |
//! | state unknown | fail, `FailClosed.UnknownState` |
//! | charge type unknown | fail, `FailClosed.UnknownChargeType` |
//! | `SHUTDOWN`, prepaid-like | skip, unless `destroy_prepaid` (the deliberate destroy) |
//! | a state TerminateInstances refuses | fail, that state's code |
//! | `RUNNING` or `STOPPED`, `LatestOperation` TerminateInstances, its state neither `SUCCESS` nor `FAILED` | fail, `FailClosed.TerminateInProgress` (another run is terminating it) |
//! | `RUNNING` or `STOPPED` | ready |
//!
//! (That the read itself is sound, one entry for the ID and a `TotalCount` that
//! agrees, is checked before: see `read_check`.)

use crate::actions::Action;
use crate::model::charge_type::ChargeType;
use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_state::InstanceState;
use crate::model::latest_operation_state::LatestOperationState;
use crate::termination::evidence::is_prepaid_like;
use crate::termination::termination_check::TerminationCheck;

/// The verdict on one instance, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send TerminateInstances for it.
    Ready,
    /// Do not send: the service would refuse it with `code`, or (a
    /// [`ClientCode`]) the read does not prove it safe.
    Fail { code: ErrorCode, message: String },
    /// Do not send: in the recycle bin (or counted as in it), where a second call
    /// would destroy it.
    Skip { message: String },
}

impl Verdict {
    pub(crate) fn client(code: ClientCode, message: String) -> Verdict {
        Verdict::Fail {
            code: ErrorCode::Client(code),
            message,
        }
    }
}

/// How a field's value reads in a message: quoted and escaped, or `null or missing`.
pub(crate) fn shown(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("\"{}\"", v.escape_debug()),
        None => "null or missing".to_owned(),
    }
}

/// The read's state, if it is a documented one spelled exactly.
pub(crate) fn known_state(read: &Instance) -> Option<&InstanceState> {
    read.instance_state.as_ref().filter(|s| s.is_known())
}

/// The read's charge type, if it is a documented one spelled exactly.
pub(crate) fn known_charge_type(read: &Instance) -> Option<&ChargeType> {
    read.instance_charge_type.as_ref().filter(|c| c.is_known())
}

/// Whether the read's latest operation is a TerminateInstances that has not
/// finished (`OPERATING`, or a state this crate does not know, or none).
pub(crate) fn terminate_in_progress(read: &Instance) -> bool {
    read.latest_operation.as_deref() == Some(Action::TerminateInstances.name())
        && !matches!(
            read.latest_operation_state,
            Some(LatestOperationState::Success | LatestOperationState::Failed)
        )
}

/// The verdict on an instance from its read (`None`: the read did not return it).
/// See the module docs for the tables.
pub(crate) fn assess(read: Option<&Instance>, destroy_prepaid: bool) -> Verdict {
    let Some(instance) = read else {
        return Verdict::Fail {
            code: ErrorCode::InvalidInstanceIdNotFound,
            message: "the instance does not exist (not returned by DescribeInstances); not sent"
                .to_owned(),
        };
    };
    if instance.disable_api_termination == Some(true) {
        return Verdict::Fail {
            code: ErrorCode::UnsupportedOperationInstancesProtected,
            message: "termination protection is on (DisableApiTermination); not sent".to_owned(),
        };
    }
    let Some(state) = known_state(instance) else {
        let seen = instance.instance_state.as_ref().map(|s| s.as_str());
        return Verdict::client(
            ClientCode::UnknownState,
            format!(
                "the read shows InstanceState {}, not a documented state spelled exactly; not sent",
                shown(seen)
            ),
        );
    };
    let Some(charge) = known_charge_type(instance) else {
        let seen = instance.instance_charge_type.as_ref().map(|c| c.as_str());
        return Verdict::client(
            ClientCode::UnknownChargeType,
            format!(
                "the read shows InstanceChargeType {}, not a documented charge type spelled \
                 exactly; not sent",
                shown(seen)
            ),
        );
    };
    if *state == InstanceState::Shutdown && is_prepaid_like(Some(charge)) {
        return if destroy_prepaid {
            Verdict::Ready
        } else {
            Verdict::Skip {
                message: format!(
                    "{charge} and SHUTDOWN: in the recycle bin (or counted as in it), where \
                     another TerminateInstances would destroy it; not sent without the explicit \
                     destroy-prepaid option"
                ),
            }
        };
    }
    match state.termination_check(charge) {
        TerminationCheck::Allowed if terminate_in_progress(instance) => {
            let op_state = instance.latest_operation_state.as_ref().map(|s| s.as_str());
            Verdict::client(
                ClientCode::TerminateInProgress,
                format!(
                    "its latest operation is a TerminateInstances ({}, RequestId {}) that has \
                     not finished: another run may be terminating it; not sent",
                    shown(op_state),
                    shown(instance.latest_operation_request_id.as_deref())
                ),
            )
        }
        TerminationCheck::Allowed => Verdict::Ready,
        TerminationCheck::Refused(code) => Verdict::Fail {
            code,
            message: format!(
                "the instance is {}, a state TerminateInstances refuses; not sent",
                state.as_str().escape_debug()
            ),
        },
        // Both values are known here, so the check always predicts; should a new
        // combination ever be unpredictable, it is not sent.
        TerminationCheck::Unpredictable => Verdict::client(
            ClientCode::UnknownState,
            format!(
                "what TerminateInstances does with {state} and {charge} is not known; not sent"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Instance {
        serde_json::from_str(json).unwrap()
    }

    fn with(state: &str, charge: &str) -> Instance {
        read(&format!(
            r#"{{"InstanceId":"ins-00000001","InstanceState":{state},"InstanceChargeType":{charge}}}"#
        ))
    }

    fn code(v: &Verdict) -> Option<&str> {
        match v {
            Verdict::Fail { code, .. } => Some(code.as_str()),
            _ => None,
        }
    }

    #[test]
    fn each_row_of_the_table() {
        assert!(matches!(
            assess(None, false),
            Verdict::Fail {
                code: ErrorCode::InvalidInstanceIdNotFound,
                ..
            }
        ));
        let protected = read(
            r#"{"InstanceId":"ins-00000001","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR","DisableApiTermination":true}"#,
        );
        assert!(matches!(
            assess(Some(&protected), true),
            Verdict::Fail {
                code: ErrorCode::UnsupportedOperationInstancesProtected,
                ..
            }
        ));
        let stopping = with(r#""STOPPING""#, r#""PREPAID""#);
        assert!(matches!(
            assess(Some(&stopping), false),
            Verdict::Fail {
                code: ErrorCode::UnsupportedOperationInstanceStateStopping,
                ..
            }
        ));
        let binned = with(r#""SHUTDOWN""#, r#""PREPAID""#);
        assert!(matches!(assess(Some(&binned), false), Verdict::Skip { .. }));
        assert_eq!(assess(Some(&binned), true), Verdict::Ready);
        for ready in [
            with(r#""RUNNING""#, r#""PREPAID""#),
            with(r#""STOPPED""#, r#""POSTPAID_BY_HOUR""#),
            with(r#""RUNNING""#, r#""SPOTPAID""#),
        ] {
            assert_eq!(assess(Some(&ready), false), Verdict::Ready, "{ready:?}");
        }
    }

    #[test]
    fn unknown_or_misspelt_values_are_never_sent() {
        for (state, charge, expected) in [
            (
                r#""HIBERNATING""#,
                r#""PREPAID""#,
                "FailClosed.UnknownState",
            ),
            (
                r#""running""#,
                r#""POSTPAID_BY_HOUR""#,
                "FailClosed.UnknownState",
            ),
            ("null", r#""POSTPAID_BY_HOUR""#, "FailClosed.UnknownState"),
            (r#""""#, r#""POSTPAID_BY_HOUR""#, "FailClosed.UnknownState"),
            (
                r#""SHUTDOWN""#,
                r#""UNDERWRITE""#,
                "FailClosed.UnknownChargeType",
            ),
            (
                r#""RUNNING""#,
                r#""prepaid""#,
                "FailClosed.UnknownChargeType",
            ),
            (r#""SHUTDOWN""#, "null", "FailClosed.UnknownChargeType"),
            (r#""RUNNING""#, r#""""#, "FailClosed.UnknownChargeType"),
        ] {
            for destroy in [false, true] {
                let v = assess(Some(&with(state, charge)), destroy);
                assert_eq!(code(&v), Some(expected), "{state} {charge}: {v:?}");
            }
        }
        let missing = read(r#"{"InstanceId":"ins-00000001"}"#);
        assert_eq!(
            code(&assess(Some(&missing), false)),
            Some("FailClosed.UnknownState")
        );
        let Verdict::Fail { message, .. } = assess(Some(&with(r#""running""#, "null")), false)
        else {
            panic!()
        };
        assert!(message.contains(r#""running""#), "{message}");
    }

    #[test]
    fn shutdown_counts_as_the_recycle_bin_unless_released_at_once() {
        for charge in ["PREPAID", "SPOTPAID", "CDHPAID", "CDCPAID"] {
            let i = with(r#""SHUTDOWN""#, &format!(r#""{charge}""#));
            assert!(
                matches!(assess(Some(&i), false), Verdict::Skip { .. }),
                "{charge}"
            );
            assert_eq!(assess(Some(&i), true), Verdict::Ready, "{charge}");
        }
        let postpaid = with(r#""SHUTDOWN""#, r#""POSTPAID_BY_HOUR""#);
        for destroy in [false, true] {
            assert_eq!(
                code(&assess(Some(&postpaid), destroy)),
                Some("UnsupportedOperation.InstanceStateShutdown")
            );
        }
    }

    #[test]
    fn a_terminate_in_progress_is_not_sent_again() {
        let op = |state: &str| {
            read(&format!(
                r#"{{"InstanceId":"ins-00000001","InstanceState":"RUNNING","InstanceChargeType":"PREPAID",
                    "LatestOperation":"TerminateInstances","LatestOperationState":{state},"LatestOperationRequestId":"r-other"}}"#
            ))
        };
        for busy in [r#""OPERATING""#, "null", r#""operating""#] {
            assert_eq!(
                code(&assess(Some(&op(busy)), true)),
                Some("FailClosed.TerminateInProgress"),
                "{busy}"
            );
        }
        // A terminate that failed left it running: it may be sent.
        assert_eq!(assess(Some(&op(r#""FAILED""#)), false), Verdict::Ready);
    }
}
