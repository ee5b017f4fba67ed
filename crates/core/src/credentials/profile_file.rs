//! The credentials file (`~/.tencentcloud/credentials`): a pure INI parser.
//!
//! ```ini
//! [default]
//! secret_id = AKID...
//! secret_key = ...
//! token = ...        ; optional
//! role_arn = qcs::cam::uin/100000000001:roleName/ops   ; optional: assume this role
//! role_session_name = nightly                          ; optional, with role_arn
//! region = ap-guangzhou                                ; optional: for tools (see parse_region)
//! ```
//!
//! Reading the file is the transport crate's job; this module only decides
//! which files to try and which profile to read ([`candidate_files`],
//! [`profile_name`]) and turns text into [`Credentials`], so it can be fuzzed
//! and tested without a filesystem.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::credentials::environment::{
    setting, Lookup, VariableValue, CREDENTIALS_FILE_VAR, HOME_VAR, PROFILE_VAR,
};
use crate::credentials::invalid_credentials::CredentialField;
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};
use crate::credentials::Credentials;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Why a credentials file could not be used. Never contains a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileFileError {
    /// The named profile has no section in the file.
    ProfileNotFound {
        /// The profile asked for.
        profile: String,
    },
    /// The profile lacks a required key, or its value is empty.
    MissingKey {
        /// The profile.
        profile: String,
        /// `secret_id` or `secret_key`.
        key: &'static str,
    },
    /// A value breaks a rule of [`Credentials::validate`] (a control character, say).
    InvalidValue {
        /// The profile.
        profile: String,
        /// `secret_id`, `secret_key` or `token`.
        key: &'static str,
        /// The rule it breaks.
        problem: &'static str,
    },
    /// A line is neither a section, a `key = value` pair, a comment nor blank.
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileFileError::ProfileNotFound { profile } => {
                write!(f, "no [{}] section", profile.escape_debug())
            }
            ProfileFileError::MissingKey { profile, key } => {
                write!(
                    f,
                    "section [{}] has no non-empty `{key}`",
                    profile.escape_debug()
                )
            }
            ProfileFileError::InvalidValue {
                profile,
                key,
                problem,
            } => write!(
                f,
                "`{key}` in section [{}] {problem}",
                profile.escape_debug()
            ),
            ProfileFileError::Malformed { line, reason } => write!(f, "line {line}: {reason}"),
        }
    }
}

impl std::error::Error for ProfileFileError {}

fn unquote(v: &str) -> &str {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

/// One profile of a credentials file: its keys, and the role to assume with them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Profile {
    /// `secret_id`, `secret_key` and the optional `token`, validated.
    pub credentials: Credentials,
    /// `role_arn`: when set, these credentials are the base for STS AssumeRole.
    pub role_arn: Option<String>,
    /// `role_session_name`, the session name for that AssumeRole.
    pub role_session_name: Option<String>,
}

/// Reads `profile`'s credentials from the text of a credentials file; see [`parse_profile`].
///
/// ```
/// use tencentcloud_cvm_core::profile_file::parse_profile_file;
/// let text = "# mine\n[default]\nsecret_id = AKID1\nsecret_key = k1\n\n[ci]\nsecret_id=AKID2\nsecret_key='k2'\ntoken = t\n";
/// assert_eq!(parse_profile_file(text, "default")?.secret_id(), "AKID1");
/// let ci = parse_profile_file(text, "ci")?;
/// assert_eq!(ci.secret_key().expose(), "k2");
/// assert!(ci.token().is_some());
/// # Ok::<(), tencentcloud_cvm_core::profile_file::ProfileFileError>(())
/// ```
pub fn parse_profile_file(text: &str, profile: &str) -> Result<Credentials, ProfileFileError> {
    parse_profile(text, profile).map(|p| p.credentials)
}

/// Reads `profile` from the text of a credentials file.
///
/// Section and key names are matched exactly after trimming; values are
/// trimmed and may be quoted. Lines starting with `#` or `;` are comments.
/// A later key in the same section overrides an earlier one. The credentials
/// must pass [`Credentials::validate`]; empty optional keys count as absent.
///
/// ```
/// use tencentcloud_cvm_core::profile_file::parse_profile;
/// let text = "[ops]\nsecret_id = AKID1\nsecret_key = k1\nrole_arn = qcs::cam::uin/1:roleName/ops\n";
/// let p = parse_profile(text, "ops")?;
/// assert_eq!(p.role_arn.as_deref(), Some("qcs::cam::uin/1:roleName/ops"));
/// assert_eq!(p.role_session_name, None);
/// # Ok::<(), tencentcloud_cvm_core::profile_file::ProfileFileError>(())
/// ```
pub fn parse_profile(text: &str, profile: &str) -> Result<Profile, ProfileFileError> {
    let (mut id, mut key, mut token) = (None::<&str>, None::<&str>, None::<&str>);
    let (mut role_arn, mut role_session_name) = (None::<&str>, None::<&str>);
    let found = scan(text, profile, |k, v| match k {
        "secret_id" => id = Some(v),
        "secret_key" => key = Some(v),
        "token" => token = Some(v),
        "role_arn" => role_arn = Some(v),
        "role_session_name" => role_session_name = Some(v),
        _ => {}
    })?;
    if !found {
        return Err(ProfileFileError::ProfileNotFound {
            profile: profile.chars().take(64).collect(),
        });
    }
    let missing = |key| ProfileFileError::MissingKey {
        profile: profile.chars().take(64).collect(),
        key,
    };
    let id = id
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("secret_id"))?;
    let key = key
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("secret_key"))?;
    let creds = Credentials::new(id, key);
    let credentials = match token.filter(|t| !t.is_empty()) {
        Some(t) => creds.with_token(t),
        None => creds,
    };
    credentials
        .validate()
        .map_err(|e| ProfileFileError::InvalidValue {
            profile: profile.chars().take(64).collect(),
            key: match e.field() {
                CredentialField::SecretId => "secret_id",
                CredentialField::SecretKey => "secret_key",
                _ => "token",
            },
            problem: e.problem(),
        })?;
    let present = |v: Option<&str>| v.filter(|v| !v.is_empty()).map(str::to_owned);
    Ok(Profile {
        credentials,
        role_arn: present(role_arn),
        role_session_name: present(role_session_name),
    })
}

/// Reads `profile`'s `region` from the text of a credentials file: `None` when
/// the profile has no section, or no non-empty `region` (tools such as tccli keep
/// the region beside the keys; a profile may hold only a region).
///
/// The whole file is checked as [`parse_profile`] checks it, so a malformed file
/// is an error here too; the keys are not required.
///
/// ```
/// use tencentcloud_cvm_core::profile_file::parse_region;
/// let text = "[default]\nsecret_id = AKID1\nsecret_key = k1\nregion = ap-guangzhou\n[ci]\nregion=\n";
/// assert_eq!(parse_region(text, "default")?.as_deref(), Some("ap-guangzhou"));
/// assert_eq!(parse_region(text, "ci")?, None);
/// assert_eq!(parse_region(text, "other")?, None);
/// # Ok::<(), tencentcloud_cvm_core::profile_file::ProfileFileError>(())
/// ```
pub fn parse_region(text: &str, profile: &str) -> Result<Option<String>, ProfileFileError> {
    let mut region = None::<&str>;
    scan(text, profile, |k, v| {
        if k == "region" {
            region = Some(v);
        }
    })?;
    Ok(region.filter(|v| !v.is_empty()).map(str::to_owned))
}

/// Checks every line of the file and hands each `key = value` of `profile`'s
/// section(s) to `entry`, in order (trimmed, the value unquoted). Returns
/// whether the profile has a section.
fn scan<'a>(
    text: &'a str,
    profile: &str,
    mut entry: impl FnMut(&'a str, &'a str),
) -> Result<bool, ProfileFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut in_profile = false;
    let mut found = false;
    let mut in_any_section = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or(ProfileFileError::Malformed {
                line: i + 1,
                reason: "a section header must end with `]`",
            })?;
            let name = name.trim();
            if name.is_empty() {
                return Err(ProfileFileError::Malformed {
                    line: i + 1,
                    reason: "empty section name",
                });
            }
            in_any_section = true;
            in_profile = name == profile;
            found |= in_profile;
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(ProfileFileError::Malformed {
                line: i + 1,
                reason: "expected `key = value`",
            });
        };
        if !in_any_section {
            return Err(ProfileFileError::Malformed {
                line: i + 1,
                reason: "a key outside any [section]",
            });
        }
        let k = k.trim();
        if k.is_empty() {
            return Err(ProfileFileError::Malformed {
                line: i + 1,
                reason: "empty key name",
            });
        }
        if in_profile {
            entry(k, unquote(v.trim()));
        }
    }
    Ok(found)
}

/// The system-wide credentials file, tried after `~/.tencentcloud/credentials`.
pub const SYSTEM_CREDENTIALS_FILE: &str = "/etc/tencentcloud/credentials";

/// The source name of the errors before a file is found.
const SEARCH_SOURCE: &str = "profile file";

/// A file the credentials may be in, and whether it must exist.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileCandidate {
    /// Named explicitly (a builder, a variable): must exist.
    Required {
        /// The file.
        path: PathBuf,
        /// What named it, e.g. `TENCENTCLOUD_CREDENTIALS_FILE`.
        named_by: &'static str,
    },
    /// A default location: skipped when absent.
    Optional(PathBuf),
}

/// The files to try, in order:
/// 1. `explicit` (a builder's path), which must exist;
/// 2. the one named by `TENCENTCLOUD_CREDENTIALS_FILE`, which must exist;
/// 3. `$HOME/.tencentcloud/credentials` (`HOME` set but blank counts as unset, as in shells);
/// 4. `system_file` (normally [`SYSTEM_CREDENTIALS_FILE`]).
///
/// ```
/// use std::path::Path;
/// use tencentcloud_cvm_core::env::VariableValue;
/// use tencentcloud_cvm_core::profile_file::{candidate_files, FileCandidate};
/// let lookup = |name: &str| match name {
///     "HOME" => VariableValue::Set("/home/ops".into()),
///     _ => VariableValue::Unset,
/// };
/// let files = candidate_files(None, &lookup, Path::new("/etc/tencentcloud/credentials"))?;
/// assert_eq!(files[0], FileCandidate::Optional("/home/ops/.tencentcloud/credentials".into()));
/// assert_eq!(files.len(), 2);
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
pub fn candidate_files(
    explicit: Option<&Path>,
    lookup: Lookup<'_>,
    system_file: &Path,
) -> Result<Vec<FileCandidate>, CredentialsError> {
    if let Some(p) = explicit {
        return Ok(vec![FileCandidate::Required {
            path: p.to_path_buf(),
            named_by: "the configured path",
        }]);
    }
    let named = setting(
        CREDENTIALS_FILE_VAR,
        lookup(CREDENTIALS_FILE_VAR),
        SEARCH_SOURCE,
        "a value",
    )?;
    if let Some(p) = named {
        return Ok(vec![FileCandidate::Required {
            path: p.into(),
            named_by: CREDENTIALS_FILE_VAR,
        }]);
    }
    let mut list = Vec::with_capacity(2);
    if let Some(home) = home_dir(lookup) {
        list.push(FileCandidate::Optional(
            home.join(".tencentcloud").join("credentials"),
        ));
    }
    list.push(FileCandidate::Optional(system_file.to_path_buf()));
    Ok(list)
}

/// `HOME`, when set and not blank.
pub(crate) fn home_dir(lookup: Lookup<'_>) -> Option<PathBuf> {
    match lookup(HOME_VAR) {
        VariableValue::Set(home) if !home.trim().is_empty() => Some(PathBuf::from(home)),
        _ => None,
    }
}

/// The profile to read: `explicit` (a builder's, a command line's), else
/// `TENCENTCLOUD_PROFILE`, else `default`; and the variable that named it, if one did.
pub fn profile_name(
    explicit: Option<&str>,
    lookup: Lookup<'_>,
) -> Result<(String, Option<&'static str>), CredentialsError> {
    if let Some(p) = explicit {
        return Ok((p.to_owned(), None));
    }
    Ok(
        match setting(PROFILE_VAR, lookup(PROFILE_VAR), SEARCH_SOURCE, "a value")? {
            Some(p) => (p, Some(PROFILE_VAR)),
            None => (DEFAULT_PROFILE.to_owned(), None),
        },
    )
}

/// The source name of the errors about the file at `path`.
pub fn file_source(path: &Path) -> String {
    format!("profile file {}", path.display())
}

/// An [`Invalid`](CredentialsErrorKind::Invalid) error about the file at `path`.
pub fn file_error(path: &Path, detail: impl Into<String>) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, file_source(path), detail)
}

/// The error for a file that was named but does not exist.
pub fn missing_file(path: &Path, named_by: &str) -> CredentialsError {
    file_error(path, format!("does not exist (named by {named_by})"))
}

/// [`NotConfigured`](CredentialsErrorKind::NotConfigured): none of the default files exists.
pub fn no_file(tried: &[PathBuf]) -> CredentialsError {
    let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    CredentialsError::new(
        CredentialsErrorKind::NotConfigured,
        SEARCH_SOURCE,
        format!("no credentials file at {}", tried.join(" or ")),
    )
}

/// [`parse_profile`] on the text of the file at `path`, its errors naming the
/// file (and `profile_from`, the variable that named the profile, when the
/// profile has no section).
pub fn profile_in_file(
    path: &Path,
    text: &str,
    profile: &str,
    profile_from: Option<&str>,
) -> Result<Profile, CredentialsError> {
    parse_profile(text, profile).map_err(|e| {
        let mut detail = e.to_string();
        if let (ProfileFileError::ProfileNotFound { .. }, Some(var)) = (&e, profile_from) {
            detail.push_str(&format!(" (profile named by {var})"));
        }
        file_error(path, detail)
    })
}

/// [`parse_region`] on the text of the file at `path`, its errors naming the file.
pub fn region_in_file(
    path: &Path,
    text: &str,
    profile: &str,
) -> Result<Option<String>, CredentialsError> {
    parse_region(text, profile).map_err(|e| file_error(path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn layouts() {
        let text = "\u{feff}  ; comment\r\n[ default ]\r\n  secret_id   =   AKID  \r\nsecret_key=\"a=b\"\r\n\r\n[other]\nsecret_id=X\n";
        let c = parse_profile_file(text, "default").unwrap();
        assert_eq!(c.secret_id(), "AKID");
        assert_eq!(c.secret_key().expose(), "a=b");
        assert!(c.token().is_none());
        assert_eq!(
            parse_profile_file(text, "other").unwrap_err(),
            ProfileFileError::MissingKey {
                profile: "other".into(),
                key: "secret_key"
            }
        );
        assert_eq!(
            parse_profile_file(text, "nope").unwrap_err(),
            ProfileFileError::ProfileNotFound {
                profile: "nope".into()
            }
        );
    }

    #[test]
    fn malformed_lines_name_the_line_not_the_value() {
        let e = parse_profile_file("[default]\nsecret_id = A\nSECRET-VALUE-LINE\n", "default")
            .unwrap_err();
        assert_eq!(
            e,
            ProfileFileError::Malformed {
                line: 3,
                reason: "expected `key = value`"
            }
        );
        assert!(!e.to_string().contains("SECRET"));
        let e = parse_profile_file("secret_key = S\n", "default").unwrap_err();
        assert!(matches!(e, ProfileFileError::Malformed { line: 1, .. }));
        let e = parse_profile_file("[default\n", "default").unwrap_err();
        assert!(matches!(e, ProfileFileError::Malformed { line: 1, .. }));
        let e = parse_profile_file("[default]\nsecret_id=\nsecret_key=k\n", "default").unwrap_err();
        assert_eq!(
            e,
            ProfileFileError::MissingKey {
                profile: "default".into(),
                key: "secret_id"
            }
        );
    }

    #[test]
    fn later_keys_override() {
        let c = parse_profile_file(
            "[default]\nsecret_id=A\nsecret_key=1\nsecret_key=2\n",
            "default",
        )
        .unwrap();
        assert_eq!(c.secret_key().expose(), "2");
    }

    #[test]
    fn control_characters_name_the_key_not_the_value() {
        let e =
            parse_profile_file("[p]\nsecret_id = AK\u{1}ID\nsecret_key = k\n", "p").unwrap_err();
        assert_eq!(
            e,
            ProfileFileError::InvalidValue {
                profile: "p".into(),
                key: "secret_id",
                problem: "contains a control character (such as CR or LF)"
            }
        );
        // A lone CR inside a value survives line splitting; it is refused.
        let e = parse_profile_file(
            "[p]\nsecret_id = A\nsecret_key = k\ntoken = SENTINEL\rX\n",
            "p",
        )
        .unwrap_err();
        assert!(
            matches!(e, ProfileFileError::InvalidValue { key: "token", .. }),
            "{e:?}"
        );
        assert!(!e.to_string().contains("SENTINEL"));
    }

    #[test]
    fn role_keys() {
        let p = parse_profile(
            "[p]\nsecret_id=A\nsecret_key=k\nrole_arn = 'qcs::cam::uin/1:roleName/r'\nrole_session_name=\n",
            "p",
        )
        .unwrap();
        assert_eq!(p.role_arn.as_deref(), Some("qcs::cam::uin/1:roleName/r"));
        assert_eq!(p.role_session_name, None);
    }

    #[test]
    fn region_needs_no_keys_and_follows_the_same_rules() {
        let text = "[default]\nsecret_id = A\nsecret_key = k\nregion = \"ap-guangzhou\"\n\n[ci]\nregion = ap-shanghai\nregion = ap-beijing\n[empty]\nregion =\n";
        assert_eq!(
            parse_region(text, "default").unwrap().as_deref(),
            Some("ap-guangzhou")
        );
        assert_eq!(
            parse_region(text, "ci").unwrap().as_deref(),
            Some("ap-beijing"),
            "a later key overrides"
        );
        assert_eq!(parse_region(text, "empty").unwrap(), None);
        assert_eq!(parse_region(text, "absent").unwrap(), None);
        // A profile with only a region has no credentials, and says so there.
        assert!(matches!(
            parse_profile(text, "ci"),
            Err(ProfileFileError::MissingKey { .. })
        ));
        // A malformed line anywhere is refused, naming the line.
        assert_eq!(
            parse_region(
                "[default]\nregion = ap-guangzhou\n[other]\nnot a pair\n",
                "default"
            ),
            Err(ProfileFileError::Malformed {
                line: 4,
                reason: "expected `key = value`"
            })
        );
    }

    quickcheck! {
        fn never_panics(text: String, profile: String) -> bool {
            let _ = parse_profile_file(&text, &profile);
            let _ = parse_region(&text, &profile);
            true
        }
    }
}
