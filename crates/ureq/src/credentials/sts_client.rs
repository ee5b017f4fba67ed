//! [`StsClient`]: where and how the STS providers send their one request, and
//! how its answer becomes credentials or an error.

use crate::Transport;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Request;
use tencentcloud_cvm_core::response::DEFAULT_MAX_BODY;
use tencentcloud_cvm_core::{
    sts, CredentialsError, CredentialsErrorKind, Endpoint, ServiceConfig, TemporaryCredentials,
};

use super::exchange::{describe, exchange};
use super::{EnvLookup, EnvValue};
use crate::UreqTransport;

/// The variable that replaces STS's base URL (default `https://sts.tencentcloudapi.com`).
pub const STS_ENDPOINT_VAR: &str = "TENCENTCLOUD_STS_ENDPOINT";
/// The limit on name resolution and on connecting to STS, each.
pub const STS_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The limit on one whole request to STS.
pub const STS_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The STS settings a provider's builder collects.
#[derive(Clone)]
pub(crate) struct StsSettings {
    pub(crate) lookup: EnvLookup,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) transport: Option<Arc<dyn Transport>>,
}

impl Default for StsSettings {
    fn default() -> Self {
        StsSettings {
            lookup: EnvLookup::Process,
            region: None,
            endpoint: None,
            transport: None,
        }
    }
}

impl fmt::Debug for StsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsSettings")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// A ready STS: its request settings and a transport.
pub(crate) struct StsClient {
    config: ServiceConfig,
    transport: Arc<dyn Transport>,
}

impl fmt::Debug for StsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsClient")
            .field("host", &self.config.host())
            .field("region", &self.config.region())
            .finish_non_exhaustive()
    }
}

impl StsSettings {
    /// Checks the settings; errors name `source` and the setting.
    pub(crate) fn build(self, source: &str) -> Result<StsClient, CredentialsError> {
        let invalid = |detail: String| {
            CredentialsError::new(CredentialsErrorKind::Invalid, source.to_owned(), detail)
        };
        let (url, from) = match self.endpoint {
            Some(url) => (Some(url), "the configured STS endpoint"),
            None => match self.lookup.get(STS_ENDPOINT_VAR) {
                EnvValue::Unset => (None, ""),
                EnvValue::NotUnicode => {
                    return Err(invalid(format!("{STS_ENDPOINT_VAR} is not valid Unicode")))
                }
                EnvValue::Set(v) if v.trim().is_empty() => {
                    return Err(invalid(format!(
                        "{STS_ENDPOINT_VAR} is set but empty; set it to a URL or unset it"
                    )))
                }
                EnvValue::Set(v) => (Some(v), STS_ENDPOINT_VAR),
            },
        };
        let endpoint = match url {
            None => Endpoint::Default,
            Some(url) => Endpoint::custom(&url).map_err(|e| invalid(format!("{from}: {e}")))?,
        };
        let region = self.region.as_deref().unwrap_or(sts::DEFAULT_REGION);
        let config = sts::service_config(region, endpoint)
            .map_err(|e| invalid(format!("STS settings: {}", describe(&e))))?;
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(
                UreqTransport::builder()
                    .connect_timeout(STS_CONNECT_TIMEOUT)
                    .request_timeout(STS_REQUEST_TIMEOUT)
                    .build()
                    .map_err(|e| invalid(e.to_string()))?,
            ),
        };
        Ok(StsClient { config, transport })
    }
}

impl StsClient {
    pub(crate) fn config(&self) -> &ServiceConfig {
        &self.config
    }

    /// Sends `request` (retried once) and reads the credentials in the answer.
    pub(crate) fn call(
        &self,
        action: &str,
        request: &Request<Vec<u8>>,
        source: &str,
    ) -> Result<TemporaryCredentials, CredentialsError> {
        let invalid = |detail: String| {
            CredentialsError::new(CredentialsErrorKind::Invalid, source.to_owned(), detail)
        };
        let host = self.config.host();
        let response = exchange(&*self.transport, request)
            .map_err(|e| invalid(format!("STS {action} at {host} failed: {e}")))?;
        sts::parse_credentials(&response, DEFAULT_MAX_BODY)
            .map_err(|e| invalid(format!("STS {action} at {host}: {}", describe(&e))))
    }
}
