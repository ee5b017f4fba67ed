//! Resolving an unknown outcome by reading: after a TerminateInstances whose
//! answer was lost, a fresh DescribeInstances says whether it acted.

use crate::actions::Action;
use crate::model::instance::Instance;
use crate::model::instance_state::InstanceState;
use crate::model::latest_operation_state::LatestOperationState;

/// What the read says about the unanswered request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// It acted: the instance is terminated (or terminating, or in the recycle bin).
    Terminated {
        /// The RequestId of the terminate that acted, when the read names it.
        request_id: Option<String>,
        /// What was seen.
        seen: String,
    },
    /// It did not act: the instance is as it was before.
    Untouched { seen: String },
    /// The read cannot tell.
    Unclear { seen: String },
}

/// Judges an instance read some time after a TerminateInstances with an
/// unknown outcome.
///
/// * `before`: the preflight read (`None` without a preflight);
/// * `after`: this read (`None`: the instance was not returned);
/// * `ours`: the RequestIds of our requests for it, where the service gave any.
///
/// | evidence | verdict |
/// | --- | --- |
/// | `LatestOperation` is TerminateInstances with one of our RequestIds | terminated |
/// | `LatestOperation` is TerminateInstances, a RequestId other than the one read before | terminated |
/// | `TERMINATING`, or `SHUTDOWN` where it was `RUNNING`/`STOPPED` before, or gone where it existed before | terminated |
/// | the same state and latest operation as before (without a preflight: `RUNNING`/`STOPPED`, latest operation not a terminate) | untouched |
/// | anything else (gone without a preflight, another operation running, …) | unclear |
pub(crate) fn resolve(
    before: Option<&Instance>,
    after: Option<&Instance>,
    ours: &[String],
) -> Resolution {
    let Some(after) = after else {
        return match before {
            Some(_) => Resolution::Terminated {
                request_id: None,
                seen: "the instance is gone".to_owned(),
            },
            None => Resolution::Unclear {
                seen: "the instance is not found (without a read from before, it may never have existed)"
                    .to_owned(),
            },
        };
    };
    let seen = describe(after);
    let state = after.instance_state.as_ref();
    if let Some(id) = after.request_id_of_latest(Action::TerminateInstances) {
        let ours_acted = ours.iter().any(|o| o == id);
        let before_id = before.and_then(|b| b.request_id_of_latest(Action::TerminateInstances));
        if ours_acted || before_id != Some(id) {
            return Resolution::Terminated {
                request_id: Some(id.to_owned()),
                seen,
            };
        }
    }
    let before_state = before.and_then(|b| b.instance_state.as_ref());
    let was_live = matches!(
        before_state,
        Some(InstanceState::Running | InstanceState::Stopped)
    );
    match state {
        Some(InstanceState::Terminating | InstanceState::Terminated) => {
            return Resolution::Terminated {
                request_id: None,
                seen,
            }
        }
        Some(InstanceState::Shutdown) if was_live => {
            return Resolution::Terminated {
                request_id: None,
                seen,
            }
        }
        _ => {}
    }
    let same_operation = |b: &Instance| {
        b.latest_operation == after.latest_operation
            && b.latest_operation_request_id == after.latest_operation_request_id
    };
    let idle = !matches!(
        after.latest_operation_state,
        Some(LatestOperationState::Operating)
    );
    let untouched = match before {
        Some(b) => state.is_some() && before_state == state && same_operation(b) && idle,
        None => {
            matches!(state, Some(InstanceState::Running | InstanceState::Stopped))
                && after.latest_operation.as_deref() != Some(Action::TerminateInstances.name())
                && idle
        }
    };
    if untouched {
        Resolution::Untouched { seen }
    } else {
        Resolution::Unclear { seen }
    }
}

/// The state and latest operation read, for messages.
pub(crate) fn describe(i: &Instance) -> String {
    let mut text = format!(
        "state {}",
        i.instance_state.as_ref().map_or("unknown", |s| s.as_str())
    );
    if let Some(op) = &i.latest_operation {
        text.push_str(&format!(", latest operation {op}"));
        if let Some(s) = &i.latest_operation_state {
            text.push_str(&format!(" ({})", s.as_str()));
        }
        if let Some(id) = i
            .latest_operation_request_id
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            text.push_str(&format!(", RequestId {id}"));
        }
    }
    text.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(state: &str, op: Option<(&str, &str, &str)>) -> Instance {
        let op = op.map_or(String::new(), |(o, s, r)| {
            format!(r#","LatestOperation":"{o}","LatestOperationState":"{s}","LatestOperationRequestId":"{r}""#)
        });
        serde_json::from_str(&format!(
            r#"{{"InstanceId":"ins-00000001","InstanceState":"{state}","InstanceChargeType":"PREPAID"{op}}}"#
        ))
        .unwrap()
    }

    fn terminated(r: &Resolution) -> bool {
        matches!(r, Resolution::Terminated { .. })
    }

    #[test]
    fn each_row_of_the_table() {
        let before = read("RUNNING", Some(("StartInstances", "SUCCESS", "r-old")));
        let ours = vec!["r-ours".to_owned()];
        // Our RequestId as the latest operation.
        let after = read(
            "RUNNING",
            Some(("TerminateInstances", "OPERATING", "r-ours")),
        );
        assert_eq!(
            resolve(Some(&before), Some(&after), &ours),
            Resolution::Terminated {
                request_id: Some("r-ours".into()),
                seen: describe(&after)
            }
        );
        // A terminate we never heard the RequestId of (the answer was lost).
        let after = read(
            "SHUTDOWN",
            Some(("TerminateInstances", "SUCCESS", "r-lost")),
        );
        assert!(terminated(&resolve(Some(&before), Some(&after), &[])));
        // Terminate-shaped state changes.
        assert!(terminated(&resolve(
            Some(&before),
            Some(&read("TERMINATING", None)),
            &[]
        )));
        assert!(terminated(&resolve(Some(&before), None, &[])));
        assert!(terminated(&resolve(
            Some(&before),
            Some(&read(
                "SHUTDOWN",
                Some(("StartInstances", "SUCCESS", "r-old"))
            )),
            &[]
        )));
        // Untouched.
        assert!(matches!(
            resolve(Some(&before), Some(&before.clone()), &ours),
            Resolution::Untouched { .. }
        ));
        assert!(matches!(
            resolve(None, Some(&read("STOPPED", None)), &[]),
            Resolution::Untouched { .. }
        ));
        // Unclear: gone without a read from before; another operation in progress;
        // an old terminate already there before.
        assert!(matches!(
            resolve(None, None, &[]),
            Resolution::Unclear { .. }
        ));
        let busy = read("RUNNING", Some(("StartInstances", "OPERATING", "r-new")));
        assert!(matches!(
            resolve(Some(&before), Some(&busy), &[]),
            Resolution::Unclear { .. }
        ));
        let binned = read(
            "SHUTDOWN",
            Some(("TerminateInstances", "SUCCESS", "r-first")),
        );
        assert!(matches!(
            resolve(Some(&binned), Some(&binned.clone()), &[]),
            Resolution::Untouched { .. }
        ));
    }
}
