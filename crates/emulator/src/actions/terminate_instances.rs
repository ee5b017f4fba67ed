//! `TerminateInstances`: all of the instances change, or none.
//!
//! | check | error code |
//! | --- | --- |
//! | only `InstanceIds`, `ReleasePrepaidDataDisks`, `ReleaseAddress` | `UnknownParameter` |
//! | parameter types | `InvalidParameter` |
//! | 1 to 100 IDs | `MissingParameter`, `InvalidParameterValue.LimitExceeded` |
//! | every ID is `ins-` + 8 of `[a-z0-9]` | `InvalidInstanceId.Malformed` |
//! | no ID twice | `InvalidParameterValue` |
//! | every instance exists | `InvalidInstanceId.NotFound` |
//! | not both prepaid and other charge types | `UnsupportedOperation.InstanceMixedPricingModel` |
//! | no termination protection | `UnsupportedOperation.InstancesProtected` |
//! | every state allows termination (the core's `TerminationCheck`) | `UnsupportedOperation.InstanceState*` |
//!
//! Then pay-as-you-go instances become `TERMINATING` and disappear after the operation
//! time; prepaid ones go to the recycle bin (`SHUTDOWN`, `IsolatedSource` `MANMADE`),
//! and a prepaid `SHUTDOWN` instance is destroyed at once. Each changed instance records
//! `LatestOperation` `TerminateInstances`, `LatestOperationState` `OPERATING` (`SUCCESS`
//! once the operation time has passed) and `LatestOperationRequestId`: this call's
//! RequestId, whether or not its answer reaches the client.

use super::{required_ids, Call};
use crate::api::error::ApiError;
use crate::api::response::{success_body, NoFields};
use crate::emulator::Emulator;

pub(super) const PARAMETERS: &[&str] =
    &["InstanceIds", "ReleasePrepaidDataDisks", "ReleaseAddress"];

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    // Read for their types only: the model has no disks or addresses to release.
    call.params.boolean("ReleasePrepaidDataDisks")?;
    call.params.boolean("ReleaseAddress")?;
    let ids = required_ids(call)?;
    emulator
        .fleet
        .terminate(ids.as_slice(), call.now.monotonic(), call.request_id)?;
    Ok(success_body(&NoFields {}, call.request_id))
}
