//! [`CallerIdentity`]: who a credential belongs to, as STS `GetCallerIdentity` answers.

/// The identity behind a credential: `GetCallerIdentity`'s `Arn`, `AccountId`, `UserId`,
/// `PrincipalId` and `Type`.
///
/// By default every long-term credential is a sub-account ([`CallerIdentity::sub_account`])
/// of the emulator's account (`100000000001`, see
/// [`EmulatorConfig::account_id`](crate::EmulatorConfig::account_id)), with a UIN derived
/// from its SecretId; temporary keys are the role they were issued for
/// ([`CallerIdentity::assumed_role`]). [`EmulatorConfig::caller_identity`](crate::EmulatorConfig::caller_identity)
/// sets any other.
///
/// ```
/// use tencentcloud_cvm_emulator::CallerIdentity;
/// let user = CallerIdentity::sub_account("100000000001", "100000000042");
/// assert_eq!(user.arn, "qcs::cam:100000000001:uin/100000000042");
/// assert_eq!(user.kind, "CAMUser");
/// let role = CallerIdentity::assumed_role("100000000001", "4611686018427397919", "deploy", "100000000042");
/// assert_eq!(role.user_id, "4611686018427397919:deploy");
/// assert_eq!(role.arn, "qcs::sts:100000000001:assumed-role/4611686018427397919");
/// assert_eq!(role.kind, "CAMRole");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CallerIdentity {
    /// `Arn`, e.g. `qcs::cam:100000000001:uin/100000000042`.
    pub arn: String,
    /// `AccountId`: the owner (root) account's UIN.
    pub account_id: String,
    /// `UserId`: the caller's UIN, or `roleId:roleSessionName` for a role.
    pub user_id: String,
    /// `PrincipalId`: the caller's UIN, or for a role the UIN that asked for it.
    pub principal_id: String,
    /// `Type`: `CAMUser`, `CAMRole`, or what a test sets.
    pub kind: String,
}

impl CallerIdentity {
    /// Any identity, field by field.
    pub fn new(
        arn: impl Into<String>,
        account_id: impl Into<String>,
        user_id: impl Into<String>,
        principal_id: impl Into<String>,
        kind: impl Into<String>,
    ) -> Self {
        CallerIdentity {
            arn: arn.into(),
            account_id: account_id.into(),
            user_id: user_id.into(),
            principal_id: principal_id.into(),
            kind: kind.into(),
        }
    }

    /// A sub-account `uin` of the account `account_id` (`Type` `CAMUser`).
    pub fn sub_account(account_id: &str, uin: &str) -> Self {
        CallerIdentity::new(
            format!("qcs::cam:{account_id}:uin/{uin}"),
            account_id,
            uin,
            uin,
            "CAMUser",
        )
    }

    /// The role `role_id` of the account `account_id`, in the session `session`,
    /// asked for by `principal` (`Type` `CAMRole`).
    pub fn assumed_role(account_id: &str, role_id: &str, session: &str, principal: &str) -> Self {
        CallerIdentity::new(
            format!("qcs::sts:{account_id}:assumed-role/{role_id}"),
            account_id,
            format!("{role_id}:{session}"),
            principal,
            "CAMRole",
        )
    }
}

/// A number of `digits` digits derived from `text`, stable across runs.
fn derived_digits(text: &str, digits: u32) -> u64 {
    let hash = text.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    });
    hash % 10u64.pow(digits)
}

/// The UIN the emulator gives the sub-account of a SecretId: `100` and 9 digits.
pub(crate) fn uin_of(secret_id: &str) -> String {
    format!("100{:09}", derived_digits(secret_id, 9))
}

/// The role ID the emulator gives a role ARN: `4611686018` and 9 digits, as role IDs
/// are written.
pub(crate) fn role_id_of(role_arn: &str) -> String {
    format!("4611686018{:09}", derived_digits(role_arn, 9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_shaped_like_real_ones() {
        assert_eq!(uin_of("AKIDexample"), uin_of("AKIDexample"));
        assert_ne!(uin_of("AKIDexample"), uin_of("AKIDother"));
        assert_eq!(uin_of("AKIDexample").len(), 12);
        assert!(uin_of("x").bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(role_id_of("qcs::cam::uin/1:roleName/ops").len(), 19);
        assert!(role_id_of("r").starts_with("4611686018"));
    }
}
