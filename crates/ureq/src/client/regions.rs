//! [`Regions`]: one [`Client`] per region, each an independent unit, driven one
//! after another.

use std::time::Instant;

use tencentcloud_cvm_core::{
    Event, Plan, PreflightRead, RegionRead, RegionReads, Report, Selection, TerminateError,
    TerminateOptions,
};

use super::selection::SelectError;
use super::Client;
use crate::CancelToken;

/// Clients for several regions, one each ([`Client::for_region`]): a run over them
/// reads the selection in each ([`Regions::read`]), places every instance in the one
/// region that has it ([`RegionReads`]), then runs each region's instances in that
/// region's client, from its read. Regions are independent units: each has its own
/// endpoint, rate-limit windows and state machine. They are driven one after
/// another.
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

    /// Reads `selection` in every region, then places each instance: each
    /// region's read, with what it alone holds, and the instances placed in no
    /// region (not found in any, found in two, or not read), each failed. `Err`
    /// only when nothing was read (the selection refused, no credentials).
    pub fn read(
        &self,
        selection: &Selection,
        deadline: Option<Instant>,
        cancel: &CancelToken,
    ) -> Result<(Vec<RegionRead>, PreflightRead), SelectError> {
        let mut reads = RegionReads::new(selection);
        for client in &self.clients {
            let read = client.read_region(selection, deadline, cancel)?;
            reads.push(client.config().region(), read);
        }
        Ok(reads.resolve())
    }

    /// Terminates each region's instances from its read (a region whose read
    /// failed has no report), then ends the instances placed in no region (sending
    /// nothing for them): one report per region, in order, then the unplaced
    /// (region `None`), if any. `on_event` sees each event with its region.
    pub fn terminate(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(Option<&str>, &Event),
    ) -> Result<Vec<(Option<String>, Report)>, TerminateError> {
        self.each(reads, unplaced, |client, region, read| {
            client.terminate_read(read, options, cancel, |e| on_event(region, e))
        })
    }

    /// What [`Regions::terminate`] would do, without doing it: one plan per region.
    pub fn preview(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(Option<&str>, &Event),
    ) -> Result<Vec<(Option<String>, Plan)>, TerminateError> {
        self.each(reads, unplaced, |client, region, read| {
            client.preview_read(read, options, cancel, |e| on_event(region, e))
        })
    }

    fn each<T>(
        &self,
        reads: Vec<RegionRead>,
        unplaced: PreflightRead,
        mut run: impl FnMut(&Client, Option<&str>, PreflightRead) -> Result<T, TerminateError>,
    ) -> Result<Vec<(Option<String>, T)>, TerminateError> {
        let mut out = Vec::new();
        for region in reads {
            let (Some(client), Ok(read)) = (self.client(&region.region), region.read) else {
                continue;
            };
            out.push((
                Some(region.region.clone()),
                run(client, Some(&region.region), read)?,
            ));
        }
        if !unplaced.is_empty() {
            // Every one of them ends without a request: any client will do.
            if let Some(client) = self.clients.first() {
                out.push((None, run(client, None, unplaced)?));
            }
        }
        Ok(out)
    }
}
