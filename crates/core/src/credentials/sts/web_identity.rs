//! [`AssumeRoleWithWebIdentity`]: temporary credentials for a role, asked for
//! with an OIDC token (TKE's service-account token), unsigned.

use http::Request;

use super::{
    parameter, InvalidStsParameter, ASSUME_ROLE_WITH_WEB_IDENTITY, DEFAULT_DURATION_SECONDS,
};
use crate::credentials::Secret;
use crate::http::service_config::ServiceConfig;

/// An `AssumeRoleWithWebIdentity` request. The token is a secret: `Debug`
/// redacts it; only [`to_body`](AssumeRoleWithWebIdentity::to_body) holds it.
///
/// ```
/// use tencentcloud_cvm_core::sts::AssumeRoleWithWebIdentity;
/// let r = AssumeRoleWithWebIdentity::builder("tke-provider", "eyJ-sekrit", "qcs::cam::uin/1:roleName/pod", "pod-1")
///     .build()?;
/// assert!(!format!("{r:?}").contains("sekrit"));
/// let body: serde_json::Value = serde_json::from_slice(&r.to_body()).unwrap();
/// assert_eq!(body["WebIdentityToken"], "eyJ-sekrit");
/// assert_eq!(body["DurationSeconds"], 7200);
/// # Ok::<(), tencentcloud_cvm_core::sts::InvalidStsParameter>(())
/// ```
// `Debug` may be derived: `Secret` redacts itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AssumeRoleWithWebIdentity {
    provider_id: String,
    web_identity_token: Secret,
    role_arn: String,
    role_session_name: String,
    duration_seconds: u64,
}

/// Builder for [`AssumeRoleWithWebIdentity`]; [`build`](AssumeRoleWithWebIdentityBuilder::build)
/// checks every parameter.
#[derive(Clone, Debug)]
pub struct AssumeRoleWithWebIdentityBuilder {
    request: AssumeRoleWithWebIdentity,
}

impl AssumeRoleWithWebIdentityBuilder {
    /// How long the credentials last (default 7200 s; 1 to 43200).
    pub fn duration_seconds(mut self, seconds: u64) -> Self {
        self.request.duration_seconds = seconds;
        self
    }

    /// Checks every parameter.
    pub fn build(self) -> Result<AssumeRoleWithWebIdentity, InvalidStsParameter> {
        let r = &self.request;
        parameter::provider_id(&r.provider_id)?;
        parameter::web_identity_token(r.web_identity_token.expose())?;
        parameter::role_arn(&r.role_arn)?;
        parameter::role_session_name(&r.role_session_name)?;
        parameter::duration_seconds(r.duration_seconds)?;
        Ok(self.request)
    }
}

impl AssumeRoleWithWebIdentity {
    /// Starts a request: the identity provider's ID in CAM, the OIDC token it
    /// issued, the role to assume and a session name.
    pub fn builder(
        provider_id: impl Into<String>,
        web_identity_token: impl Into<String>,
        role_arn: impl Into<String>,
        role_session_name: impl Into<String>,
    ) -> AssumeRoleWithWebIdentityBuilder {
        AssumeRoleWithWebIdentityBuilder {
            request: AssumeRoleWithWebIdentity {
                provider_id: provider_id.into(),
                web_identity_token: Secret::new(web_identity_token),
                role_arn: role_arn.into(),
                role_session_name: role_session_name.into(),
                duration_seconds: DEFAULT_DURATION_SECONDS,
            },
        }
    }

    /// The identity provider's ID.
    pub fn provider_id(&self) -> &str {
        &self.provider_id
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

    /// The JSON body, token included.
    pub fn to_body(&self) -> Vec<u8> {
        serde_json::json!({
            "ProviderId": self.provider_id,
            "WebIdentityToken": self.web_identity_token.expose(),
            "RoleArn": self.role_arn,
            "RoleSessionName": self.role_session_name,
            "DurationSeconds": self.duration_seconds,
        })
        .to_string()
        .into_bytes()
    }
}

impl ServiceConfig {
    /// Builds an `AssumeRoleWithWebIdentity` request. It is not signed (the
    /// token is the proof): `Authorization: SKIP`, as STS expects.
    pub fn assume_role_with_web_identity(
        &self,
        request: &AssumeRoleWithWebIdentity,
        timestamp: u64,
    ) -> Request<Vec<u8>> {
        self.unsigned_request(ASSUME_ROLE_WITH_WEB_IDENTITY, request.to_body(), timestamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_with_skip() {
        let config =
            crate::credentials::sts::service_config("ap-beijing", Default::default()).unwrap();
        let r = AssumeRoleWithWebIdentity::builder(
            "p",
            "SENTINEL-TOKEN",
            "qcs::cam::uin/1:roleName/r",
            "pod-1",
        )
        .duration_seconds(3600)
        .build()
        .unwrap();
        let http = config.assume_role_with_web_identity(&r, 1_700_000_000);
        let h = http.headers();
        assert_eq!(h["authorization"], "SKIP");
        assert_eq!(h["x-tc-action"], "AssumeRoleWithWebIdentity");
        assert_eq!(h["x-tc-version"], "2018-08-13");
        assert_eq!(h["x-tc-region"], "ap-beijing");
        assert_eq!(h["x-tc-timestamp"], "1700000000");
        assert_eq!(h["host"], "sts.tencentcloudapi.com");
        assert!(h.get("x-tc-token").is_none());
        assert_eq!(http.method(), http::Method::POST);
        assert!(!format!("{:?} {:?}", r, http.headers()).contains("SENTINEL"));
        let e = AssumeRoleWithWebIdentity::builder("p", "", "a", "bb")
            .build()
            .unwrap_err();
        assert_eq!(e.parameter(), "WebIdentityToken");
        let e = AssumeRoleWithWebIdentity::builder("", "t", "a", "bb")
            .build()
            .unwrap_err();
        assert_eq!(e.parameter(), "ProviderId");
    }
}
