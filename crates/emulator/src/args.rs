//! Command-line arguments of the `tencentcloud-cvm-emulator` binary (parsed by hand).

use std::path::PathBuf;

use tencentcloud_cvm_emulator::{Emulator, Fault};

pub(crate) const USAGE: &str = "\
usage: tencentcloud-cvm-emulator [--listen ADDR ...] --credential SECRET_ID:SECRET_KEY
                                 [--credential ...] [--instances N] [--fixture FILE.json]
                                 [--rate-limit [ACTION=]N ...] [--arrival-jitter-ms N]
                                 [--arrival-jitter-seed SEED] [--fault FAULT[:COUNT] ...]
                                 [--fault-for ACTION=FAULT[:COUNT] ...]
                                 [--cvm-role NAME] [--temp-credential-ttl SECS]
                                 [--web-identity PROVIDER_ID:TOKEN] [--tls-cert FILE]

  --listen ADDR         address to listen on (default 127.0.0.1:0, any free port);
                        repeatable: several access endpoints serving one fleet, each
                        with its own rate-limit budget
  --credential ID:KEY   accept requests signed with this SecretId and SecretKey (repeatable)
  --instances N         create N RUNNING POSTPAID_BY_HOUR instances ins-00000000, ...
  --fixture FILE        add the instances listed in a JSON fixture, in DescribeInstances'
                        field names (InstanceId, InstanceState, InstanceChargeType,
                        Placement.Zone, Tags, CreatedTime as ...Z or relative: -2d, -1h,
                        DisableApiTermination, ...); e.g. crates/emulator/fixtures/fleet.json
  --rate-limit N        requests per sliding second for every action (0 disables),
                        counted per action, access endpoint (the Host a request was
                        sent to) and SecretId, as the service counts them; by default
                        each action's documented rate: TerminateInstances 10,
                        DescribeInstances 40, DescribeInstancesStatus 40,
                        InquiryPriceTerminateInstances 10, DescribeRegions 20,
                        GetCallerIdentity (STS) 20
  --rate-limit ACTION=N the same for one action (repeatable; after any N for all),
                        e.g. --rate-limit TerminateInstances=1
  --arrival-jitter-ms N each request counts, for rate limits, as arriving up to N ms
                        late (uniformly at random), as uplink jitter delays requests
  --arrival-jitter-seed SEED
                        seed of that randomness (default: a random seed)
  --fault FAULT[:COUNT] misbehave on the next COUNT (default 1) requests of its kind:
                        read faults hit DescribeInstances, the others TerminateInstances;
                        other requests are served normally (repeatable, in order).
                        FAULT is one of
                          delay=300ms, delay=2s      answer late (the change is applied)
                          server-error-html          HTTP 502 page, nothing applied
                          close-before-state-change  close without answering, nothing applied
                          close-after-state-change   apply, then close without answering
                          truncated-body             apply, then cut the answer short
                          oversized-body=BYTES       apply, answer padded to BYTES
                          wrong-content-type         apply, answer in text/plain
                          stale-reads=N, =500ms      apply; reads show the instances as
                                                     before for N reads each, or that long
                          partial-batch=N[:CODE]     act on the first N instances named, then
                                                     refuse with CODE (FailedOperation.Unreturnable)
                          refuse[=CODE]              refuse the whole request naming no
                                                     instance, nothing applied
                        read faults (the answer is rewritten, nothing changes):
                          duplicate-entry            every entry twice, the copy in another state
                          field=NAME:CHANGE          each entry's field NAME (InstanceState,
                                                     InstanceChargeType, ...) null, empty,
                                                     missing, lowercase or value=TEXT
                          total-count=N              TotalCount N whatever the set holds
                          drop-entries               an empty set, the true TotalCount
                          extra-entry=ID             one more entry, for an ID not asked for
                          latest-operation-failed    RUNNING, latest TerminateInstances FAILED
                                                     with another RequestId
                          refuse-read=ID[:CODE]      refuse the next read that names ID
                                                     (UnauthorizedOperation)
  --tls-cert FILE       serve HTTPS: make a certificate for localhost, 127.0.0.1 and ::1
                        (signed by a certificate authority made for this run) and write
                        the authority's certificate to FILE as PEM, for clients to trust
                        (tccvm: SSL_CERT_FILE=FILE or --ca-file FILE; the Python SDK:
                        HttpProfile(certification=FILE); tccli trusts only certifi's
                        bundle, so append FILE to it; curl: --cacert FILE); the
                        printed URLs say https://
  --fault-for ACTION=FAULT[:COUNT]
                        the same for the next COUNT requests of ACTION, e.g.
                        --fault-for GetCallerIdentity=refuse=UnauthorizedOperation:100
  --cvm-role NAME       serve the instance metadata service (GET /latest/meta-data/...) with
                        this CAM role bound; its temporary keys sign CVM requests with their
                        token
  --temp-credential-ttl SECS
                        lifetime of temporary keys (CVM role, STS), default 7200
  --web-identity PROVIDER_ID:TOKEN
                        accept this OIDC token in STS AssumeRoleWithWebIdentity (repeatable)

Actions: TerminateInstances, DescribeInstances (Filters, paging), DescribeInstancesStatus,
InquiryPriceTerminateInstances, DescribeRegions (CVM); GetCallerIdentity, AssumeRole
(signed by a --credential, scope sts) and AssumeRoleWithWebIdentity (STS), all on the
same listener. Instances placed in a zone are seen only by requests for its region
(X-TC-Region). The fixture format, the faults and the charge types are in the crate's
README. At least one of --credential, --cvm-role, --web-identity.

Prints `listening on http://ADDR` (https:// with --tls-cert) first, one such line per
--listen, in order; then one access-log line per request.
Stops on SIGINT or SIGTERM.";

/// Parsed arguments. Keys are kept only until the emulator is built.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Args {
    /// At least one address.
    pub(crate) listen: Vec<String>,
    pub(crate) credentials: Vec<(String, String)>,
    pub(crate) instances: usize,
    pub(crate) fixture: Option<PathBuf>,
    /// `(None, n)`: every action; `(Some(action), n)`: one action. In order given.
    pub(crate) rate_limits: Vec<(Option<String>, u32)>,
    pub(crate) arrival_jitter_ms: u64,
    pub(crate) arrival_jitter_seed: Option<u64>,
    /// Each fault, the action it is for (`None`: by its kind) and how many of the
    /// next requests it hits, in order.
    pub(crate) faults: Vec<(Option<String>, Fault, usize)>,
    pub(crate) cvm_role: Option<String>,
    pub(crate) temp_credential_ttl: Option<u64>,
    pub(crate) web_identities: Vec<(String, String)>,
    pub(crate) tls_cert: Option<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Command {
    Run(Box<Args>),
    Help,
}

/// Parses the arguments after the program name. Errors are usage messages; they never
/// repeat a SecretKey.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut parsed = Args {
        listen: Vec::new(),
        credentials: Vec::new(),
        instances: 0,
        fixture: None,
        rate_limits: Vec::new(),
        arrival_jitter_ms: 0,
        arrival_jitter_seed: None,
        faults: Vec::new(),
        cvm_role: None,
        temp_credential_ttl: None,
        web_identities: Vec::new(),
        tls_cert: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg, None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Command::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--listen" => parsed.listen.push(value()?),
            "--arrival-jitter-ms" => {
                let v = value()?;
                parsed.arrival_jitter_ms = v.parse().map_err(|_| {
                    format!(
                        "--arrival-jitter-ms takes a number of milliseconds, not `{}`",
                        v.escape_default()
                    )
                })?;
            }
            "--arrival-jitter-seed" => {
                let v = value()?;
                parsed.arrival_jitter_seed = Some(v.parse().map_err(|_| {
                    format!(
                        "--arrival-jitter-seed takes a number, not `{}`",
                        v.escape_default()
                    )
                })?);
            }
            "--credential" => {
                let v = value()?;
                match v.split_once(':') {
                    Some((id, key)) if !id.is_empty() && !key.is_empty() => {
                        parsed.credentials.push((id.to_owned(), key.to_owned()))
                    }
                    _ => return Err("--credential takes SECRET_ID:SECRET_KEY".to_owned()),
                }
            }
            "--instances" => {
                let v = value()?;
                parsed.instances = v
                    .parse()
                    .map_err(|_| format!("--instances takes a number, not `{v}`"))?;
            }
            "--fixture" => parsed.fixture = Some(PathBuf::from(value()?)),
            "--tls-cert" => parsed.tls_cert = Some(PathBuf::from(value()?)),
            "--rate-limit" => {
                let v = value()?;
                let (action, n) = match v.split_once('=') {
                    Some((action, n)) if !action.is_empty() => (Some(action.to_owned()), n),
                    _ => (None, v.as_str()),
                };
                if let Some(action) = action.as_deref().filter(|a| !Emulator::implements(a)) {
                    return Err(format!(
                        "--rate-limit: the emulator has no action `{}`",
                        action.escape_default()
                    ));
                }
                let n = n.parse().map_err(|_| {
                    format!(
                        "--rate-limit takes N or ACTION=N, not `{}`",
                        v.escape_default()
                    )
                })?;
                parsed.rate_limits.push((action, n));
            }
            "--fault" => {
                let (fault, count) = fault_spec(&value()?, "--fault")?;
                parsed.faults.push((None, fault, count));
            }
            "--fault-for" => {
                let v = value()?;
                let Some((action, spec)) = v.split_once('=').filter(|(a, _)| !a.is_empty()) else {
                    return Err("--fault-for takes ACTION=FAULT[:COUNT]".to_owned());
                };
                if !Emulator::implements(action) {
                    return Err(format!(
                        "--fault-for: the emulator has no action `{}`",
                        action.escape_default()
                    ));
                }
                let (fault, count) = fault_spec(spec, "--fault-for")?;
                parsed.faults.push((Some(action.to_owned()), fault, count));
            }
            "--cvm-role" => parsed.cvm_role = Some(value()?),
            "--temp-credential-ttl" => {
                let v = value()?;
                parsed.temp_credential_ttl = Some(v.parse().map_err(|_| {
                    format!(
                        "--temp-credential-ttl takes a number of seconds, not `{}`",
                        v.escape_default()
                    )
                })?);
            }
            "--web-identity" => match value()?.split_once(':') {
                Some((p, t)) if !p.is_empty() && !t.is_empty() => {
                    parsed.web_identities.push((p.to_owned(), t.to_owned()))
                }
                _ => return Err("--web-identity takes PROVIDER_ID:TOKEN".to_owned()),
            },
            other if other.starts_with('-') => {
                return Err(format!("unknown option `{}`", other.escape_default()))
            }
            // Not echoed: a stray `ID:KEY` must not end up in a terminal or a CI log.
            _ => return Err("unexpected positional argument".to_owned()),
        }
    }
    if parsed.credentials.is_empty()
        && parsed.cvm_role.is_none()
        && parsed.web_identities.is_empty()
    {
        return Err(
            "at least one --credential SECRET_ID:SECRET_KEY (or --cvm-role, --web-identity) is required"
                .to_owned(),
        );
    }
    if parsed.listen.is_empty() {
        parsed.listen.push("127.0.0.1:0".to_owned());
    }
    Ok(Command::Run(Box::new(parsed)))
}

/// `FAULT[:COUNT]`: the count is the last `:N`, as specs may hold colons too.
fn fault_spec(v: &str, flag: &str) -> Result<(Fault, usize), String> {
    let (spec, count) = match v.rsplit_once(':') {
        Some((spec, count)) if count.bytes().all(|b| b.is_ascii_digit()) => {
            let count = count
                .parse::<usize>()
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| {
                    format!(
                        "{flag} COUNT is a positive number, not `{}`",
                        count.escape_default()
                    )
                })?;
            (spec, count)
        }
        _ => (v, 1),
    };
    let fault = spec.parse::<Fault>().map_err(|e| format!("{flag}: {e}"))?;
    Ok((fault, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn full_command_line() {
        let Command::Run(a) = p(&[
            "--listen",
            "127.0.0.1:8080",
            "--credential",
            "AKID1:key:with:colons",
            "--credential=AKID2:k2",
            "--instances",
            "5",
            "--fixture",
            "f.json",
            "--rate-limit=0",
            "--rate-limit",
            "DescribeInstances=5",
            "--fault",
            "close-after-state-change:2",
            "--fault=delay=300ms",
            "--fault",
            "field=InstanceState:lowercase:3",
            "--fault=partial-batch=1:InvalidInstanceId.NotFound",
            "--fault-for",
            "GetCallerIdentity=refuse=UnauthorizedOperation:100",
            "--listen=127.0.0.1:8081",
            "--arrival-jitter-ms",
            "150",
            "--arrival-jitter-seed=7",
            "--tls-cert",
            "ca.pem",
        ])
        .unwrap() else {
            panic!("not run")
        };
        assert_eq!(a.listen, ["127.0.0.1:8080", "127.0.0.1:8081"]);
        assert_eq!((a.arrival_jitter_ms, a.arrival_jitter_seed), (150, Some(7)));
        assert_eq!(
            a.credentials,
            [
                ("AKID1".into(), "key:with:colons".into()),
                ("AKID2".into(), "k2".into())
            ]
        );
        assert_eq!(a.instances, 5);
        assert_eq!(a.fixture, Some(PathBuf::from("f.json")));
        assert_eq!(a.tls_cert, Some(PathBuf::from("ca.pem")));
        assert_eq!(
            a.rate_limits,
            [(None, 0), (Some("DescribeInstances".into()), 5)]
        );
        assert_eq!(
            a.faults,
            [
                (None, Fault::CloseAfterStateChange, 2),
                (None, Fault::Delay(std::time::Duration::from_millis(300)), 1),
                (
                    None,
                    Fault::Field {
                        field: "InstanceState".into(),
                        change: tencentcloud_cvm_emulator::FieldChange::Lowercase
                    },
                    3
                ),
                (
                    None,
                    Fault::PartialBatch {
                        acted: 1,
                        code: "InvalidInstanceId.NotFound".into()
                    },
                    1
                ),
                (
                    Some("GetCallerIdentity".into()),
                    Fault::Refuse("UnauthorizedOperation".into()),
                    100
                ),
            ]
        );
    }

    #[test]
    fn defaults_and_errors() {
        let Command::Run(a) = p(&["--credential", "A:B"]).unwrap() else {
            panic!("not run")
        };
        assert_eq!(a.listen, ["127.0.0.1:0"]);
        assert_eq!((a.arrival_jitter_ms, a.arrival_jitter_seed), (0, None));
        assert_eq!(p(&["--help"]), Ok(Command::Help));
        for bad in [
            &[][..],
            &["--credential"],
            &["--credential", "nokey"],
            &["--credential", "A:"],
            &["--credential", "A:B", "--instances", "x"],
            &["--credential", "A:B", "--rate-limit", "-1"],
            &["--credential", "A:B", "--rate-limit", "DescribeInstances="],
            &["--credential", "A:B", "--rate-limit", "=5"],
            &["--credential", "A:B", "--rate-limit", "RunInstances=5"],
            &["--credential", "A:B", "--fault", "teapot"],
            &["--credential", "A:B", "--fault", "truncated-body:0"],
            &["--credential", "A:B", "--fault", "truncated-body:x"],
            &["--credential", "A:B", "--fault", "delay"],
            &["--credential", "A:B", "--fault"],
            &["--credential", "A:B", "--bogus"],
            &["--credential", "A:B", "--arrival-jitter-ms", "-5"],
            &["--credential", "A:B", "--arrival-jitter-ms", "1.5"],
            &["--credential", "A:B", "--arrival-jitter-seed", "x"],
            &["--credential", "A:B", "--listen"],
            &["--credential", "A:B", "--tls-cert"],
            &["--credential", "A:B", "--fault-for", "refuse"],
            &["--credential", "A:B", "--fault-for", "RunInstances=refuse"],
            &["--credential", "A:B", "--fault-for", "=refuse"],
            &[
                "--credential",
                "A:B",
                "--fault-for",
                "GetCallerIdentity=teapot",
            ],
        ] {
            assert!(p(bad).is_err(), "{bad:?}");
        }
        for leaky in [
            &["--credential", "SECRETKEYSENTINEL"][..],
            &["ID:SENTINEL"],
            &["--web-identity", "SENTINELTOKEN"],
        ] {
            assert!(!p(leaky).unwrap_err().contains("SENTINEL"));
        }
    }

    #[test]
    fn credential_services() {
        let Command::Run(a) = p(&[
            "--cvm-role",
            "ops-role",
            "--temp-credential-ttl=60",
            "--web-identity",
            "tke:tok:en",
        ])
        .unwrap() else {
            panic!("not run")
        };
        assert_eq!(a.cvm_role.as_deref(), Some("ops-role"));
        assert_eq!(a.temp_credential_ttl, Some(60));
        assert_eq!(a.web_identities, [("tke".into(), "tok:en".into())]);
        assert!(a.credentials.is_empty());
        for bad in [
            &["--cvm-role"][..],
            &["--cvm-role", "r", "--temp-credential-ttl", "-1"],
            &["--web-identity", ":t"],
        ] {
            assert!(p(bad).is_err(), "{bad:?}");
        }
    }
}
