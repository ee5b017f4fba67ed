//! Who is about to act, shown before the question: the SecretId masked, and
//! the account and principal STS `GetCallerIdentity` names for it; when that
//! cannot be had (a key without the permission, no answer), the masked
//! SecretId alone and why.

use std::fmt;

use tencentcloud_cvm::credentials::sts::GetCallerIdentityResponse;
use tencentcloud_cvm::CallerIdentityError;

/// What the confirmation says about the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    secret_id: String,
    caller: Caller,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Caller {
    /// Not asked (whole-run refusals name the key only).
    NotAsked,
    /// What `GetCallerIdentity` said: the account, the ARN and the type, if any.
    Found {
        account_id: String,
        arn: String,
        kind: Option<String>,
    },
    /// Why `GetCallerIdentity` gave no identity.
    NotFound { why: String },
}

impl Identity {
    /// The caller known only by its key: the SecretId, masked.
    pub fn from_secret_id(secret_id: &str) -> Identity {
        Identity {
            secret_id: mask(secret_id),
            caller: Caller::NotAsked,
        }
    }

    /// The caller as `GetCallerIdentity` answered for the key `secret_id`.
    /// A refusal shows its code (the service's message is in the `-v` log).
    pub fn looked_up(
        secret_id: &str,
        answer: Result<GetCallerIdentityResponse, CallerIdentityError>,
    ) -> Identity {
        let caller = match answer {
            Ok(me) => Caller::Found {
                account_id: me.account_id,
                arn: me.arn,
                kind: me.identity_type.map(|t| t.as_str().to_owned()),
            },
            Err(e) => Caller::NotFound {
                why: match e.service_error() {
                    Some(refusal) => format!("{e}: {}", refusal.code),
                    None => e.to_string(),
                },
            },
        };
        Identity {
            secret_id: mask(secret_id),
            caller,
        }
    }

    /// The masked SecretId (`AKID****abcd`).
    pub fn masked_secret_id(&self) -> &str {
        &self.secret_id
    }

    /// What to show, a line each (unescaped: text from the service is in it).
    pub fn lines(&self) -> Vec<String> {
        let key = format!("SecretId {}", self.secret_id);
        match &self.caller {
            Caller::NotAsked => vec![format!("{key} (the account behind it is not looked up)")],
            Caller::Found {
                account_id,
                arn,
                kind,
            } => {
                let principal = match kind {
                    Some(kind) => format!("{kind} {arn}"),
                    None => arn.clone(),
                };
                vec![format!("{key}: account {account_id}, {principal}")]
            }
            Caller::NotFound { why } => vec![
                format!("{key}: the identity could not be looked up"),
                format!("({why})"),
            ],
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join(" "))
    }
}

/// The first four and last four characters of a SecretId, `****` between: enough
/// to tell keys apart, too little to be the key. Short IDs show fewer.
pub fn mask(secret_id: &str) -> String {
    let chars: Vec<char> = secret_id.chars().collect();
    let shown = match chars.len() {
        n if n >= 12 => 4,
        n if n >= 6 => 2,
        _ => 0,
    };
    let head: String = chars[..shown].iter().collect();
    let tail: String = chars[chars.len() - shown..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_ends() {
        assert_eq!(mask("AKIDz8krbsJ5yKBZQpn74WFkmLPx3abcd"), "AKID****abcd");
        assert_eq!(mask("AKIDcliTest"), "AK****st");
        assert_eq!(mask("AKID1"), "****");
        assert_eq!(mask(""), "****");
        assert_eq!(mask("密钥密钥密钥密钥密钥密钥"), "密钥密钥****密钥密钥");
    }

    #[test]
    fn the_line_never_holds_the_whole_id() {
        let id = "AKIDSENTINELmiddlePART1234";
        let shown = Identity::from_secret_id(id).to_string();
        assert!(!shown.contains("middlePART"), "{shown}");
        assert!(shown.starts_with("SecretId AKID****1234"), "{shown}");
    }

    fn answer(body: &str) -> GetCallerIdentityResponse {
        use tencentcloud_cvm::wire::ApiRequest;
        tencentcloud_cvm::credentials::sts::GetCallerIdentity::parse_response(
            &tencentcloud_cvm::http::Response::new(body.as_bytes().to_vec()),
            1 << 20,
        )
        .unwrap()
    }

    #[test]
    fn the_account_and_the_principal_beside_the_masked_key() {
        let me = answer(
            r#"{"Response":{"Type":"CAMUser","AccountId":"100026200000","UserId":"100026100000",
                "PrincipalId":"100026100000","Arn":"qcs::cam:100026200000:uin/100026100000","RequestId":"r"}}"#,
        );
        let shown = Identity::looked_up("AKIDSENTINELmiddlePART1234", Ok(me));
        assert_eq!(
            shown.lines(),
            ["SecretId AKID****1234: account 100026200000, CAMUser qcs::cam:100026200000:uin/100026100000"]
        );
        let root = answer(
            r#"{"Response":{"Type":null,"AccountId":"1","UserId":"1","PrincipalId":"1",
                "Arn":"qcs::cam:1:uin/1","RequestId":"r"}}"#,
        );
        assert_eq!(
            Identity::looked_up("AKIDrootKey12", Ok(root)).lines(),
            ["SecretId AKID****ey12: account 1, qcs::cam:1:uin/1"]
        );
    }
}
