//! Credentials providers that read the environment and files.
//!
//! | provider                    | reads                                                      |
//! |-----------------------------|------------------------------------------------------------|
//! | [`EnvironmentCredentials`]  | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN` |
//! | [`ProfileFileCredentials`]  | `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` |
//! | [`DefaultCredentialsChain`] | the two above, in that order                               |
//!
//! A source that is absent answers [`CredentialsErrorKind::NotConfigured`] and
//! the chain moves on; a source that is present but unusable answers
//! [`CredentialsErrorKind::Invalid`] and the chain stops there, so a typo never
//! silently falls through to other credentials. Errors name the source (the
//! variable, the file and line), never a secret.
//!
//! [`CredentialsErrorKind::NotConfigured`]: tencentcloud_cvm_core::CredentialsErrorKind::NotConfigured
//! [`CredentialsErrorKind::Invalid`]: tencentcloud_cvm_core::CredentialsErrorKind::Invalid

use std::fmt;
use std::sync::Arc;

mod chain;
mod env;
mod profile;

pub use chain::DefaultCredentialsChain;
pub use env::{EnvironmentCredentials, SECRET_ID_VAR, SECRET_KEY_VAR, SESSION_TOKEN_VAR};
pub use profile::{
    ProfileFileCredentials, CREDENTIALS_FILE_VAR, PROFILE_VAR, SYSTEM_CREDENTIALS_FILE,
};

/// One environment variable, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EnvValue {
    Unset,
    /// Set, but not valid Unicode.
    NotUnicode,
    Set(String),
}

/// A caller's variable lookup (`None`: unset).
type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where environment variables come from: the process, or a test's function.
#[derive(Clone)]
pub(crate) enum EnvLookup {
    Process,
    Custom(Arc<LookupFn>),
}

impl EnvLookup {
    pub(crate) fn custom(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvLookup::Custom(Arc::new(f))
    }

    pub(crate) fn get(&self, name: &str) -> EnvValue {
        match self {
            EnvLookup::Process => match std::env::var(name) {
                Ok(v) => EnvValue::Set(v),
                Err(std::env::VarError::NotPresent) => EnvValue::Unset,
                Err(std::env::VarError::NotUnicode(_)) => EnvValue::NotUnicode,
            },
            EnvLookup::Custom(f) => f(name).map_or(EnvValue::Unset, EnvValue::Set),
        }
    }
}

impl fmt::Debug for EnvLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EnvLookup::Process => "process environment",
            EnvLookup::Custom(_) => "custom lookup",
        })
    }
}

/// A lookup over fixed pairs, for tests.
#[cfg(test)]
pub(crate) fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}
