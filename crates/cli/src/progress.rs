//! The progress bar: on stderr, on a terminal only, with an ETA.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting instances that have ended, or nothing at all.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` instances when `shown` (stderr is a terminal with no log
    /// lines to garble); else a no-op.
    pub fn new(total: usize, what: &'static str, shown: bool) -> Progress {
        if !shown || total == 0 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} instances (ETA {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(what);
        Progress { bar: Some(bar) }
    }

    pub fn advance(&self, instances: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(instances as u64);
        }
    }

    /// A note after the count (what the run waits for, say).
    pub fn note(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Takes the bar off the screen, leaving the lines above it as they were.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
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
}
