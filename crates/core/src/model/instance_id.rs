//! Instance IDs: `ins-` followed by eight lowercase letters or digits.

use std::fmt;

use crate::model::error_code::ErrorCode;

/// A syntactically valid CVM instance ID (`^ins-[a-z0-9]{8}$`).
///
/// ```
/// use tencentcloud_cvm_core::InstanceId;
/// assert!(InstanceId::parse("ins-r8hr2upy").is_ok());
/// assert!(InstanceId::parse("ins-R8HR2UPY").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId([u8; 12]);

/// Why a string is not an instance ID. Carries the service's code for the same mistake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedInstanceId {
    input: String,
}

impl MalformedInstanceId {
    /// The rejected input, shortened to 64 characters for display.
    pub fn input(&self) -> &str {
        &self.input
    }
    /// `InvalidInstanceId.Malformed`, what the service answers for the same ID.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidInstanceIdMalformed
    }
}

impl fmt::Display for MalformedInstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: `{}` is not an instance ID (expected `ins-` and 8 lowercase letters or digits)",
            self.code(),
            self.input.escape_debug()
        )
    }
}

impl std::error::Error for MalformedInstanceId {}

impl InstanceId {
    /// Checks `s` against `^ins-[a-z0-9]{8}$`.
    pub fn parse(s: &str) -> Result<Self, MalformedInstanceId> {
        let b = s.as_bytes();
        let ok = b.len() == 12
            && b.starts_with(b"ins-")
            && b[4..]
                .iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if ok {
            let mut out = [0u8; 12];
            out.copy_from_slice(b);
            Ok(InstanceId(out))
        } else {
            Err(MalformedInstanceId {
                input: s.chars().take(64).collect(),
            })
        }
    }

    /// Parses every one of `ids`: the well-formed ones in order, and every
    /// malformed one, so a caller can report them all at once.
    pub(crate) fn parse_all<I, S>(ids: I) -> (Vec<InstanceId>, Vec<MalformedInstanceId>)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut parsed = Vec::new();
        let mut malformed = Vec::new();
        for id in ids {
            match InstanceId::parse(id.as_ref()) {
                Ok(id) => parsed.push(id),
                Err(e) => malformed.push(e),
            }
        }
        (parsed, malformed)
    }

    /// The ID as a string.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.0).unwrap_or("ins-????????")
    }

    /// The ID's ASCII bytes, without [`Self::as_str`]'s UTF-8 check (for the
    /// request body, written once per ID of every request).
    pub(crate) fn as_bytes(&self) -> &[u8; 12] {
        &self.0
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InstanceId({})", self.as_str())
    }
}

impl std::str::FromStr for InstanceId {
    type Err = MalformedInstanceId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InstanceId::parse(s)
    }
}

impl AsRef<str> for InstanceId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl serde::Serialize for InstanceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for InstanceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        InstanceId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects() {
        for ok in ["ins-00000000", "ins-abcdefgh", "ins-r8hr2upy"] {
            assert_eq!(InstanceId::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "ins-",
            "ins-1234567",
            "ins-123456789",
            "INS-12345678",
            "ins-1234567A",
            "ins_12345678",
            " ins-12345678",
            "ins-1234567\u{e9}",
            "lhins-1234567",
        ] {
            let e = InstanceId::parse(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidInstanceIdMalformed);
            assert!(e.to_string().starts_with("InvalidInstanceId.Malformed"));
        }
    }
}
