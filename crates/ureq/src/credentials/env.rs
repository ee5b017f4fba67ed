//! [`EnvironmentCredentials`]: `TENCENTCLOUD_SECRET_ID` and friends.

use tencentcloud_cvm_core::{Credentials, CredentialsError, ProvideCredentials};

use super::EnvLookup;

/// Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the
/// optional `TENCENTCLOUD_SESSION_TOKEN` (or tccli's `TENCENTCLOUD_TOKEN`), read
/// on every call (so a rotated token is picked up), by the core's rules
/// ([`tencentcloud_cvm_core::env::credentials`]). Values are trimmed of
/// surrounding whitespace, then checked with [`Credentials::validate`].
///
/// * Neither the SecretId nor the SecretKey variable is set, and no token:
///   [`CredentialsErrorKind::NotConfigured`](tencentcloud_cvm_core::CredentialsErrorKind::NotConfigured).
/// * One of them is set and the other is not, any of them is set but
///   empty (or only whitespace), or not valid Unicode, a value holds a control
///   character (a CR or LF pasted inside it, say), a token is set without a
///   SecretId and SecretKey, or both token variables are set to different
///   values: [`CredentialsErrorKind::Invalid`](tencentcloud_cvm_core::CredentialsErrorKind::Invalid), naming the variable, never its value.
///
/// ```
/// use tencentcloud_cvm_core::{CredentialsErrorKind, ProvideCredentials};
/// use tencentcloud_cvm_ureq::EnvironmentCredentials;
/// let env = EnvironmentCredentials::with_lookup(|name| match name {
///     "TENCENTCLOUD_SECRET_ID" => Some("AKIDexample".to_owned()),
///     "TENCENTCLOUD_SECRET_KEY" => Some("example-key".to_owned()),
///     _ => None,
/// });
/// assert_eq!(env.credentials()?.secret_id(), "AKIDexample");
///
/// let unset = EnvironmentCredentials::with_lookup(|_| None);
/// assert_eq!(unset.credentials().unwrap_err().kind(), CredentialsErrorKind::NotConfigured);
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
#[derive(Clone, Debug)]
pub struct EnvironmentCredentials {
    lookup: EnvLookup,
}

impl Default for EnvironmentCredentials {
    fn default() -> Self {
        EnvironmentCredentials::new()
    }
}

impl EnvironmentCredentials {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvironmentCredentials {
            lookup: EnvLookup::Process,
        }
    }

    /// Reads variables through `lookup` (`None`: unset) instead of the process
    /// environment, e.g. in tests.
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvironmentCredentials {
            lookup: EnvLookup::custom(lookup),
        }
    }

    pub(crate) fn from_lookup(lookup: EnvLookup) -> Self {
        EnvironmentCredentials { lookup }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        tencentcloud_cvm_core::env::credentials(&|name| self.lookup.get(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::vars;
    use tencentcloud_cvm_core::env::{SECRET_ID_VAR, SECRET_KEY_VAR, SESSION_TOKEN_VAR, TOKEN_VAR};
    use tencentcloud_cvm_core::CredentialsErrorKind;

    fn get(pairs: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentCredentials::with_lookup(vars(pairs)).credentials()
    }

    fn invalid_naming(pairs: &[(&str, &str)], var: &str) {
        let e = get(pairs).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{pairs:?}");
        assert_eq!(e.source_name(), "environment");
        assert!(e.detail().starts_with(var), "{e}");
        for (_, value) in pairs {
            if !value.trim().is_empty() {
                assert!(!e.to_string().contains(value.trim()), "{e} leaks {value}");
            }
        }
    }

    #[test]
    fn both_set_with_and_without_token() {
        let c = get(&[(SECRET_ID_VAR, " AKIDenv\n"), (SECRET_KEY_VAR, "env-key")]).unwrap();
        assert_eq!(c.secret_id(), "AKIDenv");
        assert_eq!(c.secret_key().expose(), "env-key");
        assert!(c.token().is_none());
        let c = get(&[
            (SECRET_ID_VAR, "AKIDenv"),
            (SECRET_KEY_VAR, "env-key"),
            (SESSION_TOKEN_VAR, "tok"),
        ])
        .unwrap();
        assert_eq!(c.token().unwrap().expose(), "tok");
    }

    #[test]
    fn unset_is_not_configured() {
        let e = get(&[("HOME", "/root")]).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        assert!(e.detail().contains(SECRET_ID_VAR));
    }

    #[test]
    fn half_set_or_empty_is_invalid_and_named() {
        invalid_naming(&[(SECRET_ID_VAR, "AKIDx")], SECRET_ID_VAR);
        invalid_naming(&[(SECRET_KEY_VAR, "SENTINEL-KEY")], SECRET_KEY_VAR);
        invalid_naming(
            &[(SECRET_ID_VAR, ""), (SECRET_KEY_VAR, "SENTINEL-KEY")],
            SECRET_ID_VAR,
        );
        invalid_naming(
            &[(SECRET_ID_VAR, "AKIDx"), (SECRET_KEY_VAR, "  \t")],
            SECRET_KEY_VAR,
        );
        invalid_naming(&[(SECRET_ID_VAR, ""), (SECRET_KEY_VAR, "")], SECRET_ID_VAR);
        invalid_naming(
            &[
                (SECRET_ID_VAR, "AKIDx"),
                (SECRET_KEY_VAR, "SENTINEL-KEY"),
                (SESSION_TOKEN_VAR, " "),
            ],
            SESSION_TOKEN_VAR,
        );
        invalid_naming(&[(SESSION_TOKEN_VAR, "SENTINEL-TOKEN")], SESSION_TOKEN_VAR);
    }

    #[test]
    fn tcclis_token_name_is_accepted() {
        let base = [(SECRET_ID_VAR, "AKIDenv"), (SECRET_KEY_VAR, "SENTINEL-KEY")];
        let with = |extra: &[(&str, &str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            get(&pairs)
        };
        let c = with(&[(TOKEN_VAR, "tccli-token")]).unwrap();
        assert_eq!(c.token().unwrap().expose(), "tccli-token");
        let c = with(&[(TOKEN_VAR, "same"), (SESSION_TOKEN_VAR, "same")]).unwrap();
        assert_eq!(c.token().unwrap().expose(), "same");
        invalid_naming(
            &[
                (SECRET_ID_VAR, "AKIDenv"),
                (SECRET_KEY_VAR, "SENTINEL-KEY"),
                (SESSION_TOKEN_VAR, "SENTINEL-A"),
                (TOKEN_VAR, "SENTINEL-B"),
            ],
            SESSION_TOKEN_VAR,
        );
        invalid_naming(&[(TOKEN_VAR, "SENTINEL-TOKEN")], TOKEN_VAR);
    }

    /// A CR or LF inside a value (edges are trimmed) is refused where it is
    /// read, naming the variable: nothing is ever signed with it.
    #[test]
    fn control_characters_are_refused_by_name() {
        invalid_naming(
            &[
                (SECRET_ID_VAR, "AKID\r\nX-Injected: 1"),
                (SECRET_KEY_VAR, "SENTINEL-KEY"),
            ],
            SECRET_ID_VAR,
        );
        invalid_naming(
            &[(SECRET_ID_VAR, "AKIDx"), (SECRET_KEY_VAR, "SENTINEL\nKEY")],
            SECRET_KEY_VAR,
        );
        invalid_naming(
            &[
                (SECRET_ID_VAR, "AKIDx"),
                (SECRET_KEY_VAR, "SENTINEL-KEY"),
                (TOKEN_VAR, "SENTINEL\rTOKEN"),
            ],
            TOKEN_VAR,
        );
        let e = get(&[(SECRET_ID_VAR, "AKID\nX"), (SECRET_KEY_VAR, "SENTINEL-KEY")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "credentials from environment: TENCENTCLOUD_SECRET_ID contains a control character (such as CR or LF)"
        );
    }

    #[test]
    fn debug_shows_no_values() {
        let env = EnvironmentCredentials::with_lookup(vars(&[(SECRET_KEY_VAR, "SENTINEL")]));
        assert!(!format!("{env:?}").contains("SENTINEL"));
    }
}
