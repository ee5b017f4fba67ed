//! [`InstanceFilters`]: DescribeInstances' `Filters` parameter, checked as a whole.

use std::collections::HashSet;

use crate::error::validation_error::ValidationError;
use crate::model::instance::Instance;
use crate::model::instance_filter::{FilterMatch, InstanceFilter};
use crate::model::instance_filter_name::InstanceFilterName;
use crate::model::utc_time::parse_wall_clock;

/// 1 to 10 filters with distinct names. An instance matches when it matches every
/// filter (AND); it matches a filter when it matches any of its values (OR).
///
/// The rules, checked after each filter's own ([`InstanceFilter`]):
///
/// | rule | error | code |
/// | --- | --- | --- |
/// | at least one filter | [`ValidationError::NoFilters`] | `MissingParameter` |
/// | at most 10 filters | [`ValidationError::TooManyFilters`] | `InvalidParameterValue.LimitExceeded` |
/// | no name twice | [`ValidationError::DuplicateFilter`] (the first) | `InvalidFilter` |
/// | `creation-start-time` not after `creation-end-time` | [`ValidationError::CreationTimesReversed`] | `InvalidParameterValue` |
///
/// An empty list is refused rather than read as "every instance": a selection that
/// lost its filters must not turn into the whole region. List everything with
/// [`DescribeInstances::all`](crate::DescribeInstances::all).
///
/// ```
/// use tencentcloud_cvm_core::{InstanceFilters, ValidationError};
/// let filters = InstanceFilters::parse([
///     ("zone", vec!["ap-guangzhou-3"]),
///     ("tag:team", vec!["ci", "web"]),
///     ("instance-charge-type", vec!["POSTPAID_BY_HOUR"]),
/// ])?;
/// assert_eq!(filters.len(), 3);
/// assert!(matches!(InstanceFilters::parse(Vec::<(&str, Vec<&str>)>::new()), Err(ValidationError::NoFilters)));
/// assert!(matches!(
///     InstanceFilters::parse([("zone", vec!["ap-guangzhou-3"]), ("zone", vec!["ap-guangzhou-4"])]),
///     Err(ValidationError::DuplicateFilter(_))
/// ));
/// # Ok::<(), ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstanceFilters(Vec<InstanceFilter>);

impl InstanceFilters {
    /// The most filters one request may hold.
    pub const MAX: usize = 10;

    /// Checks filters already built (count, distinct names, creation-time order).
    pub fn new(filters: Vec<InstanceFilter>) -> Result<InstanceFilters, ValidationError> {
        check_count(filters.len())?;
        let mut seen = HashSet::with_capacity(filters.len());
        if let Some(dup) = filters.iter().find(|f| !seen.insert(f.name())) {
            return Err(ValidationError::DuplicateFilter(dup.name().clone()));
        }
        let filters = InstanceFilters(filters);
        let bound = |name| {
            filters
                .get(&name)
                .and_then(|f| f.values().first())
                .map(|v| (v, parse_wall_clock(v)))
        };
        if let (Some((start, Some(s))), Some((end, Some(e)))) = (
            bound(InstanceFilterName::CreationStartTime),
            bound(InstanceFilterName::CreationEndTime),
        ) && s > e
        {
            return Err(ValidationError::CreationTimesReversed {
                start: start.clone(),
                end: end.clone(),
            });
        }
        Ok(filters)
    }

    /// Checks `(name, values)` pairs as given on a command line or in a request:
    /// the count first, then each filter in order, then the rules of [`Self::new`].
    pub fn parse<I, N, V, S>(pairs: I) -> Result<InstanceFilters, ValidationError>
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: IntoIterator<Item = S>,
        S: Into<String>,
    {
        // One more than allowed is enough to refuse.
        let pairs: Vec<(N, V)> = pairs.into_iter().take(Self::MAX + 1).collect();
        check_count(pairs.len())?;
        let filters = pairs
            .into_iter()
            .map(|(name, values)| InstanceFilter::new(name.as_ref(), values))
            .collect::<Result<Vec<_>, _>>()?;
        InstanceFilters::new(filters)
    }

    /// The filters, in the order given.
    pub fn as_slice(&self) -> &[InstanceFilter] {
        &self.0
    }

    /// How many filters (1 to 10).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: there is at least one filter.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The filter called `name`, if there is one.
    pub fn get(&self, name: &InstanceFilterName) -> Option<&InstanceFilter> {
        self.0.iter().find(|f| f.name() == name)
    }

    /// Whether `instance`, as read, agrees with every filter ([`FilterMatch::and`]).
    pub fn matches(&self, instance: &Instance) -> FilterMatch {
        self.0
            .iter()
            .fold(FilterMatch::Yes, |acc, f| acc.and(f.matches(instance)))
    }

    /// The first filter `instance`, as read, contradicts, if any.
    pub fn contradicted_by(&self, instance: &Instance) -> Option<&InstanceFilter> {
        self.0
            .iter()
            .find(|f| f.matches(instance) == FilterMatch::No)
    }

    /// Appends `"Filters":[…]` to a JSON object being written.
    pub(crate) fn write_json_field(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\"Filters\":[");
        for (i, filter) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            filter.write_json(out);
        }
        out.push(b']');
    }
}

fn check_count(count: usize) -> Result<(), ValidationError> {
    match count {
        0 => Err(ValidationError::NoFilters),
        n if n > InstanceFilters::MAX => Err(ValidationError::TooManyFilters { count: n }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::ErrorCode;

    #[test]
    fn rules() {
        let eleven: Vec<(String, Vec<&str>)> =
            (0..11).map(|i| (format!("tag:k{i}"), vec!["v"])).collect();
        let e = InstanceFilters::parse(eleven.clone()).unwrap_err();
        assert_eq!(e, ValidationError::TooManyFilters { count: 11 });
        assert_eq!(e.code(), ErrorCode::InvalidParameterValueLimitExceeded);
        assert_eq!(
            InstanceFilters::parse(eleven[..10].to_vec()).unwrap().len(),
            10
        );
        // The count comes before any filter's own rule.
        let mut bad = eleven.clone();
        bad[0].0 = "nope".into();
        assert_eq!(
            InstanceFilters::parse(bad).unwrap_err(),
            ValidationError::TooManyFilters { count: 11 }
        );
        let endless = std::iter::repeat(("zone", vec!["ap-guangzhou-3"]));
        assert_eq!(
            InstanceFilters::parse(endless).unwrap_err(),
            ValidationError::TooManyFilters { count: 11 }
        );
        assert_eq!(
            InstanceFilters::new(vec![]),
            Err(ValidationError::NoFilters)
        );
        assert_eq!(
            ValidationError::NoFilters.code(),
            ErrorCode::MissingParameter
        );
        let e = InstanceFilters::parse([
            ("tag:a", vec!["1"]),
            ("tag:b", vec!["2"]),
            ("tag:a", vec!["3"]),
        ])
        .unwrap_err();
        assert_eq!(
            e,
            ValidationError::DuplicateFilter(InstanceFilterName::Tag("a".into()))
        );
        assert_eq!(e.code(), ErrorCode::InvalidFilter);
        // Creation times in order, or equal.
        let times = |s: &str, e: &str| {
            InstanceFilters::parse([
                ("creation-start-time", vec![s]),
                ("creation-end-time", vec![e]),
            ])
        };
        assert!(times("2023-06-01 00:00:00", "2023-06-01 00:00:00").is_ok());
        let e = times("2023-06-02 00:00:00", "2023-06-01 00:00:00").unwrap_err();
        assert!(matches!(e, ValidationError::CreationTimesReversed { .. }));
        assert_eq!(e.code(), ErrorCode::InvalidParameterValue);
        assert!(e.to_string().contains("2023-06-02 00:00:00"), "{e}");
    }

    #[test]
    fn matching_and_json() {
        let filters =
            InstanceFilters::parse([("zone", vec!["ap-guangzhou-3"]), ("tag:team", vec!["ci"])])
                .unwrap();
        let mut out = Vec::new();
        filters.write_json_field(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""Filters":[{"Name":"zone","Values":["ap-guangzhou-3"]},{"Name":"tag:team","Values":["ci"]}]"#
        );
        let read = |json: &str| -> Instance { serde_json::from_str(json).unwrap() };
        let ci = read(
            r#"{"InstanceId":"ins-00000001","Placement":{"Zone":"ap-guangzhou-3"},"Tags":[{"Key":"team","Value":"ci"}]}"#,
        );
        assert_eq!(filters.matches(&ci), FilterMatch::Yes);
        assert_eq!(filters.contradicted_by(&ci), None);
        let web = read(
            r#"{"InstanceId":"ins-00000001","Placement":{"Zone":"ap-guangzhou-3"},"Tags":[{"Key":"team","Value":"web"}]}"#,
        );
        assert_eq!(filters.matches(&web), FilterMatch::No);
        assert_eq!(
            filters.contradicted_by(&web).map(|f| f.name().to_string()),
            Some("tag:team".to_owned())
        );
        let bare = read(r#"{"InstanceId":"ins-00000001","Tags":[{"Key":"team","Value":"ci"}]}"#);
        assert_eq!(filters.matches(&bare), FilterMatch::Unknown);
    }
}
