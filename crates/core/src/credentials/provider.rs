//! Where credentials come from: a trait the engine asks before every request.
//!
//! The core ships the static provider (a [`Credentials`] value is its own
//! provider). Providers that read the environment or files live in the
//! transport crate, because reading them is IO.

use std::fmt;

use crate::credentials::Credentials;

/// Supplies credentials. Called before each request, so rotating providers
/// (temporary credentials) can refresh.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign the next request with.
    fn credentials(&self) -> Result<Credentials, CredentialsError>;
}

impl ProvideCredentials for Credentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        Ok(self.clone())
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        (**self).credentials()
    }
}

/// Whether a source was absent (try the next one) or present but unusable (stop).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialsErrorKind {
    /// The source is not configured (variables unset, file absent).
    NotConfigured,
    /// The source is configured but unusable (a set-but-empty variable, an
    /// unreadable or malformed file, a missing key).
    Invalid,
}

/// Why credentials could not be had. Names the source, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    source_name: String,
    detail: String,
}

impl CredentialsError {
    /// A failure of the source named `source_name` (e.g. `environment`,
    /// `profile file /root/.tencentcloud/credentials`).
    pub fn new(
        kind: CredentialsErrorKind,
        source_name: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        CredentialsError {
            kind,
            source_name: source_name.into(),
            detail: detail.into(),
        }
    }
    /// Absent or unusable.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }
    /// The source that failed.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }
    /// What went wrong.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials from {}: {}", self.source_name, self.detail)
    }
}

impl std::error::Error for CredentialsError {}
