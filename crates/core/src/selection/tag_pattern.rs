//! [`TagPattern`]: a tag as an exclusion names it, `KEY` or `KEY=VALUE`.

use std::fmt;

use crate::model::instance::Instance;
use crate::selection::selection_error::SelectionError;

/// What a tag argument takes, for messages.
const TAG_FORM: &str = "KEY or KEY=VALUE (a key of 1 to 127 characters, a value of at most 255, \
                        no control characters)";

/// A tag an instance may carry: a key, with any value (`KEY`), or with exactly one
/// (`KEY=VALUE`; `KEY=` is the empty value). Keys and values compare exactly, case
/// included, as the service stores them.
///
/// ```
/// use tencentcloud_cvm_core::{Instance, TagPattern};
/// let i: Instance = serde_json::from_str(
///     r#"{"InstanceId": "ins-r8hr2upy", "Tags": [{"Key": "keep", "Value": "yes"}]}"#)?;
/// assert_eq!(TagPattern::parse("keep")?.matches(&i), Some(true));
/// assert_eq!(TagPattern::parse("keep=no")?.matches(&i), Some(false));
/// assert_eq!(TagPattern::parse("keep=yes")?.to_string(), "keep=yes");
/// // Tags not read: nobody can tell.
/// let bare: Instance = serde_json::from_str(r#"{"InstanceId": "ins-r8hr2upy"}"#)?;
/// assert_eq!(TagPattern::parse("keep")?.matches(&bare), None);
/// assert!(TagPattern::parse("=yes").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TagPattern {
    key: String,
    value: Option<String>,
}

impl TagPattern {
    /// The most characters of a key (the service's limit).
    pub const MAX_KEY: usize = 127;
    /// The most characters of a value (the service's limit).
    pub const MAX_VALUE: usize = 255;

    /// `KEY` or `KEY=VALUE`, split at the first `=`.
    pub fn parse(text: &str) -> Result<TagPattern, SelectionError> {
        TagPattern::parse_as("exclude-tag", text)
    }

    /// [`parse`](Self::parse), refusals naming `argument`.
    pub(crate) fn parse_as(
        argument: &'static str,
        text: &str,
    ) -> Result<TagPattern, SelectionError> {
        let (key, value) = match text.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (text, None),
        };
        TagPattern::checked(argument, text, key, value)
    }

    /// Any value of tag `key`.
    pub fn any_value(key: &str) -> Result<TagPattern, SelectionError> {
        TagPattern::checked("exclude-tag", key, key, None)
    }

    /// Tag `key` with exactly `value`.
    pub fn pair(key: &str, value: &str) -> Result<TagPattern, SelectionError> {
        TagPattern::checked("exclude-tag", key, key, Some(value))
    }

    fn checked(
        argument: &'static str,
        text: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<TagPattern, SelectionError> {
        let plain = |s: &str| !s.chars().any(char::is_control);
        let key_ok = (1..=Self::MAX_KEY).contains(&key.chars().count()) && plain(key);
        let value_ok = value.is_none_or(|v| v.chars().count() <= Self::MAX_VALUE && plain(v));
        if !key_ok || !value_ok {
            return Err(SelectionError::argument(argument, text, TAG_FORM));
        }
        Ok(TagPattern {
            key: key.to_owned(),
            value: value.map(str::to_owned),
        })
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value, if the pattern names one.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Whether `instance`, as read, carries the tag: `None` when its `Tags` were not
    /// read (absent or `null`), so nobody can tell.
    pub fn matches(&self, instance: &Instance) -> Option<bool> {
        let tags = instance.tags.as_deref()?;
        Some(
            tags.iter()
                .any(|t| t.key == self.key && self.value.as_ref().is_none_or(|v| *v == t.value)),
        )
    }
}

impl fmt::Display for TagPattern {
    /// `KEY` or `KEY=VALUE`, as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)?;
        if let Some(v) = &self.value {
            write!(f, "={v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(tags: &str) -> Instance {
        serde_json::from_str(&format!(r#"{{"InstanceId":"ins-00000001","Tags":{tags}}}"#)).unwrap()
    }

    #[test]
    fn forms() {
        let p = TagPattern::parse("team=ci=x").unwrap();
        assert_eq!((p.key(), p.value()), ("team", Some("ci=x")));
        let empty = TagPattern::parse("team=").unwrap();
        assert_eq!(empty.value(), Some(""));
        assert_eq!(empty.to_string(), "team=");
        assert_eq!(TagPattern::parse("团队").unwrap().value(), None);
        for bad in ["", "=ci", "a\nb", "k=\u{7}", &"k".repeat(128)] {
            assert!(TagPattern::parse(bad).is_err(), "{bad:?}");
        }
        assert!(TagPattern::parse(&format!("k={}", "v".repeat(255))).is_ok());
        assert!(TagPattern::parse(&format!("k={}", "v".repeat(256))).is_err());
        assert_eq!(
            TagPattern::any_value("a").unwrap(),
            TagPattern::parse("a").unwrap()
        );
        assert_eq!(
            TagPattern::pair("a", "b").unwrap(),
            TagPattern::parse("a=b").unwrap()
        );
    }

    #[test]
    fn matching() {
        let i = instance(r#"[{"Key":"team","Value":"ci"},{"Key":"empty","Value":""}]"#);
        let m = |p: &str| TagPattern::parse(p).unwrap().matches(&i);
        assert_eq!(m("team"), Some(true));
        assert_eq!(m("team=ci"), Some(true));
        assert_eq!(m("team=CI"), Some(false));
        assert_eq!(m("Team"), Some(false));
        assert_eq!(m("empty="), Some(true));
        assert_eq!(m("empty=x"), Some(false));
        assert_eq!(
            TagPattern::parse("a").unwrap().matches(&instance("[]")),
            Some(false)
        );
        assert_eq!(
            TagPattern::parse("a").unwrap().matches(&instance("null")),
            None
        );
    }
}
