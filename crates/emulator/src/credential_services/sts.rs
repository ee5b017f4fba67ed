//! STS, as much of it as this client uses: `AssumeRole` (signed, scope `sts`)
//! and `AssumeRoleWithWebIdentity` (unsigned, `Authorization: SKIP`), each
//! answering a temporary key with its token and expiry.
//!
//! | check | error code |
//! | --- | --- |
//! | `X-TC-Version`, `X-TC-Timestamp`, `X-TC-Region`, `Authorization` present | `MissingParameter` |
//! | version is `2018-08-13` | `NoSuchVersion` |
//! | timestamp is a number (AssumeRole) | `InvalidParameter` |
//! | signature, scope `<date>/sts/tc3_request` (AssumeRole) | `AuthFailure.*` |
//! | body is a JSON object; required parameters present, of the right type | `InvalidParameter`, `MissingParameter` |
//! | parameters follow STS's rules (the client's own rules, from the core) | `InvalidParameter.ValidationError` |
//! | the ARN names a role: `qcs::cam::uin/<uin>:roleName/<name>` or `…:role/<id>` | `ResourceNotFound.RoleNotExist` |
//! | the provider issued the token (`--web-identity`) | `InvalidParameter.WebIdentityTokenError` |
//!
//! Keys last `DurationSeconds` (default 7200), never longer than the
//! emulator's temporary-key lifetime.

use http::Request;
use serde_json::{Map, Value};
use tencentcloud_cvm_core::sts::{
    AssumeRole, AssumeRoleWithWebIdentity, InvalidStsParameter, ASSUME_ROLE,
    DEFAULT_DURATION_SECONDS,
};
use tencentcloud_cvm_core::Service;

use crate::api::access_log::AccessLogEntry;
use crate::api::auth::{shown, Verifier};
use crate::api::error::ApiError;
use crate::api::request_headers;
use crate::api::response;
use crate::credential_services::identity::{role_id_of, CallerIdentity};
use crate::credential_services::temporary_credentials::TemporaryKey;
use crate::credential_services::{CredentialServices, Verification};
use crate::emulator::handler::Handled;
use crate::now::Now;

/// Answers one STS request (the action is `AssumeRole` or `AssumeRoleWithWebIdentity`).
pub(crate) fn handle(
    services: &mut CredentialServices,
    request: &Request<Vec<u8>>,
    now: Now,
    verification: Verification<'_>,
) -> Handled {
    let log = AccessLogEntry::for_request(request, now);
    let outcome = if log.action.as_deref() == Some(ASSUME_ROLE) {
        assume_role(services, request, now, &verification)
    } else {
        assume_role_with_web_identity(services, request, now)
    };
    let outcome = outcome.map(|key| {
        let mut answer = key.expiry_fields();
        answer.insert("Credentials".to_owned(), key.secret_fields().into());
        response::success_body(&answer, &log.request_id)
    });
    response::respond(outcome, log, now)
}

fn common_headers(request: &Request<Vec<u8>>) -> Result<(), ApiError> {
    let headers = request.headers();
    request_headers::require(
        headers,
        &[
            "X-TC-Version",
            "X-TC-Timestamp",
            "X-TC-Region",
            "Authorization",
        ],
    )?;
    let version = headers["x-tc-version"].as_bytes();
    let expected = Service::STS.version();
    if version != expected.as_bytes() {
        return Err(ApiError::new(
            "NoSuchVersion",
            format!(
                "The API version `{}` does not exist for STS; use `{expected}`.",
                shown(&String::from_utf8_lossy(version))
            ),
        ));
    }
    Ok(())
}

fn body(request: &Request<Vec<u8>>) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(request.body()) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::new(
            "InvalidParameter",
            "The request body must be a JSON object.",
        )),
    }
}

fn string<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Err(ApiError::new(
            "MissingParameter",
            format!("The parameter `{name}` is missing."),
        )),
        Some(v) => v.as_str().ok_or_else(|| {
            ApiError::new(
                "InvalidParameter",
                format!("The parameter `{name}` must be a string."),
            )
        }),
    }
}

fn duration(map: &Map<String, Value>) -> Result<u64, ApiError> {
    match map.get("DurationSeconds") {
        None | Some(Value::Null) => Ok(DEFAULT_DURATION_SECONDS),
        Some(v) => v.as_u64().ok_or_else(|| {
            ApiError::new(
                "InvalidParameter",
                "The parameter `DurationSeconds` must be a whole number of seconds.",
            )
        }),
    }
}

fn refused(e: InvalidStsParameter) -> ApiError {
    ApiError::new(
        "InvalidParameter.ValidationError",
        format!("The parameter `{}` {}.", e.parameter(), e.problem()),
    )
}

/// `qcs::cam::uin/<digits>:roleName/<name>` or `qcs::cam::uin/<digits>:role/<id>`.
fn names_a_role(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("qcs::cam::uin/") else {
        return false;
    };
    let Some((uin, role)) = rest.split_once(':') else {
        return false;
    };
    let role = role
        .strip_prefix("roleName/")
        .or_else(|| role.strip_prefix("role/"));
    !uin.is_empty()
        && uin.bytes().all(|b| b.is_ascii_digit())
        && role.is_some_and(|r| !r.is_empty())
}

fn check_role(arn: &str) -> Result<(), ApiError> {
    if names_a_role(arn) {
        return Ok(());
    }
    Err(ApiError::new(
        "ResourceNotFound.RoleNotExist",
        format!("The role `{}` does not exist.", shown(arn)),
    ))
}

fn issue(
    services: &mut CredentialServices,
    now: Now,
    duration: u64,
    issued_for: String,
    identity: CallerIdentity,
) -> TemporaryKey {
    let ttl = duration.min(services.ttl());
    services
        .keys
        .issue(now.unix_seconds(), ttl, issued_for, identity)
}

/// The identity a key issued for the role `arn` in `session` has, asked for by
/// `principal`.
fn role_identity(
    services: &CredentialServices,
    arn: &str,
    session: &str,
    principal: &str,
) -> CallerIdentity {
    CallerIdentity::assumed_role(services.account_id(), &role_id_of(arn), session, principal)
}

fn assume_role(
    services: &mut CredentialServices,
    request: &Request<Vec<u8>>,
    now: Now,
    verification: &Verification<'_>,
) -> Result<TemporaryKey, ApiError> {
    common_headers(request)?;
    let verifier = Verifier {
        credentials: verification.credentials,
        temporary: &services.keys,
        service: Service::STS.name(),
        signer: verification.signer,
        clock_skew: verification.clock_skew,
    };
    let caller = verifier
        .verify(request, now.unix_seconds())?
        .secret_id()
        .to_owned();
    let principal = services.identity_of(&caller).principal_id;
    let params = body(request)?;
    let arn = string(&params, "RoleArn")?;
    let session = string(&params, "RoleSessionName")?;
    let asked = AssumeRole::builder(arn, session)
        .duration_seconds(duration(&params)?)
        .build()
        .map_err(refused)?;
    check_role(arn)?;
    let identity = role_identity(services, arn, session, &principal);
    Ok(issue(
        services,
        now,
        asked.duration_seconds(),
        format!("AssumeRole {arn} session {session}"),
        identity,
    ))
}

fn assume_role_with_web_identity(
    services: &mut CredentialServices,
    request: &Request<Vec<u8>>,
    now: Now,
) -> Result<TemporaryKey, ApiError> {
    common_headers(request)?;
    let params = body(request)?;
    let provider = string(&params, "ProviderId")?;
    let token = string(&params, "WebIdentityToken")?;
    let arn = string(&params, "RoleArn")?;
    let session = string(&params, "RoleSessionName")?;
    let asked = AssumeRoleWithWebIdentity::builder(provider, token, arn, session)
        .duration_seconds(duration(&params)?)
        .build()
        .map_err(refused)?;
    check_role(arn)?;
    if !services.knows_web_identity(provider, token) {
        return Err(ApiError::new(
            "InvalidParameter.WebIdentityTokenError",
            format!(
                "The web identity token is not valid for the identity provider `{}`.",
                shown(provider)
            ),
        ));
    }
    let account = services.account_id().to_owned();
    let identity = role_identity(services, arn, session, &account);
    Ok(issue(
        services,
        now,
        asked.duration_seconds(),
        format!("AssumeRoleWithWebIdentity {arn} session {session}"),
        identity,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert!(names_a_role("qcs::cam::uin/100000000001:roleName/ops"));
        assert!(names_a_role("qcs::cam::uin/1:role/4611686018427397919"));
        for bad in [
            "",
            "qcs::cam::uin/:roleName/ops",
            "qcs::cam::uin/12a:roleName/ops",
            "qcs::cam::uin/1:roleName/",
            "qcs::cam::uin/1:user/ops",
            "arn:aws:iam::1:role/x",
        ] {
            assert!(!names_a_role(bad), "{bad}");
        }
    }
}
