//! Every error code TerminateInstances and API 3.0 define, and the DescribeInstances
//! codes for malformed `Filters`, as a typed enum.
//!
//! Each code says what a caller may do next ([`Disposition`]). Codes this
//! crate does not know are kept verbatim ([`ErrorCode::Unknown`]); the wire
//! string round-trips exactly either way.

use std::fmt;

/// What a caller may do after an error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// The request was throttled and not processed: safe to re-send after waiting.
    Throttled,
    /// The service refused the request before acting on any instance (authentication,
    /// protocol, parameters, a conflicting operation in progress): re-sending is safe
    /// once the cause is gone (a corrected clock, a finished task).
    RejectedBeforeAction,
    /// The service may or may not have acted: never re-send blindly, check the instances.
    OutcomeUnknown,
    /// The service examined the request and refused it; re-sending it unchanged
    /// cannot succeed.
    Final,
}

impl Disposition {
    /// Whether the service certainly did not act on the request.
    pub fn service_did_not_act(self) -> bool {
        !matches!(self, Disposition::OutcomeUnknown)
    }
}

/// A code the service returned that this crate does not know, kept verbatim.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct UnknownCode(Box<str>);

impl UnknownCode {
    /// The code as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $wire:literal => $disp:ident, )*) => {
        /// An API error code.
        ///
        /// ```
        /// use tencentcloud_cvm_core::{ErrorCode, Disposition};
        /// let c = ErrorCode::parse("RequestLimitExceeded.UinLimitExceeded");
        /// assert_eq!(c, ErrorCode::RequestLimitExceededUinLimitExceeded);
        /// assert_eq!(c.disposition(), Disposition::Throttled);
        /// let other = ErrorCode::parse("Some.NewCode");
        /// assert_eq!(other.as_str(), "Some.NewCode");
        /// ```
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A code not in the tables above, kept verbatim.
            Unknown(UnknownCode),
            /// The client's own code (`FailClosed.…`): it refused to send, the
            /// service was not asked. [`ErrorCode::parse`] never makes one.
            Client($crate::model::client_code::ClientCode),
        }

        impl ErrorCode {
            /// Every known code, in table order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The code for a wire string; unknown strings are kept verbatim.
            pub fn parse(wire: &str) -> ErrorCode {
                match wire {
                    $( $wire => ErrorCode::$variant, )*
                    other => ErrorCode::Unknown(UnknownCode(other.into())),
                }
            }

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $wire, )*
                    ErrorCode::Unknown(code) => code.as_str(),
                    ErrorCode::Client(code) => code.as_str(),
                }
            }

            /// What a caller may do next.
            pub fn disposition(&self) -> Disposition {
                match self {
                    $( ErrorCode::$variant => Disposition::$disp, )*
                    ErrorCode::Unknown(code) => disposition_of_unknown(code.as_str()),
                    // Nothing was sent: there is nothing the service could have done.
                    ErrorCode::Client(_) => Disposition::Final,
                }
            }
        }
    };
}

/// An unknown code is judged by its family, the part before the first `.`: a
/// family this crate knows as a bare code (`FailedOperation`, `InternalError`,
/// `UnsupportedOperation`, `InvalidParameterValue`, …) lends it its own
/// disposition, so `FailedOperation.NewThing` is as unknown as `FailedOperation`
/// and `RequestLimitExceeded.NewThing` is throttled. Other families are judged
/// by name; anything unrecognised is a refusal (the service answered with an
/// error envelope).
fn disposition_of_unknown(code: &str) -> Disposition {
    let family = code.split('.').next().unwrap_or("");
    match ErrorCode::parse(family) {
        ErrorCode::Unknown(_) => match family {
            "AuthFailure" => Disposition::RejectedBeforeAction,
            _ => Disposition::Final,
        },
        known => known.disposition(),
    }
}

error_codes! {
    // API 3.0 common codes.
    ActionOffline = "ActionOffline" => RejectedBeforeAction,
    AuthFailureInvalidAuthorization = "AuthFailure.InvalidAuthorization" => RejectedBeforeAction,
    AuthFailureInvalidSecretId = "AuthFailure.InvalidSecretId" => RejectedBeforeAction,
    AuthFailureMfaFailure = "AuthFailure.MFAFailure" => RejectedBeforeAction,
    AuthFailureSecretIdNotFound = "AuthFailure.SecretIdNotFound" => RejectedBeforeAction,
    AuthFailureSignatureExpire = "AuthFailure.SignatureExpire" => RejectedBeforeAction,
    AuthFailureSignatureFailure = "AuthFailure.SignatureFailure" => RejectedBeforeAction,
    AuthFailureTokenFailure = "AuthFailure.TokenFailure" => RejectedBeforeAction,
    AuthFailureUnauthorizedOperation = "AuthFailure.UnauthorizedOperation" => RejectedBeforeAction,
    DryRunOperation = "DryRunOperation" => RejectedBeforeAction,
    FailedOperation = "FailedOperation" => OutcomeUnknown,
    InternalError = "InternalError" => OutcomeUnknown,
    InvalidAction = "InvalidAction" => RejectedBeforeAction,
    InvalidParameter = "InvalidParameter" => RejectedBeforeAction,
    InvalidParameterValue = "InvalidParameterValue" => RejectedBeforeAction,
    InvalidRequest = "InvalidRequest" => RejectedBeforeAction,
    IpInBlacklist = "IpInBlacklist" => RejectedBeforeAction,
    IpNotInWhitelist = "IpNotInWhitelist" => RejectedBeforeAction,
    LimitExceeded = "LimitExceeded" => Final,
    MissingParameter = "MissingParameter" => RejectedBeforeAction,
    NoSuchProduct = "NoSuchProduct" => RejectedBeforeAction,
    NoSuchVersion = "NoSuchVersion" => RejectedBeforeAction,
    RequestLimitExceeded = "RequestLimitExceeded" => Throttled,
    RequestLimitExceededGlobalRegionUinLimitExceeded = "RequestLimitExceeded.GlobalRegionUinLimitExceeded" => Throttled,
    RequestLimitExceededIpLimitExceeded = "RequestLimitExceeded.IPLimitExceeded" => Throttled,
    RequestLimitExceededUinLimitExceeded = "RequestLimitExceeded.UinLimitExceeded" => Throttled,
    RequestSizeLimitExceeded = "RequestSizeLimitExceeded" => RejectedBeforeAction,
    ResourceInUse = "ResourceInUse" => RejectedBeforeAction,
    ResourceInsufficient = "ResourceInsufficient" => RejectedBeforeAction,
    ResourceNotFound = "ResourceNotFound" => Final,
    ResourceUnavailable = "ResourceUnavailable" => RejectedBeforeAction,
    ServiceUnavailable = "ServiceUnavailable" => OutcomeUnknown,
    UnauthorizedOperation = "UnauthorizedOperation" => Final,
    UnknownParameter = "UnknownParameter" => RejectedBeforeAction,
    UnsupportedOperation = "UnsupportedOperation" => Final,
    UnsupportedProtocol = "UnsupportedProtocol" => RejectedBeforeAction,
    UnsupportedRegion = "UnsupportedRegion" => RejectedBeforeAction,
    // TerminateInstances' own table.
    FailedOperationInvalidInstanceApplicationRole = "FailedOperation.InvalidInstanceApplicationRole" => Final,
    FailedOperationInvalidInstanceApplicationRoleEmr = "FailedOperation.InvalidInstanceApplicationRoleEmr" => Final,
    FailedOperationUnreturnable = "FailedOperation.Unreturnable" => Final,
    InternalErrorTradeUnknownError = "InternalError.TradeUnknownError" => OutcomeUnknown,
    InternalServerError = "InternalServerError" => OutcomeUnknown,
    InvalidAccountUnpaidOrder = "InvalidAccount.UnpaidOrder" => Final,
    InvalidInstanceNotSupported = "InvalidInstance.NotSupported" => Final,
    InvalidInstanceIdMalformed = "InvalidInstanceId.Malformed" => Final,
    InvalidInstanceIdNotFound = "InvalidInstanceId.NotFound" => Final,
    InvalidInstanceNotSupportedPrepaidInstance = "InvalidInstanceNotSupportedPrepaidInstance" => Final,
    InvalidParameterValueInstanceIdMalformed = "InvalidParameterValue.InstanceIdMalformed" => Final,
    InvalidParameterValueInvalidAppIdFormat = "InvalidParameterValue.InvalidAppIdFormat" => Final,
    InvalidParameterValueInvalidInstanceSource = "InvalidParameterValue.InvalidInstanceSource" => Final,
    InvalidParameterValueLimitExceeded = "InvalidParameterValue.LimitExceeded" => Final,
    InvalidParameterValueNotSupported = "InvalidParameterValue.NotSupported" => Final,
    LimitExceededUserReturnQuota = "LimitExceeded.UserReturnQuota" => Final,
    MutexOperationTaskRunning = "MutexOperation.TaskRunning" => RejectedBeforeAction,
    OperationDeniedInstanceOperationInProgress = "OperationDenied.InstanceOperationInProgress" => RejectedBeforeAction,
    UnauthorizedOperationInvalidToken = "UnauthorizedOperation.InvalidToken" => Final,
    UnauthorizedOperationMfaExpired = "UnauthorizedOperation.MFAExpired" => Final,
    UnauthorizedOperationMfaNotFound = "UnauthorizedOperation.MFANotFound" => Final,
    UnsupportedOperationInstanceChargeType = "UnsupportedOperation.InstanceChargeType" => Final,
    UnsupportedOperationInstanceMixedPricingModel = "UnsupportedOperation.InstanceMixedPricingModel" => Final,
    UnsupportedOperationInstanceStateBanning = "UnsupportedOperation.InstanceStateBanning" => Final,
    UnsupportedOperationInstanceStateCorrupted = "UnsupportedOperation.InstanceStateCorrupted" => Final,
    UnsupportedOperationInstanceStateEnterRescueMode = "UnsupportedOperation.InstanceStateEnterRescueMode" => Final,
    UnsupportedOperationInstanceStateEnterServiceLiveMigrate = "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate" => Final,
    UnsupportedOperationInstanceStateExitRescueMode = "UnsupportedOperation.InstanceStateExitRescueMode" => Final,
    UnsupportedOperationInstanceStateExitServiceLiveMigrate = "UnsupportedOperation.InstanceStateExitServiceLiveMigrate" => Final,
    UnsupportedOperationInstanceStateFreezing = "UnsupportedOperation.InstanceStateFreezing" => Final,
    UnsupportedOperationInstanceStateIsolating = "UnsupportedOperation.InstanceStateIsolating" => Final,
    UnsupportedOperationInstanceStateLaunchFailed = "UnsupportedOperation.InstanceStateLaunchFailed" => Final,
    UnsupportedOperationInstanceStatePending = "UnsupportedOperation.InstanceStatePending" => Final,
    UnsupportedOperationInstanceStateRebooting = "UnsupportedOperation.InstanceStateRebooting" => Final,
    /// A state code the CVM API defines for other actions; TerminateInstances is taken to
    /// answer it for an instance in `RESCUE_MODE` (see [`crate::TerminationCheck`]).
    UnsupportedOperationInstanceStateRescueMode = "UnsupportedOperation.InstanceStateRescueMode" => Final,
    UnsupportedOperationInstanceStateServiceLiveMigrate = "UnsupportedOperation.InstanceStateServiceLiveMigrate" => Final,
    /// A state code the CVM API defines for other actions; TerminateInstances is taken to
    /// answer it for a non-prepaid instance in `SHUTDOWN` (see [`crate::TerminationCheck`]).
    UnsupportedOperationInstanceStateShutdown = "UnsupportedOperation.InstanceStateShutdown" => Final,
    UnsupportedOperationInstanceStateStarting = "UnsupportedOperation.InstanceStateStarting" => Final,
    UnsupportedOperationInstanceStateStopping = "UnsupportedOperation.InstanceStateStopping" => Final,
    UnsupportedOperationInstanceStateTerminated = "UnsupportedOperation.InstanceStateTerminated" => Final,
    UnsupportedOperationInstanceStateTerminating = "UnsupportedOperation.InstanceStateTerminating" => Final,
    UnsupportedOperationInstancesProtected = "UnsupportedOperation.InstancesProtected" => Final,
    UnsupportedOperationInvalidInstancesOwner = "UnsupportedOperation.InvalidInstancesOwner" => Final,
    UnsupportedOperationRedHatInstanceTerminateUnsupported = "UnsupportedOperation.RedHatInstanceTerminateUnsupported" => Final,
    UnsupportedOperationRedHatInstanceUnsupported = "UnsupportedOperation.RedHatInstanceUnsupported" => Final,
    UnsupportedOperationRegion = "UnsupportedOperation.Region" => Final,
    UnsupportedOperationSpecialInstanceType = "UnsupportedOperation.SpecialInstanceType" => Final,
    UnsupportedOperationUserLimitOperationExceedQuota = "UnsupportedOperation.UserLimitOperationExceedQuota" => Final,
    // DescribeInstances' table: the codes for malformed `Filters`, which the client
    // checks before sending (`ValidationError::code`).
    /// An unknown filter name.
    InvalidFilter = "InvalidFilter" => Final,
    /// Too many values in one filter.
    InvalidFilterValueLimitExceeded = "InvalidFilterValue.LimitExceeded" => Final,
    /// A malformed CDH ID (`host-xxxxxxxx`).
    InvalidHostIdMalformed = "InvalidHostId.Malformed" => Final,
    /// A malformed IP address.
    InvalidParameterValueIpAddressMalformed = "InvalidParameterValue.IPAddressMalformed" => Final,
    /// A malformed IPv6 address.
    InvalidParameterValueIpv6AddressMalformed = "InvalidParameterValue.IPv6AddressMalformed" => Final,
    /// A malformed time (the creation-time filters).
    InvalidParameterValueInvalidTimeFormat = "InvalidParameterValue.InvalidTimeFormat" => Final,
    /// An invalid fuzzy-search string (the instance-name filter).
    InvalidParameterValueInvalidVagueName = "InvalidParameterValue.InvalidVagueName" => Final,
    /// A malformed subnet ID (`subnet-xxxxxxxx`).
    InvalidParameterValueSubnetIdMalformed = "InvalidParameterValue.SubnetIdMalformed" => Final,
    /// A malformed UUID.
    InvalidParameterValueUuidMalformed = "InvalidParameterValue.UuidMalformed" => Final,
    /// A malformed VPC ID (`vpc-xxxxxxxx`).
    InvalidParameterValueVpcIdMalformed = "InvalidParameterValue.VpcIdMalformed" => Final,
    /// A malformed security group ID (`sg-xxxxxxxx`).
    InvalidSgIdMalformed = "InvalidSgId.Malformed" => Final,
}

impl ErrorCode {
    /// Whether the code is one of the `RequestLimitExceeded` family.
    pub fn is_throttle(&self) -> bool {
        self.disposition() == Disposition::Throttled
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ErrorCode {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ErrorCode::parse(s))
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn every_known_code_round_trips() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(&ErrorCode::parse(code.as_str()), code);
            assert!(!matches!(code, ErrorCode::Unknown(_)));
        }
        // 85 of TerminateInstances and API 3.0, 11 of DescribeInstances' Filters.
        assert_eq!(ErrorCode::ALL.len(), 85 + 11);
    }

    #[test]
    fn dispositions() {
        use Disposition::*;
        assert_eq!(ErrorCode::RequestLimitExceeded.disposition(), Throttled);
        assert_eq!(
            ErrorCode::RequestLimitExceededIpLimitExceeded.disposition(),
            Throttled
        );
        assert_eq!(
            ErrorCode::AuthFailureSignatureExpire.disposition(),
            RejectedBeforeAction
        );
        assert_eq!(ErrorCode::InternalError.disposition(), OutcomeUnknown);
        assert_eq!(
            ErrorCode::InternalErrorTradeUnknownError.disposition(),
            OutcomeUnknown
        );
        assert_eq!(ErrorCode::InvalidInstanceIdNotFound.disposition(), Final);
        assert_eq!(
            ErrorCode::parse("RequestLimitExceeded.New").disposition(),
            Throttled
        );
        assert_eq!(
            ErrorCode::parse("InternalError.New").disposition(),
            OutcomeUnknown
        );
        assert_eq!(ErrorCode::parse("Brand.New").disposition(), Final);
        // A family's unknown members are judged as its bare code.
        assert_eq!(
            ErrorCode::parse("FailedOperation.NewThing").disposition(),
            ErrorCode::FailedOperation.disposition()
        );
        assert_eq!(
            ErrorCode::parse("FailedOperation.NewThing").disposition(),
            OutcomeUnknown
        );
        assert_eq!(
            ErrorCode::parse("UnsupportedOperation.NewThing").disposition(),
            Final
        );
        assert_eq!(
            ErrorCode::parse("ResourceInUse.NewThing").disposition(),
            RejectedBeforeAction
        );
        assert_eq!(
            ErrorCode::parse("AuthFailure.NewThing").disposition(),
            RejectedBeforeAction
        );
        assert_eq!(
            ErrorCode::parse("InvalidParameterValue.NewThing").disposition(),
            RejectedBeforeAction
        );
    }

    quickcheck! {
        fn any_wire_string_round_trips(s: String) -> bool {
            ErrorCode::parse(&s).as_str() == s
        }
    }
}
