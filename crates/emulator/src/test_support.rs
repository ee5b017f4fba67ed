//! Test helpers: requests signed with the core's signer, time driven by hand.

use std::time::Duration;

use http::Request;
use serde_json::Value;
use tencentcloud_cvm_core::signing::{PayloadSigning, SignedHeaders, Signer, SigningParams};
use tencentcloud_cvm_core::Credentials;

use crate::emulator::config::EmulatorConfig;
use crate::emulator::handler::{Handled, ACTION, API_VERSION};
use crate::emulator::Emulator;
use crate::now::Now;
use tencentcloud_cvm_core::InstanceState;

pub(crate) const SECRET_ID: &str = "AKIDemulatortest";
pub(crate) const SECRET_KEY: &str = "emulator-test-key";
pub(crate) const HOST: &str = "127.0.0.1:9000";
pub(crate) const T0: u64 = 1_700_000_000;

pub(crate) fn creds() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
}

pub(crate) fn t0() -> Now {
    Now::new(T0, Duration::from_secs(1000))
}

pub(crate) fn emulator(config: EmulatorConfig) -> Emulator {
    config.credential(creds()).build().unwrap()
}

pub(crate) fn ids_body(ids: &[&str]) -> String {
    serde_json::json!({ "InstanceIds": ids }).to_string()
}

/// A request to sign; every field has a sensible default.
#[derive(Clone)]
pub(crate) struct Spec {
    pub(crate) creds: Credentials,
    /// The `Host` the request is sent to (and signed for).
    pub(crate) host: String,
    /// `X-TC-Region` (empty: none).
    pub(crate) region: String,
    /// `X-TC-Language`, if any.
    pub(crate) language: Option<String>,
    /// The service the signature's scope names.
    pub(crate) service: String,
    pub(crate) method: &'static str,
    pub(crate) query: String,
    pub(crate) content_type: String,
    pub(crate) action: String,
    pub(crate) version: String,
    pub(crate) timestamp: u64,
    pub(crate) body: Vec<u8>,
    pub(crate) signed_headers: SignedHeaders,
    pub(crate) unsigned: bool,
    pub(crate) token: Option<String>,
}

impl Spec {
    pub(crate) fn new(body: impl Into<Vec<u8>>) -> Self {
        Spec {
            creds: creds(),
            host: HOST.into(),
            region: "ap-guangzhou".into(),
            language: None,
            service: "cvm".into(),
            method: "POST",
            query: String::new(),
            content_type: "application/json".into(),
            action: ACTION.into(),
            version: API_VERSION.into(),
            timestamp: T0,
            body: body.into(),
            signed_headers: SignedHeaders::default(),
            unsigned: false,
            token: None,
        }
    }

    pub(crate) fn ids(ids: &[&str]) -> Self {
        Spec::new(ids_body(ids))
    }

    /// A request of `action` with this JSON body.
    pub(crate) fn action(action: &str, body: serde_json::Value) -> Self {
        let mut spec = Spec::new(body.to_string());
        spec.action = action.into();
        spec
    }

    pub(crate) fn authorization(&self) -> String {
        let params = SigningParams::builder()
            .method(if self.method == "GET" {
                tencentcloud_cvm_core::signing::Method::Get
            } else {
                tencentcloud_cvm_core::signing::Method::Post
            })
            .host(&self.host)
            .service(&self.service)
            .query(&self.query)
            .content_type(&self.content_type)
            .payload(&self.body)
            .action(&self.action)
            .timestamp(self.timestamp)
            .signed_headers(self.signed_headers)
            .payload_signing(if self.unsigned {
                PayloadSigning::Unsigned
            } else {
                PayloadSigning::Signed
            })
            .build()
            .unwrap();
        Signer::new()
            .sign(&params, &self.creds)
            .into_authorization()
    }

    pub(crate) fn build(&self) -> Request<Vec<u8>> {
        self.build_with_authorization(&self.authorization())
    }

    pub(crate) fn build_with_authorization(&self, authorization: &str) -> Request<Vec<u8>> {
        let host = &self.host;
        let uri = if self.query.is_empty() {
            format!("http://{host}/")
        } else {
            format!("http://{host}/?{}", self.query)
        };
        let mut b = Request::builder()
            .method(self.method)
            .uri(uri)
            .header("Host", host)
            .header("Content-Type", &self.content_type)
            .header("X-TC-Action", &self.action)
            .header("X-TC-Version", &self.version)
            .header("X-TC-Timestamp", self.timestamp.to_string())
            .header("Authorization", authorization);
        if !self.region.is_empty() {
            b = b.header("X-TC-Region", &self.region);
        }
        if let Some(language) = &self.language {
            b = b.header("X-TC-Language", language);
        }
        if self.unsigned {
            b = b.header("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD");
        }
        if let Some(t) = &self.token {
            b = b.header("X-TC-Token", t);
        }
        b.body(self.body.clone()).unwrap()
    }
}

pub(crate) fn envelope(handled: &Handled) -> Value {
    serde_json::from_slice(handled.response.body()).unwrap()
}

/// The error code of a response, or "OK"; checks the envelope matches the log.
pub(crate) fn code(handled: &Handled) -> String {
    let v = envelope(handled);
    let code = v["Response"]["Error"]["Code"]
        .as_str()
        .unwrap_or("OK")
        .to_owned();
    assert_eq!(code, handled.log.result);
    code
}

pub(crate) fn send(e: &mut Emulator, spec: &Spec, now: Now) -> String {
    code(&e.handle(&spec.build(), now))
}

pub(crate) fn state(e: &Emulator, id: &str) -> Option<InstanceState> {
    e.instance(id).map(|v| v.state)
}

/// The `Response` object of a success, after checking it is one.
pub(crate) fn answer(e: &mut Emulator, spec: &Spec, now: Now) -> Value {
    let h = e.handle(&spec.build(), now);
    assert_eq!(
        code(&h),
        "OK",
        "{}",
        String::from_utf8_lossy(h.response.body())
    );
    envelope(&h)["Response"].clone()
}
