//! Target `credentials_answer`: the instance metadata and STS answer parsers.

use http::Response;
use serde_json::Value;
use tencentcloud_cvm_core::instance_metadata::{parse_role_credentials, parse_role_name, RoleName};
use tencentcloud_cvm_core::sts::parse_credentials;
use tencentcloud_cvm_core::{Credentials, CredentialsAnswerError, TemporaryCredentials};

/// The body cap given to the STS parser (small, so the fuzzer reaches it).
const MAX_BODY: usize = 4096;

/// The body of target `credentials_answer`. The first byte picks the parser
/// (0: role name, 1: metadata credentials, 2: STS answer with HTTP 200, 3: STS
/// answer with HTTP 500); the rest is the body.
///
/// Invariants checked:
/// * a role name that parses is one [`RoleName::new`] accepts;
/// * credentials that parse pass `Credentials::validate`, expire after time 0,
///   and their `Debug` shows neither the SecretKey nor the token;
/// * the outcome depends on the secret values only through whether they are
///   valid: replacing every valid `TmpSecretKey` / `Token` string (at any depth)
///   with `X` gives the same error, or credentials with the same SecretId and
///   expiry; so no error can show a valid secret.
pub fn credentials_answer(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    if mode % 4 == 0 {
        if let Ok(role) = parse_role_name(body) {
            assert_eq!(RoleName::new(role.as_str()).as_ref(), Ok(&role));
        }
        return;
    }
    let parse = |body: &[u8]| -> Result<TemporaryCredentials, CredentialsAnswerError> {
        match mode % 4 {
            1 => parse_role_credentials(body),
            m => {
                let mut response = Response::new(body.to_vec());
                if m == 3 {
                    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
                }
                parse_credentials(&response, MAX_BODY)
            }
        }
    };
    let parsed = parse(body);
    if let Ok(t) = &parsed {
        let c = t.credentials();
        assert!(c.validate().is_ok());
        assert!(t.expires_at() > 0);
        let shown = format!("{t:?}");
        let key = c.secret_key().expose();
        assert!(!shown.contains(key) || c.secret_id().contains(key));
        if let Some(token) = c.token() {
            let token = token.expose();
            assert!(!shown.contains(token) || c.secret_id().contains(token));
        }
    }
    let Ok(mut json) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    if !replace_valid_secrets(&mut json) {
        return;
    }
    let again = parse(json.to_string().as_bytes());
    match (&parsed, &again) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.credentials().secret_id(), b.credentials().secret_id());
            assert_eq!(a.expires_at(), b.expires_at());
        }
        // Re-encoding, not the secrets, changed the envelope: a duplicate key
        // dropped, whitespace removed under the cap. The envelope parser reads
        // neither `TmpSecretKey` nor `Token`.
        (Err(CredentialsAnswerError::Response(_)), _) => {}
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("secret values changed the outcome: {parsed:?} vs {again:?}"),
    }
}

/// Replaces every valid `TmpSecretKey` / `Token` string with `X`; whether any was.
fn replace_valid_secrets(value: &mut Value) -> bool {
    let mut replaced = false;
    match value {
        Value::Object(map) => {
            for (name, v) in map.iter_mut() {
                let valid = match (name.as_str(), v.as_str()) {
                    ("TmpSecretKey", Some(s)) => Credentials::new("A", s).validate().is_ok(),
                    ("Token", Some(s)) => {
                        Credentials::new("A", "k").with_token(s).validate().is_ok()
                    }
                    _ => false,
                };
                if valid {
                    *v = Value::String("X".to_owned());
                    replaced = true;
                } else {
                    replaced |= replace_valid_secrets(v);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                replaced |= replace_valid_secrets(v);
            }
        }
        _ => {}
    }
    replaced
}
