//! [`AssumeRoleCredentials`]: a role's temporary credentials from STS
//! `AssumeRole`, asked for with base credentials from another provider.

use std::fmt;
use std::sync::Arc;

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::credentials_chain::ASSUME_ROLE_SOURCE as SOURCE;
use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::sts::{
    assume_role_request, default_session_name, AssumeRole, ASSUME_ROLE,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, TemporaryCredentials,
};

use super::sts_client::{StsClient, StsSettings};
use super::temporary_cache::TemporaryCache;
use super::EnvLookup;
use crate::SystemClock;

/// A role's temporary credentials: STS `AssumeRole`, signed with the base
/// provider's credentials, cached and refreshed when 300 s or less remain (one
/// refresh at a time, shared by every thread; a failed refresh keeps a still
/// valid key, with a warning). The base is asked only when refreshing.
///
/// ```no_run
/// use tencentcloud_cvm_core::ProvideCredentials;
/// use tencentcloud_cvm_ureq::{AssumeRoleCredentials, Client, EnvironmentCredentials};
/// let role = AssumeRoleCredentials::builder(
///     EnvironmentCredentials::new(),
///     "qcs::cam::uin/100000000001:roleName/cleanup",
/// )
/// .role_session_name("nightly-cleanup")
/// .duration_seconds(3600)
/// .build()?;
/// let client = Client::builder().region("ap-guangzhou").credentials(role).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AssumeRoleCredentials {
    base: Arc<dyn ProvideCredentials>,
    request: AssumeRole,
    sts: StsClient,
    signer: Signer,
    clock: Arc<dyn WallClock>,
    cache: TemporaryCache,
}

impl fmt::Debug for AssumeRoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleCredentials")
            .field("base", &self.base)
            .field("request", &self.request)
            .field("sts", &self.sts)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

/// Settings for [`AssumeRoleCredentials`].
pub struct AssumeRoleCredentialsBuilder {
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration_seconds: u64,
    sts: StsSettings,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for AssumeRoleCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleCredentialsBuilder")
            .field("base", &self.base)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleCredentials {
    /// Starts a builder: assume `role_arn` (e.g.
    /// `qcs::cam::uin/100000000001:roleName/cleanup`) with credentials from `base`.
    pub fn builder(
        base: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
    ) -> AssumeRoleCredentialsBuilder {
        AssumeRoleCredentialsBuilder::new(Arc::new(base), role_arn.into())
    }

    fn fetch(&self) -> Result<TemporaryCredentials, CredentialsError> {
        let request = assume_role_request(
            self.sts.config(),
            &self.request,
            self.clock.unix_time(),
            self.base.credentials(),
            &self.signer,
            SOURCE,
        )?;
        self.sts.call(ASSUME_ROLE, &request, SOURCE)
    }
}

impl ProvideCredentials for AssumeRoleCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.cache.get(&*self.clock, || self.fetch())
    }
}

impl AssumeRoleCredentialsBuilder {
    pub(crate) fn new(base: Arc<dyn ProvideCredentials>, role_arn: String) -> Self {
        AssumeRoleCredentialsBuilder {
            base,
            role_arn,
            session_name: None,
            duration_seconds: tencentcloud_cvm_core::sts::DEFAULT_DURATION_SECONDS,
            sts: StsSettings::default(),
            clock: None,
        }
    }

    /// The session name, which the role's audit log shows (default
    /// `tencentcloud-cvm-<Unix time>`): 2 to 128 of letters, digits and `_+=,.@-`.
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long each key lasts (default 7200 s; 1 to 43200).
    pub fn duration_seconds(mut self, seconds: u64) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// Adjusts how STS is reached: region, base URL, transport.
    pub fn sts(mut self, f: impl FnOnce(StsSettings) -> StsSettings) -> Self {
        self.sts = f(self.sts);
        self
    }

    /// Reads time (signatures, expiry) from this clock (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    pub(crate) fn lookup(mut self, lookup: EnvLookup) -> Self {
        self.sts = self.sts.lookup(lookup);
        self
    }

    pub(crate) fn shared(
        mut self,
        transport: Option<Arc<dyn Transport>>,
        clock: Option<Arc<dyn WallClock>>,
    ) -> Self {
        self.sts = self.sts.shared_transport(transport);
        self.clock = self.clock.or(clock);
        self
    }

    /// Checks the settings. Sends nothing and does not ask the base provider.
    pub fn build(self) -> Result<AssumeRoleCredentials, CredentialsError> {
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn WallClock>);
        let session_name = self
            .session_name
            .unwrap_or_else(|| default_session_name(clock.unix_time()));
        let request = AssumeRole::builder(self.role_arn, session_name)
            .duration_seconds(self.duration_seconds)
            .build()
            .map_err(|e| {
                CredentialsError::new(CredentialsErrorKind::Invalid, SOURCE, e.to_string())
            })?;
        Ok(AssumeRoleCredentials {
            base: self.base,
            request,
            sts: self.sts.build(SOURCE)?,
            signer: Signer::new(),
            clock,
            cache: TemporaryCache::default(),
        })
    }
}

#[cfg(test)]
mod tests;
