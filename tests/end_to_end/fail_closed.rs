//! Issue 17 end to end: the core's run over HTTP against the emulator and its
//! faults, one test per kind of situation that used to destroy an instance, misreport
//! one, or fail good ones for a bad one. Each asserts what the service saw (the
//! emulator's records): no instance destroyed in the recycle bin, no instance acted on
//! by two TerminateInstances in one run, and every instance with exactly one outcome
//! (in the report and in the journal).
//!
//! Each prints its counts as a table row; `cargo test --test fail_closed --
//! --nocapture --test-threads 1` shows the table.

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::journaled::{history, Journaled};
use common::service::Service;
use tencentcloud_cvm::model::{ClientCode, ErrorCode};
use tencentcloud_cvm::sans_io::JournalEntry;
use tencentcloud_cvm::{Credentials, OutcomeKind, Report, TerminateOptions};
use tencentcloud_cvm_emulator::{
    ChargeType, EmulatorConfig, Fault, FieldChange, InstanceState, InstanceView,
};

fn creds() -> Credentials {
    Credentials::new("AKIDfailClosed", "fail-closed-key")
}

/// A quick settle delay, for lost answers.
fn options() -> TerminateOptions {
    TerminateOptions::new().with_settle_delay(Duration::from_millis(300))
}

fn fleet(list: &[(&str, ChargeType, InstanceState)]) -> EmulatorConfig {
    let mut config = tencentcloud_cvm_emulator::Emulator::builder();
    for (id, charge, state) in list {
        config = config.instance(
            InstanceView::new(*id)
                .with_charge_type(charge.clone())
                .with_state(state.clone()),
        );
    }
    config
}

fn kinds(report: &Report) -> Vec<OutcomeKind> {
    report
        .instances()
        .iter()
        .map(|i| i.outcome.kind())
        .collect()
}

fn client(code: ClientCode) -> Option<ErrorCode> {
    Some(ErrorCode::Client(code))
}

/// What the service saw of one or more runs.
struct Counts {
    sent: usize,
    /// Per instance, TerminateInstances that acted on it.
    accepted: BTreeMap<String, u32>,
    destroyed: usize,
}

fn counts(svc: &Service) -> Counts {
    svc.server.with_state(|e| Counts {
        sent: svc.terminates(),
        accepted: e
            .termination_records()
            .iter()
            .map(|(id, r)| (id.clone(), r.accepted))
            .collect(),
        destroyed: e.destroyed_from_recycle_bin().len(),
    })
}

/// One run's share of what the service saw: at most one TerminateInstances acted
/// on each instance, nothing was destroyed, every instance has one outcome in the
/// report and in the journal. Prints the table row.
fn check_run(situation: &str, svc: &Service, before: &Counts, run: &Journaled, n: usize) {
    let after = counts(svc);
    let acted: BTreeMap<&String, u32> = after
        .accepted
        .iter()
        .map(|(id, a)| (id, a - before.accepted.get(id).copied().unwrap_or(0)))
        .filter(|(_, a)| *a > 0)
        .collect();
    assert!(
        acted.values().all(|&a| a <= 1),
        "{situation}: acted on twice in one run: {acted:?}"
    );
    assert_eq!(after.destroyed, before.destroyed, "{situation}: destroyed");
    assert_eq!(run.report.instances().len(), n, "{situation}");
    let outcomes = run
        .journal
        .iter()
        .filter(|r| matches!(r.entry, JournalEntry::Outcome(_)))
        .count();
    assert_eq!(outcomes, n, "{situation}: one outcome each in the journal");
    println!(
        "| {situation} | {n} | {} | {} | {} |",
        after.sent - before.sent,
        acted.values().sum::<u32>(),
        after.destroyed - before.destroyed,
    );
}

fn zero() -> Counts {
    Counts {
        sent: 0,
        accepted: BTreeMap::new(),
        destroyed: 0,
    }
}

#[test]
fn the_same_id_listed_twice_with_different_states() {
    let list = ["ins-binned01", "ins-binned02"];
    let svc = Service::start(
        fleet(&[
            (list[0], ChargeType::Prepaid, InstanceState::Shutdown),
            (list[1], ChargeType::Prepaid, InstanceState::Shutdown),
        ]),
        creds(),
    );
    svc.server
        .inject_for("DescribeInstances", Fault::DuplicateEntry);
    // Even asked to destroy what is in the recycle bin: such a read proves nothing.
    let run = svc.terminate_journaled(&list, &options().with_destroy_prepaid(true));
    assert_eq!(
        kinds(&run.report),
        [OutcomeKind::Failed; 2],
        "{}",
        run.report
    );
    assert_eq!(
        run.report.instances()[0].outcome.code().cloned(),
        client(ClientCode::DuplicateEntry)
    );
    assert_eq!(svc.terminates(), 0);
    check_run("duplicate entry, different states", &svc, &zero(), &run, 2);
}

#[test]
fn a_charge_type_null_empty_missing_or_in_lower_case() {
    for change in [
        FieldChange::Null,
        FieldChange::Empty,
        FieldChange::Missing,
        FieldChange::Lowercase,
    ] {
        let svc = Service::start(
            fleet(&[("ins-binned01", ChargeType::Prepaid, InstanceState::Shutdown)]),
            creds(),
        );
        svc.server.inject_for(
            "DescribeInstances",
            Fault::Field {
                field: "InstanceChargeType".into(),
                change: change.clone(),
            },
        );
        let run = svc.terminate_journaled(&["ins-binned01"], &options().with_destroy_prepaid(true));
        let o = &run.report.instances()[0].outcome;
        assert_eq!(o.kind(), OutcomeKind::Failed, "{change:?}: {o}");
        assert_eq!(
            o.code().cloned(),
            client(ClientCode::UnknownChargeType),
            "{change:?}"
        );
        assert_eq!(svc.terminates(), 0, "{change:?}");
        check_run(&format!("charge type {change:?}"), &svc, &zero(), &run, 1);
    }
}

#[test]
fn a_state_null_or_in_lower_case() {
    for change in [
        FieldChange::Null,
        FieldChange::Lowercase,
        FieldChange::Missing,
    ] {
        let svc = Service::start(
            fleet(&[("ins-binned01", ChargeType::Prepaid, InstanceState::Shutdown)]),
            creds(),
        );
        svc.server.inject_for(
            "DescribeInstances",
            Fault::Field {
                field: "InstanceState".into(),
                change: change.clone(),
            },
        );
        let run = svc.terminate_journaled(&["ins-binned01"], &options().with_destroy_prepaid(true));
        let o = &run.report.instances()[0].outcome;
        assert_eq!(
            o.code().cloned(),
            client(ClientCode::UnknownState),
            "{change:?}: {o}"
        );
        assert_eq!(svc.terminates(), 0, "{change:?}");
        check_run(&format!("state {change:?}"), &svc, &zero(), &run, 1);
    }
}

#[test]
fn charge_types_not_released_at_once_on_shutdown() {
    let list = [
        "ins-undrwrt1",
        "ins-cdhpaid1",
        "ins-spotpai1",
        "ins-cdcpaid1",
    ];
    let svc = Service::start(
        fleet(&[
            (
                list[0],
                ChargeType::parse("UNDERWRITE"),
                InstanceState::Shutdown,
            ),
            (list[1], ChargeType::CdhPaid, InstanceState::Shutdown),
            (list[2], ChargeType::SpotPaid, InstanceState::Shutdown),
            (list[3], ChargeType::CdcPaid, InstanceState::Shutdown),
        ]),
        creds(),
    );
    let run = svc.terminate_journaled(&list, &options());
    use OutcomeKind::*;
    assert_eq!(
        kinds(&run.report),
        [Failed, Skipped, Skipped, Skipped],
        "{}",
        run.report
    );
    assert_eq!(
        run.report.instances()[0].outcome.code().cloned(),
        client(ClientCode::UnknownChargeType)
    );
    assert_eq!(svc.terminates(), 0);
    check_run(
        "UNDERWRITE/CDHPAID/SPOTPAID/CDCPAID on SHUTDOWN",
        &svc,
        &zero(),
        &run,
        4,
    );
}

#[test]
fn prepaid_at_preflight_then_a_lost_answer_then_a_pay_as_you_go_read() {
    let svc = Service::start(
        fleet(&[("ins-prepaid1", ChargeType::Prepaid, InstanceState::Running)]),
        creds(),
    );
    svc.server
        .inject_for("TerminateInstances", Fault::CloseBeforeStateChange);
    // The preflight reads the truth; the resolving read says pay-as-you-go.
    svc.server
        .inject_for("DescribeInstances", Fault::Delay(Duration::ZERO));
    let postpaid = || Fault::Field {
        field: "InstanceChargeType".into(),
        change: FieldChange::Value("POSTPAID_BY_HOUR".into()),
    };
    svc.server.inject_for("DescribeInstances", postpaid());
    let run1 = svc.terminate_journaled(&["ins-prepaid1"], &options());
    let o = &run1.report.instances()[0].outcome;
    assert_eq!(o.kind(), OutcomeKind::Unknown, "{o}");
    assert_eq!(svc.terminates(), 1);
    check_run(
        "PREPAID, lost answer, read says pay-as-you-go",
        &svc,
        &zero(),
        &run1,
        1,
    );
    // A re-run that reads pay-as-you-go too: still never sent.
    let before = counts(&svc);
    svc.server.inject_for("DescribeInstances", postpaid());
    svc.server.inject_for("DescribeInstances", postpaid());
    let run2 = svc.terminate_journaled(&["ins-prepaid1"], &options().with_history(run1.history()));
    assert_eq!(
        run2.report.instances()[0].outcome.code().cloned(),
        client(ClientCode::EarlierRequestMayHaveActed),
        "{}",
        run2.report
    );
    assert_eq!(svc.terminates(), 1);
    check_run("  ... its re-run with the journal", &svc, &before, &run2, 1);
    assert_eq!(svc.state("ins-prepaid1"), Some(InstanceState::Running));
}

#[test]
fn a_read_lagging_behind_the_terminate() {
    let list = ["ins-prepaid1", "ins-prepaid2"];
    let svc = Service::start(
        fleet(&[
            (list[0], ChargeType::Prepaid, InstanceState::Running),
            (list[1], ChargeType::Prepaid, InstanceState::Running),
        ]),
        creds(),
    );
    svc.server.inject_for(
        "TerminateInstances",
        Fault::StaleReadsFor(Duration::from_secs(3600)),
    );
    let run1 = svc.terminate_journaled(&list, &options());
    assert!(run1.report.all_terminated(), "{}", run1.report);
    check_run("lagging read after the terminate", &svc, &zero(), &run1, 2);
    // The same command again reads RUNNING (the lag), but the journal knows.
    let before = counts(&svc);
    let run2 = svc.terminate_journaled(&list, &options().with_history(run1.history()));
    assert!(run2.report.all_terminated(), "{}", run2.report);
    assert_eq!(
        run2.report.instances()[0].outcome.request_id(),
        run1.report.instances()[0].outcome.request_id()
    );
    assert_eq!(svc.terminates(), 1);
    check_run("  ... its re-run with the journal", &svc, &before, &run2, 2);
    assert_eq!(svc.state(list[0]), Some(InstanceState::Shutdown));
}

#[test]
fn a_partial_batch_with_destroy_prepaid() {
    let list = [
        "ins-prepaid1",
        "ins-prepaid2",
        "ins-prepaid3",
        "ins-prepaid4",
    ];
    let svc = Service::start(
        fleet(&list.map(|id| (id, ChargeType::Prepaid, InstanceState::Running))),
        creds(),
    );
    svc.server.inject_for(
        "TerminateInstances",
        Fault::PartialBatch {
            acted: 2,
            code: "FailedOperation.Unreturnable".into(),
        },
    );
    let run = svc.terminate_journaled(&list, &options().with_destroy_prepaid(true));
    use OutcomeKind::*;
    assert_eq!(
        kinds(&run.report),
        [Terminated, Terminated, Failed, Unknown],
        "{}",
        run.report
    );
    assert_eq!(svc.terminates(), 1);
    assert_eq!(svc.state(list[0]), Some(InstanceState::Shutdown));
    check_run("partial batch, destroy_prepaid", &svc, &zero(), &run, 4);
}

#[test]
fn a_failed_latest_operation_of_another_request() {
    let list = ["ins-00000000", "ins-00000001"];
    let svc = Service::start(
        tencentcloud_cvm_emulator::Emulator::builder().instances(2),
        creds(),
    );
    svc.server
        .inject_for("TerminateInstances", Fault::CloseBeforeStateChange);
    svc.server
        .inject_for("DescribeInstances", Fault::Delay(Duration::ZERO));
    svc.server
        .inject_for("DescribeInstances", Fault::LatestOperationFailed);
    let run = svc.terminate_journaled(&list, &options());
    assert_eq!(
        kinds(&run.report),
        [OutcomeKind::Unknown; 2],
        "{}",
        run.report
    );
    check_run(
        "LatestOperationState FAILED, another RequestId",
        &svc,
        &zero(),
        &run,
        2,
    );
}

#[test]
fn an_empty_instance_set_whose_total_count_says_one() {
    let svc = Service::start(
        tencentcloud_cvm_emulator::Emulator::builder().instances(1),
        creds(),
    );
    svc.server
        .inject_for("DescribeInstances", Fault::DropEntries);
    let run = svc.terminate_journaled(&["ins-00000000"], &options());
    let o = &run.report.instances()[0].outcome;
    assert_eq!(
        o.code().cloned(),
        client(ClientCode::InconsistentRead),
        "{o}"
    );
    assert_eq!(svc.terminates(), 0);
    check_run(
        "empty InstanceSet, TotalCount 1 (preflight)",
        &svc,
        &zero(),
        &run,
        1,
    );
    // Resolving a lost answer: an empty set is not "gone".
    let svc = Service::start(
        tencentcloud_cvm_emulator::Emulator::builder().instances(1),
        creds(),
    );
    svc.server
        .inject_for("TerminateInstances", Fault::CloseAfterStateChange);
    svc.server
        .inject_for("DescribeInstances", Fault::Delay(Duration::ZERO));
    svc.server
        .inject_for("DescribeInstances", Fault::DropEntries);
    let run = svc.terminate_journaled(&["ins-00000000"], &options());
    let o = &run.report.instances()[0].outcome;
    assert_eq!(o.kind(), OutcomeKind::Unknown, "{o}");
    check_run(
        "empty InstanceSet, TotalCount 1 (resolving)",
        &svc,
        &zero(),
        &run,
        1,
    );
}

#[test]
fn an_inconsistent_total_count_or_an_id_not_asked_for() {
    for fault in [
        Fault::TotalCount(5),
        Fault::ExtraEntry("ins-zzzzzzzz".into()),
    ] {
        let svc = Service::start(
            tencentcloud_cvm_emulator::Emulator::builder().instances(2),
            creds(),
        );
        svc.server.inject_for("DescribeInstances", fault.clone());
        let run = svc.terminate_journaled(&["ins-00000000", "ins-00000001"], &options());
        assert_eq!(kinds(&run.report), [OutcomeKind::Failed; 2], "{fault:?}");
        assert_eq!(svc.terminates(), 0);
        check_run(fault.name(), &svc, &zero(), &run, 2);
    }
}

#[test]
fn a_whole_batch_refusal_naming_no_instance() {
    let list = ["ins-00000000", "ins-00000001", "ins-00000002"];
    let svc = Service::start(
        tencentcloud_cvm_emulator::Emulator::builder().instances(3),
        creds(),
    );
    svc.server.inject_for(
        "TerminateInstances",
        Fault::Refuse("FailedOperation.Unreturnable".into()),
    );
    let run = svc.terminate_journaled(&list, &options());
    assert!(run.report.all_terminated(), "{}", run.report);
    // Refused, read, sent again in halves.
    assert_eq!(svc.terminates(), 3);
    check_run(
        "whole-batch refusal naming no instance",
        &svc,
        &zero(),
        &run,
        3,
    );
}

#[test]
fn a_read_refused_because_of_one_id() {
    let list = ["ins-00000000", "ins-00000001", "ins-00000002"];
    let svc = Service::start(
        tencentcloud_cvm_emulator::Emulator::builder().instances(3),
        creds(),
    );
    svc.server.inject_for(
        "DescribeInstances",
        Fault::RefuseRead {
            id: "ins-00000001".into(),
            code: "UnauthorizedOperation".into(),
        },
    );
    let run = svc.terminate_journaled(&list, &options());
    use OutcomeKind::*;
    assert_eq!(
        kinds(&run.report),
        [Terminated, Failed, Terminated],
        "{}",
        run.report
    );
    assert_eq!(
        run.report.instances()[1].outcome.code(),
        Some(&ErrorCode::UnauthorizedOperation)
    );
    check_run(
        "DescribeInstances refused for one ID",
        &svc,
        &zero(),
        &run,
        3,
    );
}

#[test]
fn rerunning_a_finished_command() {
    let list: Vec<String> = (0..150).map(|i| format!("ins-p{i:07}")).collect();
    let mut config = tencentcloud_cvm_emulator::Emulator::builder();
    for id in &list {
        config =
            config.instance(InstanceView::new(id.clone()).with_charge_type(ChargeType::Prepaid));
    }
    let svc = Service::start(config, creds());
    let run1 = svc.terminate_journaled(&list, &options());
    assert!(run1.report.all_terminated(), "{}", run1.report);
    check_run("a finished run", &svc, &zero(), &run1, 150);
    let before = counts(&svc);
    let requests = svc.requests();
    let run2 = svc.terminate_journaled(&list, &options().with_history(history(&[&run1])));
    assert!(run2.report.all_terminated(), "{}", run2.report);
    assert_eq!(svc.requests(), requests, "nothing sent, nothing read");
    check_run(
        "  ... the same command again, with the journal",
        &svc,
        &before,
        &run2,
        150,
    );
}
