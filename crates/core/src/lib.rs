//! Sans-IO core of the Tencent Cloud CVM API 3.0 client.
//!
//! This crate never opens a socket, reads a file or the environment, spawns a
//! thread, sleeps or reads a clock: time, credentials and answers are inputs;
//! requests, decisions and outcomes are outputs. A driver (the blocking one in
//! `tencentcloud-cvm-ureq`, or a few lines over any async HTTP client) only
//! moves bytes.
//!
//! ```text
//!  ids ─► Termination::new (validate, de-duplicate, batch ≤ 100)
//!           │
//!           ▼
//!   poll_transmit(now, unix_time, credentials, &mut ClientState)
//!      rate limit per action ─► sign ─► http::Request<Vec<u8>> ─► driver sends
//!           ▲                                                        │
//!           │ safe retries only                                      ▼
//!   handle_response(token, Result<http::Response<Vec<u8>>, TransportError>, now)
//!           │
//!           ▼
//!   poll_event ─► Event::Outcomes (as they become known) ─► into_report: one outcome per instance
//! ```
//!
//! Modules hold the lower layers: [`signing`] (TC3-HMAC-SHA256 and its
//! intermediates), [`response`] (the answer envelope) and [`profile_file`]
//! (the credentials file format). Everything else is at the crate root.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod batch;
mod build_error;
mod client_state;
mod credentials;
mod endpoint;
mod error_code;
mod headers;
mod instance_id;
mod language;
mod limiter;
pub mod profile_file;
mod provider;
mod rate_limits;
mod report;
pub mod response;
mod retry;
mod service;
mod service_config;
mod signed_request;
pub mod signing;
mod terminate;
mod terminate_error;
mod terminate_options;
mod termination;
mod transport_error;

pub use batch::BatchPlan;
pub use build_error::BuildError;
pub use client_state::{ClientState, DEFAULT_MAX_IN_FLIGHT};
pub use credentials::{Credentials, Secret};
pub use endpoint::{CustomEndpoint, Endpoint, EndpointError, Scheme};
pub use error_code::{Disposition, ErrorCode, UnknownCode};
pub use headers::{CONTENT_TYPE_JSON, REQUEST_CLIENT};
pub use instance_id::{InstanceId, MalformedInstanceId};
pub use language::Language;
pub use limiter::{RateLimit, RateLimiter};
pub use provider::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
pub use rate_limits::RateLimits;
pub use report::{InstanceOutcome, Outcome, OutcomeKind, Report};
pub use retry::{retry_reason, AttemptFailure, RetryDecision, RetryPolicy, RetryReason};
pub use service::Service;
pub use service_config::{ServiceConfig, ServiceConfigBuilder};
pub use terminate::{
    TerminateInstances, TerminateInstancesBody, ValidationError, MAX_INSTANCE_IDS,
};
pub use terminate_error::TerminateError;
pub use terminate_options::TerminateOptions;
pub use termination::{Event, Progress, Termination, Token, Transmit};
pub use transport_error::{TransportError, TransportErrorKind};
