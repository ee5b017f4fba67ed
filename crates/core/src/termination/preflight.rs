//! What a fresh read of an instance says about terminating it: the verdict a
//! preflight reaches, and the one a refused batch is re-read with.

use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_state::InstanceState;
use crate::termination::termination_check::TerminationCheck;

/// The verdict on one instance, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send TerminateInstances for it.
    Ready,
    /// Do not send: the service would refuse it with `code`.
    Fail { code: ErrorCode, message: String },
    /// Do not send: a prepaid instance already in the recycle bin, which a
    /// second call would destroy.
    Skip { message: String },
}

/// The verdict on an instance from its read (`None`: the read did not return it).
///
/// | read | verdict |
/// | --- | --- |
/// | absent | fail, `InvalidInstanceId.NotFound` |
/// | `DisableApiTermination` true | fail, `UnsupportedOperation.InstancesProtected` |
/// | a state TerminateInstances refuses | fail, that state's code |
/// | prepaid in `SHUTDOWN` (the recycle bin) | skip, unless `destroy_prepaid` |
/// | anything else (an unknown state too: only the service can say) | ready |
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
    let (Some(state), Some(charge)) = (&instance.instance_state, &instance.instance_charge_type)
    else {
        return Verdict::Ready;
    };
    match state.termination_check(charge) {
        TerminationCheck::Refused(code) => Verdict::Fail {
            code,
            message: format!(
                "the instance is {}, a state TerminateInstances refuses; not sent",
                state.as_str().escape_debug()
            ),
        },
        TerminationCheck::Allowed if charge.is_prepaid() && *state == InstanceState::Shutdown => {
            if destroy_prepaid {
                Verdict::Ready
            } else {
                Verdict::Skip {
                    message: "prepaid and already in the recycle bin (SHUTDOWN): another \
                              TerminateInstances would destroy it; not sent without the \
                              explicit destroy-prepaid option"
                        .to_owned(),
                }
            }
        }
        _ => Verdict::Ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Instance {
        serde_json::from_str(json).unwrap()
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
        let stopping = read(
            r#"{"InstanceId":"ins-00000001","InstanceState":"STOPPING","InstanceChargeType":"PREPAID"}"#,
        );
        assert!(matches!(
            assess(Some(&stopping), false),
            Verdict::Fail {
                code: ErrorCode::UnsupportedOperationInstanceStateStopping,
                ..
            }
        ));
        let binned = read(
            r#"{"InstanceId":"ins-00000001","InstanceState":"SHUTDOWN","InstanceChargeType":"PREPAID"}"#,
        );
        assert!(matches!(assess(Some(&binned), false), Verdict::Skip { .. }));
        assert_eq!(assess(Some(&binned), true), Verdict::Ready);
        for ready in [
            r#"{"InstanceId":"ins-00000001","InstanceState":"RUNNING","InstanceChargeType":"PREPAID"}"#,
            r#"{"InstanceId":"ins-00000001","InstanceState":"STOPPED","InstanceChargeType":"POSTPAID_BY_HOUR"}"#,
            r#"{"InstanceId":"ins-00000001","InstanceState":"HIBERNATING","InstanceChargeType":"PREPAID"}"#,
            r#"{"InstanceId":"ins-00000001"}"#,
        ] {
            assert_eq!(assess(Some(&read(ready)), false), Verdict::Ready, "{ready}");
        }
    }
}
