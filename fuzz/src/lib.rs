//! Fuzz target bodies for the Tencent Cloud CVM client, as plain library functions.
//!
//! Each `fuzz_targets/<name>.rs` is a one-line `libfuzzer_sys::fuzz_target!` calling the
//! function of the same name here, so the same code runs under libFuzzer
//! (`cargo +nightly fuzz run <name>`) and on stable, where `tests/replay.rs` feeds it
//! every file of `corpus/<name>/` and `artifacts/<name>/`.
//!
//! | target | input | what must hold |
//! | --- | --- | --- |
//! | [`response_parser`] | an HTTP-like response (see [`split_message`]) | `parse_response` and `server_time` never panic; each result agrees with the body |
//! | [`credentials_file`] | profile name, newline, file text | `parse_profile_file` never panics, never depends on nor shows a secret |
//! | [`emulator_handler`] | mode byte, clock byte, HTTP-like request | `Emulator::handle` never panics and always answers a well-formed envelope |
//! | [`describe_instances_parser`] | an HTTP-like response | `parse_response_as::<DescribeInstancesResponse>` classifies as `parse_response` does and reads every field as written |
//! | [`describe_instances_status_parser`] | an HTTP-like response | the same for `DescribeInstancesStatusResponse` |
//! | [`inquiry_price_parser`] | an HTTP-like response | the same for `InquiryPriceTerminateInstancesResponse`; refunds are exact |
//! | [`credentials_answer`] | parser byte, body | the metadata and STS answer parsers never panic; what they accept is valid; secrets decide nothing but their own validity |
//! | [`endpoint_url`] | a URL as typed | `CustomEndpoint::parse` never panics; what it accepts is canonical, round-trips and builds a request |
//! | [`fault_spec`] | an emulator `--fault` value | `Fault`'s parser never panics; what it accepts prints back to itself |
//! | [`tccli_config`] | the text of a tccli file | tccli's credential and configure parsers never panic; what they accept is valid; secrets are never shown and decide nothing but their own validity |
//! | [`describe_regions_parser`] | an HTTP-like response | `parse_response_as::<DescribeRegionsResponse>` classifies as `parse_response` does; every region read is configurable |
//! | [`caller_identity_parser`] | an HTTP-like response | the same for STS `GetCallerIdentityResponse` |
//! | [`instance_filters`] | filter lines, optionally an instance | `InstanceFilters::parse` never panics; what it accepts is within the limits and round-trips through the body; matching is consistent |
//! | [`instance_listing`] | page size, request kind, a page sequence | `InstanceListing` never panics; a complete listing is exactly `TotalCount` distinct, fitting instances |
//! | [`journal`] | a journal's bytes | `History::parse` never panics; it refuses exactly the journals with a bad line (but a torn last one); its fold is the records' fold; records round-trip |
//! | [`selection_args`] | selection arguments as a command line gives them, optionally an instance | `SelectionBuilder` and the argument parsers (ages, tag patterns, name globs, filters) never panic; what they accept reads each ID once or the filters, and selects only what meets every condition |
//!
//! A target panics (and so libFuzzer reports a crash) when an invariant fails.
//!
//! [`FuzzTargets`] says, for every API action, which target parses its answer and
//! which `emulator_handler` seed reaches its route; being an
//! [`ActionTable`](tencentcloud_cvm_core::ActionTable), it does not compile without
//! an entry for each action, and the replay test checks each entry.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod actions;
mod caller_identity;
mod credentials;
mod credentials_answer;
mod describe_instances;
mod describe_instances_status;
mod describe_regions;
mod emulator;
mod endpoint;
mod fault_spec;
mod inquiry_price;
mod instance_filters;
mod instance_listing;
mod journal;
mod message;
mod response;
pub mod seeds;
mod selection_args;
mod tccli_config;
mod typed_response;

pub use actions::{ActionTargets, FuzzTargets};
pub use caller_identity::caller_identity_parser;
pub use credentials::credentials_file;
pub use credentials_answer::credentials_answer;
pub use describe_instances::describe_instances_parser;
pub use describe_instances_status::describe_instances_status_parser;
pub use describe_regions::describe_regions_parser;
pub use emulator::{emulator_handler, emulator_results, EmulatorInput, Mode, Signing};
pub use endpoint::endpoint_url;
pub use fault_spec::fault_spec;
pub use inquiry_price::inquiry_price_parser;
pub use instance_filters::{filters_outcome, instance_filters};
pub use instance_listing::{instance_listing, listing_outcome};
pub use journal::journal;
pub use message::{split_message, Message};
pub use response::{build as build_response, response_parser};
pub use selection_args::{selection_args, selection_outcome};
pub use tccli_config::tccli_config;

/// The names of the fuzz targets, as in `fuzz/Cargo.toml` and `corpus/<name>/`.
pub const TARGETS: [&str; 16] = [
    "response_parser",
    "credentials_file",
    "emulator_handler",
    "describe_instances_parser",
    "describe_instances_status_parser",
    "inquiry_price_parser",
    "credentials_answer",
    "endpoint_url",
    "fault_spec",
    "tccli_config",
    "describe_regions_parser",
    "caller_identity_parser",
    "instance_filters",
    "instance_listing",
    "journal",
    "selection_args",
];

/// Runs the target called `name` on `data`. Returns `false` for an unknown name.
pub fn run_target(name: &str, data: &[u8]) -> bool {
    match name {
        "response_parser" => response_parser(data),
        "credentials_file" => credentials_file(data),
        "emulator_handler" => emulator_handler(data),
        "describe_instances_parser" => describe_instances_parser(data),
        "describe_instances_status_parser" => describe_instances_status_parser(data),
        "inquiry_price_parser" => inquiry_price_parser(data),
        "credentials_answer" => credentials_answer(data),
        "endpoint_url" => endpoint_url(data),
        "fault_spec" => fault_spec(data),
        "tccli_config" => tccli_config(data),
        "describe_regions_parser" => describe_regions_parser(data),
        "caller_identity_parser" => caller_identity_parser(data),
        "instance_filters" => instance_filters(data),
        "instance_listing" => instance_listing(data),
        "journal" => journal(data),
        "selection_args" => selection_args(data),
        _ => return false,
    }
    true
}
