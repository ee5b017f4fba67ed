//! One [`Signer`] shared by many threads, as the blocking client shares it:
//! every signature equals the one computed without any cache.

use tencentcloud_cvm_core::signing::{Signature, Signer, SigningKey, SigningParams};
use tencentcloud_cvm_core::Credentials;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn signer_is_send_and_sync() {
    assert_send_sync::<Signer>();
}

/// Many threads share one signer over more keys and request shapes than it
/// caches (3 secrets × 2 services × 3 days, 2 hosts × 2 actions), so hits,
/// misses, evictions and concurrent derivations of the same key all happen;
/// every signature must equal the one computed without any cache.
#[test]
fn one_signer_shared_by_many_threads_signs_like_no_cache() {
    const DAY: u64 = 86_400;
    let secrets = ["key-one", "key-two", "a-much-longer-third-secret-key-value"];
    let services = ["cvm", "sts"];
    let hosts = [
        "cvm.tencentcloudapi.com",
        "sts.ap-guangzhou.tencentcloudapi.com",
    ];
    let actions = ["TerminateInstances", "GetFederationToken"];
    let base = 1_700_000_000;
    let credentials: Vec<Credentials> = secrets
        .iter()
        .map(|s| Credentials::new("AKIDexample", *s))
        .collect();
    let params = |i: usize, body: &'static [u8]| {
        let timestamp = base + (i as u64 % 3) * DAY + (i as u64 % 7);
        SigningParams::builder()
            .host(hosts[i % 2])
            .action(actions[(i / 2) % 2])
            .service(services[(i / 3) % 2])
            .payload(body)
            .timestamp(timestamp)
            .build()
            .unwrap()
    };
    let bodies: [&'static [u8]; 2] = [b"{}", br#"{"InstanceIds":["ins-r8hr2upy"]}"#];
    let cases = 96;
    let expected: Vec<Signature> = (0..cases)
        .map(|i| {
            let p = params(i, bodies[i % 2]);
            let c = &credentials[i % secrets.len()];
            SigningKey::derive(c.secret_key(), p.date(), p.service()).sign(&p.string_to_sign())
        })
        .collect();

    let signer = Signer::new();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (signer, credentials, expected) = (&signer, &credentials, &expected);
            scope.spawn(move || {
                for round in 0..25 {
                    for k in 0..cases {
                        // Each thread walks the cases in its own order.
                        let i = (k * (2 * t + 1) + round) % cases;
                        let p = params(i, bodies[i % 2]);
                        let c = &credentials[i % secrets.len()];
                        assert_eq!(signer.signature(&p, c), expected[i], "case {i}");
                        if k % 17 == 0 {
                            assert_eq!(
                                signer.string_to_sign(&p).to_string(),
                                p.string_to_sign().to_string()
                            );
                        }
                    }
                }
            });
        }
    });
}
