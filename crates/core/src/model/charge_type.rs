//! [`ChargeType`]: an instance's `InstanceChargeType` (billing mode).

use crate::model::api_value::api_value_enum;

api_value_enum! {
    /// How an instance is billed, as `DescribeInstances` reports it.
    ///
    /// TerminateInstances treats the two families differently: a prepaid instance
    /// first goes to the recycle bin (`SHUTDOWN`) and is destroyed by a second call;
    /// the others are released by the first. One request may not mix prepaid and
    /// pay-as-you-go instances (`UnsupportedOperation.InstanceMixedPricingModel`).
    ///
    /// ```
    /// use tencentcloud_cvm_core::ChargeType;
    /// assert_eq!(ChargeType::parse("PREPAID"), ChargeType::Prepaid);
    /// assert!(ChargeType::Prepaid.is_prepaid());
    /// assert!(!ChargeType::SpotPaid.is_prepaid());
    /// assert_eq!(ChargeType::parse("NEWPAID").as_str(), "NEWPAID");
    /// ```
    ChargeType {
        /// Monthly subscription.
        Prepaid = "PREPAID",
        /// Pay-as-you-go, billed by the hour.
        PostpaidByHour = "POSTPAID_BY_HOUR",
        /// On a CDH (dedicated host): only the host is billed.
        CdhPaid = "CDHPAID",
        /// Spot instance.
        SpotPaid = "SPOTPAID",
        /// On a CDC (dedicated cluster).
        CdcPaid = "CDCPAID",
    }
}

impl ChargeType {
    /// Whether this is the monthly subscription (`PREPAID`), the one charge type whose
    /// first termination only moves the instance to the recycle bin.
    pub fn is_prepaid(&self) -> bool {
        matches!(self, ChargeType::Prepaid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_values_round_trip() {
        for c in ChargeType::ALL {
            assert_eq!(&ChargeType::parse(c.as_str()), c);
        }
        assert_eq!(ChargeType::ALL.len(), 5);
        assert_eq!(ChargeType::ALL.iter().filter(|c| c.is_prepaid()).count(), 1);
        assert!(!ChargeType::parse("prepaid").is_prepaid());
    }
}
