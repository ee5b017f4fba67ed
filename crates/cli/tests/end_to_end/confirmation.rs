//! Nothing is terminated without a yes: asked on the terminal, refused without
//! one unless `--yes`, never asked in a dry run or against the embedded emulator.
//! Requests are counted on the server side.
#![forbid(unsafe_code)]

use crate::common;

use common::*;

fn args<'a>(url: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["terminate", "--region", "ap-guangzhou", "--endpoint", url];
    all.extend_from_slice(rest);
    all
}

#[test]
fn without_a_terminal_and_without_yes_nothing_is_sent() {
    let svc = CountingEmulator::start(2);
    let url = svc.url();
    let out = run(
        &args(&url, &["ins-00000000", "ins-00000001"]),
        &svc.env(),
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no terminal to ask on"), "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(text(&out.stdout), "");
    assert_eq!(svc.count("TerminateInstances"), 0);
    assert_eq!(svc.entries().len(), 0, "no request of any kind");

    // IDs on standard input change nothing.
    let out = run(&args(&url, &["-"]), &svc.env(), Some("ins-00000000\n"));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(svc.entries().len(), 0);
}

#[test]
fn with_yes_it_is_sent() {
    let svc = CountingEmulator::start(2);
    let url = svc.url();
    let out = run(
        &args(&url, &["--yes", "ins-00000000", "ins-00000001"]),
        &svc.env(),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(svc.count("TerminateInstances"), 1);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches(" terminated ").count(), 2, "{stdout}");
}

#[test]
fn on_a_terminal_it_asks_and_only_yes_terminates() {
    let svc = CountingEmulator::start(2);
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000 ins-00000001",
        tccvm_path(),
        svc.url()
    );
    for typed in ["n\n", "\n", "whatever\n"] {
        let (code, screen) = run_on_terminal(&command, &svc.env(), typed);
        assert_eq!(code, 1, "{screen}");
        assert!(
            screen.contains("Terminate 2 instance(s)? [y/N]"),
            "{screen}"
        );
        assert!(screen.contains("Nothing was terminated."), "{screen}");
        assert_eq!(svc.count("TerminateInstances"), 0, "{screen}");
    }
    let (code, screen) = run_on_terminal(&command, &svc.env(), "y\n");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(svc.count("TerminateInstances"), 1, "{screen}");
    assert!(screen.contains("2 instance(s): 2 terminated"), "{screen}");
}

#[test]
fn ctrl_c_at_the_question_ends_at_once_with_nothing_sent() {
    let svc = CountingEmulator::start(1);
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = answer_on_terminal(&command, &svc.env(), "[y/N] ", || {}, "\u{3}");
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("interrupted: nothing was terminated"),
        "{screen}"
    );
    assert_eq!(svc.count("TerminateInstances"), 0);
}

#[test]
fn ids_on_standard_input_are_confirmed_on_the_terminal() {
    let svc = CountingEmulator::start(3);
    let command = format!(
        "printf 'ins-00000001\\nins-00000002\\n' | {} terminate --region ap-guangzhou --endpoint {} --json -",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&command, &svc.env(), "yes\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(": 2 instance(s) read\r\n"), "{screen}");
    assert!(
        screen.contains(
            "  ins-00000001  RUNNING  POSTPAID_BY_HOUR  ins-00000001\r\n  ins-00000002  RUNNING"
        ),
        "{screen}"
    );
    assert_eq!(svc.count("TerminateInstances"), 1);
    let running = svc.server.with_state(|e| {
        e.instance("ins-00000000")
            .map(|i| i.state == tencentcloud_cvm::model::InstanceState::Running)
    });
    assert_eq!(running, Some(true), "the instance not named is untouched");
}

#[cfg(feature = "emulator")]
#[test]
fn the_embedded_emulator_never_asks() {
    let out = run(&["terminate", "--emulator"], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 instance(s): 3 terminated"));
}

#[test]
fn a_dry_run_never_asks() {
    let svc = CountingEmulator::start(1);
    let url = svc.url();
    let out = run(
        &args(&url, &["--dry-run", "ins-00000000"]),
        &svc.env(),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(svc.count("TerminateInstances"), 0);
}

#[test]
fn above_fifty_instances_the_number_is_typed_not_y() {
    let svc = CountingEmulator::start(60);
    let ids: Vec<String> = (0..60).map(|i| format!("ins-{i:08}")).collect();
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} {}",
        tccvm_path(),
        svc.url(),
        ids.join(" ")
    );
    let question = "Terminate 60 instance(s)? Type 60 to confirm, anything else to cancel: ";
    let (code, screen) = run_on_terminal(&command, &svc.env(), "y\n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains(question), "{screen}");
    assert!(screen.contains("As SecretId AK****st"), "{screen}");
    assert_eq!(svc.count("TerminateInstances"), 0, "a y is not enough");
    let (code, screen) = run_on_terminal(&command, &svc.env(), "60\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("60 instance(s): 60 terminated"), "{screen}");
    assert_eq!(svc.count("TerminateInstances"), 1);
}

/// Issue 19: the question says which account and principal are about to act, as
/// STS GetCallerIdentity names them (asked of the emulator behind --endpoint).
#[test]
fn the_question_names_the_account_and_the_principal() {
    let svc = CountingEmulator::start(1);
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&command, &svc.env(), "n\n");
    assert_eq!(code, 1, "{screen}");
    let me = svc.server.with_state(|e| e.caller_identity(SECRET_ID));
    assert_eq!(me.account_id, "100000000001");
    let line = format!(
        "As SecretId AK****st: account 100000000001, CAMUser {}\r\n",
        me.arn
    );
    assert!(
        screen.contains(&format!(": 1 instance(s) read\r\n{line}")),
        "{screen}"
    );
    assert_eq!(svc.count("GetCallerIdentity"), 1);
    assert_eq!(svc.count("TerminateInstances"), 0);

    // --no-preflight sends nothing before TerminateInstances: the key alone.
    let (code, screen) = run_on_terminal(
        &command.replace(" terminate ", " terminate --no-preflight "),
        &svc.env(),
        "n\n",
    );
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("As SecretId AK****st (the account behind it is not looked up)\r\n"),
        "{screen}"
    );
    assert_eq!(svc.count("GetCallerIdentity"), 1);
}

/// A key that may not call GetCallerIdentity, or an STS that does not answer:
/// the masked SecretId, why the identity is not known, and the run goes on.
#[test]
fn without_an_identity_the_question_shows_the_masked_key_and_goes_on() {
    let svc = CountingEmulator::start(2);
    svc.server.inject_for(
        "GetCallerIdentity",
        tencentcloud_cvm_emulator::Fault::Refuse("AuthFailure.UnauthorizedOperation".into()),
    );
    let command = format!(
        "{} terminate --region ap-guangzhou --endpoint {} ins-00000000",
        tccvm_path(),
        svc.url()
    );
    let (code, screen) = run_on_terminal(&command, &svc.env(), "y\n");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(svc.server.pending_faults(), 0, "asked, and refused");
    let host = svc.url().trim_start_matches("http://").to_owned();
    assert!(
        screen.contains(&format!(
            "As SecretId AK****st: the identity could not be looked up\r\n  \
             (STS GetCallerIdentity at {host} was refused: AuthFailure.UnauthorizedOperation)\r\n"
        )),
        "{screen}"
    );
    assert!(!screen.contains("account 1000"), "{screen}");
    assert!(!screen.contains(SECRET_KEY), "{screen}");
    assert!(screen.contains("1 instance(s): 1 terminated"), "{screen}");
    assert_eq!(svc.count("TerminateInstances"), 1);

    // STS elsewhere, and nothing listening there.
    let closed = closed_port_url();
    let mut env = svc.env();
    env.push(("TENCENTCLOUD_STS_ENDPOINT", &closed));
    let command = command.replace("ins-00000000", "ins-00000001");
    let (code, screen) = run_on_terminal(&command, &env, "y\n");
    assert_eq!(code, 0, "{screen}");
    let closed_host = closed.trim_start_matches("http://");
    assert!(
        screen.contains(&format!(
            "As SecretId AK****st: the identity could not be looked up\r\n  \
             (STS GetCallerIdentity at {closed_host}: no answer)\r\n"
        )),
        "{screen}"
    );
    assert_eq!(svc.count("TerminateInstances"), 2);
    assert_eq!(
        svc.count("GetCallerIdentity"),
        1,
        "only the refused one reached it"
    );
}
