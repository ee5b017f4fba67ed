//! The batch plan: validate everything, drop duplicates, split into requests of at most 100.

use std::collections::HashSet;

use crate::error::validation_error::ValidationError;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;

/// Which requests a list of instance IDs becomes.
///
/// ```
/// use tencentcloud_cvm_core::BatchPlan;
/// let ids: Vec<String> = (0..250).map(|i| format!("ins-{i:08}")).collect();
/// let plan = BatchPlan::new(ids.iter().chain(ids.iter().take(3)))?;
/// assert_eq!(plan.instances().len(), 250);
/// assert_eq!(plan.duplicates_removed(), 3);
/// assert_eq!(plan.batches().map(|b| b.len()).collect::<Vec<_>>(), [100, 100, 50]);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchPlan {
    instances: Vec<InstanceId>,
    duplicates_removed: usize,
}

impl BatchPlan {
    /// Validates every ID first: if any is malformed, all malformed ones are
    /// reported and nothing is planned. Duplicates are removed, keeping the
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
        Ok(BatchPlan {
            duplicates_removed: total - instances.len(),
            instances,
        })
    }

    /// The distinct instances, in first-seen order.
    pub fn instances(&self) -> &[InstanceId] {
        &self.instances
    }

    /// The distinct instances, given up by the plan.
    pub fn into_instances(self) -> Vec<InstanceId> {
        self.instances
    }

    /// How many repeated IDs were dropped.
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }

    /// The requests, each of at most 100 instances.
    pub fn batches(&self) -> std::slice::Chunks<'_, InstanceId> {
        self.instances.chunks(InstanceIdList::MAX)
    }

    /// How many requests the plan needs.
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
            let plan = BatchPlan::new(ids(n)).unwrap();
            let sizes: Vec<usize> = plan.batches().map(<[_]>::len).collect();
            assert_eq!(sizes, expected, "{n}");
            assert_eq!(plan.batch_count(), expected.len());
        }
    }

    #[test]
    fn duplicates_keep_first_position() {
        let plan = BatchPlan::new(["ins-00000002", "ins-00000001", "ins-00000002"]).unwrap();
        assert_eq!(plan.duplicates_removed(), 1);
        let order: Vec<&str> = plan.instances().iter().map(|i| i.as_str()).collect();
        assert_eq!(order, ["ins-00000002", "ins-00000001"]);
    }

    #[test]
    fn one_malformed_id_plans_nothing() {
        let mut list = ids(150);
        list.push("ins-BAD".into());
        list.push("".into());
        match BatchPlan::new(&list) {
            Err(ValidationError::Malformed(bad)) => assert_eq!(bad.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
