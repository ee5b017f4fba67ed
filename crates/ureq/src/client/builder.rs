//! [`ClientBuilder`]: every setting of a [`Client`], with defaults.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_cvm_core::clock::Clock;
use tencentcloud_cvm_core::limiter::RateLimit;
use tencentcloud_cvm_core::retry::RetryPolicy;
use tencentcloud_cvm_core::signing::{PayloadSigning, SignedHeaders};
use tencentcloud_cvm_core::{
    Endpoint, Engine, Language, ProvideCredentials, ServiceConfig, Transport,
};

use super::{Client, ClientBuildError};
use crate::{
    DefaultCredentialsChain, ProxyConfig, SystemClock, UreqTransport, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BODY, DEFAULT_REQUEST_TIMEOUT,
};

/// The endpoint as given: a value, or a URL parsed at build time.
#[derive(Clone, Debug)]
enum EndpointChoice {
    Value(Endpoint),
    Url(String),
}

/// Settings for a [`Client`]. Only the region is required.
///
/// | setting            | default                                             |
/// |--------------------|-----------------------------------------------------|
/// | credentials        | [`DefaultCredentialsChain`] (environment, profile file, AssumeRole, TKE OIDC, CVM role) |
/// | endpoint           | [`Endpoint::Default`] (`https://cvm.tencentcloudapi.com/`) |
/// | language           | none (the service's default)                        |
/// | signed headers     | `content-type;host;x-tc-action`; payload signed     |
/// | connect timeout    | 10 s (DNS, and connection setup, each)              |
/// | request timeout    | 60 s per attempt                                    |
/// | body cap           | 1 MiB                                               |
/// | proxy              | from the environment                                |
/// | rate limit         | 10 requests per second ([`RateLimit::TERMINATE_INSTANCES`]) |
/// | retry policy       | [`RetryPolicy::default`] (5 attempts, safe failures only) |
/// | clock              | [`SystemClock`]                                     |
/// | transport          | a [`UreqTransport`] from the timeouts, cap and proxy |
/// | jitter seed        | random                                              |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::{Credentials, Endpoint, Language};
/// use tencentcloud_cvm_core::retry::RetryPolicy;
/// use tencentcloud_cvm_ureq::Client;
/// let client = Client::builder()
///     .region("ap-shanghai")
///     .endpoint(Endpoint::Regional)
///     .credentials(Credentials::new("AKIDexample", "example-key"))
///     .language(Language::EnUs)
///     .request_timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_attempts(3))
///     .build()?;
/// assert_eq!(client.config().host(), "cvm.ap-shanghai.tencentcloudapi.com");
/// # Ok::<(), tencentcloud_cvm_ureq::ClientBuildError>(())
/// ```
pub struct ClientBuilder {
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint: EndpointChoice,
    language: Option<Language>,
    signed_headers: SignedHeaders,
    payload_signing: PayloadSigning,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body: usize,
    proxy: ProxyConfig,
    rate_limit: RateLimit,
    retry: RetryPolicy,
    clock: Option<Arc<dyn Clock>>,
    transport: Option<Box<dyn Transport>>,
    jitter_seed: Option<u64>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint)
            .field("language", &self.language)
            .field("signed_headers", &self.signed_headers)
            .field("payload_signing", &self.payload_signing)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_body", &self.max_body)
            .field("rate_limit", &self.rate_limit)
            .field("retry", &self.retry)
            .field("custom_clock", &self.clock.is_some())
            .field("custom_transport", &self.transport.is_some())
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
            region: None,
            credentials: None,
            endpoint: EndpointChoice::Value(Endpoint::Default),
            language: None,
            signed_headers: SignedHeaders::default(),
            payload_signing: PayloadSigning::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            proxy: ProxyConfig::FromEnvironment,
            rate_limit: RateLimit::default(),
            retry: RetryPolicy::default(),
            clock: None,
            transport: None,
            jitter_seed: None,
        }
    }

    /// The region (required), e.g. `ap-guangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The credentials provider (default: [`DefaultCredentialsChain`]). A
    /// [`tencentcloud_cvm_core::Credentials`] value is a provider of itself.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The endpoint (default [`Endpoint::Default`]).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = EndpointChoice::Value(endpoint);
        self
    }

    /// A custom base URL (`https://host[:port]`, or `http://` for a local
    /// emulator), checked by [`ClientBuilder::build`].
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = EndpointChoice::Url(url.into());
        self
    }

    /// The language of error messages (`X-TC-Language`; default: not sent).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Which headers the signature covers.
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }

    /// Whether the body is signed (default: signed).
    pub fn payload_signing(mut self, payload_signing: PayloadSigning) -> Self {
        self.payload_signing = payload_signing;
        self
    }

    /// The limit on DNS resolution and on connection setup, each (default
    /// 10 s). Ignored with a custom transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit on one attempt, DNS to last body byte (default 60 s).
    /// Ignored with a custom transport.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The response body cap (default 1 MiB). The parser always applies it;
    /// the ureq transport also stops reading past it.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The proxy (default: from the environment). Ignored with a custom transport.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// The request rate limit (default 10 per second).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock used for timestamps, rate limiting and backoff (default
    /// [`SystemClock`]); pass an `Arc<ManualClock>` to run without sleeping.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// A transport to use instead of a [`UreqTransport`] (the connect and
    /// request timeouts and the proxy are then not used).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Seeds the retry backoff jitter (default: random per client).
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Checks the settings and builds the client. Sends nothing and reads no
    /// credentials (they are asked for on each call).
    pub fn build(self) -> Result<Client, ClientBuildError> {
        let region = self.region.ok_or(ClientBuildError::MissingRegion)?;
        let endpoint = match self.endpoint {
            EndpointChoice::Value(e) => e,
            EndpointChoice::Url(url) => {
                Endpoint::custom(&url).map_err(ClientBuildError::Endpoint)?
            }
        };
        let config = ServiceConfig::builder(region)
            .endpoint(endpoint)
            .language(self.language)
            .signed_headers(self.signed_headers)
            .payload_signing(self.payload_signing)
            .build()
            .map_err(ClientBuildError::Service)?;
        let positive = |setting, d: Duration| {
            if d.is_zero() {
                Err(ClientBuildError::InvalidSetting {
                    setting,
                    reason: "must be greater than zero",
                })
            } else {
                Ok(())
            }
        };
        positive("connect_timeout", self.connect_timeout)?;
        positive("request_timeout", self.request_timeout)?;
        if self.max_body == 0 {
            return Err(ClientBuildError::InvalidSetting {
                setting: "max_body",
                reason: "must be greater than zero",
            });
        }
        let transport: Box<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Box::new(
                UreqTransport::builder()
                    .connect_timeout(self.connect_timeout)
                    .request_timeout(self.request_timeout)
                    .max_body(self.max_body)
                    .proxy(self.proxy)
                    .build()
                    .map_err(ClientBuildError::Proxy)?,
            ),
        };
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultCredentialsChain::new()));
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(SystemClock::new()) as Arc<dyn Clock>);
        let engine = Engine::new(config, credentials, transport, clock)
            .with_retry_policy(self.retry)
            .with_rate_limit(self.rate_limit)
            .with_max_body(self.max_body)
            .with_jitter_seed(self.jitter_seed.unwrap_or_else(random_seed));
        Ok(Client::from_engine(engine))
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
