//! [`CliError`]: why nothing was sent (exit status 2).

use std::fmt;

/// A usage or validation error, an unusable setting or credentials, or a
/// refusal to act without confirmation: reported before anything is sent.
#[derive(Debug, PartialEq, Eq)]
pub struct CliError {
    message: String,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
        }
    }

    /// `context: ` and the error with each of its causes, `: `-separated (each
    /// error shows only its own message, so nothing is said twice).
    pub fn caused_by(context: &str, error: &dyn std::error::Error) -> Self {
        let mut message = String::from(context);
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&chain(error));
        CliError { message }
    }
}

/// An error and its sources, `: `-separated.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("cannot read it")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn causes_follow_the_context_once_each() {
        let e = Outer(std::io::Error::other("disk on fire"));
        assert_eq!(
            CliError::caused_by("profile", &e).to_string(),
            "profile: cannot read it: disk on fire"
        );
        assert_eq!(
            CliError::caused_by("", &e).to_string(),
            "cannot read it: disk on fire"
        );
    }
}
