//! STS `GetCallerIdentity` (version `2018-08-13`, signed with the scope
//! `<date>/sts/tc3_request`): who the credential that signed the request belongs to.
//!
//! | check | error code |
//! | --- | --- |
//! | `X-TC-Region` present (the page marks Region required) | `MissingParameter` |
//! | no parameters | `UnknownParameter` |
//!
//! The answer has `Arn`, `AccountId`, `UserId`, `PrincipalId` and `Type`: the
//! [`CallerIdentity`](crate::CallerIdentity) of the credential (a sub-account of the
//! emulator's account by default; the role for a temporary key the emulator issued).

use serde::Serialize;

use super::Call;
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;

pub(super) const PARAMETERS: &[&str] = &[];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    arn: &'a str,
    account_id: &'a str,
    user_id: &'a str,
    principal_id: &'a str,
    #[serde(rename = "Type")]
    kind: &'a str,
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    if call.region.is_none() {
        return Err(ApiError::new(
            "MissingParameter",
            "The request is missing the required header `X-TC-Region`.",
        ));
    }
    if let Some(refusal) = call.refusal() {
        return Err(refusal);
    }
    let identity = emulator.caller_identity(&call.secret_id);
    let answer = Answer {
        arn: &identity.arn,
        account_id: &identity.account_id,
        user_id: &identity.user_id,
        principal_id: &identity.principal_id,
        kind: &identity.kind,
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::test_support::*;
    use crate::{CallerIdentity, Emulator};

    const ACTION: &str = "GetCallerIdentity";

    fn sts(body: serde_json::Value) -> Spec {
        let mut spec = Spec::action(ACTION, body);
        spec.version = "2018-08-13".into();
        spec.service = "sts".into();
        spec
    }

    #[test]
    fn a_sub_account_of_the_account_by_default() {
        let mut e = emulator(Emulator::builder());
        let a = answer(&mut e, &sts(json!({})), t0());
        let uin = crate::credential_services::identity::uin_of(SECRET_ID);
        assert_eq!(a["AccountId"], "100000000001");
        assert_eq!(a["UserId"], uin.as_str());
        assert_eq!(a["PrincipalId"], uin.as_str());
        assert_eq!(a["Type"], "CAMUser");
        assert_eq!(a["Arn"], format!("qcs::cam:100000000001:uin/{uin}"));
    }

    #[test]
    fn configured_identities_and_account() {
        let mut e = emulator(
            Emulator::builder()
                .account_id("200000000002")
                .caller_identity(SECRET_ID, CallerIdentity::new("arn", "1", "2", "3", "Root")),
        );
        let a = answer(&mut e, &sts(json!({})), t0());
        assert_eq!(
            a,
            json!({"Arn": "arn", "AccountId": "1", "UserId": "2", "PrincipalId": "3",
                   "Type": "Root", "RequestId": a["RequestId"]})
        );
    }

    #[test]
    fn signed_for_sts_in_its_version() {
        let mut e = emulator(Emulator::builder());
        // Signed with the CVM scope: refused as a signature for the wrong service.
        let mut cvm_scope = sts(json!({}));
        cvm_scope.service = "cvm".into();
        assert_eq!(
            send(&mut e, &cvm_scope, t0()),
            "AuthFailure.SignatureFailure"
        );
        let mut old = sts(json!({}));
        old.version = "2017-03-12".into();
        assert_eq!(send(&mut e, &old, t0()), "NoSuchVersion");
        assert_eq!(
            send(&mut e, &sts(json!({"Extra": 1})), t0()),
            "UnknownParameter"
        );
        let mut no_region = sts(json!({}));
        no_region.region = String::new();
        assert_eq!(send(&mut e, &no_region, t0()), "MissingParameter");
    }
}
