//! The blocking client's public types that hold or load credentials, built with a
//! sentinel secret: no Debug, Display or error text may contain it. (The core's
//! own types are scanned in `crates/core/tests/secrets.rs`.)

use tencentcloud_cvm::{
    Client, Credentials, DefaultCredentialsChain, EnvironmentCredentials, ProfileFileCredentials,
    ProvideCredentials, ProxyConfig, TerminateOptions,
};

const KEY: &str = "SENTINEL-UREQ-KEY-55e1";
const TOKEN: &str = "SENTINEL-UREQ-TOKEN-0b7d";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains("SENTINEL"), "{what} leaks a secret: {text}");
}

fn env_with(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + Send + Sync {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn clients_and_providers_never_show_secrets() {
    let env = EnvironmentCredentials::with_lookup(env_with(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDpublic"),
        ("TENCENTCLOUD_SECRET_KEY", KEY),
        ("TENCENTCLOUD_SESSION_TOKEN", TOKEN),
    ]));
    let loaded = env.credentials().unwrap();
    assert_eq!(loaded.secret_key().expose(), KEY);
    assert_clean("EnvironmentCredentials", &format!("{env:?} {loaded:?}"));

    let chain = DefaultCredentialsChain::with_lookup(env_with(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDpublic"),
        ("TENCENTCLOUD_SECRET_KEY", KEY),
    ]));
    assert_clean(
        "DefaultCredentialsChain",
        &format!("{chain:?} {:?}", chain.credentials()),
    );

    // A malformed file whose bad line is the secret itself.
    let dir = std::env::temp_dir().join(format!("tccvm-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(&file, format!("[default]\nsecret_id = AKID\n{KEY}\n")).unwrap();
    let profile = ProfileFileCredentials::with_lookup(|_| None).path(&file);
    let err = profile.credentials().unwrap_err();
    assert_clean(
        "ProfileFileCredentials error",
        &format!("{err:?} {err} {profile:?}"),
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // Empty key variable: an error naming the variable, not a value.
    let empty = EnvironmentCredentials::with_lookup(env_with(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDpublic"),
        ("TENCENTCLOUD_SECRET_KEY", " "),
        ("TENCENTCLOUD_SESSION_TOKEN", TOKEN),
    ]));
    let err = empty.credentials().unwrap_err();
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_KEY"), "{err}");
    assert_clean("EnvironmentCredentials error", &format!("{err:?} {err}"));

    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(Credentials::new("AKIDpublic", KEY).with_token(TOKEN))
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    assert_clean("Client", &format!("{client:?}"));
    let requests = client
        .signed_requests(["ins-00000001"], &TerminateOptions::default())
        .unwrap();
    assert_clean("signed request", &format!("{requests:?}"));
}
