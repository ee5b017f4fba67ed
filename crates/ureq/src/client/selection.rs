//! A client's selection runs: the read that lists a [`Selection`]'s instances in
//! its region, the runs made from that read, the list of regions, and clients for
//! other regions.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tencentcloud_cvm_core::{
    Endpoint, Event, Plan, PreflightRead, ReadError, RegionList, RegionRead, Report, Selection,
    SelectionError, SelectionRead, ServiceConfig, TerminateError, TerminateOptions, Termination,
};

use super::{Client, ClientBuildError, Inner};
use crate::CancelToken;

/// Why a selection's read, or the list of regions, could not be had. Nothing was
/// acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectError {
    /// The selection was refused before anything was read (it names nothing, say).
    Selection(SelectionError),
    /// Nothing could be sent (no credentials, say).
    NotSent(TerminateError),
    /// The read was made and failed (refused, no answer, inconsistent pages, stopped).
    Read(ReadError),
}

/// Transparent: each variant shows its cause's message.
impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Selection(e) => e.fmt(f),
            SelectError::NotSent(e) => e.fmt(f),
            SelectError::Read(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SelectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SelectError::Selection(e) => e.source(),
            SelectError::NotSent(e) => e.source(),
            SelectError::Read(e) => e.source(),
        }
    }
}

impl From<SelectionError> for SelectError {
    fn from(e: SelectionError) -> Self {
        SelectError::Selection(e)
    }
}

impl From<TerminateError> for SelectError {
    fn from(e: TerminateError) -> Self {
        SelectError::NotSent(e)
    }
}

impl Client {
    /// A client for `region` that shares this one's credentials, transport, clock,
    /// language, signing and retry settings, and its state (not its journal: a
    /// journal is one region's, see [`Client::with_journal`]) (rate-limit buckets,
    /// clock correction): a unit of a run over several regions. Its endpoint is
    /// `endpoint_url` when given, else the region's own,
    /// `https://cvm.<region>.tencentcloudapi.com` (the request for a region goes to
    /// that region's access point, which has its own rate-limit budget; regions
    /// given one endpoint share its budget, as the service counts).
    ///
    /// ```
    /// use tencentcloud_cvm_core::Credentials;
    /// use tencentcloud_cvm_ureq::Client;
    /// let client = Client::builder().region("ap-guangzhou").credentials(Credentials::new("AKID", "key")).build()?;
    /// let shanghai = client.for_region("ap-shanghai", None)?;
    /// assert_eq!(shanghai.config().host(), "cvm.ap-shanghai.tencentcloudapi.com");
    /// assert_eq!(shanghai.config().region(), "ap-shanghai");
    /// let local = client.for_region("ap-beijing", Some("http://127.0.0.1:9000"))?;
    /// assert_eq!(local.config().host(), "127.0.0.1:9000");
    /// # Ok::<(), tencentcloud_cvm_ureq::ClientBuildError>(())
    /// ```
    pub fn for_region(
        &self,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<Client, ClientBuildError> {
        let own = &self.inner.config;
        let builder = ServiceConfig::builder(region)
            .service(own.service())
            .language(own.language())
            .signed_headers(own.signed_headers())
            .payload_signing(own.payload_signing());
        let builder = match endpoint_url {
            Some(url) => builder.endpoint_url(url),
            None => builder.endpoint(Endpoint::Regional),
        };
        let config = builder.build().map_err(|e| match e {
            tencentcloud_cvm_core::BuildError::Endpoint(e) => ClientBuildError::Endpoint(e),
            e => ClientBuildError::Service(e),
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                state: Arc::clone(&self.inner.state),
                transport: Arc::clone(&self.inner.transport),
                credentials: Arc::clone(&self.inner.credentials),
                clock: Arc::clone(&self.inner.clock),
                sts: self.inner.sts.clone(),
                // Another region: another journal (Client::with_journal).
                journal: None,
            }),
        })
    }

    /// The regions whose state is `AVAILABLE`, as DescribeRegions (sent to this
    /// client's region and endpoint) lists them.
    pub fn available_regions(&self, cancel: &CancelToken) -> Result<Vec<String>, SelectError> {
        let list = self.run(RegionList::new(Instant::now()), cancel, &mut |_| {})?;
        list.into_regions().map_err(SelectError::Read)
    }

    /// Reads `selection` in this client's region ([`SelectionRead`]): the
    /// instances it lists, each judged, ready to be the preflight read of a run
    /// ([`Client::terminate_read`]). The read gives up at `deadline`, if given, and
    /// at once when `cancel` is cancelled. `Err` only when nothing was read: the
    /// selection was refused, or nothing could be sent; a read that failed is in
    /// the [`RegionRead`].
    pub fn read_selection(
        &self,
        selection: &Selection,
        deadline: Option<Instant>,
        cancel: &CancelToken,
    ) -> Result<RegionRead, SelectError> {
        let mut reads = tencentcloud_cvm_core::RegionReads::new(selection);
        reads.push(
            self.config().region(),
            self.read_region(selection, deadline, cancel)?,
        );
        let (mut regions, _) = reads.resolve();
        Ok(regions.remove(0))
    }

    /// The read of `selection` in this region, as it came.
    pub(super) fn read_region(
        &self,
        selection: &Selection,
        deadline: Option<Instant>,
        cancel: &CancelToken,
    ) -> Result<Result<PreflightRead, ReadError>, SelectError> {
        let mut read = SelectionRead::new(selection, self.config().region(), Instant::now())?;
        if let Some(deadline) = deadline {
            read = read.with_deadline(deadline);
        }
        Ok(self.run(read, cancel, &mut |_| {})?.into_read())
    }

    /// Terminates the instances of `read` ([`Termination::from_read`]): the read
    /// is their preflight read, so nothing is read again before sending.
    pub fn terminate_read(
        &self,
        read: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Report, TerminateError> {
        let run = Termination::from_read(read, &self.with_history(options), Instant::now());
        Ok(self.run(run, cancel, &mut on_event)?.into_report())
    }

    /// What terminating the instances of `read` would do
    /// ([`Termination::preview_from_read`]): prices asked, nothing terminated.
    pub fn preview_read(
        &self,
        read: PreflightRead,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Plan, TerminateError> {
        let run = Termination::preview_from_read(read, options, Instant::now());
        Ok(self.run(run, cancel, &mut on_event)?.into_plan())
    }

    /// The instances of `read` as read, and what a terminate would do with each
    /// ([`Termination::status_from_read`]); sends nothing.
    pub fn status_read(&self, read: PreflightRead) -> Plan {
        Termination::status_from_read(read, Instant::now()).into_plan()
    }
}
