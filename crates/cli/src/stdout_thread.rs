//! Standard output written by a thread of its own, so that a reader that stalls
//! (a pager left open, a full pipe) never holds up the run: its deadline, its
//! interrupts and its requests go on, and what was written waits in memory.
//!
//! The run writes through a [`ChannelWriter`], which never blocks and never
//! fails; the thread writes each chunk to stdout and flushes it. The first
//! write error (EPIPE, ENOSPC on `/dev/full`, EIO from a terminal gone with its
//! session) is kept and reported at the end, when [`StdoutThread::finish`]
//! waits for everything to be written, or for the person to give up.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::cli_error::CliError;
use crate::exit_status::ExitStatus;
use crate::interrupts::Interrupts;

/// How long [`StdoutThread::finish`] waits before saying it is waiting.
const PATIENCE_BEFORE_NOTE: Duration = Duration::from_secs(2);

/// The thread writing standard output.
pub struct StdoutThread {
    chunks: Sender<Vec<u8>>,
    done: Receiver<io::Result<()>>,
}

/// How the end went.
#[derive(Debug)]
pub enum Finished {
    /// Everything was written and flushed.
    Written,
    /// A write failed; nothing after it was written.
    Failed(io::Error),
    /// The output still blocked when an interrupt asked to stop.
    Abandoned,
}

impl StdoutThread {
    /// Starts the thread writing to the process's standard output.
    pub fn start() -> io::Result<StdoutThread> {
        StdoutThread::start_on(io::stdout())
    }

    /// Starts the thread writing to `out` (a test's writer, say).
    pub fn start_on(mut out: impl Write + Send + 'static) -> io::Result<StdoutThread> {
        let (chunks, incoming) = mpsc::channel::<Vec<u8>>();
        let (report, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("tccvm-stdout".into())
            .spawn(move || {
                let mut result = Ok(());
                for chunk in incoming {
                    // After a failure the rest is dropped: a partial line
                    // followed by more output would read as a whole one.
                    if result.is_ok() {
                        result = out.write_all(&chunk).and_then(|()| out.flush());
                    }
                }
                let _ = report.send(result);
            })?;
        Ok(StdoutThread { chunks, done })
    }

    /// A writer into this thread; each flush hands what was written over.
    pub fn writer(&self) -> ChannelWriter {
        ChannelWriter {
            chunks: self.chunks.clone(),
            pending: Vec::new(),
        }
    }

    /// Waits until everything handed over is written. While it waits, an
    /// interrupt that makes two or more gives up (the output is blocked and the
    /// person wants out); after a couple of seconds, it says it is waiting.
    /// Every writer must be dropped (or flushed) first: what a writer still
    /// holds is not written.
    pub fn finish(self, interrupts: Option<&Interrupts>) -> Finished {
        let StdoutThread { chunks, done } = self;
        drop(chunks);
        let started = Instant::now();
        let seen_before = interrupts.map_or(0, Interrupts::count);
        let mut noted = false;
        loop {
            match done.recv_timeout(Duration::from_millis(50)) {
                Ok(Ok(())) => return Finished::Written,
                Ok(Err(e)) => return Finished::Failed(e),
                Err(RecvTimeoutError::Disconnected) => {
                    return Finished::Failed(io::Error::other("the output thread stopped"))
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            if let Some(interrupts) = interrupts {
                let seen = interrupts.count();
                if seen > seen_before && seen >= 2 {
                    return Finished::Abandoned;
                }
            }
            if !noted && started.elapsed() >= PATIENCE_BEFORE_NOTE {
                noted = true;
                let _ = writeln!(
                    io::stderr(),
                    "waiting for standard output to take the report (interrupt twice to give up)"
                );
            }
        }
    }
}

impl StdoutThread {
    /// Waits for the output ([`StdoutThread::finish`]), then the command's exit
    /// status: `status` when everything was written; else, after a message on
    /// stderr, exit 3 (or 130 when interrupted), since the report is not all
    /// there. `status` is an error when nothing was written.
    pub fn exit_status(
        self,
        interrupts: &Interrupts,
        status: Result<ExitStatus, CliError>,
    ) -> Result<ExitStatus, CliError> {
        let mut stderr = io::stderr();
        match self.finish(Some(interrupts)) {
            Finished::Written => status,
            Finished::Failed(e) => {
                let _ = writeln!(
                    stderr,
                    "error: cannot write the report on standard output: {e}"
                );
                match status {
                    Ok(ExitStatus::Interrupted) => Ok(ExitStatus::Interrupted),
                    Ok(_) => Ok(ExitStatus::OutputFailed),
                    Err(e) => Err(e),
                }
            }
            Finished::Abandoned => {
                let _ = writeln!(
                    stderr,
                    "interrupted again: standard output is blocked, the report is not written in full"
                );
                Ok(ExitStatus::Interrupted)
            }
        }
    }
}

/// Writes into the [`StdoutThread`]: buffered until `flush`, never blocking and
/// never failing (the thread reports failures).
pub struct ChannelWriter {
    chunks: Sender<Vec<u8>>,
    pending: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            // The thread lives until `finish`, which takes the only other sender
            // after every writer is gone: a send cannot fail before then.
            let _ = self.chunks.send(std::mem::take(&mut self.pending));
        }
        Ok(())
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn everything_flushed_is_written_in_order() {
        let sink = Shared::default();
        let thread = StdoutThread::start_on(sink.clone()).unwrap();
        let mut a = thread.writer();
        write!(a, "one ").unwrap();
        a.flush().unwrap();
        writeln!(a, "two").unwrap();
        drop(a);
        assert!(matches!(thread.finish(None), Finished::Written));
        assert_eq!(&*sink.0.lock().unwrap(), b"one two\n");
    }

    #[test]
    fn a_failed_write_is_reported_at_the_end() {
        let thread = StdoutThread::start_on(Full).unwrap();
        let mut w = thread.writer();
        writeln!(w, "report").unwrap();
        w.flush().unwrap();
        writeln!(w, "more").unwrap();
        drop(w);
        match thread.finish(None) {
            Finished::Failed(e) => assert_eq!(e.raw_os_error(), Some(28)),
            other => panic!("{other:?}"),
        }
    }
}
