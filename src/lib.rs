//! A Tencent Cloud CVM API 3.0 client for `TerminateInstances`: TC3-HMAC-SHA256
//! signing, batches of up to 100 IDs, up to 10 requests in flight within each
//! action's rate limit, retries only where the service certainly did not act,
//! and one outcome per instance, streamed as it becomes known.
//!
//! This crate gathers the sans-IO core (`tencentcloud-cvm-core`, always) and,
//! with the default `ureq` feature, the blocking client ([`Client`]) on a ureq
//! transport (`tencentcloud-cvm-ureq`).
//!
//! # Where things are
//!
//! The root holds what an application uses: the client and its builder, the
//! options, the report and its outcomes, the errors, the credentials and their
//! providers, and the configured region. Everything else is one module down,
//! each item at exactly one path:
//!
//! | module | holds | for |
//! | --- | --- | --- |
//! | [`model`] | the values the API reads and writes: [`model::InstanceId`], [`model::InstanceState`], [`model::ChargeType`], [`model::Amount`], [`model::ErrorCode`], ... | reading a report's entries |
//! | [`credentials`] | the providers' builders, [`credentials::Secret`], temporary credentials, and the sources' sans-IO decisions (refresh, cache, chain, the files' formats, tccli's files, the metadata service, STS) | custom or async credential providers |
//! | [`env`](mod@env) | the names of the environment variables read, and the rule each follows | documentation, tests |
//! | [`transport`] | the transport contract ([`transport::TransportError`], [`transport::ConnectError`]) and the ureq transport with its settings (proxy, [`transport::TrustRoots`]) | custom transports |
//! | [`selection`] | choosing instances by IDs, filters, age, name and exclusions ([`selection::Selection`]), the read that lists them, runs over several regions ([`selection::Regions`]) | `tccvm list`-like tools, multi-region runs |
//! | [`sans_io`] | the state machine ([`sans_io::Termination`]) and the client state it runs on | drivers of your own (async) |
//! | [`wire`] | requests and responses, the service and endpoint settings, the answer envelope ([`wire::response`]) | talking to the API without the state machine |
//! | [`signing`] | TC3-HMAC-SHA256 and its intermediates | debugging signatures |
//!
//! # Quick start
//!
//! ```no_run
//! use tencentcloud_cvm::{Client, OutcomeKind, TerminateOptions};
//!
//! // Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
//! // (and TENCENTCLOUD_SESSION_TOKEN), else ~/.tencentcloud/credentials,
//! // else tccli's ~/.tccli/default.credential, ...
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
//! Without the `ureq` feature, drive a [`sans_io::Termination`] with any HTTP
//! client: `examples/async_driver.rs` does it with tokio and hyper.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use tencentcloud_cvm_core::configured_region::{RegionSource, ResolvedRegion};
pub use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, Endpoint, Event, InstanceOutcome,
    Language, Outcome, OutcomeKind, Plan, PlanEntry, PlannedAction, ProvideCredentials, RateLimits,
    Report, RetryPolicy, TerminateError, TerminateOptions, ValidationError,
};

#[cfg(feature = "ureq")]
pub use tencentcloud_cvm_ureq::{
    AssumeRoleCredentials, CallerIdentityError, CancelToken, Client, ClientBuildError,
    ClientBuilder, CvmRoleCredentials, DefaultCredentialsChain, DefaultRegionChain,
    EnvironmentCredentials, ProfileFileCredentials, ProxyConfig, TccliCredentials,
    WebIdentityCredentials,
};

/// The `http` crate, whose `Request` and `Response` a transport sends and receives:
/// a custom transport needs no direct dependency on it (and so none to keep in step).
pub use http;

pub use tencentcloud_cvm_core::signing;

/// The environment variables the credential and region sources read, and the
/// rule every one of them follows ([`env::setting`]).
pub mod env {
    pub use tencentcloud_cvm_core::env::*;
}

/// The values the API reads and writes, as a report's entries carry them.
pub mod model {
    pub use tencentcloud_cvm_core::utc_time;
    pub use tencentcloud_cvm_core::{
        region_of_zone, Amount, ChargeType, ClientCode, Disposition, ErrorCode, FilterMatch,
        InstanceFilter, InstanceFilterName, InstanceFilters, InstanceId, InstanceState,
        InvalidAmount, IsolatedSource, LatestOperationState, MalformedInstanceId, Placement,
        RegionState, Tag, UnknownCode, UnknownValue, VirtualPrivateCloud,
    };
}

/// Requests and responses of each action, the service and endpoint settings,
/// and the answer envelope ([`wire::response`]).
pub mod wire {
    pub use tencentcloud_cvm_core::response;
    pub use tencentcloud_cvm_core::{
        Action, ActionTable, ApiRequest, BuildError, CustomEndpoint, DescribeInstances,
        DescribeInstancesResponse, DescribeInstancesStatus, DescribeInstancesStatusResponse,
        DescribeRegions, DescribeRegionsResponse, EndpointError, InquiryPriceTerminateInstances,
        InquiryPriceTerminateInstancesResponse, Instance, InstanceIdList, InstanceRefund,
        InstanceStatus, Page, RegionInfo, Scheme, Service, ServiceConfig, ServiceConfigBuilder,
        TerminateInstances, TerminateInstancesBody, CONTENT_TYPE_JSON, REQUEST_CLIENT,
    };
}

/// Choosing instances the way operators do, and runs over several regions: the
/// [`selection::Selection`], its text builder, its error and conditions, the read that lists a
/// selection in one region (sans-IO, [`selection::SelectionRead`]) and what it found
/// ([`selection::PreflightRead`], the preflight read of the run that acts on them),
/// placing instances across regions ([`selection::RegionReads`]), the list of
/// regions ([`selection::RegionList`]) and, with the `ureq` feature, one client per
/// region ([`selection::Regions`]).
pub mod selection {
    pub use tencentcloud_cvm_core::{
        parse_age, Decision, NameGlob, PreflightRead, ReadEntry, ReadError, ReadErrorKind,
        RegionList, RegionRead, RegionReads, Seen, Selection, SelectionBuilder, SelectionError,
        SelectionRead, TagPattern,
    };
    #[cfg(feature = "ureq")]
    pub use tencentcloud_cvm_ureq::{Regions, SelectError};
}

/// The state machine and what it runs on, for drivers of your own: the
/// `poll_transmit` / `handle_response` / `poll_timeout` loop
/// (`examples/async_driver.rs`), its client state (rate limits, retries,
/// signing caches) and the retry decisions; the journal a run writes
/// (`poll_journal`) and what a later run reads back from it ([`sans_io::History`]).
pub mod sans_io {
    pub use tencentcloud_cvm_core::{
        read_retry_reason, retry_reason, stated_limit, AnswerRecord, AnswerResult, AttemptFailure,
        ClientState, DistinctInstanceIds, History, InstanceListing, IntentRecord, JournalEntry,
        JournalError, JournalErrorKind, JournalRecord, ListingError, ListingProgress,
        OutcomeRecord, Pace, Permit, Prior, Progress, RateLimit, RateLimiter, RetryDecision,
        RetryReason, Spacing, Termination, TerminationCheck, Token, Transmit,
        DEFAULT_MAX_IN_FLIGHT, JOURNAL_VERSION,
    };
}

/// The journal on disk (the `ureq` feature): the write-ahead record of terminate
/// runs, one file per region, and the lock beside it. See
/// [`tencentcloud_cvm_ureq::journal`] for where, the format and what a re-run
/// makes of it; the records themselves are [`sans_io::JournalRecord`].
#[cfg(feature = "ureq")]
pub mod journal {
    pub use tencentcloud_cvm_ureq::journal::JOURNAL_DIR_NAME;
    pub use tencentcloud_cvm_ureq::{
        Journal, JournalContents, JournalDir, JournalFileError, JournalFileErrorKind,
        JournalOptions, LockHolder, StampedRecord,
    };
}

/// How requests reach the service: the transport contract (who may say a
/// request was not sent, and why it matters: see [`transport::TransportError`])
/// and, with the `ureq` feature, the blocking transport, its settings and the
/// wall clock the blocking client signs with.
pub mod transport {
    pub use tencentcloud_cvm_core::{ConnectError, TransportError, TransportErrorKind};
    #[cfg(feature = "ureq")]
    pub use tencentcloud_cvm_ureq::{
        InvalidProxy, InvalidTrustRoots, SystemClock, Transport, TrustRoots, UreqTransport,
        UreqTransportBuilder, WallClock, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
    };
}

/// The providers' builders and settings, the parts of a set of credentials,
/// and every decision of the credential sources, sans-IO (for a provider of
/// your own, blocking or async): when to refresh, the cache, the chain's order,
/// the files' formats and where they are, tccli's files, the metadata service,
/// STS, and the configured region.
pub mod credentials {
    pub use tencentcloud_cvm_core::configured_region::{
        resolve_region, RegionError, RegionInFile, NO_REGION_HINT,
    };
    pub use tencentcloud_cvm_core::{
        credentials_chain, credentials_refresh, instance_metadata, profile_file, source_exchange,
        sts, tccli_config, temporary_cache,
    };
    pub use tencentcloud_cvm_core::{
        CredentialField, CredentialsAnswerError, InvalidCredentials, Secret, TemporaryCredentials,
    };
    #[cfg(feature = "ureq")]
    pub use tencentcloud_cvm_ureq::{
        AssumeRoleCredentialsBuilder, CvmRoleCredentialsBuilder, DefaultCredentialsChainBuilder,
        DefaultRegionChainBuilder, StsSettings, WebIdentityCredentialsBuilder,
    };
}

/// The README's code blocks, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
