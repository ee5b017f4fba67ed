//! A driver that keeps the journal, for the end-to-end tests: the core's run over
//! the ureq transport, one request at a time, each record taken before anything is
//! sent (as the contract asks), the journal kept in memory.

use std::time::{Duration, Instant};

use tencentcloud_cvm::sans_io::{ClientState, History, JournalRecord, Termination};
use tencentcloud_cvm::transport::{SystemClock, Transport, UreqTransport, WallClock};
use tencentcloud_cvm::wire::ServiceConfig;
use tencentcloud_cvm::{ProxyConfig, Report, TerminateOptions};

use super::service::Service;

/// A finished run and what it wrote.
pub struct Journaled {
    pub report: Report,
    pub journal: Vec<JournalRecord>,
}

impl Journaled {
    /// The journal as a later run reads it back from its lines.
    pub fn history(&self) -> History {
        history(&[self])
    }
}

/// The journals of several runs, one after another, as a later run reads them.
pub fn history(runs: &[&Journaled]) -> History {
    let text: String = runs
        .iter()
        .flat_map(|r| r.journal.iter().map(JournalRecord::to_line))
        .collect();
    History::parse(text.as_bytes()).unwrap()
}

impl Service {
    /// Terminates `ids` with `options`, keeping the journal.
    pub fn terminate_journaled<S: AsRef<str>>(
        &self,
        ids: &[S],
        options: &TerminateOptions,
    ) -> Journaled {
        let config = ServiceConfig::builder("ap-guangzhou")
            .endpoint_url(self.server.url())
            .build()
            .unwrap();
        let mut state = ClientState::new(config);
        let transport = UreqTransport::builder()
            .proxy(ProxyConfig::None)
            .request_timeout(Service::TIMEOUT)
            .build()
            .unwrap();
        let mut run = Termination::new(ids, options, Instant::now()).unwrap();
        let mut journal = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            while run.poll_event().is_some() {}
            journal.extend(std::iter::from_fn(|| run.poll_journal()));
            if run.is_finished() {
                break;
            }
            assert!(Instant::now() < deadline, "the run did not finish");
            let now = Instant::now();
            let unix = SystemClock.unix_time();
            if let Some(t) = run.poll_transmit(now, unix, self.credentials(), &mut state) {
                let answer = transport.send(t.request);
                run.handle_response(t.token, answer, Instant::now(), &mut state);
                continue;
            }
            // Nothing may go yet: wait until the run says (a journal record waiting
            // to be taken makes that now).
            let wake = run
                .poll_timeout()
                .unwrap_or(now + Duration::from_millis(50));
            let wait = wake.saturating_duration_since(Instant::now());
            std::thread::sleep(wait.min(Duration::from_millis(50)));
            run.handle_timeout(Instant::now());
        }
        Journaled {
            report: run.into_report(),
            journal,
        }
    }
}
