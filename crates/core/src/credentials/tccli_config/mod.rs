//! tccli's configuration (`~/.tccli/`), read as a source of credentials and of
//! the region, after the project's own sources: where the files are, which
//! profile, and the two file formats.
//!
//! ```text
//! ~/.tccli/<profile>.credential   {"secretId": "AKID…", "secretKey": "…", "token": "…"}
//!                                 (or "type": "cvm-role"; or "role-arn" + "role-session-name")
//! ~/.tccli/<profile>.configure    {"_sys_param": {"region": "ap-guangzhou", …}, "sts": {"endpoint": …}, …}
//! ```
//!
//! `tccli configure set secretId … secretKey … region …` writes exactly these
//! (JSON, indented, keys sorted). What a credential file asks for that this
//! client cannot do the same way tccli does is refused with an error naming
//! the file and the key, never ignored: see [`parse_credential_file`].
//!
//! **The profile** ([`profile_name`]): the one named explicitly (a builder's,
//! `tccvm --profile`), else `TENCENTCLOUD_PROFILE`, else tccli's own
//! `TCCLI_PROFILE`, else `default`. The project's choice comes first so that
//! one name selects the same profile in every file; `TCCLI_PROFILE` is
//! honoured when nothing else names one, as tccli honours it. (It never
//! selects a section of `~/.tencentcloud/credentials`.)
//!
//! Reading the files is the driver's job; this module turns their text into
//! values and errors, so it is fuzzed (`fuzz/`, target `tccli_config`) and
//! tested without a filesystem.

mod configure_file;
mod credential_file;

use std::path::{Path, PathBuf};

pub use configure_file::{parse_configure_file, TccliConfigure};
pub use credential_file::{parse_credential_file, TccliCredential, TccliFileError};

use crate::credentials::environment::{setting, Lookup, PROFILE_VAR, TCCLI_PROFILE_VAR};
use crate::credentials::profile_file::{home_dir, DEFAULT_PROFILE};
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};

/// The directory under `$HOME` where tccli keeps its files.
pub const TCCLI_DIR: &str = ".tccli";

/// The source name of errors that concern no one file.
pub const SOURCE: &str = "tccli configuration";

/// The profile for tccli's files, and the variable that named it (if one did);
/// see the [module docs](self) for the order.
///
/// ```
/// use tencentcloud_cvm_core::env::VariableValue;
/// use tencentcloud_cvm_core::tccli_config::profile_name;
/// let lookup = |name: &str| match name {
///     "TCCLI_PROFILE" => VariableValue::Set("ci".into()),
///     _ => VariableValue::Unset,
/// };
/// assert_eq!(profile_name(None, &lookup)?, ("ci".to_owned(), Some("TCCLI_PROFILE")));
/// assert_eq!(profile_name(Some("prod"), &lookup)?.0, "prod");
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
pub fn profile_name(
    explicit: Option<&str>,
    lookup: Lookup<'_>,
) -> Result<(String, Option<&'static str>), CredentialsError> {
    let (name, from) = match explicit {
        Some(p) => (p.to_owned(), None),
        None => {
            let ours = setting(PROFILE_VAR, lookup(PROFILE_VAR), SOURCE, "a profile name")?;
            let theirs = || {
                setting(
                    TCCLI_PROFILE_VAR,
                    lookup(TCCLI_PROFILE_VAR),
                    SOURCE,
                    "a profile name",
                )
            };
            match ours {
                Some(p) => (p, Some(PROFILE_VAR)),
                None => match theirs()? {
                    Some(p) => (p, Some(TCCLI_PROFILE_VAR)),
                    None => (DEFAULT_PROFILE.to_owned(), None),
                },
            }
        }
    };
    check_profile_name(&name, from)?;
    Ok((name, from))
}

/// A profile name becomes part of a file name: no path separators, no NUL,
/// not `.` or `..`, not empty, at most 128 characters.
fn check_profile_name(name: &str, from: Option<&str>) -> Result<(), CredentialsError> {
    let problem = if name.is_empty() {
        Some("is empty")
    } else if name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        Some("cannot name a tccli file (it holds a path separator or is `.` or `..`)")
    } else if name.chars().count() > 128 || name.chars().any(char::is_control) {
        Some("is not a profile name (over 128 characters, or a control character)")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => {
            let by = from.map(|v| format!(" (named by {v})")).unwrap_or_default();
            Err(CredentialsError::new(
                CredentialsErrorKind::Invalid,
                SOURCE,
                format!("the profile name{by} {problem}"),
            ))
        }
    }
}

/// The two files of one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TccliFiles {
    /// The profile.
    pub profile: String,
    /// What named the profile, if a variable did.
    pub profile_from: Option<&'static str>,
    /// `<dir>/<profile>.credential`.
    pub credential: PathBuf,
    /// `<dir>/<profile>.configure`.
    pub configure: PathBuf,
}

/// Where tccli's files for the profile are: in `dir` if given, else in
/// `$HOME/.tccli`. `Ok(None)` when neither is known (no `HOME`).
pub fn locate(
    dir: Option<&Path>,
    explicit_profile: Option<&str>,
    lookup: Lookup<'_>,
) -> Result<Option<TccliFiles>, CredentialsError> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => match home_dir(lookup) {
            Some(home) => home.join(TCCLI_DIR),
            None => return Ok(None),
        },
    };
    let (profile, profile_from) = profile_name(explicit_profile, lookup)?;
    Ok(Some(TccliFiles {
        credential: dir.join(format!("{profile}.credential")),
        configure: dir.join(format!("{profile}.configure")),
        profile,
        profile_from,
    }))
}

/// The source name of errors about the file at `path`.
pub fn file_source(path: &Path) -> String {
    format!("tccli file {}", path.display())
}

/// An [`Invalid`](CredentialsErrorKind::Invalid) error about the file at `path`.
pub fn file_error(path: &Path, detail: impl Into<String>) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, file_source(path), detail)
}

/// [`NotConfigured`](CredentialsErrorKind::NotConfigured): the profile has no credential file.
pub fn no_credential_file(path: &Path) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::NotConfigured,
        SOURCE,
        format!("no tccli credential file at {}", path.display()),
    )
}

/// [`parse_credential_file`] on the text of the file at `path`: a file with
/// no keys at all is [`NotConfigured`](CredentialsErrorKind::NotConfigured)
/// (`tccli configure set region …` alone writes one); errors name the file.
pub fn credential_in_file(path: &Path, text: &str) -> Result<TccliCredential, CredentialsError> {
    match parse_credential_file(text) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(CredentialsError::new(
            CredentialsErrorKind::NotConfigured,
            SOURCE,
            format!("the tccli credential file {} holds no keys", path.display()),
        )),
        Err(e) => Err(file_error(path, e.to_string())),
    }
}

/// [`parse_configure_file`] on the text of the file at `path`, errors naming the file.
pub fn configure_in_file(path: &Path, text: &str) -> Result<TccliConfigure, CredentialsError> {
    parse_configure_file(text).map_err(|e| file_error(path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::environment::fixed;

    #[test]
    fn profile_order_and_names() {
        let both = fixed(&[
            ("TENCENTCLOUD_PROFILE", "ours"),
            ("TCCLI_PROFILE", "theirs"),
        ]);
        assert_eq!(
            profile_name(None, &both).unwrap(),
            ("ours".into(), Some(PROFILE_VAR))
        );
        assert_eq!(profile_name(Some("x"), &both).unwrap(), ("x".into(), None));
        let none = fixed(&[]);
        assert_eq!(profile_name(None, &none).unwrap(), ("default".into(), None));
        for bad in ["", ".", "..", "a/b", "..\\x", "a\0b"] {
            let e = profile_name(Some(bad), &none).unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{bad:?}");
        }
        let e = profile_name(None, &fixed(&[("TCCLI_PROFILE", "../../etc/passwd")])).unwrap_err();
        assert!(e.detail().contains("named by TCCLI_PROFILE"), "{e}");
        let e = profile_name(None, &fixed(&[("TCCLI_PROFILE", " ")])).unwrap_err();
        assert!(e.detail().contains("TCCLI_PROFILE is set but empty"), "{e}");
    }

    #[test]
    fn files_of_a_profile() {
        let home = fixed(&[("HOME", "/home/ops")]);
        let f = locate(None, Some("ci"), &home).unwrap().unwrap();
        assert_eq!(
            f.credential,
            PathBuf::from("/home/ops/.tccli/ci.credential")
        );
        assert_eq!(f.configure, PathBuf::from("/home/ops/.tccli/ci.configure"));
        assert_eq!(locate(None, None, &fixed(&[])).unwrap(), None);
        let f = locate(Some(Path::new("/x")), None, &fixed(&[]))
            .unwrap()
            .unwrap();
        assert_eq!(f.credential, PathBuf::from("/x/default.credential"));
    }
}
