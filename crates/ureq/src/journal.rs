//! The journal on disk: the write-ahead record a terminate run keeps, so that what
//! it sent survives a crash, a `kill -9` or a lost session, and the lock that lets
//! one run at a time act in a region from this host.
//!
//! The core says *what* to journal ([`Termination::poll_journal`], the
//! [format](tencentcloud_cvm_core::JournalRecord) and what a later run makes of it,
//! [`History`]); this module keeps it in a file. A [`Client`](crate::Client) given a
//! [`Journal`] ([`ClientBuilder::journal`](crate::ClientBuilder::journal),
//! [`Client::with_journal`](crate::Client::with_journal)) appends every record of
//! its terminate runs and makes it durable (`fdatasync`) before the next request
//! leaves, so each TerminateInstances is on disk before it is sent, and starts each
//! run with the journal's [`History`] (instances an earlier run terminated are
//! reported with that run's RequestId and not sent again; those an earlier request
//! may have acted on are resolved by reading).
//!
//! ```no_run
//! use std::sync::Arc;
//! use tencentcloud_cvm_core::TerminateOptions;
//! use tencentcloud_cvm_ureq::{Client, JournalDir, JournalOptions};
//! // $XDG_STATE_HOME/tccvm/ap-guangzhou.jsonl, else ~/.local/state/tccvm/...; waits
//! // (at most a minute) while another run holds the region's lock.
//! let journal = JournalDir::from_env()?.open(
//!     "ap-guangzhou",
//!     &JournalOptions::new().with_lock_timeout(std::time::Duration::from_secs(60)),
//! )?;
//! let client = Client::builder().region("ap-guangzhou").journal(Arc::new(journal)).build()?;
//! let report = client.terminate(["ins-r8hr2upy"], &TerminateOptions::new())?;
//! // A record that could not be written stopped the run: nothing more was sent.
//! client.journal().unwrap().check()?;
//! # let _ = report;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Where
//!
//! [`JournalDir::from_env`]: `$XDG_STATE_HOME/tccvm/` when that variable holds an
//! absolute path, else `$HOME/.local/state/tccvm/` (the XDG base directory rule);
//! [`JournalDir::new`] or [`Journal::open`] on a path of your choice otherwise. One
//! journal per region, `<region>.jsonl`, beside its lock `<region>.jsonl.lock`. The
//! directory is created `0700`, the files `0600`.
//!
//! **Why per region, not per account:** instance IDs are unique across accounts, so
//! one account's records can never be mistaken for another's instances, and the key
//! is known before anything is sent (no STS call, which may be refused or
//! unreachable). Keying by account would split one account's journal whenever its
//! SecretId changes (temporary credentials, a CAM role, two operators' sub-account
//! keys): a re-run would miss the records that keep it from sending twice, and two
//! runs would not see each other's lock. The cost: runs of two accounts in one
//! region on one host wait for each other.
//!
//! # Format
//!
//! JSON lines, the core's format version 1 (see the core's `termination::journal`
//! module docs and [`JournalRecord`](tencentcloud_cvm_core::JournalRecord)); each line
//! this module writes adds `"at"`, the Unix time it was written, which readers of
//! the format ignore ([`StampedRecord`] reads it back).
//!
//! # Durability and failure
//!
//! Records are appended in one `write` per batch and `fdatasync`ed before the driver
//! polls for the next request; a new file's directory is synced too. A write or sync
//! that fails is taken back (the file is cut to its last whole line), the run is
//! stopped at once (nothing more is sent: its unsent instances end `not_sent`), the
//! records are kept in memory and written with the next ones, and
//! [`Journal::check`] reports the failure. A journal that cannot be opened, read or
//! locked is an error before anything is sent. A line cut short by a crash (its
//! request never left: sending waits for the sync) is cut off when the journal is
//! next opened; any other line that cannot be read refuses the open: it might be
//! the one that says an instance was sent.
//!
//! # Rotation
//!
//! When opened and larger than [`JournalOptions::with_rotate_above`] (4 MiB), the journal
//! is replaced by its compact form ([`History::compact`]: one record per instance
//! still worth knowing about), written beside it, synced, renamed over it and its
//! directory synced: a crash at any point leaves either the old journal or the new
//! one, whole. Instances an earlier run terminated are forgotten once their last
//! record is older than [`JournalOptions::with_keep_terminated`] (90 days; a re-run then
//! reads them, and finds them gone or in the recycle bin); doubts (a request that
//! may have acted) are kept.
//!
//! # One run at a time
//!
//! [`Journal::open`] takes an exclusive advisory lock (`flock`) on the lock file and
//! holds it until the [`Journal`] is dropped, so one run at a time acts in a region
//! from this host; it writes its process ID there for whoever waits
//! ([`LockHolder`]). A second opener waits ([`JournalOptions::with_lock_timeout`],
//! [`JournalOptions::with_on_wait`]). Runs on different hosts, or with different
//! journals, are not serialized: there the preflight read is what stands between
//! two runs (an instance another run is terminating shows `LatestOperation`
//! TerminateInstances `OPERATING` and is refused, `FailClosed.TerminateInProgress`;
//! one already in the recycle bin is skipped).
//!
//! [`Termination::poll_journal`]: tencentcloud_cvm_core::Termination::poll_journal
//! [`History`]: tencentcloud_cvm_core::History
//! [`History::compact`]: tencentcloud_cvm_core::History::compact

mod dir;
mod error;
mod file;
mod lines;
mod lock;
mod rotation;

pub use dir::{JournalDir, JOURNAL_DIR_NAME};
pub use error::{JournalFileError, JournalFileErrorKind};
pub use file::{Journal, JournalOptions};
pub use lines::{JournalContents, StampedRecord};
pub use lock::LockHolder;
