//! The example fleet (`fixtures/fleet.json`), which the READMEs use: what it holds, and
//! the selection an operator makes from it (CI machines older than six hours, in two of
//! its three regions) made with DescribeInstances' own Filters.

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_emulator::{
    ChargeType, CreatedTime, Emulator, Fixture, InstanceState, IsolatedSource, Server,
};

const FLEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fleet.json");

#[test]
fn the_example_fleet_holds_what_the_docs_promise() {
    let fixture = Fixture::load(FLEET).unwrap();
    let instances = fixture.instances();
    let regions: BTreeSet<&str> = instances.iter().filter_map(|v| v.region()).collect();
    assert_eq!(
        regions,
        BTreeSet::from(["ap-beijing", "ap-guangzhou", "ap-shanghai"])
    );
    assert!(instances.iter().all(|v| v.zone.is_some()));
    let teams: BTreeSet<&str> = instances.iter().filter_map(|v| v.tag("team")).collect();
    assert_eq!(teams, BTreeSet::from(["ci", "web"]));
    assert!(instances.iter().all(|v| v.tag("team").is_some()));
    let ages: BTreeSet<Option<CreatedTime>> = instances.iter().map(|v| v.created_time).collect();
    assert_eq!(
        ages,
        BTreeSet::from([
            Some(CreatedTime::Ago(Duration::from_secs(2 * 86_400))),
            Some(CreatedTime::Ago(Duration::from_secs(3_600))),
        ])
    );
    let protected: Vec<&str> = instances
        .iter()
        .filter(|v| v.termination_protection)
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(protected, ["ins-gzci0004"]);
    let prepaid = instances
        .iter()
        .filter(|v| v.charge_type == ChargeType::Prepaid)
        .count();
    assert!(prepaid >= 2, "{prepaid} prepaid");
    let recycled: Vec<&str> = instances
        .iter()
        .filter(|v| {
            v.charge_type == ChargeType::Prepaid
                && v.state == InstanceState::Shutdown
                && v.isolated_source == IsolatedSource::Manmade
        })
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(recycled, ["ins-shweb001"]);
    let others: BTreeSet<&str> = instances
        .iter()
        .map(|v| v.charge_type.as_str())
        .filter(|c| !["PREPAID", "POSTPAID_BY_HOUR"].contains(c))
        .collect();
    assert_eq!(
        others,
        BTreeSet::from(["CDHPAID", "SPOTPAID", "UNDERWRITE"])
    );
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time, as the creation-time filters take it.
fn beijing(unix: u64) -> String {
    format_utc(unix + 8 * 3600)
        .replace('T', " ")
        .replace('Z', "")
}

#[test]
fn ci_machines_older_than_six_hours_in_two_regions() {
    let fixture = Fixture::load(FLEET).unwrap();
    let emulator = Emulator::builder()
        .credential(creds())
        .fixture(&fixture)
        .build()
        .unwrap();
    let server = Server::start(emulator, "127.0.0.1:0").unwrap();
    let six_hours_ago = beijing(unix_now() - 6 * 3600);
    let select = |region: &str| {
        let answer = call_in(
            server.addr(),
            region,
            "DescribeInstances",
            serde_json::json!({"Filters": [
                {"Name": "tag:team", "Values": ["ci"]},
                {"Name": "creation-end-time", "Values": [six_hours_ago]}
            ], "Limit": 100}),
        )
        .json();
        let set = answer["Response"]["InstanceSet"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(answer["Response"]["TotalCount"], set.len());
        set.iter()
            .map(|i| i["InstanceId"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        select("ap-guangzhou"),
        ["ins-gzci0001", "ins-gzci0003", "ins-gzci0004"]
    );
    assert_eq!(select("ap-shanghai"), ["ins-shci0001"]);
    assert_eq!(select("ap-beijing"), ["ins-bjci0001"]);
    // Terminating them: the protected one is refused, the rest go (the prepaid one to
    // the recycle bin), one charge type per request.
    for (region, ids, code) in [
        ("ap-guangzhou", &["ins-gzci0001"][..], "OK"),
        ("ap-guangzhou", &["ins-gzci0003"], "OK"),
        (
            "ap-guangzhou",
            &["ins-gzci0004"],
            "UnsupportedOperation.InstancesProtected",
        ),
        ("ap-shanghai", &["ins-shci0001"], "OK"),
        (
            "ap-guangzhou",
            &["ins-shci0002"],
            "InvalidInstanceId.NotFound",
        ),
    ] {
        let r = call_in(
            server.addr(),
            region,
            "TerminateInstances",
            serde_json::json!({ "InstanceIds": ids }),
        );
        assert_eq!(r.code(), code, "{ids:?}");
    }
    server.with_state(|e| {
        assert_eq!(
            e.instance("ins-gzci0003").map(|v| v.state),
            Some(InstanceState::Shutdown)
        );
        assert_eq!(
            e.instance("ins-gzci0002").map(|v| v.state),
            Some(InstanceState::Running)
        );
        assert!(e.destroyed_from_recycle_bin().is_empty());
        assert_eq!(e.termination_records().len(), 5);
    });
}
