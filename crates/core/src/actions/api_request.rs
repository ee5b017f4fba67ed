//! [`ApiRequest`]: what every typed request shares, so that one generic step builds
//! and signs any of them ([`ServiceConfig::sign`](crate::ServiceConfig::sign)) and one parses its answer
//! ([`ApiRequest::parse_response`]).

use http::Response;
use serde::de::DeserializeOwned;

use crate::actions::Action;
use crate::http::response::{parse_response_as, ResponseError};

/// A validated request of one action, and the typed answer it gets.
///
/// ```
/// use tencentcloud_cvm_core::{ApiRequest, Credentials, DescribeInstancesStatus, ServiceConfig};
/// use tencentcloud_cvm_core::{response::DEFAULT_MAX_BODY, signing::Signer};
///
/// let config = ServiceConfig::builder("ap-guangzhou").build()?;
/// let request = DescribeInstancesStatus::by_ids(["ins-r8hr2upy"])?;
/// let http = config.sign(&request, 1551113065, &Credentials::new("AKID", "key"), &Signer::new())?;
/// assert_eq!(http.headers()["x-tc-action"], "DescribeInstancesStatus");
///
/// // … the transport sends `http` and brings back:
/// let answer = http::Response::new(
///     br#"{"Response":{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"STOPPED"}],"RequestId":"r"}}"#.to_vec());
/// let parsed = DescribeInstancesStatus::parse_response(&answer, DEFAULT_MAX_BODY)?;
/// assert_eq!(parsed.instance_status_set[0].instance_state.as_ref().unwrap().as_str(), "STOPPED");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ApiRequest {
    /// The action (its name is the `X-TC-Action` header).
    const ACTION: Action;
    /// The typed success answer.
    type Response: DeserializeOwned;

    /// The JSON body.
    fn to_body(&self) -> Vec<u8>;

    /// Parses an answer to this request: [`Self::Response`] on success; otherwise the
    /// same classification as [`parse_response`](crate::response::parse_response).
    fn parse_response(
        response: &Response<Vec<u8>>,
        max_body: usize,
    ) -> Result<Self::Response, ResponseError> {
        parse_response_as(response, max_body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::describe_instances::DescribeInstances;
    use crate::actions::describe_instances_status::DescribeInstancesStatus;
    use crate::actions::describe_regions::DescribeRegions;
    use crate::actions::inquiry_price_terminate_instances::InquiryPriceTerminateInstances;
    use crate::actions::terminate_instances::TerminateInstances;
    use crate::credentials::Credentials;
    use crate::http::response::DEFAULT_MAX_BODY;
    use crate::http::service_config::ServiceConfig;
    use crate::signing::Signer;

    #[test]
    fn terminate_goes_through_the_same_path() {
        let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
        let creds = Credentials::new("AKID", "key");
        let req = TerminateInstances::new(["ins-r8hr2upy"]).unwrap();
        let generic = config
            .sign(&req, 1551113065, &creds, &Signer::new())
            .unwrap();
        let specific = config
            .terminate_instances(&req, 1551113065, &creds, &Signer::new())
            .unwrap();
        assert_eq!(generic.headers(), specific.headers());
        assert_eq!(generic.body(), specific.body());
        let ok = Response::new(br#"{"Response":{"RequestId":"r-9"}}"#.to_vec());
        assert_eq!(
            TerminateInstances::parse_response(&ok, DEFAULT_MAX_BODY),
            crate::http::response::parse_response(&ok, DEFAULT_MAX_BODY)
        );
    }

    #[test]
    fn every_action_signs_with_its_name() {
        let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
        let creds = Credentials::new("AKID", "key");
        let s = Signer::new();
        let names = [
            config
                .sign(&DescribeInstances::all(), 1, &creds, &s)
                .unwrap(),
            config
                .sign(&DescribeInstancesStatus::all(), 1, &creds, &s)
                .unwrap(),
            config
                .sign(
                    &InquiryPriceTerminateInstances::by_ids(["ins-00000001"]).unwrap(),
                    1,
                    &creds,
                    &s,
                )
                .unwrap(),
            config.sign(&DescribeRegions, 1, &creds, &s).unwrap(),
        ]
        .map(|r| r.headers()["x-tc-action"].to_str().unwrap().to_owned());
        assert_eq!(
            names,
            [
                "DescribeInstances",
                "DescribeInstancesStatus",
                "InquiryPriceTerminateInstances",
                "DescribeRegions"
            ]
        );
    }
}
