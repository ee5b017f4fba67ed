//! The environment variables the credentials and region sources read, the rule
//! every one of them follows, and the environment's own credentials.
//!
//! The core reads no environment: a driver passes a lookup
//! (`&dyn Fn(&str) -> VariableValue`), the process's or a test's.
//!
//! Every variable holding a setting follows one rule ([`setting`]): unset
//! means "not configured"; set but empty (or only blanks), or not Unicode, is
//! a mistake, not "unset", and is refused naming the variable, never its value.

use crate::credentials::invalid_credentials::CredentialField;
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};
use crate::credentials::Credentials;

/// The variable holding the SecretId.
pub const SECRET_ID_VAR: &str = "TENCENTCLOUD_SECRET_ID";
/// The variable holding the SecretKey.
pub const SECRET_KEY_VAR: &str = "TENCENTCLOUD_SECRET_KEY";
/// The variable holding the optional session token (temporary credentials).
pub const SESSION_TOKEN_VAR: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// tccli's name for the session token, accepted beside [`SESSION_TOKEN_VAR`].
pub const TOKEN_VAR: &str = "TENCENTCLOUD_TOKEN";
/// The variable naming the credentials file (overrides the default locations).
pub const CREDENTIALS_FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The variable naming the profile (section) to use; `default` when unset.
pub const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
/// tccli's variable naming its profile; read for tccli's files only, when no
/// profile is named otherwise (see the `tccli_config` module).
pub const TCCLI_PROFILE_VAR: &str = "TCCLI_PROFILE";
/// The variable naming the region (as tccli and the SDKs read it).
pub const REGION_VAR: &str = "TENCENTCLOUD_REGION";
/// The variable naming the role to assume with the base credentials (tccli's name).
pub const ROLE_ARN_VAR: &str = "TENCENTCLOUD_ROLE_ARN";
/// The variable naming the AssumeRole session (tccli's name).
pub const ROLE_SESSION_NAME_VAR: &str = "TENCENTCLOUD_ROLE_SESSION_NAME";
/// The variable that replaces STS's base URL (default `https://sts.tencentcloudapi.com`).
pub const STS_ENDPOINT_VAR: &str = "TENCENTCLOUD_STS_ENDPOINT";
/// The variable that replaces the metadata service's base URL
/// (default `http://metadata.tencentyun.com`).
pub const METADATA_ENDPOINT_VAR: &str = "TENCENTCLOUD_METADATA_ENDPOINT";
/// TKE OIDC: the region sent to STS.
pub const TKE_REGION_VAR: &str = "TKE_REGION";
/// TKE OIDC: the identity provider's ID in CAM.
pub const TKE_PROVIDER_ID_VAR: &str = "TKE_PROVIDER_ID";
/// TKE OIDC: the file holding the pod's OIDC token (rotated by TKE).
pub const TKE_WEB_IDENTITY_TOKEN_FILE_VAR: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// TKE OIDC: the role to assume.
pub const TKE_ROLE_ARN_VAR: &str = "TKE_ROLE_ARN";
/// A PEM file of CA certificates to trust instead of the built-in roots, as
/// curl and OpenSSL read it.
pub const SSL_CERT_FILE_VAR: &str = "SSL_CERT_FILE";
/// The home directory, under which `.tencentcloud/` and `.tccli/` are.
pub const HOME_VAR: &str = "HOME";

/// One environment variable, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariableValue {
    /// Not set.
    Unset,
    /// Set, but not valid Unicode.
    NotUnicode,
    /// Set to this.
    Set(String),
}

impl VariableValue {
    /// From a `std::env::var` result.
    pub fn from_var(value: Result<String, std::env::VarError>) -> Self {
        match value {
            Ok(v) => VariableValue::Set(v),
            Err(std::env::VarError::NotPresent) => VariableValue::Unset,
            Err(std::env::VarError::NotUnicode(_)) => VariableValue::NotUnicode,
        }
    }

    /// `Set` when `Some`, `Unset` when `None`.
    pub fn from_option(value: Option<String>) -> Self {
        value.map_or(VariableValue::Unset, VariableValue::Set)
    }
}

/// A variable lookup: the process environment, or a test's.
pub type Lookup<'a> = &'a dyn Fn(&str) -> VariableValue;

/// A variable holding a setting: `None` when unset, else its value trimmed.
/// Set but empty (or only blanks), or not Unicode, is refused:
/// [`CredentialsErrorKind::Invalid`] from `source`, naming the variable and
/// saying to set it to `set_to` (`a value`, `a URL`) or unset it.
///
/// ```
/// use tencentcloud_cvm_core::env::{setting, VariableValue};
/// let read = |v: VariableValue| setting("X", v, "test", "a URL");
/// assert_eq!(read(VariableValue::Set(" u \n".into())).unwrap().as_deref(), Some("u"));
/// assert_eq!(read(VariableValue::Unset).unwrap(), None);
/// assert_eq!(
///     read(VariableValue::Set(" ".into())).unwrap_err().to_string(),
///     "credentials from test: X is set but empty; set it to a URL or unset it"
/// );
/// ```
pub fn setting(
    name: &str,
    value: VariableValue,
    source: &str,
    set_to: &str,
) -> Result<Option<String>, CredentialsError> {
    let invalid = |detail: String| {
        CredentialsError::new(CredentialsErrorKind::Invalid, source.to_owned(), detail)
    };
    match value {
        VariableValue::Unset => Ok(None),
        VariableValue::NotUnicode => Err(invalid(format!("{name} is not valid Unicode"))),
        VariableValue::Set(v) if v.trim().is_empty() => Err(invalid(format!(
            "{name} is set but empty; set it to {set_to} or unset it"
        ))),
        VariableValue::Set(v) => Ok(Some(v.trim().to_owned())),
    }
}

/// The source name of [`credentials`]' errors.
pub const SOURCE: &str = "environment";

/// Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the
/// optional `TENCENTCLOUD_SESSION_TOKEN` (or tccli's `TENCENTCLOUD_TOKEN`), read
/// through `lookup`. Values are trimmed, then checked with [`Credentials::validate`].
///
/// * Neither the SecretId nor the SecretKey variable is set, and no token:
///   [`CredentialsErrorKind::NotConfigured`].
/// * One of them is set and the other is not, any of them is set but
///   empty (or only whitespace), or not valid Unicode, a value holds a control
///   character (a CR or LF pasted inside it, say), a token is set without a
///   SecretId and SecretKey, or both token variables are set to different
///   values: [`CredentialsErrorKind::Invalid`], naming the variable, never its value.
///
/// ```
/// use tencentcloud_cvm_core::env::{credentials, VariableValue};
/// let found = credentials(&|name| match name {
///     "TENCENTCLOUD_SECRET_ID" => VariableValue::Set("AKIDexample".into()),
///     "TENCENTCLOUD_SECRET_KEY" => VariableValue::Set("example-key".into()),
///     _ => VariableValue::Unset,
/// })?;
/// assert_eq!(found.secret_id(), "AKIDexample");
/// # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
/// ```
pub fn credentials(lookup: Lookup<'_>) -> Result<Credentials, CredentialsError> {
    let invalid =
        |detail: String| CredentialsError::new(CredentialsErrorKind::Invalid, SOURCE, detail);
    let read = |name| setting(name, lookup(name), SOURCE, "a value");
    let id = read(SECRET_ID_VAR)?;
    let key = read(SECRET_KEY_VAR)?;
    let (token, token_var) = match (read(SESSION_TOKEN_VAR)?, read(TOKEN_VAR)?) {
        (Some(a), Some(b)) if a != b => {
            return Err(invalid(format!(
                "{SESSION_TOKEN_VAR} and {TOKEN_VAR} are set to different values; unset one"
            )))
        }
        (Some(t), _) => (Some(t), SESSION_TOKEN_VAR),
        (None, Some(t)) => (Some(t), TOKEN_VAR),
        (None, None) => (None, SESSION_TOKEN_VAR),
    };
    match (id, key) {
        (Some(id), Some(key)) => {
            let creds = Credentials::new(id, key);
            let creds = match token {
                Some(t) => creds.with_token(t),
                None => creds,
            };
            creds.validate().map_err(|e| {
                let var = match e.field() {
                    CredentialField::SecretId => SECRET_ID_VAR,
                    CredentialField::SecretKey => SECRET_KEY_VAR,
                    _ => token_var,
                };
                invalid(format!("{var} {}", e.problem()))
            })?;
            Ok(creds)
        }
        (Some(_), None) => Err(invalid(format!(
            "{SECRET_ID_VAR} is set but {SECRET_KEY_VAR} is not"
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "{SECRET_KEY_VAR} is set but {SECRET_ID_VAR} is not"
        ))),
        (None, None) if token.is_some() => Err(invalid(format!(
            "{token_var} is set but {SECRET_ID_VAR} and {SECRET_KEY_VAR} are not"
        ))),
        (None, None) => Err(CredentialsError::new(
            CredentialsErrorKind::NotConfigured,
            SOURCE,
            format!("{SECRET_ID_VAR} and {SECRET_KEY_VAR} are not set"),
        )),
    }
}

#[cfg(test)]
pub(crate) fn fixed(pairs: &[(&str, &str)]) -> impl Fn(&str) -> VariableValue + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| {
        VariableValue::from_option(
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_set_is_invalid_and_unset_is_not_configured() {
        let get = |pairs: &[(&str, &str)]| credentials(&fixed(pairs));
        assert_eq!(
            get(&[]).unwrap_err().kind(),
            CredentialsErrorKind::NotConfigured
        );
        let e = get(&[(SECRET_ID_VAR, "AKIDx")]).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.detail(),
            "TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
        );
        let e = get(&[
            (SECRET_ID_VAR, "AKIDx"),
            (SECRET_KEY_VAR, "SENTINEL-K"),
            (TOKEN_VAR, "SENTINEL\nT"),
        ])
        .unwrap_err();
        assert!(e.detail().starts_with(TOKEN_VAR), "{e}");
        assert!(!e.to_string().contains("SENTINEL"), "{e}");
        assert_eq!(
            setting("V", VariableValue::NotUnicode, "s", "a value")
                .unwrap_err()
                .detail(),
            "V is not valid Unicode"
        );
    }
}
