//! [`ValidationError`]: why a request was refused before anything was built or sent.

use std::fmt;

use crate::model::error_code::ErrorCode;
use crate::model::instance_id::{InstanceId, MalformedInstanceId};
use crate::model::instance_id_list::InstanceIdList;
use crate::model::page::Page;

/// Why a request (TerminateInstances, DescribeInstances, DescribeInstancesStatus,
/// InquiryPriceTerminateInstances), or a run's list of IDs, was refused before
/// anything was built. Each carries the code the service answers
/// for the same mistake ([`ValidationError::code`]).
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
            ValidationError::DuplicateInstanceId(_) | ValidationError::ZeroLimit => {
                ErrorCode::InvalidParameterValue
            }
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
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.detail())
    }
}

impl std::error::Error for ValidationError {}
