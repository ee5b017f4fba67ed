//! `DescribeRegions` (CVM): the regions CVM is offered in.
//!
//! | check | error code |
//! | --- | --- |
//! | no parameters | `UnknownParameter` |
//!
//! `RegionSet` lists the emulator's regions (by default the regions CVM's
//! DescribeInstances page names, and those of the fleet's zones; see
//! [`EmulatorConfig::regions`](crate::EmulatorConfig::regions)), each `AVAILABLE`, with its
//! `RegionName` in Chinese, or in English when `X-TC-Language` is `en-US`.
//! `TotalCount` is their number.

use serde::Serialize;

use super::Call;
use crate::api::error::ApiError;
use crate::api::response::success_body;
use crate::emulator::Emulator;

pub(super) const PARAMETERS: &[&str] = &[];

/// The regions the CVM DescribeInstances page lists as supported, with their names in
/// Chinese and English.
pub(crate) const DOCUMENTED_REGIONS: &[(&str, &str, &str)] = &[
    ("ap-bangkok", "亚太东南(曼谷)", "Southeast Asia (Bangkok)"),
    ("ap-beijing", "华北地区(北京)", "North China (Beijing)"),
    ("ap-chengdu", "西南地区(成都)", "Southwest China (Chengdu)"),
    (
        "ap-chongqing",
        "西南地区(重庆)",
        "Southwest China (Chongqing)",
    ),
    ("ap-guangzhou", "华南地区(广州)", "South China (Guangzhou)"),
    (
        "ap-hongkong",
        "港澳台地区(中国香港)",
        "Hong Kong, Macau and Taiwan (China) (Hong Kong, China)",
    ),
    ("ap-jakarta", "亚太东南(雅加达)", "Southeast Asia (Jakarta)"),
    ("ap-nanjing", "华东地区(南京)", "East China (Nanjing)"),
    ("ap-seoul", "亚太东北(首尔)", "Northeast Asia (Seoul)"),
    ("ap-shanghai", "华东地区(上海)", "East China (Shanghai)"),
    (
        "ap-shanghai-fsi",
        "华东地区(上海金融)",
        "East China (Shanghai Finance)",
    ),
    (
        "ap-shenzhen-fsi",
        "华南地区(深圳金融)",
        "South China (Shenzhen Finance)",
    ),
    (
        "ap-singapore",
        "亚太东南(新加坡)",
        "Southeast Asia (Singapore)",
    ),
    ("ap-tokyo", "亚太东北(东京)", "Northeast Asia (Tokyo)"),
    ("eu-frankfurt", "欧洲地区(法兰克福)", "Europe (Frankfurt)"),
    ("na-ashburn", "美国东部(弗吉尼亚)", "US East (Virginia)"),
    (
        "na-siliconvalley",
        "美国西部(硅谷)",
        "US West (Silicon Valley)",
    ),
    (
        "sa-saopaulo",
        "南美地区(圣保罗)",
        "South America (São Paulo)",
    ),
];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    total_count: usize,
    region_set: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry<'a> {
    region: &'a str,
    region_name: &'a str,
    region_state: &'static str,
}

pub(crate) fn run(emulator: &mut Emulator, call: &mut Call<'_>) -> Result<Vec<u8>, ApiError> {
    if let Some(refusal) = call.refusal() {
        return Err(refusal);
    }
    let english = call.language.as_deref() == Some("en-US");
    let regions = emulator.regions();
    let answer = Answer {
        total_count: regions.len(),
        region_set: regions
            .iter()
            .map(|region| Entry {
                region,
                region_name: DOCUMENTED_REGIONS
                    .iter()
                    .find(|(id, _, _)| id == region)
                    .map_or(region.as_str(), |(_, zh, en)| if english { en } else { zh }),
                region_state: "AVAILABLE",
            })
            .collect(),
    };
    Ok(success_body(&answer, call.request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::fleet::instance::InstanceView;
    use crate::test_support::*;
    use crate::Emulator;

    const ACTION: &str = "DescribeRegions";

    #[test]
    fn documented_regions_and_the_fleets() {
        let mut e = emulator(
            Emulator::builder()
                .instance(InstanceView::new("ins-00000001").with_zone("ap-mumbai-1")),
        );
        let a = answer(&mut e, &Spec::action(ACTION, json!({})), t0());
        let set = a["RegionSet"].as_array().unwrap();
        assert_eq!(a["TotalCount"], set.len());
        assert_eq!(set.len(), 19);
        let gz = set.iter().find(|r| r["Region"] == "ap-guangzhou").unwrap();
        assert_eq!(gz["RegionName"], "华南地区(广州)");
        assert_eq!(gz["RegionState"], "AVAILABLE");
        let mumbai = set.iter().find(|r| r["Region"] == "ap-mumbai").unwrap();
        assert_eq!(mumbai["RegionName"], "ap-mumbai");
        let mut english = Spec::action(ACTION, json!({}));
        english.language = Some("en-US".into());
        let a = answer(&mut e, &english, t0());
        let gz = a["RegionSet"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["Region"] == "ap-guangzhou")
            .unwrap()
            .clone();
        assert_eq!(gz["RegionName"], "South China (Guangzhou)");
        assert_eq!(
            send(
                &mut e,
                &Spec::action(ACTION, json!({"Product": "cvm"})),
                t0()
            ),
            "UnknownParameter"
        );
    }

    #[test]
    fn configured_regions() {
        let mut e = emulator(Emulator::builder().regions(["ap-guangzhou", "ap-shanghai"]));
        let a = answer(&mut e, &Spec::action(ACTION, json!({})), t0());
        assert_eq!(
            a["RegionSet"],
            json!([
                {"Region": "ap-guangzhou", "RegionName": "华南地区(广州)", "RegionState": "AVAILABLE"},
                {"Region": "ap-shanghai", "RegionName": "华东地区(上海)", "RegionState": "AVAILABLE"}
            ])
        );
        assert_eq!(a["TotalCount"], 2);
    }
}
