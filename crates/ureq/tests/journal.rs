//! The journal on disk, end to end against the loopback emulator: a re-run reads
//! what an earlier one did (terminated: reported with its RequestId, not sent;
//! may have acted: never sent while prepaid), a torn last line is tolerated, a bad
//! line within refuses the journal, one run at a time holds a journal, and regions
//! side by side each keep their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tencentcloud_cvm_core::{
    Credentials, History, InstanceId, JournalEntry, OutcomeKind, TerminateOptions,
};
use tencentcloud_cvm_emulator::{
    ChargeType, Emulator, InstanceState, InstanceView, Server, ServerHandle,
};
use tencentcloud_cvm_ureq::{
    CancelToken, Client, Journal, JournalContents, JournalFileErrorKind, JournalOptions,
    ProxyConfig, Regions,
};

fn creds() -> Credentials {
    Credentials::new("AKIDjournalTest", "journal-test-key")
}

struct Setup {
    server: ServerHandle,
    terminates: Arc<AtomicUsize>,
}

/// `n` RUNNING instances `ins-000000NN` of `charge`, in every region.
fn start(n: usize, charge: ChargeType) -> Setup {
    let mut config = Emulator::builder().credential(creds());
    for i in 0..n {
        config = config
            .instance(InstanceView::new(format!("ins-{i:08}")).with_charge_type(charge.clone()));
    }
    let terminates = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&terminates);
    let server = Server::new(config.build().unwrap())
        .access_log(move |e| {
            if e.action.as_deref() == Some("TerminateInstances") {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        })
        .bind("127.0.0.1:0")
        .unwrap();
    Setup { server, terminates }
}

fn client(setup: &Setup, journal: Journal) -> Client {
    Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(setup.server.url())
        .credentials(creds())
        .http(|h| {
            h.proxy(ProxyConfig::None)
                .request_timeout(Duration::from_secs(10))
        })
        .journal(Arc::new(journal))
        .build()
        .unwrap()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{i:08}")).collect()
}

/// A directory of this test's own, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "tccvm-journal-test-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("ap-guangzhou.jsonl")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_rerun_reports_the_earlier_request_ids_and_sends_nothing() {
    let setup = start(250, ChargeType::Prepaid);
    let dir = Scratch::new("rerun");
    let first = client(&setup, Journal::open(dir.file()).unwrap());
    let report = first.terminate(ids(250), &TerminateOptions::new()).unwrap();
    assert!(report.all_terminated(), "{report}");
    first.journal().unwrap().check().unwrap();
    assert_eq!(setup.terminates.load(Ordering::SeqCst), 3);
    drop(first);

    // Every RequestId the run reported is on disk.
    let on_disk = JournalContents::read(&dir.file()).unwrap();
    for entry in report.instances() {
        let id: InstanceId = entry.id.clone();
        let prior = on_disk.history.prior(&id).unwrap();
        assert!(prior.terminated(), "{id}");
        assert_eq!(prior.request_ids(), [entry.outcome.request_id().unwrap()]);
    }
    assert!(on_disk.records.iter().all(|r| r.at.is_some()));

    let again = client(&setup, Journal::open(dir.file()).unwrap());
    let rerun = again.terminate(ids(250), &TerminateOptions::new()).unwrap();
    assert!(rerun.all_terminated(), "{rerun}");
    for (a, b) in report.instances().iter().zip(rerun.instances()) {
        assert_eq!(a.outcome.request_id(), b.outcome.request_id(), "{}", a.id);
    }
    assert_eq!(
        setup.terminates.load(Ordering::SeqCst),
        3,
        "nothing sent again"
    );
    setup.server.with_state(|e| {
        assert!(e.destroyed_from_recycle_bin().is_empty());
        assert!(e.terminated_more_than_once().is_empty());
    });
}

/// A prepaid instance's intent with no answer: a crash after it was written, when
/// the request may have left.
const OPEN_INTENT: &str = r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-00000000"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false,"at":1}"#;
const ACCEPTED: &str = r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-00000001"],"result":"accepted","request_id":"earlier-1","code":null,"message":null,"at":1}"#;

#[test]
fn a_torn_last_line_is_cut_off_and_a_possibly_acted_prepaid_instance_is_not_sent() {
    let setup = start(3, ChargeType::Prepaid);
    let dir = Scratch::new("torn");
    std::fs::create_dir_all(&dir.0).unwrap();
    let torn = &ACCEPTED[..60];
    std::fs::write(dir.file(), format!("{OPEN_INTENT}\n{ACCEPTED}\n{torn}")).unwrap();

    let journal = Journal::open(dir.file()).unwrap();
    assert_eq!(
        text(&dir.file()),
        format!("{OPEN_INTENT}\n{ACCEPTED}\n"),
        "the torn line is cut off, so the next record starts a line of its own"
    );
    let client = client(&setup, journal);
    let report = client.terminate(ids(3), &TerminateOptions::new()).unwrap();
    let outcome = |i: usize| &report.instances()[i].outcome;
    // May have acted, prepaid: never sent without --destroy-prepaid.
    assert_eq!(outcome(0).kind(), OutcomeKind::Unknown, "{report}");
    assert_eq!(
        outcome(0).code().unwrap().as_str(),
        "FailClosed.EarlierRequestMayHaveActed"
    );
    // Terminated by the earlier run: its RequestId, not sent.
    assert_eq!(outcome(1).kind(), OutcomeKind::Terminated);
    assert_eq!(outcome(1).request_id(), Some("earlier-1"));
    // Never sent before: sent now.
    assert_eq!(outcome(2).kind(), OutcomeKind::Terminated);
    assert_eq!(setup.terminates.load(Ordering::SeqCst), 1);
    let state = |id: &str| setup.server.with_state(|e| e.instance(id).unwrap().state);
    assert_eq!(state("ins-00000000"), InstanceState::Running);
    assert_eq!(state("ins-00000002"), InstanceState::Shutdown);
    // The file reads whole again, this run's records after the earlier ones.
    let history = History::parse(text(&dir.file()).as_bytes()).unwrap();
    assert!(!history.torn_tail());
    assert!(history.records() > 2);
}

#[test]
fn a_line_that_cannot_be_read_within_the_journal_refuses_it() {
    let dir = Scratch::new("corrupt");
    std::fs::create_dir_all(&dir.0).unwrap();
    let bad = format!("{OPEN_INTENT}\n{{\"v\":1,\"type\":\"intent\",\"batch\n{ACCEPTED}\n");
    std::fs::write(dir.file(), &bad).unwrap();
    let e = Journal::open(dir.file()).unwrap_err();
    assert_eq!(e.kind(), &JournalFileErrorKind::Unreadable);
    assert!(e.to_string().contains("must not start"), "{e}");
    assert!(
        std::error::Error::source(&e)
            .unwrap()
            .to_string()
            .contains("line 2"),
        "{e:?}"
    );
    assert_eq!(text(&dir.file()), bad, "left as it was");
    // The lock was let go: once the line is mended, the journal opens.
    std::fs::write(dir.file(), format!("{OPEN_INTENT}\n{ACCEPTED}\n")).unwrap();
    assert!(Journal::open(dir.file()).is_ok());
}

#[test]
fn one_opener_at_a_time_in_a_process() {
    let dir = Scratch::new("twice");
    let journal = Journal::open(dir.file()).unwrap();
    let e = Journal::open_with(
        dir.file(),
        &JournalOptions::new().with_lock_timeout(Duration::ZERO),
    )
    .unwrap_err();
    assert_eq!(e.kind(), &JournalFileErrorKind::AlreadyOpen);
    assert_eq!(
        text(journal.lock_path()).trim(),
        std::process::id().to_string(),
        "the holder's pid, for whoever waits"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.0), 0o700);
        assert_eq!(mode(&dir.file()), 0o600);
        assert_eq!(mode(journal.lock_path()), 0o600);
    }
    drop(journal);
    assert!(Journal::open(dir.file()).is_ok());
}

#[test]
fn a_grown_journal_is_compacted_when_opened_and_says_the_same() {
    let setup = start(300, ChargeType::PostpaidByHour);
    let dir = Scratch::new("compact");
    let first = client(&setup, Journal::open(dir.file()).unwrap());
    let report = first.terminate(ids(300), &TerminateOptions::new()).unwrap();
    assert!(report.all_terminated(), "{report}");
    drop(first);
    let before = JournalContents::read(&dir.file()).unwrap();
    let size = std::fs::metadata(dir.file()).unwrap().len();

    let _journal = Journal::open_with(
        dir.file(),
        &JournalOptions::new().with_rotate_above(size - 1),
    )
    .unwrap();
    let after = JournalContents::read(&dir.file()).unwrap();
    assert!(after.records.len() < before.records.len());
    assert_eq!(
        after.records.len(),
        300,
        "one record per terminated instance"
    );
    for (id, prior) in before.history.instances() {
        let now = after.history.prior(id).unwrap();
        assert!(now.terminated());
        assert_eq!(now.request_ids(), prior.request_ids());
    }
    assert!(after
        .records
        .iter()
        .all(|r| matches!(r.record.entry, JournalEntry::Outcome(_))));
}

#[test]
fn regions_side_by_side_each_keep_their_own_journal() {
    let mut config = Emulator::builder().credential(creds());
    for (i, zone) in ["ap-guangzhou-3", "ap-shanghai-2"].iter().enumerate() {
        for k in 0..120 {
            let view = InstanceView::new(format!("ins-{i}{k:07}"))
                .with_charge_type(ChargeType::Prepaid)
                .with_zone(*zone);
            config = config.instance(view);
        }
    }
    let server = Server::new(config.build().unwrap())
        .bind("127.0.0.1:0")
        .unwrap();
    let setup = Setup {
        server,
        terminates: Arc::new(AtomicUsize::new(0)),
    };
    let dir = Scratch::new("regions");
    let base = client(&setup, Journal::open(dir.0.join("base.jsonl")).unwrap());
    let names = ["ap-guangzhou", "ap-shanghai"];
    let regional: Vec<Client> = names
        .iter()
        .map(|r| {
            let journal = Journal::open(dir.0.join(format!("{r}.jsonl"))).unwrap();
            base.for_region(r, Some(&setup.server.url()))
                .unwrap()
                .with_journal(Arc::new(journal))
        })
        .collect();
    let regions = Regions::new(regional);
    let list: Vec<(String, Vec<String>)> = (0..2)
        .map(|i| {
            let ids = (0..120).map(|k| format!("ins-{i}{k:07}")).collect();
            (names[i].to_owned(), ids)
        })
        .collect();
    let reports = regions
        .terminate_ids(
            &list,
            &TerminateOptions::new(),
            &CancelToken::new(),
            |_, _| {},
        )
        .unwrap();
    for (region, report) in &reports {
        assert!(report.all_terminated(), "{region}: {report}");
        let journal = JournalContents::read(&dir.0.join(format!("{region}.jsonl"))).unwrap();
        let mut named: Vec<String> = journal
            .history
            .instances()
            .map(|(id, _)| id.to_string())
            .collect();
        named.sort();
        let mine: Vec<String> = report
            .instances()
            .iter()
            .map(|i| i.id.to_string())
            .collect();
        assert_eq!(named, mine, "{region}'s journal names its instances only");
    }
    // Nothing went to the journal of the client they were made from.
    assert!(text(&dir.0.join("base.jsonl")).is_empty());
}
