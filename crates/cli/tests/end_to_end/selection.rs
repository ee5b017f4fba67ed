//! Selecting what to terminate the way operators do, end to end: `tccvm list` and
//! `tccvm terminate` with a tag, an age and two regions against the emulator binary
//! serving the example fleet (`crates/emulator/fixtures/fleet.json`) over https, one
//! listener (access endpoint) per region; the official Python SDK then reads what
//! is left; a terminate that names nothing is refused before anything is sent; an
//! ID that a lying service shows in two regions is never sent; and tccli, selecting
//! with `--Filters`, gets the same set as `tccvm list`.
//!
//! The emulator's certificate authority is written with `--tls-cert`; tccvm trusts
//! it through `SSL_CERT_FILE`, the Python SDK through `HttpProfile(certification=)`,
//! tccli through a copy of certifi's bundle with it appended (tccli trusts certifi
//! only). The Python SDK comes from `TCCVM_PYTHON` and tccli from `TCCVM_TCCLI`
//! (`scripts/test` sets both up); without them those checks print a notice and pass,
//! unless `CI=true`: then they fail.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use serde_json::Value;

const FLEET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../emulator/fixtures/fleet.json"
);
const REGIONS: [&str; 3] = ["ap-guangzhou", "ap-shanghai", "ap-beijing"];

/// The emulator binary over https with the fleet, one listener per region of
/// [`REGIONS`], and where each listens.
struct Fleet {
    process: EmulatorProcess,
    /// The listeners' URLs, in the order of [`REGIONS`].
    urls: Vec<String>,
    ca: PathBuf,
    _dir: TempDir,
    /// Access-log lines read so far.
    log: Vec<String>,
}

impl Fleet {
    fn start(extra: &[&str]) -> Fleet {
        let dir = TempDir::new("selection");
        let ca = dir.path().join("emulator-ca.pem");
        let credential = format!("{SECRET_ID}:{SECRET_KEY}");
        let mut args = vec![
            "--listen",
            "127.0.0.1:0",
            "--listen",
            "127.0.0.1:0",
            "--credential",
            &credential,
            "--fixture",
            FLEET,
            "--tls-cert",
            ca.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let process = EmulatorProcess::start(&args, PATIENCE);
        let mut urls = vec![process.url.clone()];
        let mut log = Vec::new();
        for line in process.log() {
            match line.strip_prefix("listening on ") {
                Some(url) => urls.push(url.to_owned()),
                None => log.push(line),
            }
        }
        assert_eq!(urls.len(), 3, "{urls:?}");
        assert!(urls.iter().all(|u| u.starts_with("https://")), "{urls:?}");
        Fleet {
            process,
            urls,
            ca,
            _dir: dir,
            log,
        }
    }

    /// `--endpoint REGION=URL` for every region: each on its own listener.
    fn endpoints(&self) -> Vec<String> {
        REGIONS
            .iter()
            .zip(&self.urls)
            .flat_map(|(r, u)| ["--endpoint".to_owned(), format!("{r}={u}")])
            .collect()
    }

    fn host(&self, region: &str) -> String {
        let at = REGIONS.iter().position(|r| *r == region).unwrap();
        self.urls[at].trim_start_matches("https://").to_owned()
    }

    /// tccvm with `args`, the emulator's key, trusting its certificate.
    fn tccvm(&self, args: &[&str]) -> Output {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(self.endpoints());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let ca = self.ca.to_str().unwrap();
        run(
            &all,
            &[
                ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
                ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
                ("SSL_CERT_FILE", ca),
            ],
            None,
        )
    }

    /// Every access-log line so far: (action, host).
    fn requests(&mut self) -> Vec<(String, String)> {
        self.log.extend(self.process.log());
        self.log
            .iter()
            .map(|line| {
                let field = |name: &str| {
                    line.split(' ')
                        .find_map(|f| f.strip_prefix(name))
                        .unwrap_or("-")
                        .to_owned()
                };
                (field("action="), field("host="))
            })
            .collect()
    }

    fn count(&mut self, action: &str) -> usize {
        self.requests().iter().filter(|(a, _)| a == action).count()
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)))
}

/// (id, region) of each instance of a document, sorted.
fn placed(doc: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), i["region"].clone()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn at(id: &str, region: &str) -> (String, Value) {
    (id.to_owned(), Value::from(region))
}

/// What the fixture selects with `--tag team=ci --older-than 6h` in ap-guangzhou
/// and ap-shanghai (the ones created an hour ago, and ap-beijing's, are not).
fn ci_older_than_6h() -> Vec<(String, Value)> {
    vec![
        at("ins-gzci0001", "ap-guangzhou"),
        at("ins-gzci0003", "ap-guangzhou"),
        at("ins-gzci0004", "ap-guangzhou"),
        at("ins-shci0001", "ap-shanghai"),
    ]
}

const SELECTION: [&str; 6] = [
    "--region",
    "ap-guangzhou,ap-shanghai",
    "--tag",
    "team=ci",
    "--older-than",
    "6h",
];

#[test]
fn list_selects_by_tag_and_age_over_two_regions_each_on_its_endpoint() {
    let mut fleet = Fleet::start(&[]);
    let mut args = vec!["list"];
    args.extend(SELECTION);
    args.extend(["-o", "json"]);
    let out = fleet.tccvm(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc = json(&out);
    assert_eq!(placed(&doc), ci_older_than_6h());
    assert_eq!(doc["command"], "list");
    assert_eq!(doc["region"], "ap-guangzhou,ap-shanghai");
    assert_eq!(doc["regions"][0]["region"], "ap-guangzhou");
    assert_eq!(doc["regions"][0]["instances"], 3);
    assert_eq!(doc["regions"][1]["instances"], 1);
    assert_eq!(doc["summary"]["instances"], 4);
    let first = &doc["instances"][0];
    assert_eq!(first["zone"], "ap-guangzhou-6");
    assert_eq!(
        first["tags"][0],
        serde_json::json!({"key": "team", "value": "ci"})
    );
    // One page per region, each sent to that region's own endpoint; nothing else.
    // The regions are read side by side, so in either order.
    let mut requests = fleet.requests();
    requests.sort();
    let mut expected = [
        ("DescribeInstances".to_owned(), fleet.host("ap-guangzhou")),
        ("DescribeInstances".to_owned(), fleet.host("ap-shanghai")),
    ];
    expected.sort();
    assert_eq!(requests, expected);

    // The table fits the columns the issue names, and says where each is.
    let mut args = vec!["list"];
    args.extend(SELECTION);
    let out = fleet.tccvm(&args);
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with(
            "ID            NAME            REGION/ZONE     STATE    CHARGE TYPE       CREATED"
        ),
        "{table}"
    );
    assert!(lines[0].ends_with("TAGS"), "{table}");
    assert!(
        lines[4].starts_with("ins-shci0001  ci-runner-sh-1  ap-shanghai-2 "),
        "{table}"
    );
    assert_eq!(lines[5], "4 instance(s) in 2 region(s)");
}

#[test]
fn terminate_with_the_same_selection_terminates_exactly_those_and_fails_the_protected_one() {
    let mut fleet = Fleet::start(&[]);
    let mut args = vec!["terminate", "--yes"];
    args.extend(SELECTION);
    args.extend(["-o", "json"]);
    let out = fleet.tccvm(&args);
    // One instance failed (protected): exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = json(&out);
    assert_eq!(placed(&doc), ci_older_than_6h());
    let outcomes: BTreeMap<&str, (&str, Option<&str>)> = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                (i["outcome"].as_str().unwrap(), i["code"].as_str()),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        BTreeMap::from([
            ("ins-gzci0001", ("terminated", None)),
            ("ins-gzci0003", ("terminated", None)),
            (
                "ins-gzci0004",
                ("failed", Some("UnsupportedOperation.InstancesProtected"))
            ),
            ("ins-shci0001", ("terminated", None)),
        ])
    );
    assert_eq!(doc["summary"]["terminated"], 3);
    assert_eq!(doc["summary"]["failed"], 1);
    // The listing was the preflight read: one page per region, no second read; one
    // TerminateInstances per charge type per region, each on its region's endpoint.
    let requests = fleet.requests();
    let mut describes: Vec<&String> = requests
        .iter()
        .filter(|(a, _)| a == "DescribeInstances")
        .map(|(_, h)| h)
        .collect();
    // Side by side: in either order.
    describes.sort();
    let (gz_host, sh_host) = (fleet.host("ap-guangzhou"), fleet.host("ap-shanghai"));
    let mut expected = [&gz_host, &sh_host];
    expected.sort();
    assert_eq!(describes, expected);
    let terminates: Vec<&String> = requests
        .iter()
        .filter(|(a, _)| a == "TerminateInstances")
        .map(|(_, h)| h)
        .collect();
    let (gz, sh) = (fleet.host("ap-guangzhou"), fleet.host("ap-shanghai"));
    assert_eq!(terminates.len(), 3, "{requests:?}");
    assert_eq!(terminates.iter().filter(|h| ***h == gz).count(), 2);
    assert_eq!(terminates.iter().filter(|h| ***h == sh).count(), 1);
    // The protected one's read is named: the listing's page.
    let protected = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ins-gzci0004")
        .unwrap();
    assert!(protected["read_request_id"].is_string(), "{protected}");
    assert_eq!(protected["request_id"], Value::Null);

    // The official Python SDK reads every other instance as it was: RUNNING (and the
    // one the fixture put in the recycle bin still there).
    let Some(states) = python_states(&fleet) else {
        return;
    };
    let terminated = ["ins-gzci0001", "ins-gzci0003", "ins-shci0001"];
    assert_eq!(states.len(), 13, "{states:?}");
    for (id, (region, state)) in &states {
        if terminated.contains(&id.as_str()) {
            assert_ne!(state, "RUNNING", "{id}");
            continue;
        }
        let expected = if id == "ins-shweb001" {
            "SHUTDOWN"
        } else {
            "RUNNING"
        };
        assert_eq!(state, expected, "{id} in {region}");
    }
    assert_eq!(states["ins-gzci0004"].1, "RUNNING");
}

#[test]
fn terminate_without_ids_or_a_filter_is_refused_and_sends_nothing() {
    let mut fleet = Fleet::start(&[]);
    for args in [
        &["terminate", "--yes", "--region", "ap-guangzhou"][..],
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--older-than",
            "1h",
        ],
        &[
            "terminate",
            "--yes",
            "--all-regions",
            "--exclude-tag",
            "keep",
        ],
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou,ap-shanghai",
            "--name",
            "ci-*",
        ],
    ] {
        let out = fleet.tccvm(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: refusing to terminate: no instance IDs and no filter"),
            "{stderr}"
        );
        assert!(stderr.contains("--all"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    // Nothing was sent at all: not even a read.
    assert_eq!(fleet.requests(), Vec::<(String, String)>::new());

    // With --all it goes ahead: a dry run of every old instance of one region.
    let out = fleet.tccvm(&[
        "terminate",
        "--dry-run",
        "--all",
        "--region",
        "ap-beijing",
        "--older-than",
        "6h",
        "-o",
        "json",
    ]);
    let doc = json(&out);
    assert_eq!(
        placed(&doc),
        [
            at("ins-bjci0001", "ap-beijing"),
            at("ins-bjweb001", "ap-beijing")
        ]
    );
    assert_eq!(fleet.count("TerminateInstances"), 0);
}

#[test]
fn an_id_a_lying_service_shows_in_two_regions_is_never_sent() {
    // `--instances 1` adds ins-00000000 without a placement: the emulator shows it in
    // every region, as a broken service might.
    let mut fleet = Fleet::start(&["--instances", "1"]);
    let out = fleet.tccvm(&[
        "terminate",
        "--yes",
        "--region",
        "ap-guangzhou,ap-shanghai,ap-beijing",
        "ins-00000000",
        "ins-gzci0002",
        "ins-zzzzzzzz",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = json(&out);
    let rows: Vec<(String, Value, String, Value)> = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["region"].clone(),
                i["outcome"].as_str().unwrap().to_owned(),
                i["code"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "ins-gzci0002".to_owned(),
                Value::from("ap-guangzhou"),
                "terminated".to_owned(),
                Value::Null
            ),
            (
                "ins-00000000".to_owned(),
                Value::Null,
                "failed".to_owned(),
                Value::from("Client.AmbiguousRegion")
            ),
            (
                "ins-zzzzzzzz".to_owned(),
                Value::Null,
                "failed".to_owned(),
                Value::from("InvalidInstanceId.NotFound")
            ),
        ]
    );
    // One read per region, and one TerminateInstances: ins-gzci0002's alone.
    assert_eq!(fleet.count("DescribeInstances"), 3);
    assert_eq!(fleet.count("TerminateInstances"), 1);
}

#[test]
fn tccli_with_filters_over_https_gets_the_same_set_as_tccvm_list() {
    let fleet = Fleet::start(&[]);
    let Some(tccli) = tccli() else { return };
    let scratch = TempDir::new("tccli");
    let pylib = certifi_trusting(
        &tccli,
        &std::fs::read_to_string(&fleet.ca).unwrap(),
        scratch.path(),
    );
    let filters =
        r#"[{"Name":"tag:team","Values":["ci"]},{"Name":"zone","Values":["ap-guangzhou-6"]}]"#;
    let mut command = Command::new(&tccli);
    command
        .args([
            "cvm",
            "DescribeInstances",
            "--Filters",
            filters,
            "--Limit",
            "100",
        ])
        .args([
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &fleet.host("ap-guangzhou"),
        ])
        .env("HOME", scratch.path())
        .env("PYTHONPATH", &pylib)
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    for var in CLEARED
        .iter()
        .chain(&["TCCLI_PROFILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
    {
        if !var.starts_with("TENCENTCLOUD_SECRET") {
            command.env_remove(var);
        }
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_tccli: Vec<String> = answer["InstanceSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceId"].as_str().unwrap().to_owned())
        .collect();
    by_tccli.sort();

    let out = fleet.tccvm(&[
        "list",
        "--region",
        "ap-guangzhou",
        "--filter",
        "zone=ap-guangzhou-6",
        "--tag",
        "team=ci",
        "-o",
        "jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut by_tccvm: Vec<String> = lines
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_owned))
        .collect();
    by_tccvm.sort();
    assert_eq!(by_tccvm, by_tccli);
    assert_eq!(by_tccvm, ["ins-gzci0001", "ins-gzci0002"]);
    assert!(lines
        .iter()
        .filter(|l| l["id"].is_string())
        .all(|l| l["region"] == "ap-guangzhou"));
    assert_eq!(lines.last().unwrap()["summary"]["instances"], 2);
}

/// Each instance of every region, as the official Python SDK reads it over https:
/// id → (region, state).
fn python_states(fleet: &Fleet) -> Option<BTreeMap<String, (String, String)>> {
    let python = tool(
        "TCCVM_PYTHON",
        ".venv/bin/python",
        &["-c", "import tencentcloud.cvm.v20170312.cvm_client"],
        "the Python SDK",
    )?;
    const READ: &str = r#"
import json, sys
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models
secret_id, secret_key, ca = sys.argv[1:4]
out = {}
for pair in sys.argv[4:]:
    region, endpoint = pair.split("=", 1)
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, certification=ca))
    client = cvm_client.CvmClient(credential.Credential(secret_id, secret_key), region, profile)
    request = models.DescribeInstancesRequest()
    request.Limit = 100
    for i in client.DescribeInstances(request).InstanceSet:
        out[i.InstanceId] = [region, i.InstanceState]
print(json.dumps(out))
"#;
    let mut command = Command::new(python);
    command
        .args([
            "-c",
            READ,
            SECRET_ID,
            SECRET_KEY,
            fleet.ca.to_str().unwrap(),
        ])
        .args(REGIONS.iter().map(|r| format!("{r}={}", fleet.host(r))));
    for var in CLEARED {
        command.env_remove(var);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let read: BTreeMap<String, (String, String)> = serde_json::from_slice(&out.stdout).unwrap();
    Some(read)
}

/// A `PYTHONPATH` directory holding a copy of `tccli`'s certifi whose bundle also
/// trusts `certificate_pem` (tccli verifies https against certifi alone).
fn certifi_trusting(tccli: &Path, certificate_pem: &str, scratch: &Path) -> PathBuf {
    let out = Command::new(tccli.with_file_name("python"))
        .args([
            "-c",
            "import certifi, os; print(os.path.dirname(certifi.__file__))",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let installed = PathBuf::from(text(&out.stdout).trim());
    let lib = scratch.join("pylib");
    let copy = lib.join("certifi");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&installed).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
        }
    }
    let bundle = copy.join("cacert.pem");
    let mut pem = std::fs::read_to_string(&bundle).unwrap();
    pem.push('\n');
    pem.push_str(certificate_pem);
    std::fs::write(&bundle, pem).unwrap();
    lib
}

#[test]
fn the_question_counts_each_region_and_a_yes_terminates_what_was_shown() {
    let mut fleet = Fleet::start(&[]);
    let mut command = format!(
        "SSL_CERT_FILE={} {} terminate",
        fleet.ca.display(),
        tccvm_path()
    );
    for arg in SELECTION
        .iter()
        .map(|a| a.to_string())
        .chain(fleet.endpoints())
    {
        command.push(' ');
        command.push_str(&arg);
    }
    let env = [
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
    ];
    let (status, screen) = run_on_terminal(&command, &env, "n\n");
    assert_eq!(status, 1, "{screen}");
    assert!(
        screen.contains("Region ap-guangzhou,ap-shanghai: 4 instance(s) read"),
        "{screen}"
    );
    // Each region with its own endpoint, and what it matched.
    let gz = format!(
        "  ap-guangzhou ({}/): 2 to terminate, 0 to skip, 1 to fail",
        fleet.urls[0]
    );
    let sh = format!(
        "  ap-shanghai ({}/): 1 to terminate, 0 to skip, 0 to fail",
        fleet.urls[1]
    );
    assert!(screen.contains(&gz), "{gz}\n{screen}");
    assert!(screen.contains(&sh), "{sh}\n{screen}");
    assert!(
        screen.contains("  INSTANCE      REGION        STATE"),
        "{screen}"
    );
    assert!(
        screen.contains("  ins-shci0001  ap-shanghai   RUNNING"),
        "{screen}"
    );
    assert!(
        screen.contains("Terminate 3 instance(s)? [y/N]"),
        "{screen}"
    );
    assert!(screen.contains("Nothing was terminated."), "{screen}");
    assert_eq!(fleet.count("TerminateInstances"), 0);

    let (status, screen) = run_on_terminal(&command, &env, "y\n");
    assert_eq!(status, 1, "the protected one fails: {screen}");
    assert!(
        screen.contains("4 instance(s) in 2 region(s): 3 terminated, 1 failed"),
        "{screen}"
    );
    assert_eq!(fleet.count("TerminateInstances"), 3);
}
