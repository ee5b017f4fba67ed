//! Our signer against the official Python SDK (`tencentcloud-sdk-python-cvm`):
//! the vectors in `tests/vectors/*.json` were captured from its own code with
//! its clock pinned (see `tests/vectors/capture.py`). Fed the same inputs, our
//! signer must give the identical Authorization, and our request builder must
//! send the same parameters.

use std::path::PathBuf;

use serde_json::Value;
use tencentcloud_cvm_core::signing::{authorization_header, SignedHeaders, Signer, SigningParams};
use tencentcloud_cvm_core::{Credentials, Endpoint, Language, ServiceConfig, TerminateInstances};

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} missing"))
}

fn header<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str().unwrap())
}

fn credentials(inputs: &Value) -> Credentials {
    let c = Credentials::new(s(inputs, "secret_id"), s(inputs, "secret_key"));
    match inputs["token"].as_str() {
        Some(t) => c.with_token(t),
        None => c,
    }
}

#[test]
fn our_signer_gives_the_sdk_authorization() {
    let vectors = vectors();
    assert!(
        vectors.len() >= 12,
        "expected the captured vectors, found {}",
        vectors.len()
    );
    let signer = Signer::new();
    let mut dates = std::collections::BTreeSet::new();
    for (name, v) in &vectors {
        let inputs = &v["inputs"];
        assert_eq!(s(v, "signed_headers"), "content-type;host", "{name}");
        let body = s(&v["request"], "body");
        let params = SigningParams::builder()
            .host(s(inputs, "host"))
            .action(s(inputs, "action"))
            .content_type(s(v, "content_type"))
            .payload(body.as_bytes())
            .timestamp(inputs["timestamp"].as_u64().unwrap())
            .signed_headers(SignedHeaders::ContentTypeHost)
            .build()
            .unwrap();
        let creds = credentials(inputs);
        let signature = signer.signature(&params, &creds);
        assert_eq!(signature.as_str(), s(v, "signature"), "{name}");
        let authorization = authorization_header(
            creds.secret_id(),
            params.date(),
            params.service(),
            SignedHeaders::ContentTypeHost.as_str(),
            &signature,
        );
        assert_eq!(authorization, s(v, "authorization"), "{name}");
        assert_eq!(
            Some(authorization.as_str()),
            header(v, "Authorization"),
            "{name}"
        );
        dates.insert(params.date().to_string());
    }
    assert!(
        dates.contains("2023-11-14") && dates.contains("2023-11-15"),
        "both sides of midnight: {dates:?}"
    );
}

#[test]
fn our_requests_carry_the_same_parameters() {
    let signer = Signer::new();
    for (name, v) in vectors() {
        let inputs = &v["inputs"];
        let region = s(inputs, "region");
        let endpoint = if s(inputs, "host") == "cvm.tencentcloudapi.com" {
            Endpoint::Default
        } else {
            assert_eq!(
                s(inputs, "host"),
                format!("cvm.{region}.tencentcloudapi.com")
            );
            Endpoint::Regional
        };
        let config = ServiceConfig::builder(region)
            .endpoint(endpoint)
            .language(
                inputs["language"]
                    .as_str()
                    .map(|l| Language::parse(l).unwrap()),
            )
            .signed_headers(SignedHeaders::ContentTypeHost)
            .build()
            .unwrap();
        let ids: Vec<&str> = inputs["instance_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect();
        let mut request = TerminateInstances::new(&ids).unwrap();
        if let Some(b) = inputs["release_prepaid_data_disks"].as_bool() {
            request = request.with_release_prepaid_data_disks(b);
        }
        if let Some(b) = inputs["release_address"].as_bool() {
            request = request.with_release_address(b);
        }
        let timestamp = inputs["timestamp"].as_u64().unwrap();
        let ours = config
            .terminate_instances(&request, timestamp, &credentials(inputs), &signer)
            .unwrap();

        assert_eq!(ours.method(), s(&v["request"], "method"), "{name}");
        assert_eq!(ours.uri().to_string(), s(&v["request"], "url"), "{name}");
        for h in [
            "Host",
            "Content-Type",
            "X-TC-Action",
            "X-TC-Version",
            "X-TC-Region",
            "X-TC-Timestamp",
            "X-TC-Token",
            "X-TC-Language",
        ] {
            let theirs = header(&v, h);
            let mine = ours.headers().get(h).map(|x| x.to_str().unwrap());
            assert_eq!(mine, theirs, "{name}: {h}");
        }
        // Same parameters; the SDK writes `", "` separators, we write compact JSON.
        let theirs: Value = serde_json::from_str(s(&v["request"], "body")).unwrap();
        let mine: Value = serde_json::from_slice(ours.body()).unwrap();
        assert_eq!(mine, theirs, "{name}");
        // And our Authorization for our own bytes is what the SDK's algorithm gives for them.
        let auth = ours.headers()["authorization"].to_str().unwrap();
        assert!(
            auth.starts_with(
                &s(&v, "authorization")[..s(&v, "authorization").find("Signature=").unwrap()]
            ),
            "{name}"
        );
    }
}
