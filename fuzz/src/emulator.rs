//! Target `emulator_handler`: `Emulator::handle` on arbitrary requests, half of them
//! signed with the emulator's credentials so that the checks after authentication run.

use std::time::Duration;

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use http::{Method as HttpMethod, Request, Uri};
use tencentcloud_cvm_core::response::ResponseError;
use tencentcloud_cvm_core::response::{
    parse_response, parse_response_as, server_time, DEFAULT_MAX_BODY,
};
use tencentcloud_cvm_core::signing::{
    Method, PayloadSigning, SignedHeaders, Signer, SigningParams, UNSIGNED_PAYLOAD,
};
use tencentcloud_cvm_core::{
    Action, Credentials, DescribeInstancesResponse, DescribeInstancesStatusResponse,
    InquiryPriceTerminateInstancesResponse,
};
use tencentcloud_cvm_emulator::{ChargeType, Emulator, InstanceState, InstanceView, Now};

/// The emulator's clock for every request: 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;
/// The SecretId of the credential without a token.
pub const SECRET_ID: &str = "AKIDfuzzEXAMPLE";
/// Its SecretKey.
pub const SECRET_KEY: &str = "fuzz-secret-key";
/// The SecretId of the credential with a session token.
pub const TOKEN_SECRET_ID: &str = "AKIDtokenEXAMPLE";
/// Its SecretKey.
pub const TOKEN_SECRET_KEY: &str = "token-secret-key";
/// Its session token.
pub const TOKEN: &str = "fuzz-session-token";
/// The largest body the fuzzed emulator accepts (smaller than the default, so that
/// `RequestSizeLimitExceeded` is reachable within libFuzzer's input sizes).
pub const BODY_LIMIT: usize = 2048;
/// Requests per second per SecretId.
pub const RATE_LIMIT: u32 = 3;

/// How the harness treats the `Authorization` header (bits 0-1 of the mode byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    /// `0`: sends the request's own `Authorization` header, if any.
    AsIs,
    /// `1` and `2`: signs the request with the emulator's credential.
    Valid,
    /// `3`: signs it with a wrong SecretKey (it must never succeed).
    WrongKey,
}

/// The first byte of an `emulator_handler` input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Bits 0-1.
    pub signing: Signing,
    /// Bit 2: also sign `x-tc-action` (`content-type;host;x-tc-action`).
    pub sign_action: bool,
    /// Bit 3: sign `UNSIGNED-PAYLOAD` and send `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    pub unsigned_payload: bool,
    /// Bit 4: use the credential with a session token (sent as `X-TC-Token` unless the
    /// request has that header already).
    pub with_token: bool,
    /// Bits 5-7 plus one: how many times the request is handled, 60 ms apart.
    pub repeat: u8,
}

impl Mode {
    /// Decodes a mode byte.
    pub fn from_byte(b: u8) -> Mode {
        Mode {
            signing: match b & 3 {
                0 => Signing::AsIs,
                3 => Signing::WrongKey,
                _ => Signing::Valid,
            },
            sign_action: b & 4 != 0,
            unsigned_payload: b & 8 != 0,
            with_token: b & 16 != 0,
            repeat: (b >> 5) + 1,
        }
    }

    /// Encodes it.
    pub fn to_byte(self) -> u8 {
        let signing = match self.signing {
            Signing::AsIs => 0,
            Signing::Valid => 1,
            Signing::WrongKey => 3,
        };
        signing
            | u8::from(self.sign_action) << 2
            | u8::from(self.unsigned_payload) << 3
            | u8::from(self.with_token) << 4
            | (self.repeat.clamp(1, 8) - 1) << 5
    }
}

/// A decoded `emulator_handler` input.
///
/// ```text
/// byte 0   mode (see Mode)
/// byte 1   clock offset: when the harness signs and the request has no usable
///          X-TC-Timestamp, it sends NOW + 4 s × (byte 1 as i8) (±512 s; the
///          emulator allows 300 s of skew)
/// rest     METHOD SP URI LF, then Name: value header lines, an empty line, the body
///          (split by `split_message`; headers `http` refuses are skipped; an
///          invalid method or URI becomes POST or `/`)
/// ```
#[derive(Debug)]
pub struct EmulatorInput {
    /// The mode byte, decoded.
    pub mode: Mode,
    /// The request as it is handed to the emulator (signed if the mode says so).
    pub request: Request<Vec<u8>>,
    /// The credentials the harness signed with, if it signed.
    pub signed_with: Option<Credentials>,
}

fn valid_credentials() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
}

fn token_credentials() -> Credentials {
    Credentials::new(TOKEN_SECRET_ID, TOKEN_SECRET_KEY).with_token(TOKEN)
}

/// The emulator every input runs against: both credentials, instances
/// `ins-00000000` to `ins-00000003` (running, pay-as-you-go) and a few in other
/// situations (prepaid, in the recycle bin, protected, stopping, shut down, spot,
/// committed use), some placed in zones of `ap-guangzhou` and `ap-shanghai`, tagged
/// and dated, for filters to select from.
pub fn emulator() -> Emulator {
    Emulator::builder()
        .credential(valid_credentials())
        .credential(token_credentials())
        .instances(4)
        .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
        .instance(InstanceView::new("ins-prepaid2").with_charge_type(ChargeType::Prepaid))
        .instance(
            InstanceView::new("ins-recycled")
                .with_charge_type(ChargeType::Prepaid)
                .with_state(InstanceState::Shutdown),
        )
        .instance(InstanceView::new("ins-protectd").with_termination_protection(true))
        .instance(InstanceView::new("ins-stopping").with_state(InstanceState::Stopping))
        .instance(InstanceView::new("ins-shutdown").with_state(InstanceState::Shutdown))
        .instance(
            InstanceView::new("ins-gzci0001")
                .with_zone("ap-guangzhou-6")
                .with_tag("team", "ci")
                .with_name("ci-runner-1")
                .with_created_time(NOW - 2 * 86_400)
                .with_private_ip("10.0.0.1")
                .with_vpc("vpc-abcd1234", "subnet-abcd1234"),
        )
        .instance(
            InstanceView::new("ins-gzweb001")
                .with_zone("ap-guangzhou-3")
                .with_tag("team", "web")
                .with_project_id(7)
                .with_public_ip("203.0.113.9")
                .with_created_ago(Duration::from_secs(3_600)),
        )
        .instance(
            InstanceView::new("ins-shspot01")
                .with_zone("ap-shanghai-2")
                .with_charge_type(ChargeType::SpotPaid)
                .with_tag("team", "ci"),
        )
        .instance(InstanceView::new("ins-spot0001").with_charge_type(ChargeType::SpotPaid))
        .instance(
            InstanceView::new("ins-underwri")
                .with_charge_type(ChargeType::parse("UNDERWRITE"))
                .with_state(InstanceState::Shutdown),
        )
        .rate_limit(RATE_LIMIT)
        .terminating_for(Duration::from_millis(100))
        .body_limit(BODY_LIMIT)
        .build()
        .expect("the fuzz emulator's configuration is valid")
}

impl EmulatorInput {
    /// Decodes an input (see the type's documentation).
    pub fn decode(data: &[u8]) -> EmulatorInput {
        let mode = Mode::from_byte(data.first().copied().unwrap_or(0));
        let offset = i64::from(data.get(1).copied().unwrap_or(0) as i8) * 4;
        let message = crate::split_message(data.get(2..).unwrap_or_default());

        let mut start = message
            .start
            .splitn(2, |b| *b == b' ')
            .map(|w| w.trim_ascii());
        let method = start
            .next()
            .and_then(|m| HttpMethod::from_bytes(m).ok())
            .unwrap_or(HttpMethod::POST);
        let uri = start
            .next()
            .and_then(|u| Uri::try_from(u).ok())
            .unwrap_or_else(|| Uri::from_static("/"));

        let mut request = Request::new(message.body.to_vec());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        for (name, value) in &message.headers {
            if let (Ok(name), Ok(value)) =
                (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
            {
                request.headers_mut().append(name, value);
            }
        }

        let signed_with = match mode.signing {
            Signing::AsIs => None,
            Signing::Valid if mode.with_token => Some(token_credentials()),
            Signing::Valid => Some(valid_credentials()),
            Signing::WrongKey => Some(Credentials::new(SECRET_ID, "not-the-secret-key")),
        };
        if let Some(credentials) = &signed_with {
            sign(&mut request, mode, offset, credentials);
        }
        EmulatorInput {
            mode,
            request,
            signed_with,
        }
    }
}

fn text<'r>(request: &'r Request<Vec<u8>>, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
}

/// Signs `request` in place as a client would, with the core's signer. Adds
/// `X-TC-Timestamp` (if missing or not a number), `X-TC-Token` and
/// `X-TC-Content-SHA256` as the mode asks; leaves the request unsigned if the core
/// refuses its parts (a GET with a body, control characters, an empty host).
fn sign(request: &mut Request<Vec<u8>>, mode: Mode, offset: i64, credentials: &Credentials) {
    let timestamp = match text(request, "x-tc-timestamp").and_then(|t| t.parse::<u64>().ok()) {
        Some(t) => t,
        None => {
            let t = NOW.saturating_add_signed(offset);
            request
                .headers_mut()
                .insert("x-tc-timestamp", HeaderValue::from(t));
            t
        }
    };
    if let Some(token) = credentials.token()
        && !request.headers().contains_key("x-tc-token")
        && let Ok(v) = HeaderValue::from_str(token.expose())
    {
        request.headers_mut().insert("x-tc-token", v);
    }
    if mode.unsigned_payload {
        request.headers_mut().insert(
            "x-tc-content-sha256",
            HeaderValue::from_static(UNSIGNED_PAYLOAD),
        );
    }
    let method = if request.method() == HttpMethod::GET {
        Method::Get
    } else {
        Method::Post
    };
    let host = text(request, "host").unwrap_or("");
    let action = text(request, "x-tc-action").unwrap_or("TerminateInstances");
    let content_type = text(request, CONTENT_TYPE.as_str()).unwrap_or("");
    // Each action's own service in the scope (`sts` for GetCallerIdentity).
    let service = Action::parse(action).map_or("cvm", |a| a.service().name());
    let params = SigningParams::builder()
        .method(method)
        .service(service)
        .host(host)
        .query(request.uri().query().unwrap_or(""))
        .action(action)
        .content_type(content_type)
        .payload(request.body())
        .timestamp(timestamp)
        .signed_headers(if mode.sign_action {
            SignedHeaders::ContentTypeHostAction
        } else {
            SignedHeaders::ContentTypeHost
        })
        .payload_signing(if mode.unsigned_payload {
            PayloadSigning::Unsigned
        } else {
            PayloadSigning::Signed
        })
        .build();
    let Ok(params) = params else {
        return;
    };
    let authorization = Signer::new()
        .sign(&params, credentials)
        .into_authorization();
    if let Ok(value) = HeaderValue::try_from(authorization) {
        request.headers_mut().insert(AUTHORIZATION, value);
    }
}

/// The body of target `emulator_handler`; see [`EmulatorInput`] for the input format.
///
/// Invariants checked, for every time the request is handled:
/// * `handle` does not panic;
/// * the response is a `200` with `Content-Type: application/json` and a `Date` of the
///   emulator's clock, and the client's `parse_response` reads it as a success or a
///   service error (never as a malformed response);
/// * the access log's result is `OK` for a success and the error code otherwise, with
///   the same RequestId as the body;
/// * a success never answers a request signed with a wrong key or without an
///   `Authorization` header; a TerminateInstances or InquiryPriceTerminateInstances
///   success names 1 to 100 instances, a read at most 100;
/// * the core reads a success of each action as that action's typed answer, with at
///   most 100 entries (and exactly one refund per instance named).
pub fn emulator_handler(data: &[u8]) {
    drop(emulator_results(data));
}

/// Runs [`emulator_handler`]'s checks and returns the access log's result (`OK` or
/// the error code) for each time the request was handled.
pub fn emulator_results(data: &[u8]) -> Vec<String> {
    let mut results = Vec::new();
    let input = EmulatorInput::decode(data);
    let mut emulator = emulator();
    let mut now = Now::new(NOW, Duration::from_secs(1_000));
    let has_authorization = input.request.headers().contains_key(AUTHORIZATION);
    for _ in 0..input.mode.repeat {
        let handled = emulator.handle(&input.request, now);
        let response = &handled.response;
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        assert_eq!(server_time(response), Some(now.unix_seconds()));
        match parse_response(response, DEFAULT_MAX_BODY) {
            Ok(success) => {
                assert_eq!(handled.log.result, "OK");
                assert_eq!(success.request_id, handled.log.request_id);
                check_typed_success(&input.request, response, handled.log.instance_count);
                assert!(has_authorization, "a success without Authorization");
                assert_ne!(
                    input.mode.signing,
                    Signing::WrongKey,
                    "a success with a wrong key"
                );
            }
            Err(ResponseError::Service(e)) => {
                assert_eq!(handled.log.result, e.code.as_str());
                assert_eq!(e.request_id, handled.log.request_id);
                assert!(!e.message.is_empty(), "{e:?}");
            }
            Err(other) => panic!(
                "the emulator answered something the client cannot read: {other:?}: {:?}",
                String::from_utf8_lossy(response.body())
            ),
        }
        results.push(handled.log.result);
        now = now.after(Duration::from_millis(60));
    }
    results
}

/// The typed view of a success: the answer of the action the request named.
fn check_typed_success(
    request: &Request<Vec<u8>>,
    response: &http::Response<Vec<u8>>,
    named: usize,
) {
    let action = text(request, "x-tc-action").and_then(Action::parse);
    let writes = matches!(
        action,
        Some(Action::TerminateInstances | Action::InquiryPriceTerminateInstances)
    );
    let range = if writes { 1..=100 } else { 0..=100 };
    assert!(range.contains(&named), "{action:?} named {named} instances");
    let entries = match action {
        Some(Action::DescribeInstances) => {
            parse_response_as::<DescribeInstancesResponse>(response, DEFAULT_MAX_BODY)
                .map(|a| a.instance_set.len())
        }
        Some(Action::DescribeInstancesStatus) => {
            parse_response_as::<DescribeInstancesStatusResponse>(response, DEFAULT_MAX_BODY)
                .map(|a| a.instance_status_set.len())
        }
        Some(Action::InquiryPriceTerminateInstances) => {
            parse_response_as::<InquiryPriceTerminateInstancesResponse>(response, DEFAULT_MAX_BODY)
                .map(|a| {
                    assert_eq!(a.instance_refunds_set.len(), named);
                    a.instance_refunds_set.len()
                })
        }
        _ => Ok(0),
    };
    match entries {
        Ok(n) => assert!(n <= 100, "{n} entries"),
        Err(e) => panic!(
            "the core cannot read the emulator's {action:?} answer: {e}: {:?}",
            String::from_utf8_lossy(response.body())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_round_trips() {
        for b in 0..=255u8 {
            let m = Mode::from_byte(b);
            let back = m.to_byte();
            assert_eq!(Mode::from_byte(back), m, "{b}");
        }
    }
}
