//! DescribeRegions (CVM, 2017-03-12): the regions the account can use, and its typed
//! answer.

use serde::{Deserialize, Deserializer};

use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::model::region_state::RegionState;

/// A DescribeRegions request. It has no parameters: the body is `{}`.
///
/// The documentation now points to the Region Management System's DescribeRegions
/// for new regions, so CVM's own list may lag behind.
///
/// ```
/// use tencentcloud_cvm_core::{ApiRequest, Credentials, DescribeRegions, RegionState, ServiceConfig};
/// use tencentcloud_cvm_core::{response::DEFAULT_MAX_BODY, signing::Signer};
/// let config = ServiceConfig::builder("ap-guangzhou").build()?;
/// let http = config.sign(&DescribeRegions, 1551113065, &Credentials::new("AKID", "key"), &Signer::new())?;
/// assert_eq!(http.headers()["x-tc-action"], "DescribeRegions");
/// assert_eq!(http.body(), b"{}");
///
/// let answer = http::Response::new(br#"{"Response":{"TotalCount":1,"RegionSet":[
///     {"Region":"ap-guangzhou","RegionName":"South China(Guangzhou)","RegionState":"AVAILABLE"}],
///     "RequestId":"r-1"}}"#.to_vec());
/// let regions = DescribeRegions::parse_response(&answer, DEFAULT_MAX_BODY)?;
/// assert_eq!(regions.region_set[0].region, "ap-guangzhou");
/// assert_eq!(regions.available().collect::<Vec<_>>(), ["ap-guangzhou"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DescribeRegions;

impl ApiRequest for DescribeRegions {
    const ACTION: Action = Action::DescribeRegions;
    type Response = DescribeRegionsResponse;
    fn to_body(&self) -> Vec<u8> {
        b"{}".to_vec()
    }
}

/// DescribeRegions' answer.
///
/// `TotalCount` is kept as sent but not trusted to equal the number of entries: the
/// documentation's own example says 9 and lists 8.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeRegionsResponse {
    /// `TotalCount`.
    pub total_count: u64,
    /// `RegionSet`. Required (an answer without it, or with `null`, is refused: it
    /// would read as "no regions").
    pub region_set: Vec<RegionInfo>,
    /// `RequestId`.
    pub request_id: String,
}

impl DescribeRegionsResponse {
    /// The regions whose state is `AVAILABLE`, in the order listed. A region in any
    /// other state, or in none, is left out.
    pub fn available(&self) -> impl Iterator<Item = &str> {
        self.region_set
            .iter()
            .filter(|r| r.region_state == Some(RegionState::Available))
            .map(|r| r.region.as_str())
    }
}

/// One region of DescribeRegions' `RegionSet`.
///
/// `Region` is required and must be a region ID a request can name (1 to 64 lowercase
/// letters, digits and `-`, as [`ServiceConfig`](crate::ServiceConfig) takes it):
/// otherwise the whole answer is refused, since a region listed but unusable would be
/// silently skipped by a run over every region. The other fields may be absent or
/// `null`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegionInfo {
    /// `Region`, e.g. `ap-guangzhou`.
    #[serde(deserialize_with = "region_id")]
    pub region: String,
    /// `RegionName`, e.g. `华南地区(广州)` (in the request's `X-TC-Language`).
    pub region_name: Option<String>,
    /// `RegionState`, e.g. `AVAILABLE`.
    pub region_state: Option<RegionState>,
}

/// Whether `region` is a region ID a request can name.
pub(crate) fn is_region_id(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn region_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let region = String::deserialize(d)?;
    if is_region_id(&region) {
        Ok(region)
    } else {
        Err(serde::de::Error::custom(format!(
            "`{}` is not a region ID (1 to 64 lowercase letters, digits and `-`)",
            region.chars().take(64).collect::<String>().escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::response::{parse_response_as, ResponseError, DEFAULT_MAX_BODY};

    fn parse(body: &str) -> Result<DescribeRegionsResponse, ResponseError> {
        parse_response_as(
            &http::Response::new(body.as_bytes().to_vec()),
            DEFAULT_MAX_BODY,
        )
    }

    #[test]
    fn documented_example() {
        // The documentation's example (TotalCount 9, 8 entries).
        let regions = [
            ("ap-beijing", "华北地区(北京)"),
            ("ap-guangzhou", "华南地区(广州)"),
            ("ap-hongkong", "港澳台地区(中国香港)"),
            ("ap-shanghai", "华东地区(上海)"),
            ("ap-shanghai-fsi", "华东地区(上海金融)"),
            ("ap-shenzhen-fsi", "华南地区(深圳金融)"),
            ("ap-singapore", "亚太东南(新加坡)"),
            ("na-siliconvalley", "美国西部(硅谷)"),
        ];
        let set: Vec<String> = regions
            .iter()
            .map(|(r, n)| {
                format!(r#"{{"Region":"{r}","RegionName":"{n}","RegionState":"AVAILABLE"}}"#)
            })
            .collect();
        let a = parse(&format!(
            r#"{{"Response":{{"TotalCount":9,"RegionSet":[{}],"RequestId":"r-1"}}}}"#,
            set.join(",")
        ))
        .unwrap();
        assert_eq!(a.total_count, 9);
        assert_eq!(a.region_set.len(), 8);
        assert_eq!(
            a.region_set[4].region_name.as_deref(),
            Some("华东地区(上海金融)")
        );
        assert_eq!(a.available().count(), 8);
        assert_eq!(a.request_id, "r-1");
    }

    #[test]
    fn states_and_refusals() {
        let a = parse(
            r#"{"Response":{"TotalCount":3,"RegionSet":[
                {"Region":"ap-a","RegionState":"UNAVAILABLE"},
                {"Region":"ap-b","RegionState":null,"RegionName":null},
                {"Region":"ap-c","RegionState":"NEW"}],"RequestId":"r"}}"#,
        )
        .unwrap();
        assert_eq!(a.available().count(), 0);
        assert_eq!(
            a.region_set[2].region_state.as_ref().unwrap().as_str(),
            "NEW"
        );
        for bad in [
            r#"{"Response":{"TotalCount":0,"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":0,"RegionSet":null,"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"RegionName":"x"}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"Region":""}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"Region":"AP-GUANGZHOU"}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"Region":"ap-guangzhou.evil.com"}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"Region":7}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RegionSet":[{"Region":"ap-a","RegionState":1}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":-1,"RegionSet":[],"RequestId":"r"}}"#,
        ] {
            assert!(
                matches!(parse(bad), Err(ResponseError::WrongType { .. })),
                "{bad}"
            );
        }
        let e = parse(r#"{"Response":{"Error":{"Code":"UnsupportedOperation","Message":"m"},"RequestId":"r"}}"#)
            .unwrap_err();
        assert_eq!(
            e.service_error().unwrap().code.as_str(),
            "UnsupportedOperation"
        );
        let long = "a".repeat(65);
        assert!(!is_region_id(&long) && is_region_id(&long[1..]));
    }
}
