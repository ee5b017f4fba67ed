//! The instance store and what `TerminateInstances` does to it.
//!
//! A request applies to all of its instances or to none: every check runs before the
//! first change.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::api_error::ApiError;
use crate::instance::{ChargeType, InstanceState, InstanceView};

#[derive(Clone, Debug)]
struct Instance {
    view: InstanceView,
    /// Monotonic time at which a pay-as-you-go instance entered `TERMINATING`.
    terminating_since: Option<Duration>,
}

/// All instances, by ID.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fleet {
    instances: BTreeMap<String, Instance>,
}

impl Fleet {
    /// Adds or replaces an instance. An instance put in `TERMINATING` with `since` set
    /// disappears once `now` passes `since + terminating_for`; with `None` it stays.
    pub(crate) fn upsert(&mut self, view: InstanceView, since: Option<Duration>) {
        let terminating_since = since.filter(|_| view.state == InstanceState::Terminating);
        self.instances.insert(
            view.id.clone(),
            Instance {
                view,
                terminating_since,
            },
        );
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<InstanceView> {
        self.instances.remove(id).map(|i| i.view)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&InstanceView> {
        self.instances.get(id).map(|i| &i.view)
    }

    pub(crate) fn list(&self) -> impl Iterator<Item = &InstanceView> {
        self.instances.values().map(|i| &i.view)
    }

    /// Removes the instances whose `TERMINATING` phase has ended by `now`.
    pub(crate) fn sweep(&mut self, now: Duration, terminating_for: Duration) {
        self.instances.retain(|_, i| match i.terminating_since {
            Some(since) => now.saturating_sub(since) < terminating_for,
            None => true,
        });
    }

    /// Terminates `ids` (already checked for form and duplicates) or changes nothing.
    pub(crate) fn terminate(&mut self, ids: &[String], now: Duration) -> Result<(), ApiError> {
        let missing: Vec<&str> = ids
            .iter()
            .filter(|id| !self.instances.contains_key(id.as_str()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(not_found(&missing));
        }
        let found: Vec<&InstanceView> = ids
            .iter()
            .filter_map(|id| self.instances.get(id.as_str()))
            .map(|i| &i.view)
            .collect();
        let prepaid = found
            .iter()
            .filter(|v| v.charge_type == ChargeType::Prepaid)
            .count();
        if prepaid != 0 && prepaid != found.len() {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceMixedPricingModel",
                "Pay-as-you-go (POSTPAID_BY_HOUR) and monthly subscription (PREPAID) \
                 instances cannot be terminated in one request.",
            ));
        }
        let protected: Vec<&str> = found
            .iter()
            .filter(|v| v.termination_protection)
            .map(|v| v.id.as_str())
            .collect();
        if !protected.is_empty() {
            return Err(ApiError::new(
                "UnsupportedOperation.InstancesProtected",
                format!(
                    "Termination protection is enabled for {}; disable it before terminating.",
                    quoted(&protected)
                ),
            ));
        }
        for v in &found {
            if let Some(code) = v.state.termination_error(v.charge_type) {
                return Err(ApiError::new(
                    code,
                    format!(
                        "The instance `{}` is in state `{}`, which does not allow this operation.",
                        v.id, v.state
                    ),
                ));
            }
        }
        for id in ids {
            self.apply(id, now);
        }
        Ok(())
    }

    fn apply(&mut self, id: &str, now: Duration) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        match (instance.view.charge_type, instance.view.state) {
            (ChargeType::Prepaid, InstanceState::Shutdown) => {
                self.instances.remove(id);
            }
            (ChargeType::Prepaid, _) => {
                instance.view.state = InstanceState::Shutdown;
            }
            (ChargeType::PostpaidByHour, _) => {
                instance.view.state = InstanceState::Terminating;
                instance.terminating_since = Some(now);
            }
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn not_found(ids: &[&str]) -> ApiError {
    let message = if let [one] = ids {
        format!("The instance `{one}` does not exist.")
    } else {
        format!("The instances {} do not exist.", quoted(ids))
    };
    ApiError::new("InvalidInstanceId.NotFound", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(views: &[InstanceView]) -> Fleet {
        let mut f = Fleet::default();
        for v in views {
            f.upsert(v.clone(), None);
        }
        f
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn postpaid_terminates_then_disappears() {
        let mut f = fleet(&[InstanceView::new("ins-00000001")]);
        f.terminate(&ids(&["ins-00000001"]), Duration::from_secs(10))
            .unwrap();
        assert_eq!(
            f.get("ins-00000001").unwrap().state,
            InstanceState::Terminating
        );
        f.sweep(Duration::from_millis(11_999), Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_some());
        f.sweep(Duration::from_secs(12), Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_none());
    }

    #[test]
    fn all_or_nothing() {
        let mut f = fleet(&[
            InstanceView::new("ins-00000001"),
            InstanceView::new("ins-00000002").with_state(InstanceState::Stopping),
        ]);
        let err = f
            .terminate(&ids(&["ins-00000001", "ins-00000002"]), Duration::ZERO)
            .unwrap_err();
        assert_eq!(err.code(), "UnsupportedOperation.InstanceStateStopping");
        assert_eq!(f.get("ins-00000001").unwrap().state, InstanceState::Running);
    }

    #[test]
    fn not_found_lists_every_missing_id() {
        let mut f = fleet(&[]);
        let err = f
            .terminate(&ids(&["ins-00000001", "ins-00000002"]), Duration::ZERO)
            .unwrap_err();
        assert_eq!(err.code(), "InvalidInstanceId.NotFound");
        assert!(err.message().contains("ins-00000001") && err.message().contains("ins-00000002"));
    }
}
