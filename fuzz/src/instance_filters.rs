//! Target `instance_filters`: DescribeInstances' `Filters` as a caller gives them,
//! checked, written into a request, and matched against an instance read back.

use std::collections::HashSet;

use serde_json::Value;
use tencentcloud_cvm_core::{
    DescribeInstances, ErrorCode, FilterMatch, Instance, InstanceFilter, InstanceFilterName,
    InstanceFilters,
};

/// The body of target `instance_filters`.
///
/// ```text
/// NAME TAB VALUE TAB VALUE … LF    one filter per line, any number (a line with no
///                                  TAB is a filter with no values)
/// -- LF                            optional: the rest is a DescribeInstances entry (JSON)
/// INSTANCE
/// ```
///
/// Invalid UTF-8 is replaced by U+FFFD. Invariants:
/// * `InstanceFilters::parse` never panics; a refusal has one of the codes of the
///   filter rules and a one-line message without control characters;
/// * what it accepts holds 1 to 10 filters with distinct names, each name printing
///   back to itself, 1 to `max_values` distinct values each, every value accepted on
///   its own;
/// * the request body holds exactly those names and values, in order, and reading
///   them back gives the same filters;
/// * a request by IDs refuses them;
/// * against the instance (when it parses): `matches` is the AND of each filter's,
///   `contradicted_by` names a filter exactly when that is `No`, and the instance's own
///   ID is matched by an `instance-id` filter naming it.
pub fn instance_filters(data: &[u8]) {
    let _ = filters_outcome(data);
}

/// Runs target `instance_filters` on `data` and says what came of it: `ok N` (N
/// filters accepted, followed by ` Yes`/` No`/` Unknown` when an instance was given),
/// or the refusal's code.
pub fn filters_outcome(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let (filters_text, instance_text) = match text.split_once("\n--\n") {
        Some((f, i)) => (f, Some(i)),
        None => (text.as_ref(), None),
    };
    let pairs: Vec<(&str, Vec<&str>)> = filters_text
        .lines()
        .map(|line| {
            let mut parts = line.split('\t');
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect();
    let parsed = InstanceFilters::parse(pairs.iter().map(|(n, v)| (*n, v.iter().copied())));
    let filters = match parsed {
        Err(e) => {
            let allowed = [
                ErrorCode::InvalidFilter,
                ErrorCode::MissingParameter,
                ErrorCode::InvalidParameterValue,
                ErrorCode::InvalidParameterValueLimitExceeded,
                ErrorCode::InvalidFilterValueLimitExceeded,
            ];
            let code = e.code();
            let value_code = InstanceFilterName::documented().any(|n| n.malformed_code() == code);
            assert!(allowed.contains(&code) || value_code, "{code}");
            let message = e.to_string();
            assert!(!message.chars().any(char::is_control), "{message:?}");
            assert!(message.chars().count() < 2000, "{message}");
            drop(format!("{e:?}"));
            return code.to_string();
        }
        Ok(filters) => filters,
    };
    check_accepted(&filters, &pairs);
    let mut outcome = format!("ok {}", filters.len());
    if let Some(instance) = instance_text.and_then(|t| serde_json::from_str::<Instance>(t).ok()) {
        check_matching(&filters, &instance);
        outcome.push_str(&format!(" {:?}", filters.matches(&instance)));
    }
    outcome
}

fn check_accepted(filters: &InstanceFilters, pairs: &[(&str, Vec<&str>)]) {
    assert!((1..=InstanceFilters::MAX).contains(&filters.len()));
    assert_eq!(filters.len(), pairs.len());
    let mut names = HashSet::new();
    for (filter, (name, values)) in filters.as_slice().iter().zip(pairs) {
        assert_eq!(filter.name().to_string(), *name);
        assert_eq!(&InstanceFilterName::parse(name).unwrap(), filter.name());
        assert!(names.insert(filter.name().clone()));
        assert_eq!(filter.values(), values.as_slice());
        assert!((1..=filter.name().max_values()).contains(&values.len()));
        let distinct: HashSet<&String> = filter.values().iter().collect();
        assert_eq!(distinct.len(), values.len());
        for v in values {
            assert!(InstanceFilter::new(name, [*v]).is_ok(), "{name} {v:?}");
        }
    }
    // The body carries exactly these filters, and reads back to them.
    let request = DescribeInstances::by_filters(filters.clone());
    let body: Value = serde_json::from_slice(&request.to_body()).expect("the body is JSON");
    let written = body["Filters"].as_array().expect("Filters is an array");
    let read_back: Vec<(&str, Vec<&str>)> = written
        .iter()
        .map(|f| {
            let values = f["Values"].as_array().expect("Values is an array");
            (
                f["Name"].as_str().expect("Name is a string"),
                values
                    .iter()
                    .map(|v| v.as_str().expect("a string"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(read_back, pairs);
    assert_eq!(InstanceFilters::parse(read_back).as_ref(), Ok(filters));
    let by_ids = DescribeInstances::by_ids(["ins-00000001"]).expect("a valid ID");
    assert!(by_ids.with_filters(filters.clone()).is_err());
}

fn check_matching(filters: &InstanceFilters, instance: &Instance) {
    let each: Vec<FilterMatch> = filters
        .as_slice()
        .iter()
        .map(|f| f.matches(instance))
        .collect();
    let all = each.iter().fold(FilterMatch::Yes, |acc, m| acc.and(*m));
    assert_eq!(filters.matches(instance), all);
    let first_no = filters
        .as_slice()
        .iter()
        .zip(&each)
        .find(|(_, m)| **m == FilterMatch::No)
        .map(|(f, _)| f);
    assert_eq!(filters.contradicted_by(instance), first_no);
    let own = InstanceFilter::new("instance-id", [instance.instance_id.as_str()]).expect("an ID");
    assert_eq!(own.matches(instance), FilterMatch::Yes);
}
