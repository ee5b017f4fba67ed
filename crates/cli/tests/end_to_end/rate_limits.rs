//! `--rate-limit` and `--max-in-flight` reach the run: against an emulator that
//! allows one TerminateInstances a second, a tccvm told so is never refused, and
//! one told nothing learns it from a refusal or two.

use crate::common;

use common::CountingEmulator;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::Emulator;

/// Terminates 300 instances (3 TerminateInstances) with `flags`; how many
/// TerminateInstances the emulator refused.
fn refused_with(flags: &[&str]) -> usize {
    let svc = CountingEmulator::with(
        Emulator::builder()
            .credential(Credentials::new(common::SECRET_ID, common::SECRET_KEY))
            .instances(300)
            .action_rate_limit("TerminateInstances", 1),
    );
    let url = svc.url();
    let ids: Vec<String> = (0..300).map(|i| format!("ins-{i:08}")).collect();
    let mut args = vec![
        "terminate",
        "--yes",
        "-o",
        "json",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &url,
    ];
    args.extend(flags);
    args.extend(ids.iter().map(String::as_str));
    let out = common::run(&args, &svc.env(), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["summary"]["terminated"], 300, "{document}");
    svc.entries()
        .iter()
        .filter(|e| e.action.as_deref() == Some("TerminateInstances"))
        .filter(|e| e.result.starts_with("RequestLimitExceeded"))
        .count()
}

#[test]
fn a_rate_limit_given_is_kept_and_one_not_given_is_learnt() {
    assert_eq!(
        refused_with(&[
            "--rate-limit",
            "TerminateInstances=1",
            "--max-in-flight",
            "1"
        ]),
        0
    );
    // Starting at the documented 10, the slow start sends two at once: one is
    // refused, and its message says 1, which the run keeps to from then on.
    let refused = refused_with(&[]);
    assert!((1..=2).contains(&refused), "{refused}");
}
