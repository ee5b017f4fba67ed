//! Several runs side by side in one driver loop, against the emulator with one
//! listener per region (each an access endpoint of its own, throttled apart) or
//! one listener for all.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tencentcloud_cvm_core::{Credentials, ServiceConfig, TerminateOptions, Termination};
use tencentcloud_cvm_emulator::{Emulator, InstanceView, Server, ServerHandle};

use super::driver::drive_all;
use super::*;
use crate::ProxyConfig;

const REGIONS: [(&str, &str); 3] = [
    ("ap-guangzhou", "gz"),
    ("ap-shanghai", "sh"),
    ("ap-beijing", "bj"),
];

fn ids_of(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ins-{prefix}{i:06}")).collect()
}

/// The TerminateInstances the emulator handled, in order: (host, result).
type Handled = Arc<Mutex<Vec<(String, String)>>>;

/// The emulator with `n` instances in each region, on `listeners` addresses.
fn serve(n: usize, listeners: usize) -> (ServerHandle, Handled) {
    let mut emulator = Emulator::builder().credential(Credentials::new("AKIDsides", "sides-key"));
    for (region, prefix) in REGIONS {
        for id in ids_of(prefix, n) {
            emulator = emulator.instance(InstanceView::new(id).with_zone(format!("{region}-3")));
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let server = Server::new(emulator.build().unwrap())
        .access_log(move |e| {
            if e.action.as_deref() == Some("TerminateInstances") {
                let host = e.host.clone().unwrap_or_default();
                sink.lock().unwrap().push((host, e.result.clone()));
            }
        })
        .bind_all(vec!["127.0.0.1:0"; listeners])
        .unwrap();
    (server, log)
}

/// One run per region, the i-th to `urls[i % urls.len()]`, driven together.
fn side_by_side(server: &ServerHandle, n: usize) -> Vec<Termination> {
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(Credentials::new("AKIDsides", "sides-key"))
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let urls = server.urls();
    let runs = REGIONS
        .iter()
        .enumerate()
        .map(|(i, (region, prefix))| {
            let config = ServiceConfig::builder(*region)
                .endpoint_url(urls[i % urls.len()].as_str())
                .build()
                .unwrap();
            Termination::new(ids_of(prefix, n), &TerminateOptions::new(), Instant::now())
                .unwrap()
                .with_config(config)
        })
        .collect();
    let credentials = client.inner.credentials.credentials().ok();
    drive_all(
        &client.inner,
        runs,
        &[],
        credentials,
        &CancelToken::new(),
        &mut |_, _| {},
    )
}

#[test]
fn regions_on_their_own_endpoints_run_side_by_side() {
    let (server, log) = serve(1000, 3);
    let runs = side_by_side(&server, 1000);
    for run in runs {
        // An instance is visible only in its own region: sent anywhere else it
        // would have failed, not found.
        let report = run.into_report();
        assert!(report.all_terminated(), "{report}");
        assert_eq!(report.instances().len(), 1000);
    }
    let log = log.lock().unwrap();
    assert!(log.iter().all(|(_, result)| result == "OK"), "{log:?}");
    assert_eq!(server.with_state(|e| e.throttled("TerminateInstances")), 0);
    // Ten requests per endpoint, and they interleave: the last region's first
    // request came before the first region's last.
    let hosts: Vec<String> = server.addrs().iter().map(ToString::to_string).collect();
    for host in &hosts {
        assert_eq!(log.iter().filter(|(h, _)| h == host).count(), 10, "{host}");
    }
    let first_of_last = log.iter().position(|(h, _)| *h == hosts[2]).unwrap();
    let last_of_first = log.iter().rposition(|(h, _)| *h == hosts[0]).unwrap();
    assert!(first_of_last < last_of_first, "{log:?}");
}

#[test]
fn regions_through_one_endpoint_share_its_budget() {
    let (server, log) = serve(1000, 1);
    let runs = side_by_side(&server, 1000);
    for run in runs {
        assert!(run.into_report().all_terminated());
    }
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 30);
    assert!(log.iter().all(|(_, result)| result == "OK"), "{log:?}");
    assert_eq!(server.with_state(|e| e.throttled("TerminateInstances")), 0);
}
