//! API 3.0 over HTTP: the service and endpoint a request goes to, the settings
//! they share ([`ServiceConfig`](crate::ServiceConfig)), signed and unsigned
//! `http::Request`s, the response envelope, and how building or sending one fails.
//!
//! Not to be confused with the `http` crate, whose `Request` and `Response` it
//! builds and reads.

pub(crate) mod build_error;
pub(crate) mod endpoint;
pub(crate) mod headers;
pub mod response;
pub(crate) mod service;
pub(crate) mod service_config;
pub(crate) mod signed_request;
pub(crate) mod transport_error;
pub(crate) mod unsigned_request;
