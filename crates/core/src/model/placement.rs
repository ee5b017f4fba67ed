//! [`Placement`]: where an instance runs (zone, project, dedicated host), and the
//! region a zone belongs to ([`region_of_zone`]).

use serde::Deserialize;

/// An instance's `Placement`. Every field may be absent or `null`.
///
/// ```
/// use tencentcloud_cvm_core::Placement;
/// let p: Placement = serde_json::from_str(r#"{"Zone": "ap-guangzhou-3", "ProjectId": 0, "HostIds": []}"#)?;
/// assert_eq!(p.zone.as_deref(), Some("ap-guangzhou-3"));
/// assert_eq!(p.region(), Some("ap-guangzhou"));
/// assert_eq!(p.project_id, Some(0));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Placement {
    /// `Zone`, e.g. `ap-guangzhou-3`.
    pub zone: Option<String>,
    /// `ProjectId` (0 is the default project).
    pub project_id: Option<u64>,
    /// `HostId`: the CDH (dedicated host) the instance runs on, if any.
    pub host_id: Option<String>,
}

impl Placement {
    /// The region of [`zone`](Self::zone) ([`region_of_zone`]).
    pub fn region(&self) -> Option<&str> {
        self.zone.as_deref().and_then(region_of_zone)
    }
}

/// The region a zone belongs to: the zone's name without its final `-<number>`
/// (`ap-guangzhou-3` → `ap-guangzhou`, `ap-shanghai-fsi-2` → `ap-shanghai-fsi`,
/// `ap-xian-ec-1` → `ap-xian-ec`). `None` unless `zone` is well formed: lowercase ASCII
/// letters and digits in at least three `-`-separated parts, the first starting with a
/// letter and the last all digits.
///
/// ```
/// use tencentcloud_cvm_core::region_of_zone;
/// assert_eq!(region_of_zone("ap-guangzhou-3"), Some("ap-guangzhou"));
/// assert_eq!(region_of_zone("ap-shanghai-fsi-2"), Some("ap-shanghai-fsi"));
/// assert_eq!(region_of_zone("ap-guangzhou"), None);
/// assert_eq!(region_of_zone("AP-Guangzhou-3"), None);
/// ```
pub fn region_of_zone(zone: &str) -> Option<&str> {
    let (region, number) = zone.rsplit_once('-')?;
    let parts_ok = region.split('-').count() >= 2
        && region.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let ok = parts_ok
        && region.as_bytes()[0].is_ascii_lowercase()
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_regions() {
        for (zone, region) in [
            ("ap-guangzhou-3", "ap-guangzhou"),
            ("ap-guangzhou-10", "ap-guangzhou"),
            ("eu-frankfurt-1", "eu-frankfurt"),
            ("na-siliconvalley-2", "na-siliconvalley"),
            ("ap-shanghai-fsi-2", "ap-shanghai-fsi"),
            ("ap-shenzhen-fsi-3", "ap-shenzhen-fsi"),
            ("ap-xian-ec-1", "ap-xian-ec"),
        ] {
            assert_eq!(region_of_zone(zone), Some(region), "{zone}");
        }
        for bad in [
            "",
            "-",
            "ap-3",
            "ap-guangzhou",
            "ap-guangzhou-",
            "ap-guangzhou-3a",
            "ap--guangzhou-3",
            "-ap-guangzhou-3",
            "1p-guangzhou-3",
            "ap-Guangzhou-3",
            "ap-guangzhou-+3",
            "ap-guang zhou-3",
            "ap-广州-3",
        ] {
            assert_eq!(region_of_zone(bad), None, "{bad}");
        }
    }

    #[test]
    fn placements() {
        let p: Placement = serde_json::from_str("{}").unwrap();
        assert_eq!(p, Placement::default());
        assert_eq!(p.region(), None);
        let nulls: Placement =
            serde_json::from_str(r#"{"Zone":null,"ProjectId":null,"HostId":null}"#).unwrap();
        assert_eq!(nulls, p);
        for bad in [
            r#"{"Zone":3}"#,
            r#"{"ProjectId":"0"}"#,
            r#"{"ProjectId":-1}"#,
            r#"{"ProjectId":1.5}"#,
            r#"{"HostId":[]}"#,
        ] {
            assert!(serde_json::from_str::<Placement>(bad).is_err(), "{bad}");
        }
    }
}
