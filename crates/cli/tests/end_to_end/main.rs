//! tccvm end to end, one test binary: each module is what used to be a file of
//! its own in `tests/` (one binary each meant one link of the whole dependency
//! tree each, and their tests ran one binary after another). `tests/common/`
//! stays where a new stand-alone test file finds it.
#![forbid(unsafe_code)]

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod confirmation;
mod credentials_errors;
mod credentials_sources;
mod generated;
mod https_emulator;
mod journal;
mod jsonl_streaming;
mod output_hygiene;
mod rate_limits;
mod safe_flow;
mod secrets_in_logs;
mod selection;
mod signals_and_output;
mod tccli_configuration;
mod whole_run;
