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
pub mod signing;

pub use credentials::{Credentials, Secret};

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
mod param_error;
mod termination_check;
pub mod utc_time;

pub use action::Action;
pub use amount::{Amount, InvalidAmount};
pub use api_request::ApiRequest;
pub use api_value::UnknownValue;
pub use charge_type::ChargeType;
pub use describe_instances::{DescribeInstances, DescribeInstancesResponse};
pub use describe_instances_status::{
    DescribeInstancesStatus, DescribeInstancesStatusResponse, InstanceStatus,
};
pub use inquiry_price_terminate_instances::{
    InquiryPriceTerminateInstances, InquiryPriceTerminateInstancesResponse, InstanceRefund,
};
pub use instance::Instance;
pub use instance_id_list::InstanceIdList;
pub use instance_state::InstanceState;
pub use isolated_source::IsolatedSource;
pub use latest_operation_state::LatestOperationState;
pub use page::Page;
pub use param_error::ParamError;
pub use termination_check::TerminationCheck;
