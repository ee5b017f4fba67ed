//! The actions the emulator implements, and how a request finds its action.
//!
//! Every request passes the same checks first (see [`Emulator::handle`]), the last
//! of them that it names only its [`Route`]'s parameters; then the route reads them
//! and acts. The routes are an [`ActionTable`] (`Routes`), so every action the core
//! names has one; another product's actions plug in as further entries there.
//!
//! | action | module | default rate (per endpoint and SecretId) |
//! | --- | --- | --- |
//! | `TerminateInstances` | `terminate_instances` | 10/s |
//! | `DescribeInstances` | `describe_instances` | 40/s |
//! | `DescribeInstancesStatus` | `describe_instances_status` | 40/s |
//! | `InquiryPriceTerminateInstances` | `inquiry_price_terminate_instances` | 10/s |
//! | `DescribeRegions` | `describe_regions` | 20/s |
//! | STS `GetCallerIdentity` | `get_caller_identity` | 20/s |

use tencentcloud_cvm_core::{
    Action, ActionTable, ErrorCode, InstanceIdList, Page, ValidationError,
};

use crate::api::error::ApiError;
use crate::api::params::Params;
use crate::emulator::Emulator;
use crate::faults::Fault;
use crate::fleet::filters;
use crate::fleet::instance::InstanceView;
use crate::fleet::Selection;
use crate::now::Now;

mod describe_instances;
mod describe_instances_status;
pub(crate) mod describe_regions;
mod get_caller_identity;
mod inquiry_price_terminate_instances;
mod terminate_instances;

/// How many instances a listing returns without a `Limit`.
const DEFAULT_LIMIT: u32 = 20;

/// An action's handler: acts on the emulator and returns the whole success body.
pub(crate) type Run = fn(&mut Emulator, &mut Call<'_>) -> Result<Vec<u8>, ApiError>;

/// Where requests for one action go.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Route {
    /// The action's name (`X-TC-Action`).
    pub(crate) action: &'static str,
    /// The API version it is served in (`X-TC-Version`).
    pub(crate) version: &'static str,
    /// The service its signature's scope names (`cvm`, `sts`).
    pub(crate) service: &'static str,
    /// Its documented requests per second per SecretId.
    pub(crate) rate_limit: u32,
    /// The parameters it accepts (any other is `UnknownParameter`).
    pub(crate) parameters: &'static [&'static str],
    /// Its handler.
    pub(crate) run: Run,
}

/// One request, as an action sees it once the common checks passed.
pub(crate) struct Call<'a> {
    /// Its parameters.
    pub(crate) params: Params,
    /// The handler's clock.
    pub(crate) now: Now,
    /// The RequestId its answer carries.
    pub(crate) request_id: &'a str,
    /// How many instance IDs it named (for the access log), once read.
    pub(crate) instance_count: usize,
    /// `X-TC-Region`: the region whose instances it sees (`None`: every region's).
    pub(crate) region: Option<String>,
    /// The injected fault it took, if any.
    pub(crate) fault: Option<&'a Fault>,
    /// `X-TC-Language`, if given.
    pub(crate) language: Option<String>,
    /// The SecretId it was signed with.
    pub(crate) secret_id: String,
}

impl Call<'_> {
    /// The refusal a [`Fault::Refuse`] makes of this call, if it took one.
    pub(crate) fn refusal(&self) -> Option<ApiError> {
        match self.fault {
            Some(Fault::Refuse(code)) => Some(ApiError::with_code(
                ErrorCode::parse(code),
                documented_message(code),
            )),
            _ => None,
        }
    }
}

/// A refusal's message as the error table words it, naming no instance.
fn documented_message(code: &str) -> String {
    match code {
        "FailedOperation.Unreturnable" => "The instance is unreturnable.".to_owned(),
        "InvalidInstanceNotSupportedPrepaidInstance" => {
            "This instance does not meet the Return Policy for prepaid instances.".to_owned()
        }
        "LimitExceeded.UserReturnQuota" => {
            "Failed to return instances because of the quota limit.".to_owned()
        }
        "InternalError.TradeUnknownError" | "InternalServerError" | "InternalError" => {
            "Internal error.".to_owned()
        }
        "UnauthorizedOperation" => "Unauthorized operation.".to_owned(),
        other => format!("The request was refused ({other})."),
    }
}

/// The parameters of DescribeInstances.
const DESCRIBE_INSTANCES_PARAMETERS: &[&str] = &["InstanceIds", "Filters", "Offset", "Limit"];
/// The parameters of DescribeInstancesStatus.
const DESCRIBE_STATUS_PARAMETERS: &[&str] = &["InstanceIds", "Offset", "Limit"];

/// The route of the action called `name`, if the emulator implements it.
pub(crate) fn route(name: &str) -> Option<Route> {
    let action = Action::parse(name)?;
    let (run, parameters) = Routes.entry(action);
    Some(Route {
        action: action.name(),
        version: action.service().version(),
        service: action.service().name(),
        rate_limit: action.default_rate_limit().max(),
        parameters,
        run,
    })
}

/// Each action's handler and parameters. An [`ActionTable`], so an action the core
/// adds does not compile here until it has its route (a `match` on the
/// non-exhaustive [`Action`] would need a wildcard arm that takes it silently).
struct Routes;

impl ActionTable for Routes {
    type Entry = (Run, &'static [&'static str]);

    fn terminate_instances(&self) -> Self::Entry {
        (terminate_instances::run, terminate_instances::PARAMETERS)
    }
    fn describe_instances(&self) -> Self::Entry {
        (describe_instances::run, DESCRIBE_INSTANCES_PARAMETERS)
    }
    fn describe_instances_status(&self) -> Self::Entry {
        (describe_instances_status::run, DESCRIBE_STATUS_PARAMETERS)
    }
    fn inquiry_price_terminate_instances(&self) -> Self::Entry {
        (
            inquiry_price_terminate_instances::run,
            inquiry_price_terminate_instances::PARAMETERS,
        )
    }
    fn describe_regions(&self) -> Self::Entry {
        (describe_regions::run, describe_regions::PARAMETERS)
    }
    fn get_caller_identity(&self) -> Self::Entry {
        (get_caller_identity::run, get_caller_identity::PARAMETERS)
    }
}

/// A refusal from the core's parameter rules, with the service's code for it.
pub(crate) fn validation_error(e: ValidationError) -> ApiError {
    ApiError::with_code(e.code(), format!("{}.", capitalised(&e.detail())))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `InstanceIds`, required (1 to 100 distinct well-formed IDs, the core's rule).
pub(crate) fn required_ids(call: &mut Call<'_>) -> Result<InstanceIdList, ApiError> {
    let ids = call.params.strings("InstanceIds")?;
    call.instance_count = ids.len();
    InstanceIdList::parse(&ids).map_err(validation_error)
}

/// The instances a Describe call asks for: `InstanceIds`, optional (absent or empty:
/// every instance), `Filters` (DescribeInstances only; not with `InstanceIds`), then
/// `Offset` and `Limit` (default 0 and 20), all read for their types first, then
/// checked. Only the instances of the call's region are seen. The total matching, and
/// the page of them.
pub(crate) fn describe(
    emulator: &mut Emulator,
    call: &mut Call<'_>,
) -> Result<(usize, Vec<InstanceView>), ApiError> {
    let raw = call.params.strings("InstanceIds")?;
    let raw_filters = call.params.name_values("Filters")?;
    let offset = call.params.integer("Offset")?;
    let limit = call.params.integer("Limit")?;
    call.instance_count = raw.len();
    let refused_read = match call.fault {
        Some(Fault::RefuseRead { id, code })
            if raw.contains(id) || raw_filters.iter().any(|(_, values)| values.contains(id)) =>
        {
            Some(ApiError::with_code(
                ErrorCode::parse(code),
                format!("The request was refused because of the instance `{id}`."),
            ))
        }
        _ => None,
    };
    if !raw.is_empty() && !raw_filters.is_empty() {
        return Err(ApiError::new(
            "InvalidParameter",
            "`InstanceIds` and `Filters` cannot be specified at the same time.",
        ));
    }
    let ids = if raw.is_empty() {
        None
    } else {
        Some(InstanceIdList::parse(&raw).map_err(validation_error)?)
    };
    let filters = filters::parse(raw_filters, call.region.as_deref())?;
    let page = Page::new(
        offset.unwrap_or(0),
        limit.unwrap_or(u64::from(DEFAULT_LIMIT)),
    )
    .map_err(validation_error)?;
    if let Some(refusal) = call.refusal() {
        return Err(refusal);
    }
    if let Some(refusal) = refused_read {
        return Err(refusal);
    }
    let selection = Selection {
        ids: ids.as_ref().map(InstanceIdList::as_slice),
        filters: &filters,
        region: call.region.as_deref(),
    };
    Ok(emulator
        .fleet
        .describe(selection, page, call.now.monotonic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_route() {
        for action in Action::ALL {
            let route = route(action.name()).unwrap_or_else(|| panic!("{action} has no route"));
            assert_eq!(route.action, action.name());
            assert_eq!(route.version, action.service().version());
            assert_eq!(route.service, action.service().name());
            assert_eq!(route.rate_limit, action.default_rate_limit().max());
        }
        assert!(route("RunInstances").is_none());
    }
}
