//! The emulator's credential services, answered on the same listener as CVM:
//! the instance metadata service's CAM role ([`crate::credential_services::metadata`]) and STS
//! ([`crate::credential_services::sts`]), both issuing [`TemporaryKeys`] the CVM verifier accepts
//! with their token until they expire.
//!
//! | request | answered by |
//! | --- | --- |
//! | `GET /latest/meta-data/…` | the metadata service (404 unless `--cvm-role` names a role) |
//! | `X-TC-Action: AssumeRole`, scope `…/sts/tc3_request` | STS, signed by a known `--credential` (or an issued key) |
//! | `X-TC-Action: AssumeRoleWithWebIdentity`, `Authorization: SKIP` | STS, with a token given by `--web-identity` |
//! | anything else | CVM |

pub(crate) mod identity;
pub(crate) mod metadata;
pub(crate) mod sts;
pub(crate) mod temporary_credentials;

use std::time::Duration;

use http::{Method, Request};
use tencentcloud_cvm_core::instance_metadata::RoleName;
use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::sts::{
    ASSUME_ROLE, ASSUME_ROLE_WITH_WEB_IDENTITY, DEFAULT_DURATION_SECONDS,
};
use tencentcloud_cvm_core::{Credentials, Secret};

use crate::credential_services::identity::CallerIdentity;
use crate::credential_services::temporary_credentials::{IssuedCredentials, TemporaryKeys};
use crate::emulator::config::EmulatorConfig;
use crate::emulator::config_error::ConfigError;
use crate::emulator::handler::Handled;
use crate::now::Now;

/// The default lifetime of issued temporary keys (what STS gives by default).
pub(crate) const DEFAULT_TTL: Duration = Duration::from_secs(DEFAULT_DURATION_SECONDS);

/// Settings of the credential services, part of an [`EmulatorConfig`].
#[derive(Clone, Debug)]
pub(crate) struct CredentialServicesConfig {
    cvm_role: Option<String>,
    ttl: Duration,
    web_identities: Vec<(String, Secret)>,
    /// The account every credential belongs to (its owner's UIN).
    account_id: String,
    /// Identities set for SecretIds, over the default sub-account.
    identities: Vec<(String, CallerIdentity)>,
}

/// The account the emulator's credentials belong to unless told otherwise.
pub const DEFAULT_ACCOUNT_ID: &str = "100000000001";

impl Default for CredentialServicesConfig {
    fn default() -> Self {
        CredentialServicesConfig {
            cvm_role: None,
            ttl: DEFAULT_TTL,
            web_identities: Vec::new(),
            account_id: DEFAULT_ACCOUNT_ID.to_owned(),
            identities: Vec::new(),
        }
    }
}

impl CredentialServicesConfig {
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if let Some(role) = &self.cvm_role {
            RoleName::new(role).map_err(|_| ConfigError::InvalidRoleName(role.clone()))?;
        }
        Ok(())
    }
}

impl EmulatorConfig {
    /// Serves the instance metadata service with this CAM role bound: its
    /// credentials path issues a temporary key (with a token) on every request.
    pub fn cvm_role(mut self, name: impl Into<String>) -> Self {
        self.settings.credential_services.cvm_role = Some(name.into());
        self
    }

    /// How long temporary keys last (default 7200 s); STS keys last the
    /// `DurationSeconds` asked for, but never longer. Whole seconds.
    pub fn temp_credential_ttl(mut self, ttl: Duration) -> Self {
        self.settings.credential_services.ttl = ttl;
        self
    }

    /// The account (its owner's UIN) every credential belongs to, as `GetCallerIdentity`
    /// answers it (default `100000000001`).
    pub fn account_id(mut self, uin: impl Into<String>) -> Self {
        self.settings.credential_services.account_id = uin.into();
        self
    }

    /// `GetCallerIdentity` answers `identity` for the credential `secret_id` (by
    /// default: a sub-account of the account, see [`CallerIdentity`]).
    pub fn caller_identity(
        mut self,
        secret_id: impl Into<String>,
        identity: CallerIdentity,
    ) -> Self {
        self.settings
            .credential_services
            .identities
            .push((secret_id.into(), identity));
        self
    }

    /// Accepts this OIDC token from this identity provider in `AssumeRoleWithWebIdentity`.
    pub fn web_identity(
        mut self,
        provider_id: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.settings
            .credential_services
            .web_identities
            .push((provider_id.into(), Secret::new(token)));
        self
    }
}

/// The credential services' settings and the keys they issued.
#[derive(Debug)]
pub(crate) struct CredentialServices {
    pub(crate) config: CredentialServicesConfig,
    pub(crate) keys: TemporaryKeys,
}

/// What STS verification needs from the emulator.
pub(crate) struct Verification<'a> {
    pub(crate) credentials: &'a [Credentials],
    pub(crate) signer: &'a Signer,
    pub(crate) clock_skew: Duration,
}

impl CredentialServices {
    pub(crate) fn new(config: CredentialServicesConfig) -> Self {
        CredentialServices {
            config,
            keys: TemporaryKeys::default(),
        }
    }

    /// The lifetime of issued keys, in whole seconds.
    pub(crate) fn ttl(&self) -> u64 {
        self.config.ttl.as_secs()
    }

    pub(crate) fn cvm_role(&self) -> Option<&str> {
        self.config.cvm_role.as_deref()
    }

    /// The account every credential belongs to.
    pub(crate) fn account_id(&self) -> &str {
        &self.config.account_id
    }

    /// Who calls with the credential `secret_id`: a temporary key's role, a configured
    /// identity, or by default a sub-account of the account.
    pub(crate) fn identity_of(&self, secret_id: &str) -> CallerIdentity {
        if let Some(key) = self.keys.find(secret_id) {
            return key.identity.clone();
        }
        if let Some((_, identity)) = self.config.identities.iter().find(|(s, _)| s == secret_id) {
            return identity.clone();
        }
        CallerIdentity::sub_account(&self.config.account_id, &identity::uin_of(secret_id))
    }

    /// Whether `provider_id` issued `token` (compared in full; tests only).
    pub(crate) fn knows_web_identity(&self, provider_id: &str, token: &str) -> bool {
        self.config
            .web_identities
            .iter()
            .any(|(p, t)| p == provider_id && t.expose() == token)
    }

    /// Every key issued and not yet forgotten (no secrets).
    pub(crate) fn issued(&self) -> Vec<IssuedCredentials> {
        self.keys.list()
    }

    /// Answers a metadata or STS request; `None` for anything else (CVM).
    pub(crate) fn serve(
        &mut self,
        request: &Request<Vec<u8>>,
        now: Now,
        verification: Verification<'_>,
    ) -> Option<Handled> {
        if request.method() == Method::GET
            && request
                .uri()
                .path()
                .starts_with(crate::credential_services::metadata::PREFIX)
        {
            return Some(crate::credential_services::metadata::handle(
                self, request, now,
            ));
        }
        let action = request.headers().get("x-tc-action")?.as_bytes();
        if action == ASSUME_ROLE.as_bytes() || action == ASSUME_ROLE_WITH_WEB_IDENTITY.as_bytes() {
            return Some(crate::credential_services::sts::handle(
                self,
                request,
                now,
                verification,
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests;
