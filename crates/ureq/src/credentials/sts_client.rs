//! [`StsSettings`], where and how the STS providers send their one request,
//! and `StsClient`, which sends it and turns the answer into credentials or an
//! error.

use crate::Transport;
use std::fmt;
use std::sync::Arc;

use http::Request;
use tencentcloud_cvm_core::sts::{
    read_sts_answer, sts_config, STS_CONNECT_TIMEOUT, STS_REQUEST_TIMEOUT,
};
use tencentcloud_cvm_core::{
    CredentialsError, CredentialsErrorKind, ServiceConfig, TemporaryCredentials,
};

use super::exchange::exchange;
use super::EnvLookup;
use crate::UreqTransport;

/// Where and how an STS provider reaches STS: the region sent, the base URL
/// and the transport. [`AssumeRoleCredentialsBuilder::sts`] and
/// [`WebIdentityCredentialsBuilder::sts`] hand it over to adjust.
///
/// ```
/// use tencentcloud_cvm_core::Credentials;
/// use tencentcloud_cvm_ureq::AssumeRoleCredentials;
/// let role = AssumeRoleCredentials::builder(
///     Credentials::new("AKIDbase", "base-key"),
///     "qcs::cam::uin/100000000001:roleName/cleanup",
/// )
/// .sts(|s| s.region("ap-singapore").endpoint_url("https://sts.ap-singapore.tencentcloudapi.com"))
/// .build()?;
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
///
/// [`AssumeRoleCredentialsBuilder::sts`]: crate::AssumeRoleCredentialsBuilder::sts
/// [`WebIdentityCredentialsBuilder::sts`]: crate::WebIdentityCredentialsBuilder::sts
#[derive(Clone)]
pub struct StsSettings {
    lookup: EnvLookup,
    region: Option<String>,
    endpoint: Option<String>,
    transport: Option<Arc<dyn Transport>>,
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

impl StsSettings {
    /// The region sent to STS (default `ap-guangzhou`, as the official SDKs;
    /// TKE OIDC starts from `TKE_REGION`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// STS's base URL (default: `TENCENTCLOUD_STS_ENDPOINT`, else
    /// `https://sts.tencentcloudapi.com`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Sends with this transport (default: a [`UreqTransport`] with a 5 s
    /// connect and 15 s request timeout, proxy from the environment).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads `TENCENTCLOUD_STS_ENDPOINT` through `lookup`.
    pub(crate) fn lookup(mut self, lookup: EnvLookup) -> Self {
        self.lookup = lookup;
        self
    }

    /// The settings as given: the region, the base URL, the transport.
    pub(crate) fn given(&self) -> (Option<&str>, Option<&str>, Option<&Arc<dyn Transport>>) {
        (
            self.region.as_deref(),
            self.endpoint.as_deref(),
            self.transport.as_ref(),
        )
    }

    /// A variable, read as these settings read it.
    pub(crate) fn variable(&self, name: &str) -> tencentcloud_cvm_core::env::VariableValue {
        self.lookup.get(name)
    }

    /// A transport the chain shares, unless one was set here.
    pub(crate) fn shared_transport(mut self, transport: Option<Arc<dyn Transport>>) -> Self {
        self.transport = self.transport.or(transport);
        self
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
        let config = sts_config(
            self.endpoint.as_deref(),
            self.region.as_deref(),
            &|name| self.lookup.get(name),
            source,
        )?;
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(
                UreqTransport::builder()
                    .connect_timeout(STS_CONNECT_TIMEOUT)
                    .request_timeout(STS_REQUEST_TIMEOUT)
                    .build()
                    .map_err(|e| {
                        CredentialsError::new(
                            CredentialsErrorKind::Invalid,
                            source.to_owned(),
                            e.to_string(),
                        )
                    })?,
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
        let answer = exchange(&*self.transport, request);
        read_sts_answer(&self.config, action, answer, source)
    }
}
