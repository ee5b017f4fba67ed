//! The API 3.0 protocol as the emulator speaks it, whatever the action: the `X-TC-*`
//! headers, signature verification, parameters (JSON or form fields), response
//! envelopes, errors and the access log.

pub(crate) mod access_log;
pub(crate) mod auth;
pub(crate) mod error;
pub(crate) mod params;
pub(crate) mod request_headers;
pub(crate) mod response;
