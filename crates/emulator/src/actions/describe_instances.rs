//! `DescribeInstances`: instances by ID and/or a page of them.
//!
//! | check | error code |
//! | --- | --- |
//! | only `InstanceIds`, `Offset`, `Limit` (`Filters` is not modelled) | `UnknownParameter` |
//! | parameter types | `InvalidParameter` |
//! | at most 100 IDs, well-formed, none twice (none: every instance) | `InvalidParameterValue.LimitExceeded`, `InvalidInstanceId.Malformed`, `InvalidParameterValue` |
//! | `Limit` 1 to 100 (default 20), `Offset` any (default 0) | `InvalidParameterValue`, `InvalidParameterValue.LimitExceeded` |
//!
//! IDs that do not exist are simply not returned, as the service does. `TotalCount` is
//! the number of matching instances; `InstanceSet` the page of them (in the order
//! named, or by ID). Each entry has the fields a terminate flow reads; `ExpiredTime` is
//! `null` unless the instance is prepaid.

use serde::Serialize;
use tencentcloud_cvm_core::utc_time::format_utc;
use tencentcloud_cvm_core::{ChargeType, InstanceState, IsolatedSource, LatestOperationState};

use super::{describe, Call};
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;
use crate::fleet::instance::InstanceView;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    total_count: usize,
    instance_set: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry<'a> {
    instance_id: &'a str,
    instance_name: &'a str,
    instance_state: &'a InstanceState,
    instance_charge_type: &'a ChargeType,
    restrict_state: &'static str,
    disable_api_termination: bool,
    latest_operation: Option<&'a str>,
    latest_operation_state: Option<&'a LatestOperationState>,
    latest_operation_request_id: Option<&'a str>,
    expired_time: Option<String>,
    isolated_source: &'a IsolatedSource,
}

impl<'a> Entry<'a> {
    fn new(v: &'a InstanceView) -> Self {
        Entry {
            instance_id: &v.id,
            instance_name: &v.name,
            instance_state: &v.state,
            instance_charge_type: &v.charge_type,
            restrict_state: "NORMAL",
            disable_api_termination: v.termination_protection,
            latest_operation: v.latest_operation.as_deref(),
            latest_operation_state: v.latest_operation_state.as_ref(),
            latest_operation_request_id: v.latest_operation_request_id.as_deref(),
            expired_time: v
                .expired_time
                .filter(|_| v.charge_type.is_prepaid())
                .map(format_utc),
            isolated_source: &v.isolated_source,
        }
    }
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    let (total_count, shown) = describe(emulator, call)?;
    let answer = Answer {
        total_count,
        instance_set: shown.into_iter().map(Entry::new).collect(),
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use tencentcloud_cvm_core::response::{parse_response_as, DEFAULT_MAX_BODY};
    use tencentcloud_cvm_core::{ChargeType, DescribeInstancesResponse, InstanceId, InstanceState};

    use crate::fleet::instance::InstanceView;
    use crate::test_support::*;
    use crate::Emulator;

    const ACTION: &str = "DescribeInstances";

    fn fleet() -> Emulator {
        emulator(
            Emulator::builder()
                .instances(25)
                .instance(
                    InstanceView::new("ins-prepaid1")
                        .with_name("db")
                        .with_charge_type(ChargeType::Prepaid)
                        .with_expired_time(T0 + 86_400),
                )
                .instance(InstanceView::new("ins-protect1").with_termination_protection(true))
                .rate_limit(0),
        )
    }

    fn ids(answer: &serde_json::Value) -> Vec<String> {
        answer["InstanceSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceId"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn by_ids_absent_ones_are_simply_missing() {
        let mut e = fleet();
        let a = answer(
            &mut e,
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-prepaid1", "ins-zzzzzzzz", "ins-protect1"]}),
            ),
            t0(),
        );
        assert_eq!(a["TotalCount"], 2);
        assert_eq!(ids(&a), ["ins-prepaid1", "ins-protect1"]);
        let prepaid = &a["InstanceSet"][0];
        assert_eq!(prepaid["InstanceName"], "db");
        assert_eq!(prepaid["InstanceState"], "RUNNING");
        assert_eq!(prepaid["InstanceChargeType"], "PREPAID");
        assert_eq!(prepaid["ExpiredTime"], "2023-11-15T22:13:20Z");
        assert_eq!(prepaid["IsolatedSource"], "NOTISOLATED");
        assert_eq!(prepaid["DisableApiTermination"], false);
        assert!(prepaid["LatestOperation"].is_null());
        let protected = &a["InstanceSet"][1];
        assert_eq!(protected["DisableApiTermination"], true);
        assert!(protected["ExpiredTime"].is_null());
        // None of them exists: an empty set, not an error.
        let none = answer(
            &mut e,
            &Spec::action(ACTION, json!({"InstanceIds": ["ins-zzzzzzzz"]})),
            t0(),
        );
        assert_eq!(
            none,
            json!({"TotalCount": 0, "InstanceSet": [], "RequestId": none["RequestId"]})
        );
    }

    #[test]
    fn pages() {
        let mut e = fleet();
        let first = answer(&mut e, &Spec::action(ACTION, json!({})), t0());
        assert_eq!(first["TotalCount"], 27);
        assert_eq!(ids(&first).len(), 20, "the default Limit is 20");
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = answer(
                &mut e,
                &Spec::action(ACTION, json!({"Offset": offset, "Limit": 10})),
                t0(),
            );
            let got = ids(&page);
            if got.is_empty() {
                break;
            }
            seen.extend(got);
            offset += 10;
        }
        assert_eq!(seen.len(), 27);
        let unique: std::collections::HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), 27);
        // IDs and a page together: the page of the matching instances.
        let both = answer(
            &mut e,
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-00000003", "ins-00000001", "ins-00000002"], "Offset": 1, "Limit": 1}),
            ),
            t0(),
        );
        assert_eq!(both["TotalCount"], 3);
        assert_eq!(ids(&both), ["ins-00000001"]);
        // As form fields in a GET.
        let mut get = Spec::new(Vec::new());
        get.action = ACTION.into();
        get.method = "GET";
        get.content_type = "application/x-www-form-urlencoded".into();
        get.query = "Offset=25&Limit=100".into();
        let h = e.handle(&get.build(), t0());
        assert_eq!(code(&h), "OK");
        assert_eq!(
            envelope(&h)["Response"]["InstanceSet"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn parameter_errors() {
        let mut e = fleet();
        let hundred_one: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
        for (body, expected) in [
            (json!({"Limit": 0}), "InvalidParameterValue"),
            (json!({"Limit": 101}), "InvalidParameterValue.LimitExceeded"),
            (json!({"Offset": -1}), "InvalidParameter"),
            (json!({"Limit": "20"}), "InvalidParameter"),
            (
                json!({"InstanceIds": hundred_one}),
                "InvalidParameterValue.LimitExceeded",
            ),
            (
                json!({"InstanceIds": ["ins-1"]}),
                "InvalidInstanceId.Malformed",
            ),
            (
                json!({"InstanceIds": ["ins-00000001", "ins-00000001"]}),
                "InvalidParameterValue",
            ),
            (
                json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-6"]}]}),
                "UnknownParameter",
            ),
            (json!({"InstanceIds": "ins-00000001"}), "InvalidParameter"),
        ] {
            assert_eq!(
                send(&mut e, &Spec::action(ACTION, body.clone()), t0()),
                expected,
                "{body}"
            );
        }
        // An empty list is no filter at all.
        let all = answer(
            &mut e,
            &Spec::action(ACTION, json!({"InstanceIds": []})),
            t0(),
        );
        assert_eq!(all["TotalCount"], 27);
    }

    #[test]
    fn a_terminate_shows_as_the_latest_operation_with_its_request_id() {
        let mut e = fleet();
        let h = e.handle(&Spec::ids(&["ins-prepaid1"]).build(), t0());
        assert_eq!(code(&h), "OK");
        let terminate_id = h.log.request_id.clone();
        let describe = Spec::action(
            ACTION,
            json!({"InstanceIds": ["ins-prepaid1", "ins-00000001"]}),
        );
        let a = answer(&mut e, &describe, t0().after(Duration::from_millis(10)));
        let prepaid = &a["InstanceSet"][0];
        assert_eq!(prepaid["InstanceState"], "SHUTDOWN");
        assert_eq!(prepaid["IsolatedSource"], "MANMADE");
        assert_eq!(prepaid["LatestOperation"], "TerminateInstances");
        assert_eq!(prepaid["LatestOperationState"], "OPERATING");
        assert_eq!(prepaid["LatestOperationRequestId"], terminate_id.as_str());
        assert!(a["InstanceSet"][1]["LatestOperation"].is_null());
        // Once the operation time (2 s) has passed it succeeded.
        let later = answer(&mut e, &describe, t0().after(Duration::from_secs(2)));
        assert_eq!(later["InstanceSet"][0]["LatestOperationState"], "SUCCESS");
        assert_eq!(
            later["InstanceSet"][0]["LatestOperationRequestId"],
            terminate_id.as_str()
        );
    }

    #[test]
    fn the_core_reads_the_answer() {
        let mut e = fleet();
        assert_eq!(send(&mut e, &Spec::ids(&["ins-00000001"]), t0()), "OK");
        let h = e.handle(
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-00000001", "ins-prepaid1"]}),
            )
            .build(),
            t0(),
        );
        let parsed: DescribeInstancesResponse =
            parse_response_as(&h.response, DEFAULT_MAX_BODY).unwrap();
        assert_eq!(parsed.request_id, h.log.request_id);
        let terminated = parsed
            .find(&InstanceId::parse("ins-00000001").unwrap())
            .unwrap();
        assert_eq!(terminated.instance_state, Some(InstanceState::Terminating));
        assert!(terminated
            .request_id_of_latest(tencentcloud_cvm_core::Action::TerminateInstances)
            .is_some());
        let prepaid = parsed
            .find(&InstanceId::parse("ins-prepaid1").unwrap())
            .unwrap();
        assert_eq!(prepaid.expired_at(), Some(T0 + 86_400));
        assert_eq!(h.log.instance_count, 2);
        assert_eq!(h.log.action.as_deref(), Some(ACTION));
    }
}
