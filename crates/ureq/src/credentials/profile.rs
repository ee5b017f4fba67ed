//! [`ProfileFileCredentials`]: the INI credentials file.

use std::path::{Path, PathBuf};

use tencentcloud_cvm_core::profile_file::{
    candidate_files, file_error, missing_file, no_file, profile_in_file, profile_name,
    region_in_file, FileCandidate, Profile, SYSTEM_CREDENTIALS_FILE,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};

use super::regular_file::read_text;
use super::EnvLookup;

/// A credentials file larger than this is refused (it is a few lines of text).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Credentials from a profile in the credentials file, read on every call.
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
///
/// [ci]
/// secret_id = AKID...
/// secret_key = ...
/// token = ...   ; optional
/// role_arn = qcs::cam::uin/100000000001:roleName/ops   ; optional, see below
/// role_session_name = nightly                          ; optional
/// ```
///
/// This provider returns the profile's own keys. `role_arn` is for
/// [`DefaultCredentialsChain`](crate::DefaultCredentialsChain), which assumes
/// that role with them (STS AssumeRole).
///
/// The file is, in order of precedence:
/// 1. the one given to [`ProfileFileCredentials::with_path`];
/// 2. the one named by `TENCENTCLOUD_CREDENTIALS_FILE`;
/// 3. `$HOME/.tencentcloud/credentials`, if it exists;
/// 4. `/etc/tencentcloud/credentials` ([`ProfileFileCredentials::with_system_file`]), if it exists.
///
/// The profile is the one given to [`ProfileFileCredentials::with_profile`], else
/// `TENCENTCLOUD_PROFILE`, else `default`.
///
/// Neither default file exists: [`CredentialsErrorKind::NotConfigured`]. A
/// file named by 1 or 2 that is missing, any file that cannot be read (a
/// directory, a FIFO or device, no permission, not UTF-8, over 1 MiB), a
/// malformed line, a missing profile or key, a value [`Credentials::validate`]
/// refuses: [`CredentialsErrorKind::Invalid`], naming the path (and line or
/// key); never a value from the file. Only regular files are read, so a FIFO
/// given by mistake fails at once instead of blocking.
///
/// ```
/// use tencentcloud_cvm_core::ProvideCredentials;
/// use tencentcloud_cvm_ureq::ProfileFileCredentials;
/// let path = std::env::temp_dir().join(format!("tccvm-doc-{}.ini", std::process::id()));
/// std::fs::write(&path, "[default]\nsecret_id = AKID1\nsecret_key = k1\n[ci]\nsecret_id = AKID2\nsecret_key = k2\n")?;
/// let ci = ProfileFileCredentials::new().with_path(&path).with_profile("ci");
/// assert_eq!(ci.credentials()?.secret_id(), "AKID2");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProfileFileCredentials {
    lookup: EnvLookup,
    path: Option<PathBuf>,
    profile: Option<String>,
    system_file: PathBuf,
}

impl Default for ProfileFileCredentials {
    fn default() -> Self {
        ProfileFileCredentials::new()
    }
}

impl ProfileFileCredentials {
    /// Reads the process environment (`HOME`, `TENCENTCLOUD_CREDENTIALS_FILE`,
    /// `TENCENTCLOUD_PROFILE`) to find the file and profile.
    pub fn new() -> Self {
        ProfileFileCredentials {
            lookup: EnvLookup::Process,
            path: None,
            profile: None,
            system_file: PathBuf::from(SYSTEM_CREDENTIALS_FILE),
        }
    }

    /// Reads those variables through `lookup` (`None`: unset), e.g. in tests.
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        ProfileFileCredentials::from_lookup(EnvLookup::custom(lookup))
    }

    pub(crate) fn from_lookup(lookup: EnvLookup) -> Self {
        ProfileFileCredentials {
            lookup,
            ..ProfileFileCredentials::new()
        }
    }

    /// Uses this file, which must exist, instead of searching.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile (section), whatever `TENCENTCLOUD_PROFILE` says.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Replaces the system-wide file tried last (default `/etc/tencentcloud/credentials`).
    pub fn with_system_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_file = path.into();
        self
    }

    /// The profile to read, and the variable that named it, if one did.
    fn profile_name(&self) -> Result<(String, Option<&'static str>), CredentialsError> {
        profile_name(self.profile.as_deref(), &|name| self.lookup.get(name))
    }

    fn candidates(&self) -> Result<Vec<FileCandidate>, CredentialsError> {
        candidate_files(
            self.path.as_deref(),
            &|name| self.lookup.get(name),
            &self.system_file,
        )
    }
}

/// The file's text; `Ok(None)` when it does not exist.
fn read_file(path: &Path) -> Result<Option<String>, CredentialsError> {
    read_text(path, MAX_FILE_BYTES).map_err(|e| file_error(path, e.to_string()))
}

impl ProfileFileCredentials {
    /// The first candidate file that exists, with its text. None exists:
    /// [`CredentialsErrorKind::NotConfigured`], listing the paths tried.
    fn find_file(&self) -> Result<(PathBuf, String), CredentialsError> {
        let mut tried = Vec::new();
        for candidate in self.candidates()? {
            let (path, required) = match candidate {
                FileCandidate::Required { path, named_by } => (path, Some(named_by)),
                FileCandidate::Optional(path) => (path, None),
                _ => continue,
            };
            let Some(text) = read_file(&path)? else {
                if let Some(by) = required {
                    return Err(missing_file(&path, by));
                }
                tried.push(path);
                continue;
            };
            return Ok((path, text));
        }
        Err(no_file(&tried))
    }

    /// The whole profile (credentials and role settings), read now.
    pub(crate) fn load(&self) -> Result<Profile, CredentialsError> {
        let (profile, profile_from) = self.profile_name()?;
        let (path, text) = self.find_file()?;
        profile_in_file(&path, &text, &profile, profile_from)
    }

    /// The profile's region and the file it is in, for [`DefaultRegionChain`](crate::DefaultRegionChain).
    pub(crate) fn region_and_file(&self) -> Result<Option<(String, PathBuf)>, CredentialsError> {
        let (profile, _) = self.profile_name()?;
        let (path, text) = match self.find_file() {
            Ok(found) => found,
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(region_in_file(&path, &text, &profile)?.map(|r| (r, path)))
    }
}

impl ProfileFileCredentials {
    /// The profile's `region`, from the file [`ProfileFileCredentials::credentials`]
    /// would read, for tools that take their region from the profile.
    ///
    /// `Ok(None)` when neither default file exists, or the profile has no section
    /// or no `region`: a profile need not hold a region, nor a file any profile.
    /// A named file that is missing, a file that cannot be read or a malformed
    /// line: an error as for the credentials, naming the path.
    ///
    /// ```
    /// use tencentcloud_cvm_ureq::ProfileFileCredentials;
    /// let path = std::env::temp_dir().join(format!("tccvm-doc-region-{}.ini", std::process::id()));
    /// std::fs::write(&path, "[default]\nregion = ap-guangzhou\n[ci]\nsecret_id = AKID2\nsecret_key = k2\n")?;
    /// assert_eq!(ProfileFileCredentials::new().with_path(&path).region()?.as_deref(), Some("ap-guangzhou"));
    /// assert_eq!(ProfileFileCredentials::new().with_path(&path).with_profile("ci").region()?, None);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        Ok(self.region_and_file()?.map(|(region, _)| region))
    }
}

impl ProvideCredentials for ProfileFileCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.load().map(|p| p.credentials)
    }
}

#[cfg(test)]
mod tests;
