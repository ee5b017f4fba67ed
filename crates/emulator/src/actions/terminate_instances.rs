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
//! | one charge type only | `UnsupportedOperation.InstanceMixedPricingModel` |
//! | no termination protection | `UnsupportedOperation.InstancesProtected` |
//! | every state allows termination (the core's `TerminationCheck`) | `UnsupportedOperation.InstanceState*` |
//!
//! Every instance is looked up in the request's region (`X-TC-Region`): an instance
//! placed in another region's zone does not exist for it. One request may hold one
//! charge type only.
//!
//! Then pay-as-you-go instances (and the other released charge types: `SPOTPAID`,
//! `CDHPAID`, `CDCPAID`) become `TERMINATING` and disappear after the operation time;
//! prepaid ones (`PREPAID`, `UNDERWRITE`) go to the recycle bin (`SHUTDOWN`,
//! `IsolatedSource` `MANMADE`), and a prepaid `SHUTDOWN` instance is destroyed at once
//! (recorded in its [`TerminationRecord`](crate::TerminationRecord)). Each changed instance records
//! `LatestOperation` `TerminateInstances`, `LatestOperationState` `OPERATING` (`SUCCESS`
//! once the operation time has passed) and `LatestOperationRequestId`: this call's
//! RequestId, whether or not its answer reaches the client.

use tencentcloud_cvm_core::ErrorCode;

use super::{required_ids, Call};
use crate::api::error::ApiError;
use crate::api::response::{success_body, NoFields};
use crate::emulator::Emulator;
use crate::faults::Fault;
use crate::fleet::{ReadLag, TerminateFault};

pub(super) const PARAMETERS: &[&str] =
    &["InstanceIds", "ReleasePrepaidDataDisks", "ReleaseAddress"];

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    // Read for their types only: the model has no disks or addresses to release.
    call.params.boolean("ReleasePrepaidDataDisks")?;
    call.params.boolean("ReleaseAddress")?;
    let ids = required_ids(call)?;
    emulator.fleet.count_request(ids.as_slice());
    if let Some(refusal) = call.refusal() {
        return Err(refusal);
    }
    let fault = match call.fault {
        Some(Fault::StaleReads(n)) => Some(TerminateFault {
            partial: None,
            lag: Some(ReadLag::Reads(*n)),
        }),
        Some(Fault::StaleReadsFor(d)) => Some(TerminateFault {
            partial: None,
            lag: Some(ReadLag::For(*d)),
        }),
        Some(Fault::PartialBatch { acted, code }) => {
            let refused = ids
                .as_slice()
                .get(*acted)
                .or(ids.as_slice().last())
                .map_or("", |id| id.as_str());
            Some(TerminateFault {
                partial: Some((
                    *acted,
                    ApiError::with_code(
                        ErrorCode::parse(code),
                        format!("The instance `{refused}` cannot be terminated."),
                    ),
                )),
                lag: None,
            })
        }
        _ => None,
    };
    emulator.fleet.terminate(
        ids.as_slice(),
        call.region.as_deref(),
        call.now.monotonic(),
        call.request_id,
        fault.as_ref(),
    )?;
    Ok(success_body(&NoFields {}, call.request_id))
}
