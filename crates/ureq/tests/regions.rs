//! A selection over several regions, end to end against the loopback emulator and
//! its example fleet (`crates/emulator/fixtures/fleet.json`): each region read on
//! its own, the read being the preflight, and an instance found in two regions
//! (the emulator shows an instance without a placement in every region) never sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_cvm_core::{
    Credentials, OutcomeKind, RegionReads, Seen, Selection, TerminateOptions,
};
use tencentcloud_cvm_emulator::{Emulator, Fixture, InstanceState, Server, ServerHandle};
use tencentcloud_cvm_ureq::{CancelToken, Client, ProxyConfig, Regions};

fn creds() -> Credentials {
    Credentials::new("AKIDregionsTest", "regions-test-key")
}

/// The emulator with the fleet (and `extra` instances without a placement), and the
/// actions it was sent, with the region each named.
fn start(extra: usize) -> (ServerHandle, Arc<Mutex<Vec<String>>>) {
    // The emulator's own copy (`Fixture::example`): this crate's tests also run from its
    // package, unpacked alone, where the emulator's files are not on disk.
    let fixture = Fixture::example();
    let emulator = Emulator::builder()
        .credential(creds())
        .fixture(&fixture)
        .instances(extra)
        .build()
        .unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let server = Server::new(emulator)
        .access_log(move |e| {
            sink.lock()
                .unwrap()
                .push(e.action.clone().unwrap_or_default())
        })
        .bind("127.0.0.1:0")
        .unwrap();
    (server, log)
}

fn regions(server: &ServerHandle, names: &[&str]) -> Regions {
    let base = Client::builder()
        .region(names[0])
        .endpoint_url(server.url())
        .credentials(creds())
        .http(|h| {
            h.proxy(ProxyConfig::None)
                .request_timeout(Duration::from_secs(10))
        })
        .build()
        .unwrap();
    Regions::new(
        names
            .iter()
            .map(|r| base.for_region(r, Some(&server.url())).unwrap()),
    )
}

#[test]
fn a_tag_and_an_age_over_two_regions_terminate_exactly_what_they_select() {
    let (server, log) = start(0);
    let regions = regions(&server, &["ap-guangzhou", "ap-shanghai"]);
    let selection = Selection::builder()
        .tag("team=ci")
        .older_than("6h")
        .build()
        .unwrap();
    let cancel = CancelToken::new();
    let (reads, unplaced) = regions.read(&selection, None, &cancel).unwrap();
    assert!(unplaced.is_empty());
    let selected: Vec<Vec<String>> = reads
        .iter()
        .map(|r| {
            r.read
                .as_ref()
                .unwrap()
                .selected()
                .map(|i| i.instance_id.to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        selected,
        [
            vec!["ins-gzci0001", "ins-gzci0003", "ins-gzci0004"],
            vec!["ins-shci0001"]
        ]
    );
    let reads_sent = log.lock().unwrap().len();
    assert_eq!(reads_sent, 2, "one listing page per region");

    let reports = regions
        .terminate(
            reads,
            unplaced,
            &TerminateOptions::new(),
            &cancel,
            |_, _| {},
        )
        .unwrap();
    assert_eq!(reports.len(), 2);
    let (gz, sh) = (&reports[0], &reports[1]);
    assert_eq!(gz.0.as_deref(), Some("ap-guangzhou"));
    assert_eq!((gz.1.terminated(), gz.1.failed()), (2, 1));
    assert_eq!(sh.1.terminated(), 1);
    let protected =
        gz.1.instances()
            .iter()
            .find(|o| o.id.as_str() == "ins-gzci0004")
            .unwrap();
    assert_eq!(
        protected.outcome.code().unwrap().as_str(),
        "UnsupportedOperation.InstancesProtected"
    );
    // Nothing was read again: the listing was the preflight.
    let actions = log.lock().unwrap().clone();
    assert_eq!(
        actions.iter().filter(|a| *a == "DescribeInstances").count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "TerminateInstances")
            .count(),
        3
    );
    server.with_state(|e| {
        for id in ["ins-gzci0001", "ins-shci0001"] {
            assert_eq!(
                e.instance(id).unwrap().state,
                InstanceState::Terminating,
                "{id}"
            );
        }
        for id in [
            "ins-gzci0002",
            "ins-gzci0004",
            "ins-shci0002",
            "ins-bjci0001",
        ] {
            assert_eq!(
                e.instance(id).unwrap().state,
                InstanceState::Running,
                "{id}"
            );
        }
    });
}

#[test]
fn an_id_in_two_regions_is_never_sent_and_one_in_none_fails_not_found() {
    // ins-00000000 has no placement: the emulator shows it in every region, as a
    // broken service might.
    let (server, log) = start(1);
    let regions = regions(&server, &["ap-guangzhou", "ap-shanghai", "ap-beijing"]);
    let selection = Selection::by_ids(["ins-00000000", "ins-shci0002", "ins-zzzzzzzz"]).unwrap();
    let cancel = CancelToken::new();
    let (reads, unplaced) = regions.read(&selection, None, &cancel).unwrap();
    let placed: Vec<usize> = reads
        .iter()
        .map(|r| r.read.as_ref().unwrap().len())
        .collect();
    assert_eq!(placed, [0, 1, 0]);
    let codes: Vec<String> = unplaced
        .entries()
        .iter()
        .map(|e| match &e.seen {
            Seen::Failed { code, .. } => code.as_ref().unwrap().to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        codes,
        [RegionReads::AMBIGUOUS_REGION, "InvalidInstanceId.NotFound"]
    );
    let reports = regions
        .terminate(
            reads,
            unplaced,
            &TerminateOptions::new(),
            &cancel,
            |_, _| {},
        )
        .unwrap();
    let all: Vec<(Option<String>, String, OutcomeKind)> = reports
        .iter()
        .flat_map(|(region, report)| {
            report
                .instances()
                .iter()
                .map(move |o| (region.clone(), o.id.to_string(), o.outcome.kind()))
        })
        .collect();
    assert_eq!(
        all,
        [
            (
                Some("ap-shanghai".to_owned()),
                "ins-shci0002".to_owned(),
                OutcomeKind::Terminated
            ),
            (None, "ins-00000000".to_owned(), OutcomeKind::Failed),
            (None, "ins-zzzzzzzz".to_owned(), OutcomeKind::Failed),
        ]
    );
    let terminates = log
        .lock()
        .unwrap()
        .iter()
        .filter(|a| *a == "TerminateInstances")
        .count();
    assert_eq!(terminates, 1);
    server.with_state(|e| assert_eq!(e.termination_record("ins-00000000").requests, 0));
}

#[test]
fn the_regions_come_from_describe_regions_and_a_region_gets_its_own_endpoint() {
    let (server, _) = start(0);
    let base = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(creds())
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let listed = base.available_regions(&CancelToken::new()).unwrap();
    for r in ["ap-guangzhou", "ap-shanghai", "ap-beijing"] {
        assert!(listed.iter().any(|l| l == r), "{listed:?}");
    }
    let own = base.for_region("ap-beijing", None).unwrap();
    assert_eq!(own.config().host(), "cvm.ap-beijing.tencentcloudapi.com");
    // An unbounded selection is refused before anything is read.
    let e = base
        .read_selection(&Selection::empty(), None, &CancelToken::new())
        .unwrap_err();
    assert!(
        e.to_string().contains("no instance IDs and no filter"),
        "{e}"
    );
}
