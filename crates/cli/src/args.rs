//! The command line, as clap derives it: `tccvm [-v...] terminate|status ...`.

use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use tencentcloud_cvm::Language;

use crate::duration::parse_duration;

const AFTER_HELP: &str = "\
Credentials, first found: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (with
TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_TOKEN); the profile (--profile, else
TENCENTCLOUD_PROFILE, else `default`) of TENCENTCLOUD_CREDENTIALS_FILE,
~/.tencentcloud/credentials or /etc/tencentcloud/credentials; a role assumed through STS
(TENCENTCLOUD_ROLE_ARN, or the profile's role_arn); TKE OIDC (TKE_* variables); the CVM's
CAM role (TENCENTCLOUD_METADATA_ENDPOINT).

Exit status: 0 every instance terminated (or skipped: already in the recycle bin),
1 any failed, unknown or not sent, or the question was answered no, 2 usage or
validation error (nothing sent), 130 interrupted (the full report is still printed).";

/// Terminate Tencent Cloud CVM instances, asking first (CVM API 3.0).
#[derive(Debug, Parser)]
#[command(name = "tccvm", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Log on stderr: -v info, -vv debug, -vvv trace (RUST_LOG is read too); never a secret
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Terminate instances (TerminateInstances): shows what will happen, asks, then acts
    #[command(after_help = AFTER_HELP)]
    Terminate(TerminateArgs),
}

/// `tccvm terminate`.
#[derive(Debug, Args)]
pub struct TerminateArgs {
    /// Instance IDs (ins-xxxxxxxx); `-` reads more from standard input, separated by
    /// whitespace or newlines
    #[arg(value_name = "IDS")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub target: Target,

    /// Also release the instances' prepaid data disks (ReleasePrepaidDataDisks)
    #[arg(long)]
    pub release_prepaid_data_disks: bool,

    /// Also release the instances' elastic IPs (ReleaseAddress)
    #[arg(long)]
    pub release_address: bool,

    /// Send nothing: print the signed request(s) that would be sent (the session token
    /// redacted)
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask before terminating (without a terminal, nothing is terminated without it)
    #[arg(short, long)]
    pub yes: bool,

    /// Output format: a table, one JSON document, or JSON lines (one per instance,
    /// printed as soon as its outcome is known)
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as --output json
    #[arg(long, conflicts_with = "output")]
    pub json: bool,

    /// Send nothing new after this long (e.g. 90s, 5m); instances not sent by then are
    /// reported not_sent
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
}

impl TerminateArgs {
    /// `--output`, with `--json` read as `--output json`.
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.output
        }
    }
}

/// Where the requests go, and as whom.
#[derive(Debug, Args)]
pub struct Target {
    /// Region, e.g. ap-guangzhou [default: TENCENTCLOUD_REGION, else the profile's `region`]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Endpoint base URL [default: `https://cvm.tencentcloudapi.com`]
    #[arg(long, value_name = "URL", conflicts_with = "emulator")]
    pub endpoint: Option<String>,

    /// Profile (section) of the credentials file [default: TENCENTCLOUD_PROFILE, else default]
    #[arg(long, value_name = "NAME", conflicts_with = "emulator")]
    pub profile: Option<String>,

    /// Language of the service's messages
    #[arg(long, value_name = "zh-CN|en-US", value_parser = parse_language)]
    pub language: Option<Language>,

    /// Run against an embedded emulator on 127.0.0.1 seeded with the given IDs (or demo
    /// instances): nothing real is touched, and nothing is asked
    #[arg(long)]
    pub emulator: bool,
}

/// How results are printed on standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns, control characters escaped
    Table,
    /// One JSON document at the end
    Json,
    /// One JSON object per line, per instance, as soon as its outcome is known
    Jsonl,
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::parse(s).ok_or_else(|| "the languages are zh-CN and en-US".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("tccvm").chain(args.iter().copied()))
    }

    fn terminate(args: &[&str]) -> TerminateArgs {
        let all: Vec<&str> = std::iter::once("terminate")
            .chain(args.iter().copied())
            .collect();
        match parse(&all).unwrap().command {
            Command::Terminate(t) => t,
        }
    }

    #[test]
    fn the_derived_command_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn verbosity_is_global_before_or_after_the_subcommand() {
        assert_eq!(parse(&["-vv", "terminate"]).unwrap().verbose, 2);
        assert_eq!(parse(&["terminate", "-vvv"]).unwrap().verbose, 3);
        assert_eq!(parse(&["terminate", "--verbose"]).unwrap().verbose, 1);
        assert_eq!(parse(&["terminate"]).unwrap().verbose, 0);
    }

    #[test]
    fn ids_and_the_stdin_marker_are_positional() {
        let t = terminate(&["ins-00000001", "-", "ins-00000002"]);
        assert_eq!(t.ids, ["ins-00000001", "-", "ins-00000002"]);
    }

    #[test]
    fn json_is_output_json_and_excludes_output() {
        assert_eq!(terminate(&["--json"]).format(), OutputFormat::Json);
        assert_eq!(
            terminate(&["--output", "jsonl"]).format(),
            OutputFormat::Jsonl
        );
        assert_eq!(terminate(&["-o", "json"]).format(), OutputFormat::Json);
        assert_eq!(terminate(&[]).format(), OutputFormat::Table);
        let e = parse(&["terminate", "--json", "--output", "table"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn a_misspelt_flag_gets_a_suggestion_and_exit_2() {
        let e = parse(&["terminate", "--regoin", "ap-guangzhou"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("--region"), "{e}");
    }

    #[test]
    fn values_are_checked_by_the_parser() {
        let t = terminate(&["--language", "en-US", "--timeout", "90s"]);
        assert_eq!(t.target.language, Some(Language::EnUs));
        assert_eq!(t.timeout, Some(Duration::from_secs(90)));
        for bad in [
            &["terminate", "--language", "fr-FR"][..],
            &["terminate", "--timeout", "soon"],
            &["terminate", "--output", "yaml"],
            &[
                "terminate",
                "--emulator",
                "--endpoint",
                "http://127.0.0.1:1",
            ],
            &["terminate", "--emulator", "--profile", "ci"],
        ] {
            assert_eq!(parse(bad).unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }

    #[test]
    fn the_version_is_the_package_version() {
        let e = parse(&["--version"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::DisplayVersion);
        assert_eq!(
            e.to_string().trim_end(),
            format!("tccvm {}", env!("CARGO_PKG_VERSION"))
        );
    }
}
