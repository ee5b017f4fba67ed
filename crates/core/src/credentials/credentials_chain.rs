//! The default credentials chain's order and rules, for any driver: which
//! source comes when, which answers end the search, what the error says when
//! none is configured, and when a role is assumed on top.
//!
//! | # | [`ChainSource`] | used when | why here |
//! |---|--------|-----------|----------|
//! | 1 | `Environment` | `TENCENTCLOUD_SECRET_ID` / `_KEY` are set | set for this process: the most specific choice |
//! | 2 | `ProfileFile` | a credentials file exists (`~/.tencentcloud/credentials`, ...) | this project's own file, for this user or machine |
//! | — | AssumeRole | `TENCENTCLOUD_ROLE_ARN` is set (base: the first of the others), or the profile used has `role_arn` (base: its keys) | a role is asked for explicitly, on top of whichever key is found |
//! | 3 | `Tccli` | `~/.tccli/<profile>.credential` holds keys, a role or `cvm-role` | tccli's configuration: after the project's own, before what the platform provides |
//! | 4 | `WebIdentity` | `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` are set | a TKE pod's own identity, configured by the platform |
//! | 5 | `CvmRole` | the metadata service answers with a role | the instance's identity: the fallback when nothing is configured, and the only source that needs the network to find out it is absent |
//!
//! The first source that is configured decides: one that is absent
//! ([`CredentialsErrorKind::NotConfigured`]) passes to the next; one that is
//! present but unusable ([`CredentialsErrorKind::Invalid`]) stops the chain
//! with its error, so a typo never silently falls through to other
//! credentials. When none is configured, one error lists what each tried
//! ([`ChainSearch`]).

use crate::credentials::environment::{setting, Lookup, ROLE_ARN_VAR, ROLE_SESSION_NAME_VAR};
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};

/// One source of the default chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChainSource {
    /// The environment variables.
    Environment,
    /// The project's credentials file.
    ProfileFile,
    /// tccli's configuration.
    Tccli,
    /// TKE OIDC (STS `AssumeRoleWithWebIdentity`).
    WebIdentity,
    /// The instance's CAM role.
    CvmRole,
}

/// The default chain's sources, in order.
pub const DEFAULT_ORDER: [ChainSource; 5] = [
    ChainSource::Environment,
    ChainSource::ProfileFile,
    ChainSource::Tccli,
    ChainSource::WebIdentity,
    ChainSource::CvmRole,
];

/// The source name of AssumeRole's errors.
pub const ASSUME_ROLE_SOURCE: &str = "STS AssumeRole";

/// A search through the chain: feed it each source's answer, in order.
///
/// ```
/// use tencentcloud_cvm_core::credentials_chain::ChainSearch;
/// use tencentcloud_cvm_core::{Credentials, CredentialsError, CredentialsErrorKind};
/// let mut search = ChainSearch::new();
/// let absent = CredentialsError::new(CredentialsErrorKind::NotConfigured, "environment", "nothing set");
/// assert!(search.answer::<Credentials>(Err(absent)).is_none()); // go on
/// let found = search.answer(Ok(Credentials::new("AKIDx", "k")));
/// assert!(matches!(found, Some(Ok(_))));
/// let e = ChainSearch::new().exhausted();
/// assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
/// ```
#[derive(Clone, Debug, Default)]
pub struct ChainSearch {
    tried: Vec<String>,
}

impl ChainSearch {
    /// A search that has tried nothing.
    pub fn new() -> Self {
        ChainSearch::default()
    }

    /// Whether `result` ends the search: `Some` for credentials or a source
    /// that is configured but unusable; `None` (noted) for one that is absent.
    pub fn answer<T>(
        &mut self,
        result: Result<T, CredentialsError>,
    ) -> Option<Result<T, CredentialsError>> {
        match result {
            Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                self.tried
                    .push(format!("{}: {}", e.source_name(), e.detail()));
                None
            }
            other => Some(other),
        }
    }

    /// Notes a source found absent without asking it.
    pub fn absent(&mut self, what: impl Into<String>) {
        self.tried.push(what.into());
    }

    /// What each source said, in order.
    pub fn tried(&self) -> &[String] {
        &self.tried
    }

    /// No source is configured: one [`NotConfigured`](CredentialsErrorKind::NotConfigured)
    /// error listing what each tried.
    pub fn exhausted(self) -> CredentialsError {
        CredentialsError::new(
            CredentialsErrorKind::NotConfigured,
            "the default chain",
            format!("no credentials found ({})", self.tried.join("; ")),
        )
    }

    /// [`exhausted`](Self::exhausted), saying AssumeRole's part in its place in
    /// the order (after the profile file).
    pub fn exhausted_without_role(mut self) -> CredentialsError {
        self.tried.insert(
            2.min(self.tried.len()),
            format!("{ASSUME_ROLE_SOURCE}: {ROLE_ARN_VAR} is not set and no profile has role_arn"),
        );
        self.exhausted()
    }
}

/// The role the environment asks for: `TENCENTCLOUD_ROLE_ARN`, and the session
/// name of `TENCENTCLOUD_ROLE_SESSION_NAME` (which also names the session of a
/// profile's `role_arn` that has no `role_session_name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvironmentRole {
    /// `TENCENTCLOUD_ROLE_ARN`.
    pub role_arn: Option<String>,
    /// `TENCENTCLOUD_ROLE_SESSION_NAME`.
    pub session_name: Option<String>,
}

impl EnvironmentRole {
    /// Reads both variables (set but empty: an error naming it).
    pub fn read(lookup: Lookup<'_>) -> Result<Self, CredentialsError> {
        let read = |name| setting(name, lookup(name), ASSUME_ROLE_SOURCE, "a value");
        let session_name = read(ROLE_SESSION_NAME_VAR)?;
        Ok(EnvironmentRole {
            role_arn: read(ROLE_ARN_VAR)?,
            session_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::environment::fixed;

    #[test]
    fn absent_sources_pass_invalid_ones_stop() {
        let mut search = ChainSearch::new();
        let absent = |what: &str| {
            CredentialsError::new(CredentialsErrorKind::NotConfigured, what, "not set")
        };
        assert!(search.answer::<()>(Err(absent("environment"))).is_none());
        assert!(search.answer::<()>(Err(absent("profile file"))).is_none());
        search.absent("tccli configuration: no file");
        let bad = CredentialsError::new(CredentialsErrorKind::Invalid, "x", "typo");
        assert_eq!(search.answer::<()>(Err(bad.clone())), Some(Err(bad)));
        let e = search.exhausted_without_role();
        assert_eq!(
            e.detail(),
            "no credentials found (environment: not set; profile file: not set; STS AssumeRole: \
             TENCENTCLOUD_ROLE_ARN is not set and no profile has role_arn; tccli configuration: no file)"
        );
        let role = EnvironmentRole::read(&fixed(&[("TENCENTCLOUD_ROLE_ARN", "arn")])).unwrap();
        assert_eq!(role.role_arn.as_deref(), Some("arn"));
        assert!(EnvironmentRole::read(&fixed(&[("TENCENTCLOUD_ROLE_SESSION_NAME", "")])).is_err());
    }
}
