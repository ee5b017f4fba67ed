//! Blocking IO for the Tencent Cloud CVM API 3.0 client: a ureq transport,
//! the system clock, credentials from the environment and the credentials
//! file, and [`Client`], which drives the sans-IO core's
//! [`Termination`](tencentcloud_cvm_core::Termination) over them.
//!
//! ```text
//!  Client ──► driver loop (no decisions: poll_transmit / handle_response / poll_timeout)
//!               ├─ Termination + ClientState   (tencentcloud-cvm-core: batching, rate limits,
//!               │                               signing, safe retries, outcomes)
//!               ├─ Arc<dyn Transport>           UreqTransport (default) or yours, one
//!               │                               short-lived thread per request in flight
//!               ├─ Arc<dyn WallClock>           SystemClock (default) or yours
//!               └─ Arc<dyn ProvideCredentials>  DefaultCredentialsChain (default) or yours
//! ```
//!
//! ```no_run
//! use tencentcloud_cvm_core::TerminateOptions;
//! use tencentcloud_cvm_ureq::Client;
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let report = client.terminate(["ins-r8hr2upy"], &TerminateOptions::new())?;
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod blocking_transport;
mod cancel_token;
mod client;
pub mod credentials;
mod transport;
mod wall_clock;

#[cfg(test)]
mod test_support;

pub use blocking_transport::Transport;
pub use cancel_token::CancelToken;
pub use client::{Client, ClientBuildError, ClientBuilder};
pub use transport::{
    InvalidProxy, ProxyConfig, UreqTransport, UreqTransportBuilder, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_REQUEST_TIMEOUT,
};
pub use wall_clock::{SystemClock, WallClock};
