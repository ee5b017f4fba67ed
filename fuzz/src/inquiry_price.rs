//! Target `inquiry_price_parser`: InquiryPriceTerminateInstances' typed answer on
//! arbitrary responses.

use tencentcloud_cvm_core::InquiryPriceTerminateInstancesResponse;

use crate::typed_response::{check_amount, text, typed_response};

/// The body of target `inquiry_price_parser`; the input is an HTTP-like response as
/// for `response_parser`.
///
/// Invariants checked, besides those of the shared typed harness: the entries are the
/// JSON's, each with its well-formed `InstanceId` and `PriceDetail` text; `Refunds` is
/// the JSON's amount exactly (digit for digit when sent as a string, to the last bit
/// of an `f64` when sent as a number) and displays as text that parses back to it.
pub fn inquiry_price_parser(data: &[u8]) {
    typed_response::<InquiryPriceTerminateInstancesResponse>(data, |answer, json| {
        let set = json["InstanceRefundsSet"]
            .as_array()
            .expect("InstanceRefundsSet is an array");
        assert_eq!(set.len(), answer.instance_refunds_set.len());
        for (refund, entry) in answer.instance_refunds_set.iter().zip(set) {
            assert_eq!(text(entry, "InstanceId"), Some(refund.instance_id.as_str()));
            assert_eq!(refund.price_detail.as_deref(), text(entry, "PriceDetail"));
            check_amount(refund.refunds.as_ref(), &entry["Refunds"]);
        }
    });
}
