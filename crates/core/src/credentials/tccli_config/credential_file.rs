//! `<profile>.credential`: [`parse_credential_file`].

use std::fmt;

use serde_json::{Map, Value};

use crate::credentials::invalid_credentials::CredentialField;
use crate::credentials::sts::AssumeRole;
use crate::credentials::Credentials;

/// What a tccli credential file asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TccliCredential {
    /// `secretId`, `secretKey` and, if present, `token` (`type` absent or `default`).
    Keys(Credentials),
    /// `role-arn` and `role-session-name`: STS AssumeRole with the file's keys,
    /// as tccli does.
    AssumeRole {
        /// The keys (and token, if any) AssumeRole is signed with.
        base: Credentials,
        /// `role-arn`.
        role_arn: String,
        /// `role-session-name`.
        role_session_name: String,
    },
    /// `"type": "cvm-role"` (`tccli configure set use-cvm-role true`): the CAM
    /// role of the instance, from the metadata service. Keys in the file are
    /// not used, as tccli does not use them.
    CvmRole,
}

/// Why a tccli file was refused. Names keys, never values.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TccliFileError {
    /// Not JSON, or not a JSON object.
    NotJson {
        /// 1-based line of the first error (0: JSON, but not an object).
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A key holds the wrong type.
    WrongType {
        /// The key, e.g. `secretKey` or `_sys_param.region`.
        key: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// A key needed with the others present is absent or empty.
    MissingKey {
        /// The key.
        key: &'static str,
        /// Why it is needed.
        because: &'static str,
    },
    /// A value breaks a rule ([`Credentials::validate`], or STS's for a role).
    InvalidValue {
        /// The key.
        key: &'static str,
        /// The rule.
        problem: &'static str,
    },
    /// The file asks for something this client does not do as tccli would.
    Unsupported {
        /// What, and what to do instead.
        what: String,
    },
}

impl fmt::Display for TccliFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TccliFileError::NotJson { line: 0, .. } => f.write_str("is JSON but not an object"),
            TccliFileError::NotJson { line, column } => {
                write!(f, "is not JSON (line {line}, column {column})")
            }
            TccliFileError::WrongType { key, expected } => {
                write!(f, "`{key}` is not {expected}")
            }
            TccliFileError::MissingKey { key, because } => {
                write!(f, "has no non-empty `{key}` ({because})")
            }
            TccliFileError::InvalidValue { key, problem } => write!(f, "`{key}` {problem}"),
            TccliFileError::Unsupported { what } => f.write_str(what),
        }
    }
}

impl std::error::Error for TccliFileError {}

/// The text as a JSON object (a leading BOM ignored).
pub(super) fn object(text: &str) -> Result<Map<String, Value>, TccliFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(TccliFileError::NotJson { line: 0, column: 0 }),
        Err(e) => Err(TccliFileError::NotJson {
            line: e.line(),
            column: e.column(),
        }),
    }
}

/// A string key: `None` when absent, null or empty.
pub(super) fn string<'a>(
    map: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a str>, TccliFileError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(TccliFileError::WrongType {
            key,
            expected: "a string",
        }),
    }
}

const SECRET_ID: &str = "secretId";
const SECRET_KEY: &str = "secretKey";
const TOKEN: &str = "token";
const ROLE_ARN: &str = "role-arn";
const ROLE_SESSION_NAME: &str = "role-session-name";
const TYPE: &str = "type";

/// Reads a `<profile>.credential` file. `Ok(None)` when it holds no keys, no
/// role and no `type` (a profile with only a region: not configured here).
///
/// | the file holds | result |
/// | --- | --- |
/// | `secretId`, `secretKey` (and `token`) | [`TccliCredential::Keys`] |
/// | those and `role-arn` + `role-session-name` | [`TccliCredential::AssumeRole`] with them |
/// | `"type": "cvm-role"` | [`TccliCredential::CvmRole`] |
/// | `"type": "oauth"` or `"sso"` (`tccli login`), another `type` | refused: their keys are renewed by tccli's own login flow |
/// | `role-arn` without `role-session-name`, or the reverse | refused: tccli would silently act with the keys themselves |
/// | one of `secretId`/`secretKey` without the other, a token without keys | refused |
///
/// Empty strings and nulls count as absent; other keys are ignored. Values
/// must pass [`Credentials::validate`]; errors name the key, never the value.
///
/// ```
/// use tencentcloud_cvm_core::tccli_config::{parse_credential_file, TccliCredential};
/// // As `tccli configure set secretId AKIDTESTID secretKey TESTKEY` writes it.
/// let text = "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"TESTKEY\"\n}";
/// let Some(TccliCredential::Keys(keys)) = parse_credential_file(text)? else { panic!() };
/// assert_eq!(keys.secret_id(), "AKIDTESTID");
/// assert!(parse_credential_file("{\"type\": \"oauth\"}").is_err());
/// # Ok::<(), tencentcloud_cvm_core::tccli_config::TccliFileError>(())
/// ```
pub fn parse_credential_file(text: &str) -> Result<Option<TccliCredential>, TccliFileError> {
    let map = object(text)?;
    let id = string(&map, SECRET_ID)?;
    let key = string(&map, SECRET_KEY)?;
    let token = string(&map, TOKEN)?;
    let role_arn = string(&map, ROLE_ARN)?;
    let session = string(&map, ROLE_SESSION_NAME)?;
    match string(&map, TYPE)? {
        None | Some("default") => {}
        Some("cvm-role") => return Ok(Some(TccliCredential::CvmRole)),
        Some(kind @ ("oauth" | "sso")) => {
            return Err(TccliFileError::Unsupported {
                what: format!(
                    "`type` is `{kind}` (`tccli login`): its temporary keys are renewed by \
                     tccli's own login flow, which this client does not run; give keys \
                     (`tccli configure set secretId … secretKey …`), a role, or the environment"
                ),
            })
        }
        Some(_) => {
            return Err(TccliFileError::Unsupported {
                what: "`type` is not one of `default`, `cvm-role`, `oauth`, `sso`".to_owned(),
            })
        }
    }
    if id.is_none() && key.is_none() && token.is_none() && role_arn.is_none() && session.is_none() {
        return Ok(None);
    }
    let role = match (role_arn, session) {
        (Some(arn), Some(name)) => Some((arn, name)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(TccliFileError::MissingKey {
                key: ROLE_SESSION_NAME,
                because: "with `role-arn`: tccli assumes the role only when both are set, \
                          and would otherwise act with the keys themselves",
            })
        }
        (None, Some(_)) => {
            return Err(TccliFileError::MissingKey {
                key: ROLE_ARN,
                because: "`role-session-name` names a session of a role",
            })
        }
    };
    let because = if role.is_some() {
        "AssumeRole is signed with the keys"
    } else {
        "the keys go together"
    };
    let id = id.ok_or(TccliFileError::MissingKey {
        key: SECRET_ID,
        because,
    })?;
    let key = key.ok_or(TccliFileError::MissingKey {
        key: SECRET_KEY,
        because,
    })?;
    let mut credentials = Credentials::new(id, key);
    if let Some(t) = token {
        credentials = credentials.with_token(t);
    }
    credentials
        .validate()
        .map_err(|e| TccliFileError::InvalidValue {
            key: match e.field() {
                CredentialField::SecretId => SECRET_ID,
                CredentialField::SecretKey => SECRET_KEY,
                _ => TOKEN,
            },
            problem: e.problem(),
        })?;
    let Some((arn, name)) = role else {
        return Ok(Some(TccliCredential::Keys(credentials)));
    };
    AssumeRole::builder(arn, name)
        .build()
        .map_err(|e| TccliFileError::InvalidValue {
            key: if e.parameter() == "RoleArn" {
                ROLE_ARN
            } else {
                ROLE_SESSION_NAME
            },
            problem: e.problem(),
        })?;
    Ok(Some(TccliCredential::AssumeRole {
        base: credentials,
        role_arn: arn.to_owned(),
        role_session_name: name.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    fn parse(text: &str) -> Result<Option<TccliCredential>, TccliFileError> {
        let result = parse_credential_file(text);
        if let Err(e) = &result {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("SENTINEL"), "{shown}");
        }
        result
    }

    #[test]
    fn as_tccli_writes_them() {
        let keys = "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"SENTINEL-KEY\"\n}";
        let Some(TccliCredential::Keys(c)) = parse(keys).unwrap() else {
            panic!()
        };
        assert_eq!(c.secret_id(), "AKIDTESTID");
        assert_eq!(c.secret_key().expose(), "SENTINEL-KEY");
        assert!(c.token().is_none());
        let with_token =
            r#"{"secretId": "AKIDx", "secretKey": "k", "token": "SENTINEL-T", "type": "default"}"#;
        let Some(TccliCredential::Keys(c)) = parse(with_token).unwrap() else {
            panic!()
        };
        assert_eq!(c.token().unwrap().expose(), "SENTINEL-T");
        assert_eq!(
            parse("{\n  \"type\": \"cvm-role\"\n}").unwrap(),
            Some(TccliCredential::CvmRole)
        );
        let role = r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "secretId": "AKIDx", "secretKey": "k"}"#;
        let Some(TccliCredential::AssumeRole {
            role_arn,
            role_session_name,
            ..
        }) = parse(role).unwrap()
        else {
            panic!()
        };
        assert_eq!(role_arn, "qcs::cam::uin/100:roleName/r");
        assert_eq!(role_session_name, "sess");
        assert_eq!(parse("{}").unwrap(), None);
        assert_eq!(parse(r#"{"secretId": "", "token": null}"#).unwrap(), None);
        assert_eq!(parse("\u{feff}{}").unwrap(), None);
    }

    #[test]
    fn what_cannot_be_honoured_is_refused_by_key() {
        let e = |text: &str| parse(text).unwrap_err().to_string();
        assert!(
            e(r#"{"type": "oauth", "secretId": "AKIDx", "secretKey": "SENTINEL"}"#)
                .contains("`oauth`")
        );
        assert!(e(r#"{"type": "sso"}"#).contains("`sso`"));
        assert!(e(r#"{"type": "magic"}"#).contains("`type` is not one of"));
        // The example tccli wrote: a role and a token, but no keys.
        let text = r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "token": "SENTINEL"}"#;
        assert_eq!(
            parse(text).unwrap_err(),
            TccliFileError::MissingKey {
                key: "secretId",
                because: "AssumeRole is signed with the keys"
            }
        );
        assert!(e(
            r#"{"secretId": "AKIDx", "secretKey": "k", "role-arn": "qcs::cam::uin/1:roleName/r"}"#
        )
        .starts_with("has no non-empty `role-session-name`"));
        assert!(
            e(r#"{"secretId": "AKIDx", "secretKey": "k", "role-session-name": "sess"}"#)
                .starts_with("has no non-empty `role-arn`")
        );
        assert!(e(r#"{"secretId": "AKIDx"}"#).contains("`secretKey`"));
        assert!(e(r#"{"secretKey": "SENTINEL"}"#).contains("`secretId`"));
        assert_eq!(
            e(r#"{"secretId": "AKIDx", "secretKey": "SENTINEL\r\nX"}"#),
            "`secretKey` contains a control character (such as CR or LF)"
        );
        assert_eq!(e(r#"{"secretKey": 5}"#), "`secretKey` is not a string");
        assert_eq!(e("[]"), "is JSON but not an object");
        assert_eq!(
            e("{\"secretKey\": \"SENTINEL"),
            "is not JSON (line 1, column 23)"
        );
    }

    quickcheck! {
        fn never_panics(text: String) -> bool {
            let _ = parse_credential_file(&text);
            true
        }
    }
}
