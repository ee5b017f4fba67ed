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
    ]
    .iter()
    .map(|spec| seed(T, spec, spec.as_bytes()))
    .collect()
}
