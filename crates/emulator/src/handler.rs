//! The pure request handler: request and time in, response and log entry out.

use std::time::Duration;

use http::{Method, Request, Response, StatusCode};
use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::Credentials;

use crate::access_log::AccessLogEntry;
use crate::api_error::ApiError;
use crate::auth::{secret_id_of, shown, Verifier};
use crate::config::{ConfigError, EmulatorConfig};
use crate::credential_services::{CredentialServices, Verification};
use crate::fleet::Fleet;
use crate::instance::{is_valid_instance_id, InstanceView};
use crate::now::Now;
use crate::params::{self, Params};
use crate::response;
use crate::throttle::Throttle;

/// The only action the emulator implements.
pub const ACTION: &str = "TerminateInstances";
/// The CVM API version it implements.
pub const API_VERSION: &str = "2017-03-12";

/// What [`Emulator::handle`] produced: the response and its access-log entry.
#[derive(Debug)]
#[non_exhaustive]
pub struct Handled {
    /// The HTTP response: status 200, `Content-Type: application/json`, a `Date`
    /// header and the JSON envelope with a fresh RequestId.
    pub response: Response<Vec<u8>>,
    /// What the access log records about the request.
    pub log: AccessLogEntry,
}

/// The emulated service: credentials, instances, throttling windows and limits.
///
/// [`handle`](Emulator::handle) is pure apart from drawing random RequestIds: it reads no
/// clock and does no I/O, and it never panics, whatever the request.
/// Checks run in this order, the first failure answering:
///
/// | check | error code |
/// | --- | --- |
/// | body size ≤ limit | `RequestSizeLimitExceeded` |
/// | method is GET or POST | `UnsupportedProtocol` |
/// | `X-TC-Action`, `X-TC-Version`, `X-TC-Timestamp`, `Authorization`, `Host` present | `MissingParameter` |
/// | action is `TerminateInstances` | `InvalidAction` |
/// | version is `2017-03-12` | `NoSuchVersion` |
/// | timestamp is a decimal number | `InvalidParameter` |
/// | signature (see below) | `AuthFailure.*` |
/// | ≤ rate limit in the last second for this SecretId | `RequestLimitExceeded` |
/// | parameters readable (JSON object, or form fields) | `InvalidParameter`, `UnknownParameter` |
/// | 1 to 100 IDs | `MissingParameter`, `InvalidParameterValue.LimitExceeded` |
/// | every ID is `ins-` + 8 of `[a-z0-9]` | `InvalidInstanceId.Malformed` |
/// | no ID twice | `InvalidParameterValue` |
/// | every instance exists | `InvalidInstanceId.NotFound` |
/// | not both charge types | `UnsupportedOperation.InstanceMixedPricingModel` |
/// | no termination protection | `UnsupportedOperation.InstancesProtected` |
/// | every state allows termination | `UnsupportedOperation.InstanceState*` |
///
/// Signature checks: `Authorization` parses and signs at least `content-type` and
/// `host` (`AuthFailure.InvalidAuthorization`); the SecretId is known
/// (`AuthFailure.SecretIdNotFound`); the timestamp is within the clock skew
/// (`AuthFailure.SignatureExpire`); the scope is `<UTC date of timestamp>/cvm/tc3_request`
/// and the signature matches (`AuthFailure.SignatureFailure`); the token matches when the
/// credential has one (`AuthFailure.TokenFailure`).
///
/// Then all instances change, or none: pay-as-you-go ones become `TERMINATING` and
/// disappear after the terminating time; prepaid ones go to the recycle bin
/// (`SHUTDOWN`), and a prepaid `SHUTDOWN` instance is destroyed at once.
#[derive(Debug)]
pub struct Emulator {
    credentials: Vec<Credentials>,
    signer: Signer,
    fleet: Fleet,
    throttle: Throttle,
    terminating_for: Duration,
    clock_skew: Duration,
    body_limit: usize,
    credential_services: CredentialServices,
}

impl Emulator {
    /// A configuration to build an emulator from.
    pub fn builder() -> EmulatorConfig {
        EmulatorConfig::new()
    }

    pub(crate) fn from_parts(config: EmulatorConfig, views: Vec<InstanceView>) -> Self {
        let mut fleet = Fleet::default();
        for v in views {
            fleet.upsert(v, None);
        }
        Emulator {
            throttle: Throttle::new(config.rate_limit),
            credentials: config.credentials,
            signer: Signer::new(),
            fleet,
            terminating_for: config.terminating_for,
            clock_skew: config.clock_skew,
            body_limit: config.body_limit,
            credential_services: CredentialServices::new(config.credential_services),
        }
    }

    /// The temporary keys issued (CVM role, STS) and not yet forgotten, without secrets.
    pub fn temporary_credentials(&self) -> Vec<crate::IssuedCredentials> {
        self.credential_services.issued()
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &[Credentials] {
        &self.credentials
    }

    /// The largest request body it accepts, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// One instance, if it exists.
    pub fn instance(&self, id: &str) -> Option<InstanceView> {
        self.fleet.get(id).cloned()
    }

    /// Every instance, ordered by ID.
    pub fn instances(&self) -> Vec<InstanceView> {
        self.fleet.list().cloned().collect()
    }

    /// Adds or replaces an instance (for tests that change state mid-run). An instance
    /// put in `TERMINATING` disappears once the terminating time has passed since `now`.
    pub fn upsert_instance(&mut self, view: InstanceView, now: Now) -> Result<(), ConfigError> {
        if !is_valid_instance_id(&view.id) {
            return Err(ConfigError::InvalidInstanceId(view.id));
        }
        self.fleet.upsert(view, Some(now.monotonic()));
        Ok(())
    }

    /// Removes an instance; returns it if it existed.
    pub fn remove_instance(&mut self, id: &str) -> Option<InstanceView> {
        self.fleet.remove(id)
    }

    /// Lets time pass: instances whose `TERMINATING` phase is over by `now` disappear.
    /// [`handle`](Emulator::handle) does this first, so only call it to observe state.
    pub fn advance(&mut self, now: Now) {
        self.fleet.sweep(now.monotonic(), self.terminating_for);
    }

    /// Handles one request at time `now`.
    pub fn handle(&mut self, request: &Request<Vec<u8>>, now: Now) -> Handled {
        self.advance(now);
        let verification = Verification {
            credentials: &self.credentials,
            signer: &self.signer,
            clock_skew: self.clock_skew,
        };
        if let Some(handled) = self.credential_services.serve(request, now, verification) {
            return handled;
        }
        let mut log = AccessLogEntry {
            unix_seconds: now.unix_seconds(),
            secret_id: request
                .headers()
                .get("authorization")
                .and_then(|v| secret_id_of(v.as_bytes())),
            action: request
                .headers()
                .get("x-tc-action")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            instance_count: 0,
            result: String::new(),
            request_id: response::request_id(),
            fault: None,
        };
        let outcome = self.process(request, now, &mut log.instance_count);
        self.respond(outcome, log, now)
    }

    /// The response to a request refused before it could be read whole (body too large).
    pub(crate) fn refuse_oversized(&self, now: Now) -> Handled {
        let log = AccessLogEntry {
            unix_seconds: now.unix_seconds(),
            secret_id: None,
            action: None,
            instance_count: 0,
            result: String::new(),
            request_id: response::request_id(),
            fault: None,
        };
        self.respond(Err(self.too_large()), log, now)
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

    fn respond(&self, outcome: Result<(), ApiError>, mut log: AccessLogEntry, now: Now) -> Handled {
        let body = match &outcome {
            Ok(()) => {
                log.result = "OK".to_owned();
                response::success_body(&log.request_id)
            }
            Err(e) => {
                log.result = e.code().to_owned();
                response::error_body(e, &log.request_id)
            }
        };
        Handled {
            response: response::build(StatusCode::OK, response::JSON, body, now),
            log,
        }
    }

    fn process(
        &mut self,
        request: &Request<Vec<u8>>,
        now: Now,
        instance_count: &mut usize,
    ) -> Result<(), ApiError> {
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
        for name in [
            "X-TC-Action",
            "X-TC-Version",
            "X-TC-Timestamp",
            "Authorization",
            "Host",
        ] {
            if !headers.contains_key(name) {
                return Err(ApiError::new(
                    "MissingParameter",
                    format!("The request is missing the required header `{name}`."),
                ));
            }
        }
        let text = |name: &str| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default()
        };
        let action = text("x-tc-action");
        if action != ACTION {
            return Err(ApiError::new(
                "InvalidAction",
                format!(
                    "The action `{}` does not exist or is not supported.",
                    shown(&action)
                ),
            ));
        }
        let version = text("x-tc-version");
        if version != API_VERSION {
            return Err(ApiError::new(
                "NoSuchVersion",
                format!(
                    "The API version `{}` does not exist for this action; use `{API_VERSION}`.",
                    shown(&version)
                ),
            ));
        }
        let timestamp_text = text("x-tc-timestamp");
        let timestamp: u64 = timestamp_text.parse().map_err(|_| {
            ApiError::new(
                "InvalidParameter",
                format!(
                    "The header `X-TC-Timestamp` must be a Unix timestamp in seconds, not `{}`.",
                    shown(&timestamp_text)
                ),
            )
        })?;
        let authorization = headers
            .get("authorization")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        let verifier = Verifier {
            credentials: &self.credentials,
            temporary: &self.credential_services.keys,
            service: crate::auth::SERVICE,
            signer: &self.signer,
            clock_skew: self.clock_skew,
        };
        let credentials = verifier.verify(request, authorization, timestamp, now.unix_seconds())?;
        self.throttle
            .check(credentials.secret_id(), now.monotonic())?;

        let params = read_params(request)?;
        *instance_count = params.instance_ids.len();
        params::validate(&params)?;
        self.fleet.terminate(&params.instance_ids, now.monotonic())
    }
}

fn read_params(request: &Request<Vec<u8>>) -> Result<Params, ApiError> {
    if request.method() == Method::GET {
        return params::from_form(request.uri().query().unwrap_or("").as_bytes());
    }
    let content_type = request
        .headers()
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/json" => params::from_json(request.body()),
        "application/x-www-form-urlencoded" => params::from_form(request.body()),
        _ => Err(ApiError::new(
            "InvalidParameter",
            format!(
                "The Content-Type `{}` is not supported; use application/json.",
                shown(&content_type)
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
