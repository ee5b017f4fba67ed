//! API credentials: a SecretId, a SecretKey and an optional session token.
//!
//! The secret parts never leave this module in readable form by accident:
//! `Debug` redacts them and there is no `Display`. Code that needs the key
//! bytes (the signer) calls [`Credentials::secret_key`] explicitly.
//!
//! Beside them: where credentials come from ([`ProvideCredentials`](crate::ProvideCredentials)),
//! the check every source applies, temporary credentials and when to refresh them,
//! and every decision of the sources, sans-IO, so a blocking and an async driver
//! share them: the variables and their rule (`environment`), the profile file and
//! tccli's files (where, which profile, the formats), the instance metadata
//! service (`cvm_role`) and STS, one exchange's retry (`source_exchange`), the
//! cache of temporary credentials (`temporary_cache`), the chain's order and
//! rules (`credentials_chain`) and the configured region (`configured_region`).

pub mod configured_region;
pub(crate) mod credentials_answer;
pub mod credentials_chain;
pub mod credentials_refresh;
pub(crate) mod cvm_role;
pub mod environment;
pub mod instance_metadata;
pub(crate) mod invalid_credentials;
pub mod profile_file;
pub(crate) mod provider;
pub mod source_exchange;
pub mod sts;
pub mod tccli_config;
pub mod temporary_cache;
pub(crate) mod temporary_credentials;

use std::fmt;

/// A secret string (SecretKey or session token) whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().into_boxed_str())
    }

    /// The secret itself. Call sites of this method are the only places a secret is read.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Credentials for signing requests.
///
/// ```
/// use tencentcloud_cvm_core::Credentials;
/// let c = Credentials::new("AKIDEXAMPLE", "sekrit-key").with_token("sekrit-token");
/// assert_eq!(c.secret_id(), "AKIDEXAMPLE");
/// let shown = format!("{c:?}");
/// assert!(!shown.contains("sekrit"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: Box<str>,
    secret_key: Secret,
    token: Option<Secret>,
}

impl Credentials {
    /// Long-term credentials: a SecretId and its SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            secret_id: secret_id.into().into_boxed_str(),
            secret_key: Secret::new(secret_key),
            token: None,
        }
    }

    /// Adds a session token (temporary credentials from STS or a CAM role).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }

    /// The SecretId (public: it appears in every Authorization header).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// The session token, if any.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_key_and_token() {
        let c = Credentials::new("AKIDpublic", "SENTINEL-KEY").with_token("SENTINEL-TOKEN");
        let d = format!("{c:?} {:?} {:?}", c.secret_key(), c.token());
        assert!(d.contains("AKIDpublic"));
        assert!(!d.contains("SENTINEL"));
    }
}
