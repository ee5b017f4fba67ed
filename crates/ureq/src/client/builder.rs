//! [`ClientBuilder`]: a [`Client`] from its parts, each with its own builder.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_cvm_core::{
    BuildError, ClientState, ProvideCredentials, RateLimits, RetryPolicy, ServiceConfig,
    ServiceConfigBuilder, DEFAULT_MAX_IN_FLIGHT,
};

use tencentcloud_cvm_core::env::VariableValue;
use tencentcloud_cvm_core::sts::caller_identity_config;

use super::{Client, ClientBuildError, Inner};
use crate::{
    DefaultCredentialsChain, DefaultRegionChain, Journal, StsSettings, SystemClock, Transport,
    UreqTransport, UreqTransportBuilder, WallClock,
};

/// Settings for a [`Client`]. Nothing is required: without a region, the
/// builder takes the configured one ([`DefaultRegionChain`]: `TENCENTCLOUD_REGION`,
/// else the profile's `region`, else tccli's), as `tccvm` does. The request
/// settings and the HTTP settings have builders of their own, which this one
/// holds: reach them with [`ClientBuilder::service`] and [`ClientBuilder::http`].
///
/// | part | setter | default |
/// |------|--------|---------|
/// | region | [`region`](ClientBuilder::region) | [`DefaultRegionChain`] ([`region_chain`](ClientBuilder::region_chain)) |
/// | profile | [`profile`](ClientBuilder::profile) | `TENCENTCLOUD_PROFILE` (for tccli's files, then `TCCLI_PROFILE`), else `default` |
/// | endpoint, language, signed headers | [`service`](ClientBuilder::service) | `https://cvm.tencentcloudapi.com/`, the service's language, `content-type;host;x-tc-action` |
/// | timeouts, body cap, proxy, CA certificates | [`http`](ClientBuilder::http) | 10 s connect, 60 s per request, 1 MiB, proxy from the environment, `SSL_CERT_FILE` or the built-in roots |
/// | credentials | [`credentials`](ClientBuilder::credentials) | [`DefaultCredentialsChain`]: environment, profile file, AssumeRole, tccli, TKE OIDC, CVM role |
/// | STS, for [`Client::caller_identity`] | [`sts`](ClientBuilder::sts) | `TENCENTCLOUD_STS_ENDPOINT`, else STS where the endpoint is (an emulator's own URL), the client's region and transport |
/// | rate limits | [`rate_limits`](ClientBuilder::rate_limits) | each action's documented limit (TerminateInstances: 10/s) as the ceiling of an adaptive limiter per action, endpoint and SecretId |
/// | retries | [`retry_policy`](ClientBuilder::retry_policy) | [`RetryPolicy::default`]: safe failures only, 60 s budget without progress |
/// | requests in flight | [`max_in_flight`](ClientBuilder::max_in_flight) | 10 per call |
/// | transport | [`transport`](ClientBuilder::transport) | a [`UreqTransport`] from the HTTP settings |
/// | wall clock | [`clock`](ClientBuilder::clock) | [`SystemClock`] |
/// | jitter seed | [`jitter_seed`](ClientBuilder::jitter_seed) | random |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::{Credentials, Endpoint, Language, RetryPolicy};
/// use tencentcloud_cvm_ureq::Client;
/// let client = Client::builder()
///     .region("ap-shanghai")
///     .service(|s| s.endpoint(Endpoint::Regional).language(Some(Language::EnUs)))
///     .http(|h| h.request_timeout(Duration::from_secs(30)))
///     .credentials(Credentials::new("AKIDexample", "example-key"))
///     .retry_policy(RetryPolicy::default().with_budget(Duration::from_secs(20)))
///     .build()?;
/// assert_eq!(client.config().host(), "cvm.ap-shanghai.tencentcloudapi.com");
/// # Ok::<(), tencentcloud_cvm_ureq::ClientBuildError>(())
/// ```
pub struct ClientBuilder {
    service: ServiceConfigBuilder,
    region_given: bool,
    region_chain: Option<DefaultRegionChain>,
    profile: Option<String>,
    http: UreqTransportBuilder,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    rate_limits: RateLimits,
    retry: RetryPolicy,
    max_in_flight: usize,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
    jitter_seed: Option<u64>,
    sts: StsSettings,
    journal: Option<Arc<Journal>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.service)
            .field("region_chain", &self.region_chain)
            .field("profile", &self.profile)
            .field("http", &self.http)
            .field("credentials", &self.credentials)
            .field("rate_limits", &self.rate_limits)
            .field("retry", &self.retry)
            .field("max_in_flight", &self.max_in_flight)
            .field("custom_transport", &self.transport.is_some())
            .field("clock", &self.clock)
            .field("sts", &self.sts)
            .field("journal", &self.journal)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with every default and no region.
    pub fn new() -> Self {
        ClientBuilder {
            service: ServiceConfig::builder(""),
            region_given: false,
            region_chain: None,
            profile: None,
            http: UreqTransport::builder(),
            credentials: None,
            rate_limits: RateLimits::new(),
            retry: RetryPolicy::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            transport: None,
            clock: None,
            jitter_seed: None,
            sts: StsSettings::default(),
            journal: None,
        }
    }

    /// The region, e.g. `ap-guangzhou` (default: the configured one, see
    /// [`region_chain`](ClientBuilder::region_chain)).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.service = self.service.region(region);
        self.region_given = true;
        self
    }

    /// Where the region comes from when [`region`](ClientBuilder::region) is
    /// not given (default: [`DefaultRegionChain`] for the builder's profile).
    pub fn region_chain(mut self, chain: DefaultRegionChain) -> Self {
        self.region_chain = Some(chain);
        self
    }

    /// The profile of the credentials file and of tccli's files, for the
    /// default credentials chain and the default region chain (a command
    /// line's `--profile`); keys in the environment still come first.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Adjusts the request settings: endpoint, language, signed headers.
    pub fn service(mut self, f: impl FnOnce(ServiceConfigBuilder) -> ServiceConfigBuilder) -> Self {
        self.service = f(self.service);
        self
    }

    /// A custom base URL (`https://host[:port]`, or `http://` for a local
    /// emulator): short for `.service(|s| s.endpoint_url(url))`.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.service(|s| s.endpoint_url(url))
    }

    /// Adjusts the HTTP settings: timeouts, response body cap, proxy. The body
    /// cap also bounds what the parser accepts from a custom transport.
    pub fn http(mut self, f: impl FnOnce(UreqTransportBuilder) -> UreqTransportBuilder) -> Self {
        self.http = f(self.http);
        self
    }

    /// The credentials provider (default: [`DefaultCredentialsChain`]). A
    /// [`tencentcloud_cvm_core::Credentials`] value is a provider of itself.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Adjusts how [`Client::caller_identity`] reaches STS. For a client the
    /// defaults differ from a credentials provider's: the base URL is
    /// `TENCENTCLOUD_STS_ENDPOINT`, else STS where the client's endpoint is
    /// (`sts.tencentcloudapi.com` for the default endpoint, the regional host
    /// for a regional one, and an emulator's or other custom endpoint's own URL,
    /// `cvm.` turned into `sts.`); the region is the client's; the transport
    /// is the client's (with its proxy and CA certificates).
    ///
    /// ```
    /// use tencentcloud_cvm_core::Credentials;
    /// use tencentcloud_cvm_ureq::Client;
    /// let client = Client::builder()
    ///     .region("ap-guangzhou")
    ///     .endpoint_url("http://127.0.0.1:8080")
    ///     .sts(|s| s.endpoint_url("http://127.0.0.1:8081"))
    ///     .credentials(Credentials::new("AKIDexample", "example-key"))
    ///     .build()?;
    /// assert!(Client::builder().region("ap-guangzhou").sts(|s| s.endpoint_url("ftp://x")).build().is_err());
    /// # let _ = client;
    /// # Ok::<(), tencentcloud_cvm_ureq::ClientBuildError>(())
    /// ```
    pub fn sts(mut self, f: impl FnOnce(StsSettings) -> StsSettings) -> Self {
        self.sts = f(self.sts);
        self
    }

    /// The per-action rate limits, the ceilings the limiters adapt under (default:
    /// each action's documented limit; see [`RateLimits`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many requests one call keeps in flight at most (default 10).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n;
        self
    }

    /// A blocking transport to use instead of a [`UreqTransport`] (the
    /// timeouts and the proxy of [`ClientBuilder::http`] then do not apply).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The wall clock used for `X-TC-Timestamp` (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Seeds the retry backoff jitter (default: random per client).
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Keeps a journal of terminate runs in `journal` (see [`crate::journal`]):
    /// each run starts from what it holds and appends its records, each
    /// TerminateInstances durable before it leaves. Default: none (the records are
    /// dropped).
    pub fn journal(mut self, journal: Arc<Journal>) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Checks the settings and builds the client. Sends nothing and reads no
    /// credentials (they are asked for on each call); without a region, reads
    /// the configured one (a variable, then two files).
    pub fn build(mut self) -> Result<Client, ClientBuildError> {
        if !self.region_given {
            let chain = match self.region_chain.take() {
                Some(chain) => chain,
                None => {
                    let mut chain = DefaultRegionChain::builder();
                    if let Some(p) = &self.profile {
                        chain = chain.profile(p.as_str());
                    }
                    chain.build()
                }
            };
            match chain.region().map_err(ClientBuildError::Region)? {
                Some(found) => {
                    log::debug!("region {} (from {})", found.region, found.source);
                    self.service = self.service.region(found.region);
                }
                None => return Err(ClientBuildError::MissingRegion),
            }
        }
        let config = self.service.build().map_err(|e| match e {
            BuildError::InvalidRegion(r) if r.is_empty() => ClientBuildError::MissingRegion,
            BuildError::Endpoint(e) => ClientBuildError::Endpoint(e),
            e => ClientBuildError::Service(e),
        })?;
        // What was given for STS is checked now; the variable is read when asked.
        let (sts_region, sts_endpoint, _) = self.sts.given();
        if sts_region.is_some() || sts_endpoint.is_some() {
            caller_identity_config(&config, sts_endpoint, sts_region, &|_| VariableValue::Unset)
                .map_err(ClientBuildError::Sts)?;
        }
        // Refused whichever transport is used (a custom one ignores the
        // timeouts and the proxy, but they are still mistakes); only the
        // default transport needs its agents built and the proxy variables read.
        let http = &self.http;
        http.check().map_err(ClientBuildError::Proxy)?;
        for (setting, zero) in [
            ("connect_timeout", http.connect_timeout == Duration::ZERO),
            ("request_timeout", http.request_timeout == Duration::ZERO),
            ("max_body", http.max_body == 0),
            ("max_in_flight", self.max_in_flight == 0),
        ] {
            if zero {
                return Err(ClientBuildError::InvalidSetting {
                    setting,
                    reason: "must be greater than zero",
                });
            }
        }
        let state = ClientState::new(config.clone())
            .with_rate_limits(self.rate_limits)
            .with_retry_policy(self.retry)
            .with_max_body(http.max_body)
            .with_max_in_flight(self.max_in_flight)
            .with_jitter_seed(self.jitter_seed.unwrap_or_else(random_seed));
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(self.http.build().map_err(ClientBuildError::Proxy)?),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                state: Arc::new(Mutex::new(state)),
                transport,
                credentials: self.credentials.unwrap_or_else(|| {
                    let mut chain = DefaultCredentialsChain::builder();
                    if let Some(p) = self.profile {
                        chain = chain.profile(p);
                    }
                    Arc::new(chain.build())
                }),
                clock: self
                    .clock
                    .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn WallClock>),
                sts: self.sts,
                journal: self.journal,
            }),
        })
    }
}

/// A seed that differs between clients and processes: std's per-process
/// random hash keys, the time and the process ID.
fn random_seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.finish()
}
