//! [`InvalidStsParameter`] and the rules for STS request parameters.

use std::fmt;

use super::MAX_DURATION_SECONDS;

/// An STS request parameter was refused before sending. Names the parameter;
/// never repeats a web identity token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidStsParameter {
    parameter: &'static str,
    problem: &'static str,
}

impl InvalidStsParameter {
    /// The parameter, e.g. `RoleSessionName`.
    pub fn parameter(&self) -> &'static str {
        self.parameter
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &'static str {
        self.problem
    }
}

impl fmt::Display for InvalidStsParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.parameter, self.problem)
    }
}

impl std::error::Error for InvalidStsParameter {}

fn refuse<T>(parameter: &'static str, problem: &'static str) -> Result<T, InvalidStsParameter> {
    Err(InvalidStsParameter { parameter, problem })
}

/// `RoleArn`, e.g. `qcs::cam::uin/100000000001:roleName/ops`: 1 to 1024
/// printable ASCII characters without spaces.
pub(crate) fn role_arn(value: &str) -> Result<(), InvalidStsParameter> {
    printable("RoleArn", value, 1024)
}

/// `ProviderId`: 1 to 128 printable ASCII characters without spaces.
pub(crate) fn provider_id(value: &str) -> Result<(), InvalidStsParameter> {
    printable("ProviderId", value, 128)
}

fn printable(name: &'static str, value: &str, max: usize) -> Result<(), InvalidStsParameter> {
    if value.is_empty() {
        return refuse(name, "is empty");
    }
    if value.len() > max {
        return refuse(name, "is too long");
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return refuse(name, "may only hold printable ASCII without spaces");
    }
    Ok(())
}

/// `RoleSessionName`: 2 to 128 of ASCII letters, digits and `_+=,.@-`, as STS documents.
pub(crate) fn role_session_name(value: &str) -> Result<(), InvalidStsParameter> {
    const NAME: &str = "RoleSessionName";
    if !(2..=128).contains(&value.len()) {
        return refuse(NAME, "must be 2 to 128 characters long");
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b);
    if !value.bytes().all(allowed) {
        return refuse(NAME, "may only hold ASCII letters, digits and `_+=,.@-`");
    }
    Ok(())
}

/// `DurationSeconds`: 1 to 43200.
pub(crate) fn duration_seconds(value: u64) -> Result<(), InvalidStsParameter> {
    if value == 0 || value > MAX_DURATION_SECONDS {
        return refuse("DurationSeconds", "must be from 1 to 43200 seconds");
    }
    Ok(())
}

/// `WebIdentityToken`: not empty, no control characters.
pub(crate) fn web_identity_token(value: &str) -> Result<(), InvalidStsParameter> {
    const NAME: &str = "WebIdentityToken";
    if value.is_empty() {
        return refuse(NAME, "is empty");
    }
    if value.chars().any(char::is_control) {
        return refuse(NAME, "contains a control character (such as CR or LF)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(role_arn("qcs::cam::uin/1:roleName/ops").is_ok());
        assert!(role_arn("").is_err());
        assert!(role_arn("qcs::cam::uin/1:roleName/a b").is_err());
        assert!(role_arn(&"a".repeat(1025)).is_err());
        assert!(role_session_name("ab").is_ok());
        assert!(role_session_name("a").is_err());
        assert!(role_session_name(&"a".repeat(129)).is_err());
        assert!(role_session_name("nightly_cleanup+=,.@-9").is_ok());
        assert!(role_session_name("a b").is_err());
        assert!(duration_seconds(1).is_ok());
        assert!(duration_seconds(43_200).is_ok());
        assert!(duration_seconds(0).is_err());
        assert!(duration_seconds(43_201).is_err());
        assert!(provider_id("tke-oidc").is_ok());
        assert!(provider_id("").is_err());
        assert!(web_identity_token("eyJ.a.b").is_ok());
        let e = web_identity_token("SENTINEL\nTOKEN").unwrap_err();
        assert_eq!(e.parameter(), "WebIdentityToken");
        assert!(!e.to_string().contains("SENTINEL"));
    }
}
