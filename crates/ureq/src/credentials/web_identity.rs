//! [`WebIdentityCredentials`]: a role's temporary credentials from STS
//! `AssumeRoleWithWebIdentity`, with the OIDC token TKE mounts into a pod.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::sts::{
    default_session_name, web_identity_request, AssumeRoleWithWebIdentity, TkeVariables,
    ASSUME_ROLE_WITH_WEB_IDENTITY, TKE_SOURCE as SOURCE,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, TemporaryCredentials,
};

use super::regular_file::read_text;
use super::sts_client::{StsClient, StsSettings};
use super::temporary_cache::TemporaryCache;
use super::EnvLookup;
use crate::SystemClock;

/// The largest token file read (an OIDC token is a few KiB).
const MAX_TOKEN_FILE: u64 = 64 * 1024;

/// A role's temporary credentials for a TKE pod: STS `AssumeRoleWithWebIdentity`
/// (unsigned: the OIDC token is the proof), cached and refreshed when 300 s or
/// less remain, one refresh at a time. The token file is read again on every
/// refresh, since TKE rotates it.
///
/// [`from_env`](WebIdentityCredentials::from_env) reads `TKE_REGION`,
/// `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`.
///
/// ```no_run
/// use tencentcloud_cvm_core::ProvideCredentials;
/// use tencentcloud_cvm_ureq::WebIdentityCredentials;
/// let pod = WebIdentityCredentials::builder(
///     "ap-guangzhou",
///     "tke-oidc-provider",
///     "/var/run/secrets/tke.cloud.tencent.com/serviceaccount/token",
///     "qcs::cam::uin/100000000001:roleName/pod-role",
/// )
/// .build()?;
/// let credentials = pod.credentials()?;
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
pub struct WebIdentityCredentials {
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
    duration_seconds: u64,
    sts: StsClient,
    clock: Arc<dyn WallClock>,
    cache: TemporaryCache,
}

impl fmt::Debug for WebIdentityCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityCredentials")
            .field("provider_id", &self.provider_id)
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("sts", &self.sts)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

/// Settings for [`WebIdentityCredentials`].
pub struct WebIdentityCredentialsBuilder {
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
    duration_seconds: u64,
    sts: StsSettings,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for WebIdentityCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityCredentialsBuilder")
            .field("provider_id", &self.provider_id)
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

fn invalid(detail: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, SOURCE, detail)
}

impl WebIdentityCredentials {
    /// Starts a builder: in `region`, assume `role_arn` with the token in
    /// `token_file`, issued by the identity provider `provider_id`.
    pub fn builder(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> WebIdentityCredentialsBuilder {
        let sts = StsSettings::default().region(region);
        WebIdentityCredentialsBuilder {
            provider_id: provider_id.into(),
            token_file: token_file.into(),
            role_arn: role_arn.into(),
            session_name: None,
            duration_seconds: tencentcloud_cvm_core::sts::DEFAULT_DURATION_SECONDS,
            sts,
            clock: None,
        }
    }

    /// From `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and
    /// `TKE_ROLE_ARN`: `Ok(None)` when none is set, an error naming what is
    /// missing when only some are.
    pub fn from_env() -> Result<Option<WebIdentityCredentials>, CredentialsError> {
        match TkeVariables::read(&|name| EnvLookup::Process.get(name))? {
            None => Ok(None),
            Some(v) => WebIdentityCredentials::from_variables(v, EnvLookup::Process)
                .build()
                .map(Some),
        }
    }

    pub(crate) fn from_variables(
        v: TkeVariables,
        lookup: EnvLookup,
    ) -> WebIdentityCredentialsBuilder {
        let mut builder =
            WebIdentityCredentials::builder(v.region, v.provider_id, v.token_file, v.role_arn);
        builder.sts = builder.sts.lookup(lookup);
        builder
    }

    /// The token file, read now (TKE rotates it).
    fn token(&self) -> Result<String, CredentialsError> {
        let path: &Path = &self.token_file;
        let shown = path.display();
        match read_text(path, MAX_TOKEN_FILE) {
            Ok(Some(text)) => Ok(text.trim().to_owned()),
            Ok(None) => Err(invalid(format!(
                "the web identity token file {shown} does not exist"
            ))),
            Err(e) => Err(invalid(format!("the web identity token file {shown} {e}"))),
        }
    }

    fn fetch(&self) -> Result<TemporaryCredentials, CredentialsError> {
        let token = self.token()?;
        let now = self.clock.unix_time();
        let session_name = self
            .session_name
            .clone()
            .unwrap_or_else(|| default_session_name(now));
        let http = web_identity_request(
            self.sts.config(),
            &self.provider_id,
            &token,
            &self.token_file.display().to_string(),
            &self.role_arn,
            session_name,
            self.duration_seconds,
            now,
        )?;
        self.sts.call(ASSUME_ROLE_WITH_WEB_IDENTITY, &http, SOURCE)
    }
}

impl ProvideCredentials for WebIdentityCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.cache.get(&*self.clock, || self.fetch())
    }
}

impl WebIdentityCredentialsBuilder {
    /// The session name (default `tencentcloud-cvm-<Unix time>`, new for each refresh).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long each key lasts (default 7200 s; 1 to 43200).
    pub fn duration_seconds(mut self, seconds: u64) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// Adjusts how STS is reached: region (the one given to
    /// [`WebIdentityCredentials::builder`] unless changed here), base URL,
    /// transport.
    pub fn sts(mut self, f: impl FnOnce(StsSettings) -> StsSettings) -> Self {
        self.sts = f(self.sts);
        self
    }

    /// Reads time (expiry, session names) from this clock (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
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

    /// Checks the settings (region, endpoint, and every parameter but the
    /// token, which is read at each refresh). Sends nothing.
    pub fn build(self) -> Result<WebIdentityCredentials, CredentialsError> {
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn WallClock>);
        // Every rule but the token's, checked now with a placeholder token.
        let session = self
            .session_name
            .clone()
            .unwrap_or_else(|| default_session_name(clock.unix_time()));
        AssumeRoleWithWebIdentity::builder(
            self.provider_id.as_str(),
            "placeholder",
            self.role_arn.as_str(),
            session,
        )
        .duration_seconds(self.duration_seconds)
        .build()
        .map_err(|e| invalid(e.to_string()))?;
        Ok(WebIdentityCredentials {
            provider_id: self.provider_id,
            token_file: self.token_file,
            role_arn: self.role_arn,
            session_name: self.session_name,
            duration_seconds: self.duration_seconds,
            sts: self.sts.build(SOURCE)?,
            clock,
            cache: TemporaryCache::default(),
        })
    }
}

#[cfg(test)]
mod tests;
