//! [`Action`]: the API actions this crate speaks, with their names and services, and
//! [`ActionTable`]: how a table with one entry per action stays complete.
//!
//! One file per action holds its typed request, its typed answer and its
//! [`ApiRequest`](crate::ApiRequest) impl; [`api_request`] holds the trait they share.
//!
//! # Adding an action
//!
//! Every per-action table is an exhaustive `match` (in this crate) or an
//! [`ActionTable`] implementation (in the others), so a new variant does not compile
//! until each has its entry:
//!
//! | table | where | what the new action needs |
//! | --- | --- | --- |
//! | [`Action::name`], [`Action::service`] | here | its `X-TC-Action` name and its product |
//! | [`ActionTable`] (a required method, and an arm of [`ActionTable::entry`]) | here | the method every table implements |
//! | the documented rate limits ([`Action::default_rate_limit`]) | `client_state/rate_limits.rs` | its requests per second |
//! | the emulator's routes | `tencentcloud-cvm-emulator` | its handler and parameters |
//! | the fuzz crate's parser table | `tencentcloud-cvm-fuzz` | the fuzz target that parses its answer, and an emulator seed |
//!
//! [`Action::ALL`] lists the variants for [`Action::parse`]; add the new one there too.

pub(crate) mod api_request;
pub(crate) mod describe_instances;
pub(crate) mod describe_instances_status;
pub(crate) mod describe_regions;
pub(crate) mod inquiry_price_terminate_instances;
pub(crate) mod instance_listing;
pub(crate) mod instance_query;
pub(crate) mod terminate_instances;

use std::fmt;

use crate::http::service::Service;

/// An API 3.0 action this crate speaks.
///
/// ```
/// use tencentcloud_cvm_core::{Action, Service};
/// let a = Action::parse("DescribeInstances").unwrap();
/// assert_eq!(a, Action::DescribeInstances);
/// assert_eq!(a.service(), Service::CVM);
/// assert_eq!(a.default_rate_limit().max(), 40);
/// ```
///
/// It is `#[non_exhaustive]`: this crate adds actions in minor releases. Another
/// crate's `match` on it therefore needs a wildcard arm, which would take a new
/// action silently; a table that must cover every action implements
/// [`ActionTable`] instead.
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
}

/// A table with one entry per [`Action`], complete by construction.
///
/// Each action is a required method, so adding an action to this crate adds a
/// method here, and every implementation, in any crate, stops compiling until it
/// has the new entry. (A `match` in another crate cannot do that: [`Action`] is
/// `#[non_exhaustive]`, so such a match needs a wildcard arm.) Look an entry up
/// with [`ActionTable::entry`].
///
/// ```
/// use tencentcloud_cvm_core::{Action, ActionTable};
///
/// /// Whether an action changes anything.
/// struct Acts;
///
/// impl ActionTable for Acts {
///     type Entry = bool;
///     fn terminate_instances(&self) -> bool { true }
///     fn describe_instances(&self) -> bool { false }
///     fn describe_instances_status(&self) -> bool { false }
///     fn inquiry_price_terminate_instances(&self) -> bool { false }
///     fn describe_regions(&self) -> bool { false }
///     fn get_caller_identity(&self) -> bool { false }
/// }
///
/// assert!(Acts.entry(Action::TerminateInstances));
/// assert_eq!(Action::ALL.iter().filter(|&&a| Acts.entry(a)).count(), 1);
/// ```
pub trait ActionTable {
    /// What the table holds for each action.
    type Entry;

    /// The entry for `TerminateInstances`.
    fn terminate_instances(&self) -> Self::Entry;
    /// The entry for `DescribeInstances`.
    fn describe_instances(&self) -> Self::Entry;
    /// The entry for `DescribeInstancesStatus`.
    fn describe_instances_status(&self) -> Self::Entry;
    /// The entry for `InquiryPriceTerminateInstances`.
    fn inquiry_price_terminate_instances(&self) -> Self::Entry;
    /// The entry for `DescribeRegions`.
    fn describe_regions(&self) -> Self::Entry;
    /// The entry for STS `GetCallerIdentity`.
    fn get_caller_identity(&self) -> Self::Entry;

    /// The entry for `action`.
    fn entry(&self, action: Action) -> Self::Entry {
        match action {
            Action::TerminateInstances => self.terminate_instances(),
            Action::DescribeInstances => self.describe_instances(),
            Action::DescribeInstancesStatus => self.describe_instances_status(),
            Action::InquiryPriceTerminateInstances => self.inquiry_price_terminate_instances(),
            Action::DescribeRegions => self.describe_regions(),
            Action::GetCallerIdentity => self.get_caller_identity(),
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

    #[test]
    fn a_table_gives_each_action_its_own_entry() {
        struct Names;
        impl ActionTable for Names {
            type Entry = &'static str;
            fn terminate_instances(&self) -> &'static str {
                "TerminateInstances"
            }
            fn describe_instances(&self) -> &'static str {
                "DescribeInstances"
            }
            fn describe_instances_status(&self) -> &'static str {
                "DescribeInstancesStatus"
            }
            fn inquiry_price_terminate_instances(&self) -> &'static str {
                "InquiryPriceTerminateInstances"
            }
            fn describe_regions(&self) -> &'static str {
                "DescribeRegions"
            }
            fn get_caller_identity(&self) -> &'static str {
                "GetCallerIdentity"
            }
        }
        for a in Action::ALL {
            assert_eq!(Names.entry(*a), a.name());
        }
    }
}
