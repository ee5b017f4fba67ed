//! The blocking driver loop: moves a [`Termination`]'s requests over a
//! [`Transport`] on short-lived threads, one per request in flight (the run
//! caps how many), and feeds the answers back. It makes no decisions.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tencentcloud_cvm_core::{
    Action, ClientState, ConnectError, Credentials, Event, Termination, Token, TransportError,
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

/// Runs `run` to its end and hands it back, finished. `first`, the
/// credentials the caller just fetched, sign the first pass.
pub(super) fn drive(
    inner: &Inner,
    mut run: Termination,
    mut first: Option<Credentials>,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(&Event),
) -> Termination {
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
fn send_what_may_go(
    inner: &Inner,
    run: &mut Termination,
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
        let Some(transmit) = transmit else { return };
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
