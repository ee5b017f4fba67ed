//! Who is about to act, shown before the question: the SecretId masked.
//!
//! STS GetCallerIdentity names the account and the principal behind a key; once
//! the library sends it, its answer becomes another way to build an [`Identity`]
//! (the account ID and the ARN), with the masked SecretId kept as the fallback
//! for keys that may not call it.

use std::fmt;

/// What the confirmation says about the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    secret_id: String,
}

impl Identity {
    /// The caller known only by its key: the SecretId, masked.
    pub fn from_secret_id(secret_id: &str) -> Identity {
        Identity {
            secret_id: mask(secret_id),
        }
    }

    /// The masked SecretId (`AKID****abcd`).
    pub fn masked_secret_id(&self) -> &str {
        &self.secret_id
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecretId {} (the account behind it is not looked up)",
            self.secret_id
        )
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
}
