//! Credentials providers: see the crate docs, "Credentials".

use std::fmt;
use std::sync::Arc;

use tencentcloud_cvm_core::{CredentialsError, CredentialsErrorKind};

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
pub use sts_client::{StsSettings, STS_CONNECT_TIMEOUT, STS_ENDPOINT_VAR, STS_REQUEST_TIMEOUT};
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

    /// A variable holding a setting: `None` when unset, else its value trimmed.
    /// Set but empty (or only whitespace), or not Unicode, is a mistake rather
    /// than "unset", so it is refused: [`CredentialsErrorKind::Invalid`] from
    /// `source`, naming the variable and saying to set it to `set_to` (`a
    /// value`, `a URL`) or unset it.
    pub(crate) fn non_empty(
        &self,
        name: &str,
        source: &str,
        set_to: &str,
    ) -> Result<Option<String>, CredentialsError> {
        let invalid = |detail: String| {
            CredentialsError::new(CredentialsErrorKind::Invalid, source.to_owned(), detail)
        };
        match self.get(name) {
            EnvValue::Unset => Ok(None),
            EnvValue::NotUnicode => Err(invalid(format!("{name} is not valid Unicode"))),
            EnvValue::Set(v) if v.trim().is_empty() => Err(invalid(format!(
                "{name} is set but empty; set it to {set_to} or unset it"
            ))),
            EnvValue::Set(v) => Ok(Some(v.trim().to_owned())),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_empty_trims_and_refuses_empty_by_name() {
        let lookup = EnvLookup::custom(vars(&[("SET", " v \n"), ("EMPTY", " \t")]));
        assert_eq!(
            lookup.non_empty("SET", "s", "a value").unwrap().as_deref(),
            Some("v")
        );
        assert_eq!(lookup.non_empty("UNSET", "s", "a value").unwrap(), None);
        let e = lookup.non_empty("EMPTY", "CVM role", "a URL").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "credentials from CVM role: EMPTY is set but empty; set it to a URL or unset it"
        );
    }
}
