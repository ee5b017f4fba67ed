//! [`GetCallerIdentity`]: who the credentials belong to (STS, 2018-08-13), and its
//! typed answer.

use serde::Deserialize;

use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::model::api_value::api_value_enum;

/// A `GetCallerIdentity` request. It has no parameters: the body is `{}`. Send it
/// with a config for STS ([`service_config`](super::service_config)); long-term keys
/// and temporary credentials (with their token) both work. The API marks the `Region`
/// common parameter required, which every [`ServiceConfig`](crate::ServiceConfig) sends.
///
/// ```
/// use tencentcloud_cvm_core::sts::{self, CallerIdentityType, GetCallerIdentity};
/// use tencentcloud_cvm_core::{ApiRequest, Credentials, response::DEFAULT_MAX_BODY, signing::Signer};
/// let config = sts::service_config(sts::DEFAULT_REGION, Default::default())?;
/// let http = config.sign(&GetCallerIdentity, 1_700_000_000, &Credentials::new("AKIDsub", "key"), &Signer::new())?;
/// assert_eq!(http.uri(), "https://sts.tencentcloudapi.com/");
/// assert_eq!(http.headers()["x-tc-action"], "GetCallerIdentity");
/// assert_eq!(http.headers()["x-tc-version"], "2018-08-13");
/// assert_eq!(http.body(), b"{}");
///
/// // The documented answer for a sub-account's long-term key.
/// let answer = http::Response::new(br#"{"Response":{"Type":"CAMUser","AccountId":"100026200000",
///     "UserId":"100026100000","PrincipalId":"100026100000",
///     "Arn":"qcs::cam:100026200000:uin/100026100000","RequestId":"r-1"}}"#.to_vec());
/// let me = GetCallerIdentity::parse_response(&answer, DEFAULT_MAX_BODY)?;
/// assert_eq!(me.account_id, "100026200000");
/// assert_eq!(me.identity_type, Some(CallerIdentityType::CamUser));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GetCallerIdentity;

impl ApiRequest for GetCallerIdentity {
    const ACTION: Action = Action::GetCallerIdentity;
    type Response = GetCallerIdentityResponse;
    fn to_body(&self) -> Vec<u8> {
        b"{}".to_vec()
    }
}

api_value_enum! {
    /// The kind of identity `GetCallerIdentity` reports (`Type`). The documentation
    /// gives `CAMUser` (a sub-account, or a federated user) and `CAMRole` (an assumed
    /// role); what a root account gets is not documented and is kept in
    /// [`CallerIdentityType::Unknown`].
    ///
    /// ```
    /// use tencentcloud_cvm_core::sts::CallerIdentityType;
    /// assert_eq!(CallerIdentityType::parse("CAMRole"), CallerIdentityType::CamRole);
    /// assert!(!CallerIdentityType::parse("Root").is_known());
    /// ```
    CallerIdentityType {
        /// A CAM user (sub-account) or a federated user.
        CamUser = "CAMUser",
        /// A CAM role assumed with `AssumeRole`.
        CamRole = "CAMRole",
    }
}

/// `GetCallerIdentity`'s answer: the account and principal the credentials belong to.
///
/// `Arn`, `AccountId`, `UserId` and `PrincipalId` are required strings (an answer
/// without one is refused); `Type` may be absent or `null`. None of them is secret.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCallerIdentityResponse {
    /// `Arn`, e.g. `qcs::cam:100026200000:uin/100026100000` or
    /// `qcs::sts:100026200000:assumed-role/4611686018427420000`.
    pub arn: String,
    /// `AccountId`: the UIN of the account (the root account) the caller belongs to.
    pub account_id: String,
    /// `UserId`: the caller's UIN; for a role `roleId:roleSessionName`; for a federated
    /// user `uin:federatedUserName`.
    pub user_id: String,
    /// `PrincipalId`: the caller's own UIN, or for a role the UIN that requested its
    /// credentials.
    pub principal_id: String,
    /// `Type`: see [`CallerIdentityType`].
    #[serde(rename = "Type")]
    pub identity_type: Option<CallerIdentityType>,
    /// `RequestId`.
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::http::response::{ResponseError, DEFAULT_MAX_BODY};
    use crate::signing::{parse_authorization, Signer};

    fn parse(body: &str) -> Result<GetCallerIdentityResponse, ResponseError> {
        GetCallerIdentity::parse_response(
            &http::Response::new(body.as_bytes().to_vec()),
            DEFAULT_MAX_BODY,
        )
    }

    #[test]
    fn signed_for_sts_with_a_token() {
        let config = super::super::service_config("ap-shanghai", Default::default()).unwrap();
        let creds = Credentials::new("AKIDtmp", "key").with_token("tok");
        let http = config
            .sign(&GetCallerIdentity, 1_700_000_000, &creds, &Signer::new())
            .unwrap();
        let auth = parse_authorization(http.headers()["authorization"].to_str().unwrap()).unwrap();
        assert_eq!(auth.service, "sts");
        assert_eq!(http.headers()["x-tc-token"], "tok");
        assert_eq!(http.headers()["x-tc-region"], "ap-shanghai");
        assert_eq!(GetCallerIdentity::ACTION.service(), crate::Service::STS);
    }

    #[test]
    fn documented_answers() {
        let role = parse(
            r#"{"Response":{"Type":"CAMRole","AccountId":"1000262000",
                "UserId":"4611686018427420000:roleSessionName","PrincipalId":"10002610000",
                "Arn":"qcs::sts:1000262000:assumed-role/4611686018427420000","RequestId":"r-2"}}"#,
        )
        .unwrap();
        assert_eq!(role.identity_type, Some(CallerIdentityType::CamRole));
        assert_eq!(role.user_id, "4611686018427420000:roleSessionName");
        let root = parse(
            r#"{"Response":{"Type":null,"AccountId":"1","UserId":"1","PrincipalId":"1",
                "Arn":"qcs::cam:1:uin/1","RequestId":"r"}}"#,
        )
        .unwrap();
        assert_eq!(root.identity_type, None);
        let other = parse(
            r#"{"Response":{"Type":"Root","AccountId":"1","UserId":"1","PrincipalId":"1",
                "Arn":"qcs::cam:1:uin/1","RequestId":"r"}}"#,
        )
        .unwrap();
        assert_eq!(other.identity_type.unwrap().as_str(), "Root");
        for bad in [
            r#"{"Response":{"UserId":"1","PrincipalId":"1","Arn":"a","RequestId":"r"}}"#,
            r#"{"Response":{"AccountId":null,"UserId":"1","PrincipalId":"1","Arn":"a","RequestId":"r"}}"#,
            r#"{"Response":{"AccountId":100026200000,"UserId":"1","PrincipalId":"1","Arn":"a","RequestId":"r"}}"#,
            r#"{"Response":{"AccountId":"1","UserId":"1","PrincipalId":"1","Arn":"a","Type":1,"RequestId":"r"}}"#,
        ] {
            assert!(
                matches!(parse(bad), Err(ResponseError::WrongType { .. })),
                "{bad}"
            );
        }
        let e = parse(r#"{"Response":{"Error":{"Code":"AuthFailure.AccessKeyIllegal","Message":"m"},"RequestId":"r"}}"#)
            .unwrap_err();
        assert_eq!(
            e.service_error().unwrap().code.as_str(),
            "AuthFailure.AccessKeyIllegal"
        );
    }
}
