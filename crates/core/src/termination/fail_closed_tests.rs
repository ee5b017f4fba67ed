//! Issue 17's situations on synthetic time, against the model of a service that
//! lies, lags and drops answers (`flow_fleet`): in each, nothing is destroyed, no
//! instance gets two TerminateInstances that acted in one run, and every instance
//! ends once (in the report, the events and the journal).

use std::time::{Duration, Instant};

use super::flow_fleet::*;
use super::*;
use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::termination::report::OutcomeKind;

/// What every scenario must show, whatever else it checks.
fn nothing_destroyed_nothing_twice(fleet: &Fleet, deliberate: &[String]) {
    let destroyed: Vec<&String> = fleet
        .destroyed
        .iter()
        .filter(|id| !deliberate.contains(id))
        .collect();
    assert!(destroyed.is_empty(), "destroyed: {destroyed:?}");
    assert!(
        fleet.acted_twice().is_empty(),
        "acted on twice: {:?}",
        fleet.acted_twice()
    );
}

fn client(code: ClientCode) -> Option<ErrorCode> {
    Some(ErrorCode::Client(code))
}

fn codes(report: &Report) -> Vec<Option<String>> {
    report
        .instances()
        .iter()
        .map(|i| i.outcome.code().map(|c| c.as_str().to_owned()))
        .collect()
}

#[test]
fn an_id_listed_twice_with_different_states_is_never_sent() {
    let binned = ids("p", 2);
    let mut fleet = Fleet::new();
    fleet.add(&binned, "SHUTDOWN", "PREPAID");
    for destroy in [false, true] {
        fleet.read_faults.push(ReadFault::DuplicateEntry);
        let options = TerminateOptions::new().with_destroy_prepaid(destroy);
        let (report, events, _) = terminate(&mut fleet, &binned, &options);
        assert_eq!(report.failed(), 2, "{report}");
        let o = &report.instances()[0].outcome;
        assert_eq!(o.code().cloned(), client(ClientCode::DuplicateEntry), "{o}");
        assert!(o.message().unwrap().contains("SHUTDOWN, RUNNING"), "{o}");
        one_event_each(&events, 2);
    }
    assert_eq!(fleet.terminates(), 0);
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn a_charge_type_null_empty_missing_or_misspelt_is_never_sent() {
    let binned = ids("p", 1);
    let faults = [
        ReadFault::Field("InstanceChargeType", None),
        ReadFault::Field("InstanceChargeType", Some("")),
        ReadFault::Field("InstanceChargeType", Some("prepaid")),
        ReadFault::Missing("InstanceChargeType"),
    ];
    for fault in faults {
        let mut fleet = Fleet::new();
        fleet.add(&binned, "SHUTDOWN", "PREPAID");
        fleet.read_faults.push(fault.clone());
        // Even asked to destroy what is in the recycle bin: this read proves nothing.
        let options = TerminateOptions::new().with_destroy_prepaid(true);
        let (report, _, _) = terminate(&mut fleet, &binned, &options);
        let o = &report.instances()[0].outcome;
        assert_eq!(o.kind(), OutcomeKind::Failed, "{fault:?}");
        assert_eq!(
            o.code().cloned(),
            client(ClientCode::UnknownChargeType),
            "{fault:?}"
        );
        assert_eq!(fleet.terminates(), 0, "{fault:?}");
        nothing_destroyed_nothing_twice(&fleet, &[]);
    }
}

#[test]
fn a_state_null_missing_or_misspelt_is_never_sent() {
    let binned = ids("p", 1);
    for fault in [
        ReadFault::Field("InstanceState", None),
        ReadFault::Field("InstanceState", Some("running")),
        ReadFault::Field("InstanceState", Some("shutdown")),
        ReadFault::Missing("InstanceState"),
    ] {
        let mut fleet = Fleet::new();
        fleet.add(&binned, "SHUTDOWN", "PREPAID");
        fleet.read_faults.push(fault.clone());
        let options = TerminateOptions::new().with_destroy_prepaid(true);
        let (report, _, _) = terminate(&mut fleet, &binned, &options);
        let o = &report.instances()[0].outcome;
        assert_eq!(
            o.code().cloned(),
            client(ClientCode::UnknownState),
            "{fault:?}"
        );
        assert_eq!(fleet.terminates(), 0, "{fault:?}");
        nothing_destroyed_nothing_twice(&fleet, &[]);
    }
}

#[test]
fn shutdown_is_the_recycle_bin_for_every_charge_type_not_released_at_once() {
    let mut fleet = Fleet::new();
    let list: Vec<String> = [
        "UNDERWRITE",
        "CDHPAID",
        "SPOTPAID",
        "CDCPAID",
        "POSTPAID_BY_HOUR",
    ]
    .iter()
    .enumerate()
    .map(|(n, charge)| {
        let id = format!("ins-s{n:07}");
        fleet.add(std::slice::from_ref(&id), "SHUTDOWN", charge);
        id
    })
    .collect();
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    let kinds: Vec<OutcomeKind> = report
        .instances()
        .iter()
        .map(|i| i.outcome.kind())
        .collect();
    use OutcomeKind::*;
    assert_eq!(
        kinds,
        [Failed, Skipped, Skipped, Skipped, Failed],
        "{report}"
    );
    assert_eq!(
        codes(&report)[0].as_deref(),
        Some("FailClosed.UnknownChargeType")
    );
    assert_eq!(
        codes(&report)[4].as_deref(),
        Some("UnsupportedOperation.InstanceStateShutdown")
    );
    assert_eq!(fleet.terminates(), 0);
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn prepaid_at_preflight_stays_prepaid_whatever_a_later_read_says() {
    // Preflight: PREPAID. The answer is lost before acting; the resolving read says
    // pay-as-you-go and RUNNING. Never sent again, in this run or the next.
    let list = ids("p", 1);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.faults.push(Fault::LostBeforeActing);
    fleet.read_faults.push(ReadFault::Honest);
    fleet.read_faults.push(ReadFault::Field(
        "InstanceChargeType",
        Some("POSTPAID_BY_HOUR"),
    ));
    let (report, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    let o = &report.instances()[0].outcome;
    assert_eq!(o.kind(), OutcomeKind::Unknown, "{o}");
    assert!(o.message().unwrap().contains("ContradictoryRead"), "{o}");
    assert_eq!(fleet.terminates(), 1);
    // The next run reads pay-as-you-go too, twice: still never sent.
    for _ in 0..3 {
        fleet.read_faults.push(ReadFault::Field(
            "InstanceChargeType",
            Some("POSTPAID_BY_HOUR"),
        ));
    }
    let options = TerminateOptions::new().with_history(history(&journal));
    let (rerun, _, _) = terminate(&mut fleet, &list, &options);
    assert_eq!(fleet.terminates(), 1, "{rerun}");
    assert_eq!(
        rerun.instances()[0].outcome.code().cloned(),
        client(ClientCode::EarlierRequestMayHaveActed)
    );
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn a_read_lagging_behind_the_terminate_invites_no_second_one() {
    let list = ids("p", 2);
    // Accepted, then reads lag: the re-run trusts the journal, not the read.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.faults.push(Fault::StaleReads(100));
    let (run1, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    assert!(run1.all_terminated(), "{run1}");
    let requests = fleet.log.len();
    let options = TerminateOptions::new().with_history(history(&journal));
    let (rerun, _, _) = terminate(&mut fleet, &list, &options);
    assert!(rerun.all_terminated(), "{rerun}");
    assert_eq!(
        rerun.instances()[0].outcome.request_id(),
        run1.instances()[0].outcome.request_id()
    );
    assert_eq!(
        fleet.log.len(),
        requests,
        "the re-run sent nothing, read nothing"
    );
    // The answer lost, and reads lag: "untouched" is not believed, in either run.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.faults.push(Fault::LostAfterActingThenStale(100));
    let (run1, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(run1.unknown(), 2, "{run1}");
    let options = TerminateOptions::new().with_history(history(&journal));
    let (rerun, _, _) = terminate(&mut fleet, &list, &options);
    assert_eq!(rerun.unknown(), 2, "{rerun}");
    assert_eq!(fleet.terminates(), 1);
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn another_runs_terminate_in_progress_is_not_sent_again() {
    let list = ids("p", 1);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.machines.get_mut(&list[0]).unwrap().latest =
        Some(("TerminateInstances".into(), "rid-other-run".into()));
    fleet
        .read_faults
        .push(ReadFault::Field("LatestOperationState", Some("OPERATING")));
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    let o = &report.instances()[0].outcome;
    assert_eq!(
        o.code().cloned(),
        client(ClientCode::TerminateInProgress),
        "{o}"
    );
    assert!(o.message().unwrap().contains("rid-other-run"), "{o}");
    assert_eq!(fleet.terminates(), 0);
}

#[test]
fn a_batch_refused_after_acting_in_part_is_never_sent_again() {
    for names in [true, false] {
        let list = ids("p", 4);
        let mut fleet = Fleet::new();
        fleet.names_culprits = names;
        fleet.add(&list, "RUNNING", "PREPAID");
        fleet.faults.push(Fault::PartialBatch {
            acted: 2,
            code: "FailedOperation.Unreturnable",
        });
        let options = TerminateOptions::new().with_destroy_prepaid(true);
        let (report, events, _) = terminate(&mut fleet, &list, &options);
        assert_eq!(fleet.terminates(), 1, "names {names}: {report}");
        let kinds: Vec<OutcomeKind> = report
            .instances()
            .iter()
            .map(|i| i.outcome.kind())
            .collect();
        use OutcomeKind::*;
        let third = if names { Failed } else { Unknown };
        assert_eq!(kinds, [Terminated, Terminated, third, Unknown], "{report}");
        // The acted-on ones carry the refused request's RequestId, as read.
        assert_eq!(report.instances()[0].outcome.request_id(), Some("rid-0002"));
        assert_eq!(fleet.state(&list[0]), Some("SHUTDOWN"));
        one_event_each(&events, 4);
        nothing_destroyed_nothing_twice(&fleet, &[]);
    }
}

#[test]
fn a_failed_terminate_of_another_request_is_not_terminated() {
    let list = ids("a", 2);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.faults.push(Fault::LostBeforeActing);
    fleet.read_faults.push(ReadFault::Honest);
    fleet.read_faults.push(ReadFault::LatestOperationFailed);
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(report.unknown(), 2, "{report}");
    assert_eq!(report.terminated(), 0);
    assert_eq!(fleet.terminates(), 1);
}

#[test]
fn an_empty_set_whose_total_count_says_one_proves_nothing() {
    let list = ids("a", 1);
    // At the preflight: not "absent", not sent.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.read_faults.push(ReadFault::DropEntries);
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(
        codes(&report)[0].as_deref(),
        Some("FailClosed.InconsistentRead")
    );
    assert_eq!(fleet.terminates(), 0);
    // Resolving a lost answer: not "gone", so not terminated.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.faults.push(Fault::LostBeforeActing);
    fleet.read_faults.push(ReadFault::Honest);
    fleet.read_faults.push(ReadFault::DropEntries);
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    let o = &report.instances()[0].outcome;
    assert_eq!(o.kind(), OutcomeKind::Unknown, "{o}");
    assert!(o.message().unwrap().contains("InconsistentRead"), "{o}");
    // While waiting: that read ends nothing; the next, true one does.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.read_faults.push(ReadFault::Honest);
    fleet.read_faults.push(ReadFault::DropEntries);
    let options = TerminateOptions::new().with_wait(Duration::from_secs(30));
    let (report, _, _) = terminate(&mut fleet, &list, &options);
    let o = &report.instances()[0];
    assert!(
        o.outcome.message().unwrap().contains("recycle bin"),
        "{}",
        o.outcome
    );
    assert_eq!(fleet.count("DescribeInstances"), 3);
}

#[test]
fn an_id_not_asked_for_or_a_wrong_total_count_fails_the_whole_read() {
    for fault in [
        ReadFault::ExtraEntry("ins-zzzzzzzz"),
        ReadFault::TotalCount(5),
    ] {
        let list = ids("a", 3);
        let mut fleet = Fleet::new();
        fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
        fleet.read_faults.push(fault.clone());
        let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
        assert_eq!(report.failed(), 3, "{fault:?}");
        assert!(codes(&report)
            .iter()
            .all(|c| c.as_deref() == Some("FailClosed.InconsistentRead")));
        assert_eq!(fleet.terminates(), 0);
    }
}

#[test]
fn a_refusal_naming_no_instance_is_split_until_the_culprit_is_alone() {
    let good = ids("a", 6);
    let mut fleet = Fleet::new();
    fleet.names_culprits = false;
    fleet.add(&good, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.add(&["ins-unret001".to_owned()], "RUNNING", "POSTPAID_BY_HOUR");
    fleet.machines.get_mut("ins-unret001").unwrap().unreturnable = true;
    let mut list = good.clone();
    list.insert(3, "ins-unret001".to_owned());
    let (report, events, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(report.terminated(), 6, "{report}");
    let culprit = outcome(&report, "ins-unret001");
    assert_eq!(
        culprit.outcome.code(),
        Some(&ErrorCode::FailedOperationUnreturnable)
    );
    // 7 → 3 (accepted) + 4 → 2 (accepted) + 2 → 1 (accepted) + 1: the culprit alone.
    assert_eq!(fleet.terminates(), 7, "{:?}", fleet.actions());
    assert!(good.iter().all(|id| fleet.terminates_of(id) <= 4));
    one_event_each(&events, 7);
    nothing_destroyed_nothing_twice(&fleet, &[]);
    // A refusal that does not come back: every instance terminated after one split.
    let mut fleet = Fleet::new();
    fleet.add(&good, "RUNNING", "PREPAID");
    fleet
        .faults
        .push(Fault::RefuseUnnamed("FailedOperation.Unreturnable"));
    let (report, _, _) = terminate(&mut fleet, &good, &TerminateOptions::new());
    assert!(report.all_terminated(), "{report}");
    assert_eq!(fleet.terminates(), 3);
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn a_read_refused_because_of_one_id_fails_only_that_one() {
    let list = ids("a", 3);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet
        .read_faults
        .push(ReadFault::RefuseIfNamed("ins-a0000001"));
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(report.terminated(), 2, "{report}");
    let bad = outcome(&report, "ins-a0000001");
    assert_eq!(bad.outcome.code(), Some(&ErrorCode::UnauthorizedOperation));
    assert_eq!(fleet.terminates_of("ins-a0000001"), 0);
}

#[test]
fn a_crashed_run_is_finished_by_the_next_from_its_journal() {
    let list = ids("p", 300);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    let run = Termination::new(&list, &TerminateOptions::new(), Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    // Killed as its second TerminateInstances leaves: two batches acted, no answer read.
    drive.run_until(&mut fleet, |f| f.terminates() == 2);
    let mut lines: String = drive.journal.iter().map(JournalRecord::to_line).collect();
    lines.push_str(r#"{"v":1,"type":"intent","bat"#);
    let journal = crate::History::parse(lines.as_bytes()).unwrap();
    assert!(journal.torn_tail());
    drop(drive);
    let options = TerminateOptions::new().with_history(journal);
    let (rerun, events, _) = terminate(&mut fleet, &list, &options);
    assert!(rerun.all_terminated(), "{rerun}");
    // The crashed run's two batches are named by their RequestIds, as read.
    let crashed = rerun
        .instances()
        .iter()
        .filter(|i| {
            i.outcome
                .message()
                .is_some_and(|m| m.contains("earlier run"))
        })
        .count();
    assert_eq!(crashed, 200);
    assert_eq!(fleet.terminates(), 3);
    one_event_each(&events, 300);
    nothing_destroyed_nothing_twice(&fleet, &[]);
}

#[test]
fn rerunning_a_finished_run_sends_nothing_and_succeeds() {
    let list = ids("p", 150);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    let (run1, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    assert!(run1.all_terminated());
    let requests = fleet.log.len();
    let options = TerminateOptions::new().with_history(history(&journal));
    let (run2, _, elapsed) = terminate(&mut fleet, &list, &options);
    assert!(run2.all_terminated(), "{run2}");
    assert_eq!(fleet.log.len(), requests);
    assert_eq!(elapsed, Duration::ZERO);
    // Only the deliberate destroy sends them again, and only what is in the recycle bin.
    let (run3, _, _) = terminate(
        &mut fleet,
        &list,
        &options.clone().with_destroy_prepaid(true),
    );
    assert!(run3.all_terminated(), "{run3}");
    assert_eq!(fleet.destroyed.len(), 150);
    assert!(fleet.acted.values().all(|&n| n == 2), "one per run");
}
