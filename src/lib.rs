//! A Tencent Cloud CVM API 3.0 client for `TerminateInstances`: TC3-HMAC-SHA256
//! signing, batches of up to 100 IDs, up to 10 requests in flight within each
//! action's rate limit, retries only where the service certainly did not act,
//! and one outcome per instance, streamed as it becomes known.
//!
//! This crate gathers the sans-IO core (`tencentcloud-cvm-core`, always) and,
//! with the default `ureq` feature, the blocking client ([`Client`]) on a ureq
//! transport (`tencentcloud-cvm-ureq`). Every item is at this crate's root
//! (plus the core's [`signing`], [`response`] and [`profile_file`] modules).
//!
//! # Quick start
//!
//! ```no_run
//! use tencentcloud_cvm::{Client, OutcomeKind, TerminateOptions};
//!
//! // Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
//! // (and TENCENTCLOUD_SESSION_TOKEN), else ~/.tencentcloud/credentials.
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let options = TerminateOptions::new().with_release_address(true);
//! let report = client.terminate(["ins-r8hr2upy", "ins-5d8a23rs"], &options)?;
//! for entry in report.instances() {
//!     let o = &entry.outcome;
//!     match o.kind() {
//!         OutcomeKind::Terminated => println!("{} terminated ({})", entry.id, o.request_id().unwrap_or("-")),
//!         // Maybe processed: check the instance before trying again.
//!         OutcomeKind::Unknown => println!("{} unknown: {}", entry.id, o.message().unwrap_or("")),
//!         _ => println!("{} {}: {}", entry.id, o.kind(), o.message().unwrap_or("")),
//!     }
//! }
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Without the `ureq` feature, drive a [`Termination`] with any HTTP client:
//! `examples/async_driver.rs` does it with tokio and hyper in a few lines.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use tencentcloud_cvm_core::*;

/// The `http` crate, whose `Request` and `Response` a [`Transport`] sends and receives:
/// a custom transport needs no direct dependency on it (and so none to keep in step).
pub use http;

#[cfg(feature = "ureq")]
pub use tencentcloud_cvm_ureq::*;

/// The README's code blocks, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
