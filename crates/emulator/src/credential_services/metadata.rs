//! The instance metadata service's CAM role paths, as a CVM with a role bound
//! answers them:
//!
//! ```text
//! GET /latest/meta-data/cam/security-credentials/          200 ops-role            (404 without --cvm-role)
//! GET /latest/meta-data/cam/security-credentials/ops-role  200 {"TmpSecretId", "TmpSecretKey", "Token",
//!                                                               "ExpiredTime", "Expiration", "Code": "Success"}
//! GET anything else under /latest/meta-data/                404
//! ```

use http::{Request, StatusCode};
use tencentcloud_cvm_core::instance_metadata::SECURITY_CREDENTIALS_PATH;

use crate::api::access_log::AccessLogEntry;
use crate::api::response;
use crate::credential_services::identity::{role_id_of, CallerIdentity};
use crate::credential_services::CredentialServices;
use crate::emulator::handler::Handled;
use crate::now::Now;

/// Every metadata path starts with this.
pub(crate) const PREFIX: &str = "/latest/meta-data/";

/// Answers one metadata request.
pub(crate) fn handle(
    services: &mut CredentialServices,
    request: &Request<Vec<u8>>,
    now: Now,
) -> Handled {
    let path = request.uri().path();
    let role = services.cvm_role().map(str::to_owned);
    let asked = path.strip_prefix(SECURITY_CREDENTIALS_PATH);
    let (status, content_type, body) = match (asked, role) {
        (Some(""), Some(role)) => (StatusCode::OK, "text/plain", role.into_bytes()),
        (Some(name), Some(role)) if name == role => {
            let account = services.account_id().to_owned();
            let identity = CallerIdentity::assumed_role(
                &account,
                &role_id_of(&format!("qcs::cam::uin/{account}:roleName/{role}")),
                "cvm-role",
                &account,
            );
            let ttl = services.ttl();
            let key = services.keys.issue(
                now.unix_seconds(),
                ttl,
                format!("cvm-role {role}"),
                identity,
            );
            let mut body = key.secret_fields();
            body.extend(key.expiry_fields());
            body.insert("Code".to_owned(), "Success".into());
            (
                StatusCode::OK,
                response::JSON,
                serde_json::Value::Object(body).to_string().into_bytes(),
            )
        }
        _ => (StatusCode::NOT_FOUND, "text/plain", b"Not Found".to_vec()),
    };
    let log = AccessLogEntry {
        result: if status == StatusCode::OK {
            "OK"
        } else {
            "NotFound"
        }
        .to_owned(),
        ..AccessLogEntry::new(now, Some(format!("metadata:{path}")), "-".to_owned())
    };
    Handled {
        response: response::build(status, content_type, body, now),
        log,
    }
}
