//! [`TemporaryKeys`]: the temporary keys the emulator hands out (CVM role,
//! STS), each with its token and expiry, so the verifier can accept them.

use serde_json::{Map, Value};
use tencentcloud_cvm_core::Credentials;

use crate::api::access_log::rfc3339;
use crate::credential_services::identity::CallerIdentity;

/// Issued keys stay known this long after they expire (so a late request
/// gets `AuthFailure.TokenFailure`, not `SecretIdNotFound`); then they are dropped.
const KEEP_AFTER_EXPIRY: u64 = 3600;

/// A temporary key the emulator issued, without its secrets.
///
/// ```
/// use tencentcloud_cvm_emulator::IssuedCredentials;
/// fn temporary(issued: &[IssuedCredentials], secret_id: &str) -> bool {
///     issued.iter().any(|i| i.secret_id == secret_id)
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuedCredentials {
    /// The temporary SecretId (`AKIDtmp…`).
    pub secret_id: String,
    /// When it expires (Unix seconds).
    pub expires_at: u64,
    /// Who it was issued to, e.g. `cvm-role ops-role` or `AssumeRole qcs::cam::…`.
    pub issued_for: String,
}

/// One issued key, secrets included.
#[derive(Clone, Debug)]
pub(crate) struct TemporaryKey {
    pub(crate) credentials: Credentials,
    pub(crate) expires_at: u64,
    issued_for: String,
    /// Who calls with it: the role it was issued for.
    pub(crate) identity: CallerIdentity,
}

impl TemporaryKey {
    /// `TmpSecretId`, `TmpSecretKey` and `Token`: the key's parts, named as STS and the
    /// metadata service answer them.
    pub(crate) fn secret_fields(&self) -> Map<String, Value> {
        let c = &self.credentials;
        let token = c.token().map(|t| t.expose()).unwrap_or_default();
        Map::from_iter([
            ("TmpSecretId".to_owned(), c.secret_id().into()),
            ("TmpSecretKey".to_owned(), c.secret_key().expose().into()),
            ("Token".to_owned(), token.into()),
        ])
    }

    /// `ExpiredTime` (Unix seconds) and `Expiration` (RFC 3339): when the key expires,
    /// as STS and the metadata service answer it.
    pub(crate) fn expiry_fields(&self) -> Map<String, Value> {
        Map::from_iter([
            ("ExpiredTime".to_owned(), self.expires_at.into()),
            ("Expiration".to_owned(), rfc3339(self.expires_at).into()),
        ])
    }
}

/// Every key issued and not yet forgotten.
#[derive(Debug, Default)]
pub(crate) struct TemporaryKeys {
    keys: Vec<TemporaryKey>,
}

fn random_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl TemporaryKeys {
    /// Issues a new key at `now` (Unix seconds) lasting `ttl` seconds.
    pub(crate) fn issue(
        &mut self,
        now: u64,
        ttl: u64,
        issued_for: String,
        identity: CallerIdentity,
    ) -> TemporaryKey {
        self.keys
            .retain(|k| k.expires_at.saturating_add(KEEP_AFTER_EXPIRY) > now);
        let key = TemporaryKey {
            credentials: Credentials::new(format!("AKIDtmp{}", random_hex()), random_hex())
                .with_token(format!("{}{}", random_hex(), random_hex())),
            expires_at: now.saturating_add(ttl),
            issued_for,
            identity,
        };
        self.keys.push(key.clone());
        key
    }

    /// The key with this SecretId, if issued.
    pub(crate) fn find(&self, secret_id: &str) -> Option<&TemporaryKey> {
        self.keys
            .iter()
            .find(|k| k.credentials.secret_id() == secret_id)
    }

    pub(crate) fn list(&self) -> Vec<IssuedCredentials> {
        self.keys
            .iter()
            .map(|k| IssuedCredentials {
                secret_id: k.credentials.secret_id().to_owned(),
                expires_at: k.expires_at,
                issued_for: k.issued_for.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_carry_tokens_and_are_forgotten_an_hour_after_expiry() {
        let mut keys = TemporaryKeys::default();
        let role = CallerIdentity::assumed_role("1", "4611686018000000001", "s", "2");
        let a = keys.issue(1000, 60, "a".into(), role.clone());
        let b = keys.issue(1000, 60, "b".into(), role.clone());
        assert_ne!(a.credentials.secret_id(), b.credentials.secret_id());
        assert!(a.credentials.secret_id().starts_with("AKIDtmp"));
        assert!(a.credentials.token().is_some());
        assert!(a.credentials.validate().is_ok());
        assert_eq!(a.expires_at, 1060);
        assert!(keys.find(a.credentials.secret_id()).is_some());
        let c = keys.issue(1060 + KEEP_AFTER_EXPIRY, 60, "c".into(), role);
        assert!(keys.find(a.credentials.secret_id()).is_none());
        let listed = format!("{:?}", keys.list());
        assert_eq!(keys.list().len(), 1);
        assert!(listed.contains(c.credentials.secret_id()));
        assert!(!listed.contains(c.credentials.secret_key().expose()));
        assert!(!listed.contains(c.credentials.token().unwrap().expose()));
    }
}
