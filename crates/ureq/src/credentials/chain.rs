//! [`DefaultCredentialsChain`]: the environment, then the profile file.

use std::fmt;

use tencentcloud_cvm_core::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};

use super::{EnvLookup, EnvironmentCredentials, ProfileFileCredentials};

/// Tries providers in order: the first credentials win; an
/// [`CredentialsErrorKind::Invalid`] answer stops the search (and is returned
/// as it is); when every provider is [`CredentialsErrorKind::NotConfigured`],
/// the error lists what each one tried.
///
/// The default order is [`EnvironmentCredentials`], then [`ProfileFileCredentials`].
///
/// ```
/// use tencentcloud_cvm_core::{CredentialsErrorKind, ProvideCredentials};
/// use tencentcloud_cvm_ureq::{DefaultCredentialsChain, EnvironmentCredentials, ProfileFileCredentials};
/// // An environment without credentials, HOME or a system file:
/// let chain = DefaultCredentialsChain::from_providers(vec![
///     Box::new(EnvironmentCredentials::with_lookup(|_| None)),
///     Box::new(ProfileFileCredentials::with_lookup(|_| None).system_file("/nonexistent/credentials")),
/// ]);
/// let e = chain.credentials().unwrap_err();
/// assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
/// assert!(e.detail().contains("TENCENTCLOUD_SECRET_ID"));
/// ```
pub struct DefaultCredentialsChain {
    providers: Vec<Box<dyn ProvideCredentials>>,
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::new()
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.providers).finish()
    }
}

impl DefaultCredentialsChain {
    /// The environment, then the profile file, both from the process environment.
    pub fn new() -> Self {
        DefaultCredentialsChain::from_lookup(EnvLookup::Process)
    }

    /// The same two providers, reading variables through `lookup` (`None`: unset).
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        DefaultCredentialsChain::from_lookup(EnvLookup::custom(lookup))
    }

    fn from_lookup(lookup: EnvLookup) -> Self {
        DefaultCredentialsChain::from_providers(vec![
            Box::new(EnvironmentCredentials::from_lookup(lookup.clone())),
            Box::new(ProfileFileCredentials::from_lookup(lookup)),
        ])
    }

    /// A chain of these providers, tried in order.
    pub fn from_providers(providers: Vec<Box<dyn ProvideCredentials>>) -> Self {
        DefaultCredentialsChain { providers }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.credentials() {
                Ok(c) => return Ok(c),
                Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                    tried.push(format!("{}: {}", e.source_name(), e.detail()));
                }
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::new(
            CredentialsErrorKind::NotConfigured,
            "the default chain",
            format!("no credentials found ({})", tried.join("; ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{vars, SECRET_ID_VAR, SECRET_KEY_VAR};
    use crate::test_support::TempDir;

    fn chain(dir: &TempDir, pairs: &[(&str, &str)]) -> DefaultCredentialsChain {
        let lookup = EnvLookup::custom(vars(pairs));
        DefaultCredentialsChain::from_providers(vec![
            Box::new(EnvironmentCredentials::from_lookup(lookup.clone())),
            Box::new(
                ProfileFileCredentials::from_lookup(lookup)
                    .system_file(dir.path().join("etc/credentials")),
            ),
        ])
    }

    #[test]
    fn environment_wins_over_the_file() {
        let dir = TempDir::new("chain-env");
        let home = dir.path().join("home").display().to_string();
        dir.write(
            "home/.tencentcloud/credentials",
            "[default]\nsecret_id=AKIDfile\nsecret_key=k\n",
        );
        let both = [
            ("HOME", home.as_str()),
            (SECRET_ID_VAR, "AKIDenv"),
            (SECRET_KEY_VAR, "k"),
        ];
        assert_eq!(
            chain(&dir, &both).credentials().unwrap().secret_id(),
            "AKIDenv"
        );
        let file_only = [("HOME", home.as_str())];
        assert_eq!(
            chain(&dir, &file_only).credentials().unwrap().secret_id(),
            "AKIDfile"
        );
    }

    #[test]
    fn an_invalid_environment_stops_the_chain() {
        let dir = TempDir::new("chain-invalid");
        let home = dir.path().join("home").display().to_string();
        dir.write(
            "home/.tencentcloud/credentials",
            "[default]\nsecret_id=AKIDfile\nsecret_key=k\n",
        );
        let e = chain(&dir, &[("HOME", &home), (SECRET_ID_VAR, "")])
            .credentials()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(e.source_name(), "environment");
    }

    #[test]
    fn an_invalid_file_is_reported_not_skipped() {
        let dir = TempDir::new("chain-file");
        let home = dir.path().join("home").display().to_string();
        dir.write(
            "home/.tencentcloud/credentials",
            "[default]\nsecret_id=AKID\n",
        );
        let e = chain(&dir, &[("HOME", &home)]).credentials().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(e.source_name().starts_with("profile file "), "{e}");
    }

    #[test]
    fn nothing_configured_lists_every_source() {
        let dir = TempDir::new("chain-none");
        let home = dir.path().join("home").display().to_string();
        let e = chain(&dir, &[("HOME", &home)]).credentials().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        let text = e.to_string();
        assert!(
            text.contains("environment: TENCENTCLOUD_SECRET_ID"),
            "{text}"
        );
        assert!(
            text.contains("profile file: no credentials file at "),
            "{text}"
        );
        assert!(text.contains("etc/credentials"), "{text}");
    }
}
