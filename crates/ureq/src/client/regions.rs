//! [`Regions`]: one [`Client`] per region, each run its own state machine, all
//! driven side by side.

use std::time::Instant;

use tencentcloud_cvm_core::{
    Event, Plan, PreflightRead, RegionRead, RegionReads, Report, Selection, SelectionRead,
    TerminateError, TerminateOptions, Termination,
};

use super::selection::SelectError;
use super::Client;
use crate::CancelToken;

/// Clients for several regions, one each ([`Client::for_region`]): a run over them
/// reads the selection in each ([`Regions::read`]), places every instance in the one
/// region that has it ([`RegionReads`]), then runs each region's instances in that
/// region's client, from its read. Each region has its own endpoint and state
/// machine; they are driven side by side in one loop, sharing the client's
/// rate-limit buckets, so regions on their own endpoints go at once, each at its
/// endpoint's pace, and regions given one endpoint share its budget, as the
/// service counts. (Clients that share nothing, built apart rather than with
/// [`Client::for_region`], run one group after another.)
///
/// ```no_run
/// use tencentcloud_cvm_core::{Selection, TerminateOptions};
/// use tencentcloud_cvm_ureq::{CancelToken, Client, Regions};
/// let client = Client::builder().region("ap-guangzhou").build()?;
/// let regions = Regions::new([client.for_region("ap-guangzhou", None)?, client.for_region("ap-shanghai", None)?]);
/// let selection = Selection::builder().tag("team=ci").older_than("6h").build()?;
/// let cancel = CancelToken::new();
/// let (reads, unplaced) = regions.read(&selection, None, &cancel)?;
/// for (region, report) in regions.terminate(reads, unplaced, &TerminateOptions::new(), &cancel, |_, _| {})? {
///     println!("{}: {report}", region.as_deref().unwrap_or("no region"));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Regions {
    clients: Vec<Client>,
}

impl Regions {
    /// These clients, one per region (a region given twice keeps its first client).
    pub fn new(clients: impl IntoIterator<Item = Client>) -> Regions {
        let mut kept: Vec<Client> = Vec::new();
        for client in clients {
            if !kept
                .iter()
                .any(|c| c.config().region() == client.config().region())
            {
                kept.push(client);
            }
        }
        Regions { clients: kept }
    }

    /// The clients, in order.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// The client of `region`.
    pub fn client(&self, region: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.config().region() == region)
    }

    /// Reads `selection` in every region, side by side, then places each
    /// instance: each region's read, with what it alone holds, and the instances
    /// placed in no region (not found in any, found in two, or not read), each
    /// failed. `Err` only when nothing was read (the selection refused, no
    /// credentials).
    pub fn read(
        &self,
        selection: &Selection,
        deadline: Option<Instant>,
        cancel: &CancelToken,
    ) -> Result<(Vec<RegionRead>, PreflightRead), SelectError> {
        let mut runs = Vec::new();
        for client in &self.clients {
            let mut read = SelectionRead::new(selection, client.config().region(), Instant::now())?;
            if let Some(deadline) = deadline {
                read = read.with_deadline(deadline);
            }
            runs.push((client, read));
        }
        let done = Client::run_side_by_side(runs, cancel, &mut |_, _| {})?;
        let mut reads = RegionReads::new(selection);
        for (client, read) in self.clients.iter().zip(done) {
            reads.push(client.config().region(), read.into_read());
        }
        Ok(reads.resolve())
    }

    /// Terminates each region's instances from its read (a region whose read
    /// failed has no report), then ends the instances placed in no region (sending
    /// nothing for them): one report per region, in order, then the unplaced
    /// (region `None`), if any. The regions run side by side; `on_event` sees each
    /// event with its region.
    pub fn terminate(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        on_event: impl FnMut(Option<&str>, &Event),
    ) -> Result<Vec<(Option<String>, Report)>, TerminateError> {
        let done = self.each(reads, unplaced, cancel, on_event, |client, read| {
            Termination::from_read(read, &client.with_history(options), Instant::now())
        })?;
        Ok(done
            .into_iter()
            .map(|(r, run)| (r, run.into_report()))
            .collect())
    }

    /// What [`Regions::terminate`] would do, without doing it: one plan per region.
    pub fn preview(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        on_event: impl FnMut(Option<&str>, &Event),
    ) -> Result<Vec<(Option<String>, Plan)>, TerminateError> {
        let done = self.each(reads, unplaced, cancel, on_event, |_, read| {
            Termination::preview_from_read(read, options, Instant::now())
        })?;
        Ok(done
            .into_iter()
            .map(|(r, run)| (r, run.into_plan()))
            .collect())
    }

    /// Terminates instances given by ID in each named region, side by side (each
    /// read again before anything is sent, as any run by IDs): one report per
    /// region named, in order. A region none of the clients is for is skipped.
    pub fn terminate_ids<S: AsRef<str>>(
        &self,
        ids: &[(String, Vec<S>)],
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(Option<&str>, &Event),
    ) -> Result<Vec<(String, Report)>, TerminateError> {
        let mut runs = Vec::new();
        let mut regions = Vec::new();
        for (region, list) in ids {
            let Some(client) = self.client(region) else {
                continue;
            };
            let options = client.with_history(options);
            runs.push((client, Termination::new(list, &options, Instant::now())?));
            regions.push(region.clone());
        }
        let done =
            Client::run_side_by_side(runs, cancel, &mut |i, e| on_event(Some(&regions[i]), e))?;
        Ok(regions
            .iter()
            .cloned()
            .zip(done.into_iter().map(Termination::into_report))
            .collect())
    }

    /// A run per region from its read, and one for the unplaced instances, driven
    /// side by side.
    fn each(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        cancel: &CancelToken,
        mut on_event: impl FnMut(Option<&str>, &Event),
        mut run: impl FnMut(&Client, PreflightRead) -> Termination,
    ) -> Result<Vec<(Option<String>, Termination)>, TerminateError> {
        let mut runs = Vec::new();
        let mut regions: Vec<Option<String>> = Vec::new();
        for region in reads {
            let (Some(client), Ok(read)) = (self.client(&region.region), region.read) else {
                continue;
            };
            runs.push((client, run(client, read)));
            regions.push(Some(region.region.clone()));
        }
        if !unplaced.is_empty() {
            // Every one of them ends without a request: any client will do.
            if let Some(client) = self.clients.first() {
                runs.push((client, run(client, unplaced)));
                regions.push(None);
            }
        }
        let done =
            Client::run_side_by_side(runs, cancel, &mut |i, e| on_event(regions[i].as_deref(), e))?;
        Ok(regions.iter().cloned().zip(done).collect())
    }
}
