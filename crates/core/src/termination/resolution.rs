//! Resolving an unknown outcome by reading: after a TerminateInstances whose
//! answer was lost, a fresh DescribeInstances says whether it acted ([`resolve`]).
//! An instance that reads as acted on is `terminated`; any other ends `unknown`: it
//! is never sent again in the same run (at most one TerminateInstances per instance
//! per run), and the journal carries the doubt to the next run, which sends a
//! pay-as-you-go instance once two reads at least the settle delay apart agree it is
//! untouched, and a prepaid-like one never without `destroy_prepaid`.
//!
//! Why not re-send a pay-as-you-go instance within the run, once reads show it
//! untouched? A read may lag behind the terminate (eventual consistency): "untouched"
//! is what the service's read model says, not proof. A second TerminateInstances of a
//! pay-as-you-go instance is harmless, but whether an instance is pay-as-you-go is
//! itself a read, and reads have been seen to say prepaid, then pay-as-you-go, of
//! one instance. So within a run the rule has no exception but the deliberate
//! destroy, and the re-send waits for a later run, with the whole history in hand.

use std::time::Instant;

use super::Termination;
use crate::actions::Action;
use crate::model::client_code::ClientCode;
use crate::model::instance::Instance;
use crate::model::instance_state::InstanceState;
use crate::model::latest_operation_state::LatestOperationState;
use crate::termination::preflight::known_charge_type;
use crate::termination::read_check::Entry;
use crate::termination::report::Outcome;

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
/// | `LatestOperation` is TerminateInstances, `FAILED` | unclear: a failed terminate is not a terminated instance |
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
    let terminate_failed = after.latest_operation.as_deref()
        == Some(Action::TerminateInstances.name())
        && after.latest_operation_state == Some(LatestOperationState::Failed);
    if terminate_failed {
        return Resolution::Unclear { seen };
    }
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

impl Termination {
    /// Resolves instance `i`'s unknown outcome from a read (`after`: what the read
    /// says of it).
    pub(super) fn resolve_unknown(&mut self, i: usize, after: Entry<'_>, now: Instant) {
        let t = &self.instances[i];
        if t.unknown().is_none() {
            return;
        }
        let waited = self.options.settle_delay().as_secs_f64();
        let after = match after.found() {
            Ok(after) => after,
            Err((code, message)) => {
                let note =
                    format!("a read {waited:.0} s later cannot be believed: {code}: {message}");
                return self.give_up_unknown(i, &note);
            }
        };
        if let Some(a) = after {
            self.instances[i]
                .evidence
                .saw_charge_type(a.instance_charge_type.as_ref());
        }
        let t = &self.instances[i];
        let before = t.last_read.instance();
        let verdict = resolve(before, after, t.evidence.request_ids());
        let was = before.and_then(known_charge_type);
        let now_is = after.and_then(known_charge_type);
        let contradiction = (was.is_some() && now_is.is_some() && was != now_is).then(|| {
            format!(
                "{}: a read {waited:.0} s later shows charge type {} where the read before \
                 showed {}: not sent again",
                ClientCode::ContradictoryRead,
                now_is.map_or("-", |c| c.as_str()),
                was.map_or("-", |c| c.as_str()),
            )
        });
        let prepaid_like = t.evidence.prepaid_like();
        match verdict {
            Resolution::Terminated { request_id, seen } => {
                let request_id = request_id.or_else(|| t.evidence.request_ids().first().cloned());
                let outcome = Outcome::terminated_as_read(
                    request_id,
                    format!(
                        "the answer was lost; a read {waited:.0} s later shows it acted: {seen}"
                    ),
                );
                self.accepted(i, outcome, now);
            }
            _ if contradiction.is_some() => {
                self.instances[i].state = after.and_then(|a| a.instance_state.clone());
                self.give_up_unknown(i, contradiction.as_deref().unwrap_or_default());
            }
            Resolution::Untouched { seen } => {
                let why = if prepaid_like {
                    "not sent again: for a prepaid(-like) instance a late first call plus a \
                     second would destroy it"
                } else {
                    "not sent again in this run (at most one TerminateInstances per instance per \
                     run); a later run with the journal sends it once two reads at least the \
                     settle delay apart agree it is untouched"
                };
                self.instances[i].state = after.and_then(|a| a.instance_state.clone());
                self.give_up_unknown(
                    i,
                    &format!(
                        "a read {waited:.0} s later shows the instance untouched ({seen}), which \
                         a read lagging behind the terminate would show too; {why}"
                    ),
                );
            }
            Resolution::Unclear { seen } => {
                self.instances[i].state = after.and_then(|a| a.instance_state.clone());
                self.give_up_unknown(
                    i,
                    &format!("a read {waited:.0} s later cannot tell: {seen}"),
                );
            }
        }
    }

    /// Ends a `Resolving` instance with its unknown outcome, noted.
    pub(super) fn give_up_unknown(&mut self, i: usize, note: &str) {
        if let Some(unknown) = self.instances[i].unknown() {
            let outcome = unknown.clone().noted(note);
            self.end(i, outcome);
        }
    }
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

    #[test]
    fn a_failed_terminate_is_not_a_terminated_instance() {
        let before = read("RUNNING", None);
        for ours in [vec![], vec!["r-other".to_owned()]] {
            for prior in [Some(&before), None] {
                let failed = read("RUNNING", Some(("TerminateInstances", "FAILED", "r-other")));
                assert!(
                    matches!(
                        resolve(prior, Some(&failed), &ours),
                        Resolution::Unclear { .. }
                    ),
                    "{ours:?} {prior:?}"
                );
            }
        }
    }
}
