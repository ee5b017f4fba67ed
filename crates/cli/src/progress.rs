//! The progress bar: on stderr, on a terminal only, with the time elapsed, the
//! rate instances end at, and whether the service is throttling (and to what the
//! run holds itself then).

use std::cell::RefCell;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tencentcloud_cvm::sans_io::Pace;
use tencentcloud_cvm::wire::Action;

/// A bar counting instances that have ended, or nothing at all.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    said: RefCell<Said>,
}

/// What the text after the count is made of.
#[derive(Debug, Default)]
struct Said {
    /// The latest pace of each bucket (action and endpoint) the run reported.
    paces: Vec<Shown>,
    /// A note (what the run waits for, say).
    note: Option<String>,
}

/// What the bar says of one bucket's [`Pace`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shown {
    action: Action,
    /// The bucket's endpoint: regions on their own endpoints are paced apart.
    endpoint: String,
    /// Requests per second it holds to now, and may return to.
    limit: u32,
    ceiling: u32,
    slowed: bool,
    throttled: u64,
}

impl From<&Pace> for Shown {
    fn from(p: &Pace) -> Shown {
        Shown {
            action: p.action,
            endpoint: p.endpoint.clone(),
            limit: p.limit.max(),
            ceiling: p.ceiling.max(),
            slowed: p.is_slowed(),
            throttled: p.throttled,
        }
    }
}

impl Progress {
    /// A bar for `total` instances when `shown` (stderr is a terminal with no log
    /// lines to garble); else a no-op.
    pub fn new(total: usize, what: &'static str, shown: bool) -> Progress {
        let said = RefCell::new(Said::default());
        if !shown || total == 0 {
            return Progress { bar: None, said };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        // The time elapsed and the rate instances end at, not an ETA: a run the
        // service throttles would show one that stands still. The bar is narrow and
        // the message takes the rest of the line, cut short rather than wrapped: a
        // wrapped line is redrawn one line lower each time (at 100 columns the
        // throttling message used to wrap).
        let style = ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {bar:10} {pos}/{len}, {rate} {wide_msg}",
        )
        .map(|style| {
            style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&rate(state.per_sec()));
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(what);
        Progress {
            bar: Some(bar),
            said,
        }
    }

    pub fn advance(&self, instances: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(instances as u64);
        }
    }

    /// A note after the count (what the run waits for, say).
    pub fn note(&self, message: String) {
        self.said.borrow_mut().note = Some(message);
        self.show();
    }

    /// A rate-limit bucket the run sends through changed pace.
    pub fn pace(&self, pace: &Pace) {
        let mut said = self.said.borrow_mut();
        said.paces
            .retain(|p| p.action != pace.action || p.endpoint != pace.endpoint);
        said.paces.push(Shown::from(pace));
        drop(said);
        self.show();
    }

    fn show(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(self.said.borrow().text());
        }
    }

    /// Takes the bar off the screen, leaving the lines above it as they were.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Instances per second as a person reads it: `139/s`, `0.7/s` (indicatif's own
/// `{per_sec}` shows four decimals).
fn rate(per_sec: f64) -> String {
    if per_sec < 10.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{per_sec:.0}/s")
    }
}

impl Said {
    /// `throttled ×4: TerminateInstances at 3/s of 10/s · waiting for 12 to be gone`.
    fn text(&self) -> String {
        // TerminateInstances sets the pace when it is slowed; a slowed read otherwise.
        let slowed = self
            .paces
            .iter()
            .filter(|p| p.slowed)
            .min_by_key(|p| p.action != Action::TerminateInstances);
        let throttled: u64 = self.paces.iter().map(|p| p.throttled).sum();
        let pace = match slowed {
            Some(p) => Some(format!(
                "throttled ×{throttled}: {} at {}/s of {}/s",
                p.action, p.limit, p.ceiling
            )),
            None if throttled > 0 => Some(format!("throttled ×{throttled}, back to full rate")),
            None => None,
        };
        [pace, self.note.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_when_not_shown_or_empty() {
        assert!(Progress::new(10, "terminating", false).bar.is_none());
        assert!(Progress::new(0, "terminating", true).bar.is_none());
        let p = Progress::new(3, "terminating", true);
        p.advance(2);
        p.note("waiting".to_owned());
        assert_eq!(p.bar.as_ref().map(|b| b.position()), Some(2));
        assert_eq!(
            p.bar.as_ref().map(|b| b.message()).as_deref(),
            Some("waiting")
        );
        p.finish();
        assert!(p.bar.as_ref().is_some_and(|b| b.is_finished()));
    }

    #[test]
    fn the_rate_has_no_more_digits_than_a_person_reads() {
        assert_eq!(rate(138.8084), "139/s");
        assert_eq!(rate(10.0), "10/s");
        assert_eq!(rate(0.6666), "0.7/s");
        assert_eq!(rate(0.0), "0.0/s");
    }

    #[test]
    fn says_when_and_how_much_the_service_throttles() {
        let shown = |action, limit, slowed, throttled| Shown {
            action,
            endpoint: "cvm.ap-guangzhou.tencentcloudapi.com".to_owned(),
            limit,
            ceiling: 10,
            slowed,
            throttled,
        };
        let mut said = Said::default();
        assert_eq!(said.text(), "");
        said.paces = vec![shown(Action::DescribeInstances, 10, false, 1)];
        said.note = Some("waiting for 3 to be gone".to_owned());
        assert_eq!(
            said.text(),
            "throttled ×1, back to full rate · waiting for 3 to be gone"
        );
        said.paces
            .push(shown(Action::TerminateInstances, 3, true, 4));
        assert_eq!(
            said.text(),
            "throttled ×5: TerminateInstances at 3/s of 10/s · waiting for 3 to be gone"
        );
    }
}
