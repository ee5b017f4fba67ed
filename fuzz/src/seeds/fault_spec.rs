//! Seeds of target `fault_spec`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "fault_spec";
    [
        "delay=300ms",
        "delay=2s",
        "delay=0ms",
        "delay=18446744073709551615s",
        "server-error-html",
        "close-before-state-change",
        "close-after-state-change",
        "truncated-body",
        "oversized-body=1048576",
        "oversized-body=",
        "wrong-content-type",
        "delay",
        "Delay=1s",
        "teapot",
        "duplicate-entry",
        "field=InstanceChargeType:null",
        "field=InstanceState:empty",
        "field=InstanceChargeType:missing",
        "field=InstanceState:lowercase",
        "field=InstanceChargeType:value=UNDERWRITE",
        "field=InstanceState:value=",
        "field=Instance-State:null",
        "field=InstanceState",
        "total-count=1",
        "total-count=-1",
        "drop-entries",
        "extra-entry=ins-notasked",
        "extra-entry=ins-1",
        "latest-operation-failed",
        "refuse-read=ins-00000001",
        "refuse-read=ins-00000001:UnauthorizedOperation",
        "refuse-read=ins-00000001:bad code",
        "stale-reads=3",
        "stale-reads=500ms",
        "stale-reads=1.5",
        "partial-batch=1",
        "partial-batch=1:InvalidInstanceId.NotFound",
        "partial-batch=x",
        "refuse",
        "refuse=FailedOperation.Unreturnable",
        "refuse=",
    ]
    .iter()
    .map(|spec| seed(T, spec, spec.as_bytes()))
    .collect()
}
