//! The client for a command's `Target`: region, endpoint, language, credentials,
//! or the embedded emulator.

use std::sync::Arc;

use tencentcloud_cvm::env::{SECRET_ID_VAR, SECRET_KEY_VAR};
use tencentcloud_cvm::transport::{TrustRoots, UreqTransport};
use tencentcloud_cvm::{
    Client, ClientBuilder, DefaultCredentialsChain, DefaultRegionChain, ProvideCredentials,
    ProxyConfig, ResolvedRegion, RetryPolicy,
};

use crate::args::Target;
use crate::cli_error::CliError;
use crate::embedded_emulator::{self, EmbeddedEmulator};
use crate::identity::Identity;
use crate::money::Currency;
use crate::rate_limit_arg;
use crate::region::{self, RegionSource, REGION_VAR};
use crate::region_targets::{self, Endpoints};

/// The region DescribeRegions is asked in for `--all-regions` when none is configured.
const ALL_REGIONS_FROM: &str = "ap-guangzhou";
use crate::run_document::LineContext;
use crate::traced_transport::TracedTransport;
use crate::Ui;

/// A ready client, and the emulator it talks to when there is one.
pub struct Connection {
    pub client: Client,
    pub region: String,
    /// The `--endpoint` given for this region, if any.
    pub endpoint: Option<String>,
    endpoints: Endpoints,
    credentials: Arc<dyn ProvideCredentials>,
    emulator: Option<EmbeddedEmulator>,
}

impl Connection {
    /// Builds the client (nothing is read from the network or sent yet) and,
    /// with `--emulator`, starts the emulator seeded with `ids`; returns the IDs
    /// to act on (the demo instances' when `--emulator` is given none).
    pub fn open(
        target: &Target,
        ids: Vec<String>,
        ui: Ui,
    ) -> Result<(Connection, Vec<String>), CliError> {
        Connection::open_for(target, ids, false, ui)
    }

    /// [`Connection::open`]; with `fleet`, an embedded emulator given no IDs serves
    /// the example fleet (three regions) instead of demo instances.
    pub fn open_for(
        target: &Target,
        ids: Vec<String>,
        fleet: bool,
        ui: Ui,
    ) -> Result<(Connection, Vec<String>), CliError> {
        let endpoints = Endpoints::parse(&target.endpoint)?;
        let first_region = match &target.region {
            Some(flag) => region_targets::listed(flag)?.into_iter().next(),
            None => None,
        };
        if target.emulator {
            return Connection::embedded(target, first_region, ids, fleet, ui);
        }
        if let Some(profile) = &target.profile {
            // The chain reads keys in the environment before any profile: a
            // --profile they would override silently might act on another account.
            for var in [SECRET_ID_VAR, SECRET_KEY_VAR] {
                if std::env::var_os(var).is_some() {
                    return Err(CliError::new(format!(
                        "--profile {} names a profile, but {var} is set, and keys in the \
                         environment come first: unset it, or drop --profile",
                        crate::terminal_text::escape(profile)
                    )));
                }
            }
        }
        let resolved = region::resolve(first_region.as_deref(), std::env::var(REGION_VAR), || {
            configured_region(target.profile.as_deref())
        });
        let (region, source) = match resolved {
            // Every region is listed by asking one: any will do when none is configured.
            Err(_) if target.all_regions => (ALL_REGIONS_FROM.to_owned(), RegionSource::Flag),
            other => other?,
        };
        log::info!("region {region} (from {source})");
        let mut chain = DefaultCredentialsChain::builder();
        if let Some(profile) = &target.profile {
            chain = chain.profile(profile.as_str());
        }
        let credentials: Arc<dyn ProvideCredentials> = Arc::new(chain.build());
        let mut builder = Client::builder()
            .region(region.as_str())
            .credentials(Arc::clone(&credentials));
        let endpoint = endpoints.for_region(&region).map(str::to_owned);
        if let Some(url) = &endpoint {
            builder = builder.endpoint_url(url.as_str());
        }
        let client = build(builder, ProxyConfig::FromEnvironment, target)?;
        log::info!("endpoint {}", client.config().host());
        Ok((
            Connection {
                client,
                region,
                endpoint,
                endpoints,
                credentials,
                emulator: None,
            },
            ids,
        ))
    }

    fn embedded(
        target: &Target,
        first_region: Option<String>,
        ids: Vec<String>,
        fleet: bool,
        ui: Ui,
    ) -> Result<(Connection, Vec<String>), CliError> {
        let (emulator, ids) = EmbeddedEmulator::start(ids, fleet, !ui.quiet)?;
        let region = first_region.unwrap_or_else(|| embedded_emulator::REGION.to_owned());
        let credentials: Arc<dyn ProvideCredentials> = Arc::new(emulator.credentials());
        let builder = Client::builder()
            .region(region.as_str())
            .endpoint_url(emulator.url())
            .credentials(Arc::clone(&credentials));
        let client = build(builder, ProxyConfig::None, target)?;
        Ok((
            Connection {
                client,
                region,
                endpoint: Some(emulator.url()),
                endpoints: Endpoints::default(),
                credentials,
                emulator: Some(emulator),
            },
            ids,
        ))
    }

    /// Whether the requests go to the embedded emulator (which is never asked about).
    pub fn is_embedded(&self) -> bool {
        self.emulator.is_some()
    }

    /// The embedded emulator's URL, which serves every region.
    pub fn embedded_url(&self) -> Option<String> {
        self.emulator.as_ref().map(EmbeddedEmulator::url)
    }

    /// The `--endpoint` values.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Who the requests are signed as, if the credentials can be had.
    pub fn identity(&self) -> Option<Identity> {
        let credentials = self.credentials.credentials().ok()?;
        Some(Identity::from_secret_id(credentials.secret_id()))
    }

    /// Who the requests are signed as, asking STS `GetCallerIdentity` (where
    /// the client sends: the emulator behind `--endpoint`, say): the account
    /// and the principal, or the masked SecretId and why they are not known.
    /// `None` only when the credentials cannot be had.
    pub fn looked_up_identity(&self) -> Option<Identity> {
        let credentials = self.credentials.credentials().ok()?;
        let answer = self.client.caller_identity();
        match &answer {
            Ok(me) => log::info!(
                "GetCallerIdentity: account {}, {} (RequestId {})",
                me.account_id,
                me.arn,
                me.request_id
            ),
            Err(e) => log::info!("GetCallerIdentity: {}", crate::cli_error::chain(e)),
        }
        Some(Identity::looked_up(credentials.secret_id(), answer))
    }

    /// Where the requests go: the `--endpoint` given, else the API's host.
    pub fn endpoint_text(&self) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!("https://{}", self.client.config().host()),
        }
    }

    /// What each JSON line names beside the instance: the region, and the
    /// currency of the site the endpoint belongs to.
    pub fn line_context(&self) -> LineContext {
        LineContext {
            region: Some(self.region.clone()),
            currency: Currency::of_host(self.client.config().host()),
        }
    }
}

/// The client, in the `--language` given, retrying for the `--retry-budget`
/// given, on a ureq transport with `proxy` whose requests and answers are
/// logged ([`TracedTransport`]), trusting the `--ca-file` given, else
/// `SSL_CERT_FILE`'s certificates, else the built-in roots.
fn build(
    mut builder: ClientBuilder,
    proxy: ProxyConfig,
    target: &Target,
) -> Result<Client, CliError> {
    if let Some(language) = target.language {
        builder = builder.service(|s| s.language(Some(language)));
    }
    let roots = match &target.ca_file {
        Some(path) => {
            TrustRoots::pem_file(path).map_err(|e| CliError::caused_by("--ca-file", &e))?
        }
        None => TrustRoots::from_environment(),
    };
    let transport = UreqTransport::builder()
        .proxy(proxy.clone())
        .trust_roots(roots)
        .build()
        .map_err(|e| CliError::caused_by("", &e))?;
    if let Some(n) = target.max_in_flight {
        builder = builder.max_in_flight(usize::from(n));
    }
    builder
        // The settings the client checks, though the transport is given.
        .http(|h| h.proxy(proxy))
        .retry_policy(RetryPolicy::default().with_budget(target.retry_budget))
        .rate_limits(rate_limit_arg::rate_limits(&target.rate_limit))
        .transport(TracedTransport::new(transport))
        .build()
        .map_err(|e| CliError::caused_by("", &e))
}

/// The configured region (the profile's in the credentials file, else
/// tccli's) and where it was found, as the library resolves it.
fn configured_region(profile: Option<&str>) -> Result<Option<ResolvedRegion>, CliError> {
    let mut chain = DefaultRegionChain::builder();
    if let Some(name) = profile {
        chain = chain.profile(name);
    }
    chain
        .build()
        .region()
        .map_err(|e| CliError::new(e.to_string()))
}
