//! What TerminateInstances does to an instance, by its charge type.
//!
//! The TerminateInstances page: a prepaid instance's first termination isolates it in
//! the recycle bin (`SHUTDOWN`, `IsolatedSource` `MANMADE`) and a second destroys it for
//! good; a pay-as-you-go instance is released by the first. The emulator models every
//! charge type the CVM API names:
//!
//! | charge type | first TerminateInstances | in a `SHUTDOWN` state, TerminateInstances |
//! | --- | --- | --- |
//! | `PREPAID` (monthly subscription) | recycle bin | destroys it |
//! | `UNDERWRITE` (committed use, paid by the month like `PREPAID`) | recycle bin | destroys it |
//! | `POSTPAID_BY_HOUR` (pay-as-you-go) | released (`TERMINATING`, then gone) | refused (`InstanceStateShutdown`) |
//! | `SPOTPAID` (spot, billed after use) | released | refused |
//! | `CDHPAID` (on a dedicated host; the host is billed) | released (the host stays) | refused |
//! | `CDCPAID` (on a dedicated cluster) | released | refused |
//!
//! The docs spell out only the prepaid and pay-as-you-go rules; the others follow the
//! family their billing belongs to. One request may hold one charge type only
//! (`UnsupportedOperation.InstanceMixedPricingModel`), as the page says.

use tencentcloud_cvm_core::ChargeType;

/// What the first TerminateInstances does to an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Termination {
    /// Isolated in the recycle bin; a second call destroys it.
    RecycleBin,
    /// Released at once.
    Release,
}

/// The termination `charge_type` gets, or `None` for a charge type the emulator does
/// not model. Matched by name, so `UNDERWRITE` is modelled whether or not the core has
/// a variant for it.
pub(crate) fn termination(charge_type: &ChargeType) -> Option<Termination> {
    match charge_type.as_str() {
        "PREPAID" | "UNDERWRITE" => Some(Termination::RecycleBin),
        "POSTPAID_BY_HOUR" | "SPOTPAID" | "CDHPAID" | "CDCPAID" => Some(Termination::Release),
        _ => None,
    }
}

/// Whether `charge_type` goes to the recycle bin on its first termination.
pub(crate) fn recycled(charge_type: &ChargeType) -> bool {
    termination(charge_type) == Some(Termination::RecycleBin)
}

/// The charge types the emulator models, as the API writes them.
pub(crate) const MODELLED: &[&str] = &[
    "PREPAID",
    "POSTPAID_BY_HOUR",
    "CDHPAID",
    "SPOTPAID",
    "CDCPAID",
    "UNDERWRITE",
];

/// The stand-in the core's state table judges a charge type by: `PREPAID` for the
/// recycle-bin family, `POSTPAID_BY_HOUR` for the rest.
pub(crate) fn judged_as(charge_type: &ChargeType) -> ChargeType {
    if recycled(charge_type) {
        ChargeType::Prepaid
    } else {
        ChargeType::PostpaidByHour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_modelled_charge_type_has_a_termination() {
        for name in MODELLED {
            assert!(termination(&ChargeType::parse(name)).is_some(), "{name}");
        }
        assert!(recycled(&ChargeType::parse("UNDERWRITE")));
        assert!(recycled(&ChargeType::Prepaid));
        for released in ["POSTPAID_BY_HOUR", "SPOTPAID", "CDHPAID", "CDCPAID"] {
            assert_eq!(
                termination(&ChargeType::parse(released)),
                Some(Termination::Release)
            );
        }
        assert_eq!(termination(&ChargeType::parse("prepaid")), None);
        assert_eq!(termination(&ChargeType::parse("")), None);
        assert_eq!(
            judged_as(&ChargeType::parse("UNDERWRITE")),
            ChargeType::Prepaid
        );
        assert_eq!(judged_as(&ChargeType::SpotPaid), ChargeType::PostpaidByHour);
    }
}
