//! [`DefaultCredentialsChain`]: every source, in the order the official SDKs
//! and tccli use them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::credentials_chain::{
    ChainSearch, ChainSource, EnvironmentRole, DEFAULT_ORDER,
};
use tencentcloud_cvm_core::env::METADATA_ENDPOINT_VAR;
use tencentcloud_cvm_core::instance_metadata::CVM_ROLE_SOURCE;
use tencentcloud_cvm_core::sts::TkeVariables;
use tencentcloud_cvm_core::{Credentials, CredentialsError, ProvideCredentials};

use super::assume_role::AssumeRoleCredentialsBuilder;
use super::{
    AssumeRoleCredentials, CvmRoleCredentials, EnvLookup, EnvironmentCredentials, Keyed,
    ProfileFileCredentials, TccliCredentials, WebIdentityCredentials,
};

/// The default credentials chain:
///
/// | # | source | used when | why here |
/// |---|--------|-----------|----------|
/// | 1 | [`EnvironmentCredentials`] | `TENCENTCLOUD_SECRET_ID` / `_KEY` are set | set for this process: the most specific choice |
/// | 2 | [`ProfileFileCredentials`] | a credentials file exists | set for this user or machine |
/// | 3 | [`AssumeRoleCredentials`] | `TENCENTCLOUD_ROLE_ARN` is set (base: the first of 1, 2, 4, 5, 6), or the profile used has `role_arn` (base: its keys) | a role is asked for explicitly, on top of whichever key is found |
/// | 4 | [`TccliCredentials`] | `~/.tccli/<profile>.credential` holds keys, a role or `cvm-role` | tccli's configuration: after the project's own, before what the platform provides |
/// | 5 | [`WebIdentityCredentials`] | `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` are set | a TKE pod's own identity, configured by the platform |
/// | 6 | [`CvmRoleCredentials`] | the metadata service answers with a role | the instance's identity: the fallback when nothing is configured, and the only source that needs the network to find out it is absent (1 s, once per process) |
///
/// The order and these rules are the core's
/// ([`credentials_chain`](tencentcloud_cvm_core::credentials_chain)), so an
/// async driver follows the same ones.
///
/// The first source that is configured decides: a source that is absent
/// ([`CredentialsErrorKind::NotConfigured`](tencentcloud_cvm_core::CredentialsErrorKind::NotConfigured)) passes to the next; one that is
/// present but unusable ([`CredentialsErrorKind::Invalid`](tencentcloud_cvm_core::CredentialsErrorKind::Invalid)) stops the chain
/// with its error, so a typo never silently falls through to other
/// credentials. When no source is configured, one error lists what each tried.
///
/// Variables are read on every call; providers of temporary credentials
/// (AssumeRole, TKE, CVM role) are kept while their settings stay the same,
/// so their keys are cached and refreshed, not fetched on every call.
///
/// ```
/// use tencentcloud_cvm_core::{CredentialsErrorKind, ProvideCredentials};
/// use tencentcloud_cvm_ureq::DefaultCredentialsChain;
/// // Environment variables as a map, no credentials file, and a metadata
/// // service that refuses connections (not on a CVM):
/// let chain = DefaultCredentialsChain::builder()
///     .lookup(|name| match name {
///         "TENCENTCLOUD_METADATA_ENDPOINT" => Some("http://127.0.0.1:9".to_owned()),
///         _ => None,
///     })
///     .system_credentials_file("/nonexistent/credentials")
///     .build();
/// let e = chain.credentials().unwrap_err();
/// assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
/// for tried in ["TENCENTCLOUD_SECRET_ID", "no credentials file", "TENCENTCLOUD_ROLE_ARN", "tccli", "TKE_REGION", "metadata service"] {
///     assert!(e.detail().contains(tried), "{e}");
/// }
/// ```
pub struct DefaultCredentialsChain {
    inner: Inner,
}

enum Inner {
    Default(Sources),
    Custom(Vec<Box<dyn ProvideCredentials>>),
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Default(s) => f
                .debug_struct("DefaultCredentialsChain")
                .field("base", &s.base)
                .field("assumed", &s.assumed)
                .finish(),
            Inner::Custom(providers) => f.debug_list().entries(providers).finish(),
        }
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::new()
    }
}

impl DefaultCredentialsChain {
    /// The default chain, reading the process environment.
    pub fn new() -> Self {
        DefaultCredentialsChain::builder().build()
    }

    /// The default chain, reading variables through `lookup` (`None`: unset).
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        DefaultCredentialsChain::builder().lookup(lookup).build()
    }

    /// Settings for the default chain: where variables come from, the system
    /// credentials file, and the transport and clock of its network sources.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder {
            lookup: EnvLookup::Process,
            system_file: None,
            tccli_dir: None,
            profile: None,
            transport: None,
            clock: None,
        }
    }

    /// A chain of these providers, tried in order with the same rules (no
    /// AssumeRole layer).
    pub fn from_providers(providers: Vec<Box<dyn ProvideCredentials>>) -> Self {
        DefaultCredentialsChain {
            inner: Inner::Custom(providers),
        }
    }
}

/// Settings for [`DefaultCredentialsChain`].
pub struct DefaultCredentialsChainBuilder {
    lookup: EnvLookup,
    system_file: Option<PathBuf>,
    tccli_dir: Option<PathBuf>,
    profile: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for DefaultCredentialsChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChainBuilder")
            .field("lookup", &self.lookup)
            .field("system_file", &self.system_file)
            .field("tccli_dir", &self.tccli_dir)
            .field("profile", &self.profile)
            .field("custom_transport", &self.transport.is_some())
            .field("custom_clock", &self.clock.is_some())
            .finish()
    }
}

impl DefaultCredentialsChainBuilder {
    /// Reads variables through `lookup` (`None`: unset) instead of the process
    /// environment.
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = EnvLookup::custom(lookup);
        self
    }

    /// Replaces `/etc/tencentcloud/credentials`, the file tried last.
    pub fn system_credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_file = Some(path.into());
        self
    }

    /// Replaces `~/.tccli`, where tccli's files are looked for.
    pub fn tccli_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.tccli_dir = Some(path.into());
        self
    }

    /// Reads this profile (section) of the credentials file, and this
    /// profile's tccli files, whatever `TENCENTCLOUD_PROFILE` and
    /// `TCCLI_PROFILE` say (a command line's `--profile`). The order of
    /// the sources stays the same: keys in the environment still come first.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sends the metadata and STS requests with this transport (default: each
    /// source's own [`UreqTransport`](crate::UreqTransport) with its timeouts).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads time from this clock (default [`SystemClock`](crate::SystemClock)).
    pub fn clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the chain. Reads and sends nothing.
    pub fn build(self) -> DefaultCredentialsChain {
        let mut profile = ProfileFileCredentials::from_lookup(self.lookup.clone());
        if let Some(path) = self.system_file {
            profile = profile.with_system_file(path);
        }
        let mut tccli = TccliCredentials::from_lookup(self.lookup.clone())
            .shared(self.transport.clone(), self.clock.clone());
        if let Some(dir) = self.tccli_dir {
            tccli = tccli.with_dir(dir);
        }
        if let Some(name) = self.profile {
            profile = profile.with_profile(name.clone());
            tccli = tccli.with_profile(name);
        }
        DefaultCredentialsChain {
            inner: Inner::Default(Sources {
                base: Arc::new(Base {
                    env: EnvironmentCredentials::from_lookup(self.lookup.clone()),
                    profile: Arc::new(profile),
                    tccli,
                    tke: Keyed::default(),
                    cvm: Keyed::default(),
                    lookup: self.lookup,
                    transport: self.transport,
                    clock: self.clock,
                }),
                assumed: Keyed::default(),
            }),
        }
    }
}

/// Where the base credentials came from.
enum Origin {
    /// The profile file, with the role it names, if any.
    Profile {
        role_arn: Option<String>,
        role_session_name: Option<String>,
    },
    Other,
}

/// Sources 1, 2, 4 and 5: the keys AssumeRole may sit on.
struct Base {
    env: EnvironmentCredentials,
    profile: Arc<ProfileFileCredentials>,
    tccli: TccliCredentials,
    tke: Keyed<(String, String, String, String), WebIdentityCredentials>,
    cvm: Keyed<Option<String>, CvmRoleCredentials>,
    lookup: EnvLookup,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Base")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("tccli", &self.tccli)
            .field("tke", &self.tke)
            .field("cvm", &self.cvm)
            .finish_non_exhaustive()
    }
}

impl Base {
    /// The first configured source's credentials and where they came from;
    /// `Ok(None)` when none is configured (`search` then says what each tried).
    fn first(
        &self,
        search: &mut ChainSearch,
    ) -> Result<Option<(Credentials, Origin)>, CredentialsError> {
        let lookup = |name: &str| self.lookup.get(name);
        for source in DEFAULT_ORDER {
            let answer = match source {
                ChainSource::Environment => self.env.credentials().map(|c| (c, Origin::Other)),
                ChainSource::ProfileFile => self.profile.load().map(|p| {
                    let origin = Origin::Profile {
                        role_arn: p.role_arn,
                        role_session_name: p.role_session_name,
                    };
                    (p.credentials, origin)
                }),
                ChainSource::Tccli => self.tccli.credentials().map(|c| (c, Origin::Other)),
                ChainSource::WebIdentity => match TkeVariables::read(&lookup)? {
                    None => {
                        search.absent(
                            "TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set",
                        );
                        continue;
                    }
                    Some(v) => {
                        let key = (
                            v.region.clone(),
                            v.provider_id.clone(),
                            v.token_file.clone(),
                            v.role_arn.clone(),
                        );
                        let provider = self.tke.get(key, || {
                            WebIdentityCredentials::from_variables(v, self.lookup.clone())
                                .shared(self.transport.clone(), self.clock.clone())
                                .build()
                        })?;
                        provider.credentials().map(|c| (c, Origin::Other))
                    }
                },
                ChainSource::CvmRole => {
                    let endpoint =
                        self.lookup
                            .non_empty(METADATA_ENDPOINT_VAR, CVM_ROLE_SOURCE, "a value")?;
                    let cvm = self.cvm.get(endpoint, || {
                        Ok(CvmRoleCredentials::builder()
                            .lookup(self.lookup.clone())
                            .shared(self.transport.clone(), self.clock.clone())
                            .build())
                    })?;
                    cvm.credentials().map(|c| (c, Origin::Other))
                }
                _ => continue,
            };
            if let Some(result) = search.answer(answer) {
                return result.map(Some);
            }
        }
        Ok(None)
    }
}

impl ProvideCredentials for Base {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut search = ChainSearch::new();
        match self.first(&mut search)? {
            Some((c, _)) => Ok(c),
            None => Err(search.exhausted()),
        }
    }
}

/// Which role, assumed with which base.
#[derive(PartialEq)]
struct RoleKey {
    role_arn: String,
    session_name: Option<String>,
    /// The whole base chain (`TENCENTCLOUD_ROLE_ARN`), or the profile file (`role_arn`).
    on_profile: bool,
}

struct Sources {
    base: Arc<Base>,
    assumed: Keyed<RoleKey, AssumeRoleCredentials>,
}

impl Sources {
    /// The role's credentials, assumed with `base` (the provider kept while
    /// the role, session name and kind of base stay the same).
    fn assume(
        &self,
        role_arn: String,
        session_name: Option<String>,
        base: Arc<dyn ProvideCredentials>,
        on_profile: bool,
    ) -> Result<Credentials, CredentialsError> {
        let key = RoleKey {
            role_arn: role_arn.clone(),
            session_name: session_name.clone(),
            on_profile,
        };
        let provider = self.assumed.get(key, || {
            let mut builder = AssumeRoleCredentialsBuilder::new(base, role_arn)
                .lookup(self.base.lookup.clone())
                .shared(self.base.transport.clone(), self.base.clock.clone());
            if let Some(name) = session_name {
                builder = builder.role_session_name(name);
            }
            builder.build()
        })?;
        provider.credentials()
    }

    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let role = EnvironmentRole::read(&|name| self.base.lookup.get(name))?;
        if let Some(role_arn) = role.role_arn {
            let base = Arc::clone(&self.base) as Arc<dyn ProvideCredentials>;
            return self.assume(role_arn, role.session_name, base, false);
        }
        let mut search = ChainSearch::new();
        let Some((credentials, origin)) = self.base.first(&mut search)? else {
            return Err(search.exhausted_without_role());
        };
        match origin {
            Origin::Profile {
                role_arn: Some(role_arn),
                role_session_name,
            } => {
                let base = Arc::clone(&self.base.profile) as Arc<dyn ProvideCredentials>;
                self.assume(
                    role_arn,
                    role_session_name.or(role.session_name),
                    base,
                    true,
                )
            }
            _ => Ok(credentials),
        }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let providers = match &self.inner {
            Inner::Default(sources) => return sources.credentials(),
            Inner::Custom(providers) => providers,
        };
        let mut search = ChainSearch::new();
        for provider in providers {
            if let Some(result) = search.answer(provider.credentials()) {
                return result;
            }
        }
        Err(search.exhausted())
    }
}

#[cfg(test)]
mod tests;
