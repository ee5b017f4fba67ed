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
//! intermediates), [`response`] (the answer envelope), and the credential
//! sources' decisions, sans-IO, for any driver: [`env`](mod@env) (the variables and
//! their rule), [`profile_file`], [`tccli_config`], [`instance_metadata`],
//! [`sts`], [`source_exchange`], [`credentials_refresh`], [`temporary_cache`],
//! [`credentials_chain`] and [`configured_region`]. Everything else is at the
//! crate root. The transport contract is [`TransportError`]: who may say a
//! request was not sent.
//!
//! The sources are grouped by concept, one folder each: `actions` (one file per
//! API action), `model` (the values the API reads and writes), `http` (service,
//! endpoint, signed requests, responses), `signing`, `credentials` (with `sts`),
//! `client_state` (rate limits, retries), `selection` (which instances a run acts on:
//! IDs, filters, age, name, exclusions, regions, and the read that lists them),
//! `termination` (the state machine and its report) and `error`.
//!
//! # Words and setters
//!
//! One word per concept: a **batch** is the instances of one request (≤ 100, one
//! charge type); a **plan** is what a preview or status read says a terminate would
//! do ([`Plan`]); an instance **ends** with its one outcome; the **settle delay** is
//! how long after an unanswered TerminateInstances its instances are read; a run
//! **judges** an answer (understood, safe to send again, or failed) and **assesses**
//! a read (send, skip or fail).
//!
//! Setters: a builder (a type whose only use is to become another: `…Builder`) takes
//! plain names, `ServiceConfig::builder("ap-guangzhou").region(…)`; a value that
//! configures itself takes `with_…`, `TerminateOptions::new().with_wait(…)`, so its
//! getter keeps the plain name, `options.wait()`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod actions;
mod client_state;
mod credentials;
mod error;
mod http;
mod model;
mod selection;
pub mod signing;
mod termination;

pub use credentials::environment as env;
pub use credentials::{
    configured_region, credentials_chain, credentials_refresh, instance_metadata, profile_file,
    source_exchange, sts, tccli_config, temporary_cache,
};
pub use http::response;
pub use model::utc_time;

pub use actions::api_request::ApiRequest;
pub use actions::describe_instances::{DescribeInstances, DescribeInstancesResponse};
pub use actions::describe_instances_status::{
    DescribeInstancesStatus, DescribeInstancesStatusResponse, InstanceStatus,
};
pub use actions::describe_regions::{DescribeRegions, DescribeRegionsResponse, RegionInfo};
pub use actions::inquiry_price_terminate_instances::{
    InquiryPriceTerminateInstances, InquiryPriceTerminateInstancesResponse, InstanceRefund,
};
pub use actions::instance_listing::{InstanceListing, ListingError, ListingProgress};
pub use actions::terminate_instances::{TerminateInstances, TerminateInstancesBody};
pub use actions::{Action, ActionTable};
pub use client_state::limiter::{stated_limit, Permit, RateLimit, RateLimiter, Spacing};
pub use client_state::rate_limits::{Pace, RateLimits};
pub use client_state::retry::{
    read_retry_reason, retry_reason, AttemptFailure, RetryDecision, RetryPolicy, RetryReason,
};
pub use client_state::{ClientState, DEFAULT_MAX_IN_FLIGHT};
pub use credentials::credentials_answer::CredentialsAnswerError;
pub use credentials::invalid_credentials::{CredentialField, InvalidCredentials};
pub use credentials::provider::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
pub use credentials::temporary_credentials::TemporaryCredentials;
pub use credentials::{Credentials, Secret};
pub use error::terminate_error::TerminateError;
pub use error::validation_error::ValidationError;
pub use http::build_error::BuildError;
pub use http::endpoint::{CustomEndpoint, Endpoint, EndpointError, Scheme};
pub use http::headers::{CONTENT_TYPE_JSON, REQUEST_CLIENT};
pub use http::service::Service;
pub use http::service_config::{ServiceConfig, ServiceConfigBuilder};
pub use http::transport_error::{ConnectError, TransportError, TransportErrorKind};
pub use model::amount::{Amount, InvalidAmount};
pub use model::api_value::UnknownValue;
pub use model::charge_type::ChargeType;
pub use model::client_code::ClientCode;
pub use model::error_code::{Disposition, ErrorCode, UnknownCode};
pub use model::instance::Instance;
pub use model::instance_filter::{FilterMatch, InstanceFilter};
pub use model::instance_filter_name::InstanceFilterName;
pub use model::instance_filters::InstanceFilters;
pub use model::instance_id::{InstanceId, MalformedInstanceId};
pub use model::instance_id_list::InstanceIdList;
pub use model::instance_state::InstanceState;
pub use model::isolated_source::IsolatedSource;
pub use model::language::Language;
pub use model::latest_operation_state::LatestOperationState;
pub use model::page::Page;
pub use model::placement::{region_of_zone, Placement};
pub use model::region_state::RegionState;
pub use model::tag::Tag;
pub use model::virtual_private_cloud::VirtualPrivateCloud;
pub use selection::age::parse_age;
pub use selection::name_glob::NameGlob;
pub use selection::reader::{ReadError, ReadErrorKind};
pub use selection::region_list::RegionList;
pub use selection::region_reads::{RegionRead, RegionReads};
pub use selection::selection_builder::SelectionBuilder;
pub use selection::selection_error::SelectionError;
pub use selection::selection_read::SelectionRead;
pub use selection::tag_pattern::TagPattern;
pub use selection::{Decision, Selection};
pub use termination::distinct_instance_ids::DistinctInstanceIds;
pub use termination::journal::{
    AnswerRecord, AnswerResult, History, IntentRecord, JournalEntry, JournalError,
    JournalErrorKind, JournalRecord, OutcomeRecord, Prior, JOURNAL_VERSION,
};
pub use termination::preflight_read::{PreflightRead, ReadEntry, Seen};
pub use termination::report::{InstanceOutcome, Outcome, OutcomeKind, Report};
pub use termination::terminate_options::TerminateOptions;
pub use termination::termination_check::TerminationCheck;
pub use termination::{
    Event, Plan, PlanEntry, PlannedAction, Progress, Termination, Token, Transmit,
};
