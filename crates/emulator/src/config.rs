//! Building an [`Emulator`]: credentials, instances and limits.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use tencentcloud_cvm_core::Credentials;

use crate::credential_services::CredentialServicesConfig;
use crate::fixture::Fixture;
use crate::handler::Emulator;
use crate::instance::{is_valid_instance_id, InstanceView};

/// Settings and initial state of an [`Emulator`]. Start from [`Emulator::builder`].
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::Credentials;
/// use tencentcloud_cvm_emulator::{ChargeType, EmulatorConfig, InstanceView};
///
/// let emulator = EmulatorConfig::new()
///     .credential(Credentials::new("AKIDexample", "example-key"))
///     .instances(3) // ins-00000000, ins-00000001, ins-00000002
///     .seed(["ins-abcdefgh"])
///     .instance(InstanceView::new("ins-prepaid1").with_charge_type(ChargeType::Prepaid))
///     .rate_limit(20)
///     .terminating_for(Duration::from_millis(200))
///     .build()?;
/// assert_eq!(emulator.instances().len(), 5);
/// # Ok::<(), tencentcloud_cvm_emulator::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    pub(crate) credentials: Vec<Credentials>,
    generated: usize,
    extra: Vec<InstanceView>,
    pub(crate) rate_limit: u32,
    pub(crate) terminating_for: Duration,
    pub(crate) clock_skew: Duration,
    pub(crate) body_limit: usize,
    pub(crate) credential_services: CredentialServicesConfig,
}

/// Why an [`EmulatorConfig`] could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// An instance ID is not `ins-` and 8 lowercase letters or digits.
    InvalidInstanceId(String),
    /// Two instances have the same ID.
    DuplicateInstanceId(String),
    /// Two credentials have the same SecretId.
    DuplicateSecretId(String),
    /// `instances(n)` asked for more than 100,000,000 (8 decimal digits).
    TooManyInstances(usize),
    /// The CVM role name is not a CAM role name.
    InvalidRoleName(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidInstanceId(id) => {
                write!(f, "invalid instance ID `{}`", id.escape_default())
            }
            ConfigError::DuplicateInstanceId(id) => write!(f, "duplicate instance ID `{id}`"),
            ConfigError::DuplicateSecretId(id) => {
                write!(f, "duplicate SecretId `{}`", id.escape_default())
            }
            ConfigError::InvalidRoleName(name) => {
                write!(f, "invalid CVM role name `{}`", name.escape_default())
            }
            ConfigError::TooManyInstances(n) => {
                write!(
                    f,
                    "{n} instances requested; at most 100000000 can be numbered"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            credentials: Vec::new(),
            generated: 0,
            extra: Vec::new(),
            rate_limit: 10,
            terminating_for: Duration::from_secs(2),
            clock_skew: Duration::from_secs(300),
            body_limit: 10 * 1024 * 1024,
            credential_services: CredentialServicesConfig::default(),
        }
    }
}

impl EmulatorConfig {
    /// No credentials, no instances, default limits: 10 requests per second per
    /// SecretId, 2 s in `TERMINATING`, 300 s clock skew, 10 MiB bodies.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts requests signed with these credentials. If they carry a token, requests
    /// must send it as `X-TC-Token`.
    pub fn credential(mut self, credentials: Credentials) -> Self {
        self.credentials.push(credentials);
        self
    }

    /// Creates `n` `RUNNING` `POSTPAID_BY_HOUR` instances `ins-00000000`, `ins-00000001`, …
    pub fn instances(mut self, n: usize) -> Self {
        self.generated = n;
        self
    }

    /// Adds `RUNNING` `POSTPAID_BY_HOUR` instances with these IDs.
    pub fn seed<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.extra.extend(ids.into_iter().map(InstanceView::new));
        self
    }

    /// Adds one instance in any state. One added in `TERMINATING` stays there (an
    /// instance stuck in termination); only those the emulator terminates disappear.
    pub fn instance(mut self, view: InstanceView) -> Self {
        self.extra.push(view);
        self
    }

    /// Adds a fixture's instances.
    pub fn fixture(mut self, fixture: &Fixture) -> Self {
        self.extra.extend(fixture.instances().iter().cloned());
        self
    }

    /// Requests per sliding second per SecretId before `RequestLimitExceeded`; 0 disables.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = per_second;
        self
    }

    /// How long a pay-as-you-go instance stays `TERMINATING` before it disappears.
    pub fn terminating_for(mut self, duration: Duration) -> Self {
        self.terminating_for = duration;
        self
    }

    /// How far `X-TC-Timestamp` may be from the emulator's clock (whole seconds).
    pub fn clock_skew(mut self, tolerance: Duration) -> Self {
        self.clock_skew = tolerance;
        self
    }

    /// The largest request body accepted, in bytes (`RequestSizeLimitExceeded` beyond).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Checks the instances and credentials and builds the emulator.
    pub fn build(self) -> Result<Emulator, ConfigError> {
        if self.generated > 100_000_000 {
            return Err(ConfigError::TooManyInstances(self.generated));
        }
        self.credential_services.check()?;
        let mut secret_ids = HashSet::new();
        for c in &self.credentials {
            if !secret_ids.insert(c.secret_id()) {
                return Err(ConfigError::DuplicateSecretId(c.secret_id().to_owned()));
            }
        }
        let mut views: Vec<InstanceView> = (0..self.generated)
            .map(|i| InstanceView::new(format!("ins-{i:08}")))
            .collect();
        views.extend(self.extra.iter().cloned());
        let mut ids = HashSet::with_capacity(views.len());
        for v in &views {
            if !is_valid_instance_id(&v.id) {
                return Err(ConfigError::InvalidInstanceId(v.id.clone()));
            }
            if !ids.insert(v.id.as_str()) {
                return Err(ConfigError::DuplicateInstanceId(v.id.clone()));
            }
        }
        Ok(Emulator::from_parts(self, views))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_zero_padded() {
        let e = EmulatorConfig::new().instances(11).build().unwrap();
        let ids: Vec<String> = e.instances().into_iter().map(|v| v.id).collect();
        assert_eq!(ids.first().map(String::as_str), Some("ins-00000000"));
        assert_eq!(ids.last().map(String::as_str), Some("ins-00000010"));
    }

    #[test]
    fn rejects_bad_setups() {
        let err = |c: EmulatorConfig| c.build().unwrap_err();
        assert_eq!(
            err(EmulatorConfig::new().seed(["ins-BAD"])),
            ConfigError::InvalidInstanceId("ins-BAD".into())
        );
        assert_eq!(
            err(EmulatorConfig::new().instances(1).seed(["ins-00000000"])),
            ConfigError::DuplicateInstanceId("ins-00000000".into())
        );
        let c = Credentials::new("A", "k");
        assert_eq!(
            err(EmulatorConfig::new().credential(c.clone()).credential(c)),
            ConfigError::DuplicateSecretId("A".into())
        );
        assert_eq!(
            err(EmulatorConfig::new().instances(100_000_001)),
            ConfigError::TooManyInstances(100_000_001)
        );
    }
}
