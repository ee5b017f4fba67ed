//! Pacing: where a run's requests go (its own region and endpoint, or the client
//! state's), which rate-limit bucket each is counted in, what its answer tells
//! that bucket, how long a throttled request may still be retried, and the
//! [`Event::Pace`] a run reports when a bucket it uses changes pace.

use std::time::{Duration, Instant};

use super::{Event, Termination};
use crate::actions::Action;
use crate::client_state::limiter::{Answered, Permit, RateLimit};
use crate::client_state::rate_limits::Pace;
use crate::client_state::retry::RetryReason;
use crate::client_state::ClientState;
use crate::http::service_config::ServiceConfig;
use crate::model::error_code::ErrorCode;
use crate::termination::judge::Judgement;

/// What a run last reported of one bucket it uses.
#[derive(Clone, Debug)]
pub(super) struct Reported {
    bucket: u32,
    version: u64,
    pace: Pace,
}

impl Termination {
    /// Sends this run's requests to `config`'s region and endpoint instead of the
    /// client state's (a run per region over one shared [`ClientState`]: runs
    /// whose endpoints differ are paced apart, runs on one endpoint together).
    ///
    /// ```
    /// use std::time::Instant;
    /// use tencentcloud_cvm_core::{ClientState, Credentials, Endpoint, ServiceConfig, TerminateOptions, Termination};
    /// let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build()?);
    /// let shanghai = ServiceConfig::builder("ap-shanghai").endpoint(Endpoint::Regional).build()?;
    /// let options = TerminateOptions::new().with_preflight(false);
    /// let mut run = Termination::new(["ins-r8hr2upy"], &options, Instant::now())?.with_config(shanghai);
    /// let credentials = Credentials::new("AKIDexample", "example-key");
    /// // The journal's intent first, then the request.
    /// assert!(run.poll_transmit(Instant::now(), 1_700_000_000, &credentials, &mut state).is_none());
    /// assert!(run.poll_journal().is_some());
    /// let t = run.poll_transmit(Instant::now(), 1_700_000_000, &credentials, &mut state).unwrap();
    /// assert_eq!(t.request.headers()["host"], "cvm.ap-shanghai.tencentcloudapi.com");
    /// assert_eq!(t.request.headers()["x-tc-region"], "ap-shanghai");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_config(mut self, config: ServiceConfig) -> Termination {
        self.config = Some(config);
        self
    }

    /// Where this run's requests go: its own settings, else the client state's.
    pub(super) fn config<'s>(&'s self, state: &'s ClientState) -> &'s ServiceConfig {
        self.config.as_ref().unwrap_or(state.config())
    }

    /// Counts a send of `action` at `now` in its bucket, if the bucket allows.
    pub(super) fn acquire(
        &mut self,
        action: Action,
        secret_id: &str,
        now: Instant,
        state: &mut ClientState,
    ) -> Result<Permit, Instant> {
        let permit = state.try_acquire(action, self.config.as_ref(), secret_id, now)?;
        self.report_pace(permit, state);
        Ok(permit)
    }

    /// Whether a send of `action` would be let go at `now`, counting nothing: a
    /// TerminateInstances asks for its journal intent only then.
    pub(super) fn due(
        &self,
        action: Action,
        secret_id: &str,
        now: Instant,
        state: &mut ClientState,
    ) -> Result<(), Instant> {
        state.check(action, self.config.as_ref(), secret_id, now)
    }

    /// Tells the bucket of request `j` what its answer came to, and hands the
    /// judgement back.
    pub(super) fn paced<T>(
        &mut self,
        j: usize,
        judgement: Judgement<T>,
        now: Instant,
        state: &mut ClientState,
    ) -> Judgement<T> {
        let Some(permit) = self.jobs[j].permit else {
            return judgement;
        };
        let answer = match &judgement {
            Judgement::Ok(_) => Answered::Accepted,
            Judgement::Retry {
                reason: RetryReason::Throttled,
                fallback,
            } => {
                self.throttled += 1;
                let refusal = fallback.service.as_ref();
                Answered::Throttled {
                    per_api: refusal.is_some_and(|r| r.code == ErrorCode::RequestLimitExceeded),
                    message: refusal.map_or("", |r| r.message.as_str()),
                }
            }
            Judgement::Retry {
                reason: RetryReason::NotSent,
                ..
            } => Answered::NotSent,
            // Refused before acting, or a read that may be repeated: it arrived,
            // and whether it passed the limit is not known.
            Judgement::Retry { .. } => Answered::Unknown,
            // The service answered with its own refusal: past the limit.
            Judgement::Failed(failure) if failure.service.is_some() => Answered::Accepted,
            Judgement::Failed(_) => Answered::Unknown,
        };
        state.answered(permit, now, answer);
        self.report_pace(permit, state);
        judgement
    }

    /// How long request `j` has gone without its bucket making progress: since
    /// its first attempt, or since the service last accepted a request of its
    /// bucket (any run's) if that is later. The retry budget counts this, so a
    /// run that keeps getting requests through under a low limit never gives up
    /// on a throttled one.
    pub(super) fn since_progress(&self, j: usize, now: Instant, state: &ClientState) -> Duration {
        let job = &self.jobs[j];
        let progress = job.permit.and_then(|p| state.last_accepted(p));
        let from = match (job.first_sent, progress) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        from.map_or(Duration::ZERO, |t| now.saturating_duration_since(t))
    }

    /// Reports the pace of `permit`'s bucket if it changed since this run last did.
    fn report_pace(&mut self, permit: Permit, state: &ClientState) {
        let Some((pace, version)) = state.pace_of(permit) else {
            return;
        };
        match self.paces.iter_mut().find(|r| r.bucket == permit.bucket) {
            Some(r) if r.version == version => return,
            Some(r) => {
                r.version = version;
                r.pace = pace.clone();
            }
            None => self.paces.push(Reported {
                bucket: permit.bucket,
                version,
                pace: pace.clone(),
            }),
        }
        // A bucket at its ceiling that never throttled is news to nobody.
        if pace.is_slowed() || pace.throttled > 0 {
            self.pace_events.push_back(Event::Pace(pace));
        }
    }

    /// The limit the run's pace is set by now, and whether the service slowed it:
    /// its TerminateInstances bucket's, else its reads'.
    pub(super) fn pace_now(&self) -> Option<(RateLimit, bool)> {
        let of = |action: Action| {
            self.paces
                .iter()
                .rev()
                .find(|r| r.pace.action == action)
                .map(|r| (r.pace.limit, r.pace.is_slowed()))
        };
        of(Action::TerminateInstances).or_else(|| of(Action::DescribeInstances))
    }
}
