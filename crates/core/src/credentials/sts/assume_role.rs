//! [`AssumeRole`]: temporary credentials for a role, asked for with other credentials.

use http::Request;

use super::{parameter, InvalidStsParameter, ASSUME_ROLE, DEFAULT_DURATION_SECONDS};
use crate::credentials::Credentials;
use crate::http::build_error::BuildError;
use crate::http::service_config::ServiceConfig;
use crate::signing::Signer;

/// An `AssumeRole` request: `RoleArn`, `RoleSessionName`, `DurationSeconds`.
///
/// ```
/// use tencentcloud_cvm_core::sts::AssumeRole;
/// let r = AssumeRole::builder("qcs::cam::uin/100000000001:roleName/ops", "cleanup").build()?;
/// assert_eq!(r.duration_seconds(), 7200);
/// assert_eq!(
///     String::from_utf8(r.to_body()).unwrap(),
///     r#"{"DurationSeconds":7200,"RoleArn":"qcs::cam::uin/100000000001:roleName/ops","RoleSessionName":"cleanup"}"#
/// );
/// # Ok::<(), tencentcloud_cvm_core::sts::InvalidStsParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRole {
    role_arn: String,
    role_session_name: String,
    duration_seconds: u64,
}

/// Builder for [`AssumeRole`]; [`build`](AssumeRoleBuilder::build) checks every parameter.
#[derive(Clone, Debug)]
pub struct AssumeRoleBuilder {
    request: AssumeRole,
}

impl AssumeRoleBuilder {
    /// How long the credentials last (default 7200 s; 1 to 43200).
    pub fn duration_seconds(mut self, seconds: u64) -> Self {
        self.request.duration_seconds = seconds;
        self
    }

    /// Checks the role ARN, session name and duration.
    pub fn build(self) -> Result<AssumeRole, InvalidStsParameter> {
        let r = &self.request;
        parameter::role_arn(&r.role_arn)?;
        parameter::role_session_name(&r.role_session_name)?;
        parameter::duration_seconds(r.duration_seconds)?;
        Ok(self.request)
    }
}

impl AssumeRole {
    /// Starts a request for `role_arn` (e.g. `qcs::cam::uin/100000000001:roleName/ops`),
    /// naming the session `role_session_name` (it appears in the role's audit log).
    pub fn builder(
        role_arn: impl Into<String>,
        role_session_name: impl Into<String>,
    ) -> AssumeRoleBuilder {
        AssumeRoleBuilder {
            request: AssumeRole {
                role_arn: role_arn.into(),
                role_session_name: role_session_name.into(),
                duration_seconds: DEFAULT_DURATION_SECONDS,
            },
        }
    }

    /// The role's ARN.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The session name.
    pub fn role_session_name(&self) -> &str {
        &self.role_session_name
    }

    /// The requested lifetime.
    pub fn duration_seconds(&self) -> u64 {
        self.duration_seconds
    }

    /// The JSON body.
    pub fn to_body(&self) -> Vec<u8> {
        serde_json::json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.role_session_name,
            "DurationSeconds": self.duration_seconds,
        })
        .to_string()
        .into_bytes()
    }
}

impl ServiceConfig {
    /// Builds and signs an `AssumeRole` request with `credentials`. Use a
    /// config for [`Service::STS`](crate::Service::STS) ([`super::service_config`]).
    pub fn assume_role(
        &self,
        request: &AssumeRole,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        self.build_request(
            ASSUME_ROLE,
            request.to_body(),
            timestamp,
            credentials,
            signer,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::parse_authorization;

    #[test]
    fn signed_for_sts() {
        let config =
            crate::credentials::sts::service_config("ap-shanghai", Default::default()).unwrap();
        let r = AssumeRole::builder("qcs::cam::uin/1:roleName/ops", "s")
            .duration_seconds(900)
            .build();
        assert_eq!(r.unwrap_err().parameter(), "RoleSessionName");
        let r = AssumeRole::builder("qcs::cam::uin/1:roleName/ops", "session-1")
            .duration_seconds(900)
            .build()
            .unwrap();
        let creds = Credentials::new("AKIDbase", "key").with_token("tok");
        let http = config
            .assume_role(&r, 1_700_000_000, &creds, &Signer::new())
            .unwrap();
        assert_eq!(http.headers()["x-tc-region"], "ap-shanghai");
        assert_eq!(http.headers()["x-tc-token"], "tok");
        let auth = http.headers()["authorization"].to_str().unwrap();
        let parsed = parse_authorization(auth).unwrap();
        assert_eq!(parsed.service, "sts");
        assert_eq!(parsed.secret_id, "AKIDbase");
        let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
        assert_eq!(body["DurationSeconds"], 900);
        assert!(AssumeRole::builder("a", "bb")
            .duration_seconds(0)
            .build()
            .is_err());
        assert!(AssumeRole::builder("", "bb").build().is_err());
    }
}
