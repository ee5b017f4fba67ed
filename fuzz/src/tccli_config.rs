//! Target `tccli_config`: tccli's `<profile>.credential` and `<profile>.configure`
//! parsers on arbitrary text.

use serde_json::Value;
use tencentcloud_cvm_core::tccli_config::{
    parse_configure_file, parse_credential_file, TccliCredential, TccliFileError,
};

/// The body of target `tccli_config`. The input is the text of a file (invalid
/// UTF-8 replaced by U+FFFD), given to both parsers.
///
/// Invariants checked:
/// * neither parser panics;
/// * accepted keys are valid (`Credentials::validate`), with a non-empty SecretId;
/// * no `Debug` or `Display` of a result shows a `secretKey` or `token` value
///   (of 16 characters or more, so it cannot be part of a fixed message, and
///   not also part of a value that is not secret, such as the SecretId);
/// * the result depends on those values only through their validity: the same
///   JSON with each non-empty `secretKey`/`token` replaced by `X` gives the same
///   error, or the same kind of credentials with the same SecretId, unless the
///   original failed with `InvalidValue` for that key;
/// * an accepted region is trimmed and not empty.
pub fn tccli_config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_credential_file(&text);
    let shown = match &parsed {
        Ok(found) => format!("{found:?}"),
        Err(e) => format!("{e} {e:?}"),
    };
    // As the parser reads it: one leading BOM dropped.
    let json = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let value: Option<Value> = serde_json::from_str(json).ok();
    if let Some(Value::Object(map)) = &value {
        for key in ["secretKey", "token"] {
            if let Some(Value::String(secret)) = map.get(key) {
                // Unless it is also in a value that is not secret (the SecretId, say).
                let public = map
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "secretKey" | "token"))
                    .any(|(_, v)| v.to_string().contains(secret.as_str()));
                if secret.chars().count() >= 16 && !public {
                    assert!(!shown.contains(secret.as_str()), "{key} shown: {shown}");
                }
            }
        }
    }
    if let Ok(Some(found)) = &parsed {
        let keys = match found {
            TccliCredential::Keys(c) => Some(c),
            TccliCredential::AssumeRole { base, .. } => Some(base),
            _ => None,
        };
        if let Some(c) = keys {
            assert!(!c.secret_id().is_empty());
            assert!(c.validate().is_ok());
        }
    }
    if let Some(Value::Object(mut map)) = value {
        for key in ["secretKey", "token"] {
            if let Some(Value::String(s)) = map.get(key)
                && !s.is_empty()
            {
                map.insert(key.to_owned(), Value::String("X".to_owned()));
            }
        }
        let redacted = Value::Object(map).to_string();
        let again = parse_credential_file(&redacted);
        match (&parsed, &again) {
            (Ok(a), Ok(b)) => {
                assert_eq!(summary(a), summary(b), "secret values changed the result")
            }
            (Err(TccliFileError::InvalidValue { key, .. }), _)
                if matches!(*key, "secretKey" | "token") => {}
            (Err(a), Err(b)) => assert_eq!(a, b, "secret values changed the error"),
            _ => panic!("secret values changed the outcome: {parsed:?} vs {again:?}"),
        }
    }
    if let Ok(configure) = parse_configure_file(&text) {
        for v in [&configure.region, &configure.sts_endpoint]
            .into_iter()
            .flatten()
        {
            assert!(!v.is_empty() && v.trim() == v, "{v:?}");
        }
    }
}

/// What of a result does not depend on secret values.
fn summary(found: &Option<TccliCredential>) -> String {
    match found {
        None => "none".to_owned(),
        Some(TccliCredential::Keys(c)) => format!("keys {} {}", c.secret_id(), c.token().is_some()),
        Some(TccliCredential::AssumeRole {
            base,
            role_arn,
            role_session_name,
        }) => format!("role {} {role_arn} {role_session_name}", base.secret_id()),
        Some(other) => format!("{other:?}"),
    }
}
