//! The blocking driver loop: moves a [`Termination`]'s requests (or those of a
//! read that only reads: a selection's listing, the list of regions) over a
//! [`Transport`] on short-lived threads, one per request in flight (the run
//! caps how many), and feeds the answers back. It makes no decisions.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tencentcloud_cvm_core::{
    Action, ClientState, ConnectError, Credentials, Event, RegionList, SelectionRead, Termination,
    Token, Transmit, TransportError,
};

use super::Inner;
use crate::CancelToken;

/// How often a waiting driver looks at its [`CancelToken`].
const CANCEL_POLL: Duration = Duration::from_millis(50);

type Answer = (Token, Result<http::Response<Vec<u8>>, TransportError>);

pub(super) fn lock(state: &Mutex<ClientState>) -> MutexGuard<'_, ClientState> {
    // The state holds no invariant a panicking holder could break halfway.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the loop drives: the core's poll-style machines, which all take time,
/// credentials and answers the same way.
pub(super) trait Machine: Journaled {
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
    /// Takes the records; whether there were any. This driver keeps no journal
    /// (yet): taking them is what lets each TerminateInstances leave, and they are
    /// dropped. A driver that keeps one appends and syncs them here, before anything
    /// is sent.
    fn take_journal(&mut self) -> bool {
        false
    }
}

impl Journaled for Termination {
    fn take_journal(&mut self) -> bool {
        let mut any = false;
        while self.poll_journal().is_some() {
            any = true;
        }
        any
    }
}

impl Journaled for SelectionRead {}
impl Journaled for RegionList {}

/// Runs `run` to its end and hands it back, finished. `first`, the
/// credentials the caller just fetched, sign the first pass.
pub(super) fn drive<M: Machine>(
    inner: &Inner,
    mut run: M,
    mut first: Option<Credentials>,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(&Event),
) -> M {
    let (answers, answered) = mpsc::channel::<Answer>();
    // A request may go only after an answer or once `poll_timeout` is due (as
    // `poll_transmit` says): waking merely to look at the cancel token asks
    // the provider, which may read the environment and a file, for nothing.
    let mut may_send = true;
    // The TerminateInstances requests in flight: once cancelled, only these are
    // awaited. A read changes nothing, so one in flight is given up at once
    // (its instances end not sent) rather than awaited until it times out.
    let mut terminates = HashSet::new();
    loop {
        while let Some(event) = run.poll_event() {
            on_event(&event);
        }
        run.take_journal();
        if run.is_finished() {
            break;
        }
        if cancel.is_aborted() {
            run.abort();
            continue;
        }
        if cancel.is_cancelled() {
            run.cancel();
            if terminates.is_empty() && !run.is_finished() {
                run.abort();
                continue;
            }
        }
        if may_send {
            send_what_may_go(inner, &mut run, first.take(), &answers, &mut terminates);
        }
        let wait = run
            .poll_timeout()
            .map_or(CANCEL_POLL, |t| t.saturating_duration_since(Instant::now()))
            .min(CANCEL_POLL);
        may_send = match answered.recv_timeout(wait) {
            Ok((token, result)) => {
                terminates.remove(&token);
                run.handle_response(token, result, Instant::now(), &mut lock(&inner.state));
                true
            }
            // The driver holds a sender, so the channel never disconnects.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                let now = Instant::now();
                run.handle_timeout(now);
                run.poll_timeout().is_some_and(|t| t <= now)
            }
        };
    }
    run
}

/// Sends every request the run lets go now, signed with `credentials`, or
/// with the provider's current ones (asked now, so temporary credentials are
/// refreshed for requests sent late in a long run).
fn send_what_may_go<M: Machine>(
    inner: &Inner,
    run: &mut M,
    credentials: Option<Credentials>,
    answers: &mpsc::Sender<Answer>,
    terminates: &mut HashSet<Token>,
) {
    let credentials = match credentials.map_or_else(|| inner.credentials.credentials(), Ok) {
        Ok(c) => c,
        Err(e) => {
            run.cancel_because(format!("not sent: {e}"));
            return;
        }
    };
    loop {
        let now = Instant::now();
        let transmit = {
            let mut state = lock(&inner.state);
            run.poll_transmit(now, inner.clock.unix_time(), &credentials, &mut state)
        };
        let Some(transmit) = transmit else {
            // A TerminateInstances that is due asks for its journal record first:
            // once it is taken, it may go (signed with the same credentials).
            if run.take_journal() {
                continue;
            }
            return;
        };
        let token = transmit.token;
        if transmit.action == Action::TerminateInstances {
            terminates.insert(token);
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
                let _ = tx.send((token, result));
            });
        if let Err(e) = spawned {
            terminates.remove(&token);
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
