//! Credentials providers: see the crate docs, "Credentials".

use std::fmt;
use std::sync::{Arc, Mutex};

use tencentcloud_cvm_core::env::{setting, VariableValue};
use tencentcloud_cvm_core::CredentialsError;

mod assume_role;
mod chain;
mod cvm_role;
mod env;
pub(crate) mod exchange;
mod profile;
mod region;
mod regular_file;
mod sts_client;
mod tccli;
mod temporary_cache;
mod web_identity;

pub use assume_role::{AssumeRoleCredentials, AssumeRoleCredentialsBuilder};
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cvm_role::{CvmRoleCredentials, CvmRoleCredentialsBuilder};
pub use env::EnvironmentCredentials;
pub use profile::ProfileFileCredentials;
pub use region::{DefaultRegionChain, DefaultRegionChainBuilder};
pub use sts_client::StsSettings;
pub use tccli::TccliCredentials;
pub use web_identity::{WebIdentityCredentials, WebIdentityCredentialsBuilder};

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

    /// The variable, as the core's decisions read it.
    pub(crate) fn get(&self, name: &str) -> VariableValue {
        match self {
            EnvLookup::Process => VariableValue::from_var(std::env::var(name)),
            EnvLookup::Custom(f) => VariableValue::from_option(f(name)),
        }
    }

    /// A variable holding a setting, by the core's rule ([`setting`]).
    pub(crate) fn non_empty(
        &self,
        name: &str,
        source: &str,
        set_to: &str,
    ) -> Result<Option<String>, CredentialsError> {
        setting(name, self.get(name), source, set_to)
    }
}

/// One provider kept while its settings (the key) stay the same.
pub(crate) struct Keyed<K, P> {
    slot: Mutex<Option<(K, Arc<P>)>>,
}

impl<K, P> Default for Keyed<K, P> {
    fn default() -> Self {
        Keyed {
            slot: Mutex::new(None),
        }
    }
}

impl<K, P: fmt::Debug> fmt::Debug for Keyed<K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        fmt::Debug::fmt(&slot.as_ref().map(|(_, p)| p), f)
    }
}

impl<K: PartialEq, P> Keyed<K, P> {
    pub(crate) fn get(
        &self,
        key: K,
        make: impl FnOnce() -> Result<P, CredentialsError>,
    ) -> Result<Arc<P>, CredentialsError> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, p)) = slot.as_ref() {
            if *k == key {
                return Ok(Arc::clone(p));
            }
        }
        let provider = Arc::new(make()?);
        *slot = Some((key, Arc::clone(&provider)));
        Ok(provider)
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
    use tencentcloud_cvm_core::CredentialsErrorKind;

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
