//! Credentials from the CVM instance role, end to end over real sockets: no
//! keys in the environment, no profile file, the metadata service at the
//! emulator (`--cvm-role ops-role`), through the library. (tccvm's own run of
//! it is in `crates/cli/tests`.)

use crate::common;

use std::sync::{Arc, Barrier};

use common::*;
use tencentcloud_cvm::{
    Client, Credentials, DefaultCredentialsChain, ProvideCredentials, ProxyConfig, TerminateOptions,
};
use tencentcloud_cvm_emulator::{Emulator, Server};

const ROLE_PATH: &str = "metadata:/latest/meta-data/cam/security-credentials/";

#[test]
fn the_library_signs_with_the_role_key_and_its_token() {
    let emulator = Emulator::builder()
        .credential(Credentials::new("AKIDpermanent", "permanent-key"))
        .cvm_role("ops-role")
        .instances(3)
        .build()
        .unwrap();
    let (log, sink) = access_log();
    let server = Server::new(emulator)
        .access_log(sink)
        .bind("127.0.0.1:0")
        .unwrap();
    let url = server.url();
    let home = TempDir::new("cvm-lib");
    let home_path = home.path().display().to_string();
    let chain = DefaultCredentialsChain::builder()
        .lookup(move |name| match name {
            "TENCENTCLOUD_METADATA_ENDPOINT" => Some(url.clone()),
            "HOME" => Some(home_path.clone()),
            _ => None,
        })
        .system_credentials_file(home.path().join("no-system-file"))
        .build();
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(chain)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();

    let ids = ["ins-00000000", "ins-00000001", "ins-00000002"];
    let report = client.terminate(ids, &TerminateOptions::new()).unwrap();
    assert!(report.all_terminated(), "{report}");

    let issued = server.with_state(|e| e.temporary_credentials());
    assert_eq!(issued.len(), 1, "one key for the whole run: {issued:?}");
    assert_eq!(issued[0].issued_for, "cvm-role ops-role");
    let entries = log.lock().unwrap().clone();
    let lines: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
    let actions: Vec<&str> = entries.iter().filter_map(|e| e.action.as_deref()).collect();
    assert_eq!(
        actions,
        [
            ROLE_PATH.to_owned(),
            format!("{ROLE_PATH}ops-role"),
            "DescribeInstances".into(),
            "TerminateInstances".into()
        ],
        "{lines:#?}"
    );
    assert_eq!(entries[2].secret_id, entries[3].secret_id);
    let terminate = &entries[3];
    assert_eq!(terminate.result, "OK");
    // Signed with the temporary key: the emulator accepts it only with its token.
    assert_eq!(
        terminate.secret_id.as_deref(),
        Some(issued[0].secret_id.as_str())
    );
    assert!(
        lines[2].contains(&format!("secret_id={}", issued[0].secret_id)),
        "{}",
        lines[2]
    );
}

/// 8 threads share one client (one provider): one credentials request in all.
#[test]
fn eight_threads_share_one_metadata_request() {
    let emulator = Emulator::builder()
        .cvm_role("ops-role")
        .instances(8)
        .rate_limit(0)
        .build()
        .unwrap();
    let (log, sink) = access_log();
    let server = Server::new(emulator)
        .access_log(sink)
        .bind("127.0.0.1:0")
        .unwrap();
    let chain = DefaultCredentialsChain::builder()
        .lookup({
            let url = server.url();
            move |name| (name == "TENCENTCLOUD_METADATA_ENDPOINT").then(|| url.clone())
        })
        .system_credentials_file("/nonexistent/tccvm-credentials")
        .build();
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(chain)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (client, start) = (client.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let id = format!("ins-{i:08}");
                client.terminate([id], &TerminateOptions::new()).unwrap()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().all_terminated());
    }
    let entries = log.lock().unwrap().clone();
    let credential_requests = entries
        .iter()
        .filter(|e| e.action.as_deref() == Some(&format!("{ROLE_PATH}ops-role")))
        .count();
    assert_eq!(credential_requests, 1);
    assert_eq!(server.with_state(|e| e.temporary_credentials().len()), 1);
    let terminates = entries
        .iter()
        .filter(|e| e.action.as_deref() == Some("TerminateInstances") && e.result == "OK")
        .count();
    assert_eq!(terminates, 8);
}

/// A key that expired is answered with the service's code for it.
#[test]
fn an_expired_role_key_is_a_token_failure() {
    let emulator = EmulatorProcess::start(
        &[
            "--cvm-role",
            "ops-role",
            "--instances",
            "1",
            "--temp-credential-ttl",
            "0",
        ],
        PATIENCE,
    );
    let url = emulator.url.clone();
    let role = tencentcloud_cvm::CvmRoleCredentials::builder()
        .endpoint_url(url)
        .build();
    // The provider refuses to hand out a key that is already expired.
    let e = role.credentials().unwrap_err();
    assert!(e.detail().contains("expired"), "{e}");

    // Signed anyway with such a key, the service answers AuthFailure.TokenFailure.
    let body = ureq_get(&format!(
        "{}/latest/meta-data/cam/security-credentials/ops-role",
        emulator.url
    ));
    let key =
        tencentcloud_cvm::credentials::instance_metadata::parse_role_credentials(body.as_bytes())
            .unwrap();
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(&emulator.url)
        .credentials(key.into_credentials())
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let report = client
        .terminate(["ins-00000000"], &TerminateOptions::new())
        .unwrap();
    let outcome = &report.instances()[0].outcome;
    assert_eq!(
        outcome.code().map(|c| c.as_str()),
        Some("AuthFailure.TokenFailure"),
        "{report}"
    );
    assert!(emulator
        .log()
        .iter()
        .any(|l| l.contains("result=AuthFailure.TokenFailure")));
}

fn ureq_get(url: &str) -> String {
    use tencentcloud_cvm::transport::Transport;
    let transport = tencentcloud_cvm::transport::UreqTransport::builder()
        .proxy(ProxyConfig::None)
        .build()
        .unwrap();
    let response = transport
        .send(http::Request::get(url).body(Vec::new()).unwrap())
        .unwrap();
    text(response.body())
}
