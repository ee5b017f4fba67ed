//! The values the API writes and reads: instances and their IDs, states, charge
//! types, sums of money, pages, times, languages and error codes, each parsed
//! once into a type that keeps any value it does not know.

pub(crate) mod amount;
pub(crate) mod api_value;
pub(crate) mod charge_type;
pub(crate) mod client_code;
pub(crate) mod error_code;
pub(crate) mod instance;
pub(crate) mod instance_filter;
pub(crate) mod instance_filter_name;
pub(crate) mod instance_filters;
pub(crate) mod instance_id;
pub(crate) mod instance_id_list;
pub(crate) mod instance_state;
pub(crate) mod isolated_source;
pub(crate) mod language;
pub(crate) mod latest_operation_state;
pub(crate) mod page;
pub(crate) mod placement;
pub(crate) mod region_state;
pub(crate) mod tag;
pub mod utc_time;
pub(crate) mod virtual_private_cloud;
