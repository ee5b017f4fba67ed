//! [`Client`]: the engine on a ureq transport, a system clock and the default
//! credentials chain, shareable across threads.

use std::fmt;
use std::sync::Arc;

use tencentcloud_cvm_core::clock::Clock;
use tencentcloud_cvm_core::{
    Engine, Progress, Report, ServiceConfig, TerminateError, TerminateOptions, Transport,
};

mod builder;
mod error;

pub use builder::ClientBuilder;
pub use error::ClientBuildError;

/// The engine a [`Client`] drives: any transport, any clock.
pub type ClientEngine = Engine<Box<dyn Transport>, Arc<dyn Clock>>;

/// A TerminateInstances client: batching (100 IDs per request), rate limiting
/// (10 requests per second by default), TC3 signing, safe retries and a
/// per-instance [`Report`], over blocking HTTP.
///
/// `Send + Sync`; `clone` is cheap and every clone shares one engine: one
/// connection pool, one rate limiter, one signing-key cache and one clock
/// correction. Calls from several threads share the rate limit.
///
/// ```no_run
/// use tencentcloud_cvm_core::TerminateOptions;
/// use tencentcloud_cvm_ureq::Client;
/// // Credentials from TENCENTCLOUD_SECRET_ID / _KEY or ~/.tencentcloud/credentials.
/// let client = Client::builder().region("ap-guangzhou").build()?;
/// let report = client.terminate(["ins-r8hr2upy", "ins-5d8a23rs"], &TerminateOptions::default())?;
/// for entry in report.instances() {
///     println!("{} {} {:?}", entry.id, entry.outcome.kind(), entry.outcome.request_id());
/// }
/// println!("{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    engine: Arc<ClientEngine>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("engine", &self.engine)
            .finish()
    }
}

impl Client {
    /// Starts a builder; only the region is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client for `region` with every default.
    pub fn new(region: impl Into<String>) -> Result<Client, ClientBuildError> {
        ClientBuilder::new().region(region).build()
    }

    pub(crate) fn from_engine(engine: ClientEngine) -> Self {
        Client {
            engine: Arc::new(engine),
        }
    }

    /// Terminates any number of instances; see [`Engine::terminate`].
    ///
    /// `Err` only when nothing was sent (a malformed ID, no credentials);
    /// otherwise every distinct instance has an outcome in the report:
    /// terminated, failed (the service certainly did not act) or unknown
    /// (check the instance before trying again).
    pub fn terminate<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.engine.terminate(ids, options)
    }

    /// Like [`Client::terminate`], calling `progress` after each request.
    pub fn terminate_with_progress<I, S>(
        &self,
        ids: I,
        options: &TerminateOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Report, TerminateError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.engine.terminate_with_progress(ids, options, progress)
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
        self.engine.signed_requests(ids, options)
    }

    /// The region, endpoint and signing settings.
    pub fn config(&self) -> &ServiceConfig {
        self.engine.config()
    }

    /// The engine, for lower-level calls ([`Engine::send`]) and inspection.
    pub fn engine(&self) -> &ClientEngine {
        &self.engine
    }
}

#[cfg(test)]
mod tests;
