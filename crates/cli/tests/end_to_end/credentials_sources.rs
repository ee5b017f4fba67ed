//! Where tccvm's credentials and region come from, end to end: STS AssumeRole
//! and the CVM role against the emulator binary (each its own process, as a user
//! runs them), `--profile` and the profile's `region`, `TENCENTCLOUD_REGION`.
#![forbid(unsafe_code)]

use crate::common;

use common::*;

const BASE_ID: &str = "AKIDbaseE2E";
const BASE_KEY: &str = "base-key-e2e";
const ARN: &str = "qcs::cam::uin/100000000001:roleName/cleanup";

#[test]
fn tccvm_assumes_the_role_then_terminates_with_the_assumed_key() {
    let credential = format!("{BASE_ID}:{BASE_KEY}");
    let emulator =
        EmulatorProcess::start(&["--credential", &credential, "--instances", "1"], PATIENCE);
    let out = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &emulator.url,
            "ins-00000000",
        ],
        &[
            ("TENCENTCLOUD_SECRET_ID", BASE_ID),
            ("TENCENTCLOUD_SECRET_KEY", BASE_KEY),
            ("TENCENTCLOUD_ROLE_ARN", ARN),
            ("TENCENTCLOUD_ROLE_SESSION_NAME", "nightly-cleanup"),
            ("TENCENTCLOUD_STS_ENDPOINT", &emulator.url),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    let log = emulator.log();
    assert_eq!(log.len(), 3, "{log:#?}");
    assert!(
        log[0].contains(&format!("secret_id={BASE_ID} action=AssumeRole ")),
        "{}",
        log[0]
    );
    assert!(log[0].contains("result=OK"), "{}", log[0]);
    // The read before sending, then the terminate: both with the assumed key.
    for (line, action) in log[1..]
        .iter()
        .zip(["DescribeInstances", "TerminateInstances"])
    {
        assert!(line.contains(&format!("action={action} ")), "{line}");
        assert!(line.contains("secret_id=AKIDtmp"), "{line}");
        assert!(line.contains("result=OK"), "{line}");
    }
}

#[test]
fn tccvm_terminates_with_the_role_of_the_emulator_binary() {
    let emulator =
        EmulatorProcess::start(&["--cvm-role", "ops-role", "--instances", "2"], PATIENCE);
    let out = run(
        &[
            "terminate",
            "--yes",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &emulator.url,
            "--json",
            "ins-00000000",
            "ins-00000001",
        ],
        &[("TENCENTCLOUD_METADATA_ENDPOINT", &emulator.url)],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes: Vec<&str> = report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["terminated", "terminated"]);

    let log = emulator.log();
    let terminate = log
        .iter()
        .find(|l| l.contains("action=TerminateInstances"))
        .unwrap_or_else(|| panic!("{log:#?}"));
    assert!(terminate.contains("secret_id=AKIDtmp"), "{terminate}");
    assert!(terminate.contains("result=OK"), "{terminate}");
    assert!(
        log.iter()
            .any(|l| l
                .contains("action=metadata:/latest/meta-data/cam/security-credentials/ops-role")),
        "{log:#?}"
    );
}

/// A credentials file with two profiles, each with its own keys and region.
fn profiles(dir: &TempDir, svc_key: &str) -> String {
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[default]\nsecret_id = AKIDwrong\nsecret_key = wrong\nregion = ap-beijing\n\n\
             [ops]\nsecret_id = {SECRET_ID}\nsecret_key = {svc_key}\nregion = ap-shanghai\n"
        ),
    )
    .unwrap();
    file.display().to_string()
}

#[test]
fn profile_names_the_keys_and_the_region() {
    let svc = CountingEmulator::start(2);
    let dir = TempDir::new("profile");
    let file = profiles(&dir, SECRET_KEY);
    let url = svc.url();
    let out = run(
        &[
            "-v",
            "terminate",
            "--yes",
            "--profile",
            "ops",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &[
            ("TENCENTCLOUD_CREDENTIALS_FILE", &file),
            ("TENCENTCLOUD_PROFILE", "default"),
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "region ap-shanghai (from the profile's region in {file})"
        )),
        "{stderr}"
    );
    let entries = svc.entries();
    assert_eq!(svc.count("TerminateInstances"), 1);
    assert!(entries
        .iter()
        .all(|e| e.secret_id.as_deref() == Some(SECRET_ID)));

    // TENCENTCLOUD_PROFILE alone picks the profile too; TENCENTCLOUD_REGION wins over it.
    let out = run(
        &[
            "-v",
            "terminate",
            "--yes",
            "--endpoint",
            &url,
            "ins-00000001",
        ],
        &[
            ("TENCENTCLOUD_CREDENTIALS_FILE", &file),
            ("TENCENTCLOUD_PROFILE", "ops"),
            ("TENCENTCLOUD_REGION", "ap-singapore"),
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("region ap-singapore (from TENCENTCLOUD_REGION)"),
        "{stderr}"
    );
    assert_eq!(svc.count("TerminateInstances"), 2);
}

#[test]
fn profile_with_keys_in_the_environment_is_refused() {
    let svc = CountingEmulator::start(1);
    let dir = TempDir::new("profile-env");
    let file = profiles(&dir, SECRET_KEY);
    let url = svc.url();
    let mut env = svc.env();
    env.push(("TENCENTCLOUD_CREDENTIALS_FILE", &file));
    let out = run(
        &[
            "terminate",
            "--yes",
            "--profile",
            "ops",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &env,
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--profile ops names a profile, but TENCENTCLOUD_SECRET_ID is set"),
        "{stderr}"
    );
    assert_eq!(svc.entries().len(), 0);
}

#[test]
fn a_missing_or_broken_region_sends_nothing() {
    let svc = CountingEmulator::start(1);
    let url = svc.url();
    let dir = TempDir::new("region");
    let broken = dir.path().join("broken");
    std::fs::write(
        &broken,
        "[default]\nregion = ap-guangzhou\nSENTINEL-NOT-A-PAIR\n",
    )
    .unwrap();
    let broken = broken.display().to_string();
    for (env, expected) in [
        (vec![], "no region: pass --region"),
        (
            vec![("TENCENTCLOUD_REGION", "")],
            "TENCENTCLOUD_REGION is set but empty",
        ),
        (
            vec![("TENCENTCLOUD_CREDENTIALS_FILE", broken.as_str())],
            "line 3: expected `key = value`",
        ),
    ] {
        let mut env = env;
        env.extend(svc.env());
        let out = run(
            &["terminate", "--yes", "--endpoint", &url, "ins-00000000"],
            &env,
            None,
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(!stderr.contains("SENTINEL"), "{stderr}");
    }
    assert_eq!(svc.entries().len(), 0);
}

/// Issue 19: with only what `tccli configure set secretId … secretKey … region
/// ap-guangzhou` writes (these files, byte for byte, the `.configure` cut to
/// three of its services), tccvm finds its keys and its region.
#[test]
fn tcclis_configuration_alone_is_enough() {
    let svc = CountingEmulator::start(1);
    let url = svc.url();
    let home = TempDir::new("tccli-home");
    let tccli = home.path().join(".tccli");
    std::fs::create_dir_all(&tccli).unwrap();
    std::fs::write(
        tccli.join("default.credential"),
        format!("{{\n  \"secretId\": \"{SECRET_ID}\",\n  \"secretKey\": \"{SECRET_KEY}\"\n}}"),
    )
    .unwrap();
    std::fs::write(
        tccli.join("default.configure"),
        "{\n  \"_sys_param\": {\n    \"arrayCount\": 10,\n    \"output\": \"json\",\n    \"region\": \"ap-guangzhou\",\n    \"warning\": \"off\"\n  },\n  \"cvm\": {\n    \"endpoint\": \"cvm.tencentcloudapi.com\",\n    \"version\": \"2017-03-12\"\n  },\n  \"sts\": {\n    \"endpoint\": \"sts.tencentcloudapi.com\",\n    \"version\": \"2018-08-13\"\n  }\n}",
    )
    .unwrap();
    let home_dir = home.path().display().to_string();
    let out = run(
        &["status", "-v", "--endpoint", &url, "ins-00000000"],
        &[("HOME", home_dir.as_str())],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}{stderr}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("ins-00000000"),
        "{}",
        text(&out.stdout)
    );
    assert!(stderr.contains("region ap-guangzhou"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "region ap-guangzhou (from tccli's region in {})",
            tccli.join("default.configure").display()
        )),
        "{stderr}"
    );
    let entries = svc.entries();
    assert!(!entries.is_empty());
    for e in &entries {
        assert_eq!(e.secret_id.as_deref(), Some(SECRET_ID), "{e:?}");
        assert_eq!(e.action.as_deref(), Some("DescribeInstances"), "{e:?}");
    }

    // No credentials anywhere: the error names tccli's file among the sources tried.
    std::fs::remove_file(tccli.join("default.credential")).unwrap();
    let out = run(
        &[
            "status",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &url,
            "ins-00000000",
        ],
        &[
            ("HOME", home_dir.as_str()),
            ("TENCENTCLOUD_METADATA_ENDPOINT", "http://127.0.0.1:9"),
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no credentials found"), "{stderr}");
    assert!(stderr.contains(".tccli/default.credential"), "{stderr}");
}
