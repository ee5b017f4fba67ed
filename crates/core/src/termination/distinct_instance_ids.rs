//! [`DistinctInstanceIds`]: the IDs a run is given, all validated, without duplicates,
//! and how they split into batches of at most 100.

use std::collections::HashSet;

use crate::error::validation_error::ValidationError;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;

/// The distinct, well-formed instance IDs of a list, in first-seen order, and the
/// batches of at most 100 (one request each) they make.
///
/// ```
/// use tencentcloud_cvm_core::DistinctInstanceIds;
/// let ids: Vec<String> = (0..250).map(|i| format!("ins-{i:08}")).collect();
/// let distinct = DistinctInstanceIds::new(ids.iter().chain(ids.iter().take(3)))?;
/// assert_eq!(distinct.instances().len(), 250);
/// assert_eq!(distinct.duplicates_removed(), 3);
/// assert_eq!(distinct.batches().map(|b| b.len()).collect::<Vec<_>>(), [100, 100, 50]);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistinctInstanceIds {
    instances: Vec<InstanceId>,
    duplicates_removed: usize,
}

impl DistinctInstanceIds {
    /// Validates every ID first: if any is malformed, all malformed ones are
    /// reported and none is kept. Duplicates are removed, keeping the
    /// first occurrence's position.
    pub fn new<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let (parsed, malformed) = InstanceId::parse_all(ids);
        if !malformed.is_empty() {
            return Err(ValidationError::Malformed(malformed));
        }
        let mut seen = HashSet::with_capacity(parsed.len());
        let total = parsed.len();
        let instances: Vec<InstanceId> = parsed
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .collect();
        Ok(DistinctInstanceIds {
            duplicates_removed: total - instances.len(),
            instances,
        })
    }

    /// The distinct instances, in first-seen order.
    pub fn instances(&self) -> &[InstanceId] {
        &self.instances
    }

    /// The distinct instances, given up.
    pub fn into_instances(self) -> Vec<InstanceId> {
        self.instances
    }

    /// How many repeated IDs were dropped.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }

    /// The batches, each of at most 100 instances.
    pub fn batches(&self) -> std::slice::Chunks<'_, InstanceId> {
        self.instances.chunks(InstanceIdList::MAX)
    }

    /// How many batches (requests) they make.
    pub fn batch_count(&self) -> usize {
        self.instances.len().div_ceil(InstanceIdList::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("ins-{i:08}")).collect()
    }

    #[test]
    fn sizes() {
        for (n, expected) in [
            (0, vec![]),
            (1, vec![1]),
            (100, vec![100]),
            (101, vec![100, 1]),
            (1000, vec![100; 10]),
        ] {
            let distinct = DistinctInstanceIds::new(ids(n)).unwrap();
            let sizes: Vec<usize> = distinct.batches().map(<[_]>::len).collect();
            assert_eq!(sizes, expected, "{n}");
            assert_eq!(distinct.batch_count(), expected.len());
        }
    }

    #[test]
    fn duplicates_keep_first_position() {
        let distinct =
            DistinctInstanceIds::new(["ins-00000002", "ins-00000001", "ins-00000002"]).unwrap();
        assert_eq!(distinct.duplicates_removed(), 1);
        let order: Vec<&str> = distinct.instances().iter().map(|i| i.as_str()).collect();
        assert_eq!(order, ["ins-00000002", "ins-00000001"]);
    }

    #[test]
    fn one_malformed_id_keeps_nothing() {
        let mut list = ids(150);
        list.push("ins-BAD".into());
        list.push("".into());
        match DistinctInstanceIds::new(&list) {
            Err(ValidationError::Malformed(bad)) => assert_eq!(bad.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
