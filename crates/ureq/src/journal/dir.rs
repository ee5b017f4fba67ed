//! [`JournalDir`]: where journals live, one per region.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::error::{JournalFileError, JournalFileErrorKind};
use super::file::{Journal, JournalOptions};

/// The directory under the state home that holds the journals: `tccvm`.
pub const JOURNAL_DIR_NAME: &str = "tccvm";

/// The suffix of a journal file in a [`JournalDir`].
const SUFFIX: &str = ".jsonl";

/// A directory of journals, one per region (`<region>.jsonl`, and its lock
/// `<region>.jsonl.lock`).
///
/// ```
/// use tencentcloud_cvm_ureq::JournalDir;
/// let dir = JournalDir::new("/var/lib/cleanup/journals");
/// assert_eq!(
///     dir.journal_path("ap-guangzhou")?,
///     std::path::Path::new("/var/lib/cleanup/journals/ap-guangzhou.jsonl")
/// );
/// assert!(dir.journal_path("../etc").is_err());
/// # Ok::<(), tencentcloud_cvm_ureq::JournalFileError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalDir {
    path: PathBuf,
}

impl JournalDir {
    /// Journals in `path` (created when a journal is first opened).
    pub fn new(path: impl Into<PathBuf>) -> JournalDir {
        JournalDir { path: path.into() }
    }

    /// `$XDG_STATE_HOME/tccvm` when `XDG_STATE_HOME` is an absolute path, else
    /// `$HOME/.local/state/tccvm`, as the XDG base directory specification places
    /// state (a relative `XDG_STATE_HOME` is ignored, as it says).
    pub fn from_env() -> Result<JournalDir, JournalFileError> {
        JournalDir::from_vars(std::env::var_os("XDG_STATE_HOME"), std::env::var_os("HOME"))
    }

    /// [`JournalDir::from_env`] with the variables' values given.
    pub(crate) fn from_vars(
        state_home: Option<OsString>,
        home: Option<OsString>,
    ) -> Result<JournalDir, JournalFileError> {
        let absolute = |v: Option<OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
        let base = match (absolute(state_home), absolute(home)) {
            (Some(state), _) => state,
            (None, Some(home)) => home.join(".local").join("state"),
            (None, None) => {
                return Err(JournalFileError::new(
                    JournalFileErrorKind::NoLocation,
                    Path::new(""),
                ))
            }
        };
        Ok(JournalDir::new(base.join(JOURNAL_DIR_NAME)))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal of `region`: `<dir>/<region>.jsonl`. A region must be letters,
    /// digits, `-` and `_` (at most 64), so that it names a file in this directory
    /// and nothing else.
    pub fn journal_path(&self, region: &str) -> Result<PathBuf, JournalFileError> {
        let usable = !region.is_empty()
            && region.len() <= 64
            && region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !usable {
            return Err(JournalFileError::new(
                JournalFileErrorKind::InvalidName,
                Path::new(region),
            ));
        }
        Ok(self.path.join(format!("{region}{SUFFIX}")))
    }

    /// Opens (creating it if need be) and locks the journal of `region`
    /// ([`Journal::open_with`]).
    pub fn open(
        &self,
        region: &str,
        options: &JournalOptions,
    ) -> Result<Journal, JournalFileError> {
        Journal::open_with(self.journal_path(region)?, options)
    }

    /// The regions with a journal in this directory, sorted, with their files (none
    /// when the directory does not exist).
    pub fn journals(&self) -> Result<Vec<(String, PathBuf)>, JournalFileError> {
        let entries = match std::fs::read_dir(&self.path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(JournalFileError::io(
                    JournalFileErrorKind::Directory,
                    &self.path,
                    e,
                ))
            }
        };
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(region) = name.to_str().and_then(|n| n.strip_suffix(SUFFIX)) else {
                continue;
            };
            if let Ok(path) = self.journal_path(region) {
                if path.is_file() {
                    found.push((region.to_owned(), path));
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_home_then_home() {
        let dir = |s: Option<&str>, h: Option<&str>| {
            JournalDir::from_vars(s.map(OsString::from), h.map(OsString::from))
                .map(|d| d.path().to_owned())
        };
        assert_eq!(
            dir(Some("/state"), Some("/home/me")).unwrap(),
            Path::new("/state/tccvm")
        );
        assert_eq!(
            dir(Some("relative"), Some("/home/me")).unwrap(),
            Path::new("/home/me/.local/state/tccvm")
        );
        assert_eq!(
            dir(Some(""), Some("/home/me")).unwrap(),
            Path::new("/home/me/.local/state/tccvm")
        );
        let e = dir(None, Some("")).unwrap_err();
        assert_eq!(e.kind(), &JournalFileErrorKind::NoLocation);
        assert!(e.to_string().contains("XDG_STATE_HOME"), "{e}");
    }

    #[test]
    fn a_region_names_one_file_of_the_directory() {
        let dir = JournalDir::new("/j");
        assert_eq!(
            dir.journal_path("na-siliconvalley").unwrap(),
            Path::new("/j/na-siliconvalley.jsonl")
        );
        for bad in [
            "",
            "..",
            "a/b",
            "ap guangzhou",
            "ap-guangzhou\n",
            &"x".repeat(65),
        ] {
            let e = dir.journal_path(bad).unwrap_err();
            assert_eq!(e.kind(), &JournalFileErrorKind::InvalidName, "{bad:?}");
        }
    }
}
