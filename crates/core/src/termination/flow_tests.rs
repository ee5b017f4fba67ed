//! The safe flow on synthetic time against a small model of the service
//! (`flow_fleet`). The end-to-end tests run the same scenarios against the real
//! emulator over HTTP; `fail_closed_tests` runs the model's lies and lags.

use std::time::{Duration, Instant};

use super::flow_fleet::*;
use super::*;
use crate::http::service_config::ServiceConfig;
use crate::http::transport_error::TransportErrorKind;
use crate::model::client_code::ClientCode;
use crate::model::error_code::ErrorCode;
use crate::model::instance_state::InstanceState;
use crate::termination::report::OutcomeKind;

#[test]
fn a_bad_id_blocks_nothing_and_each_fails_with_its_own_code() {
    let good = ids("a", 100);
    let mut fleet = Fleet::new();
    fleet.add(&good, "RUNNING", "POSTPAID_BY_HOUR");
    fleet
        .add(&["ins-protect1".to_owned()], "RUNNING", "POSTPAID_BY_HOUR")
        .protect("ins-protect1");
    // The bad ones are in the first batch.
    let mut list = vec!["ins-protect1".to_owned(), "ins-missing1".to_owned()];
    list.extend(good.iter().cloned());
    let (report, events, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(report.terminated(), 100);
    let p = outcome(&report, "ins-protect1");
    assert_eq!(p.outcome.kind(), OutcomeKind::Failed);
    assert_eq!(
        p.outcome.code(),
        Some(&ErrorCode::UnsupportedOperationInstancesProtected)
    );
    assert_eq!(p.state, Some(InstanceState::Running));
    let m = outcome(&report, "ins-missing1");
    assert_eq!(
        m.outcome.code(),
        Some(&ErrorCode::InvalidInstanceIdNotFound)
    );
    assert!(!m.outcome.message().unwrap().contains("protect"));
    // Never sent: one request for the 100 good ones.
    assert_eq!(fleet.terminates(), 1);
    assert_eq!(fleet.terminates_of("ins-protect1"), 0);
    assert_eq!(fleet.state("ins-protect1"), Some("RUNNING"));
    one_event_each(&events, 102);
}

#[test]
fn a_rerun_skips_prepaid_instances_in_the_recycle_bin_until_told_to_destroy() {
    let prepaid = ids("p", 50);
    let mut fleet = Fleet::new();
    fleet.add(&prepaid, "RUNNING", "PREPAID");
    let (run1, _, _) = terminate(&mut fleet, &prepaid, &TerminateOptions::new());
    assert_eq!(run1.terminated(), 50);
    assert_eq!(fleet.terminates(), 1);
    assert!(prepaid.iter().all(|id| fleet.state(id) == Some("SHUTDOWN")));

    let (run2, _, _) = terminate(&mut fleet, &prepaid, &TerminateOptions::new());
    assert_eq!(run2.skipped(), 50, "{run2}");
    assert_eq!(
        fleet.terminates(),
        1,
        "the second run sent no TerminateInstances"
    );
    assert!(run2.all_done());
    assert_eq!(run2.instances()[0].state, Some(InstanceState::Shutdown));

    let (run3, _, _) = terminate(
        &mut fleet,
        &prepaid,
        &TerminateOptions::new().with_destroy_prepaid(true),
    );
    assert_eq!(run3.terminated(), 50);
    assert_eq!(fleet.terminates(), 2);
    assert!(
        prepaid.iter().all(|id| fleet.state(id).is_none()),
        "destroyed"
    );
}

#[test]
fn charge_types_are_never_mixed_in_one_request() {
    let postpaid = ids("a", 60);
    let prepaid = ids("p", 40);
    let mut fleet = Fleet::new();
    fleet.add(&postpaid, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.add(&prepaid, "STOPPED", "PREPAID");
    let list: Vec<String> = postpaid
        .iter()
        .zip(&prepaid)
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .chain(postpaid[40..].iter().cloned())
        .collect();
    let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
    assert!(report.all_terminated(), "{report}");
    assert_eq!(fleet.terminates(), 2);
}

#[test]
fn without_preflight_named_culprits_are_isolated_and_the_rest_resent() {
    let good = ids("a", 100);
    let mut fleet = Fleet::new();
    fleet.add(&good, "RUNNING", "POSTPAID_BY_HOUR");
    fleet
        .add(&["ins-protect1".to_owned()], "RUNNING", "POSTPAID_BY_HOUR")
        .protect("ins-protect1");
    let mut list = vec!["ins-protect1".to_owned(), "ins-missing1".to_owned()];
    list.extend(good[..98].iter().cloned());
    let (report, _, _) = terminate(
        &mut fleet,
        &list,
        &TerminateOptions::new().with_preflight(false),
    );
    assert_eq!(report.terminated(), 98);
    assert_eq!(
        outcome(&report, "ins-missing1").outcome.code(),
        Some(&ErrorCode::InvalidInstanceIdNotFound)
    );
    assert_eq!(
        outcome(&report, "ins-protect1").outcome.code(),
        Some(&ErrorCode::UnsupportedOperationInstancesProtected)
    );
    // Refused for the missing one, which is named; the rest read, which finds the
    // protected one; then accepted.
    assert_eq!(fleet.terminates(), 2);
    assert_eq!(
        fleet
            .log
            .iter()
            .filter(|(a, _)| a == "DescribeInstances")
            .count(),
        1
    );
    assert_eq!(fleet.state("ins-protect1"), Some("RUNNING"));
}

#[test]
fn unnamed_culprits_are_found_by_reading() {
    let good = ids("a", 50);
    let mut fleet = Fleet::new();
    fleet.names_culprits = false;
    fleet.add(&good, "RUNNING", "POSTPAID_BY_HOUR");
    fleet
        .add(&["ins-protect1".to_owned()], "RUNNING", "POSTPAID_BY_HOUR")
        .protect("ins-protect1");
    let mut list = good.clone();
    list.push("ins-protect1".to_owned());
    let (report, _, _) = terminate(
        &mut fleet,
        &list,
        &TerminateOptions::new().with_preflight(false),
    );
    assert_eq!(report.terminated(), 50);
    let p = outcome(&report, "ins-protect1");
    assert_eq!(
        p.outcome.code(),
        Some(&ErrorCode::UnsupportedOperationInstancesProtected)
    );
    assert_eq!(fleet.terminates(), 2);
    assert_eq!(
        fleet
            .log
            .iter()
            .filter(|(a, _)| a == "DescribeInstances")
            .count(),
        1
    );
}

#[test]
fn a_mixed_batch_without_preflight_is_split_by_charge_type() {
    let postpaid = ids("a", 50);
    let mut fleet = Fleet::new();
    fleet.add(&postpaid, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.add(&["ins-prepaid1".to_owned()], "RUNNING", "PREPAID");
    let mut list = postpaid.clone();
    list.push("ins-prepaid1".to_owned());
    let (report, _, _) = terminate(
        &mut fleet,
        &list,
        &TerminateOptions::new().with_preflight(false),
    );
    assert!(report.all_terminated(), "{report}");
    // The mixed one, then one per charge type.
    assert_eq!(fleet.terminates(), 3);
}

#[test]
fn an_answer_lost_after_acting_is_terminated_with_one_request() {
    for charge in ["POSTPAID_BY_HOUR", "PREPAID"] {
        let list = ids("a", 3);
        let mut fleet = Fleet::new();
        fleet.add(&list, "RUNNING", charge);
        fleet.faults.push(Fault::LostAfterActing);
        let (report, _, _) = terminate(&mut fleet, &list, &TerminateOptions::new());
        assert!(report.all_terminated(), "{charge}: {report}");
        assert_eq!(fleet.terminates(), 1, "{charge}");
        let o = &report.instances()[0].outcome;
        assert!(o.message().unwrap().contains("shows it acted"), "{o}");
        // The read found the RequestId the lost answer would have carried.
        assert_eq!(o.request_id(), Some("rid-0002"), "{charge}");
    }
}

#[test]
fn an_answer_lost_before_acting_is_resent_once_for_pay_as_you_go() {
    // Issue 17.3: at most one TerminateInstances per instance per run. The run that
    // lost the answer ends `unknown`; the next, with its journal, sends it once, only
    // after two reads at least the settle delay apart agree it is untouched.
    let list = ids("a", 3);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.faults.push(Fault::LostBeforeActing);
    let (run1, _, elapsed, journal) =
        terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(run1.unknown(), 3, "{run1}");
    assert_eq!(fleet.terminates(), 1);
    assert!(elapsed >= TIMEOUT + Duration::from_secs(2));
    let options = TerminateOptions::new().with_history(history(&journal));
    let (report, _, elapsed) = terminate(&mut fleet, &list, &options);
    assert!(report.all_terminated(), "{report}");
    assert_eq!(fleet.terminates(), 2);
    // The second only after two reads showed them untouched, the settle delay apart.
    assert_eq!(
        fleet.actions(),
        [
            "DescribeInstances",
            "TerminateInstances",
            "DescribeInstances",
            "DescribeInstances",
            "DescribeInstances",
            "TerminateInstances"
        ]
    );
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(fleet.acted_twice().is_empty());
}

#[test]
fn a_prepaid_instance_is_never_sent_twice() {
    let list = ids("p", 3);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "PREPAID");
    fleet.faults.push(Fault::LostBeforeActing);
    let (report, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    assert_eq!(fleet.terminates(), 1);
    let o = &report.instances()[0].outcome;
    // Issue 17.2: "verified untouched" carries its doubt (a read may lag).
    assert_eq!(o.kind(), OutcomeKind::Unknown);
    assert!(o.message().unwrap().contains("untouched"), "{o}");
    assert!(o.message().unwrap().contains("prepaid"), "{o}");
    assert!(list.iter().all(|id| fleet.state(id) == Some("RUNNING")));
    // Nor in a later run, whatever it reads.
    let options = TerminateOptions::new().with_history(history(&journal));
    let (rerun, _, _) = terminate(&mut fleet, &list, &options);
    assert_eq!(fleet.terminates(), 1, "{rerun}");
    assert_eq!(
        rerun.instances()[0].outcome.code(),
        Some(&ErrorCode::Client(ClientCode::EarlierRequestMayHaveActed))
    );
}

#[test]
fn a_resend_that_meets_the_first_call_acting_late_is_terminated() {
    // A re-run reads it untouched twice and sends it; the service answers that it is
    // already terminating: the first call, whose answer was lost, acted late.
    let list = ids("a", 1);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.faults.push(Fault::LostBeforeActing);
    let (_, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    let options = TerminateOptions::new().with_history(history(&journal));
    let run = Termination::new(&list, &options, Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    let creds = Credentials::new("AKIDflow", "flow-key");
    // Act on the instance behind the run's back, after its reads and before its send.
    loop {
        while drive.run.poll_event().is_some() {}
        while drive.run.poll_journal().is_some() {}
        if drive.run.is_finished() {
            break;
        }
        let unix = UNIX_START + (drive.now - drive.t0).as_secs();
        while let Some(t) = drive
            .run
            .poll_transmit(drive.now, unix, &creds, &mut drive.state)
        {
            if t.action == Action::TerminateInstances && fleet.terminates() == 1 {
                fleet.machines.get_mut(&list[0]).unwrap().state = "TERMINATING";
            }
            let answer = fleet
                .handle(&t.request)
                .ok_or_else(|| TransportError::new(TransportErrorKind::OutcomeUnknown, "lost"));
            drive
                .run
                .handle_response(t.token, answer, drive.now, &mut drive.state);
        }
        if let Some(wake) = drive.run.poll_timeout() {
            drive.now = drive.now.max(wake);
        }
        drive.run.handle_timeout(drive.now);
    }
    let report = drive.run.into_report();
    assert_eq!(report.terminated(), 1, "{report}");
    assert_eq!(fleet.terminates(), 2);
    assert!(report.instances()[0]
        .outcome
        .message()
        .unwrap()
        .contains("acted late"));
}

/// The stages the first of `list` goes through in a run, and its outcome.
fn stages_of_first(
    fleet: &mut Fleet,
    list: &[String],
    options: &TerminateOptions,
) -> (Vec<&'static str>, OutcomeKind) {
    let run = Termination::new(list, options, Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    drive.finish(fleet);
    let report = drive.run.into_report();
    (drive.stages, report.instances()[0].outcome.kind())
}

#[test]
fn an_instance_moves_through_the_stages_of_the_diagram() {
    use OutcomeKind::*;
    let wait = TerminateOptions::new().with_wait(Duration::from_secs(7));
    // Read, sent, waited for.
    let list = ids("a", 1);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    assert_eq!(
        stages_of_first(&mut fleet, &list, &wait),
        (
            vec!["Unread", "Ready", "Sent", "Waiting", "Ended"],
            Terminated
        )
    );
    // The answer lost before acting, read untouched: never sent again in the run.
    for charge in ["POSTPAID_BY_HOUR", "PREPAID"] {
        let mut fleet = Fleet::new();
        fleet.add(&list, "RUNNING", charge);
        fleet.faults.push(Fault::LostBeforeActing);
        assert_eq!(
            stages_of_first(&mut fleet, &list, &TerminateOptions::new()),
            (
                vec!["Unread", "Ready", "Sent", "Resolving", "Ended"],
                Unknown
            ),
            "{charge}"
        );
    }
    // The next run, with the journal: read, read again the settle delay later, sent.
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.faults.push(Fault::LostBeforeActing);
    let (_, _, _, journal) = terminate_journaled(&mut fleet, &list, &TerminateOptions::new());
    let rerun = wait.clone().with_history(history(&journal));
    assert_eq!(
        stages_of_first(&mut fleet, &list, &rerun),
        (
            vec!["Unread", "Confirming", "Ready", "Sent", "Waiting", "Ended"],
            Terminated
        )
    );
    // Without a preflight, in a batch refused for an unnamed culprit's sake: read,
    // found clean, sent again.
    let good = ids("b", 3);
    let mut fleet = Fleet::new();
    fleet.names_culprits = false;
    fleet.add(&good, "RUNNING", "POSTPAID_BY_HOUR");
    fleet
        .add(&["ins-protect1".to_owned()], "RUNNING", "POSTPAID_BY_HOUR")
        .protect("ins-protect1");
    let mut list = good.clone();
    list.push("ins-protect1".to_owned());
    assert_eq!(
        stages_of_first(
            &mut fleet,
            &list,
            &TerminateOptions::new().with_preflight(false)
        ),
        (
            vec!["Ready", "Sent", "Isolating", "Ready", "Sent", "Ended"],
            Terminated
        )
    );
    // Found absent by its preflight: never ready.
    let mut fleet = Fleet::new();
    assert_eq!(
        stages_of_first(&mut fleet, &ids("c", 1), &TerminateOptions::new()),
        (vec!["Unread", "Ended"], Failed)
    );
}

#[test]
fn waiting_ends_when_instances_are_gone_or_in_the_recycle_bin() {
    let postpaid = ids("a", 2);
    let prepaid = ids("p", 2);
    let mut fleet = Fleet::new();
    fleet.add(&postpaid, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.add(&prepaid, "RUNNING", "PREPAID");
    let list: Vec<String> = postpaid.iter().chain(&prepaid).cloned().collect();
    // Pay-as-you-go instances stay TERMINATING in this model: the wait times out for them.
    let options = TerminateOptions::new().with_wait(Duration::from_secs(7));
    let (report, events, elapsed) = terminate(&mut fleet, &list, &options);
    assert!(report.all_terminated());
    let p = outcome(&report, &prepaid[0]);
    assert_eq!(p.state, Some(InstanceState::Shutdown));
    assert!(p.outcome.message().unwrap().contains("recycle bin"));
    let a = outcome(&report, &postpaid[0]);
    assert_eq!(a.state, Some(InstanceState::Terminating));
    assert!(
        a.outcome.message().unwrap().contains("still TERMINATING"),
        "{:?}",
        a.outcome
    );
    assert!(
        elapsed >= Duration::from_secs(7) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Waiting { instances: 2 })));
    // Gone during the wait: instances disappear once terminated.
    let mut fleet = Fleet::new();
    fleet.add(&postpaid, "RUNNING", "POSTPAID_BY_HOUR");
    let mut run = Termination::new(&postpaid, &options, Instant::now()).unwrap();
    let mut state = ClientState::new(ServiceConfig::builder("ap-guangzhou").build().unwrap());
    let creds = Credentials::new("AKIDflow", "flow-key");
    let mut now = Instant::now();
    while !run.is_finished() {
        while run.poll_journal().is_some() {}
        while let Some(t) = run.poll_transmit(now, UNIX_START, &creds, &mut state) {
            let answer = fleet.handle(&t.request).unwrap();
            if t.action == Action::TerminateInstances {
                fleet.machines.clear();
            }
            run.handle_response(t.token, Ok(answer), now, &mut state);
        }
        if let Some(wake) = run.poll_timeout() {
            now = now.max(wake);
        }
        run.handle_timeout(now);
    }
    let report = run.into_report();
    assert!(report.all_terminated());
    assert!(report
        .instances()
        .iter()
        .all(|i| i.outcome.message() == Some("gone") && i.state.is_none()));
}

#[test]
fn a_preview_sends_no_terminate_and_plans_every_instance() {
    let postpaid = ids("a", 120);
    let prepaid = ids("p", 30);
    let binned = ids("s", 2);
    let mut fleet = Fleet::new();
    fleet.add(&postpaid, "RUNNING", "POSTPAID_BY_HOUR");
    fleet.add(&prepaid, "STOPPED", "PREPAID");
    fleet.add(&binned, "SHUTDOWN", "PREPAID");
    fleet.add(&["ins-pending1".to_owned()], "PENDING", "POSTPAID_BY_HOUR");
    let mut list: Vec<String> = postpaid
        .iter()
        .chain(&prepaid)
        .chain(&binned)
        .cloned()
        .collect();
    list.push("ins-pending1".to_owned());
    list.push("ins-missing1".to_owned());
    let run = Termination::preview(&list, &TerminateOptions::new(), Instant::now()).unwrap();
    let (run, events, _) = Drive::new(run).go(&mut fleet);
    let plan = run.into_plan();
    assert_eq!(fleet.terminates(), 0);
    assert_eq!(plan.entries().len(), 154);
    assert_eq!(plan.count(PlannedAction::Terminate), 150);
    assert_eq!(plan.count(PlannedAction::Skip), 2);
    assert_eq!(plan.count(PlannedAction::Fail), 2);
    // 30 prepaid at 12.34 each, pay-as-you-go 0.
    assert_eq!(plan.refund_total().unwrap().to_string(), "370.2");
    let missing = plan
        .entries()
        .iter()
        .find(|e| e.id.as_str() == "ins-missing1")
        .unwrap();
    assert_eq!(missing.code, Some(ErrorCode::InvalidInstanceIdNotFound));
    let pending = plan
        .entries()
        .iter()
        .find(|e| e.id.as_str() == "ins-pending1")
        .unwrap();
    assert_eq!(
        pending.code,
        Some(ErrorCode::UnsupportedOperationInstanceStatePending)
    );
    assert_eq!(pending.state().map(|s| s.as_str()), Some("PENDING"));
    // Only prepaid instances were priced: one inquiry for 30.
    let inquiries: Vec<usize> = fleet
        .log
        .iter()
        .filter(|(a, _)| a == "InquiryPriceTerminateInstances")
        .map(|(_, ids)| ids.len())
        .collect();
    assert_eq!(inquiries, [30]);
    let planned: usize = events
        .iter()
        .map(|e| match e {
            Event::Planned(list) => list.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(planned, 154);
    let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    let first = &json["instances"][0];
    assert_eq!(first["action"], "terminate");
    assert_eq!(first["refund"], serde_json::json!(0));
    assert_eq!(first["charge_type"], "POSTPAID_BY_HOUR");
}

#[test]
fn a_status_run_only_reads() {
    let list = ids("a", 250);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    let run = Termination::status(&list, Instant::now()).unwrap();
    let (run, _, _) = Drive::new(run).go(&mut fleet);
    let plan = run.into_plan();
    assert_eq!(plan.count(PlannedAction::Terminate), 250);
    assert!(fleet.log.iter().all(|(a, _)| a == "DescribeInstances"));
    assert_eq!(fleet.log.len(), 3);
}

#[test]
fn reads_and_terminates_overlap_and_the_terminate_limit_sets_the_pace() {
    let list = ids("a", 3000);
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    let run = Termination::new(&list, &TerminateOptions::new(), Instant::now()).unwrap();
    let (run, _, elapsed) = Drive::new(run).go(&mut fleet);
    let report = run.into_report();
    assert!(report.all_terminated());
    assert_eq!(fleet.terminates(), 30);
    // 30 TerminateInstances at 10 per guarded second: the last goes two guarded
    // windows after the first (2.20 s with the 100 ms guard; 2.10 s when the
    // guard was 50 ms and this bound 2.3 s).
    let window = Action::TerminateInstances.default_rate_limit().window();
    assert!(
        elapsed < window * 2 + Duration::from_millis(200),
        "{elapsed:?}"
    );
    // A batch went as soon as its own read was back, long before the last read.
    let first_terminate = fleet
        .log
        .iter()
        .position(|(a, _)| a == "TerminateInstances")
        .unwrap();
    let last_read = fleet
        .log
        .iter()
        .rposition(|(a, _)| a == "DescribeInstances")
        .unwrap();
    assert!(
        first_terminate < last_read,
        "terminates started before the reads ended"
    );
}

#[test]
fn a_refused_preflight_read_sends_nothing() {
    let list = ids("a", 3);
    let run = Termination::new(&list, &TerminateOptions::new(), Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    let creds = Credentials::new("AKIDflow", "flow-key");
    let t = drive
        .run
        .poll_transmit(drive.now, UNIX_START, &creds, &mut drive.state)
        .unwrap();
    assert_eq!(t.action, Action::DescribeInstances);
    let refused = http::Response::new(
        br#"{"Response":{"Error":{"Code":"UnauthorizedOperation","Message":"no read permission"},"RequestId":"r-9"}}"#.to_vec(),
    );
    drive
        .run
        .handle_response(t.token, Ok(refused), drive.now, &mut drive.state);
    assert!(drive.run.is_finished());
    let report = drive.run.into_report();
    assert_eq!(report.failed(), 3);
    let o = &report.instances()[0].outcome;
    assert_eq!(o.code(), Some(&ErrorCode::UnauthorizedOperation));
    assert!(o.message().unwrap().starts_with("not sent"), "{o}");
}

#[test]
fn a_cancel_during_preflight_sends_nothing() {
    let list = ids("a", 300);
    let run = Termination::new(&list, &TerminateOptions::new(), Instant::now()).unwrap();
    let mut drive = Drive::new(run);
    let creds = Credentials::new("AKIDflow", "flow-key");
    let t = drive
        .run
        .poll_transmit(drive.now, UNIX_START, &creds, &mut drive.state)
        .unwrap();
    drive.run.cancel();
    assert!(drive
        .run
        .poll_transmit(drive.now, UNIX_START, &creds, &mut drive.state)
        .is_none());
    let mut fleet = Fleet::new();
    fleet.add(&list, "RUNNING", "POSTPAID_BY_HOUR");
    let answer = fleet.handle(&t.request).unwrap();
    drive
        .run
        .handle_response(t.token, Ok(answer), drive.now, &mut drive.state);
    assert!(drive.run.is_finished());
    let report = drive.run.into_report();
    assert_eq!(report.not_sent(), 300);
    assert_eq!(fleet.terminates(), 0);
}
