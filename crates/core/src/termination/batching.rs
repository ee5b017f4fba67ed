//! Batching: ready instances wait in one pool per charge type, so that prepaid and
//! pay-as-you-go never share a request, and leave it in batches of at most 100.

use super::{Mode, Termination};
use crate::model::amount::Amount;
use crate::model::charge_type::ChargeType;
use crate::model::instance_id_list::InstanceIdList;
use crate::termination::preflight::Verdict;
use crate::termination::report::Outcome;
use crate::termination::request::Work;

impl Termination {
    /// Makes instance `i` ready and puts it in its charge type's pool; a run that
    /// stopped ends it `not_sent` instead.
    pub(super) fn pool(&mut self, i: usize) {
        if let Some(stop) = &self.stop {
            let message = stop.not_sent();
            self.not_sent(i, &message);
            return;
        }
        if !self.instances[i].evidence.may_send() {
            // A TerminateInstances of this run may have acted on it: another would be
            // a second one. Only a bug gets here; it is not sent.
            debug_assert!(false, "pooled after a request that may have acted");
            let outcome = Outcome::unknown(
                None,
                "not sent again: a TerminateInstances of this run may have acted on it".to_owned(),
                None,
            );
            self.end(i, outcome);
            return;
        }
        if !self.instances[i].make_ready() {
            // Only an instance that is already ready or past sending gets here, by a
            // bug: batching it again could send it twice.
            debug_assert!(false, "pooled from {:?}", self.instances[i].stage);
            return;
        }
        // An empty charge type says no more than an absent one: they share a pool.
        let key = self.instances[i]
            .last_read
            .instance()
            .and_then(|b| b.instance_charge_type.clone())
            .filter(|c| !c.as_str().is_empty());
        match self.pools.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => self.pools.push((key, vec![i])),
        }
    }

    /// Turns pooled instances into requests: full batches at once, partial
    /// ones when no preflight read can add to them any more.
    pub(super) fn flush_pools(&mut self) {
        if self.stop.is_some() {
            return;
        }
        let force = self.preflight_reads_left == 0;
        let mut batches = Vec::new();
        for (key, members) in &mut self.pools {
            while members.len() >= InstanceIdList::MAX || (force && !members.is_empty()) {
                let take = members.len().min(InstanceIdList::MAX);
                batches.push((key.clone(), members.drain(..take).collect::<Vec<_>>()));
            }
        }
        for (key, members) in batches {
            match self.mode {
                Mode::Terminate => self.enqueue(Work::Terminate, members, None),
                Mode::Preview if key.as_ref().is_some_and(ChargeType::is_prepaid) => {
                    self.enqueue(Work::Inquire, members, None)
                }
                // Pay-as-you-go is billed by the hour used: terminating refunds nothing.
                Mode::Preview => {
                    for i in members {
                        self.end_with_verdict(i, Verdict::Ready, Some(Amount::ZERO));
                    }
                }
                Mode::Status => {
                    for i in members {
                        self.end_with_verdict(i, Verdict::Ready, None);
                    }
                }
            }
        }
    }
}
