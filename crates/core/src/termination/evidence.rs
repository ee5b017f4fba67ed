//! [`Evidence`]: what a run has learnt about one instance that a later decision must
//! not forget, whatever stage the instance is in.
//!
//! It only grows: the fields are private to this module, and the methods only add
//! (a flag once set stays set, a list only gets longer), so no decision elsewhere can
//! make an instance look safer than what was seen.
//!
//! | evidence | set when | what it forbids |
//! | --- | --- | --- |
//! | prepaid-like | any read (or the journal) shows a charge type other than `POSTPAID_BY_HOUR`, or none that is known | a re-send after a lost answer, in this run or (without `destroy_prepaid`) a later one |
//! | may have been acted on | a TerminateInstances naming it may have acted: accepted, unanswered, given up, or in a batch the service refused after acting on part of it | any further TerminateInstances in this run ([`Evidence::may_send`]) |
//! | untouched reads | a read after an earlier run's lost answer shows it untouched | — (two, at least the settle delay apart, allow the one send of a re-run) |
//! | prior | the journal of earlier runs names it ([`Prior`]) | what the journal's rules forbid |

use std::time::Instant;

use crate::model::charge_type::ChargeType;
use crate::termination::journal::history::Prior;

/// Whether a charge type is *prepaid-like*: anything but the one charge type that
/// TerminateInstances is documented to release at once (`POSTPAID_BY_HOUR`), unknown
/// or absent ones included. A prepaid-like instance may go to the recycle bin on a
/// first TerminateInstances, where a second one destroys it.
pub(crate) fn is_prepaid_like(charge: Option<&ChargeType>) -> bool {
    !matches!(charge, Some(ChargeType::PostpaidByHour))
}

/// What the run knows about one instance beyond its stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Evidence {
    /// RequestIds of our TerminateInstances for it, where the service gave one.
    request_ids: Vec<String>,
    /// Whether any read (or the journal) showed it prepaid-like.
    prepaid_like: bool,
    /// Whether a TerminateInstances of this run may have acted on it.
    may_have_been_acted_on: bool,
    /// When reads after an earlier run's lost answer showed it untouched.
    untouched_reads: Vec<Instant>,
    /// What the journal of earlier runs says of it.
    prior: Option<Prior>,
}

impl Evidence {
    /// Evidence that starts with what earlier runs' journal says.
    pub(super) fn with_prior(prior: Option<Prior>) -> Evidence {
        let prepaid_like = prior.as_ref().is_some_and(Prior::prepaid_like);
        Evidence {
            prior,
            prepaid_like,
            ..Evidence::default()
        }
    }

    /// A TerminateInstances for it was answered with `request_id` (accepted or not).
    pub(super) fn add_request_id(&mut self, request_id: String) {
        if !self.request_ids.contains(&request_id) {
            self.request_ids.push(request_id);
        }
    }

    /// A read showed its charge type as `charge` (`None`: absent or `null`).
    pub(super) fn saw_charge_type(&mut self, charge: Option<&ChargeType>) {
        self.prepaid_like |= is_prepaid_like(charge);
    }

    /// A TerminateInstances of this run may have acted on it.
    pub(super) fn add_may_have_acted(&mut self) {
        self.may_have_been_acted_on = true;
    }

    /// A read at `at` showed it untouched after an earlier run's lost answer.
    pub(super) fn add_untouched_read(&mut self, at: Instant) {
        self.untouched_reads.push(at);
    }

    /// The RequestIds of our TerminateInstances for it, first first.
    pub(super) fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// Whether any read (or the journal) showed it prepaid-like.
    pub(super) fn prepaid_like(&self) -> bool {
        self.prepaid_like
    }

    /// Whether a TerminateInstances of this run may have acted on it.
    pub(super) fn may_have_been_acted_on(&self) -> bool {
        self.may_have_been_acted_on
    }

    /// Whether a TerminateInstances may still be sent for it in this run: only while
    /// none of this run's may have acted (at most one per instance per run).
    pub(super) fn may_send(&self) -> bool {
        !self.may_have_been_acted_on
    }

    /// When reads after an earlier run's lost answer showed it untouched, first first.
    pub(super) fn untouched_reads(&self) -> &[Instant] {
        &self.untouched_reads
    }

    /// What the journal of earlier runs says of it.
    pub(super) fn prior(&self) -> Option<&Prior> {
        self.prior.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn it_only_grows() {
        let mut e = Evidence::default();
        e.add_request_id("r-1".into());
        e.add_request_id("r-2".into());
        e.add_request_id("r-1".into());
        assert_eq!(e.request_ids(), ["r-1", "r-2"]);
        assert!(e.may_send());
        e.add_may_have_acted();
        assert!(!e.may_send() && e.may_have_been_acted_on());
        let t = Instant::now();
        e.add_untouched_read(t);
        e.add_untouched_read(t + Duration::from_secs(2));
        assert_eq!(e.untouched_reads().len(), 2);
    }

    #[test]
    fn prepaid_like_once_seen_stays() {
        let mut e = Evidence::default();
        assert!(!e.prepaid_like());
        e.saw_charge_type(Some(&ChargeType::PostpaidByHour));
        assert!(!e.prepaid_like());
        e.saw_charge_type(Some(&ChargeType::Prepaid));
        assert!(e.prepaid_like());
        e.saw_charge_type(Some(&ChargeType::PostpaidByHour));
        assert!(e.prepaid_like(), "a later read does not undo it");
    }

    #[test]
    fn only_pay_as_you_go_is_released_at_once() {
        assert!(!is_prepaid_like(Some(&ChargeType::PostpaidByHour)));
        for c in [
            Some(ChargeType::Prepaid),
            Some(ChargeType::SpotPaid),
            Some(ChargeType::CdhPaid),
            Some(ChargeType::CdcPaid),
            Some(ChargeType::parse("UNDERWRITE")),
            Some(ChargeType::parse("postpaid_by_hour")),
            Some(ChargeType::parse("")),
            None,
        ] {
            assert!(is_prepaid_like(c.as_ref()), "{c:?}");
        }
    }
}
