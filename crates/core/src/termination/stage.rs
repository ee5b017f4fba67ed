//! Where one instance is in a run: a [`Stage`] for each of the legal places in the
//! diagram of the module docs, and one method per edge into a stage.
//!
//! Each stage holds what only it may hold (the unknown outcome while it is being
//! resolved, the wait's end while waiting, the one outcome once ended), and each
//! move lists the stages it may come from in an exhaustive `match`: a new stage does
//! not compile until every move says whether it may leave it. A move from a stage
//! the diagram does not allow changes nothing and returns `false`.

use std::time::Instant;

use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_state::InstanceState;
use crate::termination::evidence::Evidence;
use crate::termination::plan::PlanEntry;
use crate::termination::report::Outcome;

/// Where an instance is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    /// Its preflight read is queued or in flight.
    Unread,
    /// An earlier run's TerminateInstances for it may have been processed, and a read
    /// shows it untouched: a second read, at least the settle delay later, must agree
    /// before it is sent.
    Confirming,
    /// Safe to send: in a batch being filled, or in a request not yet sent (or sent
    /// and failed in a way that proves the service did not act, and queued again).
    /// In a preview: waiting for its price.
    Ready,
    /// Named by a TerminateInstances attempt that is in flight.
    Sent,
    /// Its batch was refused for some instances' sake, and the message did not name
    /// it: a read is to tell whether it is one of them.
    Isolating,
    /// Its TerminateInstances may have been processed: `unknown`, until a read after
    /// the settle delay says whether it acted.
    Resolving {
        /// What it ends as if no read can tell.
        unknown: Outcome,
    },
    /// Terminated, and read every 2 s until gone or in the recycle bin.
    Waiting {
        /// What it ends as.
        terminated: Outcome,
        /// When the wait gives up.
        until: Instant,
    },
    /// Its one outcome (or plan entry) is given; nothing moves it any more.
    Ended(Ending),
}

/// How an instance ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Ending {
    /// A terminate run's outcome.
    Outcome(Outcome),
    /// A preview's or status read's entry.
    Entry(Box<PlanEntry>),
}

/// What the last read that decides batching showed of an instance: its preflight,
/// or the read of a refused batch it was in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LastRead {
    /// None came back (yet, or without a preflight).
    NotRead,
    /// The read did not return it.
    Absent,
    /// The read returned it.
    Found(Box<Instance>),
}

impl LastRead {
    /// The instance read, if one was.
    pub(super) fn instance(&self) -> Option<&Instance> {
        match self {
            LastRead::Found(instance) => Some(instance),
            LastRead::NotRead | LastRead::Absent => None,
        }
    }

    /// The instance read, if one was, owned.
    pub(super) fn into_instance(self) -> Option<Instance> {
        match self {
            LastRead::Found(instance) => Some(*instance),
            LastRead::NotRead | LastRead::Absent => None,
        }
    }
}

/// One instance of a run.
#[derive(Debug)]
pub(super) struct Tracked {
    pub(super) id: InstanceId,
    pub(super) stage: Stage,
    pub(super) last_read: LastRead,
    /// The state to report: the last read, while nothing this run did changed it.
    pub(super) state: Option<InstanceState>,
    pub(super) evidence: Evidence,
}

impl Stage {
    /// The stage's name, as in the diagram.
    #[cfg(test)]
    pub(super) fn name(&self) -> &'static str {
        match self {
            Stage::Unread => "Unread",
            Stage::Confirming => "Confirming",
            Stage::Ready => "Ready",
            Stage::Sent => "Sent",
            Stage::Isolating => "Isolating",
            Stage::Resolving { .. } => "Resolving",
            Stage::Waiting { .. } => "Waiting",
            Stage::Ended(_) => "Ended",
        }
    }
}

impl Tracked {
    /// An instance not read yet.
    #[cfg(test)]
    pub(super) fn new(id: InstanceId) -> Tracked {
        Tracked::with_evidence(id, Evidence::default())
    }

    /// An instance not read yet, of which `evidence` is known already (an earlier
    /// run's journal).
    pub(super) fn with_evidence(id: InstanceId, evidence: Evidence) -> Tracked {
        Tracked {
            id,
            stage: Stage::Unread,
            last_read: LastRead::NotRead,
            state: None,
            evidence,
        }
    }

    /// A read came back for it, showing `found` (`None`: absent).
    pub(super) fn record_read(&mut self, found: Option<Instance>) {
        if let Some(f) = &found {
            self.evidence
                .saw_charge_type(f.instance_charge_type.as_ref());
        }
        self.state = found.as_ref().and_then(|f| f.instance_state.clone());
        self.last_read = match found {
            Some(instance) => LastRead::Found(Box::new(instance)),
            None => LastRead::Absent,
        };
    }

    /// Whether it has its outcome.
    pub(super) fn has_ended(&self) -> bool {
        matches!(self.stage, Stage::Ended(_))
    }

    /// → `Ready`: its read found it safe to send (from `Unread`, or from `Isolating`:
    /// not a culprit of a batch refused before the service acted), a second read
    /// agreed it is untouched after an earlier run's lost answer (from `Confirming`),
    /// or its attempt failed before the service could act and is queued again (from
    /// `Sent`). Never from `Resolving`: a request of this run may have acted on it.
    pub(super) fn make_ready(&mut self) -> bool {
        match self.stage {
            Stage::Unread | Stage::Confirming | Stage::Isolating | Stage::Sent => {
                self.stage = Stage::Ready;
                true
            }
            Stage::Ready | Stage::Resolving { .. } | Stage::Waiting { .. } | Stage::Ended(_) => {
                false
            }
        }
    }

    /// → `Confirming`: its read shows it untouched after an earlier run's lost answer.
    pub(super) fn confirm_later(&mut self) -> bool {
        match self.stage {
            Stage::Unread => {
                self.stage = Stage::Confirming;
                true
            }
            Stage::Confirming
            | Stage::Ready
            | Stage::Sent
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Waiting { .. }
            | Stage::Ended(_) => false,
        }
    }

    /// → `Sent`: a TerminateInstances naming it went out.
    pub(super) fn send(&mut self) -> bool {
        match self.stage {
            Stage::Ready => {
                self.stage = Stage::Sent;
                true
            }
            Stage::Unread
            | Stage::Confirming
            | Stage::Sent
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Waiting { .. }
            | Stage::Ended(_) => false,
        }
    }

    /// → `Isolating`: its batch was refused for some instances' sake, without naming it.
    pub(super) fn isolate(&mut self) -> bool {
        match self.stage {
            Stage::Sent => {
                self.stage = Stage::Isolating;
                true
            }
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Waiting { .. }
            | Stage::Ended(_) => false,
        }
    }

    /// → `Resolving`: its TerminateInstances may have been processed.
    pub(super) fn resolve_later(&mut self, unknown: Outcome) -> bool {
        match self.stage {
            Stage::Sent => {
                self.stage = Stage::Resolving { unknown };
                true
            }
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Waiting { .. }
            | Stage::Ended(_) => false,
        }
    }

    /// → `Waiting`: terminated, by the answer (from `Sent`), by a read after a lost
    /// answer (from `Resolving`), or by a refusal that says an earlier request of
    /// ours acted (from `Sent` or `Isolating`).
    pub(super) fn wait(&mut self, terminated: Outcome, until: Instant) -> bool {
        match self.stage {
            Stage::Sent | Stage::Isolating | Stage::Resolving { .. } => {
                self.stage = Stage::Waiting { terminated, until };
                true
            }
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Waiting { .. }
            | Stage::Ended(_) => false,
        }
    }

    /// → `Ended`, from any stage but `Ended`: the one outcome.
    pub(super) fn end(&mut self, ending: Ending) -> bool {
        match self.stage {
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Sent
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Waiting { .. } => {
                self.stage = Stage::Ended(ending);
                true
            }
            Stage::Ended(_) => false,
        }
    }

    /// The unknown outcome of a `Resolving` instance.
    pub(super) fn unknown(&self) -> Option<&Outcome> {
        match &self.stage {
            Stage::Resolving { unknown } => Some(unknown),
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Sent
            | Stage::Isolating
            | Stage::Waiting { .. }
            | Stage::Ended(_) => None,
        }
    }

    /// The outcome and deadline of a `Waiting` instance.
    pub(super) fn waiting(&self) -> Option<(&Outcome, Instant)> {
        match &self.stage {
            Stage::Waiting { terminated, until } => Some((terminated, *until)),
            Stage::Unread
            | Stage::Confirming
            | Stage::Ready
            | Stage::Sent
            | Stage::Isolating
            | Stage::Resolving { .. }
            | Stage::Ended(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn tracked() -> Tracked {
        Tracked::new(InstanceId::parse("ins-00000001").unwrap())
    }

    fn outcome() -> Outcome {
        Outcome::terminated("r-1".to_owned())
    }

    /// Every stage, each reached through the moves only.
    fn at_every_stage() -> Vec<Tracked> {
        let until = Instant::now() + Duration::from_secs(1);
        let unread = tracked();
        let mut confirming = tracked();
        assert!(confirming.confirm_later());
        let mut ready = tracked();
        assert!(ready.make_ready());
        let mut sent = tracked();
        assert!(sent.make_ready() && sent.send());
        let mut isolating = tracked();
        assert!(isolating.make_ready() && isolating.send() && isolating.isolate());
        let mut resolving = tracked();
        assert!(resolving.make_ready() && resolving.send());
        assert!(resolving.resolve_later(Outcome::unknown(None, "lost".into(), None)));
        let mut waiting = tracked();
        assert!(waiting.make_ready() && waiting.send() && waiting.wait(outcome(), until));
        let mut ended = tracked();
        assert!(ended.end(Ending::Outcome(outcome())));
        vec![
            unread, confirming, ready, sent, isolating, resolving, waiting, ended,
        ]
    }

    fn name(stage: &Stage) -> &'static str {
        stage.name()
    }

    type Move = fn(&mut Tracked) -> bool;

    /// The diagram's edges, as (move, the stages it may start from, where it ends).
    fn edges() -> Vec<(&'static str, Move, &'static [&'static str], &'static str)> {
        vec![
            (
                "make_ready",
                Tracked::make_ready,
                &["Unread", "Confirming", "Isolating", "Sent"],
                "Ready",
            ),
            (
                "confirm_later",
                Tracked::confirm_later,
                &["Unread"],
                "Confirming",
            ),
            ("send", Tracked::send, &["Ready"], "Sent"),
            ("isolate", Tracked::isolate, &["Sent"], "Isolating"),
            (
                "resolve_later",
                |t| t.resolve_later(Outcome::unknown(None, "lost".into(), None)),
                &["Sent"],
                "Resolving",
            ),
            (
                "wait",
                |t| t.wait(outcome(), Instant::now()),
                &["Sent", "Isolating", "Resolving"],
                "Waiting",
            ),
            (
                "end",
                |t| t.end(Ending::Outcome(outcome())),
                &[
                    "Unread",
                    "Confirming",
                    "Ready",
                    "Sent",
                    "Isolating",
                    "Resolving",
                    "Waiting",
                ],
                "Ended",
            ),
        ]
    }

    #[test]
    fn each_move_leaves_only_the_stages_the_diagram_allows() {
        for (edge, step, from, to) in edges() {
            for mut t in at_every_stage() {
                let before = t.stage.clone();
                let allowed = from.contains(&name(&before));
                assert_eq!(step(&mut t), allowed, "{edge} from {}", name(&before));
                if allowed {
                    assert_eq!(name(&t.stage), to, "{edge} from {}", name(&before));
                } else {
                    assert_eq!(t.stage, before, "{edge} moved {}", name(&before));
                }
            }
        }
    }

    #[test]
    fn an_ended_instance_keeps_its_first_outcome() {
        let mut t = tracked();
        assert!(t.end(Ending::Outcome(outcome())));
        assert!(!t.end(Ending::Outcome(Outcome::not_sent("later".into()))));
        assert_eq!(t.stage, Stage::Ended(Ending::Outcome(outcome())));
        assert!(t.has_ended());
    }

    #[test]
    fn only_resolving_holds_an_unknown_and_only_waiting_a_deadline() {
        for t in at_every_stage() {
            let stage = name(&t.stage);
            assert_eq!(t.unknown().is_some(), stage == "Resolving", "{stage}");
            assert_eq!(t.waiting().is_some(), stage == "Waiting", "{stage}");
        }
    }

    #[test]
    fn a_read_records_what_it_found() {
        let mut t = tracked();
        assert_eq!(t.last_read, LastRead::NotRead);
        t.record_read(None);
        assert_eq!(t.last_read, LastRead::Absent);
        assert_eq!(t.last_read.instance(), None);
        let found: Instance =
            serde_json::from_str(r#"{"InstanceId":"ins-00000001","InstanceState":"RUNNING"}"#)
                .unwrap();
        t.record_read(Some(found.clone()));
        assert_eq!(t.last_read.instance(), Some(&found));
        assert_eq!(t.state, Some(InstanceState::Running));
    }
}
