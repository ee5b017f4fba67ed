//! Interop with the reference peer: the official Python SDK (3.1.178) against the
//! emulator, through `tests/interop/python_sdk_interop.py`: TerminateInstances, and the
//! SDK reading DescribeInstances (by ID, paged, and naming a terminate's RequestId as
//! the latest operation's), DescribeInstancesStatus and InquiryPriceTerminateInstances.
//!
//! The Python comes from `TCCVM_PYTHON` (default: the workspace's `.venv/bin/python`,
//! which `scripts/test` creates from `tests/interop/requirements.txt`). Without it, or without
//! the SDK, the test prints a notice and passes, unless `CI=true`: then it fails.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_emulator::{ChargeType, Emulator, InstanceState, InstanceView, Server};

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

#[test]
fn python_sdk_talks_to_the_emulator() {
    let Some(python) = python() else { return };
    // A month ahead at the default 100 per 30 days: the refund is just under 100.
    let expires = unix_now() + 30 * 86_400;
    let emulator = Emulator::builder()
        .credential(creds())
        .instances(5)
        .instance(
            InstanceView::new("ins-prepaid1")
                .with_charge_type(ChargeType::Prepaid)
                .with_expired_time(expires),
        )
        .rate_limit(100)
        .build()
        .unwrap();
    let server = Server::start(emulator, "127.0.0.1:0").unwrap();
    let mut command = Command::new(&python);
    command
        .arg(SCRIPT)
        .args(["--endpoint", &server.endpoint()])
        .args(["--secret-id", SECRET_ID])
        .args(["--prepaid", "ins-prepaid1"])
        .args(["--prepaid-expires", &format_utc(expires)])
        .env("TCCVM_SECRET_KEY", SECRET_KEY);
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
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop script failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.lines().any(|l| l == "25 passed, 0 failed"),
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
    });
}
