//! Sans-IO core of the Tencent Cloud CVM API 3.0 client.
//!
//! This crate never opens a socket, reads a file or the environment, spawns a
//! thread or reads a clock: time and credentials are inputs, requests and
//! decisions are outputs.
//!
//! ```text
//!  ids ─► validate ─► batch (≤100) ─► limiter ─► sign(parts, now, credentials)
//!                                                     │
//!                                                     ▼
//!                          http::Request<Vec<u8>> ─► Transport::send (yours, or ureq)
//!                                                     │
//!                                                     ▼
//!  retry only if safe ◄─ outcome per instance ◄─ parse ◄─ http::Response<Vec<u8>>
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod credentials;
mod credentials_answer;
pub mod credentials_refresh;
pub mod instance_metadata;
mod invalid_credentials;
pub mod signing;
pub mod sts;
mod temporary_credentials;
mod unsigned_request;

pub use credentials::{Credentials, Secret};
pub use credentials_answer::CredentialsAnswerError;
pub use invalid_credentials::{CredentialField, InvalidCredentials};
pub use temporary_credentials::TemporaryCredentials;

mod build_error;
pub mod endpoint;
mod error_code;
mod headers;
mod instance_id;
mod language;
pub mod response;
mod service;
mod service_config;
mod signed_request;
pub mod terminate;

pub use build_error::BuildError;
pub use endpoint::Endpoint;
pub use error_code::{Disposition, ErrorCode, UnknownCode};
pub use headers::{CONTENT_TYPE_JSON, REQUEST_CLIENT};
pub use instance_id::{InstanceId, MalformedInstanceId};
pub use language::Language;
pub use response::{ResponseError, ServiceError, Success};
pub use service::Service;
pub use service_config::{ServiceConfig, ServiceConfigBuilder};
pub use terminate::{TerminateInstances, TerminateInstancesBody, ValidationError};
pub mod batch;
pub mod clock;
pub mod engine;
pub mod limiter;
pub mod profile_file;
pub mod provider;
pub mod report;
pub mod retry;
pub mod transport;

pub use engine::{Engine, Progress, TerminateError, TerminateOptions};
pub use provider::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
pub use report::{InstanceOutcome, Outcome, Report};
pub use transport::{Transport, TransportError, TransportErrorKind};
