//! The instance store, and what each action reads from it or does to it.
//!
//! TerminateInstances applies to all of its instances or to none: every check runs
//! before the first change.

pub(crate) mod fixture;
pub(crate) mod instance;
pub(crate) mod refund;

use std::collections::BTreeMap;
use std::time::Duration;

use tencentcloud_cvm_core::{
    Action, ErrorCode, InstanceId, InstanceState, IsolatedSource, LatestOperationState, Page,
    TerminationCheck,
};

use crate::api::error::ApiError;
use crate::fleet::instance::InstanceView;

#[derive(Clone, Debug)]
struct Instance {
    view: InstanceView,
    /// Monotonic time at which the instance's current operation began: once the
    /// operation time has passed, a `TERMINATING` instance disappears and an
    /// `OPERATING` operation becomes `SUCCESS`.
    operating_since: Option<Duration>,
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
        let operating_since = since.filter(|_| view.state == InstanceState::Terminating);
        self.instances.insert(
            view.id.clone(),
            Instance {
                view,
                operating_since,
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

    /// Ends the operations that began `terminating_for` or more before `now`:
    /// `TERMINATING` instances disappear, the others' operation succeeds.
    pub(crate) fn sweep(&mut self, now: Duration, terminating_for: Duration) {
        self.instances.retain(|_, i| {
            let Some(since) = i.operating_since else {
                return true;
            };
            if now.saturating_sub(since) < terminating_for {
                return true;
            }
            if i.view.state == InstanceState::Terminating {
                return false;
            }
            i.operating_since = None;
            if i.view.latest_operation_state == Some(LatestOperationState::Operating) {
                i.view.latest_operation_state = Some(LatestOperationState::Success);
            }
            true
        });
    }

    /// The instances `ids` name that exist, in the order named (every instance, in ID
    /// order, for `None`), and the `page` of them asked for: the total and the page.
    pub(crate) fn describe(
        &self,
        ids: Option<&[InstanceId]>,
        page: Page,
    ) -> (usize, Vec<&InstanceView>) {
        let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let take = page.limit() as usize;
        match ids {
            Some(ids) => {
                let matching: Vec<&InstanceView> =
                    ids.iter().filter_map(|id| self.get(id.as_str())).collect();
                let total = matching.len();
                (total, matching.into_iter().skip(skip).take(take).collect())
            }
            None => (
                self.instances.len(),
                self.list().skip(skip).take(take).collect(),
            ),
        }
    }

    /// The instances `ids` name, all of which must exist and be in a state
    /// TerminateInstances accepts (InquiryPriceTerminateInstances refuses what
    /// TerminateInstances would refuse for the instances themselves).
    pub(crate) fn terminable(&self, ids: &[InstanceId]) -> Result<Vec<&InstanceView>, ApiError> {
        let found = self.existing(ids)?;
        for v in &found {
            check_state(v)?;
        }
        Ok(found)
    }

    /// Terminates `ids` (already checked for form and duplicates) as the call
    /// `request_id`, or changes nothing.
    pub(crate) fn terminate(
        &mut self,
        ids: &[InstanceId],
        now: Duration,
        request_id: &str,
    ) -> Result<(), ApiError> {
        let found = self.existing(ids)?;
        let prepaid = found.iter().filter(|v| v.charge_type.is_prepaid()).count();
        if prepaid != 0 && prepaid != found.len() {
            return Err(ApiError::with_code(
                ErrorCode::UnsupportedOperationInstanceMixedPricingModel,
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
            return Err(ApiError::with_code(
                ErrorCode::UnsupportedOperationInstancesProtected,
                format!(
                    "Termination protection is enabled for {}; disable it before terminating.",
                    quoted(&protected)
                ),
            ));
        }
        for v in &found {
            check_state(v)?;
        }
        for id in ids {
            self.apply(id.as_str(), now, request_id);
        }
        Ok(())
    }

    fn existing(&self, ids: &[InstanceId]) -> Result<Vec<&InstanceView>, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.get(id.as_str()) {
                Some(v) => found.push(v),
                None => missing.push(id.as_str()),
            }
        }
        if !missing.is_empty() {
            return Err(not_found(&missing));
        }
        Ok(found)
    }

    fn apply(&mut self, id: &str, now: Duration, request_id: &str) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        let view = &mut instance.view;
        if view.charge_type.is_prepaid() && view.state == InstanceState::Shutdown {
            self.instances.remove(id);
            return;
        }
        if view.charge_type.is_prepaid() {
            view.state = InstanceState::Shutdown;
            view.isolated_source = IsolatedSource::Manmade;
        } else {
            view.state = InstanceState::Terminating;
        }
        view.latest_operation = Some(Action::TerminateInstances.name().to_owned());
        view.latest_operation_state = Some(LatestOperationState::Operating);
        view.latest_operation_request_id = Some(request_id.to_owned());
        instance.operating_since = Some(now);
    }
}

/// The core's state table decides; the emulator only holds documented values, so
/// nothing is unpredictable here (an `InternalError` if it ever were).
fn check_state(v: &InstanceView) -> Result<(), ApiError> {
    match v.state.termination_check(&v.charge_type) {
        TerminationCheck::Allowed => Ok(()),
        TerminationCheck::Refused(code) => Err(ApiError::with_code(
            code,
            format!(
                "The instance `{}` is in state `{}`, which does not allow this operation.",
                v.id, v.state
            ),
        )),
        _ => Err(ApiError::with_code(
            ErrorCode::InternalError,
            format!("The state of instance `{}` is not modelled.", v.id),
        )),
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
    ApiError::with_code(ErrorCode::InvalidInstanceIdNotFound, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_cvm_core::ChargeType;

    fn fleet(views: &[InstanceView]) -> Fleet {
        let mut f = Fleet::default();
        for v in views {
            f.upsert(v.clone(), None);
        }
        f
    }

    fn ids(list: &[&str]) -> Vec<InstanceId> {
        list.iter().map(|s| InstanceId::parse(s).unwrap()).collect()
    }

    #[test]
    fn postpaid_terminates_then_disappears() {
        let mut f = fleet(&[InstanceView::new("ins-00000001")]);
        f.terminate(&ids(&["ins-00000001"]), Duration::from_secs(10), "rid-1")
            .unwrap();
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(v.state, InstanceState::Terminating);
        assert_eq!(v.latest_operation.as_deref(), Some("TerminateInstances"));
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Operating)
        );
        assert_eq!(v.latest_operation_request_id.as_deref(), Some("rid-1"));
        f.sweep(Duration::from_millis(11_999), Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_some());
        f.sweep(Duration::from_secs(12), Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_none());
    }

    #[test]
    fn prepaid_operation_succeeds_after_the_operation_time() {
        let mut f =
            fleet(&[InstanceView::new("ins-00000001").with_charge_type(ChargeType::Prepaid)]);
        f.terminate(&ids(&["ins-00000001"]), Duration::from_secs(10), "rid-1")
            .unwrap();
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(v.state, InstanceState::Shutdown);
        assert_eq!(v.isolated_source, IsolatedSource::Manmade);
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Operating)
        );
        f.sweep(Duration::from_secs(12), Duration::from_secs(2));
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Success)
        );
        assert_eq!(v.latest_operation_request_id.as_deref(), Some("rid-1"));
        // The second call destroys it at once.
        f.terminate(&ids(&["ins-00000001"]), Duration::from_secs(13), "rid-2")
            .unwrap();
        assert!(f.get("ins-00000001").is_none());
    }

    #[test]
    fn all_or_nothing() {
        let mut f = fleet(&[
            InstanceView::new("ins-00000001"),
            InstanceView::new("ins-00000002").with_state(InstanceState::Stopping),
        ]);
        let err = f
            .terminate(&ids(&["ins-00000001", "ins-00000002"]), Duration::ZERO, "r")
            .unwrap_err();
        assert_eq!(err.code(), "UnsupportedOperation.InstanceStateStopping");
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(v.state, InstanceState::Running);
        assert_eq!(v.latest_operation, None);
    }

    #[test]
    fn not_found_lists_every_missing_id() {
        let mut f = fleet(&[]);
        let err = f
            .terminate(&ids(&["ins-00000001", "ins-00000002"]), Duration::ZERO, "r")
            .unwrap_err();
        assert_eq!(err.code(), "InvalidInstanceId.NotFound");
        assert!(err.message().contains("ins-00000001") && err.message().contains("ins-00000002"));
    }

    #[test]
    fn describe_filters_and_pages() {
        let views: Vec<InstanceView> = (0..25)
            .map(|i| InstanceView::new(format!("ins-{i:08}")))
            .collect();
        let f = fleet(&views);
        let (total, page) = f.describe(None, Page::new(0, 20).unwrap());
        assert_eq!((total, page.len()), (25, 20));
        let (total, page) = f.describe(None, Page::new(20, 10).unwrap());
        assert_eq!((total, page.len()), (25, 5));
        assert_eq!(page[0].id, "ins-00000020");
        let (total, page) = f.describe(None, Page::new(u64::MAX, 10).unwrap());
        assert_eq!((total, page.len()), (25, 0));
        // By IDs: absent ones are simply not returned, order is the request's.
        let wanted = ids(&["ins-00000007", "ins-zzzzzzzz", "ins-00000003"]);
        let (total, page) = f.describe(Some(&wanted), Page::new(0, 20).unwrap());
        assert_eq!(total, 2);
        assert_eq!(
            page.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
            ["ins-00000007", "ins-00000003"]
        );
    }
}
