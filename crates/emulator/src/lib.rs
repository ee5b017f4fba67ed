//! A loopback stand-in for the Tencent Cloud CVM API 3.0 service: `TerminateInstances`,
//! `DescribeInstances` (with `Filters`), `DescribeInstancesStatus`,
//! `InquiryPriceTerminateInstances`, `DescribeRegions` and STS `GetCallerIdentity`.
//!
//! It verifies TC3-HMAC-SHA256 signatures the way the service documents them and models
//! instances (states, every charge type, termination protection, the recycle bin, prepaid
//! terms and refunds, the latest operation, placement and regions, tags, creation time),
//! rate limits as the service counts them, and a service that lies, lags and drops
//! answers ([`Fault`]), so a client can be tested end to end without an account, and a
//! test can assert what changed ([`TerminationRecord`]). The crate's README has the
//! fixture format, the faults and the binary's flags.
//!
//! ```text
//!  http::Request<Vec<u8>> ──► Emulator::handle(request, now) ──► Handled { response, log }
//!                               │  (pure: time is an input, no I/O)
//!                               ├─ headers, action (route), version
//!                               ├─ auth    (TC3 signature, clock skew, token)
//!                               ├─ throttle (per action, endpoint (Host) and SecretId,
//!                               │            sliding 1 s window at arrival, optional jitter)
//!                               ├─ params  (JSON body or form/query)
//!                               └─ actions/<action> (its parameters, then the fleet:
//!                                                    validate everything, then mutate;
//!                                                    an injected fault may change what
//!                                                    it does or answers)
//!                             credential services, on the same listener:
//!                               ├─ GET /latest/meta-data/cam/security-credentials/[role]  (--cvm-role)
//!                               └─ STS AssumeRole, AssumeRoleWithWebIdentity (scope sts)
//!                                  both issue temporary keys CVM accepts with their token until expiry
//!
//!  Server::new(emulator).tls(..).bind_all([addr, ..]) ── hyper on a background thread ──► ServerHandle
//!      (several listeners, one fleet; http or https)  + fault injection (per action), access log,
//!                                                       resource limits
//! ```
//!
//! The pure handler, driven by hand:
//!
//! ```
//! use std::time::Duration;
//! use tencentcloud_cvm_core::Credentials;
//! use tencentcloud_cvm_core::signing::{Signer, SigningParams};
//! use tencentcloud_cvm_emulator::{Emulator, InstanceState, Now};
//!
//! let creds = Credentials::new("AKIDexample", "example-key");
//! let mut emulator = Emulator::builder().credential(creds.clone()).instances(2).build()?;
//!
//! let now = Now::new(1_700_000_000, Duration::ZERO);
//! let body = br#"{"InstanceIds":["ins-00000001"]}"#;
//! let params = SigningParams::builder()
//!     .host("127.0.0.1")
//!     .action("TerminateInstances")
//!     .payload(body)
//!     .timestamp(now.unix_seconds())
//!     .build()?;
//! let auth = Signer::new().sign(&params, &creds);
//! let request = http::Request::post("http://127.0.0.1/")
//!     .header("Host", "127.0.0.1")
//!     .header("Content-Type", "application/json")
//!     .header("X-TC-Action", "TerminateInstances")
//!     .header("X-TC-Version", "2017-03-12")
//!     .header("X-TC-Timestamp", now.unix_seconds().to_string())
//!     .header("Authorization", auth.authorization())
//!     .body(body.to_vec())?;
//!
//! let handled = emulator.handle(&request, now);
//! assert_eq!(handled.log.result, "OK");
//! let state = emulator.instance("ins-00000001").map(|i| i.state);
//! assert_eq!(state, Some(InstanceState::Terminating));
//!
//! // Pay-as-you-go instances disappear once the terminating time (2 s by default) has passed.
//! emulator.advance(now.after(Duration::from_secs(3)));
//! assert!(emulator.instance("ins-00000001").is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod actions;
mod api;
mod credential_services;
mod emulator;
mod faults;
mod fleet;
mod now;
mod server;
#[cfg(test)]
mod test_support;
mod throttle;

pub use api::access_log::{rfc3339, AccessLogEntry};
pub use api::error::ApiError;
pub use emulator::config::EmulatorConfig;
pub use emulator::config_error::ConfigError;
pub use emulator::handler::{Handled, ACTION, API_VERSION};
pub use emulator::Emulator;
pub use faults::{Fault, FaultSpecError, FieldChange};
pub use fleet::fixture::{Fixture, FixtureError};
pub use fleet::instance::{
    is_valid_instance_id, region_of_zone, CreatedTime, InstanceView, Tag, DEFAULT_INSTANCE_TYPE,
    DEFAULT_MONTHLY_PRICE_CENTS,
};
pub use fleet::TerminationRecord;
pub use now::Now;
pub use server::tls::{Tls, TlsError, TLS_NAMES};
pub use server::{Server, ServerHandle};

/// The README's code blocks, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
pub use tencentcloud_cvm_core::{ChargeType, InstanceState, IsolatedSource, LatestOperationState};

/// At most this many IDs per request (the core's [`InstanceIdList::MAX`]).
///
/// [`InstanceIdList::MAX`]: tencentcloud_cvm_core::InstanceIdList::MAX
pub const MAX_INSTANCE_IDS: usize = tencentcloud_cvm_core::InstanceIdList::MAX;
pub use credential_services::identity::CallerIdentity;
pub use credential_services::temporary_credentials::IssuedCredentials;
pub use credential_services::DEFAULT_ACCOUNT_ID;
