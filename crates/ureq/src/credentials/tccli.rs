//! [`TccliCredentials`]: tccli's configuration, `~/.tccli/<profile>.credential`
//! (and `.configure` for the region and STS's endpoint). The IO; the formats,
//! the profile and every refusal are the core's
//! ([`tencentcloud_cvm_core::tccli_config`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tencentcloud_cvm_core::env::VariableValue;
use tencentcloud_cvm_core::env::STS_ENDPOINT_VAR;
use tencentcloud_cvm_core::tccli_config::{
    configure_in_file, credential_in_file, file_error, locate, no_credential_file, TccliConfigure,
    TccliCredential, TccliFiles, SOURCE,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};

use super::regular_file::read_text;
use super::{AssumeRoleCredentials, CvmRoleCredentials, EnvLookup, Keyed};
use crate::{Transport, WallClock};

/// A tccli file larger than this is refused (a `.configure` with every
/// service tccli knows is about 20 KiB).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Credentials from tccli's configuration, read on every call, as
/// `tccli configure set secretId … secretKey …` writes them:
///
/// ```text
/// ~/.tccli/<profile>.credential   {"secretId": "AKID…", "secretKey": "…", "token": "…"}
/// ```
///
/// | the file holds | credentials |
/// | --- | --- |
/// | `secretId`, `secretKey` (and `token`) | those |
/// | `role-arn` and `role-session-name` too | STS AssumeRole with those keys, as tccli does (at `sts.endpoint` of the `.configure` file when `TENCENTCLOUD_STS_ENDPOINT` is unset), cached and refreshed |
/// | `"type": "cvm-role"` | the instance's CAM role ([`CvmRoleCredentials`]) |
/// | `"type": "oauth"` / `"sso"`, a role without a session name, half a key pair | an error naming the file and the key: refused, never ignored |
///
/// The profile is the one given to [`TccliCredentials::with_profile`], else
/// `TENCENTCLOUD_PROFILE`, else `TCCLI_PROFILE`, else `default`. No `HOME`, no
/// file, or a file with no keys (only a region, say):
/// [`CredentialsErrorKind::NotConfigured`], so the chain moves on.
///
/// ```
/// use tencentcloud_cvm_core::ProvideCredentials;
/// use tencentcloud_cvm_ureq::TccliCredentials;
/// let dir = std::env::temp_dir().join(format!("tccvm-doc-tccli-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("default.credential"), "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"TESTKEY\"\n}")?;
/// std::fs::write(dir.join("default.configure"), r#"{"_sys_param": {"region": "ap-guangzhou"}}"#)?;
/// let tccli = TccliCredentials::with_lookup(|_| None).with_dir(&dir);
/// assert_eq!(tccli.credentials()?.secret_id(), "AKIDTESTID");
/// assert_eq!(tccli.region()?.as_deref(), Some("ap-guangzhou"));
/// std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`CredentialsErrorKind::NotConfigured`]: tencentcloud_cvm_core::CredentialsErrorKind::NotConfigured
pub struct TccliCredentials {
    lookup: EnvLookup,
    dir: Option<PathBuf>,
    profile: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
    assumed: Keyed<(Credentials, String, String, Option<String>), AssumeRoleCredentials>,
    cvm: Keyed<(), CvmRoleCredentials>,
}

impl fmt::Debug for TccliCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TccliCredentials")
            .field("lookup", &self.lookup)
            .field("dir", &self.dir)
            .field("profile", &self.profile)
            .field("assumed", &self.assumed)
            .field("cvm", &self.cvm)
            .finish_non_exhaustive()
    }
}

impl Default for TccliCredentials {
    fn default() -> Self {
        TccliCredentials::new()
    }
}

fn read(path: &Path) -> Result<Option<String>, CredentialsError> {
    read_text(path, MAX_FILE_BYTES).map_err(|e| file_error(path, e.to_string()))
}

impl TccliCredentials {
    /// Reads the process environment (`HOME`, `TENCENTCLOUD_PROFILE`, `TCCLI_PROFILE`).
    pub fn new() -> Self {
        TccliCredentials::from_lookup(EnvLookup::Process)
    }

    /// Reads those variables through `lookup` (`None`: unset), e.g. in tests.
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        TccliCredentials::from_lookup(EnvLookup::custom(lookup))
    }

    pub(crate) fn from_lookup(lookup: EnvLookup) -> Self {
        TccliCredentials {
            lookup,
            dir: None,
            profile: None,
            transport: None,
            clock: None,
            assumed: Keyed::default(),
            cvm: Keyed::default(),
        }
    }

    /// Looks for the files in `dir` instead of `$HOME/.tccli`.
    pub fn with_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    /// Uses this profile, whatever the variables say.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The transport and clock a role (AssumeRole, CVM role) uses, unless none.
    pub(crate) fn shared(
        mut self,
        transport: Option<Arc<dyn Transport>>,
        clock: Option<Arc<dyn WallClock>>,
    ) -> Self {
        self.transport = transport;
        self.clock = clock;
        self
    }

    fn files(&self) -> Result<Option<TccliFiles>, CredentialsError> {
        locate(self.dir.as_deref(), self.profile.as_deref(), &|name| {
            self.lookup.get(name)
        })
    }

    fn configure(&self, files: &TccliFiles) -> Result<TccliConfigure, CredentialsError> {
        match read(&files.configure)? {
            None => Ok(TccliConfigure::default()),
            Some(text) => configure_in_file(&files.configure, &text),
        }
    }

    /// The profile's region (`_sys_param.region` of `<profile>.configure`);
    /// `Ok(None)` without `HOME`, the file or the key.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        Ok(self.region_and_file()?.map(|(region, _)| region))
    }

    /// The region and the file it is in.
    pub(crate) fn region_and_file(&self) -> Result<Option<(String, PathBuf)>, CredentialsError> {
        let Some(files) = self.files()? else {
            return Ok(None);
        };
        Ok(self.configure(&files)?.region.map(|r| (r, files.configure)))
    }

    fn assume(
        &self,
        files: &TccliFiles,
        base: Credentials,
        role_arn: String,
        session: String,
    ) -> Result<Credentials, CredentialsError> {
        // tccli sends AssumeRole to its configured STS endpoint; ours, when
        // set, is the more specific choice.
        let endpoint = match self.lookup.get(STS_ENDPOINT_VAR) {
            VariableValue::Unset => self.configure(files)?.sts_endpoint,
            _ => None,
        };
        let key = (
            base.clone(),
            role_arn.clone(),
            session.clone(),
            endpoint.clone(),
        );
        let provider = self.assumed.get(key, || {
            let mut builder = AssumeRoleCredentials::builder(base, role_arn)
                .role_session_name(session)
                .lookup(self.lookup.clone())
                .shared(self.transport.clone(), self.clock.clone());
            if let Some(url) = endpoint {
                builder = builder.sts(|s| s.endpoint_url(url));
            }
            builder.build()
        })?;
        provider.credentials()
    }
}

impl ProvideCredentials for TccliCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let Some(files) = self.files()? else {
            return Err(CredentialsError::new(
                CredentialsErrorKind::NotConfigured,
                SOURCE,
                "HOME is not set",
            ));
        };
        let Some(text) = read(&files.credential)? else {
            return Err(no_credential_file(&files.credential));
        };
        match credential_in_file(&files.credential, &text)? {
            TccliCredential::Keys(c) => Ok(c),
            TccliCredential::AssumeRole {
                base,
                role_arn,
                role_session_name,
            } => self.assume(&files, base, role_arn, role_session_name),
            TccliCredential::CvmRole => {
                let cvm = self.cvm.get((), || {
                    Ok(CvmRoleCredentials::builder()
                        .lookup(self.lookup.clone())
                        .shared(self.transport.clone(), self.clock.clone())
                        .build())
                })?;
                // The file asks for the instance's role: not finding one is
                // this source failing, not an absent source to pass over.
                cvm.credentials().map_err(|e| match e.kind() {
                    CredentialsErrorKind::NotConfigured => file_error(
                        &files.credential,
                        format!(
                            "has `\"type\": \"cvm-role\"`, but {}: {}",
                            e.source_name(),
                            e.detail()
                        ),
                    ),
                    _ => e,
                })
            }
            _ => Err(file_error(
                &files.credential,
                "asks for credentials this version cannot provide",
            )),
        }
    }
}

#[cfg(test)]
mod tests;
