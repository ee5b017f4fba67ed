//! [`CvmRoleCredentials`]: the temporary credentials of the CAM role bound to
//! the CVM instance this process runs on, from the instance metadata service.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::{Transport, WallClock};
use tencentcloud_cvm_core::instance_metadata::{
    parse_role_credentials, parse_role_name, MetadataEndpoint, RoleName,
};
use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, TemporaryCredentials,
    TransportErrorKind,
};

use super::exchange::{describe, exchange};
use super::temporary_cache::TemporaryCache;
use super::EnvLookup;
use crate::{ProxyConfig, SystemClock, UreqTransport};

/// The variable that replaces the metadata service's base URL
/// (default `http://metadata.tencentyun.com`).
pub const METADATA_ENDPOINT_VAR: &str = "TENCENTCLOUD_METADATA_ENDPOINT";
/// The limit on name resolution and on connecting to the metadata service, each.
pub const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// The limit on one whole request to the metadata service.
pub const METADATA_REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest metadata answer read (a credentials answer is about 1 KiB).
const MAX_ANSWER: usize = 64 * 1024;

const SOURCE: &str = "CVM role";

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

fn error(kind: CredentialsErrorKind, detail: String) -> CredentialsError {
    CredentialsError::new(kind, SOURCE, detail)
}

fn invalid(detail: String) -> CredentialsError {
    error(CredentialsErrorKind::Invalid, detail)
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
/// | answer | result |
/// | --- | --- |
/// | no connection on either attempt (refused, no such host, connect timeout) | [`CredentialsErrorKind::NotConfigured`]: not on a CVM, remembered for the process |
/// | 404 for the role name | `NotConfigured`: no role is bound |
/// | a timeout or failure after connecting, another status, a malformed answer, `Code` not `Success`, a value [`Credentials::validate`] refuses | [`CredentialsErrorKind::Invalid`] |
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
pub struct CvmRoleCredentials {
    /// Where and how to ask, or why the settings are unusable.
    settings: Result<Settings, String>,
    discovered: Mutex<Option<RoleName>>,
    clock: Arc<dyn WallClock>,
    cache: TemporaryCache,
}

struct Settings {
    endpoint: MetadataEndpoint,
    role: Option<RoleName>,
    transport: Arc<dyn Transport>,
}

impl fmt::Debug for CvmRoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CvmRoleCredentials");
        match &self.settings {
            Ok(s) => d
                .field("endpoint", &s.endpoint.url())
                .field("role", &s.role.as_ref().map(RoleName::as_str)),
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

    fn role(&self, settings: &Settings) -> Result<RoleName, CredentialsError> {
        if let Some(role) = &settings.role {
            return Ok(role.clone());
        }
        let known = self
            .discovered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let role = match known {
            Some(role) => role,
            None => {
                let role = discover(settings)?;
                *self.discovered.lock().unwrap_or_else(|p| p.into_inner()) = Some(role.clone());
                role
            }
        };
        Ok(role)
    }

    fn fetch(&self) -> Result<TemporaryCredentials, CredentialsError> {
        let settings = self.settings.as_ref().map_err(|e| invalid(e.clone()))?;
        let role = self.role(settings)?;
        let url = settings.endpoint.url();
        let name = role.as_str();
        let request = settings
            .endpoint
            .role_credentials_request(&role)
            .map_err(|e| invalid(format!("cannot ask {url}: {e}")))?;
        let response = exchange(&*settings.transport, &request).map_err(|e| {
            invalid(format!(
                "the instance metadata service at {url} did not answer for role {name}: {e}"
            ))
        })?;
        match response.status().as_u16() {
            200 => {}
            404 => {
                // The role was unbound or replaced: ask for its name again next time.
                *self.discovered.lock().unwrap_or_else(|p| p.into_inner()) = None;
                return Err(invalid(format!(
                    "the instance metadata service at {url} has no credentials for role {name} (HTTP 404); is it still bound?"
                )));
            }
            status => {
                return Err(invalid(format!(
                    "the instance metadata service at {url} answered HTTP {status} for role {name}"
                )))
            }
        }
        let body = capped(response.body(), url)?;
        parse_role_credentials(body).map_err(|e| {
            invalid(format!(
                "the instance metadata service at {url}, role {name}: {}",
                describe(&e)
            ))
        })
    }
}

/// Asks the service which role the instance has.
fn discover(settings: &Settings) -> Result<RoleName, CredentialsError> {
    let endpoint = &settings.endpoint;
    let url = endpoint.url();
    if known_unreachable(url) {
        return Err(error(
                CredentialsErrorKind::NotConfigured,
                format!("no instance metadata service at {url} (not on a CVM; found unreachable earlier in this process)"),
            ));
    }
    let request = endpoint
        .role_name_request()
        .map_err(|e| invalid(format!("cannot ask {url}: {e}")))?;
    let response = match exchange(&*settings.transport, &request) {
        Ok(r) => r,
        Err(e) if e.error.kind() == TransportErrorKind::NotSent => {
            remember_unreachable(url);
            return Err(error(
                CredentialsErrorKind::NotConfigured,
                format!("no instance metadata service at {url} (not on a CVM): {e}"),
            ));
        }
        Err(e) => {
            return Err(invalid(format!(
                "the instance metadata service at {url} did not answer: {e}"
            )))
        }
    };
    match response.status().as_u16() {
        200 => {}
        404 => {
            return Err(error(
                CredentialsErrorKind::NotConfigured,
                format!("no CAM role is bound to this instance (HTTP 404 from {url})"),
            ))
        }
        status => {
            return Err(invalid(format!(
            "the instance metadata service at {url} answered HTTP {status} when asked for the role"
        )))
        }
    }
    let body = capped(response.body(), url)?;
    parse_role_name(body)
        .map_err(|e| invalid(format!("the instance metadata service at {url}: {e}")))
}

fn capped<'a>(body: &'a [u8], url: &str) -> Result<&'a [u8], CredentialsError> {
    if body.len() > MAX_ANSWER {
        return Err(invalid(format!(
            "the instance metadata service at {url} answered more than {MAX_ANSWER} bytes"
        )));
    }
    Ok(body)
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
            discovered: Mutex::new(None),
            clock: self
                .clock
                .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn WallClock>),
            cache: TemporaryCache::default(),
        }
    }

    fn settings(&self) -> Result<Settings, String> {
        let (url, from) = match &self.endpoint {
            Some(url) => (Some(url.clone()), "the configured endpoint"),
            None => (
                self.lookup
                    .non_empty(METADATA_ENDPOINT_VAR, SOURCE, "a URL")
                    .map_err(|e| e.detail().to_owned())?,
                METADATA_ENDPOINT_VAR,
            ),
        };
        let endpoint = match url {
            None => MetadataEndpoint::default(),
            Some(url) => MetadataEndpoint::parse(&url).map_err(|e| format!("{from}: {e}"))?,
        };
        let role = match &self.role {
            None => None,
            Some(r) => Some(RoleName::new(r).map_err(|e| e.to_string())?),
        };
        let transport: Arc<dyn Transport> = match &self.transport {
            Some(t) => Arc::clone(t),
            None => Arc::new(
                UreqTransport::builder()
                    .connect_timeout(METADATA_CONNECT_TIMEOUT)
                    .request_timeout(METADATA_REQUEST_TIMEOUT)
                    .max_body(MAX_ANSWER)
                    .proxy(ProxyConfig::None)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
        };
        Ok(Settings {
            endpoint,
            role,
            transport,
        })
    }
}

#[cfg(test)]
mod tests;
