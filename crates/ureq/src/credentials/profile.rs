//! [`ProfileFileCredentials`]: the INI credentials file.

use std::path::{Path, PathBuf};

use tencentcloud_cvm_core::profile_file::{
    parse_profile, parse_region, Profile, ProfileFileError, DEFAULT_PROFILE,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};

use super::regular_file::read_text;
use super::{EnvLookup, EnvValue};

/// The variable naming the credentials file (overrides the default locations).
pub const CREDENTIALS_FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The variable naming the profile (section) to use; `default` when unset.
pub const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
/// The system-wide credentials file, tried after `~/.tencentcloud/credentials`.
pub const SYSTEM_CREDENTIALS_FILE: &str = "/etc/tencentcloud/credentials";

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

/// Where the file was found, and whether it had to exist.
enum Candidate {
    /// Named explicitly (builder or variable): must exist.
    Required(PathBuf, &'static str),
    /// A default location: skipped when absent.
    Optional(PathBuf),
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

    fn env(&self, name: &str) -> Result<Option<String>, CredentialsError> {
        self.lookup.non_empty(name, "profile file", "a value")
    }

    /// The profile to read, and where its name came from.
    fn profile_name(&self) -> Result<(String, Option<&'static str>), CredentialsError> {
        if let Some(p) = &self.profile {
            return Ok((p.clone(), None));
        }
        Ok(match self.env(PROFILE_VAR)? {
            Some(p) => (p, Some(PROFILE_VAR)),
            None => (DEFAULT_PROFILE.to_owned(), None),
        })
    }

    fn candidates(&self) -> Result<Vec<Candidate>, CredentialsError> {
        if let Some(p) = &self.path {
            return Ok(vec![Candidate::Required(p.clone(), "the configured path")]);
        }
        if let Some(p) = self.env(CREDENTIALS_FILE_VAR)? {
            return Ok(vec![Candidate::Required(p.into(), CREDENTIALS_FILE_VAR)]);
        }
        let mut list = Vec::with_capacity(2);
        // HOME set but empty is treated as unset, as shells do.
        if let EnvValue::Set(home) = self.lookup.get("HOME") {
            if !home.trim().is_empty() {
                let path = Path::new(&home).join(".tencentcloud").join("credentials");
                list.push(Candidate::Optional(path));
            }
        }
        list.push(Candidate::Optional(self.system_file.clone()));
        Ok(list)
    }
}

fn source(path: &Path) -> String {
    format!("profile file {}", path.display())
}

fn invalid(path: &Path, detail: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, source(path), detail)
}

/// The file's text; `Ok(None)` when it does not exist.
fn read_file(path: &Path) -> Result<Option<String>, CredentialsError> {
    read_text(path, MAX_FILE_BYTES).map_err(|e| invalid(path, e.to_string()))
}

impl ProfileFileCredentials {
    /// The first candidate file that exists, with its text. None exists:
    /// [`CredentialsErrorKind::NotConfigured`], listing the paths tried.
    fn find_file(&self) -> Result<(PathBuf, String), CredentialsError> {
        let mut tried = Vec::new();
        for candidate in self.candidates()? {
            let (path, required) = match candidate {
                Candidate::Required(p, by) => (p, Some(by)),
                Candidate::Optional(p) => (p, None),
            };
            let Some(text) = read_file(&path)? else {
                if let Some(by) = required {
                    return Err(invalid(&path, format!("does not exist (named by {by})")));
                }
                tried.push(path.display().to_string());
                continue;
            };
            return Ok((path, text));
        }
        Err(CredentialsError::new(
            CredentialsErrorKind::NotConfigured,
            "profile file",
            format!("no credentials file at {}", tried.join(" or ")),
        ))
    }

    /// The whole profile (credentials and role settings), read now.
    pub(crate) fn load(&self) -> Result<Profile, CredentialsError> {
        let (profile, profile_from) = self.profile_name()?;
        let (path, text) = self.find_file()?;
        parse_profile(&text, &profile).map_err(|e| {
            let mut detail = e.to_string();
            if let (ProfileFileError::ProfileNotFound { .. }, Some(var)) = (&e, profile_from) {
                detail.push_str(&format!(" (profile named by {var})"));
            }
            invalid(&path, detail)
        })
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
        let (profile, _) = self.profile_name()?;
        let (path, text) = match self.find_file() {
            Ok(found) => found,
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => return Ok(None),
            Err(e) => return Err(e),
        };
        parse_region(&text, &profile).map_err(|e| invalid(&path, e.to_string()))
    }
}

impl ProvideCredentials for ProfileFileCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.load().map(|p| p.credentials)
    }
}

#[cfg(test)]
mod tests;
