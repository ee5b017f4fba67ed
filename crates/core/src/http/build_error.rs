//! [`BuildError`]: why a signed request could not be built.

use std::fmt;

use crate::http::endpoint::EndpointError;
use crate::signing::SigningError;

/// Why a request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The region is empty or holds characters a region cannot have.
    InvalidRegion(String),
    /// The endpoint URL was refused.
    Endpoint(EndpointError),
    /// The session token or SecretId cannot be sent in a header (control characters).
    /// The value is not repeated here.
    InvalidCredentialCharacters(&'static str),
    /// The signing parameters were refused.
    Signing(SigningError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidRegion(r) => write!(
                f,
                "invalid region `{}`: expected lowercase letters, digits and '-', e.g. ap-guangzhou",
                r.escape_debug()
            ),
            BuildError::Endpoint(e) => e.fmt(f),
            BuildError::InvalidCredentialCharacters(what) => {
                write!(f, "the {what} contains characters that cannot be sent in a header")
            }
            BuildError::Signing(e) => e.fmt(f),
        }
    }
}

/// The endpoint and signing variants are transparent: their message is
/// shown above, so they hand on the cause's own source, not the cause.
impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Endpoint(e) => e.source(),
            BuildError::Signing(e) => e.source(),
            _ => None,
        }
    }
}

impl From<SigningError> for BuildError {
    fn from(e: SigningError) -> Self {
        BuildError::Signing(e)
    }
}
