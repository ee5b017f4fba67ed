//! Runs of several clients (one per region, made by [`Client::for_region`]) driven
//! together in one loop over their shared state: regions on their own endpoints
//! go at once, each at its endpoint's pace; regions on one endpoint share its budget.

use std::sync::Arc;

use tencentcloud_cvm_core::{Event, TerminateError};

use super::driver::{self, Machine};
use super::Client;
use crate::CancelToken;

impl Client {
    /// Whether runs of `self` and `other` can be driven in one loop: they share
    /// the state (rate-limit buckets), transport, credentials and clock, as the
    /// clients [`Client::for_region`] makes from one client do.
    fn drives_with(&self, other: &Client) -> bool {
        let (a, b) = (&self.inner, &other.inner);
        Arc::ptr_eq(&a.state, &b.state)
            && std::ptr::addr_eq(Arc::as_ptr(&a.transport), Arc::as_ptr(&b.transport))
            && std::ptr::addr_eq(Arc::as_ptr(&a.credentials), Arc::as_ptr(&b.credentials))
            && std::ptr::addr_eq(Arc::as_ptr(&a.clock), Arc::as_ptr(&b.clock))
    }

    /// Drives each machine of `runs` for the client beside it, to its region and
    /// endpoint, all side by side (clients that share nothing run one group after
    /// another), and hands them back finished, in order. `on_event` sees each
    /// event with the index of its run. `Err` only when nothing was sent: no
    /// credentials, or none that can be sent.
    pub(super) fn run_side_by_side<M: Machine>(
        runs: Vec<(&Client, M)>,
        cancel: &CancelToken,
        on_event: &mut dyn FnMut(usize, &Event),
    ) -> Result<Vec<M>, TerminateError> {
        // Groups of runs one loop can drive, each with its credentials, fetched
        // (and checked) before anything is sent.
        let mut groups: Vec<(&Client, Vec<(usize, M)>)> = Vec::new();
        let journals: Vec<_> = runs.iter().map(|(c, _)| c.inner.journal.clone()).collect();
        for (i, (client, run)) in runs.into_iter().enumerate() {
            let run = run.with_config(client.inner.config.clone());
            match groups.iter_mut().find(|(c, _)| c.drives_with(client)) {
                Some((_, group)) => group.push((i, run)),
                None => groups.push((client, vec![(i, run)])),
            }
        }
        let mut credentials = Vec::new();
        for (client, group) in &groups {
            credentials.push(if group.iter().all(|(_, run)| run.is_finished()) {
                None
            } else {
                let c = client.inner.credentials.credentials()?;
                c.validate()?;
                Some(c)
            });
        }
        let mut done: Vec<(usize, M)> = Vec::new();
        for ((client, group), credentials) in groups.into_iter().zip(credentials) {
            let (indexes, machines): (Vec<usize>, Vec<M>) = group.into_iter().unzip();
            let journals: Vec<_> = indexes.iter().map(|&i| journals[i].clone()).collect();
            let finished = driver::drive_all(
                &client.inner,
                machines,
                &journals,
                credentials,
                cancel,
                &mut |k, e| on_event(indexes[k], e),
            );
            done.extend(indexes.into_iter().zip(finished));
        }
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, run)| run).collect())
    }
}
