//! The decisions of an STS credentials provider around its one exchange:
//! where STS is, how AssumeRole is signed with the base credentials, the TKE
//! variables, and how an answer (or its absence) reads as an error.

use std::time::Duration;

use http::{Request, Response};

use super::{
    parse_credentials, service_config, AssumeRole, AssumeRoleWithWebIdentity, DEFAULT_REGION,
};
use crate::credentials::environment::{
    setting, Lookup, STS_ENDPOINT_VAR, TKE_PROVIDER_ID_VAR, TKE_REGION_VAR, TKE_ROLE_ARN_VAR,
    TKE_WEB_IDENTITY_TOKEN_FILE_VAR,
};
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};
use crate::credentials::source_exchange::{describe, ExchangeError};
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::credentials::Credentials;
use crate::http::endpoint::Endpoint;
use crate::http::response::DEFAULT_MAX_BODY;
use crate::http::service_config::ServiceConfig;
use crate::signing::Signer;

/// The limit on name resolution and on connecting to STS, each.
pub const STS_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The limit on one whole request to STS.
pub const STS_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

fn invalid(source: &str, detail: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, source.to_owned(), detail)
}

/// The settings of a provider's STS requests: `endpoint` if given, else
/// `TENCENTCLOUD_STS_ENDPOINT`, else `https://sts.tencentcloudapi.com`; `region`
/// if given, else `ap-guangzhou`. Errors name `source` and the setting.
pub fn sts_config(
    endpoint: Option<&str>,
    region: Option<&str>,
    lookup: Lookup<'_>,
    source: &str,
) -> Result<ServiceConfig, CredentialsError> {
    let (url, from) = match endpoint {
        Some(url) => (Some(url.to_owned()), "the configured STS endpoint"),
        None => (
            setting(STS_ENDPOINT_VAR, lookup(STS_ENDPOINT_VAR), source, "a URL")?,
            STS_ENDPOINT_VAR,
        ),
    };
    let endpoint = match url {
        None => Endpoint::Default,
        Some(url) => Endpoint::custom(&url).map_err(|e| invalid(source, format!("{from}: {e}")))?,
    };
    service_config(region.unwrap_or(DEFAULT_REGION), endpoint)
        .map_err(|e| invalid(source, format!("STS settings: {}", describe(&e))))
}

/// `tencentcloud-cvm-<Unix time>`: tells sessions apart in the role's audit log.
pub fn default_session_name(now: u64) -> String {
    format!("tencentcloud-cvm-{now}")
}

/// Signs `request` at `now` with `base`, the base provider's answer (its
/// failure becomes this source's: nothing to assume the role with).
pub fn assume_role_request(
    config: &ServiceConfig,
    request: &AssumeRole,
    now: u64,
    base: Result<Credentials, CredentialsError>,
    signer: &Signer,
    source: &str,
) -> Result<Request<Vec<u8>>, CredentialsError> {
    let base = base.map_err(|e| {
        invalid(
            source,
            format!(
                "no base credentials to assume {} with: {e}",
                request.role_arn()
            ),
        )
    })?;
    config
        .assume_role(request, now, &base, signer)
        .map_err(|e| {
            invalid(
                source,
                format!("cannot sign AssumeRole with the base credentials: {e}"),
            )
        })
}

/// Reads how an STS exchange for `action` ended: the credentials, or an
/// error naming the host and what failed (never a value from the answer).
pub fn read_sts_answer(
    config: &ServiceConfig,
    action: &str,
    answer: Result<Response<Vec<u8>>, ExchangeError>,
    source: &str,
) -> Result<TemporaryCredentials, CredentialsError> {
    let host = config.host();
    let response =
        answer.map_err(|e| invalid(source, format!("STS {action} at {host} failed: {e}")))?;
    parse_credentials(&response, DEFAULT_MAX_BODY)
        .map_err(|e| invalid(source, format!("STS {action} at {host}: {}", describe(&e))))
}

/// The source name of TKE OIDC's errors.
pub const TKE_SOURCE: &str = "TKE OIDC";

/// The TKE variables, as read: all four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TkeVariables {
    /// `TKE_REGION`.
    pub region: String,
    /// `TKE_PROVIDER_ID`.
    pub provider_id: String,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE`.
    pub token_file: String,
    /// `TKE_ROLE_ARN`.
    pub role_arn: String,
}

impl TkeVariables {
    /// `Ok(None)` when none of the four is set; an error naming the missing or
    /// unusable ones when only some are.
    pub fn read(lookup: Lookup<'_>) -> Result<Option<TkeVariables>, CredentialsError> {
        let names = [
            TKE_REGION_VAR,
            TKE_PROVIDER_ID_VAR,
            TKE_WEB_IDENTITY_TOKEN_FILE_VAR,
            TKE_ROLE_ARN_VAR,
        ];
        let mut values = Vec::with_capacity(4);
        let mut missing = Vec::new();
        for name in names {
            match setting(name, lookup(name), TKE_SOURCE, "a value")? {
                Some(v) => values.push(v),
                None => missing.push(name),
            }
        }
        if missing.len() == names.len() {
            return Ok(None);
        }
        if !missing.is_empty() {
            return Err(invalid(
                TKE_SOURCE,
                format!(
                    "{} not set (TKE OIDC needs all of {})",
                    missing.join(", "),
                    names.join(", ")
                ),
            ));
        }
        let mut values = values.into_iter();
        let mut next = || values.next().unwrap_or_default();
        Ok(Some(TkeVariables {
            region: next(),
            provider_id: next(),
            token_file: next(),
            role_arn: next(),
        }))
    }
}

/// Builds `AssumeRoleWithWebIdentity` with the token file's text (trimmed),
/// read from `token_file` (named in an error about the token).
#[allow(clippy::too_many_arguments)]
pub fn web_identity_request(
    config: &ServiceConfig,
    provider_id: &str,
    token_text: &str,
    token_file: &str,
    role_arn: &str,
    session_name: String,
    duration_seconds: u64,
    now: u64,
) -> Result<Request<Vec<u8>>, CredentialsError> {
    let request =
        AssumeRoleWithWebIdentity::builder(provider_id, token_text.trim(), role_arn, session_name)
            .duration_seconds(duration_seconds)
            .build()
            .map_err(|e| {
                let mut detail = e.to_string();
                if e.parameter() == "WebIdentityToken" {
                    detail.push_str(&format!(" (read from {token_file})"));
                }
                invalid(TKE_SOURCE, detail)
            })?;
    Ok(config.assume_role_with_web_identity(&request, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::environment::fixed;

    #[test]
    fn tke_variables_all_or_none() {
        assert_eq!(TkeVariables::read(&fixed(&[])).unwrap(), None);
        let e = TkeVariables::read(&fixed(&[("TKE_REGION", "ap-guangzhou")])).unwrap_err();
        assert!(
            e.detail()
                .starts_with("TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"),
            "{e}"
        );
    }

    #[test]
    fn endpoint_from_the_variable_and_answers_name_the_host() {
        let lookup = fixed(&[("TENCENTCLOUD_STS_ENDPOINT", "http://127.0.0.1:9")]);
        let config = sts_config(None, None, &lookup, "STS AssumeRole").unwrap();
        assert_eq!(config.host(), "127.0.0.1:9");
        let e = sts_config(
            None,
            None,
            &fixed(&[("TENCENTCLOUD_STS_ENDPOINT", "ftp://x")]),
            "s",
        )
        .unwrap_err();
        assert!(e.detail().starts_with("TENCENTCLOUD_STS_ENDPOINT: "), "{e}");
        let lost = ExchangeError::new(
            crate::http::transport_error::TransportError::outcome_unknown("reset"),
            2,
        );
        let e = read_sts_answer(&config, "AssumeRole", Err(lost), "STS AssumeRole").unwrap_err();
        assert_eq!(
            e.detail(),
            "STS AssumeRole at 127.0.0.1:9 failed: reset (2 attempts)"
        );
        let request = AssumeRole::builder("qcs::cam::uin/1:roleName/ops", "session")
            .build()
            .unwrap();
        let no_base =
            CredentialsError::new(CredentialsErrorKind::NotConfigured, "environment", "unset");
        let e = assume_role_request(
            &config,
            &request,
            1,
            Err(no_base),
            &Signer::new(),
            "STS AssumeRole",
        )
        .unwrap_err();
        assert!(
            e.detail()
                .starts_with("no base credentials to assume qcs::cam::uin/1:roleName/ops with"),
            "{e}"
        );
        assert_eq!(default_session_name(7), "tencentcloud-cvm-7");
    }
}
