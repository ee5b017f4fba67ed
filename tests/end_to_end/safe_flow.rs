//! The safe terminate flow end to end: the blocking client against the
//! emulator on loopback, counting what reaches the service per action.
//!
//! - a re-run skips prepaid instances already in the recycle bin, and only the
//!   explicit option destroys them;
//! - one bad ID blocks nothing, and each fails with its own code;
//! - lost answers are resolved by reading, and a prepaid instance is never sent twice;
//! - a preview sends no TerminateInstances and prices every instance.

use crate::common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::service::Service;
use tencentcloud_cvm::{Credentials, OutcomeKind, PlannedAction, Report, TerminateOptions};
use tencentcloud_cvm_emulator::{ChargeType, Emulator, Fault, InstanceState, InstanceView};

fn creds() -> Credentials {
    Credentials::new("AKIDsafeFlow", "safe-flow-key")
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{prefix}{i:07}")).collect()
}

fn kinds(report: &Report) -> Vec<OutcomeKind> {
    report
        .instances()
        .iter()
        .map(|i| i.outcome.kind())
        .collect()
}

/// A quicker settle delay than the default 2 s, for lost answers.
fn options() -> TerminateOptions {
    TerminateOptions::new().with_settle_delay(Duration::from_millis(300))
}

#[test]
fn a_rerun_never_destroys_prepaid_instances_in_the_recycle_bin() {
    let prepaid = ids("p", 50);
    let mut config = Emulator::builder();
    for id in &prepaid {
        config =
            config.instance(InstanceView::new(id.clone()).with_charge_type(ChargeType::Prepaid));
    }
    let svc = Service::start(config, creds());
    let client = svc.client();

    let run1 = client.terminate(&prepaid, &options()).unwrap();
    assert_eq!(kinds(&run1), [OutcomeKind::Terminated; 50], "{run1}");
    assert_eq!(svc.count("TerminateInstances"), 1);
    assert!(prepaid
        .iter()
        .all(|id| svc.state(id) == Some(InstanceState::Shutdown)));

    // The same command again: read, found in the recycle bin, skipped.
    let run2 = client.terminate(&prepaid, &options()).unwrap();
    assert_eq!(kinds(&run2), [OutcomeKind::Skipped; 50], "{run2}");
    assert_eq!(
        svc.count("TerminateInstances"),
        1,
        "the re-run sent no TerminateInstances"
    );
    assert!(prepaid
        .iter()
        .all(|id| svc.state(id) == Some(InstanceState::Shutdown)));

    // Only the explicit option sends the destroying second call.
    let run3 = client
        .terminate(&prepaid, &options().with_destroy_prepaid(true))
        .unwrap();
    assert_eq!(kinds(&run3), [OutcomeKind::Terminated; 50], "{run3}");
    assert_eq!(svc.count("TerminateInstances"), 2);
    assert!(
        prepaid.iter().all(|id| svc.state(id).is_none()),
        "destroyed"
    );
}

#[test]
fn one_bad_id_blocks_nothing_and_each_fails_with_its_own_code() {
    let good = ids("g", 100);
    let svc = Service::start(
        Emulator::builder()
            .seed(good.iter().cloned())
            .instance(InstanceView::new("ins-protect1").with_termination_protection(true)),
        creds(),
    );
    // The bad ones come first, so they would share the first batch.
    let mut list = vec!["ins-protect1".to_owned(), "ins-missing1".to_owned()];
    list.extend(good.iter().cloned());
    for preflight in [true, false] {
        let report = svc
            .client()
            .terminate(&list, &options().with_preflight(preflight))
            .unwrap();
        let protect = &report.instances()[0].outcome;
        let missing = &report.instances()[1].outcome;
        assert_eq!(
            protect.code().map(|c| c.as_str()),
            Some("UnsupportedOperation.InstancesProtected"),
            "preflight {preflight}: {protect}"
        );
        assert_eq!(
            missing.code().map(|c| c.as_str()),
            Some("InvalidInstanceId.NotFound"),
            "preflight {preflight}: {missing}"
        );
        // Each message is about its own instance.
        assert!(!protect.message().unwrap().contains("missing"), "{protect}");
        assert!(!missing.message().unwrap().contains("protect"), "{missing}");
        assert_eq!(svc.state("ins-protect1"), Some(InstanceState::Running));
        if preflight {
            assert_eq!(report.terminated(), 100, "{report}");
            assert_eq!(
                svc.count("TerminateInstances"),
                1,
                "the bad ones were never sent"
            );
        } else {
            // The good ones were terminated by the first run: now each is refused
            // for its own state, and isolated like the bad ones.
            assert_eq!(report.terminated(), 0, "{report}");
            assert!(report.instances()[2..]
                .iter()
                .all(|i| i.outcome.code().is_some_and(
                    |c| c.as_str() == "UnsupportedOperation.InstanceStateTerminating"
                )));
        }
    }
}

#[test]
fn culprits_are_isolated_when_sent_blind() {
    let good = ids("g", 100);
    let svc = Service::start(
        Emulator::builder()
            .seed(good.iter().cloned())
            .instance(InstanceView::new("ins-protect1").with_termination_protection(true))
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
        creds(),
    );
    let mut list = vec![
        "ins-protect1".to_owned(),
        "ins-missing1".to_owned(),
        "ins-prepaid1".to_owned(),
    ];
    list.extend(good[..97].iter().cloned());
    let report = svc
        .client()
        .terminate(&list, &options().with_preflight(false))
        .unwrap();
    assert_eq!(report.terminated(), 98, "{report}");
    assert_eq!(report.failed(), 2);
    assert_eq!(svc.state("ins-protect1"), Some(InstanceState::Running));
    assert_eq!(svc.state("ins-prepaid1"), Some(InstanceState::Shutdown));
    // Refused once, for the missing one (named: it fails); the rest is read, which
    // finds the protected one and the charge types, and goes in one batch per type.
    let results = svc.results_of("TerminateInstances");
    assert_eq!(
        results,
        ["InvalidInstanceId.NotFound", "OK", "OK"],
        "{:?}",
        svc.actions()
    );
    assert_eq!(
        svc.actions(),
        [
            "TerminateInstances",
            "DescribeInstances",
            "TerminateInstances",
            "TerminateInstances"
        ]
    );
}

#[test]
fn an_answer_lost_after_acting_costs_one_request() {
    for charge in [ChargeType::PostpaidByHour, ChargeType::Prepaid] {
        let svc = Service::start(
            Emulator::builder()
                .instance(InstanceView::new("ins-00000001").with_charge_type(charge.clone())),
            creds(),
        );
        svc.server
            .inject_for("TerminateInstances", Fault::CloseAfterStateChange);
        let report = svc
            .client()
            .terminate(["ins-00000001"], &options())
            .unwrap();
        let o = &report.instances()[0].outcome;
        assert_eq!(o.kind(), OutcomeKind::Terminated, "{charge:?}: {o}");
        // The RequestId the lost answer carried, as the read found it.
        assert_eq!(o.request_id().map(str::len), Some(36), "{o}");
        assert_eq!(svc.count("TerminateInstances"), 1, "{charge:?}");
        assert_eq!(
            svc.actions(),
            [
                "DescribeInstances",
                "TerminateInstances",
                "DescribeInstances"
            ]
        );
    }
}

#[test]
fn an_answer_lost_before_acting_is_sent_again_only_after_a_read_for_pay_as_you_go() {
    // At most one TerminateInstances per instance per run (issue 17.3): the run that
    // lost the answer ends `unknown`; the next one, given its journal, sends it again
    // only after two reads, the settle delay apart, show it untouched.
    let svc = Service::start(Emulator::builder().instances(3), creds());
    svc.server
        .inject_for("TerminateInstances", Fault::CloseBeforeStateChange);
    let list = ["ins-00000000", "ins-00000001", "ins-00000002"];
    let run1 = svc.terminate_journaled(&list, &options());
    assert_eq!(
        kinds(&run1.report),
        [OutcomeKind::Unknown; 3],
        "{}",
        run1.report
    );
    let run2 = svc.terminate_journaled(&list, &options().with_history(run1.history()));
    assert!(run2.report.all_terminated(), "{}", run2.report);
    assert_eq!(
        svc.actions(),
        [
            "DescribeInstances",
            "TerminateInstances",
            "DescribeInstances",
            "DescribeInstances",
            "DescribeInstances",
            "TerminateInstances"
        ],
        "the second only after reads showed them untouched"
    );
}

#[test]
fn a_prepaid_instance_is_never_sent_a_second_time() {
    let svc = Service::start(
        Emulator::builder()
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid)),
        creds(),
    );
    svc.server
        .inject_for("TerminateInstances", Fault::CloseBeforeStateChange);
    let report = svc
        .client()
        .terminate(["ins-prepaid1"], &options())
        .unwrap();
    let o = &report.instances()[0];
    // Unknown, not failed: a read showing it untouched may lag behind the terminate,
    // and "verified untouched" must not invite a destroying re-run (issue 17.2).
    assert_eq!(o.outcome.kind(), OutcomeKind::Unknown, "{}", o.outcome);
    assert!(
        o.outcome.message().unwrap().contains("untouched"),
        "{}",
        o.outcome
    );
    assert_eq!(o.state, Some(InstanceState::Running));
    assert_eq!(svc.count("TerminateInstances"), 1);
    assert_eq!(svc.state("ins-prepaid1"), Some(InstanceState::Running));
}

#[test]
fn a_preview_sends_no_terminate_and_plans_every_instance() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let svc = Service::start(
        Emulator::builder()
            .instances(2)
            .instance(
                InstanceView::new("ins-prepaid1")
                    .with_charge_type(ChargeType::Prepaid)
                    .with_expired_time(now + 15 * 86_400),
            )
            .instance(
                InstanceView::new("ins-binned01")
                    .with_charge_type(ChargeType::Prepaid)
                    .with_state(InstanceState::Shutdown),
            )
            .instance(InstanceView::new("ins-protect1").with_termination_protection(true)),
        creds(),
    );
    let list = [
        "ins-00000000",
        "ins-00000001",
        "ins-prepaid1",
        "ins-binned01",
        "ins-protect1",
        "ins-missing1",
    ];
    let plan = svc
        .client()
        .preview(list, &TerminateOptions::new())
        .unwrap();
    assert_eq!(svc.count("TerminateInstances"), 0);
    assert_eq!(svc.count("InquiryPriceTerminateInstances"), 1);
    let actions: Vec<PlannedAction> = plan.entries().iter().map(|e| e.action).collect();
    use PlannedAction::*;
    assert_eq!(actions, [Terminate, Terminate, Terminate, Skip, Fail, Fail]);
    let refunds: Vec<String> = plan
        .entries()
        .iter()
        .map(|e| e.refund.as_ref().map_or("-".into(), |r| r.to_string()))
        .collect();
    // Half a month left at 100.00 a month: about 50.
    assert_eq!(refunds[..2], ["0", "0"]);
    let prepaid_refund: f64 = refunds[2].parse().unwrap();
    assert!((49.0..=50.0).contains(&prepaid_refund), "{refunds:?}");
    assert_eq!(refunds[3..], ["-", "-", "-"]);
    let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    let entry = &json["instances"][2];
    assert_eq!(entry["action"], "terminate");
    assert_eq!(entry["state"], "RUNNING");
    assert_eq!(entry["charge_type"], "PREPAID");
    assert!(entry["refund"].is_number());
    assert_eq!(
        json["instances"][4]["code"],
        "UnsupportedOperation.InstancesProtected"
    );
    assert_eq!(svc.state("ins-prepaid1"), Some(InstanceState::Running));
}

#[test]
fn waiting_reports_the_state_each_instance_reached() {
    let svc = Service::start(
        Emulator::builder()
            .instances(2)
            .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
            .terminating_for(Duration::from_millis(500)),
        creds(),
    );
    let list = ["ins-00000000", "ins-00000001", "ins-prepaid1"];
    let report = svc
        .client()
        .terminate(list, &options().with_wait(Duration::from_secs(20)))
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    let gone = &report.instances()[0];
    assert_eq!(gone.outcome.message(), Some("gone"));
    assert_eq!(gone.state, None);
    let binned = &report.instances()[2];
    assert_eq!(binned.state, Some(InstanceState::Shutdown));
    assert!(binned.outcome.request_id().is_some());
}

#[test]
fn status_reads_and_sends_nothing_else() {
    let svc = Service::start(Emulator::builder().instances(150), creds());
    let list: Vec<String> = (0..150).map(|i| format!("ins-{i:08}")).collect();
    let plan = svc.client().status(&list).unwrap();
    assert_eq!(plan.count(PlannedAction::Terminate), 150);
    assert_eq!(svc.actions(), ["DescribeInstances", "DescribeInstances"]);
}
