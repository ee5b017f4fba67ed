//! Credentials providers: the environment, files, STS and the instance
//! metadata service.
//!
//! | provider                    | reads                                                      |
//! |-----------------------------|------------------------------------------------------------|
//! | [`EnvironmentCredentials`]  | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN` (or `TENCENTCLOUD_TOKEN`) |
//! | [`ProfileFileCredentials`]  | `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` |
//! | [`AssumeRoleCredentials`]   | STS `AssumeRole` with another provider's credentials (`TENCENTCLOUD_STS_ENDPOINT`) |
//! | [`WebIdentityCredentials`]  | STS `AssumeRoleWithWebIdentity` with TKE's OIDC token (`TKE_*`) |
//! | [`CvmRoleCredentials`]      | the CVM instance's CAM role from the metadata service (`TENCENTCLOUD_METADATA_ENDPOINT`) |
//! | [`DefaultCredentialsChain`] | all of them, in the order its documentation explains       |
//!
//! Every value read is checked with
//! [`Credentials::validate`](tencentcloud_cvm_core::Credentials::validate)
//! where it is read (a CR or LF in a variable is an error naming the
//! variable, before anything is sent). The three temporary sources cache
//! their key and refresh it when 300 s or less remain, one refresh at a time
//! for all threads; a failed refresh keeps a still-valid key, with a warning
//! logged (`log` crate, no secret in it).
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

mod assume_role;
mod chain;
mod cvm_role;
mod env;
mod exchange;
mod profile;
mod regular_file;
mod sts_client;
mod temporary_cache;
mod web_identity;

pub use assume_role::{
    AssumeRoleCredentials, AssumeRoleCredentialsBuilder, ROLE_ARN_VAR, ROLE_SESSION_NAME_VAR,
};
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cvm_role::{
    CvmRoleCredentials, CvmRoleCredentialsBuilder, METADATA_CONNECT_TIMEOUT, METADATA_ENDPOINT_VAR,
    METADATA_REQUEST_TIMEOUT,
};
pub use env::{
    EnvironmentCredentials, SECRET_ID_VAR, SECRET_KEY_VAR, SESSION_TOKEN_VAR, TOKEN_VAR,
};
pub use profile::{
    ProfileFileCredentials, CREDENTIALS_FILE_VAR, PROFILE_VAR, SYSTEM_CREDENTIALS_FILE,
};
pub use sts_client::{STS_CONNECT_TIMEOUT, STS_ENDPOINT_VAR, STS_REQUEST_TIMEOUT};
pub use web_identity::{
    WebIdentityCredentials, WebIdentityCredentialsBuilder, TKE_PROVIDER_ID_VAR, TKE_REGION_VAR,
    TKE_ROLE_ARN_VAR, TKE_WEB_IDENTITY_TOKEN_FILE_VAR,
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
