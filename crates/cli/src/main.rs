//! `tccvm`: terminate Tencent Cloud CVM instances from the command line, asking first.
//!
//! ```text
//! tccvm terminate --region ap-guangzhou ins-r8hr2upy ins-5d8a23rs
//! tccvm status --region ap-guangzhou ins-r8hr2upy
//! tccvm list --region ap-guangzhou,ap-shanghai --tag team=ci --older-than 6h
//! tccvm terminate --region ap-guangzhou --tag team=ci --older-than 6h --exclude-tag keep
//! tccvm terminate --emulator                  # offline, against an embedded emulator
//! tccvm completions bash                      # a completion script; `tccvm man`: the page
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
mod identity;
mod instance_ids;
mod interrupts;
mod journal_command;
mod journal_files;
mod json_lines;
mod json_text;
mod list_command;
mod list_output;
mod logging;
mod money;
mod output;
mod plan_output;
mod plan_summary;
mod progress;
mod rate_limit_arg;
mod region;
mod region_targets;
mod report_output;
mod run_document;
mod select;
mod selection_run;
mod signed_request_dump;
mod status_command;
mod status_output;
mod stdout_thread;
mod table;
mod terminal_text;
mod terminate_command;
mod traced_transport;
mod whole_run;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};
use exit_status::ExitStatus;

/// How much to say on stderr.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    /// A progress bar (stderr is a terminal, and no log lines would garble it).
    pub show_progress: bool,
    /// `-q`: errors only.
    pub quiet: bool,
}

fn main() -> ExitCode {
    // Usage errors exit 2 and --help/--version 0, as clap does.
    let cli = Cli::parse();
    logging::init(cli.verbose, cli.quiet);
    // The bar would garble log lines, and off a terminal only results are printed.
    let ui = Ui {
        show_progress: std::io::stderr().is_terminal()
            && cli.verbose == 0
            && !cli.quiet
            && std::env::var_os("RUST_LOG").is_none(),
        quiet: cli.quiet,
    };
    let result = match &cli.command {
        Command::Terminate(args) => terminate_command::run(args, ui),
        Command::Status(args) => status_command::run(args, ui),
        Command::List(args) => list_command::run(args, ui),
        Command::Journal(command) => journal_command::run(command),
        Command::Completions(args) => generated(|out| {
            clap_complete::generate(args.shell.generator(), &mut Cli::command(), "tccvm", out);
            Ok(())
        }),
        Command::Man(args) => generated(|out| manual_page(args.command.as_deref(), out)),
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

/// The manual page of tccvm, or of one of its commands (`tccvm-terminate(1)`),
/// in roff: `.TH` first, then clap_mangen's page (whose first lines define the
/// `Aq` string it writes apostrophes with).
fn manual_page(command: Option<&str>, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => {
            let title = match name {
                "terminate" => "tccvm-terminate",
                "status" => "tccvm-status",
                "list" => "tccvm-list",
                "journal" => "tccvm-journal",
                "completions" => "tccvm-completions",
                _ => "tccvm-man",
            };
            let sub = cli
                .find_subcommand(name)
                .cloned()
                .ok_or_else(|| std::io::Error::other(format!("no command {name}")))?;
            sub.name(title).version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut text = Vec::new();
    clap_mangen::Man::new(page).render(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    let (title, rest): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|line| line.starts_with(".TH "));
    for line in title.into_iter().chain(rest) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes what `render` makes (a completion script, the manual page) on stdout:
/// exit 0, or 3 with a message if it cannot be written.
fn generated(
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<ExitStatus, cli_error::CliError> {
    let mut text = Vec::new();
    render(&mut text).map_err(|e| cli_error::CliError::caused_by("", &e))?;
    Ok(exit_status::print_all(&text))
}
