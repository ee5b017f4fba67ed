//! The fuzz crate's per-action table ([`FuzzTargets`]): for every
//! [`Action`](tencentcloud_cvm_core::Action), the
//! fuzz target that parses its answer and an `emulator_handler` seed that reaches its
//! route.
//!
//! It is an [`ActionTable`], so an action added to the core does not compile here
//! until it has its entry; `tests/replay.rs` then checks that each entry is real: the
//! target exists, its committed corpus holds an answer the core reads as that
//! action's typed success, and the seed calls that action and is answered `OK`.

use tencentcloud_cvm_core::sts::GetCallerIdentity;
use tencentcloud_cvm_core::{
    ActionTable, ApiRequest, DescribeInstances, DescribeInstancesStatus, DescribeRegions,
    InquiryPriceTerminateInstances, TerminateInstances,
};

/// Where the fuzz targets cover one action.
#[derive(Clone, Copy, Debug)]
pub struct ActionTargets {
    /// The target whose body parses the action's answer (a name of [`crate::TARGETS`]
    /// and a directory of `corpus/`).
    pub parser: &'static str,
    /// Whether an input of that target is an answer the core reads as the action's
    /// typed success.
    pub parses: fn(&[u8]) -> bool,
    /// The `emulator_handler` seed (`corpus/emulator_handler/seed-…`) that calls the
    /// action with a valid signature.
    pub emulator_seed: &'static str,
}

/// The table: one [`ActionTargets`] per action.
///
/// ```
/// use tencentcloud_cvm_core::{Action, ActionTable};
/// use tencentcloud_cvm_fuzz::FuzzTargets;
/// assert_eq!(FuzzTargets.entry(Action::DescribeInstances).parser, "describe_instances_parser");
/// ```
pub struct FuzzTargets;

impl ActionTable for FuzzTargets {
    type Entry = ActionTargets;

    fn terminate_instances(&self) -> ActionTargets {
        // Its answer is the bare envelope (a RequestId): `response_parser` reads it.
        ActionTargets {
            parser: "response_parser",
            parses: typed_success::<TerminateInstances>,
            emulator_seed: "valid-one-id",
        }
    }

    fn describe_instances(&self) -> ActionTargets {
        ActionTargets {
            parser: "describe_instances_parser",
            parses: typed_success::<DescribeInstances>,
            emulator_seed: "describe-by-ids",
        }
    }

    fn describe_instances_status(&self) -> ActionTargets {
        ActionTargets {
            parser: "describe_instances_status_parser",
            parses: typed_success::<DescribeInstancesStatus>,
            emulator_seed: "status-by-ids",
        }
    }

    fn inquiry_price_terminate_instances(&self) -> ActionTargets {
        ActionTargets {
            parser: "inquiry_price_parser",
            parses: typed_success::<InquiryPriceTerminateInstances>,
            emulator_seed: "price-prepaid",
        }
    }

    fn describe_regions(&self) -> ActionTargets {
        ActionTargets {
            parser: "describe_regions_parser",
            parses: typed_success::<DescribeRegions>,
            emulator_seed: "regions",
        }
    }

    fn get_caller_identity(&self) -> ActionTargets {
        ActionTargets {
            parser: "caller_identity_parser",
            parses: typed_success::<GetCallerIdentity>,
            emulator_seed: "caller-identity",
        }
    }
}

/// Whether `data`, a response in the `response_parser` format, is `R`'s typed success.
fn typed_success<R: ApiRequest>(data: &[u8]) -> bool {
    let (response, max_body) = crate::response::build(data);
    R::parse_response(&response, max_body).is_ok()
}

#[cfg(test)]
mod tests {
    use tencentcloud_cvm_core::Action;

    use super::*;

    #[test]
    fn every_action_has_a_known_target() {
        for action in Action::ALL {
            let entry = FuzzTargets.entry(*action);
            assert!(crate::TARGETS.contains(&entry.parser), "{action}");
        }
    }
}
