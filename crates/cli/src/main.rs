//! `tccvm`: terminate Tencent Cloud CVM instances from the command line, asking first.
//!
//! ```text
//! tccvm terminate --region ap-guangzhou ins-r8hr2upy ins-5d8a23rs
//! tccvm status --region ap-guangzhou ins-r8hr2upy
//! tccvm terminate --emulator                  # offline, against an embedded emulator
//! ```
//!
//! `tccvm --help` has the rest.
#![forbid(unsafe_code)]

mod args;
mod cli_error;
mod confirmation;
mod connection;
mod duration;
#[cfg(feature = "emulator")]
mod embedded_emulator;
#[cfg(not(feature = "emulator"))]
#[path = "no_embedded_emulator.rs"]
mod embedded_emulator;
mod exit_status;
mod instance_ids;
mod interrupts;
mod json_lines;
mod logging;
mod plan_output;
mod plan_summary;
mod progress;
mod region;
mod report_output;
mod signed_request_dump;
mod status_command;
mod status_output;
mod table;
mod terminal_text;
mod terminate_command;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use exit_status::ExitStatus;

fn main() -> ExitCode {
    // Usage errors exit 2 and --help/--version 0, as clap does.
    let cli = Cli::parse();
    logging::init(cli.verbose);
    // The bar would garble log lines, and off a terminal only results are printed.
    let show_progress = std::io::stderr().is_terminal()
        && cli.verbose == 0
        && std::env::var_os("RUST_LOG").is_none();
    let result = match &cli.command {
        Command::Terminate(args) => terminate_command::run(args, show_progress),
        Command::Status(args) => status_command::run(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                terminal_text::escape(&e.to_string())
            );
            ExitStatus::Refused.into()
        }
    }
}
