//! The blocking client's public types that hold or load credentials, built with a
//! sentinel secret: no Debug, Display or error text may contain it. (The core's
//! own types are scanned in `crates/core/tests/public_api/secrets.rs`.)

use tencentcloud_cvm::{
    Client, Credentials, DefaultCredentialsChain, EnvironmentCredentials, ProfileFileCredentials,
    ProvideCredentials, ProxyConfig, TccliCredentials, TerminateOptions,
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
    let profile = ProfileFileCredentials::with_lookup(|_| None).with_path(&file);
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

    // tccli's credential file: keys with a token, then ones it cannot honour.
    let tccli_dir =
        std::env::temp_dir().join(format!("tccvm-secrets-tccli-{}", std::process::id()));
    std::fs::create_dir_all(&tccli_dir).unwrap();
    let keys = format!(
        "{{\n  \"secretId\": \"AKIDpublic\",\n  \"secretKey\": \"{KEY}\",\n  \"token\": \"{TOKEN}\"\n}}"
    );
    std::fs::write(tccli_dir.join("default.credential"), &keys).unwrap();
    let tccli = TccliCredentials::with_lookup(|_| None).with_dir(&tccli_dir);
    let loaded = tccli.credentials().unwrap();
    assert_eq!(loaded.token().unwrap().expose(), TOKEN);
    let chain = DefaultCredentialsChain::builder()
        .lookup(|_| None)
        .system_credentials_file(tccli_dir.join("none"))
        .tccli_dir(&tccli_dir)
        .build();
    let from_chain = chain.credentials().unwrap();
    assert_eq!(from_chain.secret_key().expose(), KEY);
    assert_clean(
        "TccliCredentials",
        &format!("{tccli:?} {loaded:?} {chain:?} {from_chain:?}"),
    );
    for refused in [
        keys.replace("\"token\"", "\"type\": \"oauth\", \"token\""),
        keys.replace(KEY, &format!("{KEY}\\r\\n")),
        keys.replace("\"secretId\": \"AKIDpublic\",", ""),
        format!("{{\"secretKey\": \"{KEY}"),
    ] {
        std::fs::write(tccli_dir.join("default.credential"), &refused).unwrap();
        let e = tccli.credentials().unwrap_err();
        assert!(e.to_string().contains("default.credential"), "{e}");
        assert_clean("TccliCredentials error", &format!("{e:?} {e}"));
    }
    std::fs::remove_dir_all(&tccli_dir).unwrap();

    let client = Client::builder()
        .region("ap-guangzhou")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(Credentials::new("AKIDpublic", KEY).with_token(TOKEN))
        .http(|h| h.proxy(ProxyConfig::None))
        .build()
        .unwrap();
    assert_clean("Client", &format!("{client:?}"));
    let requests = client
        .signed_requests(["ins-00000001"], &TerminateOptions::new())
        .unwrap();
    assert_clean("signed request", &format!("{requests:?}"));
}

/// Every log line (any level, any crate: ureq's included) while this binary runs.
static LOGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOGS.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }
    fn flush(&self) {}
}

/// The CVM role, AssumeRole and TKE OIDC, against the emulator over real
/// sockets, with trace logging on: neither the sentinel base key and OIDC
/// token nor the temporary keys and tokens the emulator issued appear in any
/// Debug, Display, error or log line.
#[test]
fn temporary_credentials_never_show_secrets() {
    use tencentcloud_cvm::{AssumeRoleCredentials, CvmRoleCredentials, WebIdentityCredentials};
    use tencentcloud_cvm_emulator::{Emulator, Server};

    const OIDC: &str = "SENTINEL-OIDC-TOKEN-3e9f";
    const ARN: &str = "qcs::cam::uin/100000000001:roleName/ops";
    if log::set_logger(&Capture).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
    let emulator = Emulator::builder()
        .credential(Credentials::new("AKIDbase", KEY))
        .cvm_role("ops-role")
        .web_identity("tke", OIDC)
        .instances(4)
        .build()
        .unwrap();
    let server = Server::start(emulator, "127.0.0.1:0").unwrap();
    let url = server.url();
    let dir = std::env::temp_dir().join(format!("tccvm-secrets-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("token"), OIDC).unwrap();

    let cvm = std::sync::Arc::new(CvmRoleCredentials::builder().endpoint_url(&url).build());
    let assumed = std::sync::Arc::new(
        AssumeRoleCredentials::builder(Credentials::new("AKIDbase", KEY), ARN)
            .sts(|s| s.endpoint_url(&url))
            .build()
            .unwrap(),
    );
    let tke = std::sync::Arc::new(
        WebIdentityCredentials::builder("ap-guangzhou", "tke", dir.join("token"), ARN)
            .sts(|s| s.endpoint_url(&url))
            .build()
            .unwrap(),
    );
    let providers: [(&str, std::sync::Arc<dyn ProvideCredentials>); 3] = [
        ("CvmRoleCredentials", cvm.clone()),
        ("AssumeRoleCredentials", assumed.clone()),
        ("WebIdentityCredentials", tke.clone()),
    ];
    let mut shown = Vec::new();
    let mut secrets = vec![KEY.to_owned(), OIDC.to_owned()];
    for (i, (name, provider)) in providers.iter().enumerate() {
        let client = Client::builder()
            .region("ap-guangzhou")
            .endpoint_url(&url)
            .credentials(provider.clone())
            .http(|h| h.proxy(ProxyConfig::None))
            .build()
            .unwrap();
        let report = client
            .terminate([format!("ins-{i:08}")], &TerminateOptions::new())
            .unwrap();
        assert!(report.all_terminated(), "{name}: {report}");
        let used = provider.credentials().unwrap();
        secrets.push(used.secret_key().expose().to_owned());
        secrets.push(used.token().unwrap().expose().to_owned());
        shown.push(format!(
            "{name}: {provider:?} {used:?} {client:?} {report} {}",
            report.to_json()
        ));
    }

    // Failures, each around a secret: an unknown base key, a forged OIDC token,
    // a metadata role that does not exist.
    let refused = AssumeRoleCredentials::builder(Credentials::new("AKIDunknown", KEY), ARN)
        .sts(|s| s.endpoint_url(&url))
        .build()
        .unwrap();
    std::fs::write(dir.join("forged"), format!("{OIDC}-forged")).unwrap();
    let forged = WebIdentityCredentials::builder("ap-guangzhou", "tke", dir.join("forged"), ARN)
        .sts(|s| s.endpoint_url(&url))
        .build()
        .unwrap();
    let no_role = CvmRoleCredentials::builder()
        .endpoint_url(&url)
        .role_name("other-role")
        .build();
    for (name, provider) in [
        ("AssumeRole error", &refused as &dyn ProvideCredentials),
        ("web identity error", &forged),
        ("CVM role error", &no_role),
    ] {
        let e = provider.credentials().unwrap_err();
        shown.push(format!("{name}: {e:?} {e} {provider:?}"));
    }
    std::fs::remove_dir_all(&dir).unwrap();

    let logs = LOGS.lock().unwrap_or_else(|p| p.into_inner()).join("\n");
    assert!(!logs.is_empty(), "trace logging was captured");
    let all = format!("{}\n{logs}", shown.join("\n"));
    for secret in &secrets {
        assert!(!all.contains(secret.as_str()), "a secret leaks:\n{all}");
    }
    assert_clean("temporary credentials", &all);

    // Encoded forms too. ureq's protocol layer dumps every byte it sends and
    // receives as hex at TRACE (target `ureq_proto`), 16 bytes a line, which
    // no library under it can prevent; the README documents it and tccvm
    // filters it out. Everything else, ours and other crates', is searched
    // for the hex of each secret as well.
    let elsewhere: Vec<&str> = all
        .lines()
        .filter(|line| !line.starts_with("TRACE ureq_proto"))
        .collect();
    let elsewhere = elsewhere.join("\n");
    for secret in &secrets {
        let lower: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        for form in [lower.clone(), lower.to_uppercase()] {
            assert!(
                !elsewhere.contains(&form),
                "a secret leaks hex-encoded:\n{elsewhere}"
            );
        }
    }
}
