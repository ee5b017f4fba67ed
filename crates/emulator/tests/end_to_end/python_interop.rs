//! Interop with the reference peer: the official Python SDK (3.1.178) against the
//! emulator, through `tests/interop/python_sdk_interop.py`: TerminateInstances, and the
//! SDK reading DescribeInstances (by ID, paged, selected with Filters and paged 5 at a
//! time, and naming a terminate's RequestId as the latest operation's),
//! DescribeInstancesStatus, InquiryPriceTerminateInstances and DescribeRegions; over http, and over
//! https trusting the emulator's certificate (`HttpProfile(certification=FILE)`).
//!
//! The Python comes from `TCCVM_PYTHON` (default: the workspace's `.venv/bin/python`,
//! which `scripts/test` creates from `tests/interop/requirements.txt`). Without it, or without
//! the SDK, the test prints a notice and passes, unless `CI=true`: then it fails.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;
use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_emulator::{
    ChargeType, Emulator, EmulatorConfig, InstanceState, InstanceView, Server, Tls,
};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/interop/python_sdk_interop.py"
);

fn python() -> Option<PathBuf> {
    let python = std::env::var_os("TCCVM_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../.venv/bin/python"
            ))
        });
    let usable = Command::new(&python)
        .args([
            "-c",
            "import tencentcloud.common, tencentcloud.cvm.v20170312.cvm_client",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        return Some(python);
    }
    let notice = format!(
        "{} is missing or cannot import tencentcloud-sdk-python-cvm; \
         set TCCVM_PYTHON or run `pip install -r tests/interop/requirements.txt` (in this crate) in .venv",
        python.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{notice}");
    }
    eprintln!("SKIPPED python_sdk_interop: {notice}");
    None
}

/// The selection fleet: tagged instances in zones of ap-guangzhou, and one in
/// ap-shanghai that matches the tag but is in another region.
const CI: usize = 12;
const WEB: usize = 7;
const OTHER_REGION: &str = "ins-shanghai";

fn selection_fleet(mut config: EmulatorConfig) -> (EmulatorConfig, usize) {
    let mut ci_zone6 = 0;
    for i in 0..CI + WEB {
        let (team, zone) = match i {
            i if i < CI && i % 2 == 0 => ("ci", "ap-guangzhou-6"),
            i if i < CI => ("ci", "ap-guangzhou-3"),
            _ => ("web", "ap-guangzhou-6"),
        };
        if team == "ci" && zone == "ap-guangzhou-6" {
            ci_zone6 += 1;
        }
        config = config.instance(
            InstanceView::new(format!("ins-sel{i:05}"))
                .with_zone(zone)
                .with_tag("team", team)
                .with_created_ago(Duration::from_secs(3_600)),
        );
    }
    let config = config.instance(
        InstanceView::new(OTHER_REGION)
            .with_zone("ap-shanghai-2")
            .with_tag("team", "ci"),
    );
    (config, ci_zone6)
}

/// Runs the interop script against a fresh emulator (over https, trusting its
/// certificate, with `tls`), and checks its summary and what it left behind.
fn run_script(python: &Path, tls: bool) {
    // A month ahead at the default 100 per 30 days: the refund is just under 100.
    let expires = unix_now() + 30 * 86_400;
    let config = Emulator::builder()
        .credential(creds())
        .instances(5)
        .instance(
            InstanceView::new("ins-prepaid1")
                .with_charge_type(ChargeType::Prepaid)
                .with_expired_time(expires),
        )
        .rate_limit(100);
    let (config, ci_zone6) = selection_fleet(config);
    let mut server = Server::new(config.build().unwrap());
    let ca = std::env::temp_dir().join(format!(
        "cvm-emulator-interop-ca-{}-{}.pem",
        std::process::id(),
        tls
    ));
    if tls {
        let t = Tls::self_signed().unwrap();
        t.write_certificate(&ca).unwrap();
        server = server.tls(t);
    }
    let server = server.bind("127.0.0.1:0").unwrap();
    assert_eq!(server.url().starts_with("https://"), tls);
    let mut command = Command::new(python);
    command
        .arg(SCRIPT)
        .args(["--endpoint", &server.endpoint()])
        .args(["--secret-id", SECRET_ID])
        .args(["--prepaid", "ins-prepaid1"])
        .args(["--prepaid-expires", &format_utc(expires)])
        .args([
            "--selection",
            &format!("{CI},{WEB},{ci_zone6},{OTHER_REGION}"),
        ])
        .env("TCCVM_SECRET_KEY", SECRET_KEY);
    if tls {
        command.arg("--ca").arg(&ca);
    }
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
    let output = command.output().unwrap();
    let _ = std::fs::remove_file(&ca);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop script failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.lines().any(|l| l == "35 passed, 0 failed"),
        "unexpected summary:\n{stdout}"
    );
    server.with_state(|e| {
        for id in [
            "ins-00000000",
            "ins-00000001",
            "ins-00000002",
            "ins-00000003",
            "ins-00000004",
        ] {
            let state = e.instance(id).map(|v| v.state);
            assert!(
                state.is_none() || state == Some(InstanceState::Terminating),
                "{id}: {state:?}"
            );
        }
        assert!(e.instance("ins-prepaid1").is_none());
        // The script destroyed the prepaid instance in the recycle bin, on purpose.
        assert_eq!(e.destroyed_from_recycle_bin(), ["ins-prepaid1"]);
    });
}

#[test]
fn python_sdk_talks_to_the_emulator() {
    let Some(python) = python() else { return };
    run_script(&python, false);
}

#[test]
fn python_sdk_talks_https_to_the_emulator_trusting_its_certificate() {
    let Some(python) = python() else { return };
    run_script(&python, true);
}
