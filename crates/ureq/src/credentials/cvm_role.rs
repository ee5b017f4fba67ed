//! [`CvmRoleCredentials`]: the temporary credentials of the CAM role bound to
//! the CVM instance this process runs on, from the instance metadata service.
//! The IO; the decisions are the core's ([`CvmRole`]).

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::instance_metadata::{
    cvm_role_settings, CvmRole, MetadataAnswer, CVM_ROLE_SOURCE, MAX_METADATA_ANSWER,
    METADATA_CONNECT_TIMEOUT, METADATA_REQUEST_TIMEOUT,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, TemporaryCredentials,
};

use super::exchange::exchange;
use super::temporary_cache::TemporaryCache;
use super::EnvLookup;
use crate::{ProxyConfig, SystemClock, UreqTransport};

/// Base URLs of metadata services found unreachable in this process: not on
/// a CVM, so no later provider waits for the timeouts again.
static UNREACHABLE: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn known_unreachable(url: &str) -> bool {
    let list = UNREACHABLE.lock().unwrap_or_else(|p| p.into_inner());
    list.iter().any(|u| u == url)
}

fn remember_unreachable(url: &str) {
    let mut list = UNREACHABLE.lock().unwrap_or_else(|p| p.into_inner());
    if !list.iter().any(|u| u == url) {
        list.push(url.to_owned());
    }
}

/// Credentials of the instance's CAM role, from the metadata service:
///
/// 1. `GET {base}/latest/meta-data/cam/security-credentials/` names the role
///    (once; a role given to [`role_name`](CvmRoleCredentialsBuilder::role_name) skips it);
/// 2. `GET …/{role}` gives a temporary key, token and expiry, cached and
///    refreshed when 300 s or less remain (one refresh at a time, shared by
///    every thread; see [`refresh_decision`]).
///
/// The base is `http://metadata.tencentyun.com`, or `TENCENTCLOUD_METADATA_ENDPOINT`.
/// Requests go direct (never through a proxy: the service is on the
/// instance's own network), with a 1 s connect timeout, 2 s per request and
/// one retry, so a service that accepts and never answers gives an error
/// within about 4 s.
///
/// What each answer means is the core's decision ([`CvmRole`]): no
/// connection at all is "not configured" (not on a CVM, remembered for the
/// process), as is a 404 for the role's name; anything else that is not
/// credentials is an error that stops the chain.
///
/// ```no_run
/// use tencentcloud_cvm_core::ProvideCredentials;
/// use tencentcloud_cvm_ureq::CvmRoleCredentials;
/// let role = CvmRoleCredentials::builder().role_name("ops-role").build();
/// let credentials = role.credentials()?; // a temporary key with its token
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
///
/// [`refresh_decision`]: tencentcloud_cvm_core::credentials_refresh::refresh_decision
/// [`CvmRole`]: tencentcloud_cvm_core::instance_metadata::CvmRole
pub struct CvmRoleCredentials {
    /// Where and how to ask, or why the settings are unusable.
    settings: Result<Settings, String>,
    clock: Arc<dyn WallClock>,
    cache: TemporaryCache,
}

struct Settings {
    state: Mutex<CvmRole>,
    transport: Arc<dyn Transport>,
}

impl fmt::Debug for CvmRoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CvmRoleCredentials");
        match &self.settings {
            Ok(s) => d.field(
                "endpoint",
                &s.state
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .endpoint()
                    .url()
                    .to_owned(),
            ),
            Err(e) => d.field("settings_error", e),
        };
        d.field("cache", &self.cache).finish_non_exhaustive()
    }
}

/// Settings for [`CvmRoleCredentials`].
pub struct CvmRoleCredentialsBuilder {
    lookup: EnvLookup,
    endpoint: Option<String>,
    role: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn WallClock>>,
}

impl fmt::Debug for CvmRoleCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CvmRoleCredentialsBuilder")
            .field("endpoint", &self.endpoint)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl Default for CvmRoleCredentials {
    fn default() -> Self {
        CvmRoleCredentials::new()
    }
}

impl CvmRoleCredentials {
    /// The default settings (base URL from `TENCENTCLOUD_METADATA_ENDPOINT`, else
    /// `http://metadata.tencentyun.com`; the role discovered).
    pub fn new() -> Self {
        CvmRoleCredentials::builder().build()
    }

    /// Starts a builder.
    pub fn builder() -> CvmRoleCredentialsBuilder {
        CvmRoleCredentialsBuilder {
            lookup: EnvLookup::Process,
            endpoint: None,
            role: None,
            transport: None,
            clock: None,
        }
    }

    fn fetch(&self) -> Result<TemporaryCredentials, CredentialsError> {
        let settings = self.settings.as_ref().map_err(|e| {
            CredentialsError::new(CredentialsErrorKind::Invalid, CVM_ROLE_SOURCE, e.clone())
        })?;
        // One refresh at a time (the cache's rule), so this lock is never contended.
        let mut role = settings.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let request = role.next_request()?;
            let url = role.endpoint().url().to_owned();
            if request.is_role_name() && known_unreachable(&url) {
                return Err(role.known_unreachable());
            }
            let answer = exchange(&*settings.transport, request.http());
            match role.handle_answer(&request, answer) {
                MetadataAnswer::AskAgain => continue,
                MetadataAnswer::Credentials(c) => return Ok(c),
                MetadataAnswer::Failed { error, unreachable } => {
                    if unreachable {
                        remember_unreachable(&url);
                    }
                    return Err(error);
                }
            }
        }
    }
}

impl ProvideCredentials for CvmRoleCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.cache.get(&*self.clock, || self.fetch())
    }
}

impl CvmRoleCredentialsBuilder {
    /// The metadata service's base URL (default: `TENCENTCLOUD_METADATA_ENDPOINT`,
    /// else `http://metadata.tencentyun.com`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The role, when known: skips asking the service for its name.
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Sends with this transport instead of a direct [`UreqTransport`] with the
    /// 1 s / 2 s timeouts.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads time (for expiry) from this clock (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    pub(crate) fn lookup(mut self, lookup: EnvLookup) -> Self {
        self.lookup = lookup;
        self
    }

    /// A transport and clock the chain shares, unless set here.
    pub(crate) fn shared(
        mut self,
        transport: Option<Arc<dyn Transport>>,
        clock: Option<Arc<dyn WallClock>>,
    ) -> Self {
        self.transport = self.transport.or(transport);
        self.clock = self.clock.or(clock);
        self
    }

    /// Builds the provider. Sends nothing; a bad setting (an unusable URL in
    /// `TENCENTCLOUD_METADATA_ENDPOINT`, say) is reported by each call.
    pub fn build(self) -> CvmRoleCredentials {
        CvmRoleCredentials {
            settings: self.settings(),
            clock: self
                .clock
                .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn WallClock>),
            cache: TemporaryCache::default(),
        }
    }

    fn settings(&self) -> Result<Settings, String> {
        let (endpoint, role) =
            cvm_role_settings(self.endpoint.as_deref(), self.role.as_deref(), &|name| {
                self.lookup.get(name)
            })?;
        let transport: Arc<dyn Transport> = match &self.transport {
            Some(t) => Arc::clone(t),
            None => Arc::new(
                UreqTransport::builder()
                    .connect_timeout(METADATA_CONNECT_TIMEOUT)
                    .request_timeout(METADATA_REQUEST_TIMEOUT)
                    .max_body(MAX_METADATA_ANSWER)
                    .proxy(ProxyConfig::None)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
        };
        Ok(Settings {
            state: Mutex::new(CvmRole::new(endpoint, role)),
            transport,
        })
    }
}

#[cfg(test)]
mod tests;
