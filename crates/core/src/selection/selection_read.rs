//! [`SelectionRead`]: the read that lists a selection's instances in one region,
//! and is their preflight read (sans-IO).

use std::collections::VecDeque;
use std::time::Instant;

use crate::actions::describe_instances::{DescribeInstances, DescribeInstancesResponse};
use crate::actions::instance_listing::InstanceListing;
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::error::validation_error::ValidationError;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportError;
use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::selection::reader::{Answer, ReadError, ReadErrorKind, Reader};
use crate::selection::selection_error::SelectionError;
use crate::selection::{Decision, Selection};
use crate::termination::preflight_read::{PreflightRead, ReadEntry, Seen};
use crate::termination::{Event, Token, Transmit};

/// Where the read is.
#[derive(Debug)]
enum Phase {
    Reading,
    Done,
    Failed(ReadError),
}

/// The read that lists a [`Selection`]'s instances in one region, page by page
/// ([`InstanceListing`]: pages that disagree fail the read), and judges each
/// ([`Selection::decide`]) against the caller's clock as the service counts it. Its
/// result, a [`PreflightRead`], is the preflight read of the run that acts on them
/// ([`Termination::from_read`](crate::Termination::from_read)).
///
/// ```text
///   new(selection, region) ── requests(): by IDs (≤ 100 each), by filters, or all
///        │
///   ┌─► poll_transmit ── a page of the current listing ──► driver sends it
///   │    handle_response ◄─────────────────────────────────────┘
///   │        ├─ safe to send again (any failure of a read but a refusal) ─► after a backoff
///   └────────┤─ the page read: next page, or the next listing
///            ├─ every listing complete ──► Done: into_read() = Ok(PreflightRead)
///            └─ refused, no answer within the budget, pages that disagree,
///               cancelled, deadline ──► Failed: into_read() = Err(ReadError)
/// ```
///
/// It reads one page at a time, in order (each page after the first starts at the
/// last entry of the page before). A read changes nothing, so [`cancel`](Self::cancel)
/// gives up a page in flight at once.
///
/// ```
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{ClientState, Credentials, Selection, SelectionRead, ServiceConfig};
/// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
/// let credentials = Credentials::new("AKIDexample", "example-key");
/// let selection = Selection::builder().tag("team=ci").build()?;
/// let t0 = Instant::now();
/// let mut read = SelectionRead::new(&selection, "ap-guangzhou", t0)?;
/// let page = read.poll_transmit(t0, 1_700_000_000, &credentials, &mut state).unwrap();
/// assert_eq!(page.request.headers()["x-tc-action"], "DescribeInstances");
/// let answer = br#"{"Response":{"TotalCount":1,"RequestId":"r-1","InstanceSet":[
///     {"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR",
///      "Placement":{"Zone":"ap-guangzhou-3"},"Tags":[{"Key":"team","Value":"ci"}]}]}}"#;
/// read.handle_response(page.token, Ok(http::Response::new(answer.to_vec())), t0, &mut state);
/// assert!(read.is_finished());
/// let found = read.into_read()?;
/// assert_eq!(found.selected().next().unwrap().instance_id.as_str(), "ins-r8hr2upy");
/// assert_eq!(found.request_ids(), ["r-1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SelectionRead {
    selection: Selection,
    region: String,
    page_size: Option<u32>,
    /// The listings still to start.
    requests: VecDeque<DescribeInstances>,
    listing: Option<InstanceListing>,
    /// The RequestId of the page that (last) read each instance of `listing`.
    page_of: Vec<String>,
    /// Instances of completed listings, each with its page's RequestId.
    found: Vec<(Instance, String)>,
    /// For each ID named, the RequestId of the last page of its listing.
    named_read_by: Vec<(InstanceId, String)>,
    request_ids: Vec<String>,
    reader: Reader,
    phase: Phase,
    deadline: Option<Instant>,
    /// The service's time (the caller's clock, corrected) at the last page sent.
    unix_now: u64,
}

impl SelectionRead {
    /// The code of an instance a region's read returned though its `Placement` puts
    /// it in another region: the read contradicts itself, and it is never sent.
    pub const REGION_MISMATCH: &'static str = "Client.RegionMismatch";

    /// The read of `selection` in `region` (whose requests go where the client
    /// state's settings say, or to those [`SelectionRead::with_config`] gives),
    /// starting at `now`. Refused as
    /// [`Selection::requests`] refuses.
    pub fn new(
        selection: &Selection,
        region: &str,
        now: Instant,
    ) -> Result<SelectionRead, SelectionError> {
        let requests: VecDeque<DescribeInstances> = selection.requests()?.into();
        let mut read = SelectionRead {
            selection: selection.clone(),
            region: region.to_owned(),
            page_size: None,
            requests,
            listing: None,
            page_of: Vec::new(),
            found: Vec::new(),
            named_read_by: Vec::new(),
            request_ids: Vec::new(),
            reader: Reader::new(now),
            phase: Phase::Reading,
            deadline: None,
            unix_now: 0,
        };
        read.start_next_listing();
        Ok(read)
    }

    /// Sends the reads to `config`'s region and endpoint instead of the client
    /// state's (one read per region over one shared [`ClientState`], as
    /// [`Termination::with_config`](crate::Termination::with_config) does).
    pub fn with_config(mut self, config: ServiceConfig) -> SelectionRead {
        self.reader.config = Some(config);
        self
    }

    /// Reads pages of `limit` (2 to 100) instead of 100.
    pub fn with_page_size(mut self, limit: u32) -> Result<SelectionRead, ValidationError> {
        InstanceListing::new(DescribeInstances::all()).with_page_size(limit)?;
        self.page_size = Some(limit);
        if let Some(listing) = self.listing.take() {
            self.listing =
                Some(InstanceListing::new(listing.request().clone()).with_page_size(limit)?);
        }
        Ok(self)
    }

    /// Gives up (the read fails, [`ReadErrorKind::Stopped`]) at `deadline`.
    pub fn with_deadline(mut self, deadline: Instant) -> SelectionRead {
        self.deadline = Some(deadline);
        self
    }

    /// The region read.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The selection read.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The next page to send, if one may go at `now`, signed with `credentials` at
    /// wall-clock `unix_time` and counted against DescribeInstances' rate limit.
    pub fn poll_transmit(
        &mut self,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Option<Transmit> {
        self.handle_timeout(now);
        if !matches!(self.phase, Phase::Reading) {
            return None;
        }
        let request = self.listing.as_ref()?.next_request()?;
        let ids = request.instance_ids().len();
        match self
            .reader
            .poll_transmit(&request, ids, now, unix_time, credentials, state)
        {
            Ok(transmit) => {
                if transmit.is_some() {
                    self.unix_now = state.timestamp(unix_time);
                }
                transmit
            }
            Err(e) => {
                self.phase = Phase::Failed(e);
                None
            }
        }
    }

    /// Takes the answer to attempt `token`.
    pub fn handle_response(
        &mut self,
        token: Token,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    ) {
        let stopped = match &self.phase {
            Phase::Reading => None,
            _ => Some("the read ended"),
        };
        match self
            .reader
            .handle::<DescribeInstances>(token, result, now, state, stopped)
        {
            Answer::Ignored | Answer::Retrying => {}
            Answer::Done(Err(e)) => self.fail(e),
            Answer::Done(Ok(page)) => self.take_page(page),
        }
        self.handle_timeout(now);
    }

    fn take_page(&mut self, page: DescribeInstancesResponse) {
        let Some(listing) = self.listing.as_mut() else {
            return;
        };
        let request_id = page.request_id.clone();
        log::info!(
            target: "tencentcloud_cvm_core::selection",
            "DescribeInstances region={} listed={} total={} RequestId={}",
            self.region,
            page.instance_set.len(),
            page.total_count,
            request_id.escape_debug()
        );
        let before = listing.instances().len();
        match listing.handle_page(page) {
            Err(e) => {
                let message = format!("the listing was refused: {e}");
                self.fail(ReadError::new(
                    ReadErrorKind::Inconsistent,
                    None,
                    message,
                    Some(request_id),
                ));
            }
            Ok(progress) => {
                self.request_ids.push(request_id.clone());
                // A page after the first starts with the last instance of the one
                // before, read again: this page's RequestId is its newest read.
                if !self.page_of.is_empty()
                    && let Some(last) = self.page_of.last_mut()
                {
                    *last = request_id.clone();
                }
                let now_listed = listing.instances().len();
                self.page_of
                    .extend(std::iter::repeat_n(request_id, now_listed - before));
                if progress == crate::actions::instance_listing::ListingProgress::Complete {
                    self.finish_listing();
                } else {
                    self.reader.next_request();
                }
            }
        }
    }

    /// The current listing is complete: keep what it read, start the next.
    fn finish_listing(&mut self) {
        let Some(listing) = self.listing.take() else {
            return;
        };
        let last_page = self.request_ids.last().cloned().unwrap_or_default();
        for id in listing.request().instance_ids() {
            self.named_read_by.push((id.clone(), last_page.clone()));
        }
        let page_of = std::mem::take(&mut self.page_of);
        match listing.into_instances() {
            Ok(instances) => self.found.extend(instances.into_iter().zip(page_of)),
            Err(e) => {
                self.fail(ReadError::new(
                    ReadErrorKind::Inconsistent,
                    None,
                    e.to_string(),
                    None,
                ));
                return;
            }
        }
        self.start_next_listing();
    }

    fn start_next_listing(&mut self) {
        self.reader.next_request();
        match self.requests.pop_front() {
            Some(request) => {
                let listing = InstanceListing::new(request);
                self.listing = Some(match self.page_size {
                    // Checked by with_page_size.
                    Some(limit) => listing.clone().with_page_size(limit).unwrap_or(listing),
                    None => listing,
                });
            }
            None => self.phase = Phase::Done,
        }
    }

    fn fail(&mut self, error: ReadError) {
        if matches!(self.phase, Phase::Reading) {
            self.reader.abandon();
            self.phase = Phase::Failed(error);
        }
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) (or poll again) if no
    /// answer comes first: a backoff ending, the rate limit allowing, the deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if !matches!(self.phase, Phase::Reading) {
            return None;
        }
        match (self.reader.poll_timeout(), self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Lets time pass: past the deadline the read fails.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|d| now >= d) {
            self.fail(ReadError::stopped(
                "the run's deadline passed before the read ended",
            ));
        }
    }

    /// The next event (a page being sent again after a backoff), if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.reader.events.pop_front()
    }

    /// Stops reading: a page in flight is given up at once (reads change nothing).
    pub fn cancel(&mut self) {
        self.cancel_because("cancelled before the read ended");
    }

    /// Like [`cancel`](Self::cancel), with the reason the read reports.
    pub fn cancel_because(&mut self, reason: impl Into<String>) {
        self.fail(ReadError::stopped(&reason.into()));
    }

    /// The same as [`cancel`](Self::cancel): a read has nothing to wait for.
    pub fn abort(&mut self) {
        self.cancel_because("the read was aborted");
    }

    /// Whether the read has ended (complete or failed).
    pub fn is_finished(&self) -> bool {
        !matches!(self.phase, Phase::Reading)
    }

    /// What the read found: every instance selected, and (for a selection by IDs)
    /// every ID named, found or not, chosen or not. An unfinished read is
    /// [`ReadErrorKind::Stopped`].
    pub fn into_read(mut self) -> Result<PreflightRead, ReadError> {
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Done => {}
            Phase::Failed(e) => return Err(e),
            Phase::Reading => return Err(ReadError::stopped("the read did not end")),
        }
        let listed = self.found.len();
        let found = std::mem::take(&mut self.found);
        let mut entries = Vec::new();
        let named = self.selection.instance_ids();
        if named.is_empty() {
            for (instance, request_id) in found {
                if let Some(entry) = self.judge(instance, request_id, false) {
                    entries.push(entry);
                }
            }
        } else {
            let mut found = found;
            for id in named {
                match found.iter().position(|(i, _)| &i.instance_id == id) {
                    Some(at) => {
                        let (instance, request_id) = found.swap_remove(at);
                        entries.extend(self.judge_named(instance, request_id));
                    }
                    None if self.selection.excluded_ids().contains(id) => entries.push(ReadEntry {
                        id: id.clone(),
                        seen: Seen::LeftOut {
                            instance: None,
                            reason: "excluded by ID".to_owned(),
                        },
                    }),
                    None => {
                        let request_id = self
                            .named_read_by
                            .iter()
                            .find(|(n, _)| n == id)
                            .map(|(_, r)| r.clone())
                            .unwrap_or_default();
                        entries.push(ReadEntry {
                            id: id.clone(),
                            seen: Seen::Absent { request_id },
                        });
                    }
                }
            }
        }
        Ok(PreflightRead::new(
            entries,
            std::mem::take(&mut self.request_ids),
            listed,
        ))
    }

    fn judge_named(&self, instance: Instance, request_id: String) -> Option<ReadEntry> {
        self.judge(instance, request_id, true)
    }

    /// The entry for an instance read: chosen, left out (kept only when it was
    /// named), or failed when its placement contradicts the region read.
    fn judge(&self, instance: Instance, request_id: String, named: bool) -> Option<ReadEntry> {
        let id = instance.instance_id.clone();
        if let Some(placed) = instance.region().filter(|r| *r != self.region) {
            let message = format!(
                "read in {} but placed in {} (zone {}): the read contradicts itself",
                self.region,
                placed.escape_debug(),
                instance.zone().unwrap_or_default().escape_debug()
            );
            return Some(ReadEntry {
                id,
                seen: Seen::Failed {
                    instance: Some(Box::new(instance)),
                    code: Some(ErrorCode::parse(Self::REGION_MISMATCH)),
                    message,
                    request_id: Some(request_id),
                },
            });
        }
        match self.selection.decide(&instance, self.unix_now) {
            Decision::Selected => Some(ReadEntry {
                id,
                seen: Seen::Found {
                    instance: Box::new(instance),
                    request_id,
                },
            }),
            Decision::LeftOut(reason) if named => Some(ReadEntry {
                id,
                seen: Seen::LeftOut {
                    instance: Some(Box::new(instance)),
                    reason,
                },
            }),
            Decision::LeftOut(_) => None,
        }
    }
}
