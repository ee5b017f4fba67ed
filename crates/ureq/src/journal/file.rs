//! [`Journal`]: one region's journal file, open, locked and appended to.

use std::collections::HashSet;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime};

use tencentcloud_cvm_core::{History, JournalRecord};

use super::error::{JournalFileError, JournalFileErrorKind};
use super::lines::StampedRecord;
use super::lock::{self, LockHolder};
use super::rotation;
use crate::CancelToken;

/// Above this size, an opened journal is compacted.
const ROTATE_ABOVE: u64 = 4 << 20;

/// How long a compacted journal keeps an instance that was terminated.
const KEEP_TERMINATED: Duration = Duration::from_secs(90 * 24 * 3600);

/// Told that the opener waits for the lock, and who holds it.
type OnWait = Arc<dyn Fn(&LockHolder) + Send + Sync>;

/// How a [`Journal`] is opened: how long to wait for the lock, who is told of the
/// wait, and when to compact.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_ureq::JournalOptions;
/// // Fail at once if another run holds the lock (the CLI's --no-wait).
/// let options = JournalOptions::new().with_lock_timeout(Duration::ZERO);
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct JournalOptions {
    pub(super) lock_timeout: Option<Duration>,
    pub(super) on_wait: Option<OnWait>,
    pub(super) cancel: Option<CancelToken>,
    pub(super) rotate_above: u64,
    pub(super) keep_terminated: Duration,
}

impl fmt::Debug for JournalOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournalOptions")
            .field("lock_timeout", &self.lock_timeout)
            .field("on_wait", &self.on_wait.as_ref().map(|_| "Fn"))
            .field("cancel", &self.cancel)
            .field("rotate_above", &self.rotate_above)
            .field("keep_terminated", &self.keep_terminated)
            .finish()
    }
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions::new()
    }
}

impl JournalOptions {
    /// Waits for the lock as long as it takes; compacts above 4 MiB, keeping
    /// terminated instances 90 days.
    pub fn new() -> JournalOptions {
        JournalOptions {
            lock_timeout: None,
            on_wait: None,
            cancel: None,
            rotate_above: ROTATE_ABOVE,
            keep_terminated: KEEP_TERMINATED,
        }
    }

    /// Waits at most this long for another run to release the lock
    /// ([`Duration::ZERO`]: not at all), then fails
    /// ([`JournalFileErrorKind::Locked`]).
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = Some(timeout);
        self
    }

    /// Called once, when the lock is held by another run and the opener starts to
    /// wait, with what the lock file says of that run.
    pub fn with_on_wait(mut self, f: impl Fn(&LockHolder) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(Arc::new(f));
        self
    }

    /// Stops waiting for the lock once `cancel` is cancelled
    /// ([`JournalFileErrorKind::Cancelled`]).
    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Compacts the journal when it is opened larger than `bytes`.
    pub fn with_rotate_above(mut self, bytes: u64) -> Self {
        self.rotate_above = bytes;
        self
    }

    /// When compacting, forgets instances an earlier run terminated whose last
    /// record is older than this (a re-run then reads them).
    pub fn with_keep_terminated(mut self, age: Duration) -> Self {
        self.keep_terminated = age;
        self
    }
}

/// An open, locked journal file: what a [`Client`](crate::Client) appends its
/// terminate runs' records to, and reads earlier runs from (see the
/// [module docs](crate::journal)).
///
/// `Send + Sync`: the runs of every clone of a client append to it in turn. The
/// lock is released when it is dropped.
pub struct Journal {
    path: PathBuf,
    lock_path: PathBuf,
    /// Holds the lock (`flock`) while open.
    _lock: File,
    writer: Mutex<Writer>,
}

struct Writer {
    file: File,
    /// The length of the file's whole, durable lines.
    len: u64,
    /// Every record, of earlier runs and of this process's, folded.
    history: History,
    /// Lines not in the file yet (a write failed), and how many.
    unwritten: String,
    unwritten_records: usize,
    /// The first failure, for [`Journal::check`].
    failure: Option<JournalFileError>,
    #[cfg(test)]
    fail_writes: bool,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The lock files this process holds: a second lock would wait for itself.
fn held() -> MutexGuard<'static, HashSet<PathBuf>> {
    static HELD: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    HELD.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Creates files `0600` (on Unix).
pub(super) fn create_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Makes a directory entry (a new or renamed file in `dir`) durable.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Journal {
    /// [`Journal::open_with`] with the default options (waits for the lock as long
    /// as it takes).
    pub fn open(path: impl Into<PathBuf>) -> Result<Journal, JournalFileError> {
        Journal::open_with(path, &JournalOptions::new())
    }

    /// Opens the journal at `path`, creating it (and its directory, `0700`) if need
    /// be, takes its lock `<path>.lock` (waiting as `options` say), and reads it:
    /// a last line cut short by a crash is cut off; any other line that cannot be
    /// read is an error ([`JournalFileErrorKind::Unreadable`]), and so is a journal
    /// this process has open already. Compacts it when it is larger than
    /// [`JournalOptions::with_rotate_above`].
    pub fn open_with(
        path: impl Into<PathBuf>,
        options: &JournalOptions,
    ) -> Result<Journal, JournalFileError> {
        let path: PathBuf = path.into();
        let path = std::path::absolute(&path).unwrap_or(path);
        let mut lock_path = path.clone().into_os_string();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        let dir = parent(&path);
        if !dir.is_dir() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(dir)
                .map_err(|e| JournalFileError::io(JournalFileErrorKind::Directory, dir, e))?;
        }
        if !held().insert(lock_path.clone()) {
            return Err(JournalFileError::new(
                JournalFileErrorKind::AlreadyOpen,
                &path,
            ));
        }
        let opened = Journal::open_locked(&path, &lock_path, options);
        if opened.is_err() {
            held().remove(&lock_path);
        }
        opened
    }

    fn open_locked(
        path: &Path,
        lock_path: &Path,
        options: &JournalOptions,
    ) -> Result<Journal, JournalFileError> {
        let lock = lock::acquire(lock_path, options)?;
        let existed = path.exists();
        let open_error = |e| JournalFileError::io(JournalFileErrorKind::Open, path, e);
        let mut file = create_options()
            .read(true)
            .append(true)
            .open(path)
            .map_err(open_error)?;
        if !existed {
            sync_dir(parent(path)).map_err(open_error)?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| JournalFileError::io(JournalFileErrorKind::Read, path, e))?;
        let history = History::parse(&bytes).map_err(|e| JournalFileError::line(path, e))?;
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let mut len = bytes.len() as u64;
        if whole < bytes.len() {
            let write_error = |e| JournalFileError::io(JournalFileErrorKind::Read, path, e);
            if history.torn_tail() {
                // Its request never left: sending waits for the line to be durable.
                file.set_len(whole as u64).map_err(write_error)?;
                len = whole as u64;
            } else {
                // A whole record whose newline did not make it: keep it, ended.
                file.write_all(b"\n").map_err(write_error)?;
                len += 1;
            }
            file.sync_data().map_err(write_error)?;
        }
        let mut writer = Writer {
            file,
            len,
            history,
            unwritten: String::new(),
            unwritten_records: 0,
            failure: None,
            #[cfg(test)]
            fail_writes: false,
        };
        if len > options.rotate_above {
            let (file, len) = rotation::compact(path, &bytes[..whole], options)?;
            writer.file = file;
            writer.len = len;
        }
        Ok(Journal {
            path: path.to_owned(),
            lock_path: lock_path.to_owned(),
            _lock: lock,
            writer: Mutex::new(writer),
        })
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its lock file.
    pub fn lock_path(&self) -> &Path {
        &self.lock_path
    }

    fn writer(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What the journal holds, folded: earlier runs' records and those appended
    /// since it was opened (the lock keeps other processes from writing).
    pub fn history(&self) -> History {
        self.writer().history.clone()
    }

    /// Appends `records` in one write, with those a failed write left over, and
    /// makes them durable (`fdatasync`). On failure the file is cut back to its
    /// last whole line, the records are kept for the next append, and the error
    /// says how many are not in the file; [`Journal::check`] reports it from then on.
    pub fn append(&self, records: &[JournalRecord]) -> Result<(), JournalFileError> {
        let mut w = self.writer();
        let at = unix_now();
        for record in records {
            w.unwritten.push_str(&StampedRecord::line(record, at));
            // Evidence only tightens: what this process did counts for its next
            // run, written or not.
            let _ = w.history.fold(record);
        }
        w.unwritten_records += records.len();
        if w.unwritten.is_empty() {
            return Ok(());
        }
        match w.write_out() {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = w.file.set_len(w.len);
                let unwritten = w.unwritten_records;
                let error =
                    JournalFileError::io(JournalFileErrorKind::Write { unwritten }, &self.path, e);
                if w.failure.is_none() {
                    w.failure = Some(error.duplicate());
                }
                Err(error)
            }
        }
    }

    /// `Err` if a write failed since the journal was opened (the run that made the
    /// records was stopped), with how many records are still not in the file.
    pub fn check(&self) -> Result<(), JournalFileError> {
        let w = self.writer();
        match &w.failure {
            None => Ok(()),
            Some(e) => Err(e.duplicate().with_unwritten(w.unwritten_records)),
        }
    }

    /// Makes every later write fail (a full disk), or not.
    #[cfg(test)]
    pub(crate) fn fail_writes(&self, fail: bool) {
        self.writer().fail_writes = fail;
    }
}

impl Writer {
    fn write_out(&mut self) -> io::Result<()> {
        #[cfg(test)]
        if self.fail_writes {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        self.file.write_all(self.unwritten.as_bytes())?;
        self.file.sync_data()?;
        self.len += self.unwritten.len() as u64;
        self.unwritten.clear();
        self.unwritten_records = 0;
        Ok(())
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        held().remove(&self.lock_path);
    }
}
