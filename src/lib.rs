//! A Tencent Cloud CVM API 3.0 client for `TerminateInstances`: TC3-HMAC-SHA256
//! signing, batches of up to 100 IDs, rate limiting, retries only where the
//! service certainly did not act, and one outcome per instance.
//!
//! This crate gathers the sans-IO core ([`core`], always) and, with the
//! default `ureq` feature, the blocking client ([`Client`]) on a ureq transport.
//!
//! # Quick start
//!
//! ```no_run
//! use tencentcloud_cvm::{Client, Outcome, TerminateOptions};
//!
//! // Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
//! // (and TENCENTCLOUD_SESSION_TOKEN), else ~/.tencentcloud/credentials.
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let options = TerminateOptions {
//!     release_address: Some(true),
//!     ..TerminateOptions::default()
//! };
//! let report = client.terminate(["ins-r8hr2upy", "ins-5d8a23rs"], &options)?;
//! for entry in report.instances() {
//!     match &entry.outcome {
//!         Outcome::Terminated { request_id } => println!("{} terminated ({request_id})", entry.id),
//!         Outcome::Failed { message, .. } => println!("{} failed: {message}", entry.id),
//!         // Maybe processed: check the instance before trying again.
//!         Outcome::Unknown { message, .. } => println!("{} unknown: {message}", entry.id),
//!     }
//! }
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Without the `ureq` feature, drive [`Engine`] with your own [`Transport`] and [`Clock`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use tencentcloud_cvm_core as core;

pub use tencentcloud_cvm_core::clock::{Clock, ManualClock};
pub use tencentcloud_cvm_core::limiter::RateLimit;
pub use tencentcloud_cvm_core::retry::RetryPolicy;
pub use tencentcloud_cvm_core::{
    CredentialField, Credentials, CredentialsError, CredentialsErrorKind, Endpoint, Engine,
    ErrorCode, InstanceId, InstanceOutcome, InvalidCredentials, Language, MalformedInstanceId,
    Outcome, Progress, ProvideCredentials, Report, Secret, ServiceConfig, ServiceError,
    TemporaryCredentials, TerminateError, TerminateOptions, Transport, TransportError,
    TransportErrorKind, ValidationError,
};

/// The blocking client crate (`tencentcloud-cvm-ureq`), whole.
#[cfg(feature = "ureq")]
pub use tencentcloud_cvm_ureq as blocking;

#[cfg(feature = "ureq")]
pub use tencentcloud_cvm_ureq::{
    AssumeRoleCredentials, Client, ClientBuildError, ClientBuilder, CvmRoleCredentials,
    DefaultCredentialsChain, DefaultCredentialsChainBuilder, EnvironmentCredentials,
    ProfileFileCredentials, ProxyConfig, SystemClock, UreqTransport, WebIdentityCredentials,
};

/// The README's code blocks, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
