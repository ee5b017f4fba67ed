//! [`Credentials::validate`]: the one check every credentials source applies to
//! what it read, before anything is signed with it.
//!
//! Each rule lives here and nowhere else; a provider maps the failing
//! [`CredentialField`] to the name its user knows (a variable, a file key, a
//! JSON field) and never repeats the value.

use std::fmt;

use crate::credentials::Credentials;

/// One part of a set of credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialField {
    /// The SecretId (sent in every `Authorization` header).
    SecretId,
    /// The SecretKey (never sent; it keys the signature).
    SecretKey,
    /// The session token (sent as `X-TC-Token`).
    Token,
}

impl CredentialField {
    /// `SecretId`, `SecretKey` or `session token`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialField::SecretId => "SecretId",
            CredentialField::SecretKey => "SecretKey",
            CredentialField::Token => "session token",
        }
    }
}

impl fmt::Display for CredentialField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a credential value cannot be used. Names the field and the rule it
/// breaks; never holds the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidCredentials {
    field: CredentialField,
    problem: &'static str,
}

impl InvalidCredentials {
    /// The field that breaks a rule.
    pub fn field(&self) -> CredentialField {
        self.field
    }

    /// The rule it breaks, as a phrase that follows the field's name
    /// (e.g. `contains a control character (such as CR or LF)`).
    pub fn problem(&self) -> &'static str {
        self.problem
    }
}

impl fmt::Display for InvalidCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} {}", self.field, self.problem)
    }
}

impl std::error::Error for InvalidCredentials {}

const CONTROL: &str = "contains a control character (such as CR or LF)";

impl Credentials {
    /// Checks every part against the rules a request needs, so a bad value
    /// is refused where it was read instead of failing each request later:
    ///
    /// | field | rule |
    /// | --- | --- |
    /// | SecretId | not empty; printable ASCII without spaces, `/` or `,` (it is a token of the `Authorization` header) |
    /// | SecretKey | not empty; no control characters |
    /// | session token | when present: not empty; printable ASCII (it is the `X-TC-Token` header) |
    ///
    /// ```
    /// use tencentcloud_cvm_core::{CredentialField, Credentials};
    /// assert!(Credentials::new("AKIDexample", "key").with_token("t0k3n").validate().is_ok());
    /// let e = Credentials::new("AKID\r\nX-Injected: 1", "key").validate().unwrap_err();
    /// assert_eq!(e.field(), CredentialField::SecretId);
    /// assert!(!e.to_string().contains("Injected"));
    /// ```
    pub fn validate(&self) -> Result<(), InvalidCredentials> {
        let fail = |field, problem| Err(InvalidCredentials { field, problem });
        let id = self.secret_id();
        if id.is_empty() {
            return fail(CredentialField::SecretId, "is empty");
        }
        if id.chars().any(char::is_control) {
            return fail(CredentialField::SecretId, CONTROL);
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',')
        {
            return fail(
                CredentialField::SecretId,
                "may only hold printable ASCII other than spaces, `/` and `,`",
            );
        }
        let key = self.secret_key().expose();
        if key.is_empty() {
            return fail(CredentialField::SecretKey, "is empty");
        }
        if key.chars().any(char::is_control) {
            return fail(CredentialField::SecretKey, CONTROL);
        }
        if let Some(token) = self.token() {
            let token = token.expose();
            if token.is_empty() {
                return fail(CredentialField::Token, "is empty");
            }
            if token.chars().any(char::is_control) {
                return fail(CredentialField::Token, CONTROL);
            }
            if !token.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
                return fail(CredentialField::Token, "may only hold printable ASCII");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    fn field_of(c: Credentials) -> Option<CredentialField> {
        c.validate().err().map(|e| e.field())
    }

    #[test]
    fn each_rule_names_its_field() {
        use CredentialField::*;
        let ok = || Credentials::new("AKIDok", "k e y");
        assert_eq!(field_of(ok()), None);
        assert_eq!(field_of(ok().with_token("a b=c+/")), None);
        assert_eq!(field_of(Credentials::new("", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AK\nID", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AK ID", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AK/ID", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AK,ID", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AKIDé", "k")), Some(SecretId));
        assert_eq!(field_of(Credentials::new("AKID", "")), Some(SecretKey));
        assert_eq!(field_of(Credentials::new("AKID", "k\r")), Some(SecretKey));
        assert_eq!(
            field_of(Credentials::new("AKID", "k\u{7f}")),
            Some(SecretKey)
        );
        assert_eq!(field_of(ok().with_token("")), Some(Token));
        assert_eq!(field_of(ok().with_token("a\r\nb")), Some(Token));
        assert_eq!(field_of(ok().with_token("a\tb")), Some(Token));
        assert_eq!(field_of(ok().with_token("jeton-é")), Some(Token));
    }

    #[test]
    fn messages_never_hold_the_value() {
        let e = Credentials::new("AKID", "SENTINEL\nKEY")
            .validate()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the SecretKey contains a control character (such as CR or LF)"
        );
        assert!(!format!("{e:?}").contains("SENTINEL"));
    }

    quickcheck! {
        fn valid_credentials_make_valid_headers(id: String, key: String, token: String) -> bool {
            let c = Credentials::new(id.clone(), key).with_token(token.clone());
            c.validate().is_err()
                || (http::HeaderValue::from_str(&id).is_ok()
                    && http::HeaderValue::from_str(&token).is_ok())
        }
    }
}
