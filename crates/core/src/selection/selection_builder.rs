//! [`SelectionBuilder`]: a [`Selection`] from arguments as a command line gives them.

use crate::error::validation_error::ValidationError;
use crate::model::instance_filter::InstanceFilter;
use crate::model::instance_filter_name::InstanceFilterName;
use crate::model::instance_filters::InstanceFilters;
use crate::model::instance_id::InstanceId;
use crate::selection::age::parse_age_as;
use crate::selection::name_glob::NameGlob;
use crate::selection::selection_error::SelectionError;
use crate::selection::tag_pattern::TagPattern;
use crate::selection::Selection;

const FILTER_FORM: &str = "NAME=VALUE[,VALUE...]: one of DescribeInstances' filter names (or \
                           tag:KEY) and its values, separated by commas";
const TAG_FORM: &str = "KEY=VALUE (a key of 1 to 127 characters)";

/// A [`Selection`] from text, the way `tccvm` takes it: every argument is parsed
/// and checked by [`build`](Self::build), in the order below, and the first refusal
/// is returned.
///
/// | setter | text | becomes |
/// | --- | --- | --- |
/// | [`id`](Self::id) | `ins-xxxxxxxx` | an instance ID (duplicates dropped) |
/// | [`filter`](Self::filter) | `NAME=V1[,V2...]` | a filter (`zone=ap-guangzhou-3`, `tag:team=ci,web`): AND across filters, OR within one |
/// | [`tag`](Self::tag) | `KEY=VALUE` | the filter `tag:KEY` (the value is not split at commas; repeated keys OR their values) |
/// | [`older_than`](Self::older_than) | `6h`, `2d`, `1d12h` | [`Selection::with_older_than`] ([`parse_age`](crate::parse_age)) |
/// | [`name`](Self::name) | a glob | [`Selection::with_name`] ([`NameGlob`]) |
/// | [`exclude_id`](Self::exclude_id) | `ins-xxxxxxxx` | [`Selection::with_excluded_id`] |
/// | [`exclude_tag`](Self::exclude_tag) | `KEY` or `KEY=VALUE` | [`Selection::with_excluded_tag`] ([`TagPattern`]) |
/// | [`all`](Self::all) | | [`Selection::with_all`] |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::Selection;
/// let s = Selection::builder()
///     .tag("team=ci")
///     .filter("zone=ap-guangzhou-3,ap-guangzhou-6")
///     .older_than("6h")
///     .exclude_tag("keep")
///     .build()?;
/// assert_eq!(s.filters().unwrap().len(), 2);
/// assert_eq!(s.older_than(), Some(Duration::from_secs(6 * 3600)));
/// assert!(Selection::builder().filter("zone").build().is_err());
/// # Ok::<(), tencentcloud_cvm_core::SelectionError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SelectionBuilder {
    ids: Vec<String>,
    filters: Vec<String>,
    tags: Vec<String>,
    older_than: Option<String>,
    name: Option<String>,
    exclude_ids: Vec<String>,
    exclude_tags: Vec<String>,
    all: bool,
}

impl SelectionBuilder {
    /// An instance ID.
    pub fn id(mut self, text: impl Into<String>) -> Self {
        self.ids.push(text.into());
        self
    }
    /// Instance IDs.
    pub fn ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }
    /// A filter, `NAME=V1[,V2...]`.
    pub fn filter(mut self, text: impl Into<String>) -> Self {
        self.filters.push(text.into());
        self
    }
    /// A tag the instances carry, `KEY=VALUE` (short for the filter `tag:KEY=VALUE`).
    pub fn tag(mut self, text: impl Into<String>) -> Self {
        self.tags.push(text.into());
        self
    }
    /// The age instances must exceed, e.g. `6h` (replacing any given before).
    pub fn older_than(mut self, text: impl Into<String>) -> Self {
        self.older_than = Some(text.into());
        self
    }
    /// The glob instance names must match (replacing any given before).
    pub fn name(mut self, text: impl Into<String>) -> Self {
        self.name = Some(text.into());
        self
    }
    /// An instance ID never to select.
    pub fn exclude_id(mut self, text: impl Into<String>) -> Self {
        self.exclude_ids.push(text.into());
        self
    }
    /// A tag, `KEY` or `KEY=VALUE`, whose instances are never selected.
    pub fn exclude_tag(mut self, text: impl Into<String>) -> Self {
        self.exclude_tags.push(text.into());
        self
    }
    /// Whether every instance may be selected without IDs or a filter.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Parses and checks every argument.
    pub fn build(self) -> Result<Selection, SelectionError> {
        let mut selection = if self.ids.is_empty() {
            Selection::empty()
        } else {
            Selection::by_ids(&self.ids)?
        };
        let mut filters = Vec::new();
        for text in &self.filters {
            filters.push(parse_filter(text)?);
        }
        for (key, values) in tag_groups(&self.tags)? {
            let name = format!("{}{key}", InstanceFilterName::TAG_PREFIX);
            filters.push(InstanceFilter::new(&name, values)?);
        }
        if !filters.is_empty() {
            selection = selection.with_filters(InstanceFilters::new(filters)?);
        }
        if let Some(text) = &self.older_than {
            selection = selection.with_older_than(parse_age_as("older-than", text)?);
        }
        if let Some(text) = &self.name {
            selection = selection.with_name(NameGlob::parse(text)?);
        }
        for text in &self.exclude_ids {
            let id = InstanceId::parse(text)
                .map_err(|m| SelectionError::Invalid(ValidationError::Malformed(vec![m])))?;
            selection = selection.with_excluded_id(id);
        }
        for text in &self.exclude_tags {
            selection = selection.with_excluded_tag(TagPattern::parse_as("exclude-tag", text)?);
        }
        Ok(selection.with_all(self.all))
    }
}

/// `NAME=V1[,V2...]` as a filter.
fn parse_filter(text: &str) -> Result<InstanceFilter, SelectionError> {
    let refuse = || SelectionError::argument("filter", text, FILTER_FORM);
    let (name, values) = text.split_once('=').ok_or_else(refuse)?;
    if name.is_empty() {
        return Err(refuse());
    }
    let values: Vec<&str> = values.split(',').collect();
    if values.iter().any(|v| v.is_empty()) {
        return Err(refuse());
    }
    Ok(InstanceFilter::new(name, values.iter().copied())?)
}

/// `KEY=VALUE` arguments grouped by key, in the order each key first appears.
fn tag_groups(tags: &[String]) -> Result<Vec<(&str, Vec<&str>)>, SelectionError> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for text in tags {
        let (key, value) = text
            .split_once('=')
            .filter(|(k, _)| !k.is_empty() && k.chars().count() <= TagPattern::MAX_KEY)
            .ok_or_else(|| SelectionError::argument("tag", text, TAG_FORM))?;
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_argument() {
        let s = Selection::builder()
            .ids(["ins-00000001", "ins-00000002", "ins-00000001"])
            .filter("zone=ap-guangzhou-3,ap-guangzhou-6")
            .tag("team=ci")
            .tag("team=web,x")
            .tag("env=test")
            .older_than("2d")
            .name("ci-*")
            .exclude_id("ins-00000002")
            .exclude_tag("keep")
            .exclude_tag("env=prod")
            .all(true)
            .build()
            .unwrap();
        assert_eq!(s.instance_ids().len(), 2);
        assert_eq!(s.duplicates_removed(), 1);
        let filters = s.filters().unwrap();
        let names: Vec<String> = filters
            .as_slice()
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        assert_eq!(names, ["zone", "tag:team", "tag:env"]);
        assert_eq!(filters.as_slice()[1].values(), ["ci", "web,x"]);
        assert_eq!(s.older_than(), Some(Duration::from_secs(172_800)));
        assert_eq!(s.name().unwrap().as_str(), "ci-*");
        assert_eq!(s.excluded_ids()[0].as_str(), "ins-00000002");
        assert_eq!(s.excluded_tags().len(), 2);
        assert!(s.is_all());
    }

    #[test]
    fn refusals_name_their_argument() {
        let cases: [(SelectionBuilder, &str); 12] = [
            (Selection::builder().filter("zone"), "filter `zone`"),
            (Selection::builder().filter("=x"), "filter `=x`"),
            (
                Selection::builder().filter("zone=a,,b"),
                "filter `zone=a,,b`",
            ),
            (Selection::builder().filter("nope=1"), "InvalidFilter"),
            (
                Selection::builder().filter("zone=mars"),
                "InvalidParameterValue",
            ),
            (Selection::builder().tag("team"), "tag `team`"),
            (Selection::builder().tag("=ci"), "tag `=ci`"),
            (Selection::builder().older_than("6"), "older-than `6`"),
            (Selection::builder().name(""), "name ``"),
            (
                Selection::builder().exclude_id("ins-1"),
                "InvalidInstanceId.Malformed",
            ),
            (Selection::builder().exclude_tag("=x"), "exclude-tag `=x`"),
            (
                Selection::builder().id("nope"),
                "InvalidInstanceId.Malformed",
            ),
        ];
        for (builder, want) in cases {
            let e = builder.build().unwrap_err().to_string();
            assert!(e.contains(want), "{e} lacks {want}");
        }
        // The same tag key from --tag and --filter: one filter given twice.
        let e = Selection::builder()
            .tag("team=ci")
            .filter("tag:team=web")
            .build()
            .unwrap_err();
        assert!(matches!(
            e,
            SelectionError::Invalid(ValidationError::DuplicateFilter(_))
        ));
        // Eleven filters.
        let mut many = Selection::builder();
        for i in 0..11 {
            many = many.tag(format!("k{i}=v"));
        }
        assert!(matches!(
            many.build(),
            Err(SelectionError::Invalid(ValidationError::TooManyFilters {
                count: 11
            }))
        ));
    }

    #[test]
    fn nothing_builds_an_unbounded_selection() {
        let s = Selection::builder().older_than("1h").build().unwrap();
        assert_eq!(s.requests(), Err(SelectionError::Unbounded));
        let all = Selection::builder()
            .older_than("1h")
            .all(true)
            .build()
            .unwrap();
        assert_eq!(all.requests().unwrap().len(), 1);
    }
}
