//! [`ClientBuildError`]: why a [`crate::Client`] could not be built.

use std::fmt;

use tencentcloud_cvm_core::configured_region::RegionError;
use tencentcloud_cvm_core::sts::InvalidStsSettings;
use tencentcloud_cvm_core::{BuildError, EndpointError};

use crate::InvalidProxy;

/// Why [`crate::ClientBuilder::build`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientBuildError {
    /// No region was given, and none is configured.
    MissingRegion,
    /// The configured region could not be read (a variable set but empty, a
    /// malformed file).
    Region(RegionError),
    /// The endpoint URL was refused.
    Endpoint(EndpointError),
    /// The request settings were refused (e.g. an invalid region).
    Service(BuildError),
    /// The proxy URL was refused.
    Proxy(InvalidProxy),
    /// The STS settings ([`ClientBuilder::sts`](crate::ClientBuilder::sts)) were refused.
    Sts(InvalidStsSettings),
    /// A setting is out of range.
    InvalidSetting {
        /// The setting (`connect_timeout`, `request_timeout`, `max_body`, `max_in_flight`).
        setting: &'static str,
        /// Why.
        reason: &'static str,
    },
}

/// Variants that wrap another error are transparent: they show its message
/// and hand on its source, so each message is printed once.
impl fmt::Display for ClientBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientBuildError::MissingRegion => write!(
                f,
                "no region given (e.g. ap-guangzhou), and none configured: {}",
                tencentcloud_cvm_core::configured_region::NO_REGION_HINT
            ),
            ClientBuildError::Region(e) => e.fmt(f),
            ClientBuildError::Endpoint(e) => e.fmt(f),
            ClientBuildError::Service(e) => e.fmt(f),
            ClientBuildError::Proxy(e) => e.fmt(f),
            ClientBuildError::Sts(e) => e.fmt(f),
            ClientBuildError::InvalidSetting { setting, reason } => {
                write!(f, "invalid {setting}: {reason}")
            }
        }
    }
}

impl std::error::Error for ClientBuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientBuildError::Endpoint(e) => e.source(),
            ClientBuildError::Service(e) => e.source(),
            ClientBuildError::Proxy(e) => e.source(),
            ClientBuildError::Region(e) => e.source(),
            ClientBuildError::Sts(e) => e.source(),
            ClientBuildError::MissingRegion | ClientBuildError::InvalidSetting { .. } => None,
        }
    }
}
