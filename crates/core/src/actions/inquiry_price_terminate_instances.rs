//! InquiryPriceTerminateInstances: what terminating instances would refund.

use serde::Deserialize;

use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::error::validation_error::ValidationError;
use crate::model::amount::Amount;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;

/// A validated InquiryPriceTerminateInstances request: 1 to 100 distinct, well-formed
/// instance IDs. It changes nothing; the service refuses it for the same instances
/// TerminateInstances would refuse.
///
/// ```
/// use tencentcloud_cvm_core::InquiryPriceTerminateInstances;
/// let r = InquiryPriceTerminateInstances::by_ids(["ins-rfmme2si"])?;
/// assert_eq!(r.to_body(), br#"{"InstanceIds":["ins-rfmme2si"]}"#);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InquiryPriceTerminateInstances {
    ids: InstanceIdList,
}

impl InquiryPriceTerminateInstances {
    /// These instances (see [`InstanceIdList`] for the rules).
    pub fn by_ids<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        InstanceIdList::parse(ids).map(Self::for_list)
    }

    /// These instances, already checked.
    pub fn for_list(ids: InstanceIdList) -> Self {
        InquiryPriceTerminateInstances { ids }
    }

    /// The instance IDs.
    pub fn instance_ids(&self) -> &[InstanceId] {
        self.ids.as_slice()
    }

    /// `{"InstanceIds":[…]}`.
    pub fn to_body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18 + 15 * self.ids.len());
        out.push(b'{');
        self.ids.write_json_field(&mut out);
        out.push(b'}');
        out
    }
}

/// One entry of `InstanceRefundsSet`.
///
/// ```
/// use tencentcloud_cvm_core::{Amount, InstanceRefund};
/// let r: InstanceRefund = serde_json::from_str(
///     r#"{"InstanceId":"ins-rfmme2si","Refunds":2644.44,"PriceDetail":"Refund: 2644.44"}"#)?;
/// assert_eq!(r.refunds, Some(Amount::new(264444, 2).unwrap()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceRefund {
    /// `InstanceId` (required and well-formed: a refund must belong to an instance).
    pub instance_id: InstanceId,
    /// `Refunds`: the amount refunded, exactly as written (`None` if absent or `null`).
    pub refunds: Option<Amount>,
    /// `PriceDetail`: the service's breakdown, as text.
    pub price_detail: Option<String>,
}

/// InquiryPriceTerminateInstances' answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InquiryPriceTerminateInstancesResponse {
    /// `InstanceRefundsSet` (required).
    pub instance_refunds_set: Vec<InstanceRefund>,
    /// `RequestId`.
    pub request_id: String,
}

impl InquiryPriceTerminateInstancesResponse {
    /// The refund for `id`, if the answer has one.
    pub fn find(&self, id: &InstanceId) -> Option<&InstanceRefund> {
        self.instance_refunds_set
            .iter()
            .find(|r| &r.instance_id == id)
    }
}

impl ApiRequest for InquiryPriceTerminateInstances {
    const ACTION: Action = Action::InquiryPriceTerminateInstances;
    type Response = InquiryPriceTerminateInstancesResponse;
    fn to_body(&self) -> Vec<u8> {
        InquiryPriceTerminateInstances::to_body(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::response::{parse_response_as, ResponseError, DEFAULT_MAX_BODY};

    fn parse(body: &str) -> Result<InquiryPriceTerminateInstancesResponse, ResponseError> {
        parse_response_as(
            &http::Response::new(body.as_bytes().to_vec()),
            DEFAULT_MAX_BODY,
        )
    }

    #[test]
    fn the_documented_example() {
        let ok = parse(
            r#"{"Response":{"InstanceRefundsSet":[{"InstanceId":"ins-rfmme2si","Refunds":2644.44,
                "PriceDetail":"退款:2644.44元,现金券: 0元"}],
                "RequestId":"75731c35-e2ad-4721-b4bc-8cdb6c2ad2a5"}}"#,
        )
        .unwrap();
        let r = &ok.instance_refunds_set[0];
        assert_eq!(r.refunds.unwrap().to_string(), "2644.44");
        assert!(r.price_detail.as_deref().unwrap().starts_with("退款"));
        assert!(ok
            .find(&InstanceId::parse("ins-rfmme2si").unwrap())
            .is_some());
    }

    #[test]
    fn money_is_exact_or_refused() {
        let body = |refunds: &str| {
            format!(
                r#"{{"Response":{{"InstanceRefundsSet":[{{"InstanceId":"ins-00000001","Refunds":{refunds}}}],"RequestId":"r"}}}}"#
            )
        };
        let exact = parse(&body("0.1000000000000000055511151231257827")).unwrap();
        assert_eq!(
            exact.instance_refunds_set[0].refunds.unwrap().to_string(),
            "0.1000000000000000055511151231257827"
        );
        assert_eq!(
            parse(&body("null")).unwrap().instance_refunds_set[0].refunds,
            None
        );
        for bad in ["\"lots\"", "true", "1e400", "[]"] {
            assert!(
                matches!(parse(&body(bad)), Err(ResponseError::WrongType { .. })),
                "{bad}"
            );
        }
        assert!(InquiryPriceTerminateInstances::by_ids(Vec::<&str>::new()).is_err());
    }
}
