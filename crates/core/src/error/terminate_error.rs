//! [`TerminateError`]: why a terminate call sent nothing at all.

use std::fmt;

use crate::credentials::invalid_credentials::InvalidCredentials;
use crate::credentials::provider::CredentialsError;
use crate::error::validation_error::ValidationError;
use crate::http::build_error::BuildError;

/// Why a terminate call sent nothing at all. Once anything is sent, every
/// instance is accounted for in the report instead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TerminateError {
    /// An instance ID was malformed; nothing was sent.
    Validation(ValidationError),
    /// No credentials could be had; nothing was sent.
    Credentials(CredentialsError),
    /// The credentials cannot be sent (an empty key, a control character in a
    /// header value); nothing was sent.
    InvalidCredentials(InvalidCredentials),
    /// A request could not be built (bad token characters); nothing was sent.
    Build(BuildError),
}

/// Transparent: each variant shows its cause's message and hands on the
/// cause's own source, so the message is printed once.
impl fmt::Display for TerminateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TerminateError::Validation(e) => e.fmt(f),
            TerminateError::Credentials(e) => e.fmt(f),
            TerminateError::InvalidCredentials(e) => e.fmt(f),
            TerminateError::Build(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TerminateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TerminateError::Validation(e) => e.source(),
            TerminateError::Credentials(e) => e.source(),
            TerminateError::InvalidCredentials(e) => e.source(),
            TerminateError::Build(e) => e.source(),
        }
    }
}

impl From<ValidationError> for TerminateError {
    fn from(e: ValidationError) -> Self {
        TerminateError::Validation(e)
    }
}

impl From<CredentialsError> for TerminateError {
    fn from(e: CredentialsError) -> Self {
        TerminateError::Credentials(e)
    }
}

impl From<BuildError> for TerminateError {
    fn from(e: BuildError) -> Self {
        TerminateError::Build(e)
    }
}

impl From<InvalidCredentials> for TerminateError {
    fn from(e: InvalidCredentials) -> Self {
        TerminateError::InvalidCredentials(e)
    }
}
