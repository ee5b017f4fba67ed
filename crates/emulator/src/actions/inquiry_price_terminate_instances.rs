//! `InquiryPriceTerminateInstances`: what terminating instances would refund. Changes
//! nothing.
//!
//! | check | error code |
//! | --- | --- |
//! | only `InstanceIds` | `UnknownParameter` |
//! | 1 to 100 well-formed IDs, none twice | `MissingParameter`, `InvalidParameterValue.LimitExceeded`, `InvalidInstanceId.Malformed`, `InvalidParameterValue` |
//! | every instance exists | `InvalidInstanceId.NotFound` |
//! | every state allows termination | `UnsupportedOperation.InstanceState*` |
//!
//! Each entry of `InstanceRefundsSet` has `InstanceId`, `Refunds` (an exact decimal
//! number) and `PriceDetail`; the amount follows the formula of the `refund` module:
//! the prepaid time left at the instance's monthly price, 0 for the rest.

use serde::Serialize;
use tencentcloud_cvm_core::Amount;

use super::{required_ids, Call};
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;
use crate::fleet::refund::quote;

pub(super) const PARAMETERS: &[&str] = &["InstanceIds"];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    instance_refunds_set: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry<'a> {
    instance_id: &'a str,
    refunds: Amount,
    price_detail: String,
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    let ids = required_ids(call)?;
    let now = call.now.unix_seconds();
    if let Some(refusal) = call.refusal() {
        return Err(refusal);
    }
    let instances = emulator
        .fleet
        .terminable(ids.as_slice(), call.region.as_deref())?;
    let answer = Answer {
        instance_refunds_set: instances
            .into_iter()
            .map(|v| {
                let (refunds, price_detail) = quote(v, now);
                Entry {
                    instance_id: &v.id,
                    refunds,
                    price_detail,
                }
            })
            .collect(),
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tencentcloud_cvm_core::response::{parse_response_as, DEFAULT_MAX_BODY};
    use tencentcloud_cvm_core::{
        Amount, ChargeType, InquiryPriceTerminateInstancesResponse, InstanceId, InstanceState,
    };

    use crate::fleet::instance::InstanceView;
    use crate::fleet::refund::SECONDS_PER_MONTH;
    use crate::test_support::*;
    use crate::Emulator;

    const ACTION: &str = "InquiryPriceTerminateInstances";

    fn fleet() -> Emulator {
        emulator(
            Emulator::builder()
                .instances(1)
                .instance(
                    InstanceView::new("ins-prepaid1")
                        .with_charge_type(ChargeType::Prepaid)
                        .with_expired_time(T0 + SECONDS_PER_MONTH / 3)
                        .with_monthly_price_cents(12_345),
                )
                .instance(
                    InstanceView::new("ins-prepaid2")
                        .with_charge_type(ChargeType::Prepaid)
                        .with_expired_time(T0 + 2 * SECONDS_PER_MONTH),
                )
                .instance(InstanceView::new("ins-stoppin1").with_state(InstanceState::Stopping)),
        )
    }

    #[test]
    fn prepaid_refunds_the_time_left_and_pay_as_you_go_nothing() {
        let mut e = fleet();
        let spec = Spec::action(
            ACTION,
            json!({"InstanceIds": ["ins-prepaid1", "ins-prepaid2", "ins-00000000"]}),
        );
        let h = e.handle(&spec.build(), t0());
        assert_eq!(code(&h), "OK");
        // The exact decimal text: 123.45 / 3 = 41.15.
        let body = String::from_utf8(h.response.body().clone()).unwrap();
        assert!(body.contains(r#""Refunds":41.15,"#), "{body}");
        let parsed: InquiryPriceTerminateInstancesResponse =
            parse_response_as(&h.response, DEFAULT_MAX_BODY).unwrap();
        let refund = |id: &str| {
            parsed
                .find(&InstanceId::parse(id).unwrap())
                .and_then(|r| r.refunds)
                .unwrap()
        };
        assert_eq!(refund("ins-prepaid1"), Amount::new(4115, 2).unwrap());
        assert_eq!(refund("ins-prepaid2"), Amount::new(200, 0).unwrap());
        assert_eq!(refund("ins-00000000"), Amount::ZERO);
        assert!(parsed.instance_refunds_set[0]
            .price_detail
            .as_deref()
            .unwrap()
            .contains("123.45"));
        assert_eq!(h.log.instance_count, 3);
        // Nothing changed.
        assert_eq!(state(&e, "ins-prepaid1"), Some(InstanceState::Running));
    }

    #[test]
    fn the_recycle_bin_refunds_nothing_more() {
        let mut e = fleet();
        assert_eq!(send(&mut e, &Spec::ids(&["ins-prepaid2"]), t0()), "OK");
        let a = answer(
            &mut e,
            &Spec::action(ACTION, json!({"InstanceIds": ["ins-prepaid2"]})),
            t0(),
        );
        assert_eq!(a["InstanceRefundsSet"][0]["Refunds"], 0);
    }

    #[test]
    fn refused_as_terminate_would_refuse_the_instances() {
        let mut e = fleet();
        for (body, expected) in [
            (
                json!({"InstanceIds": ["ins-zzzzzzzz"]}),
                "InvalidInstanceId.NotFound",
            ),
            (
                json!({"InstanceIds": ["ins-stoppin1"]}),
                "UnsupportedOperation.InstanceStateStopping",
            ),
            (json!({"InstanceIds": []}), "MissingParameter"),
            (json!({}), "MissingParameter"),
            (
                json!({"InstanceIds": ["ins-00000000"], "Limit": 1}),
                "UnknownParameter",
            ),
        ] {
            assert_eq!(
                send(&mut e, &Spec::action(ACTION, body.clone()), t0()),
                expected,
                "{body}"
            );
        }
    }
}
