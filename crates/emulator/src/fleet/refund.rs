//! What InquiryPriceTerminateInstances quotes for one instance.
//!
//! The emulator's model, not the service's price list:
//!
//! ```text
//! refund = floor(monthly_price_cents × remaining_seconds / 2_592_000) cents
//! remaining_seconds = max(0, ExpiredTime − now)
//! ```
//!
//! for a prepaid instance not yet in the recycle bin, with an `ExpiredTime`; every other
//! instance refunds 0 (pay-as-you-go ones are billed after use; a prepaid one in the
//! recycle bin was refunded when it went there, and the second call only destroys it).
//! A month is 30 days (2,592,000 s). Rounding is down, to the cent.

use tencentcloud_cvm_core::{Amount, InstanceState};

use crate::fleet::instance::InstanceView;

/// Seconds in the 30-day month prices are quoted for.
pub(crate) const SECONDS_PER_MONTH: u64 = 30 * 86_400;

/// The refund for `view` at `now_unix`, and the breakdown (`PriceDetail`).
pub(crate) fn quote(view: &InstanceView, now_unix: u64) -> (Amount, String) {
    if !view.charge_type.is_prepaid() {
        return (
            Amount::ZERO,
            format!("{}: billed after use, nothing to refund.", view.charge_type),
        );
    }
    if view.state == InstanceState::Shutdown {
        return (
            Amount::ZERO,
            "In the recycle bin: refunded when it was returned; terminating it now destroys it."
                .to_owned(),
        );
    }
    let Some(expired) = view.expired_time else {
        return (
            Amount::ZERO,
            "No ExpiredTime: nothing left to refund.".to_owned(),
        );
    };
    let remaining = expired.saturating_sub(now_unix);
    let cents = u128::from(view.monthly_price_cents) * u128::from(remaining)
        / u128::from(SECONDS_PER_MONTH);
    // At most (2^64)² / 2,592,000 cents: well within an i128.
    let amount = Amount::new(cents as i128, 2).unwrap_or(Amount::ZERO);
    let price = Amount::new(i128::from(view.monthly_price_cents), 2).unwrap_or(Amount::ZERO);
    (
        amount,
        format!("Refund: {amount} for {remaining} s of prepaid time left at {price} per 30 days."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_cvm_core::ChargeType;

    fn prepaid(expired: u64, cents: u64) -> InstanceView {
        InstanceView::new("ins-00000001")
            .with_charge_type(ChargeType::Prepaid)
            .with_expired_time(expired)
            .with_monthly_price_cents(cents)
    }

    #[test]
    fn remaining_time_at_the_monthly_price() {
        let now = 1_700_000_000;
        // Exactly one month left at 100.00.
        let (a, detail) = quote(&prepaid(now + SECONDS_PER_MONTH, 10_000), now);
        assert_eq!(a.to_string(), "100");
        assert!(detail.contains("2592000 s"), "{detail}");
        // Half a month at 33.33: 16.665, rounded down.
        let (a, _) = quote(&prepaid(now + SECONDS_PER_MONTH / 2, 3_333), now);
        assert_eq!(a.to_string(), "16.66");
        // A year ahead.
        let (a, _) = quote(&prepaid(now + 12 * SECONDS_PER_MONTH, 10_000), now);
        assert_eq!(a.to_string(), "1200");
        // Expired: nothing.
        assert!(quote(&prepaid(now - 1, 10_000), now).0.is_zero());
        // Extreme values do not overflow.
        let (a, _) = quote(&prepaid(u64::MAX, u64::MAX), 0);
        assert!(!a.is_negative() && !a.is_zero());
    }

    #[test]
    fn zero_for_everything_else() {
        let now = 1_700_000_000;
        let postpaid = InstanceView::new("ins-00000001").with_expired_time(now + 1_000_000);
        assert!(quote(&postpaid, now).0.is_zero());
        let recycled = prepaid(now + 1_000_000, 10_000).with_state(InstanceState::Shutdown);
        assert!(quote(&recycled, now).0.is_zero());
        let no_term = InstanceView::new("ins-00000001").with_charge_type(ChargeType::Prepaid);
        assert!(quote(&no_term, now).0.is_zero());
    }
}
