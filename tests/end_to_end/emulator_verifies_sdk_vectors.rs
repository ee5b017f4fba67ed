//! The emulator against the official Python SDK, offline: every request the SDK signed
//! in the core's captured vectors (`crates/core/tests/vectors`) must verify and succeed.
//! The live check, the SDK talking to a running emulator, is the emulator's
//! `python_interop` test.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tencentcloud_cvm::http::Request;
use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{Emulator, Now};

#[test]
fn every_sdk_signed_vector_verifies() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/core/tests/vectors");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let inputs = &v["inputs"];
        let mut credentials = Credentials::new(
            inputs["secret_id"].as_str().unwrap(),
            inputs["secret_key"].as_str().unwrap(),
        );
        if let Some(token) = inputs["token"].as_str() {
            credentials = credentials.with_token(token);
        }
        let ids: Vec<&str> = inputs["instance_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect();
        let mut emulator = Emulator::builder()
            .credential(credentials)
            .seed(ids.iter().copied())
            .build()
            .unwrap();
        let mut request = Request::post(v["request"]["url"].as_str().unwrap());
        for h in v["request"]["headers"].as_array().unwrap() {
            request = request.header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
        }
        let request = request
            .body(v["request"]["body"].as_str().unwrap().as_bytes().to_vec())
            .unwrap();
        let now = Now::new(inputs["timestamp"].as_u64().unwrap(), Duration::ZERO);
        let handled = emulator.handle(&request, now);
        let envelope: Value = serde_json::from_slice(handled.response.body()).unwrap();
        assert!(
            envelope["Response"]["Error"].is_null(),
            "{}: {envelope}",
            path.display()
        );
        assert_eq!(handled.log.result, "OK", "{}", path.display());
        assert_eq!(handled.log.instance_count, ids.len(), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} vectors in {}", dir.display());
}
