//! Issue 19's must-show, with the real tccli: after only
//! `tccli configure set secretId … secretKey … region ap-guangzhou` (run by tccli
//! itself in an empty HOME), `tccvm status` works against the emulator, with no
//! TENCENTCLOUD_* variable set.
//!
//! tccli comes from `TCCVM_TCCLI` (default: the workspace's `.venv-tccli/bin/tccli`,
//! which `scripts/test` creates). Without it the test prints a notice and passes,
//! unless `CI=true`: then it fails.
#![forbid(unsafe_code)]

use crate::common;

use common::*;

#[test]
fn after_tccli_configure_set_tccvm_status_works() {
    let Some(tccli) = tccli() else { return };
    let svc = CountingEmulator::start(2);
    let url = svc.url();
    let home = TempDir::new("real-tccli-home");
    let home_dir = home.path().display().to_string();

    // tccli itself writes its configuration, in a HOME of its own, reading nothing else.
    let (mut configure, _scratch_home) = clean_command(tccli.to_str().unwrap());
    let out = configure
        .env("HOME", &home_dir)
        .env_remove("TCCLI_PROFILE")
        .args([
            "configure",
            "set",
            "secretId",
            SECRET_ID,
            "secretKey",
            SECRET_KEY,
            "region",
            "ap-guangzhou",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let dir = home.path().join(".tccli");
    assert!(dir.join("default.credential").is_file());
    assert!(dir.join("default.configure").is_file());

    // tccvm with that HOME and nothing else: keys and region from tccli's files.
    let out = run(
        &[
            "-v",
            "status",
            "--endpoint",
            &url,
            "ins-00000000",
            "ins-00000001",
        ],
        &[("HOME", home_dir.as_str())],
        None,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("ins-00000000  RUNNING"), "{stdout}");
    assert!(stdout.contains("2 instance(s): 2 read"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "region ap-guangzhou (from tccli's region in {})",
            dir.join("default.configure").display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET_KEY), "{stderr}");
    let entries = svc.entries();
    assert!(!entries.is_empty());
    for e in &entries {
        assert_eq!(e.secret_id.as_deref(), Some(SECRET_ID), "{e:?}");
        assert_eq!(e.action.as_deref(), Some("DescribeInstances"), "{e:?}");
    }
}
