//! The command line, as clap derives it: `tccvm [-v...] terminate|status ...`.

use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use tencentcloud_cvm::Language;

use crate::duration::parse_duration;
use crate::rate_limit_arg::{parse_rate_limit, RateLimitArg};

/// Where credentials, the region and the trusted CAs come from, for every
/// command's help (a macro, so that `concat!` can put it in front of each
/// command's own text).
macro_rules! credentials_help {
    () => {
        "\
Credentials: TENCENTCLOUD_SECRET_ID/_KEY (+ TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_TOKEN);
else the profile (--profile, TENCENTCLOUD_PROFILE, default `default`) of
TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials or /etc/tencentcloud/credentials;
TENCENTCLOUD_ROLE_ARN or the profile's role_arn to assume a role; else tccli's
~/.tccli/<profile>.credential (profile: --profile, TENCENTCLOUD_PROFILE, TCCLI_PROFILE,
`default`); else TKE OIDC (TKE_*); else the CVM instance role.

Region: --region, else TENCENTCLOUD_REGION, else the profile's region, else tccli's
(`tccli configure set region ...`).

SSL_CERT_FILE: PEM CA certificates trusted instead of the built-in roots, e.g. the
emulator's --tls-cert file (--ca-file FILE does the same for one command)."
    };
}

/// What the exit status says, as the README has it (every command but
/// `completions` and `man`, which exit 0, or 2 on a usage error).
macro_rules! exit_status_help {
    () => {
        "\
Exit status: 0 done (terminate: every instance terminated or skipped; --dry-run: none would
fail; status: every instance read), 1 not done (an instance failed, is unknown, was not sent
or not found, or the question was answered no), 2 nothing was sent (a usage, validation or
credentials error, no terminal to ask on, a journal that cannot be used or is locked with
--no-wait, the credentials refused or the endpoint unreachable for the whole run), 3 the report could not be written on standard output, 130 interrupted
(SIGINT, SIGTERM or SIGHUP)."
    };
}

/// How a selection is given, for the help of every command that takes one.
macro_rules! selection_help {
    () => {
        "\
Selection: instance IDs and/or filters (--filter, repeatable, the API's filter names: AND
across filters, OR within one; --tag KEY=VALUE is short for --filter tag:KEY=VALUE), then
conditions tccvm checks on what it reads (--older-than, against CreatedTime; --name, a glob on
the whole name), minus exclusions (--exclude-id, --exclude-tag). An instance whose creation
time, name or tags were not read is not selected. terminate refuses a selection without IDs
and without a filter unless --all is given (exit 2, nothing sent).

Regions: --region R1,R2,... or --all-regions (DescribeRegions). With several regions each
region is read on its own endpoint, https://cvm.<region>.tencentcloudapi.com, unless
--endpoint URL (every region) or --endpoint REGION=URL (that region; repeatable) says
otherwise. An ID is looked up in every region: found in none it fails NotFound, found in two
it is never sent."
    };
}

const TERMINATE_HELP: &str = concat!(
    selection_help!(),
    "\n\n",
    credentials_help!(),
    "\n\n\
Interrupt (Ctrl-C, SIGTERM, or SIGHUP when the session drops): nothing new is sent, reads in
flight are given up, TerminateInstances in flight are awaited and the whole report is
printed; a second interrupt gives up TerminateInstances in flight at once (reported unknown).

Above 50 instances, the question asks for their number instead of y.

Journal: before each TerminateInstances leaves, its instances are written (fsynced) to
$XDG_STATE_HOME/tccvm/REGION.jsonl, else ~/.local/state/tccvm/REGION.jsonl (--journal
elsewhere), then its RequestId. A re-run reports what an earlier run terminated, with that
RequestId, and sends nothing for it; a prepaid instance an earlier request may have acted on
is not sent again without --destroy-prepaid. One run at a time per region on this host: a
second waits for the first (--no-wait: exit 2). `tccvm journal show` shows what it holds.

",
    exit_status_help!()
);

const STATUS_HELP: &str = concat!(credentials_help!(), "\n\n", exit_status_help!());

const LIST_HELP: &str = concat!(
    selection_help!(),
    "\n\n",
    credentials_help!(),
    "\n\n\
Exit status: 0 every region read (and every ID given found), 1 a region could not be read or an
ID given was not found or not selected, 2 nothing was sent (a usage, validation or credentials
error), 3 the list could not be written on standard output, 130 interrupted."
);

/// Terminate Tencent Cloud CVM instances, asking first (CVM API 3.0).
#[derive(Debug, Parser)]
#[command(name = "tccvm", version, after_help = concat!(credentials_help!(), "\n\n", exit_status_help!()))]
pub struct Cli {
    /// Log on stderr: -v info (each read's RequestId), -vv debug (each signed request,
    /// the session token redacted), -vvv trace (RUST_LOG is read too); never a secret
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Only errors on stderr: no progress bar, notes or warnings (the report on stdout
    /// is unchanged)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Terminate instances (TerminateInstances): reads them, shows what will happen, asks,
    /// then acts
    #[command(after_help = TERMINATE_HELP)]
    Terminate(TerminateArgs),
    /// Show instances' state, charge type and latest operation (DescribeInstances); sends
    /// nothing else
    #[command(after_help = STATUS_HELP)]
    Status(StatusArgs),
    /// List the instances a selection matches, in one or more regions (DescribeInstances);
    /// read-only
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// Show what the journal of earlier terminate runs holds, or where it is
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Print a shell completion script on stdout, e.g.
    /// `tccvm completions bash > ~/.local/share/bash-completion/completions/tccvm`
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, e.g. `tccvm man | man -l -`; with a
    /// command, that command's page (`tccvm man terminate`)
    Man(ManArgs),
}

/// `tccvm man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: tccvm's own)
    #[arg(value_parser = ["terminate", "status", "list", "journal", "completions", "man"])]
    pub command: Option<String>,
}

/// `tccvm completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `tccvm completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// bash (bash-completion)
    Bash,
    /// zsh (a `_tccvm` function for fpath)
    Zsh,
    /// fish
    Fish,
    /// PowerShell
    Powershell,
}

impl CompletionShell {
    /// clap_complete's name for it.
    pub fn generator(self) -> clap_complete::Shell {
        match self {
            CompletionShell::Bash => clap_complete::Shell::Bash,
            CompletionShell::Zsh => clap_complete::Shell::Zsh,
            CompletionShell::Fish => clap_complete::Shell::Fish,
            CompletionShell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

/// `tccvm terminate`.
#[derive(Debug, Args)]
pub struct TerminateArgs {
    /// Instance IDs (ins-xxxxxxxx); `-` reads more from standard input, separated by
    /// whitespace or newlines
    #[arg(value_name = "IDS")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Select every instance of the region(s) that the other conditions allow, without IDs
    /// or a filter
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub target: Target,

    /// Also release the instances' prepaid data disks (ReleasePrepaidDataDisks)
    #[arg(long)]
    pub release_prepaid_data_disks: bool,

    /// Also release the instances' elastic IPs (ReleaseAddress)
    #[arg(long)]
    pub release_address: bool,

    /// Terminate nothing: read the instances and the refunds, and show what a terminate would
    /// do with each (with -vv, also the signed request(s), the session token redacted)
    #[arg(long)]
    pub dry_run: bool,

    /// Also destroy prepaid instances already in the recycle bin (a second TerminateInstances
    /// destroys them for good); without it they are skipped
    #[arg(long)]
    pub destroy_prepaid: bool,

    /// Send TerminateInstances without reading the instances first, as the official SDKs
    /// do: nothing is skipped, prepaid instances in the recycle bin are destroyed
    #[arg(long, conflicts_with = "destroy_prepaid")]
    pub no_preflight: bool,

    /// After terminating, wait until each instance is gone (pay-as-you-go) or in the
    /// recycle bin (prepaid), reading it every 2 s
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits at most (e.g. 90s, 10m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10m", requires = "wait")]
    pub wait_timeout: Duration,

    /// Do not ask before terminating (without a terminal, nothing is terminated without it)
    #[arg(short, long)]
    pub yes: bool,

    /// Output format: a table, one JSON document, or JSON lines (one per instance,
    /// printed as soon as its outcome is known, then a summary line); the JSON schema
    /// is in the README
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as --output json
    #[arg(long, conflicts_with = "output")]
    pub json: bool,

    /// Send nothing new after this long (e.g. 90s, 5m); instances not sent by then are
    /// reported not_sent
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Where a terminate run keeps its journal, and whether it waits for its lock.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The journal: a file (one region), or a directory holding REGION.jsonl per region
    /// [default: $XDG_STATE_HOME/tccvm/, else ~/.local/state/tccvm/; with --emulator, a
    /// temporary directory of the run's own]
    #[arg(long, value_name = "PATH")]
    pub journal: Option<std::path::PathBuf>,

    /// If another run holds a region's journal lock, exit 2 at once (sending nothing)
    /// rather than wait for it to finish
    #[arg(long)]
    pub no_wait: bool,
}

/// `tccvm journal`.
#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// What the journal holds: each instance earlier runs sent (terminated, or may have
    /// been processed), with its RequestIds; `-o json` adds every record
    Show(JournalShowArgs),
    /// Print where the journal is: the directory, or with --region that region's file
    Path(JournalPathArgs),
}

/// `tccvm journal show`.
#[derive(Debug, Args)]
pub struct JournalShowArgs {
    /// Only this region's journal [default: every region's]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// The journal file or directory (as `terminate --journal`)
    #[arg(long, value_name = "PATH")]
    pub journal: Option<std::path::PathBuf>,

    /// Output format: a table of instances, or one JSON document with every record
    #[arg(short, long, value_name = "FORMAT", value_parser = ["table", "json"], default_value = "table")]
    pub output: String,
}

/// `tccvm journal path`.
#[derive(Debug, Args)]
pub struct JournalPathArgs {
    /// This region's journal file rather than the directory
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// The journal file or directory (as `terminate --journal`)
    #[arg(long, value_name = "PATH")]
    pub journal: Option<std::path::PathBuf>,
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

/// `tccvm status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Instance IDs (ins-xxxxxxxx); `-` reads more from standard input, separated by
    /// whitespace or newlines
    #[arg(value_name = "IDS")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Read every instance of the region(s) that the other conditions allow, without IDs or
    /// a filter
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub target: Target,

    /// Output format: a table, one JSON document, or JSON lines (one per instance,
    /// printed as soon as it is read, then a summary line)
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as --output json
    #[arg(long, conflicts_with = "output")]
    pub json: bool,
}

impl StatusArgs {
    /// `--output`, with `--json` read as `--output json`.
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.output
        }
    }
}

/// `tccvm list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Instance IDs (ins-xxxxxxxx) to list; `-` reads more from standard input [default:
    /// every instance the selection matches]
    #[arg(value_name = "IDS")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub target: Target,

    /// Output format: a table, one JSON document, or JSON lines (one per instance, then a
    /// summary line); the JSON schema is in the README
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as --output json
    #[arg(long, conflicts_with = "output")]
    pub json: bool,
}

impl ListArgs {
    /// `--output`, with `--json` read as `--output json`.
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.output
        }
    }
}

/// Which instances, beside their IDs: filters, conditions tccvm checks, exclusions.
#[derive(Debug, Default, Args)]
pub struct SelectionArgs {
    /// A DescribeInstances filter, NAME=V1[,V2...] (zone, tag:KEY, instance-state,
    /// instance-charge-type, vpc-id, ...): AND across filters, OR within one; repeatable
    #[arg(long = "filter", value_name = "NAME=VALUES")]
    pub filters: Vec<String>,

    /// Instances tagged KEY=VALUE (short for --filter tag:KEY=VALUE; the value is not split
    /// at commas); repeatable
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,

    /// Only instances created longer ago than this (e.g. 6h, 2d, 1d12h; units s, m, h, d,
    /// w), by their CreatedTime
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,

    /// Only instances whose whole name matches this glob (`*` any run, `?` one character,
    /// `\` before either for itself), checked by tccvm
    #[arg(long, value_name = "GLOB")]
    pub name: Option<String>,

    /// Never select this instance; repeatable
    #[arg(long = "exclude-id", value_name = "ID")]
    pub exclude_ids: Vec<String>,

    /// Never select an instance with this tag (KEY: any value; KEY=VALUE: that value);
    /// repeatable
    #[arg(long = "exclude-tag", value_name = "KEY[=VALUE]")]
    pub exclude_tags: Vec<String>,
}

impl SelectionArgs {
    /// Whether any selection flag was given.
    pub fn any(&self) -> bool {
        !self.filters.is_empty()
            || !self.tags.is_empty()
            || self.older_than.is_some()
            || self.name.is_some()
            || !self.exclude_ids.is_empty()
            || !self.exclude_tags.is_empty()
    }
}

/// Where the requests go, and as whom.
#[derive(Debug, Args)]
pub struct Target {
    /// Region(s), e.g. ap-guangzhou or ap-guangzhou,ap-shanghai [default: TENCENTCLOUD_REGION,
    /// else the profile's `region`, else tccli's]
    #[arg(long, value_name = "REGION[,REGION...]")]
    pub region: Option<String>,

    /// Every region the account can use, as DescribeRegions lists them (AVAILABLE)
    #[arg(long, conflicts_with = "region")]
    pub all_regions: bool,

    /// Endpoint base URL, for every region: URL; for one region: REGION=URL (repeatable).
    /// By default `https://cvm.tencentcloudapi.com`; with several regions, each region's own
    /// `https://cvm.REGION.tencentcloudapi.com`
    #[arg(long, value_name = "[REGION=]URL", conflicts_with = "emulator")]
    pub endpoint: Vec<String>,

    /// Profile (section) of the credentials file, and tccli's profile [default:
    /// TENCENTCLOUD_PROFILE, else (for tccli's files) TCCLI_PROFILE, else default]
    #[arg(long, value_name = "NAME", conflicts_with = "emulator")]
    pub profile: Option<String>,

    /// PEM CA certificates to trust instead of the built-in roots and of SSL_CERT_FILE
    /// (e.g. an emulator's --tls-cert file)
    #[arg(long, value_name = "FILE", conflicts_with = "emulator")]
    pub ca_file: Option<std::path::PathBuf>,

    /// Language of the service's messages
    #[arg(long, value_name = "zh-CN|en-US", value_parser = parse_language)]
    pub language: Option<Language>,

    /// Run against an embedded emulator on 127.0.0.1 seeded with the given IDs; with
    /// none, demo instances (a bare run) or, given a selection, --region or `list`, the
    /// example fleet (13 instances in ap-guangzhou, ap-shanghai and ap-beijing), where a
    /// terminate without IDs or a filter is refused as anywhere: nothing real is touched,
    /// and nothing is asked
    #[arg(long)]
    pub emulator: bool,

    /// How long a request the service certainly did not act on (throttled, or never
    /// delivered: connection refused, say) is retried before it fails (e.g. 10s, 2m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub retry_budget: Duration,

    /// At most N requests per second of every action, or of one (ACTION=N, e.g.
    /// TerminateInstances=3); repeatable, ACTION=N over N. A ceiling: throttled, a run
    /// slows down below it by itself, and comes back up [default: each action's
    /// documented limit: TerminateInstances 10, DescribeInstances 40]
    #[arg(long, value_name = "[ACTION=]N", value_parser = parse_rate_limit)]
    pub rate_limit: Vec<RateLimitArg>,

    /// At most N requests in flight at once per region [default: 10]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub max_in_flight: Option<u16>,
}

/// How results are printed on standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns fitted to the terminal, control characters escaped
    Table,
    /// One JSON document at the end
    Json,
    /// One JSON object per line, per instance, as soon as it is final; then a summary line
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
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn safe_flow_flags() {
        let t = terminate(&["--wait", "--wait-timeout", "90s", "--destroy-prepaid"]);
        assert!(t.wait && t.destroy_prepaid && !t.no_preflight);
        assert_eq!(t.wait_timeout, Duration::from_secs(90));
        assert_eq!(
            terminate(&["--wait"]).wait_timeout,
            Duration::from_secs(600)
        );
        assert!(!terminate(&[]).wait);
        for bad in [
            &["terminate", "--wait-timeout", "5m"][..],
            &["terminate", "--no-preflight", "--destroy-prepaid"],
        ] {
            assert_eq!(parse(bad).unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }

    #[test]
    fn status_takes_ids_a_target_and_every_format() {
        let Command::Status(s) = parse(&["status", "--region", "ap-guangzhou", "--json", "-"])
            .unwrap()
            .command
        else {
            panic!("not status")
        };
        assert_eq!(s.ids, ["-"]);
        assert_eq!(s.format(), OutputFormat::Json);
        assert_eq!(s.target.region.as_deref(), Some("ap-guangzhou"));
        let Command::Status(s) = parse(&["status", "--output", "jsonl"]).unwrap().command else {
            panic!("not status")
        };
        assert_eq!(s.format(), OutputFormat::Jsonl);
        assert!(parse(&["-v", "status"]).is_ok());
    }

    #[test]
    fn quiet_is_global_and_excludes_verbose() {
        assert!(parse(&["-q", "terminate"]).unwrap().quiet);
        assert!(parse(&["status", "--quiet"]).unwrap().quiet);
        let e = parse(&["-q", "-v", "terminate"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn completions_for_four_shells_and_man() {
        for (name, shell) in [
            ("bash", clap_complete::Shell::Bash),
            ("zsh", clap_complete::Shell::Zsh),
            ("fish", clap_complete::Shell::Fish),
            ("powershell", clap_complete::Shell::PowerShell),
        ] {
            let Command::Completions(c) = parse(&["completions", name]).unwrap().command else {
                panic!("not completions")
            };
            assert_eq!(c.shell.generator(), shell);
        }
        assert!(parse(&["completions", "tcsh"]).is_err());
        assert!(parse(&["completions"]).is_err());
        assert!(matches!(
            parse(&["man"]).unwrap().command,
            Command::Man(ManArgs { command: None })
        ));
        let Command::Man(m) = parse(&["man", "terminate"]).unwrap().command else {
            panic!("not man")
        };
        assert_eq!(m.command.as_deref(), Some("terminate"));
        assert!(parse(&["man", "nuke"]).is_err());
    }

    #[test]
    fn the_retry_budget_defaults_to_a_minute() {
        assert_eq!(terminate(&[]).target.retry_budget, Duration::from_secs(60));
        assert_eq!(
            terminate(&["--retry-budget", "2s"]).target.retry_budget,
            Duration::from_secs(2)
        );
    }

    #[test]
    fn rate_limits_and_the_in_flight_cap_override_the_defaults() {
        let t = terminate(&[]);
        assert!(t.target.rate_limit.is_empty());
        assert_eq!(t.target.max_in_flight, None);
        let t = terminate(&[
            "--rate-limit",
            "TerminateInstances=3",
            "--rate-limit",
            "20",
            "--max-in-flight",
            "4",
        ]);
        let shown: Vec<String> = t
            .target
            .rate_limit
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["TerminateInstances=3", "20"]);
        assert_eq!(t.target.max_in_flight, Some(4));
        for bad in [
            &["terminate", "--rate-limit", "0"][..],
            &["terminate", "--rate-limit", "RunInstances=2"],
            &["terminate", "--max-in-flight", "0"],
            &["status", "--max-in-flight", "x"],
        ] {
            assert_eq!(parse(bad).unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }

    #[test]
    fn every_help_names_tccli_the_region_chain_and_the_ca_file() {
        let mut cli = Cli::command();
        cli.build();
        let mut helps = vec![cli.render_long_help().to_string()];
        for name in ["terminate", "status"] {
            let sub = cli.find_subcommand_mut(name).unwrap();
            helps.push(sub.render_long_help().to_string());
        }
        for help in &helps {
            for must in [
                "TENCENTCLOUD_SECRET_ID/_KEY (+ TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_TOKEN)",
                "~/.tccli/<profile>.credential (profile: --profile, TENCENTCLOUD_PROFILE, TCCLI_PROFILE,",
                "else TKE OIDC (TKE_*); else the CVM instance role.",
                "Region: --region, else TENCENTCLOUD_REGION, else the profile's region, else tccli's\n(`tccli configure set region ...`).",
                "SSL_CERT_FILE: PEM CA certificates trusted instead of the built-in roots, e.g. the\nemulator's --tls-cert file",
            ] {
                assert!(help.contains(must), "{must:?} not in:\n{help}");
            }
        }
        assert!(helps[1].contains("--ca-file <FILE>"), "{}", helps[1]);
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
            &["status", "--emulator", "--ca-file", "ca.pem"],
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
