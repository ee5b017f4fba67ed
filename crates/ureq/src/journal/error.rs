//! [`JournalFileError`]: why a journal could not be opened, read, locked or written.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use tencentcloud_cvm_core::JournalError;

/// Why a journal could not be used. Its `Display` names the file and what failed;
/// [`source`](std::error::Error::source) is the cause (the I/O error, or the line
/// that cannot be read).
#[derive(Debug)]
pub struct JournalFileError {
    kind: JournalFileErrorKind,
    path: PathBuf,
    source: Option<Source>,
}

#[derive(Debug)]
enum Source {
    Io(io::Error),
    Line(JournalError),
}

/// What failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JournalFileErrorKind {
    /// Neither `XDG_STATE_HOME` (absolute) nor `HOME` says where journals go.
    NoLocation,
    /// The region cannot name a file (only letters, digits, `-` and `_`).
    InvalidName,
    /// The directory could not be made or read.
    Directory,
    /// The journal or its lock file could not be opened or created.
    Open,
    /// The journal could not be read.
    Read,
    /// A line of the journal cannot be read (the source says which): a run must
    /// not start on it, as that line might say an instance was sent.
    Unreadable,
    /// Another process held the lock for longer than the options allow.
    Locked {
        /// The process ID the holder wrote in the lock file, if it could be read.
        holder: Option<u32>,
    },
    /// The wait for the lock was cancelled.
    Cancelled,
    /// This process has the journal open already (a second lock would wait for itself).
    AlreadyOpen,
    /// Records could not be written or made durable; the run that made them was
    /// stopped, and they are kept in memory until a later write succeeds.
    Write {
        /// How many records are not in the file.
        unwritten: usize,
    },
    /// The journal could not be compacted (it is left as it was).
    Rotate,
}

impl JournalFileError {
    pub(crate) fn new(kind: JournalFileErrorKind, path: &Path) -> Self {
        JournalFileError {
            kind,
            path: path.to_owned(),
            source: None,
        }
    }

    pub(crate) fn io(kind: JournalFileErrorKind, path: &Path, error: io::Error) -> Self {
        JournalFileError {
            source: Some(Source::Io(error)),
            ..JournalFileError::new(kind, path)
        }
    }

    pub(crate) fn line(path: &Path, error: JournalError) -> Self {
        JournalFileError {
            source: Some(Source::Line(error)),
            ..JournalFileError::new(JournalFileErrorKind::Unreadable, path)
        }
    }

    /// What failed.
    pub fn kind(&self) -> &JournalFileErrorKind {
        &self.kind
    }

    /// The file (or directory) concerned.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The I/O error behind it, if there is one.
    pub fn io_error(&self) -> Option<&io::Error> {
        match &self.source {
            Some(Source::Io(e)) => Some(e),
            _ => None,
        }
    }

    /// A copy with the same message and cause text (an I/O error is not `Clone`).
    pub(crate) fn duplicate(&self) -> Self {
        JournalFileError {
            kind: self.kind.clone(),
            path: self.path.clone(),
            source: self.source.as_ref().map(|s| match s {
                Source::Io(e) => Source::Io(io::Error::new(e.kind(), e.to_string())),
                Source::Line(e) => Source::Line(e.clone()),
            }),
        }
    }

    pub(crate) fn with_unwritten(mut self, unwritten: usize) -> Self {
        if let JournalFileErrorKind::Write { unwritten: n } = &mut self.kind {
            *n = unwritten;
        }
        self
    }
}

impl fmt::Display for JournalFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            JournalFileErrorKind::NoLocation => f.write_str(
                "no place for the journal: neither XDG_STATE_HOME (an absolute path) nor HOME is set",
            ),
            JournalFileErrorKind::InvalidName => {
                write!(f, "cannot name a journal file after {path:?}")
            }
            JournalFileErrorKind::Directory => {
                write!(f, "cannot create the journal directory {path}")
            }
            JournalFileErrorKind::Open => write!(f, "cannot open the journal {path}"),
            JournalFileErrorKind::Read => write!(f, "cannot read the journal {path}"),
            JournalFileErrorKind::Unreadable => write!(
                f,
                "the journal {path} cannot be read, and a run must not start without what it \
                 says (move it aside only once you know what it held)"
            ),
            JournalFileErrorKind::Locked { holder } => {
                write!(f, "another run holds the lock of the journal {path}")?;
                match holder {
                    Some(pid) => write!(f, " (pid {pid})"),
                    None => Ok(()),
                }
            }
            JournalFileErrorKind::Cancelled => {
                write!(f, "stopped waiting for the lock of the journal {path}")
            }
            JournalFileErrorKind::AlreadyOpen => {
                write!(f, "the journal {path} is already open in this process")
            }
            JournalFileErrorKind::Write { unwritten } => write!(
                f,
                "cannot write the journal {path} ({unwritten} record{} not in it)",
                if *unwritten == 1 { "" } else { "s" }
            ),
            JournalFileErrorKind::Rotate => write!(f, "cannot compact the journal {path}"),
        }
    }
}

impl std::error::Error for JournalFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.source {
            Some(Source::Io(e)) => Some(e),
            Some(Source::Line(e)) => Some(e),
            None => None,
        }
    }
}
