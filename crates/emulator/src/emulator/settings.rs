//! [`Settings`]: what an [`Emulator`](crate::Emulator) is built from, once checked.

use std::time::Duration;

use tencentcloud_cvm_core::Credentials;

use crate::credential_services::CredentialServicesConfig;
use crate::throttle::RateLimits;

/// The emulator's fixed settings.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) credentials: Vec<Credentials>,
    pub(crate) rate_limits: RateLimits,
    /// How late a request may count as arriving, for throttling.
    pub(crate) arrival_jitter: Duration,
    /// The seed of the arrival-jitter generator (`None`: a random one).
    pub(crate) arrival_jitter_seed: Option<u64>,
    pub(crate) terminating_for: Duration,
    pub(crate) clock_skew: Duration,
    pub(crate) body_limit: usize,
    pub(crate) credential_services: CredentialServicesConfig,
    /// The regions DescribeRegions lists (`None`: the documented ones and the fleet's).
    pub(crate) regions: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            credentials: Vec::new(),
            rate_limits: RateLimits::default(),
            arrival_jitter: Duration::ZERO,
            arrival_jitter_seed: None,
            terminating_for: Duration::from_secs(2),
            clock_skew: Duration::from_secs(300),
            body_limit: 10 * 1024 * 1024,
            credential_services: CredentialServicesConfig::default(),
            regions: None,
        }
    }
}
