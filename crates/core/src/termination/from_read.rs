//! Runs that start from a read already made ([`PreflightRead`]): the read that
//! listed a selection's instances is their preflight read, so nothing is read
//! again before sending, and each instance is judged exactly as a preflight read
//! of it would be.

use std::time::Instant;

use super::rerun::Start;
use super::{Mode, Termination};
use crate::termination::evidence::Evidence;
use crate::termination::preflight_read::{PreflightRead, Seen};
use crate::termination::report::Outcome;
use crate::termination::stage::Tracked;
use crate::termination::terminate_options::TerminateOptions;

impl Termination {
    /// A terminate run over the instances of `read`, which it takes as its
    /// preflight read (whatever [`TerminateOptions::preflight`] says: the read was
    /// made). Each [`Seen::Found`] or [`Seen::Absent`] instance is judged as a
    /// preflight read of it is; [`Seen::LeftOut`] ends `skipped` and [`Seen::Failed`]
    /// `failed`, neither sent. `now` starts the deadline.
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{ClientState, Credentials, OutcomeKind, Selection, SelectionRead};
    /// use tencentcloud_cvm_core::{ServiceConfig, TerminateOptions, Termination};
    /// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
    /// let credentials = Credentials::new("AKIDexample", "example-key");
    /// let t0 = Instant::now();
    /// // The selection's read, answered: one instance, protected.
    /// let selection = Selection::by_ids(["ins-r8hr2upy", "ins-5d8a23rs"])?;
    /// let mut read = SelectionRead::new(&selection, "ap-guangzhou", t0)?;
    /// let page = read.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).unwrap();
    /// let answer = br#"{"Response":{"TotalCount":1,"RequestId":"read-1","InstanceSet":[
    ///     {"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR",
    ///      "DisableApiTermination":true}]}}"#;
    /// read.handle_response(page.token, Ok(http::Response::new(answer.to_vec())), t0, &mut state);
    ///
    /// // The run sends nothing: the read decided both.
    /// let mut run = Termination::from_read(read.into_read()?, &TerminateOptions::new(), t0);
    /// assert!(run.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).is_none());
    /// assert!(run.is_finished());
    /// let report = run.into_report();
    /// let codes: Vec<&str> = report.instances().iter().map(|o| o.outcome.code().unwrap().as_str()).collect();
    /// assert_eq!(codes, ["UnsupportedOperation.InstancesProtected", "InvalidInstanceId.NotFound"]);
    /// assert_eq!(report.instances()[0].outcome.request_id(), Some("read-1"));
    /// assert_eq!(report.count(OutcomeKind::Failed), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_read(read: PreflightRead, options: &TerminateOptions, now: Instant) -> Termination {
        Termination::start_from_read(Mode::Terminate, read, options, now)
    }

    /// A preview ([`Termination::preview`]) over the instances of `read`, without
    /// reading them again: asks what the ready prepaid ones would refund.
    pub fn preview_from_read(
        read: PreflightRead,
        options: &TerminateOptions,
        now: Instant,
    ) -> Termination {
        Termination::start_from_read(Mode::Preview, read, options, now)
    }

    /// A status read ([`Termination::status`]) of the instances of `read`: sends
    /// nothing, and is finished at once.
    pub fn status_from_read(read: PreflightRead, now: Instant) -> Termination {
        Termination::start_from_read(Mode::Status, read, &TerminateOptions::new(), now)
    }

    fn start_from_read(
        mode: Mode,
        read: PreflightRead,
        options: &TerminateOptions,
        now: Instant,
    ) -> Termination {
        let (entries, _, _) = read.into_parts();
        // Only a terminate run acts on what earlier runs did (the journal).
        let history = options.history().filter(|_| mode == Mode::Terminate);
        let instances = entries
            .iter()
            .map(|e| {
                let prior = history.and_then(|h| h.prior(&e.id)).cloned();
                Tracked::with_evidence(e.id.clone(), Evidence::with_prior(prior))
            })
            .collect();
        let mut run = Termination::with_instances(mode, instances, 0, options, now);
        for (i, entry) in entries.into_iter().enumerate() {
            // What an earlier run terminated ends now, whatever the read says.
            if let Start::Ended = run.start_after_earlier_runs(i) {
                continue;
            }
            match entry.seen {
                Seen::Found {
                    instance,
                    request_id,
                } => run.take_preflight_entry(i, Some(*instance), &request_id, now),
                Seen::Absent { request_id } => run.take_preflight_entry(i, None, &request_id, now),
                Seen::LeftOut { instance, reason } => {
                    if let Some(instance) = instance {
                        run.instances[i].record_read(Some(*instance));
                    }
                    run.end(i, Outcome::skipped(format!("{reason}; not sent")));
                }
                Seen::Failed {
                    instance,
                    code,
                    message,
                    request_id,
                } => {
                    if let Some(instance) = instance {
                        run.instances[i].record_read(Some(*instance));
                    }
                    let outcome = Outcome::failed(code, format!("{message}; not sent"), request_id);
                    run.end(i, outcome.decided_by_read());
                }
            }
        }
        run.read_again_later(now);
        run.flush_pools();
        run.flush_events();
        run
    }
}
