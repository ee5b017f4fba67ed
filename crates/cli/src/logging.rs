//! Log lines on stderr: `-v` info, `-vv` debug, `-vvv` trace; without `-v`,
//! `RUST_LOG` (env_logger's syntax), else warnings only; `-q` errors only.
//!
//! Every line is escaped as the table is ([`crate::terminal_text::escape`]):
//! what the service says (an error code, a message, a RequestId) reaches the
//! terminal as visible text, never as control sequences or an extra line.
//!
//! Whatever is asked for, other crates never log below DEBUG. At TRACE,
//! ureq's protocol layer (`ureq_proto`) writes every byte sent as a hex dump,
//! session token included, and rustls writes certificates; at DEBUG ureq shows
//! only headers it knows to be harmless. Our own crates never log a secret, at
//! any level, so they alone go down to TRACE.

use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::terminal_text::escape;

/// The crates whose TRACE lines are shown: this binary and the library's.
const OURS: &[&str] = &[
    "tccvm",
    "tencentcloud_cvm",
    "tencentcloud_cvm_core",
    "tencentcloud_cvm_ureq",
    "tencentcloud_cvm_emulator",
];

/// The most any other crate may log.
const OTHERS_MAX: Level = Level::Debug;

/// Installs the logger for `verbosity` (the number of `-v`), reading `RUST_LOG`
/// when there is none; with `quiet`, errors only.
pub fn init(verbosity: u8, quiet: bool) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let logger = if quiet {
        CappedLogger::quiet()
    } else {
        CappedLogger::new(verbosity, rust_log.as_deref())
    };
    let max = logger.max_level();
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(max);
    }
}

/// env_logger's logger, behind the cap on other crates.
struct CappedLogger {
    inner: env_logger::Logger,
}

impl CappedLogger {
    /// Errors only, whatever `RUST_LOG` says.
    fn quiet() -> Self {
        let mut builder = Self::builder();
        builder.filter_level(LevelFilter::Error);
        CappedLogger {
            inner: builder.build(),
        }
    }

    /// env_logger on stderr, each line's message escaped.
    fn builder() -> env_logger::Builder {
        let mut builder = env_logger::Builder::new();
        builder.target(env_logger::Target::Stderr);
        builder.format(|out, record| {
            use std::io::Write;
            writeln!(
                out,
                "[{} {:<5} {}] {}",
                out.timestamp(),
                record.level(),
                record.target(),
                escape(&record.args().to_string())
            )
        });
        builder
    }

    fn new(verbosity: u8, rust_log: Option<&str>) -> Self {
        let mut builder = Self::builder();
        match (verbosity, rust_log) {
            (0, Some(spec)) => {
                builder.parse_filters(spec);
            }
            _ => {
                let (ours, others) = levels(verbosity);
                builder.filter_level(others);
                for name in OURS {
                    builder.filter_module(name, ours);
                }
            }
        }
        CappedLogger {
            inner: builder.build(),
        }
    }

    fn max_level(&self) -> LevelFilter {
        self.inner.filter()
    }
}

/// (our crates, other crates) for a number of `-v`.
fn levels(verbosity: u8) -> (LevelFilter, LevelFilter) {
    match verbosity {
        0 => (LevelFilter::Warn, LevelFilter::Error),
        1 => (LevelFilter::Info, LevelFilter::Warn),
        2 => (LevelFilter::Debug, LevelFilter::Info),
        _ => (LevelFilter::Trace, LevelFilter::Debug),
    }
}

fn is_ours(target: &str) -> bool {
    OURS.iter().any(|name| {
        target
            .strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

fn permitted(metadata: &Metadata<'_>) -> bool {
    metadata.level() <= OTHERS_MAX || is_ours(metadata.target())
}

impl Log for CappedLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        permitted(metadata) && self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if permitted(record.metadata()) {
            self.inner.log(record);
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(logger: &CappedLogger, target: &str, level: Level) -> bool {
        logger.enabled(&Metadata::builder().target(target).level(level).build())
    }

    #[test]
    fn other_crates_never_trace_whatever_is_asked() {
        for logger in [
            CappedLogger::new(3, None),
            CappedLogger::new(0, Some("trace")),
        ] {
            assert!(!enabled(&logger, "ureq_proto::util", Level::Trace));
            assert!(!enabled(&logger, "ureq", Level::Trace));
            assert!(!enabled(&logger, "rustls::client::tls13", Level::Trace));
            // A crate whose name merely starts like ours is not ours.
            assert!(!enabled(&logger, "tencentcloud_cvm_fake", Level::Trace));
            assert!(enabled(&logger, "ureq_proto::util", Level::Debug));
            assert!(enabled(
                &logger,
                "tencentcloud_cvm_core::termination",
                Level::Trace
            ));
            assert!(enabled(&logger, "tccvm::terminate_command", Level::Trace));
            assert_eq!(logger.max_level(), LevelFilter::Trace);
        }
        let asked = CappedLogger::new(0, Some("ureq_proto=trace,ureq_proto::util=trace"));
        assert!(!enabled(&asked, "ureq_proto::util", Level::Trace));
        assert!(enabled(&asked, "ureq_proto::util", Level::Debug));
    }

    #[test]
    fn verbosity_levels() {
        let quiet = CappedLogger::new(0, None);
        assert!(enabled(&quiet, "tencentcloud_cvm_ureq", Level::Warn));
        assert!(!enabled(&quiet, "tencentcloud_cvm_ureq", Level::Info));
        assert!(!enabled(&quiet, "ureq", Level::Warn));
        let v = CappedLogger::new(1, None);
        assert!(enabled(&v, "tccvm", Level::Info));
        assert!(!enabled(&v, "tccvm", Level::Debug));
        assert!(enabled(&v, "ureq", Level::Warn));
        let vv = CappedLogger::new(2, None);
        assert!(enabled(&vv, "tencentcloud_cvm_core", Level::Debug));
        assert!(!enabled(&vv, "ureq", Level::Debug));
        let vvv = CappedLogger::new(3, None);
        assert!(enabled(&vvv, "ureq", Level::Debug));
    }

    #[test]
    fn quiet_is_errors_only() {
        let quiet = CappedLogger::quiet();
        assert!(enabled(&quiet, "tccvm", Level::Error));
        assert!(!enabled(&quiet, "tccvm", Level::Warn));
        assert!(!enabled(&quiet, "tencentcloud_cvm_core", Level::Warn));
    }

    #[test]
    fn rust_log_is_read_only_without_v() {
        let env = CappedLogger::new(0, Some("tencentcloud_cvm_core=debug"));
        assert!(enabled(&env, "tencentcloud_cvm_core", Level::Debug));
        assert!(!enabled(&env, "tencentcloud_cvm_ureq", Level::Warn));
        let flag = CappedLogger::new(1, Some("tencentcloud_cvm_core=debug"));
        assert!(!enabled(&flag, "tencentcloud_cvm_core", Level::Debug));
        assert!(enabled(&flag, "tencentcloud_cvm_ureq", Level::Info));
    }
}
