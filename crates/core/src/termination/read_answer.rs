//! What a read does: a preflight judges each instance, the read of a refused batch
//! finds its culprits, a wait read ends the instances that are gone, and a price
//! inquiry completes a preview's entries. Also what a request that failed for good
//! does to its instances.

use std::time::Instant;

use super::{Event, Mode, Termination, WAIT_POLL};
use crate::actions::describe_instances::DescribeInstancesResponse;
use crate::actions::inquiry_price_terminate_instances::InquiryPriceTerminateInstancesResponse;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::instance_state::InstanceState;
use crate::termination::ending::entry_for;
use crate::termination::judge::Failure;
use crate::termination::plan::PlanEntry;
use crate::termination::preflight::{self, Verdict};
use crate::termination::report::Outcome;
use crate::termination::request::{Phase, Purpose, Refusal, Work};

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
        match purpose {
            Purpose::Preflight => {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
                for &i in &members {
                    let found = read.find(&self.instances[i].id).cloned();
                    self.take_preflight_entry(i, found, &read.request_id);
                }
            }
            Purpose::Isolate { refusal, named } => {
                self.take_isolating_read(&members, refusal, *named, read, now)
            }
            Purpose::Resolve => {
                for &i in &members {
                    let after = read.find(&self.instances[i].id);
                    self.resolve_unknown(i, after, now);
                }
            }
            Purpose::Wait => {
                let mut still = 0;
                for &i in &members {
                    let after = read.find(&self.instances[i].id);
                    if !self.check_waiting(i, after, now) {
                        still += 1;
                    }
                }
                if still > 0 {
                    self.events.push_back(Event::Waiting { instances: still });
                }
            }
        }
    }

    /// Where a preflight read's result for instance `i` enters the run (this run's own
    /// read, or one made before it: [`Termination::from_read`]): `found` is its entry
    /// in the read (`None`: absent), `read_request_id` the read's RequestId.
    pub(super) fn take_preflight_entry(
        &mut self,
        i: usize,
        found: Option<Instance>,
        read_request_id: &str,
    ) {
        self.instances[i].record_read(found);
        self.preflight(i, read_request_id);
    }

    /// The preflight verdict on one instance.
    fn preflight(&mut self, i: usize, read_request_id: &str) {
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

    /// A refused batch, read to find which instances it was refused for.
    fn take_isolating_read(
        &mut self,
        members: &[usize],
        refusal: &Refusal,
        named: bool,
        read: &DescribeInstancesResponse,
        now: Instant,
    ) {
        let destroy = self.options.destroy_prepaid();
        let mut clean = Vec::new();
        let mut found_culprit = false;
        for &i in members {
            let after = read.find(&self.instances[i].id).cloned();
            let t = &mut self.instances[i];
            // The read decides the batching from here on (charge types included).
            t.record_read(after);
            match preflight::assess(t.last_read.instance(), destroy) {
                Verdict::Ready => clean.push(i),
                Verdict::Fail { code, message } => {
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
                Verdict::Skip { message } => {
                    found_culprit = true;
                    self.end(i, Outcome::skipped(message));
                }
            }
        }
        let mixed = refusal.code == ErrorCode::UnsupportedOperationInstanceMixedPricingModel;
        if found_culprit || mixed || named {
            for i in clean {
                self.pool(i);
            }
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

    /// Whether a waited-for instance is done; ends it if so.
    fn check_waiting(&mut self, i: usize, after: Option<&Instance>, now: Instant) -> bool {
        let Some((outcome, until)) = self.instances[i]
            .waiting()
            .map(|(o, until)| (o.clone(), until))
        else {
            return true;
        };
        let state = after.and_then(|a| a.instance_state.clone());
        let prepaid = after
            .and_then(|a| a.instance_charge_type.as_ref())
            .is_some_and(|c| c.is_prepaid());
        let done = match &state {
            None if after.is_none() => Some("gone".to_owned()),
            Some(InstanceState::Shutdown) if prepaid => Some("in the recycle bin".to_owned()),
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

    /// A read that failed for good.
    pub(super) fn read_failed(
        &mut self,
        j: usize,
        purpose: &Purpose,
        failure: &Failure,
        now: Instant,
    ) {
        let members = self.jobs[j].members.clone();
        match purpose {
            Purpose::Preflight => {
                self.preflight_reads_left = self.preflight_reads_left.saturating_sub(1);
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
                for i in members {
                    self.end(i, outcome.clone());
                }
            }
            Purpose::Isolate { refusal, .. } => {
                for i in members {
                    self.refused_for_itself(i, refusal, now);
                }
            }
            Purpose::Resolve => {
                for i in members {
                    self.give_up_unknown(
                        i,
                        &format!("reading the instance failed: {}", failure.message),
                    );
                }
            }
            Purpose::Wait => {
                for i in members {
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
                for i in members {
                    self.end(i, failure.outcome());
                }
            }
            Work::Read(purpose) => self.read_failed(j, &purpose, failure, now),
            Work::Inquire => self.take_prices(j, Err(failure.clone())),
        }
    }
}
