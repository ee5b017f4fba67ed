//! [`Tag`]: one `{"Key", "Value"}` pair of an instance's `Tags`.

use serde::Deserialize;

/// A tag on an instance, as DescribeInstances lists it in `Tags`.
///
/// Both `Key` and `Value` are required strings: an entry without either, or with
/// `null`, makes the whole answer unreadable, since a selection or an exclusion by tag
/// could otherwise be decided on a tag that was half read.
///
/// ```
/// use tencentcloud_cvm_core::Tag;
/// let t: Tag = serde_json::from_str(r#"{"Key": "team", "Value": "ci"}"#)?;
/// assert_eq!((t.key.as_str(), t.value.as_str()), ("team", "ci"));
/// assert!(serde_json::from_str::<Tag>(r#"{"Key": "team", "Value": null}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// `Key`.
    pub key: String,
    /// `Value` (may be empty).
    pub value: String,
}

impl Tag {
    /// A tag `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}
