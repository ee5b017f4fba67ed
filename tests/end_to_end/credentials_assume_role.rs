//! STS AssumeRole end to end through the library: base keys and a role, the
//! emulator logs `AssumeRole`, then terminates signed by the assumed key; a
//! profile's `role_arn` through the default chain; and TKE OIDC
//! (`AssumeRoleWithWebIdentity`). (tccvm's own run of it is in `crates/cli/tests`.)

use crate::common;

use common::*;
use tencentcloud_cvm::{
    AssumeRoleCredentials, Client, Credentials, DefaultCredentialsChain, ProxyConfig,
    TerminateOptions, WebIdentityCredentials,
};
use tencentcloud_cvm_emulator::{Emulator, Server};

const BASE_ID: &str = "AKIDbaseE2E";
const BASE_KEY: &str = "base-key-e2e";
const ARN: &str = "qcs::cam::uin/100000000001:roleName/cleanup";

#[test]
fn the_library_builder_assumes_the_role_once() {
    let emulator = Emulator::builder()
        .credential(Credentials::new(BASE_ID, BASE_KEY))
        .instances(2)
        .build()
        .unwrap();
    let (log, sink) = access_log();
    let server = Server::new(emulator)
        .access_log(sink)
        .bind("127.0.0.1:0")
        .unwrap();
    let role = AssumeRoleCredentials::builder(Credentials::new(BASE_ID, BASE_KEY), ARN)
        .role_session_name("library-session")
        .duration_seconds(3600)
        .sts(|s| s.endpoint_url(server.url()))
        .build()
        .unwrap();
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(role)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    for id in ["ins-00000000", "ins-00000001"] {
        let report = client.terminate([id], &TerminateOptions::new()).unwrap();
        assert!(report.all_terminated(), "{report}");
    }
    let issued = server.with_state(|e| e.temporary_credentials());
    assert_eq!(issued.len(), 1);
    assert_eq!(
        issued[0].issued_for,
        format!("AssumeRole {ARN} session library-session")
    );
    assert!(issued[0].expires_at >= unix_now() + 3500);
    let entries = log.lock().unwrap().clone();
    let summary: Vec<(Option<String>, Option<String>)> = entries
        .iter()
        .map(|e| (e.action.clone(), e.secret_id.clone()))
        .collect();
    let assumed = Some(issued[0].secret_id.clone());
    assert_eq!(
        summary,
        [
            (Some("AssumeRole".into()), Some(BASE_ID.into())),
            (Some("DescribeInstances".into()), assumed.clone()),
            (Some("TerminateInstances".into()), assumed.clone()),
            (Some("DescribeInstances".into()), assumed.clone()),
            (Some("TerminateInstances".into()), assumed),
        ]
    );
}

#[test]
fn a_profile_role_arn_is_assumed_through_the_default_chain() {
    let emulator = Emulator::builder()
        .credential(Credentials::new(BASE_ID, BASE_KEY))
        .instances(1)
        .build()
        .unwrap();
    let (log, sink) = access_log();
    let server = Server::new(emulator)
        .access_log(sink)
        .bind("127.0.0.1:0")
        .unwrap();
    let dir = TempDir::new("profile-role");
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!("[default]\nsecret_id = {BASE_ID}\nsecret_key = {BASE_KEY}\nrole_arn = {ARN}\n"),
    )
    .unwrap();
    let (file, url) = (file.display().to_string(), server.url());
    let chain = DefaultCredentialsChain::with_lookup(move |name| match name {
        "TENCENTCLOUD_CREDENTIALS_FILE" => Some(file.clone()),
        "TENCENTCLOUD_STS_ENDPOINT" => Some(url.clone()),
        _ => None,
    });
    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.url())
        .credentials(chain)
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    let report = client
        .terminate(["ins-00000000"], &TerminateOptions::new())
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    let actions: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| e.action.clone())
        .collect();
    assert_eq!(
        actions,
        ["AssumeRole", "DescribeInstances", "TerminateInstances"]
    );
}

#[test]
fn tke_oidc_through_the_default_chain() {
    let emulator = Emulator::builder()
        .web_identity("tke-oidc", "oidc-token-e2e")
        .instances(1)
        .build()
        .unwrap();
    let (log, sink) = access_log();
    let server = Server::new(emulator)
        .access_log(sink)
        .bind("127.0.0.1:0")
        .unwrap();
    let dir = TempDir::new("tke");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "oidc-token-e2e\n").unwrap();
    let (token_file, url) = (token_file.display().to_string(), server.url());
    let chain = DefaultCredentialsChain::builder()
        .lookup(move |name| match name {
            "TKE_REGION" => Some("ap-guangzhou".into()),
            "TKE_PROVIDER_ID" => Some("tke-oidc".into()),
            "TKE_WEB_IDENTITY_TOKEN_FILE" => Some(token_file.clone()),
            "TKE_ROLE_ARN" => Some("qcs::cam::uin/100000000001:roleName/pod".into()),
            "TENCENTCLOUD_STS_ENDPOINT" => Some(url.clone()),
            _ => None,
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
    let report = client
        .terminate(["ins-00000000"], &TerminateOptions::new())
        .unwrap();
    assert!(report.all_terminated(), "{report}");
    let entries = log.lock().unwrap().clone();
    assert_eq!(
        entries[0].action.as_deref(),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(entries[0].secret_id, None, "unsigned");
    assert_eq!(entries[1].action.as_deref(), Some("DescribeInstances"));
    assert_eq!(entries[2].action.as_deref(), Some("TerminateInstances"));
    assert_eq!(entries[1].secret_id, entries[2].secret_id);
    assert!(entries[1]
        .secret_id
        .as_deref()
        .unwrap_or("")
        .starts_with("AKIDtmp"));

    // The explicit builder, with a token the provider did not issue: STS's error, named.
    let dir2 = TempDir::new("tke-bad");
    std::fs::write(dir2.path().join("token"), "forged").unwrap();
    let e = tencentcloud_cvm::ProvideCredentials::credentials(
        &WebIdentityCredentials::builder(
            "ap-guangzhou",
            "tke-oidc",
            dir2.path().join("token"),
            "qcs::cam::uin/100000000001:roleName/pod",
        )
        .sts(|s| s.endpoint_url(server.url()))
        .build()
        .unwrap(),
    )
    .unwrap_err();
    assert!(
        e.detail()
            .contains("InvalidParameter.WebIdentityTokenError"),
        "{e}"
    );
}
