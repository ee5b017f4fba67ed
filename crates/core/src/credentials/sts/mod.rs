//! STS (Security Token Service, API version 2018-08-13): the two ways this
//! client turns something else into temporary credentials, and [`GetCallerIdentity`]
//! (who the credentials belong to).
//!
//! | action | signed with | parameters |
//! | --- | --- | --- |
//! | [`AssumeRole`] | long-term (or other) credentials, TC3, service `sts` | `RoleArn`, `RoleSessionName`, `DurationSeconds` |
//! | [`AssumeRoleWithWebIdentity`] | nothing: `Authorization: SKIP` | `ProviderId`, `WebIdentityToken`, `RoleArn`, `RoleSessionName`, `DurationSeconds` |
//!
//! Both answer `{"Response":{"Credentials":{"TmpSecretId","TmpSecretKey","Token"},
//! "ExpiredTime":…,"Expiration":"…","RequestId":"…"}}`, read by [`parse_credentials`].
//!
//! ```
//! use tencentcloud_cvm_core::signing::Signer;
//! use tencentcloud_cvm_core::sts::{self, AssumeRole};
//! use tencentcloud_cvm_core::Credentials;
//! let config = sts::service_config(sts::DEFAULT_REGION, Default::default())?;
//! let request = AssumeRole::builder("qcs::cam::uin/100000000001:roleName/ops", "nightly-cleanup")
//!     .duration_seconds(3600)
//!     .build()?;
//! let http = config.assume_role(&request, 1_700_000_000, &Credentials::new("AKIDbase", "key"), &Signer::new())?;
//! assert_eq!(http.uri(), "https://sts.tencentcloudapi.com/");
//! assert_eq!(http.headers()["x-tc-action"], "AssumeRole");
//! assert_eq!(http.headers()["x-tc-version"], "2018-08-13");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answer;
mod assume_role;
mod get_caller_identity;
mod parameter;
mod sts_exchange;
mod web_identity;

pub use answer::parse_credentials;
pub use assume_role::{AssumeRole, AssumeRoleBuilder};
pub use get_caller_identity::{
    caller_identity_config, CallerIdentityType, GetCallerIdentity, GetCallerIdentityResponse,
    InvalidStsSettings,
};
pub use parameter::InvalidStsParameter;
pub use sts_exchange::{
    assume_role_request, default_session_name, read_sts_answer, sts_config, web_identity_request,
    TkeVariables, STS_CONNECT_TIMEOUT, STS_REQUEST_TIMEOUT, TKE_SOURCE,
};
pub use web_identity::{AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityBuilder};

use crate::http::build_error::BuildError;
use crate::http::endpoint::Endpoint;
use crate::http::service::Service;
use crate::http::service_config::ServiceConfig;

/// The `AssumeRole` action.
pub const ASSUME_ROLE: &str = "AssumeRole";
/// The `AssumeRoleWithWebIdentity` action.
pub const ASSUME_ROLE_WITH_WEB_IDENTITY: &str = "AssumeRoleWithWebIdentity";
/// The region the official SDKs send STS requests to when none is given.
pub const DEFAULT_REGION: &str = "ap-guangzhou";
/// How long temporary credentials last when no duration is given (2 hours).
pub const DEFAULT_DURATION_SECONDS: u64 = 7200;
/// The longest duration STS grants (12 hours).
pub const MAX_DURATION_SECONDS: u64 = 43_200;

/// The settings of STS requests in `region` to `endpoint`
/// ([`Endpoint::Default`]: `https://sts.tencentcloudapi.com/`).
pub fn service_config(region: &str, endpoint: Endpoint) -> Result<ServiceConfig, BuildError> {
    ServiceConfig::builder(region)
        .service(Service::STS)
        .endpoint(endpoint)
        .build()
}
