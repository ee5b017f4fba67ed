//! Building an [`Emulator`]: credentials, instances and limits.

use std::collections::HashSet;
use std::time::Duration;

use tencentcloud_cvm_core::Credentials;

use crate::emulator::config_error::ConfigError;
use crate::emulator::settings::Settings;
use crate::emulator::{check_view, Emulator};
use crate::fleet::fixture::Fixture;
use crate::fleet::instance::InstanceView;

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
///     .rate_limit(20) // every action
///     .action_rate_limit("DescribeInstances", 100)
///     .terminating_for(Duration::from_millis(200))
///     .build()?;
/// assert_eq!(emulator.instances().len(), 5);
/// # Ok::<(), tencentcloud_cvm_emulator::ConfigError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct EmulatorConfig {
    pub(crate) settings: Settings,
    generated: usize,
    extra: Vec<InstanceView>,
}

impl Emulator {
    /// A configuration to build an emulator from.
    pub fn builder() -> EmulatorConfig {
        EmulatorConfig::new()
    }
}

impl EmulatorConfig {
    /// No credentials, no instances, default limits: each action's documented rate per
    /// access endpoint and SecretId (TerminateInstances 10/s, DescribeInstances 40/s, DescribeInstancesStatus
    /// 40/s, InquiryPriceTerminateInstances 10/s), 2 s per operation (in `TERMINATING`),
    /// 300 s clock skew, 10 MiB bodies.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts requests signed with these credentials. If they carry a token, requests
    /// must send it as `X-TC-Token`.
    pub fn credential(mut self, credentials: Credentials) -> Self {
        self.settings.credentials.push(credentials);
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

    /// Requests per sliding second for every action, before `RequestLimitExceeded`;
    /// 0 disables. Replaces earlier per-action limits. Each action counts per access
    /// endpoint (the `Host` a request was sent to) and SecretId, as the service counts.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.settings.rate_limits.set_all(per_second);
        self
    }

    /// Requests per sliding second for one action (e.g. `"TerminateInstances"`), per
    /// access endpoint and SecretId; 0 disables its throttling.
    pub fn action_rate_limit(mut self, action: &str, per_second: u32) -> Self {
        self.settings.rate_limits.set(action, per_second);
        self
    }

    /// Each request counts, for throttling, as arriving up to `max` later than it was
    /// handled: uniformly at random, as uplink jitter delays requests (0, the default:
    /// on time). Only the count is affected; the answer is not delayed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tencentcloud_cvm_emulator::Emulator;
    /// let e = Emulator::builder()
    ///     .arrival_jitter(Duration::from_millis(150))
    ///     .arrival_jitter_seed(42) // the same lateness, run after run
    ///     .build()?;
    /// assert_eq!(e.arrival_jitter(), Duration::from_millis(150));
    /// # Ok::<(), tencentcloud_cvm_emulator::ConfigError>(())
    /// ```
    pub fn arrival_jitter(mut self, max: Duration) -> Self {
        self.settings.arrival_jitter = max;
        self
    }

    /// Seeds the arrival-jitter generator, so runs draw the same lateness in the same
    /// order (by default the seed is random).
    pub fn arrival_jitter_seed(mut self, seed: u64) -> Self {
        self.settings.arrival_jitter_seed = Some(seed);
        self
    }

    /// How long an operation takes: a pay-as-you-go instance stays `TERMINATING` this
    /// long before it disappears, and a prepaid one's move to the recycle bin reads
    /// `OPERATING` this long before `SUCCESS`.
    pub fn terminating_for(mut self, duration: Duration) -> Self {
        self.settings.terminating_for = duration;
        self
    }

    /// How far `X-TC-Timestamp` may be from the emulator's clock (whole seconds).
    pub fn clock_skew(mut self, tolerance: Duration) -> Self {
        self.settings.clock_skew = tolerance;
        self
    }

    /// The regions `DescribeRegions` lists, in order, instead of the regions CVM's
    /// DescribeInstances page names and those of the fleet's zones.
    pub fn regions<I, S>(mut self, regions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.regions = Some(regions.into_iter().map(Into::into).collect());
        self
    }

    /// The largest request body accepted, in bytes (`RequestSizeLimitExceeded` beyond).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.settings.body_limit = bytes;
        self
    }

    /// Checks the instances and credentials and builds the emulator.
    pub fn build(self) -> Result<Emulator, ConfigError> {
        if self.generated > 100_000_000 {
            return Err(ConfigError::TooManyInstances(self.generated));
        }
        self.settings.credential_services.check()?;
        let mut secret_ids = HashSet::new();
        for c in &self.settings.credentials {
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
            check_view(v)?;
            if !ids.insert(v.id.as_str()) {
                return Err(ConfigError::DuplicateInstanceId(v.id.clone()));
            }
        }
        Ok(Emulator::from_settings(self.settings, views))
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
        let odd = InstanceView::new("ins-00000001")
            .with_state(tencentcloud_cvm_core::InstanceState::parse("ON"));
        assert!(matches!(
            err(EmulatorConfig::new().instance(odd)),
            ConfigError::UnmodelledValue { .. }
        ));
    }
}
