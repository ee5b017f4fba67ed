//! Target `credentials_file`: `parse_profile_file` on arbitrary text.

use tencentcloud_cvm_core::profile_file::{parse_profile_file, ProfileFileError};
use tencentcloud_cvm_core::Credentials;

/// Splits an input into the profile name (the first line, without a trailing `\r`)
/// and the file text (the rest). Invalid UTF-8 is replaced by U+FFFD.
pub(crate) fn split(data: &[u8]) -> (String, String) {
    let (profile, text) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let profile = profile.strip_suffix(b"\r").unwrap_or(profile);
    (
        String::from_utf8_lossy(profile).into_owned(),
        String::from_utf8_lossy(text).into_owned(),
    )
}

/// The body of target `credentials_file`. The input is `PROFILE LF FILE-TEXT`.
///
/// Invariants checked:
/// * when the profile parses, its SecretId and SecretKey are non-empty and the `Debug`
///   output of the result never contains the SecretKey or the token;
/// * the result depends on the secret values only through whether they pass
///   `Credentials::validate`: replacing every non-empty `secret_key`/`token` value
///   with `X` gives the same error, or credentials with the same SecretId and the
///   same `Debug` output, unless the original failed with `InvalidValue` for
///   `secret_key` or `token` (an error that names the key, never the value); so no
///   error can show a secret either;
/// * `CRLF` line endings parse as `LF` ones, and a leading BOM is ignored.
pub fn credentials_file(data: &[u8]) {
    let (profile, text) = split(data);
    let parsed = parse_profile_file(&text, &profile);
    let shown = format!("{parsed:?}");
    match &parsed {
        Ok(c) => {
            assert!(!c.secret_id().is_empty());
            let key = c.secret_key().expose();
            assert!(!key.is_empty());
            // The same credentials with other secrets must print the same.
            let mut other = Credentials::new(c.secret_id(), "\u{1}");
            if c.token().is_some() {
                other = other.with_token("\u{2}");
            }
            let skeleton = format!("{:?}", Ok::<_, ProfileFileError>(other));
            assert_eq!(shown, skeleton, "Debug depends on a secret");
            assert!(
                !shown.contains(key) || skeleton.contains(key),
                "Debug shows the SecretKey"
            );
            if let Some(token) = c.token() {
                assert!(!token.is_empty());
                let token = token.expose();
                assert!(!shown.contains(token) || skeleton.contains(token));
            }
        }
        Err(e) => drop(e.to_string()),
    }

    let redacted = redact(&text);
    let again = parse_profile_file(&redacted, &profile);
    match (&parsed, &again) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.secret_id(), b.secret_id());
            assert_eq!(a.token().is_some(), b.token().is_some());
            assert_eq!(shown, format!("{again:?}"));
        }
        (Err(a), Err(b)) if a == b => assert_eq!(a.to_string(), b.to_string()),
        // The secret itself broke a rule; "X" does not.
        (Err(ProfileFileError::InvalidValue { key, .. }), _)
            if matches!(*key, "secret_key" | "token") => {}
        _ => panic!("secret values changed the outcome: {parsed:?} vs {again:?}"),
    }

    let lf = text.replace("\r\n", "\n");
    assert_eq!(parse_profile_file(&lf, &profile), parsed, "CRLF vs LF");
    if !text.starts_with('\u{feff}') {
        let bom = format!("\u{feff}{text}");
        assert_eq!(parse_profile_file(&bom, &profile), parsed, "BOM");
    }
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// `text` with the value of every `secret_key` and `token` line that is non-empty
/// (after trimming and unquoting) replaced by `X`; the line structure is kept.
fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for raw in text.split_inclusive('\n') {
        let (line, ending) = match raw.strip_suffix("\r\n") {
            Some(l) => (l, "\r\n"),
            None => match raw.strip_suffix('\n') {
                Some(l) => (l, "\n"),
                None => (raw, ""),
            },
        };
        let trimmed = line.trim();
        let secret = !trimmed.starts_with(['[', '#', ';'])
            && line.split_once('=').is_some_and(|(k, v)| {
                matches!(k.trim(), "secret_key" | "token") && !unquote(v.trim()).is_empty()
            });
        if secret {
            let (k, _) = line.split_once('=').unwrap_or((line, ""));
            out.push_str(k);
            out.push_str("=X");
        } else {
            out.push_str(line);
        }
        out.push_str(ending);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_keeps_structure() {
        assert_eq!(
            redact("[a]\r\nsecret_key = 'k1'\ntoken=\"\"\n secret_id=z\nsecret_key=k2"),
            "[a]\r\nsecret_key =X\ntoken=\"\"\n secret_id=z\nsecret_key=X"
        );
    }

    #[test]
    fn split_profile_and_text() {
        assert_eq!(split(b"p\r\n[p]\n"), ("p".into(), "[p]\n".into()));
        assert_eq!(split(b"p"), ("p".into(), String::new()));
    }
}
