//! [`ClientCode`]: the codes this client gives an instance it refused to send,
//! because what it read did not prove that sending was safe.

use std::fmt;

/// Why the client, not the service, ended an instance: a read it could not trust,
/// or evidence that a TerminateInstances may already have acted. Each is spelled
/// `FailClosed.<Name>`, a family the service does not use, and reaches a report as
/// [`ErrorCode::Client`](crate::ErrorCode::Client), so it shows wherever a service
/// code would.
///
/// | code | the instance was not sent because |
/// | --- | --- |
/// | `FailClosed.DuplicateEntry` | the read listed its ID more than once |
/// | `FailClosed.UnknownState` | its `InstanceState` is missing, `null`, empty, or not a documented value spelled exactly |
/// | `FailClosed.UnknownChargeType` | its `InstanceChargeType` is missing, `null`, empty, or not a documented value spelled exactly (`UNDERWRITE` included: DescribeInstances does not document it) |
/// | `FailClosed.InconsistentRead` | the read contradicts itself: `TotalCount` against its entries, or an ID that was not asked for |
/// | `FailClosed.ContradictoryRead` | the read contradicts an earlier one in a way that cannot be true (its charge type changed within the run) |
/// | `FailClosed.TerminateInProgress` | its `LatestOperation` is a TerminateInstances still `OPERATING` (or of no known state): another run, or another tool, is terminating it |
/// | `FailClosed.EarlierRequestMayHaveActed` | a TerminateInstances whose answer was lost (in this run or, per the journal, an earlier one) may have acted on it, and it is prepaid-like: another would destroy it |
///
/// ```
/// use tencentcloud_cvm_core::{ClientCode, Disposition, ErrorCode};
/// let code = ErrorCode::Client(ClientCode::DuplicateEntry);
/// assert_eq!(code.as_str(), "FailClosed.DuplicateEntry");
/// assert_eq!(code.disposition(), Disposition::Final);
/// assert_eq!(ClientCode::parse("FailClosed.DuplicateEntry"), Some(ClientCode::DuplicateEntry));
/// // A service never answers these: parsing a service's code never makes one.
/// assert!(matches!(ErrorCode::parse("FailClosed.DuplicateEntry"), ErrorCode::Unknown(_)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ClientCode {
    /// `FailClosed.DuplicateEntry`.
    DuplicateEntry,
    /// `FailClosed.UnknownState`.
    UnknownState,
    /// `FailClosed.UnknownChargeType`.
    UnknownChargeType,
    /// `FailClosed.InconsistentRead`.
    InconsistentRead,
    /// `FailClosed.ContradictoryRead`.
    ContradictoryRead,
    /// `FailClosed.TerminateInProgress`.
    TerminateInProgress,
    /// `FailClosed.EarlierRequestMayHaveActed`.
    EarlierRequestMayHaveActed,
}

impl ClientCode {
    /// Every code, in table order.
    pub const ALL: [ClientCode; 7] = [
        ClientCode::DuplicateEntry,
        ClientCode::UnknownState,
        ClientCode::UnknownChargeType,
        ClientCode::InconsistentRead,
        ClientCode::ContradictoryRead,
        ClientCode::TerminateInProgress,
        ClientCode::EarlierRequestMayHaveActed,
    ];

    /// `FailClosed.<Name>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientCode::DuplicateEntry => "FailClosed.DuplicateEntry",
            ClientCode::UnknownState => "FailClosed.UnknownState",
            ClientCode::UnknownChargeType => "FailClosed.UnknownChargeType",
            ClientCode::InconsistentRead => "FailClosed.InconsistentRead",
            ClientCode::ContradictoryRead => "FailClosed.ContradictoryRead",
            ClientCode::TerminateInProgress => "FailClosed.TerminateInProgress",
            ClientCode::EarlierRequestMayHaveActed => "FailClosed.EarlierRequestMayHaveActed",
        }
    }

    /// The code spelled `text`, if it is one (a journal written by this client
    /// holds them).
    pub fn parse(text: &str) -> Option<ClientCode> {
        ClientCode::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for ClientCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_round_trips_and_is_in_its_own_family() {
        for c in ClientCode::ALL {
            assert_eq!(ClientCode::parse(c.as_str()), Some(c));
            assert!(c.as_str().starts_with("FailClosed."), "{c}");
        }
        assert_eq!(ClientCode::parse("FailClosed.Other"), None);
        assert_eq!(ClientCode::parse("InternalError"), None);
    }
}
