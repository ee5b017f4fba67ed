//! [`Action`]: the CVM API actions this crate speaks, with their names and default
//! request rates.
//!
//! One file per action holds its typed request, its typed answer and its
//! [`ApiRequest`](crate::ApiRequest) impl; [`api_request`] holds the trait they share.

pub(crate) mod api_request;
pub(crate) mod describe_instances;
pub(crate) mod describe_instances_status;
pub(crate) mod describe_regions;
pub(crate) mod inquiry_price_terminate_instances;
pub(crate) mod instance_listing;
pub(crate) mod instance_query;
pub(crate) mod terminate_instances;

use std::fmt;

use crate::client_state::limiter::RateLimit;
use crate::http::service::Service;

/// A CVM API 3.0 action (version 2017-03-12).
///
/// ```
/// use tencentcloud_cvm_core::Action;
/// use tencentcloud_cvm_core::RateLimit;
/// let a = Action::parse("DescribeInstances").unwrap();
/// assert_eq!(a, Action::DescribeInstances);
/// assert_eq!(a.default_rate_limit(), RateLimit::DESCRIBE_INSTANCES);
/// assert_eq!(a.default_rate_limit().max(), 40);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Action {
    /// `TerminateInstances`: return instances (prepaid ones go to the recycle bin first).
    TerminateInstances,
    /// `DescribeInstances`: instance details, by ID or paged.
    DescribeInstances,
    /// `DescribeInstancesStatus`: instance states, by ID or paged.
    DescribeInstancesStatus,
    /// `InquiryPriceTerminateInstances`: what terminating instances would refund.
    InquiryPriceTerminateInstances,
    /// `DescribeRegions`: the regions CVM is offered in.
    DescribeRegions,
    /// STS `GetCallerIdentity` (version 2018-08-13): the account and principal the
    /// credentials belong to.
    GetCallerIdentity,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: &'static [Action] = &[
        Action::TerminateInstances,
        Action::DescribeInstances,
        Action::DescribeInstancesStatus,
        Action::InquiryPriceTerminateInstances,
        Action::DescribeRegions,
        Action::GetCallerIdentity,
    ];

    /// The name sent as `X-TC-Action`.
    pub const fn name(self) -> &'static str {
        match self {
            Action::TerminateInstances => "TerminateInstances",
            Action::DescribeInstances => "DescribeInstances",
            Action::DescribeInstancesStatus => "DescribeInstancesStatus",
            Action::InquiryPriceTerminateInstances => "InquiryPriceTerminateInstances",
            Action::DescribeRegions => "DescribeRegions",
            Action::GetCallerIdentity => "GetCallerIdentity",
        }
    }

    /// The action with this exact name.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// The product and API version it belongs to: [`Service::CVM`], or [`Service::STS`]
    /// for `GetCallerIdentity`.
    pub fn service(self) -> Service {
        match self {
            Action::TerminateInstances
            | Action::DescribeInstances
            | Action::DescribeInstancesStatus
            | Action::InquiryPriceTerminateInstances
            | Action::DescribeRegions => Service::CVM,
            Action::GetCallerIdentity => Service::STS,
        }
    }

    /// Its documented request rate (see the constants of [`RateLimit`] for the sources).
    pub fn default_rate_limit(self) -> RateLimit {
        match self {
            Action::TerminateInstances => RateLimit::TERMINATE_INSTANCES,
            Action::DescribeInstances => RateLimit::DESCRIBE_INSTANCES,
            Action::DescribeInstancesStatus => RateLimit::DESCRIBE_INSTANCES_STATUS,
            Action::InquiryPriceTerminateInstances => RateLimit::INQUIRY_PRICE_TERMINATE_INSTANCES,
            Action::DescribeRegions => RateLimit::DESCRIBE_REGIONS,
            Action::GetCallerIdentity => RateLimit::GET_CALLER_IDENTITY,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.name()), Some(*a));
            assert!(a.name().bytes().all(|b| b.is_ascii_alphanumeric()));
            let expected = if *a == Action::GetCallerIdentity {
                Service::STS
            } else {
                Service::CVM
            };
            assert_eq!(a.service(), expected);
        }
        assert_eq!(Action::DescribeRegions.default_rate_limit().max(), 20);
        assert_eq!(Action::GetCallerIdentity.default_rate_limit().max(), 20);
        assert_eq!(Action::GetCallerIdentity.service().version(), "2018-08-13");
        assert_eq!(Action::parse("describeInstances"), None);
    }
}
