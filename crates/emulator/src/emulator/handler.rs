//! The pure request handler: request and time in, response and log entry out. The
//! checks every request passes live here; each action's own are in `actions`.

use http::{Method, Request};

use crate::actions::{self, Call};
use crate::api::access_log::AccessLogEntry;
use crate::api::auth::{shown, Verifier};
use crate::api::error::ApiError;
use crate::api::params::Params;
use crate::api::request_headers;
use crate::api::response;
use crate::credential_services::Verification;
use crate::emulator::Emulator;
use crate::faults::answer;
use crate::faults::Fault;
use crate::now::Now;
use crate::throttle;

/// The action the emulator was first built for (it also serves `DescribeInstances`,
/// `DescribeInstancesStatus` and `InquiryPriceTerminateInstances`).
pub const ACTION: &str = "TerminateInstances";
/// The CVM API version it implements.
pub const API_VERSION: &str = "2017-03-12";

/// What [`Emulator::handle`] produced: the response and its access-log entry.
#[derive(Debug)]
#[non_exhaustive]
pub struct Handled {
    /// The HTTP response: status 200, `Content-Type: application/json`, a `Date`
    /// header and the JSON envelope with a fresh RequestId.
    pub response: http::Response<Vec<u8>>,
    /// What the access log records about the request.
    pub log: AccessLogEntry,
}

impl Emulator {
    /// Handles one request at time `now`.
    ///
    /// Pure apart from drawing random RequestIds: it reads no clock and does no I/O,
    /// and it never panics, whatever the request. Checks run in this order, the first
    /// failure answering:
    ///
    /// | check | error code |
    /// | --- | --- |
    /// | body size ≤ limit | `RequestSizeLimitExceeded` |
    /// | method is GET or POST | `UnsupportedProtocol` |
    /// | `X-TC-Action`, `X-TC-Version`, `X-TC-Timestamp`, `Authorization`, `Host` present | `MissingParameter` |
    /// | the action is one the emulator implements | `InvalidAction` |
    /// | the version is the action's (`2017-03-12`) | `NoSuchVersion` |
    /// | timestamp is a decimal number | `InvalidParameter` |
    /// | signature (see below) | `AuthFailure.*` |
    /// | ≤ the action's rate limit in the second up to its arrival, for this endpoint (`Host`) and SecretId | `RequestLimitExceeded` |
    /// | parameters readable (JSON object, or form fields) | `InvalidParameter` |
    /// | then the action's own checks and effect | see each action |
    ///
    /// The actions: `TerminateInstances` (all of its instances change, or none),
    /// `DescribeInstances`, `DescribeInstancesStatus` (by ID and/or paged; absent IDs
    /// are simply not returned) and `InquiryPriceTerminateInstances` (refunds from the
    /// prepaid time left; nothing changes). Each action's parameters are checked in
    /// this order: unknown names (`UnknownParameter`), types (`InvalidParameter`), then
    /// values with the core's rules (`InstanceIdList`, `Page`), then the instances.
    ///
    /// Signature checks: `Authorization` parses and signs at least `content-type` and
    /// `host` (`AuthFailure.InvalidAuthorization`); the SecretId is known
    /// (`AuthFailure.SecretIdNotFound`); the timestamp is within the clock skew
    /// (`AuthFailure.SignatureExpire`); the scope is `<UTC date of timestamp>/cvm/tc3_request`
    /// and the signature matches (`AuthFailure.SignatureFailure`); the token matches when
    /// the credential has one (`AuthFailure.TokenFailure`).
    pub fn handle(&mut self, request: &Request<Vec<u8>>, now: Now) -> Handled {
        self.handle_faulted(request, now, None)
    }

    /// Handles one request at time `now` under `fault`, as a [`Server`](crate::Server)
    /// does for the request that takes an injected fault: read faults rewrite a
    /// successful read's answer, action faults change what the request does (see
    /// [`Fault`] for each). Transport faults (`Delay`, `CloseAfterStateChange`, …) need
    /// a connection: here the request is handled as without a fault.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use tencentcloud_cvm_core::Credentials;
    /// # use tencentcloud_cvm_core::signing::{Signer, SigningParams};
    /// use tencentcloud_cvm_emulator::{Emulator, Fault, Now};
    /// # let creds = Credentials::new("AKIDexample", "example-key");
    /// let mut emulator = Emulator::builder().credential(creds.clone()).instances(1).build()?;
    /// # let now = Now::new(1_700_000_000, Duration::ZERO);
    /// # let body = br#"{"InstanceIds":["ins-00000000"]}"#;
    /// # let params = SigningParams::builder().host("127.0.0.1").action("DescribeInstances")
    /// #     .payload(body).timestamp(now.unix_seconds()).build()?;
    /// # let auth = Signer::new().sign(&params, &creds);
    /// # let request = http::Request::post("http://127.0.0.1/")
    /// #     .header("Host", "127.0.0.1").header("Content-Type", "application/json")
    /// #     .header("X-TC-Action", "DescribeInstances").header("X-TC-Version", "2017-03-12")
    /// #     .header("X-TC-Timestamp", now.unix_seconds().to_string())
    /// #     .header("Authorization", auth.authorization()).body(body.to_vec())?;
    /// // `request`: a signed DescribeInstances of ins-00000000.
    /// let handled = emulator.handle_with_fault(&request, now, &Fault::TotalCount(7));
    /// let answer: serde_json::Value = serde_json::from_slice(handled.response.body())?;
    /// assert_eq!(answer["Response"]["TotalCount"], 7);
    /// assert_eq!(answer["Response"]["InstanceSet"].as_array().map(Vec::len), Some(1));
    /// assert_eq!(handled.log.fault, Some("TotalCount"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_with_fault(
        &mut self,
        request: &Request<Vec<u8>>,
        now: Now,
        fault: &Fault,
    ) -> Handled {
        let mut handled = self.handle_faulted(request, now, Some(fault));
        handled.log.fault = Some(fault.name());
        handled
    }

    fn handle_faulted(
        &mut self,
        request: &Request<Vec<u8>>,
        now: Now,
        fault: Option<&Fault>,
    ) -> Handled {
        self.advance(now);
        // The instance metadata service and STS answer on the same listener.
        let verification = Verification {
            credentials: &self.credentials,
            signer: &self.signer,
            clock_skew: self.clock_skew,
        };
        if let Some(handled) = self.credential_services.serve(request, now, verification) {
            return handled;
        }
        let mut log = AccessLogEntry::for_request(request, now);
        let mut outcome = self.process(request, now, &mut log, fault);
        if let (Some(fault), Ok(body)) = (fault, &mut outcome)
            && fault.is_read_fault()
        {
            *body = answer::rewrite(fault, std::mem::take(body), &response::request_id());
        }
        response::respond(outcome, log, now)
    }

    /// The response to a request of `action` refused before it could be read whole
    /// (body too large).
    pub(crate) fn refuse_oversized(&self, action: Option<String>, now: Now) -> Handled {
        let log = AccessLogEntry::new(now, action, response::request_id());
        response::respond(Err(self.too_large()), log, now)
    }

    fn too_large(&self) -> ApiError {
        ApiError::new(
            "RequestSizeLimitExceeded",
            format!(
                "The request body exceeds the size limit of {} bytes.",
                self.body_limit
            ),
        )
    }

    fn process(
        &mut self,
        request: &Request<Vec<u8>>,
        now: Now,
        log: &mut AccessLogEntry,
        fault: Option<&Fault>,
    ) -> Result<Vec<u8>, ApiError> {
        if request.body().len() > self.body_limit {
            return Err(self.too_large());
        }
        let method = request.method();
        if method != Method::POST && method != Method::GET {
            return Err(ApiError::new(
                "UnsupportedProtocol",
                format!(
                    "The HTTP method `{}` is not supported; use POST or GET.",
                    shown(method.as_str())
                ),
            ));
        }
        let headers = request.headers();
        request_headers::require(
            headers,
            &[
                "X-TC-Action",
                "X-TC-Version",
                "X-TC-Timestamp",
                "Authorization",
                "Host",
            ],
        )?;
        let text = |name: &str| request_headers::text(headers, name).unwrap_or_default();
        let action = text("x-tc-action");
        let route = actions::route(&action).ok_or_else(|| {
            ApiError::new(
                "InvalidAction",
                format!(
                    "The action `{}` does not exist or is not supported.",
                    shown(&action)
                ),
            )
        })?;
        let version = text("x-tc-version");
        if version != route.version {
            return Err(ApiError::new(
                "NoSuchVersion",
                format!(
                    "The API version `{}` does not exist for this action; use `{}`.",
                    shown(&version),
                    route.version
                ),
            ));
        }
        let verifier = Verifier {
            credentials: &self.credentials,
            temporary: &self.credential_services.keys,
            service: route.service,
            signer: &self.signer,
            clock_skew: self.clock_skew,
        };
        let secret_id = verifier.verify(request, now.unix_seconds())?.secret_id();
        let limit = self.rate_limits.limit(route.action, route.rate_limit);
        let endpoint = request_headers::text(headers, "host").unwrap_or_default();
        let key = throttle::Key {
            action: route.action,
            endpoint: &endpoint,
            secret_id,
        };
        self.throttle.check(key, limit, now.monotonic())?;

        let params = Params::read(request)?;
        params.only(route.action, route.parameters)?;
        let mut call = Call {
            params,
            now,
            request_id: &log.request_id,
            instance_count: 0,
            region: request_headers::text(headers, "x-tc-region"),
            fault,
            language: request_headers::text(headers, "x-tc-language"),
            secret_id: secret_id.to_owned(),
        };
        let outcome = (route.run)(self, &mut call);
        log.instance_count = call.instance_count;
        outcome
    }
}

#[cfg(test)]
mod tests;
