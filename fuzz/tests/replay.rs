//! Replays the committed corpus and any saved crash through the target bodies, on
//! stable Rust and without libFuzzer: `cargo test -p tencentcloud-cvm-fuzz`.

use std::fs;
use std::path::{Path, PathBuf};

use tencentcloud_cvm_core::{Action, ActionTable};
use tencentcloud_cvm_fuzz::{run_target, seeds, EmulatorInput, FuzzTargets, TARGETS};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The regular files in `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(target: &str, dir: &Path) -> usize {
    let inputs = files(dir);
    for path in &inputs {
        let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| run_target(target, &data));
        match outcome {
            Ok(known) => assert!(known, "unknown target {target}"),
            Err(_) => panic!("{target} fails on {}", path.display()),
        }
    }
    inputs.len()
}

#[test]
fn corpus() {
    for target in TARGETS {
        let n = replay(target, &fuzz_dir().join("corpus").join(target));
        println!("corpus/{target}: {n} inputs");
        assert!(n > 0, "corpus/{target} is empty");
    }
}

#[test]
fn artifacts() {
    let root = fuzz_dir().join("artifacts");
    for target in TARGETS {
        let n = replay(target, &root.join(target));
        println!("artifacts/{target}: {n} inputs");
    }
    // A directory for a target that no longer exists would silently go unreplayed.
    for dir in fs::read_dir(&root)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let name = dir.file_name();
        let name = name.to_string_lossy();
        assert!(
            TARGETS.contains(&name.as_ref()) || !dir.path().is_dir(),
            "artifacts/{name} is not a target"
        );
    }
}

/// Every action's entry in the fuzz table is real: its parser target exists and its
/// committed corpus holds at least one answer the core reads as that action's typed
/// success; its emulator seed is committed, calls that action, and is answered `OK`.
#[test]
fn every_action_has_its_fuzz_targets() {
    let seeds = seeds::all();
    let mut wrong = Vec::new();
    for action in Action::ALL {
        let entry = FuzzTargets.entry(*action);
        if !TARGETS.contains(&entry.parser) {
            wrong.push(format!("{action}: no target {}", entry.parser));
            continue;
        }
        let corpus = files(&fuzz_dir().join("corpus").join(entry.parser));
        let successes = corpus
            .iter()
            .filter(|p| (entry.parses)(&fs::read(p).unwrap()))
            .count();
        if successes == 0 {
            wrong.push(format!(
                "{action}: nothing in corpus/{} is its typed success",
                entry.parser
            ));
        }
        let name = format!("seed-{}", entry.emulator_seed);
        let committed = fuzz_dir().join("corpus/emulator_handler").join(&name);
        let Some(seed) = seeds
            .iter()
            .find(|s| s.target == "emulator_handler" && s.name == name)
        else {
            wrong.push(format!("{action}: no emulator seed {name}"));
            continue;
        };
        if !committed.is_file() {
            wrong.push(format!("{action}: {name} is not committed"));
        }
        let input = EmulatorInput::decode(&seed.data);
        let called = input.request.headers().get("x-tc-action");
        if called.map(|v| v.as_bytes()) != Some(action.name().as_bytes()) {
            wrong.push(format!("{action}: {name} calls {called:?}"));
        }
        let results = tencentcloud_cvm_fuzz::emulator_results(&seed.data);
        if results.first().map(String::as_str) != Some("OK") {
            wrong.push(format!("{action}: {name} is answered {results:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The generated seeds are committed as generated; `FUZZ_WRITE_SEEDS=1` rewrites them.
#[test]
fn seeds_are_committed() {
    let write = std::env::var_os("FUZZ_WRITE_SEEDS").is_some();
    let mut stale = Vec::new();
    for seed in seeds::all() {
        let path = fuzz_dir().join("corpus").join(seed.target).join(&seed.name);
        if write {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &seed.data).unwrap();
        } else if fs::read(&path).ok().as_deref() != Some(&seed.data[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "seed files missing or stale (run `FUZZ_WRITE_SEEDS=1 cargo test -p tencentcloud-cvm-fuzz --test replay`): {stale:#?}"
    );
}

/// Every seed passes its target (this also runs when the corpus is stale).
#[test]
fn seeds_pass() {
    for seed in seeds::all() {
        let ok = std::panic::catch_unwind(|| run_target(seed.target, &seed.data));
        assert!(
            matches!(ok, Ok(true)),
            "{}/{} fails",
            seed.target,
            seed.name
        );
    }
}

/// The harness really reaches past authentication: what the emulator answers to
/// some seeds.
#[test]
fn emulator_seeds_reach_deep() {
    let expected: &[(&str, &[&str])] = &[
        ("valid-one-id", &["OK"]),
        ("valid-three-ids", &["OK"]),
        ("valid-prepaid", &["OK"]),
        ("with-token", &["OK"]),
        ("sign-action", &["OK"]),
        ("unsigned-payload", &["OK"]),
        ("form-body", &["OK"]),
        ("get-query", &["OK"]),
        ("presigned-valid", &["OK"]),
        ("presigned-tampered-body", &["AuthFailure.SignatureFailure"]),
        ("wrong-key", &["AuthFailure.SignatureFailure"]),
        ("wrong-token", &["AuthFailure.TokenFailure"]),
        ("clock-ahead", &["AuthFailure.SignatureExpire"]),
        ("no-authorization", &["MissingParameter"]),
        ("over-hundred-ids", &["InvalidParameterValue.LimitExceeded"]),
        (
            "hundred-ids-mostly-missing",
            &["InvalidInstanceId.NotFound"],
        ),
        (
            "mixed-pricing",
            &["UnsupportedOperation.InstanceMixedPricingModel"],
        ),
        ("protected", &["UnsupportedOperation.InstancesProtected"]),
        ("wrong-action", &["InvalidAction"]),
        ("describe-all", &["OK"]),
        ("describe-by-ids", &["OK"]),
        ("describe-paged", &["OK"]),
        ("describe-ids-and-page", &["OK"]),
        ("describe-get-form", &["OK"]),
        ("describe-limit-zero", &["InvalidParameterValue"]),
        (
            "describe-limit-too-large",
            &["InvalidParameterValue.LimitExceeded"],
        ),
        ("describe-offset-negative", &["InvalidParameter"]),
        // Filters are modelled: `zone` ap-guangzhou-6 in region ap-guangzhou.
        ("describe-filters", &["OK"]),
        ("describe-filter-tag", &["OK"]),
        ("describe-filters-and", &["OK"]),
        ("describe-filter-every-name", &["OK"]),
        ("describe-filter-ids-and-hosts", &["OK"]),
        ("describe-get-filters", &["OK"]),
        ("describe-in-another-region", &["OK"]),
        ("describe-without-region", &["OK"]),
        ("describe-filter-unknown-name", &["InvalidFilter"]),
        (
            "describe-filter-zone-other-region",
            &["InvalidZone.MismatchRegion"],
        ),
        (
            "describe-filter-six-values",
            &["InvalidFilterValue.LimitExceeded"],
        ),
        (
            "describe-eleven-filters",
            &["InvalidParameterValue.LimitExceeded"],
        ),
        ("describe-ids-and-filters", &["InvalidParameter"]),
        ("describe-filter-no-values", &["MissingParameter"]),
        (
            "describe-filter-bad-time",
            &["InvalidParameterValue.InvalidTimeFormat"],
        ),
        ("describe-filter-not-a-list", &["InvalidParameter"]),
        ("describe-filter-extra-member", &["UnknownParameter"]),
        (
            "terminate-spot-and-postpaid",
            &["UnsupportedOperation.InstanceMixedPricingModel"],
        ),
        ("terminate-underwrite-in-recycle-bin", &["OK"]),
        ("regions", &["OK"]),
        ("regions-with-parameter", &["UnknownParameter"]),
        ("regions-in-english", &["OK"]),
        ("caller-identity", &["OK"]),
        ("caller-identity-with-token", &["OK"]),
        ("caller-identity-without-region", &["MissingParameter"]),
        ("caller-identity-cvm-version", &["NoSuchVersion"]),
        ("status-by-ids", &["OK"]),
        ("status-paged", &["OK"]),
        ("price-prepaid", &["OK"]),
        ("price-mixed", &["OK"]),
        ("price-no-ids", &["MissingParameter"]),
        (
            "price-stopping",
            &["UnsupportedOperation.InstanceStateStopping"],
        ),
        (
            "describe-repeat-eight-times",
            &[
                "OK",
                "OK",
                "OK",
                // Three per second per SecretId and action in the fuzzed emulator.
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
            ],
        ),
        ("bad-json", &["InvalidParameter"]),
        ("body-too-large", &["RequestSizeLimitExceeded"]),
        (
            "repeat-eight-times",
            &[
                "OK",
                // 60 ms later: still terminating; 120 ms: gone (terminating_for is 100 ms).
                "UnsupportedOperation.InstanceStateTerminating",
                "InvalidInstanceId.NotFound",
                // Three per second per SecretId.
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
                "RequestLimitExceeded",
            ],
        ),
    ];
    let seeds = seeds::all();
    let mut wrong = Vec::new();
    for (name, want) in expected {
        let seed = seeds
            .iter()
            .find(|s| s.target == "emulator_handler" && s.name == format!("seed-{name}"))
            .unwrap_or_else(|| panic!("no seed {name}"));
        let got = tencentcloud_cvm_fuzz::emulator_results(&seed.data);
        if got != *want {
            wrong.push(format!("{name}: {got:?}, expected {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The typed targets' seeds really reach the typed reader: what each answer parses to.
#[test]
fn typed_seeds_reach_deep() {
    use tencentcloud_cvm_core::response::{parse_response_as, ResponseError};
    use tencentcloud_cvm_core::sts::GetCallerIdentityResponse;
    use tencentcloud_cvm_core::{
        DescribeInstancesResponse, DescribeInstancesStatusResponse, DescribeRegionsResponse,
        InquiryPriceTerminateInstancesResponse,
    };
    fn kind<T>(result: Result<T, ResponseError>) -> &'static str {
        match result {
            Ok(_) => "OK",
            Err(ResponseError::WrongType { .. }) => "WrongType",
            Err(ResponseError::Service(_)) => "Service",
            Err(_) => "other",
        }
    }
    let expected: &[(&str, &str, &str)] = &[
        ("describe_instances_parser", "full-entry", "OK"),
        ("describe_instances_parser", "two-by-id", "OK"),
        ("describe_instances_parser", "nulls", "OK"),
        ("describe_instances_parser", "unknown-values", "OK"),
        ("describe_instances_parser", "hundred-entries", "OK"),
        (
            "describe_instances_parser",
            "missing-instance-id",
            "WrongType",
        ),
        (
            "describe_instances_parser",
            "malformed-instance-id",
            "WrongType",
        ),
        ("describe_instances_parser", "set-null", "WrongType"),
        ("describe_instances_parser", "total-negative", "WrongType"),
        ("describe_instances_parser", "error-envelope", "Service"),
        (
            "describe_instances_status_parser",
            "documented-example",
            "OK",
        ),
        ("describe_instances_status_parser", "state-null", "OK"),
        (
            "describe_instances_status_parser",
            "missing-id",
            "WrongType",
        ),
        ("inquiry_price_parser", "documented-example", "OK"),
        ("inquiry_price_parser", "exponent", "OK"),
        ("inquiry_price_parser", "string-amount", "OK"),
        ("inquiry_price_parser", "thirty-eight-digits", "OK"),
        ("inquiry_price_parser", "thirty-nine-digits", "WrongType"),
        ("inquiry_price_parser", "beyond-f64", "WrongType"),
        ("inquiry_price_parser", "missing-id", "WrongType"),
        ("inquiry_price_parser", "throttled-429", "other"),
        ("describe_instances_parser", "selection-fields", "OK"),
        ("describe_instances_parser", "created-time-forms", "OK"),
        ("describe_instances_parser", "selection-nulls", "OK"),
        ("describe_instances_parser", "tag-value-null", "WrongType"),
        ("describe_instances_parser", "tags-object", "WrongType"),
        (
            "describe_instances_parser",
            "project-id-negative",
            "WrongType",
        ),
        ("describe_regions_parser", "documented-example", "OK"),
        ("describe_regions_parser", "states", "OK"),
        (
            "describe_regions_parser",
            "region-host-injection",
            "WrongType",
        ),
        ("describe_regions_parser", "region-missing", "WrongType"),
        ("describe_regions_parser", "error-envelope", "Service"),
        ("caller_identity_parser", "sub-account", "OK"),
        ("caller_identity_parser", "type-null", "OK"),
        ("caller_identity_parser", "account-missing", "WrongType"),
        ("caller_identity_parser", "account-number", "WrongType"),
    ];
    let seeds = seeds::all();
    let mut wrong = Vec::new();
    for (target, name, want) in expected {
        let seed = seeds
            .iter()
            .find(|s| s.target == *target && s.name == format!("seed-{name}"))
            .unwrap_or_else(|| panic!("no seed {target}/{name}"));
        let (response, max) = tencentcloud_cvm_fuzz::build_response(&seed.data);
        let got = match *target {
            "describe_instances_parser" => kind(parse_response_as::<DescribeInstancesResponse>(
                &response, max,
            )),
            "describe_instances_status_parser" => kind(parse_response_as::<
                DescribeInstancesStatusResponse,
            >(&response, max)),
            "describe_regions_parser" => {
                kind(parse_response_as::<DescribeRegionsResponse>(&response, max))
            }
            "caller_identity_parser" => kind(parse_response_as::<GetCallerIdentityResponse>(
                &response, max,
            )),
            _ => kind(parse_response_as::<InquiryPriceTerminateInstancesResponse>(
                &response, max,
            )),
        };
        if got != *want {
            wrong.push(format!("{target}/{name}: {got}, expected {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The filter and listing seeds reach what they are named for.
#[test]
fn filter_and_listing_seeds_reach_deep() {
    let expected: &[(&str, &str, &str)] = &[
        ("instance_filters", "tag-team", "ok 1"),
        ("instance_filters", "tag-team-with-instance", "ok 1 Yes"),
        ("instance_filters", "first-ten-with-instance", "ok 10 Yes"),
        ("instance_filters", "other-ten-with-instance", "ok 10 Yes"),
        ("instance_filters", "contradicted", "ok 2 No"),
        ("instance_filters", "empty", "MissingParameter"),
        ("instance_filters", "unknown-name", "InvalidFilter"),
        ("instance_filters", "tag-without-key", "InvalidFilter"),
        ("instance_filters", "no-values", "InvalidParameterValue"),
        (
            "instance_filters",
            "six-values",
            "InvalidFilterValue.LimitExceeded",
        ),
        (
            "instance_filters",
            "two-times",
            "InvalidFilterValue.LimitExceeded",
        ),
        (
            "instance_filters",
            "eleven-filters",
            "InvalidParameterValue.LimitExceeded",
        ),
        ("instance_filters", "duplicate-name", "InvalidFilter"),
        (
            "instance_filters",
            "duplicate-value",
            "InvalidParameterValue",
        ),
        (
            "instance_filters",
            "times-reversed",
            "InvalidParameterValue",
        ),
        (
            "instance_filters",
            "bad-time",
            "InvalidParameterValue.InvalidTimeFormat",
        ),
        (
            "instance_filters",
            "bad-vpc",
            "InvalidParameterValue.VpcIdMalformed",
        ),
        ("instance_filters", "bad-state", "InvalidParameterValue"),
        (
            "instance_filters",
            "bad-charge-type",
            "InvalidParameterValue",
        ),
        (
            "instance_filters",
            "bad-ip",
            "InvalidParameterValue.IPAddressMalformed",
        ),
        (
            "instance_filters",
            "bad-uuid",
            "InvalidParameterValue.UuidMalformed",
        ),
        ("instance_listing", "honest-by-filter", "complete 5"),
        ("instance_listing", "honest-all", "complete 4"),
        ("instance_listing", "honest-by-ids", "complete 3"),
        ("instance_listing", "empty", "complete 0"),
        ("instance_listing", "total-changed", "TotalCountChanged"),
        ("instance_listing", "short-page", "WrongPageLength"),
        ("instance_listing", "beyond-total", "WrongPageLength"),
        ("instance_listing", "shifted-skip", "PageShifted"),
        ("instance_listing", "shifted-repeat", "PageShifted"),
        ("instance_listing", "duplicate", "DuplicateInstance"),
        ("instance_listing", "not-asked", "NotAsked"),
        (
            "instance_listing",
            "contradicts-filter",
            "FilterContradicted",
        ),
        ("instance_listing", "unknown-tags-pass", "complete 2"),
        ("instance_listing", "page-after-completion", "complete 1"),
        ("instance_listing", "page-after-failure", "WrongPageLength"),
    ];
    let seeds = seeds::all();
    let mut wrong = Vec::new();
    for (target, name, want) in expected {
        let seed = seeds
            .iter()
            .find(|s| s.target == *target && s.name == format!("seed-{name}"))
            .unwrap_or_else(|| panic!("no seed {target}/{name}"));
        let got = match *target {
            "instance_filters" => tencentcloud_cvm_fuzz::filters_outcome(&seed.data),
            _ => tencentcloud_cvm_fuzz::listing_outcome(&seed.data),
        };
        if got != *want {
            wrong.push(format!("{target}/{name}: {got}, expected {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
