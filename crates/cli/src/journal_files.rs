//! The journals a `tccvm terminate` run keeps: one per region, opened (and locked)
//! before anything is read or sent, in the user's state directory, the file or
//! directory `--journal` names, or, for the embedded emulator, a temporary
//! directory of the run's own (a demo never touches the user's journals).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tencentcloud_cvm::journal::{
    Journal, JournalDir, JournalFileError, JournalFileErrorKind, JournalOptions,
};
use tencentcloud_cvm::{CancelToken, Client};

use crate::args::JournalArgs;
use crate::cli_error::CliError;
use crate::Ui;

/// Where the journals are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// `<dir>/<region>.jsonl`.
    Dir(JournalDir),
    /// One file, for one region.
    File(PathBuf),
}

impl Location {
    /// `--journal PATH` (a directory if it is one, else a file), else the state
    /// directory (`$XDG_STATE_HOME/tccvm`, else `~/.local/state/tccvm`).
    pub fn of(given: Option<&Path>) -> Result<Location, CliError> {
        match given {
            Some(path) if path.is_dir() => Ok(Location::Dir(JournalDir::new(path))),
            Some(path) => Ok(Location::File(path.to_owned())),
            None => JournalDir::from_env()
                .map(Location::Dir)
                .map_err(|e| CliError::caused_by("", &e)),
        }
    }

    /// The journal file of `region`.
    pub fn file(&self, region: &str) -> Result<PathBuf, CliError> {
        match self {
            Location::Dir(dir) => dir
                .journal_path(region)
                .map_err(|e| CliError::caused_by("", &e)),
            Location::File(path) => Ok(path.clone()),
        }
    }
}

/// The journals of one run, and the temporary directory they are in when the run
/// has one of its own (removed when the run ends).
pub struct Journals {
    journals: Vec<Arc<Journal>>,
    scratch: Option<PathBuf>,
}

impl Journals {
    /// Opens and locks the journal of each of `regions`, in order, before anything
    /// is sent: waiting (said once on stderr) while another run holds a lock, or,
    /// with `--no-wait`, refusing. `None`: interrupted while waiting (nothing sent).
    pub fn open(
        args: &JournalArgs,
        embedded: bool,
        regions: &[&str],
        cancel: &CancelToken,
        ui: Ui,
    ) -> Result<Option<Journals>, CliError> {
        let mut journals = Journals {
            journals: Vec::new(),
            scratch: None,
        };
        let location = match (&args.journal, embedded) {
            (None, true) => {
                let dir = scratch_dir()?;
                journals.scratch = Some(dir.clone());
                Location::Dir(JournalDir::new(dir))
            }
            (given, _) => Location::of(given.as_deref())?,
        };
        if matches!(location, Location::File(_)) && regions.len() > 1 {
            return Err(CliError::new(
                "--journal names a file, which holds one region's journal: with several \
                 regions, give a directory (each region's journal is REGION.jsonl in it); \
                 nothing was sent",
            ));
        }
        for region in regions {
            let path = location.file(region)?;
            let mut options = JournalOptions::new().with_cancel(cancel.clone());
            if args.no_wait {
                options = options.with_lock_timeout(Duration::ZERO);
            } else if !ui.quiet {
                let region = (*region).to_owned();
                options = options.with_on_wait(move |holder| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "waiting for another run in {region} to finish: it holds the lock \
                         {holder} (--no-wait exits instead)"
                    );
                });
            }
            match Journal::open_with(&path, &options) {
                Ok(journal) => journals.journals.push(Arc::new(journal)),
                Err(e) if e.kind() == &JournalFileErrorKind::Cancelled => return Ok(None),
                Err(e) => return Err(refusal(&e, args.no_wait)),
            }
        }
        Ok(Some(journals))
    }

    /// `client`, keeping the journal at `index` (the order of the regions given).
    pub fn client(&self, index: usize, client: &Client) -> Client {
        client.with_journal(Arc::clone(&self.journals[index]))
    }

    /// Says on stderr which journals could not be written during the run (whose
    /// runs were stopped there: their unsent instances say why).
    pub fn report_failures(&self) {
        for journal in &self.journals {
            if let Err(e) = journal.check() {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: {}",
                    crate::terminal_text::escape(&crate::cli_error::chain(&e))
                );
            }
        }
    }
}

impl Drop for Journals {
    fn drop(&mut self) {
        self.journals.clear();
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Why a journal could not be opened, as the error of a run that sent nothing.
fn refusal(e: &JournalFileError, no_wait: bool) -> CliError {
    let hint = match e.kind() {
        JournalFileErrorKind::Locked { .. } if no_wait => "; nothing was sent (--no-wait)",
        _ => "; nothing was sent (--journal FILE puts it elsewhere)",
    };
    CliError::new(format!("{}{hint}", crate::cli_error::chain(e)))
}

/// A new directory `0700` under the system's temporary directory.
fn scratch_dir() -> Result<PathBuf, CliError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "tccvm-emulator-journal-{}-{nanos}",
        std::process::id()
    ));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|e| CliError::caused_by("cannot create a directory for the journal", &e))?;
    Ok(dir)
}
