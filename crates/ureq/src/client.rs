//! [`Client`]: the core's [`Termination`] driven over a blocking transport,
//! shareable across threads.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tencentcloud_cvm_core::{
    ClientState, Event, Plan, ProvideCredentials, Report, ServiceConfig, TerminateError,
    TerminateOptions, Termination,
};

use crate::{CancelToken, Journal, StsSettings, Transport, WallClock};

mod builder;
mod caller_identity;
mod driver;
mod error;
mod regions;
mod selection;
mod side_by_side;

pub use builder::ClientBuilder;
pub use caller_identity::CallerIdentityError;
pub use error::ClientBuildError;
pub use regions::Regions;
pub use selection::SelectError;

/// What every clone of a client shares.
struct Inner {
    config: ServiceConfig,
    /// Rate-limit buckets, signing caches and clock correction, shared by all
    /// runs of this client and of the clients for other regions made from it
    /// ([`Client::for_region`]), in any thread, so together they stay within the
    /// limits: runs whose requests go to one endpoint share its budget.
    state: Arc<Mutex<ClientState>>,
    transport: Arc<dyn Transport>,
    credentials: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn WallClock>,
    /// Where [`Client::caller_identity`] asks, as given.
    sts: StsSettings,
    /// Where terminate runs' records go, and earlier runs' come from.
    journal: Option<Arc<Journal>>,
}

/// A TerminateInstances client over blocking HTTP: batches of up to 100 IDs,
/// up to 10 requests in flight within each action's rate limit, TC3 signing,
/// retries only where the service certainly did not act, and a [`Report`]
/// with one outcome per instance.
///
/// `Send + Sync`; `clone` is cheap and every clone shares one connection
/// pool, one set of rate-limit windows, one signing-key cache and one clock
/// correction, so calls from several threads together stay within the limits.
///
/// ```no_run
/// use tencentcloud_cvm_core::{OutcomeKind, TerminateOptions};
/// use tencentcloud_cvm_ureq::Client;
/// // Credentials from TENCENTCLOUD_SECRET_ID / _KEY or ~/.tencentcloud/credentials.
/// let client = Client::builder().region("ap-guangzhou").build()?;
/// let report = client.terminate(["ins-r8hr2upy", "ins-5d8a23rs"], &TerminateOptions::new())?;
/// for entry in report.instances() {
///     println!("{} {} {:?}", entry.id, entry.outcome.kind(), entry.outcome.request_id());
/// }
/// if report.count(OutcomeKind::Unknown) > 0 {
///     eprintln!("some requests may have been processed: check those instances before retrying");
/// }
/// println!("{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("state", &*driver::lock(&self.inner.state))
            .field("credentials", &self.inner.credentials)
            .field("clock", &self.inner.clock)
            .field("journal", &self.inner.journal)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a builder (the region, when not given, is the configured one).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client for `region` with every default.
    pub fn new(region: impl Into<String>) -> Result<Client, ClientBuildError> {
        ClientBuilder::new().region(region).build()
    }

    /// Terminates any number of instances and returns one outcome per
    /// distinct instance.
    ///
    /// `Err` only when nothing was sent: a malformed ID, or no credentials.
    /// Otherwise every instance is in the report: terminated, failed (the
    /// service certainly did not act), unknown (check the instance before
    /// acting again) or not sent (the deadline passed first).
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use tencentcloud_cvm_core::TerminateOptions;
    /// use tencentcloud_cvm_ureq::Client;
    /// let client = Client::new("ap-guangzhou")?;
    /// let options = TerminateOptions::new().with_release_address(true).with_deadline(Duration::from_secs(120));
    /// let report = client.terminate(["ins-r8hr2upy"], &options)?;
    /// assert_eq!(report.instances().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn terminate<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.terminate_with(ids, options, &CancelToken::new(), |_| {})
    }

    /// Like [`Client::terminate`], streaming: `on_event` sees each
    /// [`Event`] as it happens (outcomes per request as their answers
    /// arrive, retries), on the calling thread, and `cancel` can stop the run
    /// from elsewhere (a signal handler, another thread). A cancelled run
    /// still returns its full report.
    ///
    /// ```no_run
    /// use tencentcloud_cvm_core::{Event, TerminateOptions};
    /// use tencentcloud_cvm_ureq::{CancelToken, Client};
    /// let client = Client::new("ap-guangzhou")?;
    /// let cancel = CancelToken::new();
    /// let report = client.terminate_with(["ins-r8hr2upy"], &TerminateOptions::new(), &cancel, |event| {
    ///     if let Event::Outcomes(outcomes) = event {
    ///         for o in outcomes {
    ///             println!("{}", o.to_json()); // persisted as it happens
    ///         }
    ///     }
    /// })?;
    /// # let _ = report;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn terminate_with<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let run = Termination::new(ids, &self.with_history(options), Instant::now())?;
        Ok(self.run(run, cancel, &mut on_event)?.into_report())
    }

    /// A client like this one (sharing its state, transport and credentials) that
    /// keeps its terminate runs' journal in `journal` (see
    /// [`ClientBuilder::journal`]): how each region of a run over several gets its
    /// own.
    pub fn with_journal(&self, journal: Arc<Journal>) -> Client {
        let own = &self.inner;
        Client {
            inner: Arc::new(Inner {
                config: own.config.clone(),
                state: Arc::clone(&own.state),
                transport: Arc::clone(&own.transport),
                credentials: Arc::clone(&own.credentials),
                clock: Arc::clone(&own.clock),
                sts: own.sts.clone(),
                journal: Some(journal),
            }),
        }
    }

    /// The journal this client keeps, if any.
    pub fn journal(&self) -> Option<&Arc<Journal>> {
        self.inner.journal.as_ref()
    }

    /// `options`, with what the journal holds as the history of earlier runs when
    /// the client keeps one and the options bring none.
    pub(crate) fn with_history<'a>(
        &self,
        options: &'a TerminateOptions,
    ) -> Cow<'a, TerminateOptions> {
        match &self.inner.journal {
            Some(journal) if options.history().is_none() => {
                Cow::Owned(options.clone().with_history(journal.history()))
            }
            _ => Cow::Borrowed(options),
        }
    }

    /// What [`Client::terminate`] would do, without doing it: every instance is
    /// read (DescribeInstances), the prepaid ones priced
    /// (InquiryPriceTerminateInstances), and no TerminateInstances is sent.
    ///
    /// ```no_run
    /// use tencentcloud_cvm_core::{PlannedAction, TerminateOptions};
    /// use tencentcloud_cvm_ureq::Client;
    /// let client = Client::new("ap-guangzhou")?;
    /// let plan = client.preview(["ins-r8hr2upy", "ins-5d8a23rs"], &TerminateOptions::new())?;
    /// for e in plan.entries() {
    ///     println!("{} {} {:?} {:?}", e.id, e.action, e.state(), e.refund);
    /// }
    /// println!("{} to terminate, refund {:?}", plan.count(PlannedAction::Terminate), plan.refund_total());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn preview<I, S>(&self, ids: I, options: &TerminateOptions) -> Result<Plan, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.preview_with(ids, options, &CancelToken::new(), |_| {})
    }

    /// Like [`Client::preview`], streaming [`Event::Planned`] as reads come back.
    pub fn preview_with<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
        cancel: &CancelToken,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Plan, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let run = Termination::preview(ids, options, Instant::now())?;
        Ok(self.run(run, cancel, &mut on_event)?.into_plan())
    }

    /// Reads every instance (DescribeInstances, 100 per request) and says what a
    /// terminate would do with it; sends nothing else.
    pub fn status<I, S>(&self, ids: I) -> Result<Plan, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.status_with(ids, &CancelToken::new(), |_| {})
    }

    /// Like [`Client::status`], streaming [`Event::Planned`] as reads come back;
    /// `cancel` gives up the reads in flight at once (their instances are
    /// planned `fail`, not read).
    pub fn status_with<I, S>(
        &self,
        ids: I,
        cancel: &CancelToken,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Plan, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let run = Termination::status(ids, Instant::now())?;
        Ok(self.run(run, cancel, &mut on_event)?.into_plan())
    }

    fn run<M: driver::Machine>(
        &self,
        run: M,
        cancel: &CancelToken,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<M, TerminateError> {
        let credentials = if run.is_finished() {
            None
        } else {
            // Fail before anything is sent if there are no credentials at all,
            // or none that can be sent.
            let credentials = self.inner.credentials.credentials()?;
            credentials.validate()?;
            Some(credentials)
        };
        // The state may be shared with clients for other regions: the run says
        // where its requests go.
        let run = run.with_config(self.inner.config.clone());
        Ok(driver::drive(
            &self.inner,
            run,
            credentials,
            cancel,
            on_event,
        ))
    }

    /// The signed requests [`Client::terminate`] would send first, without
    /// sending anything (a dry run). The `Authorization` and `X-TC-Token`
    /// header values are marked sensitive.
    pub fn signed_requests<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
    ) -> Result<Vec<http::Request<Vec<u8>>>, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let run =
            Termination::new(ids, options, Instant::now())?.with_config(self.inner.config.clone());
        let credentials = self.inner.credentials.credentials()?;
        let state = driver::lock(&self.inner.state);
        Ok(run.signed_requests(self.inner.clock.unix_time(), &credentials, &state)?)
    }

    /// The region, endpoint and signing settings.
    pub fn config(&self) -> &ServiceConfig {
        &self.inner.config
    }

    /// The correction, in seconds, this client adds to its wall clock since the
    /// service said a signature had expired.
    pub fn clock_offset(&self) -> i64 {
        driver::lock(&self.inner.state).clock_offset()
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod driver_tests;
