//! Selection: which instances a run acts on, the way operators choose them (IDs,
//! filters, age, name, exclusions, regions), and the read that finds them.
//!
//! ```text
//!   Selection (IDs and/or filters, client-side conditions, exclusions)
//!        │ requests(): DescribeInstances by IDs (≤ 100 each), by filters, or all
//!        ▼
//!   SelectionRead, one per region (sans-IO: poll_transmit / handle_response)
//!        │ pages checked by InstanceListing; each instance judged (decide)
//!        ▼
//!   PreflightRead: each instance with the RequestId of the page that read it
//!        │ several regions: RegionReads::resolve (an ID found in no region fails
//!        │ NotFound; in two, fails ambiguous: never sent)
//!        ▼
//!   Termination::from_read (terminate), preview_from_read (dry run),
//!   status_from_read: the read *is* the preflight; the same judging as for IDs
//! ```
//!
//! Nothing here sends: a driver moves the requests, as for a [`Termination`](crate::Termination).

use std::fmt;
use std::time::Duration;

use crate::actions::describe_instances::DescribeInstances;
use crate::error::validation_error::ValidationError;
use crate::model::instance::Instance;
use crate::model::instance_filter::FilterMatch;
use crate::model::instance_filters::InstanceFilters;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::termination::distinct_instance_ids::DistinctInstanceIds;

pub(crate) mod age;
pub(crate) mod name_glob;
pub(crate) mod reader;
pub(crate) mod region_list;
pub(crate) mod region_reads;
pub(crate) mod selection_builder;
pub(crate) mod selection_error;
pub(crate) mod selection_read;
pub(crate) mod tag_pattern;

use name_glob::NameGlob;
use selection_builder::SelectionBuilder;
use selection_error::SelectionError;
use tag_pattern::TagPattern;

/// What [`Selection::decide`] makes of one instance read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// It is one to act on.
    Selected,
    /// It is not, for this reason (a condition it fails, an exclusion it meets, or a
    /// field the decision needs that the read did not have).
    LeftOut(String),
}

/// Which instances a run acts on: IDs and/or [`InstanceFilters`], narrowed by
/// conditions the client judges on what it reads (an age, a name glob), minus
/// exclusions (IDs, tags).
///
/// A selection turns into the reads that list its instances ([`requests`](Self::requests):
/// by IDs, 100 per request; by filters, paged; or every instance), and each instance
/// read is [`decide`](Self::decide)d. The API refuses `InstanceIds` with `Filters`, so
/// a selection with both reads by IDs and judges the filters on what it reads: an ID
/// whose read contradicts a filter, or cannot show that it fits, is left out.
///
/// Without IDs and without a filter a selection is refused
/// ([`SelectionError::Unbounded`]) unless every instance is asked for explicitly
/// ([`with_all`](Self::with_all)): losing its arguments must not turn a selection into
/// a whole region.
///
/// | condition | an instance is selected when | unknown (not in the read) |
/// | --- | --- | --- |
/// | [`with_older_than`](Self::with_older_than) | `CreatedTime` is more than that long before the caller's clock | not old: left out |
/// | [`with_name`](Self::with_name) | its whole `InstanceName` matches the glob | left out |
/// | [`with_excluded_id`](Self::with_excluded_id) | it is not that instance | — |
/// | [`with_excluded_tag`](Self::with_excluded_tag) | it does not carry the tag | `Tags` not read: left out |
/// | filters, with IDs | the read satisfies every filter | left out |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::{Decision, Instance, InstanceFilters, Selection, SelectionError, TagPattern};
///
/// let ci = Selection::by_filters(InstanceFilters::parse([("tag:team", ["ci"])])?)
///     .with_older_than(Duration::from_secs(6 * 3600))
///     .with_excluded_tag(TagPattern::parse("keep")?);
/// let now = 1_700_000_000;
/// let read = |created: &str, tags: &str| -> Instance {
///     serde_json::from_str(&format!(
///         r#"{{"InstanceId": "ins-r8hr2upy", "CreatedTime": "{created}", "Tags": {tags}}}"#)).unwrap()
/// };
/// let old = "2023-11-12T00:00:00Z"; // 2 days before `now`
/// assert_eq!(ci.decide(&read(old, r#"[{"Key":"team","Value":"ci"}]"#), now), Decision::Selected);
/// assert!(matches!(ci.decide(&read("2023-11-14T22:00:00Z", "[]"), now), Decision::LeftOut(_)));
/// assert!(matches!(ci.decide(&read(old, r#"[{"Key":"keep","Value":""}]"#), now), Decision::LeftOut(_)));
///
/// // Nothing to bound it: refused, unless asked for explicitly.
/// let everything = Selection::empty().with_older_than(Duration::from_secs(3600));
/// assert_eq!(everything.requests(), Err(SelectionError::Unbounded));
/// assert_eq!(everything.with_all(true).requests()?.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    ids: Vec<InstanceId>,
    duplicates_removed: usize,
    filters: Option<InstanceFilters>,
    older_than: Option<Duration>,
    name: Option<NameGlob>,
    excluded_ids: Vec<InstanceId>,
    excluded_tags: Vec<TagPattern>,
    all: bool,
}

impl Selection {
    /// Nothing yet: refused when read unless IDs, filters or
    /// [`with_all`](Self::with_all) are added.
    pub fn empty() -> Selection {
        Selection::default()
    }

    /// These instances (each ID checked, duplicates dropped; at least one).
    pub fn by_ids<I, S>(ids: I) -> Result<Selection, SelectionError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let distinct = DistinctInstanceIds::new(ids)?;
        if distinct.instances().is_empty() {
            return Err(ValidationError::NoInstanceIds.into());
        }
        Ok(Selection {
            duplicates_removed: distinct.duplicates_removed(),
            ids: distinct.into_instances(),
            ..Selection::default()
        })
    }

    /// The instances `filters` match.
    pub fn by_filters(filters: InstanceFilters) -> Selection {
        Selection::empty().with_filters(filters)
    }

    /// Every instance (narrowed only by conditions and exclusions).
    pub fn all() -> Selection {
        Selection::empty().with_all(true)
    }

    /// A builder taking each argument as text (a command line's).
    pub fn builder() -> SelectionBuilder {
        SelectionBuilder::default()
    }

    /// With `filters` (replacing any).
    pub fn with_filters(mut self, filters: InstanceFilters) -> Selection {
        self.filters = Some(filters);
        self
    }

    /// Whether every instance may be selected without IDs or a filter.
    pub fn with_all(mut self, all: bool) -> Selection {
        self.all = all;
        self
    }

    /// Only instances created more than `age` before the caller's clock.
    pub fn with_older_than(mut self, age: Duration) -> Selection {
        self.older_than = Some(age);
        self
    }

    /// Only instances whose name matches `glob`.
    pub fn with_name(mut self, glob: NameGlob) -> Selection {
        self.name = Some(glob);
        self
    }

    /// Never `id`.
    pub fn with_excluded_id(mut self, id: InstanceId) -> Selection {
        if !self.excluded_ids.contains(&id) {
            self.excluded_ids.push(id);
        }
        self
    }

    /// Never an instance carrying `tag`.
    pub fn with_excluded_tag(mut self, tag: TagPattern) -> Selection {
        if !self.excluded_tags.contains(&tag) {
            self.excluded_tags.push(tag);
        }
        self
    }

    /// The IDs named, distinct, in order.
    pub fn instance_ids(&self) -> &[InstanceId] {
        &self.ids
    }
    /// How many repeated IDs were dropped.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }
    /// The filters, if any.
    pub fn filters(&self) -> Option<&InstanceFilters> {
        self.filters.as_ref()
    }
    /// The age instances must exceed, if any.
    pub fn older_than(&self) -> Option<Duration> {
        self.older_than
    }
    /// The name glob, if any.
    pub fn name(&self) -> Option<&NameGlob> {
        self.name.as_ref()
    }
    /// The IDs never selected.
    pub fn excluded_ids(&self) -> &[InstanceId] {
        &self.excluded_ids
    }
    /// The tags whose instances are never selected.
    pub fn excluded_tags(&self) -> &[TagPattern] {
        &self.excluded_tags
    }
    /// Whether every instance was asked for explicitly.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Whether it names neither IDs nor filters (it then needs [`with_all`](Self::with_all)).
    pub fn is_unbounded(&self) -> bool {
        self.ids.is_empty() && self.filters.is_none()
    }

    /// The reads that list the selection's instances in one region: by IDs, 100 per
    /// request; else by the filters; else (with [`with_all`](Self::with_all)) every
    /// instance. Each is listed whole, page by page ([`InstanceListing`](crate::InstanceListing)).
    pub fn requests(&self) -> Result<Vec<DescribeInstances>, SelectionError> {
        if !self.ids.is_empty() {
            return Ok(self
                .ids
                .chunks(InstanceIdList::MAX)
                .map(|chunk| {
                    DescribeInstances::for_list(InstanceIdList::from_batch(chunk.to_vec()))
                })
                .collect());
        }
        match (&self.filters, self.all) {
            (Some(filters), _) => Ok(vec![DescribeInstances::by_filters(filters.clone())]),
            (None, true) => Ok(vec![DescribeInstances::all()]),
            (None, false) => Err(SelectionError::Unbounded),
        }
    }

    /// Whether `instance`, as read, is one to act on, judged against the caller's
    /// wall clock `unix_now` (seconds since the Unix epoch, as the service counts them:
    /// corrected for a known clock offset).
    pub fn decide(&self, instance: &Instance, unix_now: u64) -> Decision {
        let left_out = |why: String| Decision::LeftOut(why);
        if self.excluded_ids.contains(&instance.instance_id) {
            return left_out("excluded by ID".to_owned());
        }
        // Listed by IDs, the filters were not sent: judged here, on the read.
        if let (false, Some(filters)) = (self.ids.is_empty(), &self.filters) {
            for filter in filters.as_slice() {
                let name = filter.name().to_string().escape_debug().to_string();
                match filter.matches(instance) {
                    FilterMatch::Yes => {}
                    FilterMatch::No => {
                        return left_out(format!("does not match the filter {name}"))
                    }
                    FilterMatch::Unknown => {
                        return left_out(format!(
                            "the read cannot show that it matches the filter {name}"
                        ))
                    }
                }
            }
        }
        if let Some(glob) = &self.name {
            match instance.instance_name.as_deref() {
                Some(name) if glob.matches(name) => {}
                Some(_) => {
                    return left_out(format!(
                        "its name does not match {}",
                        glob.as_str().escape_debug()
                    ))
                }
                None => return left_out("its name was not read".to_owned()),
            }
        }
        if let Some(age) = self.older_than {
            match instance.created_at() {
                Some(created) if unix_now.saturating_sub(created) > age.as_secs() => {}
                Some(_) => return left_out(format!("created less than {} ago", shown_age(age))),
                None => {
                    return left_out(
                        "its creation time was not read (CreatedTime absent or not \
                         understood): its age is not known"
                            .to_owned(),
                    )
                }
            }
        }
        for tag in &self.excluded_tags {
            match tag.matches(instance) {
                Some(false) => {}
                Some(true) => {
                    return left_out(format!(
                        "excluded by the tag {}",
                        tag.to_string().escape_debug()
                    ))
                }
                None => {
                    return left_out(format!(
                        "its tags were not read, so the exclusion {} cannot be checked",
                        tag.to_string().escape_debug()
                    ))
                }
            }
        }
        Decision::Selected
    }
}

/// `6h`, `2d`, `1d12h`, `90s`: an age as [`parse_age`](age::parse_age) reads it.
fn shown_age(age: Duration) -> String {
    let mut rest = age.as_secs();
    if rest == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (unit, seconds) in [
        ("w", 604_800),
        ("d", 86_400),
        ("h", 3600),
        ("m", 60),
        ("s", 1),
    ] {
        if rest >= seconds {
            out.push_str(&format!("{}{unit}", rest / seconds));
            rest %= seconds;
        }
    }
    out
}

impl fmt::Display for Selection {
    /// One line saying what is selected, e.g. `filters tag:team=ci; older than 6h;
    /// excluding tags keep`; text from a caller escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if !self.ids.is_empty() {
            let shown: Vec<&str> = self.ids.iter().take(5).map(|i| i.as_str()).collect();
            let more = self.ids.len().saturating_sub(5);
            let mut text = format!("IDs {}", shown.join(", "));
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            parts.push(text);
        }
        if let Some(filters) = &self.filters {
            let shown: Vec<String> = filters
                .as_slice()
                .iter()
                .map(|f| format!("{}={}", f.name(), f.values().join(",")))
                .collect();
            parts.push(format!("filters {}", shown.join(" ").escape_debug()));
        }
        if self.is_unbounded() && self.all {
            parts.push("every instance".to_owned());
        }
        if let Some(glob) = &self.name {
            parts.push(format!("name {}", glob.as_str().escape_debug()));
        }
        if let Some(age) = self.older_than {
            parts.push(format!("older than {}", shown_age(age)));
        }
        if !self.excluded_ids.is_empty() {
            let ids: Vec<&str> = self.excluded_ids.iter().map(|i| i.as_str()).collect();
            parts.push(format!("excluding IDs {}", ids.join(", ")));
        }
        if !self.excluded_tags.is_empty() {
            let tags: Vec<String> = self.excluded_tags.iter().map(|t| t.to_string()).collect();
            parts.push(format!("excluding tags {}", tags.join(" ").escape_debug()));
        }
        if parts.is_empty() {
            return f.write_str("nothing");
        }
        f.write_str(&parts.join("; "))
    }
}

#[cfg(test)]
mod flow_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::utc_time::format_utc;

    const NOW: u64 = 1_700_000_000;

    fn read(json: &str) -> Instance {
        serde_json::from_str(json).unwrap()
    }

    fn created(ago: u64) -> Instance {
        read(&format!(
            r#"{{"InstanceId":"ins-00000001","InstanceName":"ci-1","CreatedTime":"{}",
                "Tags":[{{"Key":"team","Value":"ci"}}],"Placement":{{"Zone":"ap-guangzhou-3"}}}}"#,
            format_utc(NOW - ago)
        ))
    }

    #[test]
    fn age_is_strict_and_unknown_is_young() {
        let s = Selection::all().with_older_than(Duration::from_secs(3600));
        assert_eq!(s.decide(&created(3601), NOW), Decision::Selected);
        assert!(
            matches!(s.decide(&created(3600), NOW), Decision::LeftOut(m) if m == "created less than 1h ago")
        );
        // Created "in the future" (a clock behind the service's): not old.
        assert!(matches!(
            s.decide(
                &read(r#"{"InstanceId":"ins-00000001","CreatedTime":"2099-01-01T00:00:00Z"}"#),
                NOW
            ),
            Decision::LeftOut(_)
        ));
        for unknown in [
            r#"{"InstanceId":"ins-00000001"}"#,
            r#"{"InstanceId":"ins-00000001","CreatedTime":null}"#,
            r#"{"InstanceId":"ins-00000001","CreatedTime":"yesterday"}"#,
        ] {
            assert!(
                matches!(s.decide(&read(unknown), NOW), Decision::LeftOut(m) if m.contains("age is not known")),
                "{unknown}"
            );
        }
    }

    #[test]
    fn names_and_exclusions() {
        let i = created(10);
        let by_name = |g: &str| {
            Selection::all()
                .with_name(NameGlob::parse(g).unwrap())
                .decide(&i, NOW)
        };
        assert_eq!(by_name("ci-*"), Decision::Selected);
        assert!(matches!(by_name("web-*"), Decision::LeftOut(_)));
        assert!(matches!(
            Selection::all().with_name(NameGlob::parse("*").unwrap()).decide(&read(r#"{"InstanceId":"ins-00000001"}"#), NOW),
            Decision::LeftOut(m) if m == "its name was not read"
        ));
        let excluded = Selection::all().with_excluded_id(i.instance_id.clone());
        assert_eq!(
            excluded.decide(&i, NOW),
            Decision::LeftOut("excluded by ID".to_owned())
        );
        let by_tag = |t: &str| Selection::all().with_excluded_tag(TagPattern::parse(t).unwrap());
        assert!(matches!(
            by_tag("team").decide(&i, NOW),
            Decision::LeftOut(_)
        ));
        assert!(matches!(
            by_tag("team=web").decide(&i, NOW),
            Decision::Selected
        ));
        assert!(matches!(
            by_tag("team=web").decide(&read(r#"{"InstanceId":"ins-00000001","Tags":null}"#), NOW),
            Decision::LeftOut(m) if m.contains("cannot be checked")
        ));
    }

    #[test]
    fn filters_are_judged_only_when_listing_by_ids() {
        let filters = InstanceFilters::parse([("zone", ["ap-guangzhou-6"])]).unwrap();
        let i = created(10);
        // Listed by the filter, the service judged it: the client does not second-guess.
        assert_eq!(
            Selection::by_filters(filters.clone()).decide(&i, NOW),
            Decision::Selected
        );
        let by_ids = Selection::by_ids(["ins-00000001"])
            .unwrap()
            .with_filters(filters);
        assert!(
            matches!(by_ids.decide(&i, NOW), Decision::LeftOut(m) if m == "does not match the filter zone")
        );
        let unknown = Selection::by_ids(["ins-00000001"])
            .unwrap()
            .with_filters(InstanceFilters::parse([("vpc-id", ["vpc-00000001"])]).unwrap());
        assert!(
            matches!(unknown.decide(&i, NOW), Decision::LeftOut(m) if m.starts_with("the read cannot show"))
        );
    }

    #[test]
    fn requests() {
        let ids: Vec<String> = (0..250).map(|n| format!("ins-{n:08}")).collect();
        let r = Selection::by_ids(&ids).unwrap().requests().unwrap();
        assert_eq!(
            r.iter().map(|d| d.instance_ids().len()).collect::<Vec<_>>(),
            [100, 100, 50]
        );
        let f = InstanceFilters::parse([("zone", ["ap-guangzhou-6"])]).unwrap();
        let r = Selection::by_filters(f.clone()).requests().unwrap();
        assert_eq!(r, [DescribeInstances::by_filters(f)]);
        assert_eq!(
            Selection::all().requests().unwrap(),
            [DescribeInstances::all()]
        );
        assert_eq!(
            Selection::empty().requests(),
            Err(SelectionError::Unbounded)
        );
        assert!(Selection::by_ids(Vec::<String>::new()).is_err());
    }

    #[test]
    fn display() {
        let s = Selection::builder()
            .tag("team=ci")
            .older_than("1d6h")
            .exclude_tag("keep")
            .exclude_id("ins-00000009")
            .name("ci-*")
            .build()
            .unwrap();
        assert_eq!(
            s.to_string(),
            "filters tag:team=ci; name ci-*; older than 1d6h; excluding IDs ins-00000009; excluding tags keep"
        );
        assert_eq!(Selection::all().to_string(), "every instance");
        assert_eq!(Selection::empty().to_string(), "nothing");
        let evil = Selection::builder().tag("k=\u{1b}x").build();
        // Control characters are refused in filter values? If accepted, they are escaped.
        if let Ok(s) = evil {
            assert!(!s.to_string().contains('\u{1b}'));
        }
    }
}
