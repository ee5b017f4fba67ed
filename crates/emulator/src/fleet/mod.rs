//! The instance store, and what each action reads from it or does to it.
//!
//! TerminateInstances applies to all of its instances or to none: every check runs
//! before the first change.

pub(crate) mod billing;
pub(crate) mod fixture;
pub(crate) mod instance;
pub(crate) mod refund;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use tencentcloud_cvm_core::{
    Action, ErrorCode, InstanceId, InstanceState, IsolatedSource, LatestOperationState, Page,
    TerminationCheck,
};

use crate::api::error::ApiError;
use crate::fleet::filters::Filter;
use crate::fleet::instance::InstanceView;

pub(crate) mod filters;

#[derive(Clone, Debug)]
struct Instance {
    view: InstanceView,
    /// Monotonic time at which the instance's current operation began: once the
    /// operation time has passed, a `TERMINATING` instance disappears and an
    /// `OPERATING` operation becomes `SUCCESS`.
    operating_since: Option<Duration>,
}

/// What the emulator saw of TerminateInstances for one instance, kept after the
/// instance is gone, so a test can count what a client sent.
///
/// ```
/// use tencentcloud_cvm_emulator::TerminationRecord;
/// let none = TerminationRecord::default();
/// assert_eq!((none.requests, none.accepted, none.destroyed_from_recycle_bin), (0, 0, false));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TerminationRecord {
    /// TerminateInstances requests that named it and reached the fleet (signed,
    /// within the rate limit, parameters well formed), accepted or refused.
    pub requests: u32,
    /// How many of them acted on it (moved it to the recycle bin, released or
    /// destroyed it), a partial batch included.
    pub accepted: u32,
    /// Whether a TerminateInstances destroyed it while it was in the recycle bin: the
    /// irreversible second call a safe client must never send by accident.
    pub destroyed_from_recycle_bin: bool,
}

/// A read that lags behind a TerminateInstances: reads show `view` (the instance as it
/// was before) until `until` (monotonic) or for `reads_left` more reads.
#[derive(Clone, Debug)]
struct Lag {
    view: InstanceView,
    until: Option<Duration>,
    reads_left: Option<u32>,
}

impl Lag {
    fn active(&self, now: Duration) -> bool {
        self.until.is_some_and(|until| now < until) || self.reads_left.is_some_and(|n| n > 0)
    }
}

/// How long reads lag behind a TerminateInstances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadLag {
    /// For this long after it.
    For(Duration),
    /// For this many reads of each instance it changed.
    Reads(u32),
}

/// What a Describe call selects: IDs and/or filters, in one region.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Selection<'a> {
    /// `InstanceIds` (`None`: every instance).
    pub(crate) ids: Option<&'a [InstanceId]>,
    /// `Filters`, all of which must match.
    pub(crate) filters: &'a [Filter],
    /// `X-TC-Region` (`None`: every region).
    pub(crate) region: Option<&'a str>,
}

/// How a TerminateInstances ends, when a fault makes it misbehave.
#[derive(Clone, Debug)]
pub(crate) struct TerminateFault {
    /// Act on this many of the instances (in the order named), then answer `refusal`.
    pub(crate) partial: Option<(usize, ApiError)>,
    /// Reads lag behind the instances it changes.
    pub(crate) lag: Option<ReadLag>,
}

/// All instances, by ID, with what TerminateInstances did to each.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fleet {
    instances: BTreeMap<String, Instance>,
    records: BTreeMap<String, TerminationRecord>,
    lagging: BTreeMap<String, Lag>,
    /// The Unix time of the first request: the emulator's start, which creation times
    /// given as "ago" count back from.
    started: Option<u64>,
}

impl Fleet {
    /// Adds or replaces an instance. An instance put in `TERMINATING` with `since` set
    /// disappears once `now` passes `since + terminating_for`; with `None` it stays.
    pub(crate) fn upsert(&mut self, view: InstanceView, since: Option<Duration>) {
        let operating_since = since.filter(|_| view.state == InstanceState::Terminating);
        self.lagging.remove(&view.id);
        self.instances.insert(
            view.id.clone(),
            Instance {
                view,
                operating_since,
            },
        );
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<InstanceView> {
        self.lagging.remove(id);
        self.instances.remove(id).map(|i| i.view)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&InstanceView> {
        self.instances.get(id).map(|i| &i.view)
    }

    pub(crate) fn list(&self) -> impl Iterator<Item = &InstanceView> {
        self.instances.values().map(|i| &i.view)
    }

    /// What TerminateInstances did to `id` so far.
    pub(crate) fn record(&self, id: &str) -> TerminationRecord {
        self.records.get(id).copied().unwrap_or_default()
    }

    /// Every instance TerminateInstances named, with its record.
    pub(crate) fn records(&self) -> &BTreeMap<String, TerminationRecord> {
        &self.records
    }

    /// The emulator's start (the first request's Unix time), once known.
    pub(crate) fn started(&self) -> Option<u64> {
        self.started
    }

    /// The creation time of `view`, in Unix seconds.
    pub(crate) fn created(&self, view: &InstanceView) -> u64 {
        let start = self.started.unwrap_or(0);
        view.created_time.map_or(start, |c| c.resolve(start))
    }

    /// Ends the operations that began `terminating_for` or more before `now`:
    /// `TERMINATING` instances disappear, the others' operation succeeds. The first
    /// call fixes the emulator's start at `unix`.
    pub(crate) fn sweep(&mut self, now: Duration, unix: u64, terminating_for: Duration) {
        self.started.get_or_insert(unix);
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
        self.lagging.retain(|_, lag| lag.active(now));
    }

    /// What a read at `now` shows of `id`: the lagging view while a lag lasts, else
    /// the instance as it is.
    fn shown(&self, id: &str, now: Duration) -> Option<&InstanceView> {
        match self.lagging.get(id) {
            Some(lag) if lag.active(now) => Some(&lag.view),
            _ => self.get(id),
        }
    }

    /// The instances `selection` selects that a read at `now` shows, in the order named
    /// (by ID without IDs), and the `page` of them asked for: the total and the page.
    /// A lagging read counts against its lag.
    pub(crate) fn describe(
        &mut self,
        selection: Selection<'_>,
        page: Page,
        now: Duration,
    ) -> (usize, Vec<InstanceView>) {
        let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let take = page.limit() as usize;
        let selected = |v: &InstanceView| {
            v.visible_in(selection.region)
                && selection
                    .filters
                    .iter()
                    .all(|f| f.matches(v, self.created(v)))
        };
        // The total every match counts towards, and the page `skip`/`take` shows of them.
        let paged = |matching: Vec<&InstanceView>| -> (usize, Vec<InstanceView>) {
            let total = matching.len();
            let shown = matching
                .into_iter()
                .skip(skip)
                .take(take)
                .cloned()
                .collect();
            (total, shown)
        };
        let (total, shown): (usize, Vec<InstanceView>) = match selection.ids {
            Some(ids) => {
                let matching: Vec<&InstanceView> = ids
                    .iter()
                    .filter_map(|id| self.shown(id.as_str(), now))
                    .filter(|v| selected(v))
                    .collect();
                paged(matching)
            }
            None if self.lagging.is_empty() => {
                let mut total = 0;
                let mut shown = Vec::new();
                for v in self.list().filter(|v| selected(v)) {
                    if total >= skip && shown.len() < take {
                        shown.push(v.clone());
                    }
                    total += 1;
                }
                (total, shown)
            }
            None => {
                let ids: BTreeSet<&str> = self
                    .instances
                    .keys()
                    .chain(self.lagging.keys())
                    .map(String::as_str)
                    .collect();
                let matching: Vec<&InstanceView> = ids
                    .into_iter()
                    .filter_map(|id| self.shown(id, now))
                    .filter(|v| selected(v))
                    .collect();
                paged(matching)
            }
        };
        for v in &shown {
            if let Some(lag) = self.lagging.get_mut(&v.id)
                && let Some(n) = lag.reads_left.as_mut()
            {
                *n = n.saturating_sub(1);
            }
        }
        self.lagging.retain(|_, lag| lag.active(now));
        (total, shown)
    }

    /// The instances `ids` name, all of which must exist in `region` and be in a state
    /// TerminateInstances accepts (InquiryPriceTerminateInstances refuses what
    /// TerminateInstances would refuse for the instances themselves).
    pub(crate) fn terminable(
        &self,
        ids: &[InstanceId],
        region: Option<&str>,
    ) -> Result<Vec<&InstanceView>, ApiError> {
        let found = self.existing(ids, region)?;
        for v in &found {
            check_state(v)?;
        }
        Ok(found)
    }

    /// Counts a TerminateInstances naming `ids` that reached the fleet.
    pub(crate) fn count_request(&mut self, ids: &[InstanceId]) {
        for id in ids {
            let record = self.records.entry(id.as_str().to_owned()).or_default();
            record.requests = record.requests.saturating_add(1);
        }
    }

    /// Terminates `ids` (already checked for form and duplicates, and counted) in
    /// `region` as the call `request_id`, or changes nothing; under `fault`, acts on
    /// part of them and then refuses, and/or lets reads lag behind.
    pub(crate) fn terminate(
        &mut self,
        ids: &[InstanceId],
        region: Option<&str>,
        now: Duration,
        request_id: &str,
        fault: Option<&TerminateFault>,
    ) -> Result<(), ApiError> {
        let found = self.existing(ids, region)?;
        if let Some(first) = found.first()
            && found.iter().any(|v| v.charge_type != first.charge_type)
        {
            let mut types: Vec<&str> = found.iter().map(|v| v.charge_type.as_str()).collect();
            types.sort_unstable();
            types.dedup();
            return Err(ApiError::with_code(
                ErrorCode::UnsupportedOperationInstanceMixedPricingModel,
                format!(
                    "Instances of different charge types ({}) cannot be terminated in \
                         one request.",
                    types.join(", ")
                ),
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
        let (acted, refusal) = match fault.and_then(|f| f.partial.clone()) {
            Some((n, refusal)) => (n.min(ids.len()), Some(refusal)),
            None => (ids.len(), None),
        };
        let lag = fault.and_then(|f| f.lag);
        for id in &ids[..acted] {
            self.apply(id.as_str(), now, request_id, lag);
        }
        match refusal {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
    }

    fn existing(
        &self,
        ids: &[InstanceId],
        region: Option<&str>,
    ) -> Result<Vec<&InstanceView>, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.get(id.as_str()).filter(|v| v.visible_in(region)) {
                Some(v) => found.push(v),
                None => missing.push(id.as_str()),
            }
        }
        if !missing.is_empty() {
            return Err(not_found(&missing));
        }
        Ok(found)
    }

    fn apply(&mut self, id: &str, now: Duration, request_id: &str, lag: Option<ReadLag>) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        if let Some(lag) = lag {
            let (until, reads_left) = match lag {
                ReadLag::For(d) => (Some(now.saturating_add(d)), None),
                ReadLag::Reads(n) => (None, Some(n)),
            };
            self.lagging.insert(
                id.to_owned(),
                Lag {
                    view: instance.view.clone(),
                    until,
                    reads_left,
                },
            );
        }
        let record = self.records.entry(id.to_owned()).or_default();
        record.accepted = record.accepted.saturating_add(1);
        let view = &mut instance.view;
        let recycled = billing::recycled(&view.charge_type);
        if recycled && view.state == InstanceState::Shutdown {
            record.destroyed_from_recycle_bin = true;
            self.instances.remove(id);
            return;
        }
        if recycled {
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

/// The core's state table decides, judging each charge type by its family; the
/// emulator only holds modelled values, so nothing is unpredictable here (an
/// `InternalError` if it ever were).
fn check_state(v: &InstanceView) -> Result<(), ApiError> {
    match v
        .state
        .termination_check(&billing::judged_as(&v.charge_type))
    {
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

    const T: u64 = 1_700_000_000;

    fn all(region: Option<&str>) -> Selection<'_> {
        Selection {
            ids: None,
            filters: &[],
            region,
        }
    }

    fn ids(list: &[&str]) -> Vec<InstanceId> {
        list.iter().map(|s| InstanceId::parse(s).unwrap()).collect()
    }

    #[test]
    fn postpaid_terminates_then_disappears() {
        let mut f = fleet(&[InstanceView::new("ins-00000001")]);
        f.terminate(
            &ids(&["ins-00000001"]),
            None,
            Duration::from_secs(10),
            "rid-1",
            None,
        )
        .unwrap();
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(v.state, InstanceState::Terminating);
        assert_eq!(v.latest_operation.as_deref(), Some("TerminateInstances"));
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Operating)
        );
        assert_eq!(v.latest_operation_request_id.as_deref(), Some("rid-1"));
        f.sweep(Duration::from_millis(11_999), T, Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_some());
        f.sweep(Duration::from_secs(12), T, Duration::from_secs(2));
        assert!(f.get("ins-00000001").is_none());
    }

    #[test]
    fn prepaid_operation_succeeds_after_the_operation_time() {
        let mut f =
            fleet(&[InstanceView::new("ins-00000001").with_charge_type(ChargeType::Prepaid)]);
        f.terminate(
            &ids(&["ins-00000001"]),
            None,
            Duration::from_secs(10),
            "rid-1",
            None,
        )
        .unwrap();
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(v.state, InstanceState::Shutdown);
        assert_eq!(v.isolated_source, IsolatedSource::Manmade);
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Operating)
        );
        f.sweep(Duration::from_secs(12), T, Duration::from_secs(2));
        let v = f.get("ins-00000001").unwrap();
        assert_eq!(
            v.latest_operation_state,
            Some(LatestOperationState::Success)
        );
        assert_eq!(v.latest_operation_request_id.as_deref(), Some("rid-1"));
        // The second call destroys it at once.
        f.terminate(
            &ids(&["ins-00000001"]),
            None,
            Duration::from_secs(13),
            "rid-2",
            None,
        )
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
            .terminate(
                &ids(&["ins-00000001", "ins-00000002"]),
                None,
                Duration::ZERO,
                "r",
                None,
            )
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
            .terminate(
                &ids(&["ins-00000001", "ins-00000002"]),
                None,
                Duration::ZERO,
                "r",
                None,
            )
            .unwrap_err();
        assert_eq!(err.code(), "InvalidInstanceId.NotFound");
        assert!(err.message().contains("ins-00000001") && err.message().contains("ins-00000002"));
    }

    #[test]
    fn describe_filters_and_pages() {
        let views: Vec<InstanceView> = (0..25)
            .map(|i| InstanceView::new(format!("ins-{i:08}")))
            .collect();
        let mut f = fleet(&views);
        let now = Duration::ZERO;
        let (total, page) = f.describe(all(None), Page::new(0, 20).unwrap(), now);
        assert_eq!((total, page.len()), (25, 20));
        let (total, page) = f.describe(all(None), Page::new(20, 10).unwrap(), now);
        assert_eq!((total, page.len()), (25, 5));
        assert_eq!(page[0].id, "ins-00000020");
        let (total, page) = f.describe(all(None), Page::new(u64::MAX, 10).unwrap(), now);
        assert_eq!((total, page.len()), (25, 0));
        // By IDs: absent ones are simply not returned, order is the request's.
        let wanted = ids(&["ins-00000007", "ins-zzzzzzzz", "ins-00000003"]);
        let selection = Selection {
            ids: Some(&wanted),
            ..all(None)
        };
        let (total, page) = f.describe(selection, Page::new(0, 20).unwrap(), now);
        assert_eq!(total, 2);
        assert_eq!(
            page.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
            ["ins-00000007", "ins-00000003"]
        );
    }

    #[test]
    fn regions_see_their_zones_instances_and_the_placeless_ones() {
        let mut f = fleet(&[
            InstanceView::new("ins-gz000001").with_zone("ap-guangzhou-6"),
            InstanceView::new("ins-sh000001").with_zone("ap-shanghai-2"),
            InstanceView::new("ins-anywhere"),
        ]);
        let listed = |f: &mut Fleet, region| {
            let (_, page) = f.describe(all(region), Page::first(), Duration::ZERO);
            page.into_iter().map(|v| v.id).collect::<Vec<_>>()
        };
        assert_eq!(
            listed(&mut f, Some("ap-guangzhou")),
            ["ins-anywhere", "ins-gz000001"]
        );
        assert_eq!(listed(&mut f, Some("ap-beijing")), ["ins-anywhere"]);
        assert_eq!(listed(&mut f, None).len(), 3);
        // Another region's instance does not exist for TerminateInstances either.
        let e = f
            .terminate(
                &ids(&["ins-sh000001"]),
                Some("ap-guangzhou"),
                Duration::ZERO,
                "r",
                None,
            )
            .unwrap_err();
        assert_eq!(e.code(), "InvalidInstanceId.NotFound");
        f.terminate(
            &ids(&["ins-sh000001"]),
            Some("ap-shanghai"),
            Duration::ZERO,
            "r",
            None,
        )
        .unwrap();
    }

    #[test]
    fn one_charge_type_per_request_and_each_terminated_as_its_family() {
        let mut f = fleet(&[
            InstanceView::new("ins-postpaid"),
            InstanceView::new("ins-spotpaid").with_charge_type(ChargeType::SpotPaid),
            InstanceView::new("ins-underwri").with_charge_type(ChargeType::parse("UNDERWRITE")),
            InstanceView::new("ins-cdhpaid1").with_charge_type(ChargeType::CdhPaid),
        ]);
        let e = f
            .terminate(
                &ids(&["ins-postpaid", "ins-spotpaid"]),
                None,
                Duration::ZERO,
                "r",
                None,
            )
            .unwrap_err();
        assert_eq!(e.code(), "UnsupportedOperation.InstanceMixedPricingModel");
        assert!(
            e.message().contains("POSTPAID_BY_HOUR, SPOTPAID"),
            "{}",
            e.message()
        );
        for id in ["ins-spotpaid", "ins-underwri", "ins-cdhpaid1"] {
            f.terminate(&ids(&[id]), None, Duration::ZERO, "r", None)
                .unwrap();
        }
        assert_eq!(
            f.get("ins-spotpaid").unwrap().state,
            InstanceState::Terminating
        );
        assert_eq!(
            f.get("ins-cdhpaid1").unwrap().state,
            InstanceState::Terminating
        );
        let underwrite = f.get("ins-underwri").unwrap();
        assert_eq!(underwrite.state, InstanceState::Shutdown);
        assert_eq!(underwrite.isolated_source, IsolatedSource::Manmade);
        // In the recycle bin, a second call destroys it; the record says so.
        f.count_request(&ids(&["ins-underwri"]));
        f.terminate(&ids(&["ins-underwri"]), None, Duration::ZERO, "r2", None)
            .unwrap();
        assert!(f.get("ins-underwri").is_none());
        let record = f.record("ins-underwri");
        assert_eq!((record.requests, record.accepted), (1, 2));
        assert!(record.destroyed_from_recycle_bin);
        assert!(!f.record("ins-spotpaid").destroyed_from_recycle_bin);
        // A pay-as-you-go instance in SHUTDOWN is not in the recycle bin.
        let mut f = fleet(&[InstanceView::new("ins-shutdown").with_state(InstanceState::Shutdown)]);
        let e = f
            .terminate(&ids(&["ins-shutdown"]), None, Duration::ZERO, "r", None)
            .unwrap_err();
        assert_eq!(e.code(), "UnsupportedOperation.InstanceStateShutdown");
    }

    #[test]
    fn partial_batches_act_on_a_prefix_then_refuse() {
        let mut f = fleet(&[
            InstanceView::new("ins-00000001"),
            InstanceView::new("ins-00000002"),
            InstanceView::new("ins-00000003"),
        ]);
        let fault = TerminateFault {
            partial: Some((1, ApiError::new("FailedOperation.Unreturnable", "no"))),
            lag: None,
        };
        let batch = ids(&["ins-00000002", "ins-00000001", "ins-00000003"]);
        let e = f
            .terminate(&batch, None, Duration::ZERO, "r", Some(&fault))
            .unwrap_err();
        assert_eq!(e.code(), "FailedOperation.Unreturnable");
        assert_eq!(
            f.get("ins-00000002").unwrap().state,
            InstanceState::Terminating
        );
        assert_eq!(f.get("ins-00000001").unwrap().state, InstanceState::Running);
        assert_eq!(f.record("ins-00000002").accepted, 1);
        assert_eq!(f.record("ins-00000001").accepted, 0);
    }

    #[test]
    fn reads_lag_behind_for_a_time_or_a_number_of_reads() {
        let mut f = fleet(&[
            InstanceView::new("ins-00000001"),
            InstanceView::new("ins-00000002").with_charge_type(ChargeType::Prepaid),
        ]);
        let ms = Duration::from_millis;
        let lag = |l| TerminateFault {
            partial: None,
            lag: Some(l),
        };
        f.terminate(
            &ids(&["ins-00000001"]),
            None,
            ms(0),
            "r1",
            Some(&lag(ReadLag::For(ms(500)))),
        )
        .unwrap();
        f.terminate(
            &ids(&["ins-00000002"]),
            None,
            ms(0),
            "r2",
            Some(&lag(ReadLag::Reads(2))),
        )
        .unwrap();
        let state = |f: &mut Fleet, at| {
            let (_, page) = f.describe(all(None), Page::first(), at);
            page.into_iter().map(|v| v.state).collect::<Vec<_>>()
        };
        use InstanceState::*;
        assert_eq!(state(&mut f, ms(100)), [Running, Running]);
        assert_eq!(state(&mut f, ms(200)), [Running, Running]);
        // The prepaid one's two stale reads are spent; the other lags until 500 ms.
        assert_eq!(state(&mut f, ms(300)), [Running, Shutdown]);
        assert_eq!(state(&mut f, ms(500)), [Terminating, Shutdown]);
        // A lagging read shows an instance that is already gone.
        f.terminate(
            &ids(&["ins-00000002"]),
            None,
            ms(600),
            "r3",
            Some(&lag(ReadLag::Reads(1))),
        )
        .unwrap();
        assert!(f.get("ins-00000002").is_none());
        assert_eq!(state(&mut f, ms(700)), [Terminating, Shutdown]);
        assert_eq!(state(&mut f, ms(700)), [Terminating]);
    }
}
