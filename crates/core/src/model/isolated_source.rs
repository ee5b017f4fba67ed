//! [`IsolatedSource`]: why an instance is isolated, if it is.

use crate::model::api_value::api_value_enum;

api_value_enum! {
    /// An instance's `IsolatedSource`.
    ///
    /// ```
    /// use tencentcloud_cvm_core::IsolatedSource;
    /// assert_eq!(IsolatedSource::parse("MANMADE"), IsolatedSource::Manmade);
    /// ```
    IsolatedSource {
        /// Isolated for an overdue payment.
        Arrear = "ARREAR",
        /// Isolated because its prepaid term expired.
        Expire = "EXPIRE",
        /// Isolated because its owner returned it (TerminateInstances on a prepaid instance).
        Manmade = "MANMADE",
        /// Not isolated.
        NotIsolated = "NOTISOLATED",
    }
}
