//! [`InstanceIdList`]: the `InstanceIds` parameter, checked once for every action
//! that takes one.

use std::collections::HashSet;

use crate::error::validation_error::ValidationError;
use crate::model::instance_id::InstanceId;

/// 1 to 100 distinct, well-formed instance IDs, in the order given.
///
/// The rules and the order they are checked in (the service's order, so the first
/// mistake reported is the one it would report):
///
/// | rule | error | code |
/// | --- | --- | --- |
/// | at least one ID | [`ValidationError::NoInstanceIds`] | `MissingParameter` |
/// | at most 100 IDs | [`ValidationError::TooManyInstanceIds`] | `InvalidParameterValue.LimitExceeded` |
/// | every ID is `ins-` and 8 of `[a-z0-9]` | [`ValidationError::Malformed`] (all of them) | `InvalidInstanceId.Malformed` |
/// | no ID twice | [`ValidationError::DuplicateInstanceId`] (the first) | `InvalidParameterValue` |
///
/// A request naming an instance twice is refused rather than deduplicated: it is
/// almost always a caller's bug, and the service documents no meaning for it.
///
/// ```
/// use tencentcloud_cvm_core::{InstanceIdList, ValidationError};
/// let ids = InstanceIdList::parse(["ins-r8hr2upy", "ins-5d8a23rs"])?;
/// assert_eq!(ids.len(), 2);
/// assert!(matches!(InstanceIdList::parse(["ins-1"]), Err(ValidationError::Malformed(_))));
/// # Ok::<(), ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstanceIdList(Vec<InstanceId>);

impl InstanceIdList {
    /// The most IDs one request may carry.
    pub const MAX: usize = 100;

    /// Checks raw strings against every rule above.
    pub fn parse<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let (parsed, malformed) = InstanceId::parse_all(ids);
        check_count(parsed.len() + malformed.len())?;
        if !malformed.is_empty() {
            return Err(ValidationError::Malformed(malformed));
        }
        Self::new(parsed)
    }

    /// A list known to hold 1 to 100 distinct IDs (a run's batches are cut that way).
    pub(crate) fn from_batch(ids: Vec<InstanceId>) -> Self {
        debug_assert!((1..=Self::MAX).contains(&ids.len()));
        InstanceIdList(ids)
    }

    /// Checks IDs already parsed (count and duplicates).
    pub fn new(ids: Vec<InstanceId>) -> Result<Self, ValidationError> {
        check_count(ids.len())?;
        let mut seen = HashSet::with_capacity(ids.len());
        if let Some(dup) = ids.iter().find(|id| !seen.insert(*id)) {
            return Err(ValidationError::DuplicateInstanceId(dup.clone()));
        }
        Ok(InstanceIdList(ids))
    }

    /// The IDs, in the order given.
    pub fn as_slice(&self) -> &[InstanceId] {
        &self.0
    }

    /// How many IDs (1 to 100).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a list holds at least one ID.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The IDs.
    pub fn into_vec(self) -> Vec<InstanceId> {
        self.0
    }

    /// Appends `"InstanceIds":["…",…]` as the first field of a JSON object being
    /// written: IDs are validated ASCII, so nothing needs escaping.
    pub(crate) fn write_json_field(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\"InstanceIds\":[");
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(id.as_bytes());
            out.push(b'"');
        }
        out.push(b']');
    }

    /// How many bytes [`Self::write_json_field`] appends (every ID is 12 bytes).
    pub(crate) fn json_field_len(&self) -> usize {
        b"\"InstanceIds\":[]".len() + self.0.len() * 15 - 1
    }
}

fn check_count(count: usize) -> Result<(), ValidationError> {
    if count == 0 {
        return Err(ValidationError::NoInstanceIds);
    }
    if count > InstanceIdList::MAX {
        return Err(ValidationError::TooManyInstanceIds { count });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::ErrorCode;

    fn id(n: usize) -> String {
        format!("ins-{n:08}")
    }

    #[test]
    fn rules_in_the_services_order() {
        let none: [&str; 0] = [];
        assert_eq!(
            InstanceIdList::parse(none),
            Err(ValidationError::NoInstanceIds)
        );
        let many: Vec<String> = (0..101).map(id).collect();
        // Too many wins over malformed: the count is checked first.
        let mut many_bad = many.clone();
        many_bad[3] = "bogus".into();
        for list in [&many, &many_bad] {
            assert_eq!(
                InstanceIdList::parse(list),
                Err(ValidationError::TooManyInstanceIds { count: 101 })
            );
        }
        assert_eq!(InstanceIdList::parse(&many[..100]).unwrap().len(), 100);
        // Malformed wins over duplicates, and lists every bad ID.
        let e = InstanceIdList::parse(["ins-00000001", "x", "ins-00000001", "ins-X"]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInstanceIdMalformed);
        assert!(e.to_string().contains("2 malformed"), "{e}");
        let e =
            InstanceIdList::parse(["ins-00000001", "ins-00000002", "ins-00000001"]).unwrap_err();
        assert_eq!(
            e,
            ValidationError::DuplicateInstanceId(InstanceId::parse("ins-00000001").unwrap())
        );
        assert_eq!(e.code(), ErrorCode::InvalidParameterValue);
    }

    #[test]
    fn json_field() {
        let ids = InstanceIdList::parse(["ins-00000001", "ins-00000002"]).unwrap();
        let mut out = b"{".to_vec();
        ids.write_json_field(&mut out);
        assert_eq!(out.len(), 1 + ids.json_field_len());
        out.push(b'}');
        assert_eq!(out, br#"{"InstanceIds":["ins-00000001","ins-00000002"]}"#);
    }
}
