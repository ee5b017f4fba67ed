//! Culprits: a TerminateInstances refused as a whole because of some of the
//! instances it names. A refused request changed nothing, so the others can be
//! sent again without the culprits.
//!
//! Which refusals are about particular instances (and so are worth isolating)
//! is a list, not a guess: every code here is one the service answers when an
//! instance of the request cannot be terminated, with the whole request refused
//! before anything was acted on (their disposition is final or
//! rejected-before-action: the service did not act).
//!
//! | code | why one instance spoils the batch |
//! | --- | --- |
//! | `InvalidInstanceId.NotFound` | it does not exist |
//! | `UnsupportedOperation.InstancesProtected` | termination protection |
//! | `UnsupportedOperation.InstanceState*` | a state TerminateInstances refuses |
//! | `UnsupportedOperation.InstanceMixedPricingModel` | prepaid and pay-as-you-go mixed |
//! | `UnsupportedOperation.InstanceChargeType` | a charge type that cannot be returned |
//! | `InvalidInstanceNotSupportedPrepaidInstance` | outside the prepaid return policy |
//! | `InvalidInstance.NotSupported` | an instance type that cannot be returned |
//! | `FailedOperation.Unreturnable` | not returnable |
//! | `FailedOperation.InvalidInstanceApplicationRole`, `…Emr` | an EMR or managed instance |
//! | `UnsupportedOperation.RedHatInstanceTerminateUnsupported`, `…RedHatInstanceUnsupported` | an enterprise OS |
//! | `UnsupportedOperation.SpecialInstanceType` | a special instance type |
//! | `UnsupportedOperation.InvalidInstancesOwner` | another account's instance |
//! | `OperationDenied.InstanceOperationInProgress` | another operation running on it |
//!
//! These are the "refused before acting" codes: a batch refused with one of them is
//! read, and, if the read finds no culprit, split in halves and sent again, until the
//! culprits are alone. The read also checks the claim that nothing was acted on: a
//! service has been seen refusing a batch after acting on part of it, and an
//! instance that reads as acted on is never sent again (nor, then, is any other
//! instance of that batch).
//!
//! Everything else (authentication, quotas, unpaid orders, parameters, …) is
//! about the request or the account: every instance would meet it again.

use crate::model::error_code::{Disposition, ErrorCode};
use crate::model::instance_id::InstanceId;

/// Whether `code` refuses a whole request because of particular instances in it.
pub(crate) fn is_per_instance(code: &ErrorCode) -> bool {
    use ErrorCode as E;
    if code.disposition() == Disposition::OutcomeUnknown {
        return false;
    }
    matches!(
        code,
        E::InvalidInstanceIdNotFound
            | E::UnsupportedOperationInstancesProtected
            | E::UnsupportedOperationInstanceMixedPricingModel
            | E::UnsupportedOperationInstanceChargeType
            | E::InvalidInstanceNotSupportedPrepaidInstance
            | E::InvalidInstanceNotSupported
            | E::FailedOperationUnreturnable
            | E::FailedOperationInvalidInstanceApplicationRole
            | E::FailedOperationInvalidInstanceApplicationRoleEmr
            | E::UnsupportedOperationRedHatInstanceTerminateUnsupported
            | E::UnsupportedOperationRedHatInstanceUnsupported
            | E::UnsupportedOperationSpecialInstanceType
            | E::UnsupportedOperationInvalidInstancesOwner
            | E::OperationDeniedInstanceOperationInProgress
    ) || is_state_refusal(code)
}

/// Whether `code` refuses a whole request for reasons of the account or of the
/// request itself (credentials, permissions, parameters, the API): splitting a read
/// refused with it would only be refused again.
pub(crate) fn is_about_the_request(code: &ErrorCode) -> bool {
    let text = code.as_str();
    text == "AuthFailure"
        || text.starts_with("AuthFailure.")
        || text.starts_with("InvalidAccount")
        || matches!(
            code,
            ErrorCode::ActionOffline
                | ErrorCode::InvalidAction
                | ErrorCode::InvalidParameter
                | ErrorCode::InvalidRequest
                | ErrorCode::IpInBlacklist
                | ErrorCode::IpNotInWhitelist
                | ErrorCode::MissingParameter
                | ErrorCode::NoSuchProduct
                | ErrorCode::NoSuchVersion
                | ErrorCode::RequestSizeLimitExceeded
                | ErrorCode::UnknownParameter
                | ErrorCode::UnsupportedProtocol
                | ErrorCode::UnsupportedRegion
                | ErrorCode::UnauthorizedOperationInvalidToken
                | ErrorCode::UnauthorizedOperationMfaExpired
                | ErrorCode::UnauthorizedOperationMfaNotFound
        )
        || code.is_throttle()
}

/// Whether `code` is one of the `UnsupportedOperation.InstanceState*` refusals.
pub(crate) fn is_state_refusal(code: &ErrorCode) -> bool {
    code.as_str()
        .starts_with("UnsupportedOperation.InstanceState")
}

/// Whether `code` says the instance is already being, or has been, terminated:
/// after an earlier request of ours whose outcome was unknown, that means it acted.
pub(crate) fn says_already_terminated(code: &ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::UnsupportedOperationInstanceStateTerminating
            | ErrorCode::UnsupportedOperationInstanceStateTerminated
    )
}

/// The members of a request that `message` names (`ins-` and 8 lowercase
/// letters or digits, standing alone), as indices into `members`.
pub(crate) fn named(message: &str, members: &[InstanceId]) -> Vec<usize> {
    let bytes = message.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = message[at..].find("ins-") {
        let start = at + offset;
        let end = start + 12;
        let alone_before = start == 0 || !is_id_char(bytes[start - 1]);
        let alone_after = bytes.get(end).is_none_or(|b| !is_id_char(*b));
        if end <= bytes.len()
            && message.is_char_boundary(end)
            && alone_before
            && alone_after
            && let Ok(id) = InstanceId::parse(&message[start..end])
            && let Some(i) = members.iter().position(|m| *m == id)
            && !found.contains(&i)
        {
            found.push(i);
        }
        at = start + 4;
    }
    found
}

fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<InstanceId> {
        list.iter().map(|s| InstanceId::parse(s).unwrap()).collect()
    }

    #[test]
    fn finds_the_members_a_message_names() {
        let members = ids(&["ins-00000001", "ins-missing1", "ins-protect1"]);
        assert_eq!(
            named("The instance `ins-missing1` does not exist.", &members),
            [1]
        );
        assert_eq!(
            named(
                "Termination protection is enabled for `ins-protect1`, `ins-00000001`.",
                &members
            ),
            [2, 0]
        );
        // Not a member, part of a longer token, or repeated: not counted (twice).
        assert_eq!(
            named(
                "ins-zzzzzzzz lhins-00000001 ins-000000012 ins-missing1 ins-missing1",
                &members
            ),
            [1]
        );
        assert!(named("", &members).is_empty());
        assert!(named("ins-", &members).is_empty());
        assert!(named("多字节 ins-missing1。", &members) == [1]);
    }

    #[test]
    fn per_instance_codes_are_listed_and_account_codes_are_not() {
        for yes in [
            "InvalidInstanceId.NotFound",
            "UnsupportedOperation.InstancesProtected",
            "UnsupportedOperation.InstanceStateStopping",
            "UnsupportedOperation.InstanceStateNewOne",
            "UnsupportedOperation.InstanceMixedPricingModel",
            "OperationDenied.InstanceOperationInProgress",
            "UnsupportedOperation.InvalidInstancesOwner",
        ] {
            assert!(is_per_instance(&ErrorCode::parse(yes)), "{yes}");
        }
        for no in [
            "AuthFailure.SignatureFailure",
            "InvalidAccount.UnpaidOrder",
            "LimitExceeded.UserReturnQuota",
            "UnauthorizedOperation",
            "InternalError",
            "FailedOperation",
            "RequestLimitExceeded",
            "MutexOperation.TaskRunning",
        ] {
            assert!(!is_per_instance(&ErrorCode::parse(no)), "{no}");
        }
    }
}
