//! What a read does: a preflight judges each instance, the read of a refused batch
//! finds its culprits (and whether the service acted on part of it after all), a
//! wait read ends the instances that are gone, and a price inquiry completes a
//! preview's entries. Every read is checked (`read_check`) before it decides
//! anything. Also what a request that failed for good does to its instances, and how
//! a read refused because of one instance is split to find it.

use std::time::Instant;

use super::{Event, Mode, Termination, LOG_TARGET, WAIT_POLL};
use crate::actions::describe_instances::DescribeInstancesResponse;
use crate::actions::inquiry_price_terminate_instances::InquiryPriceTerminateInstancesResponse;
use crate::actions::Action;
use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::instance_state::InstanceState;
use crate::model::latest_operation_state::LatestOperationState;
use crate::termination::culprits;
use crate::termination::ending::entry_for;
use crate::termination::journal::record::AnswerResult;
use crate::termination::judge::Failure;
use crate::termination::plan::PlanEntry;
use crate::termination::preflight::{self, known_charge_type, Verdict};
use crate::termination::read_check::CheckedRead;
use crate::termination::report::Outcome;
use crate::termination::request::{Phase, Purpose, Refusal, Work};
use crate::termination::resolution::{resolve, Resolution};

/// What the read of a refused batch says of one of its instances.
enum Isolated {
    /// The service acted on it after all: what was seen, and the RequestId read.
    Acted {
        seen: String,
        request_id: Option<String>,
        after: Option<Box<Instance>>,
    },
    /// A culprit: the service would refuse it (or it is in the recycle bin).
    Culprit(Verdict),
    /// Safe to send again, as far as the read goes.
    Clean,
    /// The read cannot tell.
    Unclear(String),
}

/// Whether a read after a refusal (`refusal_id`) shows that the refused request
/// acted on the instance: its latest operation is that request, or it changed as a
/// terminate changes it since the read before (`before`).
fn shows_acted(
    before: Option<&Instance>,
    after: Option<&Instance>,
    refusal_id: &str,
) -> Option<(String, Option<String>)> {
    if let Some(a) = after {
        let ours = a.request_id_of_latest(Action::TerminateInstances) == Some(refusal_id);
        let failed = a.latest_operation_state == Some(LatestOperationState::Failed);
        if ours && !failed {
            return Some((
                crate::termination::resolution::describe(a),
                Some(refusal_id.to_owned()),
            ));
        }
    }
    let before = before?;
    match resolve(Some(before), after, &[refusal_id.to_owned()]) {
        Resolution::Terminated { request_id, seen } => Some((seen, request_id)),
        Resolution::Untouched { .. } | Resolution::Unclear { .. } => None,
    }
}

impl Termination {
    /// Takes read `j`'s answer.
    pub(super) fn take_read(
        &mut self,
        j: usize,
        purpose: &Purpose,
        read: &DescribeInstancesResponse,
        now: Instant,
    ) {
        let members = self.jobs[j].members.clone();
        let asked: Vec<InstanceId> = members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let checked = CheckedRead::new(read, &asked);
        match purpose {
            Purpose::Preflight => {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                for (&i, id) in members.iter().zip(&asked) {
                    match checked.entry(id).found() {
                        Ok(found) => {
                            self.take_preflight_entry(i, found.cloned(), &read.request_id, now)
                        }
                        Err((code, message)) => {
                            self.preflight_unsound(i, code, message, &read.request_id)
                        }
                    }
                }
                self.read_again_later(now);
            }
            Purpose::Isolate { refusal, named } => {
                self.take_isolating_read(&members, refusal, *named, &checked, now)
            }
            Purpose::Resolve => {
                for (&i, id) in members.iter().zip(&asked) {
                    self.resolve_unknown(i, checked.entry(id), now);
                }
            }
            Purpose::Confirm => {
                for (&i, id) in members.iter().zip(&asked) {
                    self.confirm(i, checked.entry(id), &read.request_id, now);
                }
            }
            Purpose::Wait => {
                let mut still = 0;
                for (&i, id) in members.iter().zip(&asked) {
                    // A read that cannot be believed ends no wait: the next one may.
                    let done = match checked.entry(id).found() {
                        Ok(after) => self.check_waiting(i, after, now),
                        Err(_) => self.instances[i].waiting().is_none(),
                    };
                    if !done {
                        still += 1;
                    }
                }
                if still > 0 {
                    self.events.push_back(Event::Waiting { instances: still });
                }
            }
        }
    }

    /// A preflight read that cannot be believed about instance `i`: never sent.
    fn preflight_unsound(&mut self, i: usize, code: ClientCode, message: String, read_id: &str) {
        if self.mode == Mode::Terminate && self.instances[i].evidence.prior().is_some() {
            return self.earlier_run_unsound(i, code, message, read_id);
        }
        let outcome = Outcome::failed(
            Some(ErrorCode::Client(code)),
            message,
            Some(read_id.to_owned()),
        )
        .decided_by_read();
        self.end(i, outcome);
    }

    /// Where a preflight read's result for instance `i` enters the run (this run's own
    /// read, checked first, or one made before it: [`Termination::from_read`]):
    /// `found` is its entry in the read (`None`: absent), `read_request_id` the read's
    /// RequestId. An instance it leaves `Confirming` is read again once the caller
    /// calls `read_again_later`.
    pub(super) fn take_preflight_entry(
        &mut self,
        i: usize,
        found: Option<Instance>,
        read_request_id: &str,
        now: Instant,
    ) {
        self.instances[i].record_read(found);
        self.preflight(i, read_request_id, now);
    }

    /// The preflight verdict on one instance.
    fn preflight(&mut self, i: usize, read_request_id: &str, now: Instant) {
        if self.mode == Mode::Terminate
            && self.instances[i]
                .evidence
                .prior()
                .is_some_and(|p| p.matters())
        {
            return self.preflight_after_earlier_run(i, read_request_id, now);
        }
        let verdict = preflight::assess(
            self.instances[i].last_read.instance(),
            self.options.destroy_prepaid(),
        );
        if self.mode != Mode::Terminate {
            match verdict {
                Verdict::Ready => self.pool(i),
                other => self.end_with_verdict(i, other, None),
            }
            return;
        }
        self.end_or_pool(i, verdict, read_request_id);
    }

    /// Sends a ready instance; ends the others with their verdict.
    pub(super) fn end_or_pool(&mut self, i: usize, verdict: Verdict, read_request_id: &str) {
        match verdict {
            Verdict::Ready => self.pool(i),
            Verdict::Fail { code, message } => {
                let outcome =
                    Outcome::failed(Some(code), message, Some(read_request_id.to_owned()))
                        .decided_by_read();
                self.end(i, outcome);
            }
            Verdict::Skip { message } => self.end(i, Outcome::skipped(message)),
        }
    }

    /// A refused batch, read to learn whether the service acted on part of it and
    /// which instances it was refused for.
    fn take_isolating_read(
        &mut self,
        members: &[usize],
        refusal: &Refusal,
        named: bool,
        read: &CheckedRead<'_>,
        now: Instant,
    ) {
        let destroy = self.options.destroy_prepaid();
        let mut seen = Vec::with_capacity(members.len());
        for &i in members {
            let t = &self.instances[i];
            let before = t.last_read.instance().cloned();
            let what = match read.entry(&t.id).found() {
                Err((_, message)) => Isolated::Unclear(message),
                Ok(after) => match shows_acted(before.as_ref(), after, &refusal.request_id) {
                    Some((seen, request_id)) => Isolated::Acted {
                        seen,
                        request_id,
                        after: after.cloned().map(Box::new),
                    },
                    None => {
                        let was = before.as_ref().and_then(known_charge_type);
                        let now_is = after.and_then(known_charge_type);
                        if was.is_some() && now_is.is_some() && was != now_is {
                            Isolated::Unclear(format!(
                                "{}: the read shows charge type {} where the read before showed {}",
                                ClientCode::ContradictoryRead,
                                now_is.map_or("-", |c| c.as_str()),
                                was.map_or("-", |c| c.as_str())
                            ))
                        } else {
                            // The read decides the batching from here on (charge types included).
                            self.instances[i].record_read(after.cloned());
                            match preflight::assess(after, destroy) {
                                Verdict::Ready => Isolated::Clean,
                                other => Isolated::Culprit(other),
                            }
                        }
                    }
                },
            };
            seen.push((i, what));
        }
        // A service that acted on one instance of a refused batch may have acted on
        // any: nothing of that batch is sent again in this run.
        let acted_in_part = seen
            .iter()
            .any(|(_, w)| matches!(w, Isolated::Acted { .. }));
        let mut clean = Vec::new();
        let mut found_culprit = false;
        for (i, what) in seen {
            match what {
                Isolated::Acted {
                    seen,
                    request_id,
                    after,
                } => {
                    let t = &mut self.instances[i];
                    t.evidence.add_may_have_acted();
                    t.record_read(after.map(|a| *a));
                    let outcome = Outcome::terminated_as_read(
                        request_id,
                        format!(
                            "the batch was refused ({}), but a read shows the service acted on it: {seen}",
                            refusal.code
                        ),
                    );
                    self.accepted(i, outcome, now);
                }
                Isolated::Culprit(Verdict::Fail { code, message }) => {
                    found_culprit = true;
                    let note = format!(
                        "{message} (the batch it was in was refused: {})",
                        refusal.code
                    );
                    let refused = Refusal {
                        code,
                        message: note,
                        request_id: refusal.request_id.clone(),
                    };
                    self.refused_for_itself(i, &refused, now);
                }
                Isolated::Culprit(Verdict::Skip { message }) => {
                    found_culprit = true;
                    self.end(i, Outcome::skipped(message));
                }
                Isolated::Culprit(Verdict::Ready) | Isolated::Clean => clean.push(i),
                Isolated::Unclear(why) if acted_in_part => self.acted_in_part(i, refusal, &why),
                Isolated::Unclear(why) => {
                    self.isolation_unresolved(i, refusal, &format!("its read cannot tell ({why})"))
                }
            }
        }
        if acted_in_part {
            for i in clean {
                self.acted_in_part(i, refusal, "it reads untouched");
            }
            return;
        }
        let mixed = refusal.code == ErrorCode::UnsupportedOperationInstanceMixedPricingModel;
        if found_culprit || mixed || named {
            for i in clean {
                self.pool(i);
            }
        } else if culprits::is_per_instance(&refusal.code) && clean.len() > 1 {
            self.split_in_halves(clean, refusal);
        } else if culprits::is_per_instance(&refusal.code) && clean.len() == 1 {
            // Alone, and still refused for its own sake: the culprit.
            self.refused_for_itself(clean[0], refusal, now);
        } else {
            for i in clean {
                let message = format!(
                    "{} (refused as a whole; reading the instances found no single cause)",
                    refusal.message
                );
                let outcome = Outcome::failed(
                    Some(refusal.code.clone()),
                    message,
                    Some(refusal.request_id.clone()),
                );
                self.end(i, outcome);
            }
        }
    }

    /// An instance of a batch the service refused after acting on part of it:
    /// `unknown`, never sent again in this run.
    fn acted_in_part(&mut self, i: usize, refusal: &Refusal, why: &str) {
        self.instances[i].evidence.add_may_have_acted();
        let outcome = Outcome::unknown(
            Some(refusal.code.clone()),
            format!(
                "the batch was refused ({}: {}) after the service acted on part of it; {why}, \
                 but may have been acted on: not sent again",
                refusal.code, refusal.message
            ),
            Some(refusal.request_id.clone()),
        );
        self.end(i, outcome);
    }

    /// A batch refused naming no instance, in which a read found no culprit: its
    /// instances go again in two requests, each of which, if refused, is read and
    /// split again, until a culprit is alone.
    fn split_in_halves(&mut self, clean: Vec<usize>, refusal: &Refusal) {
        let charge = |t: &super::Tracked| {
            t.last_read
                .instance()
                .and_then(|i| i.instance_charge_type.clone())
        };
        let first = charge(&self.instances[clean[0]]);
        if clean.iter().any(|&i| charge(&self.instances[i]) != first) {
            // Charge types mixed: that may be the cause; one batch per charge type.
            for i in clean {
                self.pool(i);
            }
            return;
        }
        let (a, b) = clean.split_at(clean.len() / 2);
        log::info!(
            target: LOG_TARGET,
            "{}: refused naming no instance, and a read found no cause: sending it again as {} and {}",
            refusal.code,
            a.len(),
            b.len()
        );
        for half in [a, b] {
            let mut batch = Vec::with_capacity(half.len());
            for &i in half {
                if self.instances[i].evidence.may_send() && self.instances[i].make_ready() {
                    batch.push(i);
                }
            }
            if !batch.is_empty() {
                self.enqueue(Work::Terminate, batch, None);
            }
        }
    }

    /// Whether a waited-for instance is done; ends it if so.
    fn check_waiting(&mut self, i: usize, after: Option<&Instance>, now: Instant) -> bool {
        let Some((outcome, until)) = self.instances[i]
            .waiting()
            .map(|(o, until)| (o.clone(), until))
        else {
            return true;
        };
        let state = after.and_then(|a| a.instance_state.clone());
        if let Some(a) = after {
            self.instances[i]
                .evidence
                .saw_charge_type(a.instance_charge_type.as_ref());
        }
        let prepaid_like = self.instances[i].evidence.prepaid_like();
        let done = match &state {
            None if after.is_none() => Some("gone".to_owned()),
            Some(InstanceState::Shutdown) if prepaid_like => Some("in the recycle bin".to_owned()),
            _ if now >= until => Some(format!(
                "still {} when the wait ended",
                state.as_ref().map_or("unknown", |s| s.as_str())
            )),
            _ => None,
        };
        match done {
            Some(note) => {
                self.instances[i].state = state;
                self.end(i, outcome.noted(&note));
                true
            }
            None => false,
        }
    }

    /// Queues reads of the instances being waited for (those not already in one).
    pub(super) fn read_waiting(&mut self, now: Instant) {
        let busy: Vec<usize> = self
            .jobs
            .iter()
            .filter(|job| job.phase != Phase::Done && job.work == Work::Read(Purpose::Wait))
            .flat_map(|job| job.members.iter().copied())
            .collect();
        let waiting: Vec<usize> = (0..self.instances.len())
            .filter(|&i| self.instances[i].waiting().is_some() && !busy.contains(&i))
            .collect();
        for chunk in waiting.chunks(InstanceIdList::MAX) {
            self.enqueue(Work::Read(Purpose::Wait), chunk.to_vec(), None);
        }
        if self.instances.iter().any(|t| t.waiting().is_some()) {
            self.next_wait_read = Some(now + WAIT_POLL);
        }
    }

    /// Ends the entries of price inquiry `j` with the refunds it found (or
    /// without, if it failed).
    pub(super) fn take_prices(
        &mut self,
        j: usize,
        prices: Result<InquiryPriceTerminateInstancesResponse, Failure>,
    ) {
        let members = self.jobs[j].members.clone();
        for i in members {
            match &prices {
                Ok(p) => {
                    let refund = p.find(&self.instances[i].id).and_then(|r| r.refunds);
                    self.end_with_verdict(i, Verdict::Ready, refund);
                }
                Err(f) => {
                    let t = &self.instances[i];
                    let entry = entry_for(
                        t.id.clone(),
                        Verdict::Ready,
                        t.last_read.instance().cloned(),
                        None,
                    );
                    let entry = PlanEntry {
                        message: Some(format!("refund not known: {}", f.message)),
                        ..entry
                    };
                    self.end_with_entry(i, entry);
                }
            }
        }
    }

    /// A read that failed for good: split to find the instance it was refused for,
    /// or ended for every instance it named.
    pub(super) fn read_failed(
        &mut self,
        j: usize,
        purpose: &Purpose,
        failure: &Failure,
        now: Instant,
    ) {
        let members = self.jobs[j].members.clone();
        if self.split_refused_read(&members, purpose, failure, now) {
            if *purpose == Purpose::Preflight {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
            }
            return;
        }
        if *purpose == Purpose::Preflight {
            self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
        }
        self.read_failed_for(&members, purpose, failure, now);
    }

    /// A read refused because of one (or some) of the instances it named: those the
    /// message names end with the refusal and the others are read again, or, when
    /// the message names none but the code is about instances, the read is split in
    /// halves. Not for a refusal about the request or the account, which every part
    /// would meet again.
    fn split_refused_read(
        &mut self,
        members: &[usize],
        purpose: &Purpose,
        failure: &Failure,
        now: Instant,
    ) -> bool {
        let Some(refusal) = &failure.service else {
            return false;
        };
        if members.len() < 2 || self.stop.is_some() || culprits::is_about_the_request(&refusal.code)
        {
            return false;
        }
        let ids: Vec<InstanceId> = members
            .iter()
            .map(|&i| self.instances[i].id.clone())
            .collect();
        let named = culprits::named(&refusal.message, &ids);
        let parts: Vec<Vec<usize>> = if !named.is_empty() {
            let culprits: Vec<usize> = named.iter().map(|&k| members[k]).collect();
            log::info!(
                target: LOG_TARGET,
                "DescribeInstances refused ({}) naming {} of {} instance(s); reading the others again",
                refusal.code,
                culprits.len(),
                members.len()
            );
            self.read_failed_for(&culprits, purpose, failure, now);
            let rest: Vec<usize> = members
                .iter()
                .copied()
                .filter(|i| !culprits.contains(i))
                .collect();
            vec![rest]
        } else if culprits::is_per_instance(&refusal.code) {
            let (a, b) = members.split_at(members.len() / 2);
            vec![a.to_vec(), b.to_vec()]
        } else {
            return false;
        };
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            if *purpose == Purpose::Preflight {
                self.preflight_reads_left += 1;
            }
            self.enqueue(Work::Read(purpose.clone()), part, None);
        }
        true
    }

    /// What a read that failed for good means for `members`.
    fn read_failed_for(
        &mut self,
        members: &[usize],
        purpose: &Purpose,
        failure: &Failure,
        now: Instant,
    ) {
        let _ = now;
        match purpose {
            Purpose::Preflight => {
                let message = match self.mode {
                    Mode::Terminate => {
                        format!(
                            "not sent: the read before sending failed: {}",
                            failure.message
                        )
                    }
                    Mode::Preview | Mode::Status => format!("not read: {}", failure.message),
                };
                let outcome = Failure {
                    message,
                    ..failure.clone()
                }
                .outcome()
                .decided_by_read();
                for &i in members {
                    self.end(i, outcome.clone());
                }
            }
            Purpose::Isolate { refusal, .. } => {
                let why = format!("reading the batch failed ({})", failure.message);
                for &i in members {
                    self.isolation_unresolved(i, refusal, &why);
                }
            }
            Purpose::Resolve => {
                for &i in members {
                    self.give_up_unknown(
                        i,
                        &format!("reading the instance failed: {}", failure.message),
                    );
                }
            }
            Purpose::Confirm => {
                for &i in members {
                    self.earlier_run_unresolved(
                        i,
                        &format!("reading it again failed: {}", failure.message),
                    );
                }
            }
            Purpose::Wait => {
                for &i in members {
                    if let Some((outcome, _)) = self.instances[i].waiting() {
                        let outcome = outcome.clone().noted(&format!(
                            "not waited for: reading it failed: {}",
                            failure.message
                        ));
                        self.end(i, outcome);
                    }
                }
            }
        }
    }

    /// Every member of a request that failed for good fails the same way.
    pub(super) fn job_failed(&mut self, j: usize, failure: &Failure, now: Instant) {
        let members = self.jobs[j].members.clone();
        match self.jobs[j].work.clone() {
            Work::Terminate => {
                // A no-op when the answer was journaled already.
                self.journal_answer(j, AnswerResult::NotActed, None, Some(failure));
                for i in members {
                    self.end(i, failure.outcome());
                }
            }
            Work::Read(purpose) => self.read_failed(j, &purpose, failure, now),
            Work::Inquire => self.take_prices(j, Err(failure.clone())),
        }
    }
}
