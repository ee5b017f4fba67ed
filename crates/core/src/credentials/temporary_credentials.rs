//! [`TemporaryCredentials`]: credentials with a session token and an expiry,
//! as the instance metadata service and STS hand them out.

use crate::credentials::Credentials;

/// Temporary credentials (a [`Credentials`] value with a
/// session token) and the Unix time they expire at.
///
/// ```
/// use tencentcloud_cvm_core::{Credentials, TemporaryCredentials};
/// let t = TemporaryCredentials::new(Credentials::new("AKIDtmp", "k").with_token("t"), 1_700_007_200);
/// assert_eq!(t.expires_at(), 1_700_007_200);
/// assert!(t.is_valid_at(1_700_007_199));
/// assert!(!t.is_valid_at(1_700_007_200));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporaryCredentials {
    credentials: Credentials,
    expires_at: u64,
}

impl TemporaryCredentials {
    /// Credentials valid until `expires_at` (Unix seconds, exclusive).
    pub fn new(credentials: Credentials, expires_at: u64) -> Self {
        TemporaryCredentials {
            credentials,
            expires_at,
        }
    }

    /// The key, SecretId and token: one snapshot, always used together.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// When they expire (Unix seconds).
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// Whether they can still sign a request at `now` (Unix seconds).
    pub fn is_valid_at(&self, now: u64) -> bool {
        now < self.expires_at
    }

    /// The key itself.
    pub fn into_credentials(self) -> Credentials {
        self.credentials
    }
}
