//! [`DefaultCredentialsChain`]: every source, in the order the official SDKs
//! and tccli use them.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};

use super::assume_role::{AssumeRoleCredentialsBuilder, ROLE_ARN_VAR, ROLE_SESSION_NAME_VAR};
use super::cvm_role::METADATA_ENDPOINT_VAR;
use super::web_identity::TkeVariables;
use super::{
    AssumeRoleCredentials, CvmRoleCredentials, EnvLookup, EnvironmentCredentials,
    ProfileFileCredentials, WebIdentityCredentials,
};

/// The default credentials chain:
///
/// | # | source | used when | why here |
/// |---|--------|-----------|----------|
/// | 1 | [`EnvironmentCredentials`] | `TENCENTCLOUD_SECRET_ID` / `_KEY` are set | set for this process: the most specific choice |
/// | 2 | [`ProfileFileCredentials`] | a credentials file exists | set for this user or machine |
/// | 3 | [`AssumeRoleCredentials`] | `TENCENTCLOUD_ROLE_ARN` is set (base: the first of 1, 2, 4, 5), or the profile used has `role_arn` (base: its keys) | a role is asked for explicitly, on top of whichever key is found |
/// | 4 | [`WebIdentityCredentials`] | `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` are set | a TKE pod's own identity, configured by the platform |
/// | 5 | [`CvmRoleCredentials`] | the metadata service answers with a role | the instance's identity: the fallback when nothing is configured, and the only source that needs the network to find out it is absent (1 s, once per process) |
///
/// The first source that is configured decides: a source that is absent
/// ([`CredentialsErrorKind::NotConfigured`]) passes to the next; one that is
/// present but unusable ([`CredentialsErrorKind::Invalid`]) stops the chain
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
/// for tried in ["TENCENTCLOUD_SECRET_ID", "no credentials file", "TENCENTCLOUD_ROLE_ARN", "TKE_REGION", "metadata service"] {
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
    profile: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for DefaultCredentialsChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChainBuilder")
            .field("lookup", &self.lookup)
            .field("system_file", &self.system_file)
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

    /// Reads this profile (section) of the credentials file, whatever
    /// `TENCENTCLOUD_PROFILE` says (a command line's `--profile`). The order of
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
        if let Some(name) = self.profile {
            profile = profile.with_profile(name);
        }
        DefaultCredentialsChain {
            inner: Inner::Default(Sources {
                base: Arc::new(Base {
                    env: EnvironmentCredentials::from_lookup(self.lookup.clone()),
                    profile: Arc::new(profile),
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

/// One provider kept while its settings (the key) stay the same.
struct Keyed<K, P> {
    slot: Mutex<Option<(K, Arc<P>)>>,
}

impl<K, P> Default for Keyed<K, P> {
    fn default() -> Self {
        Keyed {
            slot: Mutex::new(None),
        }
    }
}

impl<K, P: fmt::Debug> fmt::Debug for Keyed<K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        fmt::Debug::fmt(&slot.as_ref().map(|(_, p)| p), f)
    }
}

impl<K: PartialEq, P> Keyed<K, P> {
    fn get(
        &self,
        key: K,
        make: impl FnOnce() -> Result<P, CredentialsError>,
    ) -> Result<Arc<P>, CredentialsError> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, p)) = slot.as_ref() {
            if *k == key {
                return Ok(Arc::clone(p));
            }
        }
        let provider = Arc::new(make()?);
        *slot = Some((key, Arc::clone(&provider)));
        Ok(provider)
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
            .field("tke", &self.tke)
            .field("cvm", &self.cvm)
            .finish_non_exhaustive()
    }
}

/// What a source said when it was not configured.
fn not_configured(e: &CredentialsError) -> String {
    format!("{}: {}", e.source_name(), e.detail())
}

/// No source is configured: one error listing what each tried.
fn none_found(tried: &[String]) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::NotConfigured,
        "the default chain",
        format!("no credentials found ({})", tried.join("; ")),
    )
}

impl Base {
    /// The first configured source's credentials, where they came from, and
    /// (when none is configured) what each source tried.
    fn first(&self, tried: &mut Vec<String>) -> Result<(Credentials, Origin), CredentialsError> {
        match self.env.credentials() {
            Ok(c) => return Ok((c, Origin::Other)),
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                tried.push(not_configured(&e))
            }
            Err(e) => return Err(e),
        }
        match self.profile.load() {
            Ok(p) => {
                return Ok((
                    p.credentials,
                    Origin::Profile {
                        role_arn: p.role_arn,
                        role_session_name: p.role_session_name,
                    },
                ))
            }
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                tried.push(not_configured(&e))
            }
            Err(e) => return Err(e),
        }
        match TkeVariables::read(&self.lookup)? {
            None => tried.push(
                "TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set"
                    .to_owned(),
            ),
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
                return provider.credentials().map(|c| (c, Origin::Other));
            }
        }
        let endpoint = self
            .lookup
            .non_empty(METADATA_ENDPOINT_VAR, "CVM role", "a value")?;
        let cvm = self.cvm.get(endpoint, || {
            Ok(CvmRoleCredentials::builder()
                .lookup(self.lookup.clone())
                .shared(self.transport.clone(), self.clock.clone())
                .build())
        })?;
        match cvm.credentials() {
            Ok(c) => Ok((c, Origin::Other)),
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                tried.push(not_configured(&e));
                Err(none_found(tried))
            }
            Err(e) => Err(e),
        }
    }
}

impl ProvideCredentials for Base {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.first(&mut Vec::new()).map(|(c, _)| c)
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
        const SOURCE: &str = "STS AssumeRole";
        let lookup = &self.base.lookup;
        let session_name = lookup.non_empty(ROLE_SESSION_NAME_VAR, SOURCE, "a value")?;
        if let Some(role_arn) = lookup.non_empty(ROLE_ARN_VAR, SOURCE, "a value")? {
            let base = Arc::clone(&self.base) as Arc<dyn ProvideCredentials>;
            return self.assume(role_arn, session_name, base, false);
        }
        let mut tried = Vec::with_capacity(5);
        let (credentials, origin) = match self.base.first(&mut tried) {
            Ok(found) => found,
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                // Say AssumeRole's part in its place in the order.
                tried.insert(
                    2.min(tried.len()),
                    format!("{SOURCE}: {ROLE_ARN_VAR} is not set and no profile has role_arn"),
                );
                return Err(none_found(&tried));
            }
            Err(e) => return Err(e),
        };
        match origin {
            Origin::Profile {
                role_arn: Some(role_arn),
                role_session_name,
            } => {
                let base = Arc::clone(&self.base.profile) as Arc<dyn ProvideCredentials>;
                self.assume(role_arn, role_session_name.or(session_name), base, true)
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
        let mut tried = Vec::with_capacity(providers.len());
        for provider in providers {
            match provider.credentials() {
                Ok(c) => return Ok(c),
                Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                    tried.push(not_configured(&e));
                }
                Err(e) => return Err(e),
            }
        }
        Err(none_found(&tried))
    }
}

#[cfg(test)]
mod tests;
