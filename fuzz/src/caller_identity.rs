//! Target `caller_identity_parser`: STS GetCallerIdentity's typed answer on arbitrary
//! responses.

use tencentcloud_cvm_core::sts::GetCallerIdentityResponse;

use crate::typed_response::{text, typed_response};

/// The body of target `caller_identity_parser`; the input is an HTTP-like response as
/// for `response_parser`.
///
/// Invariants checked, besides those of the shared typed harness: `Arn`, `AccountId`,
/// `UserId` and `PrincipalId` are the JSON's strings (never absent), `Type` the JSON's
/// text or `None` for `null`/absent (unknown types kept verbatim).
pub fn caller_identity_parser(data: &[u8]) {
    typed_response::<GetCallerIdentityResponse>(data, |answer, json| {
        for (read, name) in [
            (&answer.arn, "Arn"),
            (&answer.account_id, "AccountId"),
            (&answer.user_id, "UserId"),
            (&answer.principal_id, "PrincipalId"),
        ] {
            assert_eq!(text(json, name), Some(read.as_str()), "{name}");
        }
        assert_eq!(
            answer.identity_type.as_ref().map(|t| t.as_str()),
            text(json, "Type")
        );
    });
}
