//! [`CredentialsAnswerError`]: why an answer that should carry temporary
//! credentials (from the instance metadata service or STS) cannot be used,
//! and the field readers both parsers share.
//!
//! The messages name fields, never their values: the answer holds a SecretKey
//! and a token, and a decoder's message may quote what it choked on, so none
//! is ever passed on.

use std::fmt;

use serde_json::{Map, Value};

use crate::credentials::invalid_credentials::CredentialField;
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::credentials::Credentials;
use crate::http::response::ResponseError;

/// Why an answer carrying temporary credentials was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsAnswerError {
    /// The body is not JSON (or not an object where one belongs).
    NotJson {
        /// 1-based line of the first error (0 when the body is JSON but not an object).
        line: usize,
        /// 1-based column of the first error.
        column: usize,
    },
    /// A required field is absent.
    Missing {
        /// The field's name, e.g. `TmpSecretKey`.
        field: &'static str,
    },
    /// A field has the wrong type.
    WrongType {
        /// The field.
        field: &'static str,
        /// What it should be, e.g. `a string`.
        expected: &'static str,
    },
    /// A credential value breaks a rule of [`Credentials::validate`].
    InvalidValue {
        /// The field.
        field: &'static str,
        /// The rule, e.g. `contains a control character (such as CR or LF)`.
        problem: &'static str,
    },
    /// The metadata service's `Code` is not `Success`.
    NotSuccess {
        /// The code it sent (escaped, at most 64 characters).
        code: String,
    },
    /// The role name from the metadata service is unusable.
    RoleName {
        /// Why.
        problem: &'static str,
    },
    /// STS answered with an error (or something that is not its envelope);
    /// the cause is the [`source`](std::error::Error::source).
    Response(ResponseError),
}

impl fmt::Display for CredentialsAnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsAnswerError::NotJson { line: 0, .. } => {
                f.write_str("the answer is JSON but not an object")
            }
            CredentialsAnswerError::NotJson { line, column } => {
                write!(f, "the answer is not JSON (line {line}, column {column})")
            }
            CredentialsAnswerError::Missing { field } => {
                write!(f, "the answer has no `{field}`")
            }
            CredentialsAnswerError::WrongType { field, expected } => {
                write!(f, "`{field}` in the answer is not {expected}")
            }
            CredentialsAnswerError::InvalidValue { field, problem } => {
                write!(f, "`{field}` in the answer {problem}")
            }
            CredentialsAnswerError::NotSuccess { code } => {
                write!(f, "the answer's Code is `{code}`, not `Success`")
            }
            CredentialsAnswerError::RoleName { problem } => {
                write!(f, "the role name {problem}")
            }
            CredentialsAnswerError::Response(_) => {
                f.write_str("the service did not answer with credentials")
            }
        }
    }
}

impl std::error::Error for CredentialsAnswerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CredentialsAnswerError::Response(e) => Some(e),
            _ => None,
        }
    }
}

/// Up to 64 characters of untrusted, non-secret text, escaped.
pub(crate) fn shown(text: &str) -> String {
    text.chars()
        .take(64)
        .flat_map(char::escape_default)
        .collect()
}

/// The body as a JSON object.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, CredentialsAnswerError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CredentialsAnswerError::NotJson { line: 0, column: 0 }),
        Err(e) => Err(CredentialsAnswerError::NotJson {
            line: e.line(),
            column: e.column(),
        }),
    }
}

pub(crate) fn field<'a>(
    map: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a Value, CredentialsAnswerError> {
    match map.get(name) {
        None | Some(Value::Null) => Err(CredentialsAnswerError::Missing { field: name }),
        Some(v) => Ok(v),
    }
}

pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, CredentialsAnswerError> {
    field(map, name)?
        .as_str()
        .ok_or(CredentialsAnswerError::WrongType {
            field: name,
            expected: "a string",
        })
}

pub(crate) fn sub_object<'a>(
    map: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a Map<String, Value>, CredentialsAnswerError> {
    field(map, name)?
        .as_object()
        .ok_or(CredentialsAnswerError::WrongType {
            field: name,
            expected: "an object",
        })
}

/// A Unix time in seconds: a positive integer (a whole-valued float is accepted, as
/// JSON encoders differ).
pub(crate) fn unix_time(
    map: &Map<String, Value>,
    name: &'static str,
) -> Result<u64, CredentialsAnswerError> {
    let wrong = CredentialsAnswerError::WrongType {
        field: name,
        expected: "a positive Unix time in seconds",
    };
    let value = field(map, name)?;
    let seconds = match value.as_u64() {
        Some(s) => s,
        None => match value.as_f64() {
            Some(f) if f.fract() == 0.0 && f > 0.0 && f < 1e15 => f as u64,
            _ => return Err(wrong),
        },
    };
    if seconds == 0 {
        return Err(wrong);
    }
    Ok(seconds)
}

/// Builds and validates the credentials read from `map`'s `TmpSecretId`,
/// `TmpSecretKey` and `Token` (the metadata service and STS name them alike).
pub(crate) fn temporary_credentials(
    map: &Map<String, Value>,
    expires_at: u64,
) -> Result<TemporaryCredentials, CredentialsAnswerError> {
    const SECRET_ID: &str = "TmpSecretId";
    const SECRET_KEY: &str = "TmpSecretKey";
    const TOKEN: &str = "Token";
    let credentials = Credentials::new(string(map, SECRET_ID)?, string(map, SECRET_KEY)?)
        .with_token(string(map, TOKEN)?);
    credentials.validate().map_err(|e| {
        let field = match e.field() {
            CredentialField::SecretId => SECRET_ID,
            CredentialField::SecretKey => SECRET_KEY,
            _ => TOKEN,
        };
        CredentialsAnswerError::InvalidValue {
            field,
            problem: e.problem(),
        }
    })?;
    Ok(TemporaryCredentials::new(credentials, expires_at))
}
