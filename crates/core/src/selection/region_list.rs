//! [`RegionList`]: the regions a run over every region covers, read with
//! DescribeRegions (sans-IO).

use std::time::Instant;

use crate::actions::describe_regions::{DescribeRegions, DescribeRegionsResponse};
use crate::client_state::ClientState;
use crate::credentials::Credentials;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportError;
use crate::selection::reader::{Answer, ReadError, Reader};
use crate::termination::{Event, Token, Transmit};

/// One DescribeRegions, sent and retried as any read is, whose answer lists the
/// regions whose state is `AVAILABLE` ([`DescribeRegionsResponse::available`]), in
/// the order listed, each once.
///
/// ```
/// use std::time::Instant;
/// use tencentcloud_cvm_core::{ClientState, Credentials, RegionList, ServiceConfig};
/// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
/// let t0 = Instant::now();
/// let mut list = RegionList::new(t0);
/// let ask = list.poll_transmit(t0, 1_700_000_000, &Credentials::new("AKID", "key"), &mut state).unwrap();
/// assert_eq!(ask.request.headers()["x-tc-action"], "DescribeRegions");
/// let answer = br#"{"Response":{"TotalCount":2,"RequestId":"r","RegionSet":[
///     {"Region":"ap-guangzhou","RegionState":"AVAILABLE"},{"Region":"ap-old","RegionState":"UNAVAILABLE"}]}}"#;
/// list.handle_response(ask.token, Ok(http::Response::new(answer.to_vec())), t0, &mut state);
/// assert_eq!(list.into_regions()?, ["ap-guangzhou"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RegionList {
    reader: Reader,
    result: Option<Result<Vec<String>, ReadError>>,
}

impl RegionList {
    /// The read, starting at `now`.
    pub fn new(now: Instant) -> RegionList {
        RegionList {
            reader: Reader::new(now),
            result: None,
        }
    }

    /// Asks `config`'s region and endpoint instead of the client state's.
    pub fn with_config(mut self, config: ServiceConfig) -> RegionList {
        self.reader.config = Some(config);
        self
    }

    /// The request, if it may go at `now`.
    pub fn poll_transmit(
        &mut self,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Option<Transmit> {
        if self.result.is_some() {
            return None;
        }
        match self
            .reader
            .poll_transmit(&DescribeRegions, 0, now, unix_time, credentials, state)
        {
            Ok(t) => t,
            Err(e) => {
                self.result = Some(Err(e));
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
        let stopped = self.result.as_ref().map(|_| "the read ended");
        match self
            .reader
            .handle::<DescribeRegions>(token, result, now, state, stopped)
        {
            Answer::Ignored | Answer::Retrying => {}
            Answer::Done(done) => {
                if self.result.is_none() {
                    self.result = Some(done.map(|answer| regions(&answer)));
                }
            }
        }
    }

    /// When to poll again if no answer comes first.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.result {
            Some(_) => None,
            None => self.reader.poll_timeout(),
        }
    }

    /// Lets time pass (nothing happens by time alone).
    pub fn handle_timeout(&mut self, _now: Instant) {}

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.reader.events.pop_front()
    }

    /// Gives the read up (an answer in flight is ignored).
    pub fn cancel(&mut self) {
        self.cancel_because("cancelled before the regions were read");
    }

    /// Like [`cancel`](Self::cancel), with the reason reported.
    pub fn cancel_because(&mut self, reason: impl Into<String>) {
        if self.result.is_none() {
            self.reader.abandon();
            self.result = Some(Err(ReadError::stopped(&reason.into())));
        }
    }

    /// The same as [`cancel`](Self::cancel).
    pub fn abort(&mut self) {
        self.cancel_because("the read was aborted");
    }

    /// Whether the read has ended.
    pub fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    /// The available regions, in the order listed.
    pub fn into_regions(self) -> Result<Vec<String>, ReadError> {
        self.result
            .unwrap_or_else(|| Err(ReadError::stopped("the regions were not read")))
    }
}

fn regions(answer: &DescribeRegionsResponse) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for region in answer.available() {
        if !out.iter().any(|r| r == region) {
            out.push(region.to_owned());
        }
    }
    out
}
