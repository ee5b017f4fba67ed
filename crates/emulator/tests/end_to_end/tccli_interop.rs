//! Interop with tccli, Tencent Cloud's own command line, over https: the emulator serves
//! the example fleet (`fixtures/fleet.json`) with a certificate made for the run, and
//! tccli, trusting it, selects instances with `DescribeInstances --Filters` (a tag and a
//! zone), lists regions (`DescribeRegions`), asks who it is (STS `GetCallerIdentity`)
//! and terminates with `TerminateInstances`.
//!
//! tccli verifies https against certifi's bundle only (the SDK under it passes
//! `verify=certifi.where()`, so `REQUESTS_CA_BUNDLE` does not reach it). The test trusts
//! the emulator's certificate the way an operator trusts a private authority for tccli:
//! in certifi's bundle; here a copy of the venv's certifi package with the certificate
//! appended, put first on `PYTHONPATH`, so the venv itself is never changed.
//!
//! tccli comes from `TCCVM_TCCLI` (default: the workspace's `.venv-tccli/bin/tccli`, which
//! `scripts/test` creates from `tests/interop/requirements-tccli.txt`). Without it the
//! test prints a notice and passes, unless `CI=true`: then it fails.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use tencentcloud_cvm_emulator::{Emulator, Fixture, InstanceState, Server, ServerHandle, Tls};

const FLEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fleet.json");

fn tccli() -> Option<PathBuf> {
    let tccli = std::env::var_os("TCCVM_TCCLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../.venv-tccli/bin/tccli"
            ))
        });
    let usable = Command::new(&tccli)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        return Some(tccli);
    }
    let notice = format!(
        "{} is missing or does not run; set TCCVM_TCCLI or run \
         `pip install -r tests/interop/requirements-tccli.txt` (in this crate) in .venv-tccli",
        tccli.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{notice}");
    }
    eprintln!("SKIPPED tccli_interop: {notice}");
    None
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "cvm-emulator-tccli-{}-{}",
            std::process::id(),
            unix_now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A `PYTHONPATH` directory holding certifi (copied from tccli's venv) whose bundle
/// also holds `certificate_pem`.
fn certifi_trusting(tccli: &Path, certificate_pem: &str, scratch: &Path) -> PathBuf {
    let python = tccli.with_file_name("python");
    let out = Command::new(&python)
        .args([
            "-c",
            "import certifi, os; print(os.path.dirname(certifi.__file__))",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let installed = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let lib = scratch.join("pylib");
    copy_dir(&installed, &lib.join("certifi"));
    let bundle = lib.join("certifi").join("cacert.pem");
    let mut pem = std::fs::read_to_string(&bundle).unwrap();
    pem.push('\n');
    pem.push_str(certificate_pem);
    std::fs::write(&bundle, pem).unwrap();
    lib
}

struct Tccli<'a> {
    program: &'a Path,
    server: &'a ServerHandle,
    home: PathBuf,
    pythonpath: Option<PathBuf>,
}

impl Tccli<'_> {
    fn run(&self, region: &str, args: &[&str]) -> Output {
        let mut command = Command::new(self.program);
        command
            .args(args)
            .args(["--region", region, "--endpoint", &self.server.endpoint()])
            .env("HOME", &self.home)
            .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
            .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)
            .env_remove("TENCENTCLOUD_REGION")
            .env_remove("TCCLI_PROFILE")
            .env_remove("REQUESTS_CA_BUNDLE")
            .env_remove("CURL_CA_BUNDLE");
        for var in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(var);
        }
        match &self.pythonpath {
            Some(path) => command.env("PYTHONPATH", path),
            None => command.env_remove("PYTHONPATH"),
        };
        command.output().unwrap()
    }

    /// The JSON tccli prints for a successful call.
    fn json(&self, region: &str, args: &[&str]) -> serde_json::Value {
        let out = self.run(region, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "tccli {args:?}: {stdout}\n{stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }
}

fn ids(answer: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = answer["InstanceSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceId"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// What the emulator holds in `zone` with the tag `team`.
fn expected(server: &ServerHandle, zone: Option<&str>, region: &str, team: &str) -> Vec<String> {
    server.with_state(|e| {
        e.instances()
            .into_iter()
            .filter(|v| v.region() == Some(region))
            .filter(|v| zone.is_none_or(|z| v.zone.as_deref() == Some(z)))
            .filter(|v| v.tag("team") == Some(team))
            .map(|v| v.id)
            .collect()
    })
}

#[test]
fn tccli_selects_with_filters_and_terminates_over_https() {
    let Some(program) = tccli() else { return };
    let fixture = Fixture::load(FLEET).unwrap();
    let emulator = Emulator::builder()
        .credential(creds())
        .fixture(&fixture)
        .build()
        .unwrap();
    let tls = Tls::self_signed().unwrap();
    let server = Server::new(emulator)
        .tls(tls.clone())
        .bind("127.0.0.1:0")
        .unwrap();
    assert!(server.url().starts_with("https://"));
    let scratch = Scratch::new();
    let home = scratch.0.join("home");
    std::fs::create_dir_all(&home).unwrap();

    // Without trusting the certificate, tccli refuses the connection.
    let untrusting = Tccli {
        program: &program,
        server: &server,
        home: home.clone(),
        pythonpath: None,
    };
    let out = untrusting.run("ap-guangzhou", &["cvm", "DescribeInstances"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("CERTIFICATE_VERIFY_FAILED"), "{text}");

    let tccli = Tccli {
        program: &program,
        server: &server,
        home,
        pythonpath: Some(certifi_trusting(
            &program,
            tls.certificate_pem(),
            &scratch.0,
        )),
    };
    // A tag and a zone.
    let filters =
        r#"[{"Name":"tag:team","Values":["ci"]},{"Name":"zone","Values":["ap-guangzhou-6"]}]"#;
    let answer = tccli.json(
        "ap-guangzhou",
        &[
            "cvm",
            "DescribeInstances",
            "--Filters",
            filters,
            "--Limit",
            "100",
        ],
    );
    let want = expected(&server, Some("ap-guangzhou-6"), "ap-guangzhou", "ci");
    assert_eq!(ids(&answer), want);
    assert_eq!(want, ["ins-gzci0001", "ins-gzci0002"]);
    assert_eq!(answer["TotalCount"], 2);
    let entry = &answer["InstanceSet"][0];
    assert_eq!(entry["Placement"]["Zone"], "ap-guangzhou-6");
    assert_eq!(
        entry["Tags"][0],
        serde_json::json!({"Key": "team", "Value": "ci"})
    );
    // The same tag in another region: that region's instances only.
    let shanghai = tccli.json(
        "ap-shanghai",
        &[
            "cvm",
            "DescribeInstances",
            "--Filters",
            r#"[{"Name":"tag:team","Values":["ci"]}]"#,
        ],
    );
    assert_eq!(ids(&shanghai), expected(&server, None, "ap-shanghai", "ci"));
    assert_eq!(ids(&shanghai), ["ins-shci0001", "ins-shci0002"]);

    // DescribeRegions, and STS GetCallerIdentity (signed for `sts`).
    let regions = tccli.json("ap-guangzhou", &["cvm", "DescribeRegions"]);
    let listed: Vec<&str> = regions["RegionSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Region"].as_str().unwrap())
        .collect();
    for region in ["ap-guangzhou", "ap-shanghai", "ap-beijing"] {
        assert!(listed.contains(&region), "{listed:?}");
    }
    let me = tccli.json("ap-guangzhou", &["sts", "GetCallerIdentity"]);
    let identity = server.with_state(|e| e.caller_identity(SECRET_ID));
    assert_eq!(me["Arn"], identity.arn.as_str());
    assert_eq!(me["AccountId"], identity.account_id.as_str());
    assert_eq!(me["Type"], "CAMUser");

    // TerminateInstances.
    let done = tccli.json(
        "ap-guangzhou",
        &[
            "cvm",
            "TerminateInstances",
            "--InstanceIds",
            r#"["ins-gzci0001"]"#,
        ],
    );
    let request_id = done["RequestId"].as_str().unwrap().to_owned();
    server.with_state(|e| {
        let v = e.instance("ins-gzci0001").unwrap();
        assert_eq!(v.state, InstanceState::Terminating);
        assert_eq!(
            v.latest_operation_request_id.as_deref(),
            Some(request_id.as_str())
        );
        assert_eq!(e.termination_record("ins-gzci0001").requests, 1);
    });
    // The protected one is refused, and tccli says why.
    let out = tccli.run(
        "ap-guangzhou",
        &[
            "cvm",
            "TerminateInstances",
            "--InstanceIds",
            r#"["ins-gzci0004"]"#,
        ],
    );
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("UnsupportedOperation.InstancesProtected"),
        "{text}"
    );
    server.with_state(|e| {
        assert_eq!(
            e.instance("ins-gzci0004").map(|v| v.state),
            Some(InstanceState::Running)
        );
        assert!(e.destroyed_from_recycle_bin().is_empty());
    });
}
