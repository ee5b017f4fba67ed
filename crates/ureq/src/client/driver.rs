//! The blocking driver loop: moves a [`Termination`]'s requests (or those of a
//! read that only reads: a selection's listing, the list of regions), or those of
//! several side by side (one per region), over a [`Transport`] on short-lived
//! threads, one per request in flight (each run caps how many), and feeds the
//! answers back. It makes no decisions.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tencentcloud_cvm_core::{
    Action, ClientState, ConnectError, Credentials, Event, RegionList, SelectionRead,
    ServiceConfig, Termination, Token, Transmit, TransportError,
};

use super::Inner;
use crate::{CancelToken, Journal};

/// How often a waiting driver looks at its [`CancelToken`].
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// An answer, for the request `Token` names, of the run at this index.
type Answer = (
    usize,
    Token,
    Result<http::Response<Vec<u8>>, TransportError>,
);

pub(super) fn lock(state: &Mutex<ClientState>) -> MutexGuard<'_, ClientState> {
    // The state holds no invariant a panicking holder could break halfway.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the loop drives: the core's poll-style machines, which all take time,
/// credentials and answers the same way.
pub(super) trait Machine: Journaled {
    /// Sends to `config`'s region and endpoint rather than the state's.
    fn with_config(self, config: ServiceConfig) -> Self;
    fn poll_event(&mut self) -> Option<Event>;
    fn is_finished(&self) -> bool;
    fn cancel(&mut self);
    fn cancel_because(&mut self, reason: String);
    fn abort(&mut self);
    fn poll_transmit(
        &mut self,
        now: Instant,
        unix_time: u64,
        credentials: &Credentials,
        state: &mut ClientState,
    ) -> Option<Transmit>;
    fn poll_timeout(&self) -> Option<Instant>;
    fn handle_response(
        &mut self,
        token: Token,
        result: Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
        state: &mut ClientState,
    );
    fn handle_timeout(&mut self, now: Instant);
}

macro_rules! machine {
    ($t:ty) => {
        impl Machine for $t {
            fn with_config(self, config: ServiceConfig) -> Self {
                <$t>::with_config(self, config)
            }
            fn poll_event(&mut self) -> Option<Event> {
                <$t>::poll_event(self)
            }
            fn is_finished(&self) -> bool {
                <$t>::is_finished(self)
            }
            fn cancel(&mut self) {
                <$t>::cancel(self)
            }
            fn cancel_because(&mut self, reason: String) {
                <$t>::cancel_because(self, reason)
            }
            fn abort(&mut self) {
                <$t>::abort(self)
            }
            fn poll_transmit(
                &mut self,
                now: Instant,
                unix_time: u64,
                credentials: &Credentials,
                state: &mut ClientState,
            ) -> Option<Transmit> {
                <$t>::poll_transmit(self, now, unix_time, credentials, state)
            }
            fn poll_timeout(&self) -> Option<Instant> {
                <$t>::poll_timeout(self)
            }
            fn handle_response(
                &mut self,
                token: Token,
                result: Result<http::Response<Vec<u8>>, TransportError>,
                now: Instant,
                state: &mut ClientState,
            ) {
                <$t>::handle_response(self, token, result, now, state)
            }
            fn handle_timeout(&mut self, now: Instant) {
                <$t>::handle_timeout(self, now)
            }
        }
    };
}

machine!(Termination);
machine!(SelectionRead);
machine!(RegionList);

/// A machine's journal records: a terminate run's (`Termination::poll_journal`); the
/// reads that only read write none.
pub(super) trait Journaled {
    /// Takes the records and appends them to `journal` (one write, made durable),
    /// if there is one, else drops them; whether there were any. Taking them is
    /// what lets each TerminateInstances leave, so this comes before anything is
    /// sent. A write that fails stops the run: nothing more is sent, and the
    /// instances not sent say why.
    fn take_journal(&mut self, _journal: Option<&Journal>) -> bool {
        false
    }
}

impl Journaled for Termination {
    fn take_journal(&mut self, journal: Option<&Journal>) -> bool {
        let mut records = Vec::new();
        while let Some(record) = self.poll_journal() {
            records.push(record);
        }
        if records.is_empty() {
            return false;
        }
        if let Some(journal) = journal {
            if let Err(e) = journal.append(&records) {
                log::error!("{e}: {}", io_cause(&e));
                // The core's stop: the request whose intent was just taken does not
                // leave, nor does anything after it.
                self.cancel_because(format!("not sent: {e}: {}", io_cause(&e)));
            }
        }
        true
    }
}

fn io_cause(e: &crate::JournalFileError) -> String {
    e.io_error().map_or_else(String::new, ToString::to_string)
}

impl Journaled for SelectionRead {}
impl Journaled for RegionList {}

/// Runs `run` to its end and hands it back, finished. `first`, the
/// credentials the caller just fetched, sign the first pass.
pub(super) fn drive<M: Machine>(
    inner: &Inner,
    run: M,
    first: Option<Credentials>,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(&Event),
) -> M {
    let journals = [inner.journal.clone()];
    let mut runs = drive_all(
        inner,
        vec![run],
        &journals,
        first,
        cancel,
        &mut |_, event| on_event(event),
    );
    runs.pop().expect("the run handed in")
}

/// Runs every one of `runs` to its end, side by side (one per region, say), and
/// hands them back, finished, in order. They share the client's state, so runs
/// whose requests go to one endpoint share its rate-limit buckets and runs on
/// different endpoints go at their own pace. `on_event` sees each event with the
/// index of its run. Each run's records go to its journal in `journals` (at the
/// same index; none there: dropped).
pub(super) fn drive_all<M: Machine>(
    inner: &Inner,
    mut runs: Vec<M>,
    journals: &[Option<Arc<Journal>>],
    mut first: Option<Credentials>,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(usize, &Event),
) -> Vec<M> {
    if runs.is_empty() {
        return runs;
    }
    let (answers, answered) = mpsc::channel::<Answer>();
    // A request may go only after an answer or once a `poll_timeout` is due (as
    // `poll_transmit` says): waking merely to look at the cancel token asks
    // the provider, which may read the environment and a file, for nothing.
    let mut may_send = true;
    // The TerminateInstances requests in flight, by run: once cancelled, only these
    // are awaited. A read changes nothing, so one in flight is given up at once
    // (its instances end not sent) rather than awaited until it times out.
    let mut terminates: HashSet<(usize, Token)> = HashSet::new();
    // Which run polls first: each pass starts one further, so runs sharing a
    // bucket take turns at its free places.
    let mut first_polled = 0;
    loop {
        // The records first: what a caller is shown (a RequestId, say) is on disk.
        for (i, run) in runs.iter_mut().enumerate() {
            run.take_journal(journal_of(journals, i));
        }
        for (i, run) in runs.iter_mut().enumerate() {
            while let Some(event) = run.poll_event() {
                on_event(i, &event);
            }
        }
        if runs.iter().all(M::is_finished) {
            break;
        }
        if cancel.is_aborted() {
            runs.iter_mut().for_each(M::abort);
            continue;
        }
        if cancel.is_cancelled() {
            let mut gave_up = false;
            for (i, run) in runs.iter_mut().enumerate() {
                run.cancel();
                if !terminates.iter().any(|(r, _)| *r == i) && !run.is_finished() {
                    run.abort();
                    gave_up = true;
                }
            }
            if gave_up {
                continue;
            }
        }
        if may_send {
            first_polled = (first_polled + 1) % runs.len();
            send_what_may_go(
                inner,
                &mut runs,
                first_polled,
                first.take(),
                journals,
                &answers,
                &mut terminates,
            );
        }
        let wait = runs
            .iter()
            .filter_map(M::poll_timeout)
            .min()
            .map_or(CANCEL_POLL, |t| t.saturating_duration_since(Instant::now()))
            .min(CANCEL_POLL);
        may_send = match answered.recv_timeout(wait) {
            Ok((i, token, result)) => {
                terminates.remove(&(i, token));
                runs[i].handle_response(token, result, Instant::now(), &mut lock(&inner.state));
                true
            }
            // The driver holds a sender, so the channel never disconnects.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                let now = Instant::now();
                for run in &mut runs {
                    run.handle_timeout(now);
                }
                runs.iter().filter_map(M::poll_timeout).any(|t| t <= now)
            }
        };
    }
    runs
}

fn journal_of(journals: &[Option<Arc<Journal>>], i: usize) -> Option<&Journal> {
    journals.get(i).and_then(Option::as_deref)
}

/// Sends every request the runs let go now, starting with the run at
/// `first_polled`, signed with `credentials`, or with the provider's current ones
/// (asked now, so temporary credentials are refreshed for requests sent late in
/// a long run).
fn send_what_may_go<M: Machine>(
    inner: &Inner,
    runs: &mut [M],
    first_polled: usize,
    credentials: Option<Credentials>,
    journals: &[Option<Arc<Journal>>],
    answers: &mpsc::Sender<Answer>,
    terminates: &mut HashSet<(usize, Token)>,
) {
    let credentials = match credentials.map_or_else(|| inner.credentials.credentials(), Ok) {
        Ok(c) => c,
        Err(e) => {
            for run in runs.iter_mut() {
                run.cancel_because(format!("not sent: {e}"));
            }
            return;
        }
    };
    let count = runs.len();
    for i in (0..count).map(|k| (first_polled + k) % count) {
        let journal = journal_of(journals, i);
        send_for_run(
            inner,
            i,
            &mut runs[i],
            journal,
            &credentials,
            answers,
            terminates,
        );
    }
}

/// Sends every request run `i` lets go now.
fn send_for_run<M: Machine>(
    inner: &Inner,
    i: usize,
    run: &mut M,
    journal: Option<&Journal>,
    credentials: &Credentials,
    answers: &mpsc::Sender<Answer>,
    terminates: &mut HashSet<(usize, Token)>,
) {
    loop {
        let now = Instant::now();
        let transmit = {
            let mut state = lock(&inner.state);
            run.poll_transmit(now, inner.clock.unix_time(), credentials, &mut state)
        };
        let Some(transmit) = transmit else {
            // A TerminateInstances that is due asks for its journal record first:
            // once it is taken, it may go (signed with the same credentials).
            if run.take_journal(journal) {
                continue;
            }
            return;
        };
        let token = transmit.token;
        if transmit.action == Action::TerminateInstances {
            terminates.insert((i, token));
        }
        let transport = Arc::clone(&inner.transport);
        let tx = answers.clone();
        let spawned = std::thread::Builder::new()
            .name("tencentcloud-cvm-send".into())
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| transport.send(transmit.request)))
                    .unwrap_or_else(|_| {
                        Err(TransportError::outcome_unknown(
                            "the transport panicked while sending",
                        ))
                    });
                // The run may have finished (deadline, abort) without this answer.
                let _ = tx.send((i, token, result));
            });
        if let Err(e) = spawned {
            terminates.remove(&(i, token));
            // The request was never handed to the transport: nothing left this
            // process, so this is the connection phase's proof.
            let failure = TransportError::not_sent(ConnectError::new(
                "no thread could be started to send the request",
                e,
            ));
            run.handle_response(token, Err(failure), Instant::now(), &mut lock(&inner.state));
        }
    }
}
