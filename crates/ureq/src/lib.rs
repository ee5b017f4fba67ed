//! Blocking IO for the Tencent Cloud CVM API 3.0 client: a ureq transport, the
//! system clock, credentials from the environment and the credentials file,
//! and [`Client`], which puts them around the sans-IO
//! [`Engine`](tencentcloud_cvm_core::Engine).
//!
//! ```text
//!  Client ──► Engine (tencentcloud-cvm-core: batching, rate limit, signing, safe retries)
//!               ├─ Box<dyn Transport>        UreqTransport (default) or yours
//!               ├─ Arc<dyn Clock>            SystemClock (default) or a ManualClock
//!               └─ Arc<dyn ProvideCredentials> DefaultCredentialsChain (default) or yours
//! ```
//!
//! ```no_run
//! use tencentcloud_cvm_core::TerminateOptions;
//! use tencentcloud_cvm_ureq::Client;
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let report = client.terminate(["ins-r8hr2upy"], &TerminateOptions::default())?;
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
pub mod credentials;
mod system_clock;
mod transport;

#[cfg(test)]
mod test_support;

pub use client::{Client, ClientBuildError, ClientBuilder, ClientEngine};
pub use credentials::{
    AssumeRoleCredentials, AssumeRoleCredentialsBuilder, CvmRoleCredentials,
    CvmRoleCredentialsBuilder, DefaultCredentialsChain, DefaultCredentialsChainBuilder,
    EnvironmentCredentials, ProfileFileCredentials, WebIdentityCredentials,
    WebIdentityCredentialsBuilder,
};
pub use system_clock::SystemClock;
pub use transport::{
    InvalidProxy, ProxyConfig, UreqTransport, UreqTransportBuilder, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BODY, DEFAULT_REQUEST_TIMEOUT,
};
