//! `DescribeInstancesStatus`: the states of instances by ID and/or a page of them.
//!
//! The same parameters, checks and selection as `DescribeInstances`; each entry of
//! `InstanceStatusSet` has `InstanceId` and `InstanceState`.

use serde::Serialize;
use tencentcloud_cvm_core::InstanceState;

use super::{describe, Call};
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    total_count: usize,
    instance_status_set: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry<'a> {
    instance_id: &'a str,
    instance_state: &'a InstanceState,
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    let (total_count, shown) = describe(emulator, call)?;
    let answer = Answer {
        total_count,
        instance_status_set: shown
            .iter()
            .map(|v| Entry {
                instance_id: &v.id,
                instance_state: &v.state,
            })
            .collect(),
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tencentcloud_cvm_core::response::{parse_response_as, DEFAULT_MAX_BODY};
    use tencentcloud_cvm_core::{DescribeInstancesStatusResponse, InstanceState};

    use crate::fleet::instance::InstanceView;
    use crate::test_support::*;
    use crate::Emulator;

    const ACTION: &str = "DescribeInstancesStatus";

    #[test]
    fn states_by_id_and_paged() {
        let mut e = emulator(
            Emulator::builder()
                .instances(3)
                .instance(InstanceView::new("ins-stopped1").with_state(InstanceState::Stopped)),
        );
        assert_eq!(send(&mut e, &Spec::ids(&["ins-00000000"]), t0()), "OK");
        let a = answer(
            &mut e,
            &Spec::action(
                ACTION,
                json!({"InstanceIds": ["ins-stopped1", "ins-00000000", "ins-notthere"]}),
            ),
            t0(),
        );
        assert_eq!(
            a["InstanceStatusSet"],
            json!([
                {"InstanceId": "ins-stopped1", "InstanceState": "STOPPED"},
                {"InstanceId": "ins-00000000", "InstanceState": "TERMINATING"}
            ])
        );
        assert_eq!(a["TotalCount"], 2);
        let h = e.handle(
            &Spec::action(ACTION, json!({"Offset": 2, "Limit": 100})).build(),
            t0(),
        );
        let parsed: DescribeInstancesStatusResponse =
            parse_response_as(&h.response, DEFAULT_MAX_BODY).unwrap();
        assert_eq!(parsed.total_count, 4);
        assert_eq!(
            parsed
                .instance_status_set
                .iter()
                .map(|s| s.instance_id.as_str())
                .collect::<Vec<_>>(),
            ["ins-00000002", "ins-stopped1"]
        );
        assert_eq!(
            send(&mut e, &Spec::action(ACTION, json!({"Limit": 1000})), t0()),
            "InvalidParameterValue.LimitExceeded"
        );
        assert_eq!(
            send(
                &mut e,
                &Spec::action(ACTION, json!({"ReleaseAddress": true})),
                t0()
            ),
            "UnknownParameter"
        );
    }
}
