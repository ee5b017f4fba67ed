//! tccli's files as tccli writes them, read from a directory.

use super::*;
use crate::credentials::vars;
use crate::test_support::TempDir;

/// What `tccli configure set secretId AKIDTESTID secretKey TESTKEY region ap-guangzhou`
/// wrote on an empty HOME (tccli 3.1.189.1; the `.configure` cut to three services).
const CREDENTIAL: &str =
    "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"SENTINEL-TCCLI-KEY\"\n}";
const CONFIGURE: &str = "{\n  \"_sys_param\": {\n    \"arrayCount\": 10,\n    \"output\": \"json\",\n    \"region\": \"ap-guangzhou\",\n    \"warning\": \"off\"\n  },\n  \"cvm\": {\n    \"endpoint\": \"cvm.tencentcloudapi.com\",\n    \"version\": \"2017-03-12\"\n  },\n  \"sts\": {\n    \"endpoint\": \"sts.tencentcloudapi.com\",\n    \"version\": \"2018-08-13\"\n  }\n}";

fn home(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("tccli-home");
    std::fs::create_dir_all(dir.path().join(".tccli")).unwrap();
    for (name, text) in files {
        dir.write(&format!(".tccli/{name}"), text);
    }
    dir
}

fn tccli(dir: &TempDir, extra: &[(&str, &str)]) -> TccliCredentials {
    let home = dir.path().display().to_string();
    let mut pairs: Vec<(String, String)> = vec![("HOME".into(), home)];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    TccliCredentials::with_lookup(move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

#[test]
fn keys_and_region_as_tccli_writes_them() {
    let dir = home(&[
        ("default.credential", CREDENTIAL),
        ("default.configure", CONFIGURE),
    ]);
    let source = tccli(&dir, &[]);
    let c = source.credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDTESTID");
    assert_eq!(c.secret_key().expose(), "SENTINEL-TCCLI-KEY");
    assert_eq!(source.region().unwrap().as_deref(), Some("ap-guangzhou"));
    assert!(!format!("{source:?} {c:?}").contains("SENTINEL"));
}

#[test]
fn the_profile_comes_from_our_variable_then_tcclis() {
    let other = CREDENTIAL.replace("AKIDTESTID", "AKIDci");
    let dir = home(&[
        ("default.credential", CREDENTIAL),
        ("ci.credential", &other),
    ]);
    let id = |extra: &[(&str, &str)]| {
        tccli(&dir, extra)
            .credentials()
            .unwrap()
            .secret_id()
            .to_owned()
    };
    assert_eq!(id(&[]), "AKIDTESTID");
    assert_eq!(id(&[("TCCLI_PROFILE", "ci")]), "AKIDci");
    assert_eq!(
        id(&[("TENCENTCLOUD_PROFILE", "default"), ("TCCLI_PROFILE", "ci")]),
        "AKIDTESTID"
    );
    assert_eq!(
        tccli(&dir, &[])
            .with_profile("ci")
            .credentials()
            .unwrap()
            .secret_id(),
        "AKIDci"
    );
}

#[test]
fn absent_is_not_configured_and_refusals_name_the_file() {
    let dir = home(&[]);
    let e = tccli(&dir, &[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(e.detail().contains("default.credential"), "{e}");
    let e = TccliCredentials::with_lookup(vars(&[]))
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    // Only a region: not configured here either.
    let dir = home(&[
        ("default.credential", "{}"),
        ("default.configure", CONFIGURE),
    ]);
    let e = tccli(&dir, &[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(e.detail().contains("holds no keys"), "{e}");
    let dir = home(&[(
        "default.credential",
        r#"{"type": "oauth", "secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-KEY", "expiresAt": 1}"#,
    )]);
    let e = tccli(&dir, &[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    let shown = e.to_string();
    assert!(shown.starts_with("credentials from tccli file "), "{shown}");
    assert!(
        shown.contains("default.credential: `type` is `oauth`"),
        "{shown}"
    );
    assert!(!shown.contains("SENTINEL"), "{shown}");
}

#[test]
fn cvm_role_type_asks_the_metadata_service() {
    let dir = home(&[("default.credential", "{\n  \"type\": \"cvm-role\"\n}")]);
    // No metadata service at this address: "not on a CVM", not a silent pass.
    let source = tccli(
        &dir,
        &[("TENCENTCLOUD_METADATA_ENDPOINT", "http://127.0.0.1:9")],
    );
    let e = source.credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
    assert!(e.detail().contains("cvm-role"), "{e}");
    assert!(e.detail().contains("no instance metadata service"), "{e}");
}

#[test]
fn the_client_builder_takes_tcclis_region() {
    let dir = home(&[
        ("default.credential", CREDENTIAL),
        ("default.configure", CONFIGURE),
    ]);
    let home = dir.path().display().to_string();
    let chain = crate::DefaultRegionChain::builder()
        .lookup(move |name| (name == "HOME").then(|| home.clone()))
        .system_credentials_file(dir.path().join("no-such-file"))
        .build();
    let found = chain.region().unwrap().unwrap();
    assert_eq!(found.region, "ap-guangzhou");
    assert!(
        found.source.to_string().starts_with("tccli's region in "),
        "{}",
        found.source
    );
    let client = crate::Client::builder()
        .region_chain(chain)
        .credentials(tencentcloud_cvm_core::Credentials::new("AKIDx", "k"))
        .build()
        .unwrap();
    assert_eq!(client.config().region(), "ap-guangzhou");
}
