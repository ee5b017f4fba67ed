//! A custom transport plugged into the client: a recording layer that logs each
//! request's method, URL and size, in front of an in-memory fake CVM service.
//! Runs offline: `cargo run --example custom_transport`.
//!
//! The client still batches, rate-limits, signs and retries, with up to 10
//! requests in flight on its own threads; only the one IO step is replaced.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tencentcloud_cvm::http;
use tencentcloud_cvm::transport::{Transport, TransportError};
use tencentcloud_cvm::{Client, Credentials, TerminateOptions};

/// Logs every request (method, URL, body size; never header values) and
/// delegates to `inner`.
struct Recording<T> {
    inner: T,
    log: Mutex<Vec<String>>,
}

impl<T: Transport> Transport for Recording<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let line = format!(
            "{} {} ({} bytes)",
            request.method(),
            request.uri(),
            request.body().len()
        );
        let result = self.inner.send(request);
        let status = match &result {
            Ok(r) => r.status().to_string(),
            Err(e) => e.to_string(),
        };
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(format!("{line} -> {status}"));
        result
    }
}

/// Describes every instance asked about as running and pay-as-you-go (the
/// client reads them before terminating), answers every well-formed
/// TerminateInstances with success, and counts the instances it was asked to
/// terminate.
#[derive(Default)]
struct FakeCvm {
    requests: AtomicUsize,
    instances: AtomicUsize,
}

impl Transport for FakeCvm {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let body: serde_json::Value = serde_json::from_slice(request.body())
            .map_err(|e| TransportError::outcome_unknown("fake: bad body").with_source(e))?;
        let ids = body["InstanceIds"].as_array().cloned().unwrap_or_default();
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("fake-request-{n}");
        let action = request.headers().get("x-tc-action");
        let answer = if action.is_some_and(|a| a == "DescribeInstances") {
            let set: Vec<serde_json::Value> = ids
                .iter()
                .map(|id| {
                    serde_json::json!({ "InstanceId": id, "InstanceState": "RUNNING",
                                        "InstanceChargeType": "POSTPAID_BY_HOUR" })
                })
                .collect();
            serde_json::json!({ "Response": { "TotalCount": set.len(), "InstanceSet": set,
                                              "RequestId": request_id } })
        } else {
            self.instances.fetch_add(ids.len(), Ordering::Relaxed);
            serde_json::json!({ "Response": { "RequestId": request_id } })
        };
        Ok(http::Response::new(answer.to_string().into_bytes()))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let transport = std::sync::Arc::new(Recording {
        inner: FakeCvm::default(),
        log: Mutex::new(Vec::new()),
    });
    let client = Client::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::new("AKIDexample", "example-key"))
        .transport(transport.clone())
        .build()?;

    let ids: Vec<String> = (0..250).map(|i| format!("ins-{i:08}")).collect();
    let report = client.terminate(&ids, &TerminateOptions::default())?;

    for line in transport
        .log
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
    {
        println!("{line}");
    }
    println!(
        "the fake service saw {} request(s) for {} instance(s)",
        transport.inner.requests.load(Ordering::Relaxed),
        transport.inner.instances.load(Ordering::Relaxed)
    );
    println!("{report}");
    assert!(report.all_terminated());
    Ok(())
}
