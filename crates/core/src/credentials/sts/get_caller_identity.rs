//! [`GetCallerIdentity`]: who the credentials belong to (STS, 2018-08-13), and its
//! typed answer.

use std::fmt;

use serde::Deserialize;

use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::credentials::environment::{setting, Lookup, STS_ENDPOINT_VAR};
use crate::http::endpoint::Endpoint;
use crate::http::service::Service;
use crate::http::service_config::ServiceConfig;
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

/// Why a client's `GetCallerIdentity` settings cannot be used: the setting
/// and what is wrong with it (nothing was sent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidStsSettings {
    detail: String,
}

impl fmt::Display for InvalidStsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "STS settings: {}", self.detail)
    }
}

impl std::error::Error for InvalidStsSettings {}

/// Where a client asks `GetCallerIdentity`, given the client's own (CVM)
/// settings: `endpoint` if given, else `TENCENTCLOUD_STS_ENDPOINT` (as for
/// AssumeRole), else STS at the client's place
/// ([`Endpoint::for_service`]: `sts.tencentcloudapi.com` for
/// `cvm.tencentcloudapi.com`, the regional STS host for a regional one, and the
/// very URL of an emulator or any other custom host that does not start with
/// `cvm.`, so a local test never asks the real service); in `region` if given,
/// else the client's region. The language, signed headers and payload
/// signing are the client's.
///
/// ```
/// use tencentcloud_cvm_core::env::VariableValue;
/// use tencentcloud_cvm_core::sts::caller_identity_config;
/// use tencentcloud_cvm_core::ServiceConfig;
/// let unset = |_: &str| VariableValue::Unset;
/// let client = ServiceConfig::builder("ap-shanghai").endpoint_url("http://127.0.0.1:8080").build()?;
/// let sts = caller_identity_config(&client, None, None, &unset)?;
/// assert_eq!(sts.uri(), "http://127.0.0.1:8080/");
/// assert_eq!(sts.region(), "ap-shanghai");
/// let client = ServiceConfig::builder("ap-shanghai").build()?;
/// assert_eq!(caller_identity_config(&client, None, None, &unset)?.host(), "sts.tencentcloudapi.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn caller_identity_config(
    client: &ServiceConfig,
    endpoint: Option<&str>,
    region: Option<&str>,
    lookup: Lookup<'_>,
) -> Result<ServiceConfig, InvalidStsSettings> {
    let invalid = |detail: String| InvalidStsSettings { detail };
    let (url, from) = match endpoint {
        Some(url) => (Some(url.to_owned()), "the configured STS endpoint"),
        None => (
            setting(
                STS_ENDPOINT_VAR,
                lookup(STS_ENDPOINT_VAR),
                "STS settings",
                "a URL",
            )
            .map_err(|e| invalid(e.detail().to_owned()))?,
            STS_ENDPOINT_VAR,
        ),
    };
    let endpoint = match url {
        Some(url) => Endpoint::custom(&url).map_err(|e| invalid(format!("{from}: {e}")))?,
        None => client
            .endpoint()
            .for_service(client.service(), Service::STS),
    };
    ServiceConfig::builder(region.unwrap_or(client.region()))
        .service(Service::STS)
        .endpoint(endpoint)
        .language(client.language())
        .signed_headers(client.signed_headers())
        .payload_signing(client.payload_signing())
        .build()
        .map_err(|e| invalid(e.to_string()))
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
    fn asked_where_the_client_goes_unless_told() {
        use crate::credentials::environment::fixed;
        let client = |url: Option<&str>| {
            let mut b = ServiceConfig::builder("ap-singapore");
            if let Some(url) = url {
                b = b.endpoint_url(url);
            }
            b.build().unwrap()
        };
        let none = fixed(&[]);
        let at = |c: &ServiceConfig, e: Option<&str>, r: Option<&str>, l: Lookup<'_>| {
            let sts = caller_identity_config(c, e, r, l).unwrap();
            assert_eq!(sts.service(), crate::Service::STS);
            (sts.uri().to_string(), sts.region().to_owned())
        };
        let emulator = client(Some("https://127.0.0.1:4443"));
        assert_eq!(
            at(&emulator, None, None, &none),
            ("https://127.0.0.1:4443/".into(), "ap-singapore".into())
        );
        let regional = client(Some("https://cvm.ap-singapore.tencentcloudapi.com"));
        assert_eq!(
            at(&regional, None, None, &none).0,
            "https://sts.ap-singapore.tencentcloudapi.com/"
        );
        // The variable, as for AssumeRole, then an explicit endpoint and region.
        let var = fixed(&[("TENCENTCLOUD_STS_ENDPOINT", " http://127.0.0.1:9 ")]);
        assert_eq!(at(&emulator, None, None, &var).0, "http://127.0.0.1:9/");
        assert_eq!(
            at(
                &emulator,
                Some("sts.example.com"),
                Some("ap-guangzhou"),
                &var
            ),
            ("https://sts.example.com/".into(), "ap-guangzhou".into())
        );
        for (lookup, expected) in [
            (
                fixed(&[("TENCENTCLOUD_STS_ENDPOINT", " ")]),
                "STS settings: TENCENTCLOUD_STS_ENDPOINT is set but empty; set it to a URL or unset it",
            ),
            (
                fixed(&[("TENCENTCLOUD_STS_ENDPOINT", "ftp://x")]),
                "STS settings: TENCENTCLOUD_STS_ENDPOINT: invalid endpoint: only http:// and https:// are supported",
            ),
        ] {
            let e = caller_identity_config(&emulator, None, None, &lookup).unwrap_err();
            assert_eq!(e.to_string(), expected);
        }
        let e = caller_identity_config(&emulator, Some("http://h/x"), None, &none).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("STS settings: the configured STS endpoint: "),
            "{e}"
        );
        let e = caller_identity_config(&emulator, None, Some("Not A Region"), &none).unwrap_err();
        assert!(e.to_string().starts_with("STS settings: "), "{e}");
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
