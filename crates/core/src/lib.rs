//! Sans-IO core of the Tencent Cloud CVM API 3.0 client.
//!
//! This crate does no IO (network, files, environment), runs nothing
//! concurrently, never waits and reads no clock: time, credentials and answers are inputs;
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
mod credentials_answer;
pub mod credentials_refresh;
mod endpoint;
mod error_chain;
mod error_code;
mod headers;
mod instance_id;
pub mod instance_metadata;
mod invalid_credentials;
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
pub mod sts;
mod temporary_credentials;
mod terminate;
mod terminate_error;
mod terminate_options;
mod termination;
mod transport_error;
mod unsigned_request;

mod action;
mod amount;
mod api_request;
mod api_value;
mod charge_type;
mod describe_instances;
mod describe_instances_status;
mod inquiry_price_terminate_instances;
mod instance;
mod instance_id_list;
mod instance_query;
mod instance_state;
mod isolated_source;
mod latest_operation_state;
mod page;
mod termination_check;
pub mod utc_time;
mod validation_error;

pub use action::Action;
pub use amount::{Amount, InvalidAmount};
pub use api_request::ApiRequest;
pub use api_value::UnknownValue;
pub use batch::BatchPlan;
pub use build_error::BuildError;
pub use charge_type::ChargeType;
pub use client_state::{ClientState, DEFAULT_MAX_IN_FLIGHT};
pub use credentials::{Credentials, Secret};
pub use credentials_answer::CredentialsAnswerError;
pub use describe_instances::{DescribeInstances, DescribeInstancesResponse};
pub use describe_instances_status::{
    DescribeInstancesStatus, DescribeInstancesStatusResponse, InstanceStatus,
};
pub use endpoint::{CustomEndpoint, Endpoint, EndpointError, Scheme};
pub use error_code::{Disposition, ErrorCode, UnknownCode};
pub use headers::{CONTENT_TYPE_JSON, REQUEST_CLIENT};
pub use inquiry_price_terminate_instances::{
    InquiryPriceTerminateInstances, InquiryPriceTerminateInstancesResponse, InstanceRefund,
};
pub use instance::Instance;
pub use instance_id::{InstanceId, MalformedInstanceId};
pub use instance_id_list::InstanceIdList;
pub use instance_state::InstanceState;
pub use invalid_credentials::{CredentialField, InvalidCredentials};
pub use isolated_source::IsolatedSource;
pub use language::Language;
pub use latest_operation_state::LatestOperationState;
pub use limiter::{RateLimit, RateLimiter};
pub use page::Page;
pub use provider::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
pub use rate_limits::RateLimits;
pub use report::{InstanceOutcome, Outcome, OutcomeKind, Report};
pub use retry::{
    read_retry_reason, retry_reason, AttemptFailure, RetryDecision, RetryPolicy, RetryReason,
};
pub use service::Service;
pub use service_config::{ServiceConfig, ServiceConfigBuilder};
pub use temporary_credentials::TemporaryCredentials;
pub use terminate::{TerminateInstances, TerminateInstancesBody};
pub use terminate_error::TerminateError;
pub use terminate_options::TerminateOptions;
pub use termination::{
    Event, Plan, PlanEntry, PlannedAction, Progress, Termination, Token, Transmit,
};
pub use termination_check::TerminationCheck;
pub use transport_error::{TransportError, TransportErrorKind};
pub use validation_error::ValidationError;
