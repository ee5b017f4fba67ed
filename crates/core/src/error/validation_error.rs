//! [`ValidationError`]: why a request was refused before anything was built or sent.

use std::fmt;

use crate::model::error_code::ErrorCode;
use crate::model::instance_filter_name::InstanceFilterName;
use crate::model::instance_filters::InstanceFilters;
use crate::model::instance_id::{InstanceId, MalformedInstanceId};
use crate::model::instance_id_list::InstanceIdList;
use crate::model::page::Page;

/// Why a request (TerminateInstances, DescribeInstances, DescribeInstancesStatus,
/// InquiryPriceTerminateInstances), a run's list of IDs, or DescribeInstances'
/// `Filters`, was refused before anything was built. Each carries the code the
/// service answers for the same mistake ([`ValidationError::code`]); where the
/// documentation names none (`InstanceIds` with `Filters`), the closest general code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationError {
    /// No instance IDs where at least one is needed (`MissingParameter`).
    NoInstanceIds,
    /// More than 100 IDs in one request (`InvalidParameterValue.LimitExceeded`).
    TooManyInstanceIds {
        /// How many were given.
        count: usize,
    },
    /// One or more IDs are malformed (`InvalidInstanceId.Malformed`).
    Malformed(Vec<MalformedInstanceId>),
    /// The same ID appears twice in one request (`InvalidParameterValue`).
    DuplicateInstanceId(InstanceId),
    /// `Limit` is 0 (`InvalidParameterValue`).
    ZeroLimit,
    /// `Limit` is above 100 (`InvalidParameterValue.LimitExceeded`).
    LimitTooLarge {
        /// The limit asked for.
        limit: u64,
    },
    /// Both `InstanceIds` and `Filters` in one DescribeInstances, which the API refuses
    /// (`InvalidParameter`; the documentation names no code). Select IDs with the
    /// `instance-id` filter instead.
    InstanceIdsWithFilters,
    /// A filter name the API does not document, or `tag:` without a key (`InvalidFilter`).
    UnknownFilter {
        /// The name given (shortened to 64 characters and `…`).
        name: String,
    },
    /// An empty list of filters where at least one is needed (`MissingParameter`): a
    /// listing of every instance is asked for explicitly, never by an empty selection.
    NoFilters,
    /// More than 10 filters (`InvalidParameterValue.LimitExceeded`).
    TooManyFilters {
        /// How many were given.
        count: usize,
    },
    /// The same filter name twice (`InvalidFilter`): the API does not say whether
    /// they would be combined or one would win, and the wrong guess widens a selection.
    DuplicateFilter(InstanceFilterName),
    /// A filter without values (`InvalidParameterValue`).
    NoFilterValues(InstanceFilterName),
    /// More values in one filter than it takes (`InvalidFilterValue.LimitExceeded`):
    /// 5, or 1 for a creation-time bound.
    TooManyFilterValues {
        /// The filter.
        filter: InstanceFilterName,
        /// How many values were given.
        count: usize,
        /// How many it takes.
        max: usize,
    },
    /// A value not in the form the filter documents (the filter's own code, e.g.
    /// `InvalidParameterValue.VpcIdMalformed`; see [`InstanceFilterName::malformed_code`]).
    InvalidFilterValue {
        /// The filter.
        filter: InstanceFilterName,
        /// The value given (shortened to 64 characters and `…`).
        value: String,
        /// What the filter takes, e.g. "a VPC ID (vpc- and 8 lowercase letters or digits)".
        expected: &'static str,
    },
    /// The same value twice in one filter (`InvalidParameterValue`).
    DuplicateFilterValue {
        /// The filter.
        filter: InstanceFilterName,
        /// The repeated value (shortened to 64 characters and `…`).
        value: String,
    },
    /// A listing page of 1 ([`InstanceListing::with_page_size`](crate::InstanceListing::with_page_size),
    /// `InvalidParameterValue`): each page after the first repeats the last entry of the
    /// page before, so a page must hold at least 2.
    ListingPageTooSmall {
        /// The page size asked for.
        limit: u32,
    },
    /// `creation-start-time` later than `creation-end-time` (`InvalidParameterValue`):
    /// nothing could match.
    CreationTimesReversed {
        /// The start, as given.
        start: String,
        /// The end, as given.
        end: String,
    },
}

impl ValidationError {
    /// The service's code for the same mistake.
    pub fn code(&self) -> ErrorCode {
        match self {
            ValidationError::NoInstanceIds => ErrorCode::MissingParameter,
            ValidationError::TooManyInstanceIds { .. } | ValidationError::LimitTooLarge { .. } => {
                ErrorCode::InvalidParameterValueLimitExceeded
            }
            ValidationError::Malformed(_) => ErrorCode::InvalidInstanceIdMalformed,
            ValidationError::DuplicateInstanceId(_)
            | ValidationError::ZeroLimit
            | ValidationError::NoFilterValues(_)
            | ValidationError::DuplicateFilterValue { .. }
            | ValidationError::ListingPageTooSmall { .. }
            | ValidationError::CreationTimesReversed { .. } => ErrorCode::InvalidParameterValue,
            ValidationError::InstanceIdsWithFilters => ErrorCode::InvalidParameter,
            ValidationError::UnknownFilter { .. } | ValidationError::DuplicateFilter(_) => {
                ErrorCode::InvalidFilter
            }
            ValidationError::NoFilters => ErrorCode::MissingParameter,
            ValidationError::TooManyFilters { .. } => ErrorCode::InvalidParameterValueLimitExceeded,
            ValidationError::TooManyFilterValues { .. } => {
                ErrorCode::InvalidFilterValueLimitExceeded
            }
            ValidationError::InvalidFilterValue { filter, .. } => filter.malformed_code(),
        }
    }

    /// What is wrong, without the code (the emulator puts this in its error envelope).
    pub fn detail(&self) -> String {
        match self {
            ValidationError::NoInstanceIds => {
                "InstanceIds must name at least one instance".to_owned()
            }
            ValidationError::TooManyInstanceIds { count } => format!(
                "{count} instance IDs given, at most {} fit one request",
                InstanceIdList::MAX
            ),
            ValidationError::Malformed(bad) => {
                let mut text = format!(
                    "{} malformed instance ID(s) (expected `ins-` and 8 lowercase letters or digits):",
                    bad.len()
                );
                for (i, m) in bad.iter().enumerate().take(10) {
                    let sep = if i == 0 { "" } else { "," };
                    text.push_str(&format!("{sep} `{}`", m.input().escape_debug()));
                }
                if bad.len() > 10 {
                    text.push_str(&format!(" and {} more", bad.len() - 10));
                }
                text
            }
            ValidationError::DuplicateInstanceId(id) => {
                format!("instance ID {id} appears more than once")
            }
            ValidationError::ZeroLimit => "Limit must be at least 1".to_owned(),
            ValidationError::LimitTooLarge { limit } => {
                format!("Limit is {limit}; at most {} is allowed", Page::MAX_LIMIT)
            }
            ValidationError::InstanceIdsWithFilters => {
                "InstanceIds and Filters cannot be given together (select IDs with the \
                 `instance-id` filter instead)"
                    .to_owned()
            }
            ValidationError::UnknownFilter { name } => format!(
                "`{}` is not a filter of DescribeInstances (expected one of {}, or tag:KEY)",
                shown(name),
                InstanceFilterName::documented_names()
            ),
            ValidationError::NoFilters => {
                "Filters must hold at least one filter (list every instance without Filters)"
                    .to_owned()
            }
            ValidationError::TooManyFilters { count } => format!(
                "{count} filters given, at most {} fit one request",
                InstanceFilters::MAX
            ),
            ValidationError::DuplicateFilter(filter) => format!(
                "the filter `{}` is given more than once (put its values in one filter)",
                shown(&filter.to_string())
            ),
            ValidationError::NoFilterValues(filter) => {
                format!("the filter `{}` has no values", shown(&filter.to_string()))
            }
            ValidationError::TooManyFilterValues { filter, count, max } => format!(
                "the filter `{}` has {count} values, at most {max} allowed",
                shown(&filter.to_string())
            ),
            ValidationError::InvalidFilterValue {
                filter,
                value,
                expected,
            } => format!(
                "`{}` is not a valid value of the filter `{}` (expected {expected})",
                shown(value),
                shown(&filter.to_string())
            ),
            ValidationError::DuplicateFilterValue { filter, value } => format!(
                "the filter `{}` has the value `{}` more than once",
                shown(&filter.to_string()),
                shown(value)
            ),
            ValidationError::ListingPageTooSmall { limit } => format!(
                "a listing page of {limit} is too small: each page repeats the last instance \
                 of the page before, so a page holds at least 2"
            ),
            ValidationError::CreationTimesReversed { start, end } => format!(
                "creation-start-time `{}` is after creation-end-time `{}`: nothing can match",
                shown(start),
                shown(end)
            ),
        }
    }
}

/// At most 64 characters of text that came from a caller, with `…` when cut: what a
/// refusal keeps of a value (a caller may pass anything, of any length).
pub(crate) fn clipped(text: &str) -> String {
    let mut out: String = text.chars().take(64).collect();
    if text.chars().nth(64).is_some() {
        out.push('…');
    }
    out
}

/// At most 64 characters of text that came from a caller, escaped for one line.
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(64)
        .collect::<String>()
        .escape_debug()
        .collect();
    if text.chars().nth(64).is_some() {
        out.push('…');
    }
    out
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.detail())
    }
}

impl std::error::Error for ValidationError {}
