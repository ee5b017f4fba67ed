//! [`SelectionError`]: why a selection was refused before anything was read.

use std::fmt;

use crate::error::validation_error::ValidationError;

/// Why a [`Selection`](crate::Selection) (or one of its arguments) was refused.
/// Nothing has been read or sent when one is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectionError {
    /// Neither instance IDs nor a filter, and not every instance asked for
    /// explicitly ([`Selection::with_all`](crate::Selection::with_all)): a selection
    /// that lost its arguments must not turn into every instance of a region.
    Unbounded,
    /// The IDs or the filters break one of the API's rules (see [`ValidationError`]).
    Invalid(ValidationError),
    /// An argument's text is not in its form.
    Argument {
        /// Which argument: `filter`, `tag`, `exclude-tag`, `older-than`, `name`, …
        argument: &'static str,
        /// The text given (at most 64 characters, then `…`).
        text: String,
        /// What the argument takes.
        expected: &'static str,
    },
}

impl SelectionError {
    /// The refusal of `text` given as `argument`.
    pub(crate) fn argument(argument: &'static str, text: &str, expected: &'static str) -> Self {
        SelectionError::Argument {
            argument,
            text: crate::error::validation_error::clipped(text),
            expected,
        }
    }
}

impl From<ValidationError> for SelectionError {
    fn from(e: ValidationError) -> Self {
        SelectionError::Invalid(e)
    }
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionError::Unbounded => f.write_str(
                "the selection names no instance IDs and no filter: every instance of the \
                 region would be selected; give IDs or a filter, or ask for every instance \
                 explicitly (all)",
            ),
            SelectionError::Invalid(e) => write!(f, "{e}"),
            SelectionError::Argument {
                argument,
                text,
                expected,
            } => write!(
                f,
                "{argument} `{}`: expected {expected}",
                text.escape_debug()
            ),
        }
    }
}

impl std::error::Error for SelectionError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_escaped_line() {
        let e = SelectionError::argument("tag", "a\u{1b}[2J\nb", "KEY=VALUE");
        let text = e.to_string();
        assert_eq!(text, "tag `a\\u{1b}[2J\\nb`: expected KEY=VALUE");
        assert!(!text.chars().any(char::is_control));
        let long = SelectionError::argument("name", &"x".repeat(100), "a glob");
        assert!(long.to_string().contains('…'));
        assert!(SelectionError::Unbounded
            .to_string()
            .starts_with("the selection names no instance IDs and no filter"));
        let invalid = SelectionError::from(ValidationError::NoFilters);
        assert_eq!(invalid.to_string(), ValidationError::NoFilters.to_string());
    }
}
