//! The lock beside a journal: `flock(2)` on `<journal>.lock`, held while the
//! [`Journal`](super::Journal) is open, with the holder's process ID in the file.

use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::{JournalFileError, JournalFileErrorKind};
use super::file::{create_options, JournalOptions};

/// How often a waiting opener tries the lock again.
const RETRY: Duration = Duration::from_millis(50);

/// The run that holds a journal's lock, as its lock file says: what
/// [`JournalOptions::with_on_wait`](super::JournalOptions::with_on_wait) is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    lock_file: PathBuf,
    pid: Option<u32>,
}

impl LockHolder {
    /// The lock file.
    pub fn lock_file(&self) -> &Path {
        &self.lock_file
    }

    /// The process ID the holder wrote there, if it could be read.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    fn of(lock_file: &Path) -> LockHolder {
        let pid = std::fs::read_to_string(lock_file)
            .ok()
            .and_then(|text| text.trim().parse().ok());
        LockHolder {
            lock_file: lock_file.to_owned(),
            pid,
        }
    }
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.lock_file.display())?;
        match self.pid {
            Some(pid) => write!(f, " (held by pid {pid})"),
            None => Ok(()),
        }
    }
}

/// Opens `path` and takes its lock, waiting as `options` allow; the file holds
/// the lock until it is closed.
pub(super) fn acquire(path: &Path, options: &JournalOptions) -> Result<File, JournalFileError> {
    let mut file = create_options()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| JournalFileError::io(JournalFileErrorKind::Open, path, e))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match try_lock(&file) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Err(JournalFileError::io(JournalFileErrorKind::Open, path, e)),
        }
        let waited = started.elapsed();
        let left = options.lock_timeout.map(|t| t.saturating_sub(waited));
        if left == Some(Duration::ZERO) {
            let holder = LockHolder::of(path).pid;
            return Err(JournalFileError::new(
                JournalFileErrorKind::Locked { holder },
                path,
            ));
        }
        if options.cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
            return Err(JournalFileError::new(JournalFileErrorKind::Cancelled, path));
        }
        if !told {
            told = true;
            if let Some(on_wait) = &options.on_wait {
                on_wait(&LockHolder::of(path));
            }
        }
        std::thread::sleep(left.map_or(RETRY, |l| l.min(RETRY)));
    }
    // For whoever waits next: who holds it. Not needed for the lock itself.
    let _ = file
        .set_len(0)
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(file)
}

/// Takes the exclusive lock if it is free: whether it was.
#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use rustix::fs::{flock, FlockOperation};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) if e == rustix::io::Errno::INTR => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_: &File) -> io::Result<bool> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "the journal's lock needs flock(2), which this platform does not have",
    ))
}
