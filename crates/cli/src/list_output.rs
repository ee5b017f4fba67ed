//! `tccvm list` on standard output ([`crate::output`]): the instances a selection
//! matched, one row (or JSON line) each.

use std::io::Write;

use serde::Serialize;
use tencentcloud_cvm::model::InstanceId;
use tencentcloud_cvm::wire::Instance;

use crate::output::{Entries, Output};
use crate::run_document::{LineContext, RunInfo};
use crate::table::Table;

/// A listing's entries: the instances as read.
pub struct Listed;

impl Entries for Listed {
    type Entry = Instance;
    type View<'a> = ListLine<'a>;
    fn view<'a>(entry: &'a Instance, cx: &'a LineContext) -> ListLine<'a> {
        ListLine::new(entry, cx)
    }
    fn id(entry: &Instance) -> &InstanceId {
        &entry.instance_id
    }
    fn suspect(_: &Instance) -> bool {
        false
    }
}

/// Prints the instances listed, in one format.
pub type ListOutput<W> = Output<W, Listed>;

/// One tag, in `tags`.
#[derive(Serialize)]
pub struct TagLine<'a> {
    key: &'a str,
    value: &'a str,
}

/// One instance listed.
#[derive(Serialize)]
pub struct ListLine<'a> {
    id: &'a str,
    region: Option<&'a str>,
    zone: Option<&'a str>,
    name: Option<&'a str>,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
    instance_type: Option<&'a str>,
    /// `CreatedTime` as the service wrote it.
    created_time: Option<&'a str>,
    protected: Option<bool>,
    /// In the order the service listed them; `null` when not read.
    tags: Option<Vec<TagLine<'a>>>,
    private_ip_addresses: Option<&'a [String]>,
    public_ip_addresses: Option<&'a [String]>,
    vpc_id: Option<&'a str>,
    subnet_id: Option<&'a str>,
}

impl<'a> ListLine<'a> {
    pub fn new(i: &'a Instance, cx: &'a LineContext) -> ListLine<'a> {
        ListLine {
            id: i.instance_id.as_str(),
            region: cx.region.as_deref(),
            zone: i.zone(),
            name: i.instance_name.as_deref(),
            state: i.instance_state.as_ref().map(|s| s.as_str()),
            charge_type: i.instance_charge_type.as_ref().map(|c| c.as_str()),
            instance_type: i.instance_type.as_deref(),
            created_time: i.created_time.as_deref(),
            protected: i.disable_api_termination,
            tags: i.tags.as_ref().map(|tags| {
                tags.iter()
                    .map(|t| TagLine {
                        key: &t.key,
                        value: &t.value,
                    })
                    .collect()
            }),
            private_ip_addresses: i.private_ip_addresses.as_deref(),
            public_ip_addresses: i.public_ip_addresses.as_deref(),
            vpc_id: i.vpc_id(),
            subnet_id: i.subnet_id(),
        }
    }
}

/// `summary` of a listing.
#[derive(Serialize)]
pub struct ListCounts {
    /// Instances listed (selected).
    pub instances: usize,
    /// Regions read.
    pub regions: usize,
    /// Regions that could not be read.
    pub regions_failed: usize,
}

impl<W: Write> Output<W, Listed> {
    /// Every instance listed, at the end (one region or several), in the order
    /// read.
    pub fn listing(&mut self, run: &RunInfo, counts: ListCounts, instances: &[Instance]) {
        let region = self.context().region.clone();
        let footer = format!(
            "{} instance(s) in {} region(s){}",
            counts.instances,
            counts.regions,
            if counts.regions_failed > 0 {
                format!(", {} of which could not be read", counts.regions_failed)
            } else {
                String::new()
            }
        );
        self.end(run, counts, instances, |rows, regions| {
            let mut table = Table::new(vec![
                "ID",
                "NAME",
                "REGION/ZONE",
                "STATE",
                "CHARGE TYPE",
                "CREATED",
                "TAGS",
            ]);
            for i in rows {
                let place = match (i.zone(), regions.of(&i.instance_id, region.as_deref())) {
                    (Some(zone), _) => zone.to_owned(),
                    (None, Some(region)) => format!("{region}/-"),
                    (None, None) => "-".to_owned(),
                };
                let tags = i.tags.as_ref().map_or("-".to_owned(), |tags| {
                    tags.iter()
                        .map(|t| format!("{}={}", t.key, t.value))
                        .collect::<Vec<_>>()
                        .join(",")
                });
                table.row([
                    i.instance_id.to_string(),
                    i.instance_name.clone().unwrap_or_else(|| "-".to_owned()),
                    place,
                    i.instance_state
                        .as_ref()
                        .map_or("-", |s| s.as_str())
                        .to_owned(),
                    i.instance_charge_type
                        .as_ref()
                        .map_or("-", |c| c.as_str())
                        .to_owned(),
                    i.created_time.clone().unwrap_or_else(|| "-".to_owned()),
                    tags,
                ]);
            }
            (table, footer)
        });
    }

    /// Instances as they are read (with jsonl, a line each at once).
    pub fn listed(&mut self, instances: &[Instance]) {
        self.stream(instances);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::OutputFormat;
    use crate::money::Currency;
    use crate::run_document::CommandKind;

    fn instance(json: &str) -> Instance {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rows_and_lines_name_the_region() {
        let gz = instance(
            r#"{"InstanceId":"ins-00000001","InstanceName":"ci-1","InstanceState":"RUNNING",
                "InstanceChargeType":"POSTPAID_BY_HOUR","Placement":{"Zone":"ap-guangzhou-6"},
                "CreatedTime":"2024-01-01T00:00:00Z","Tags":[{"Key":"team","Value":"ci"},{"Key":"env","Value":"x\u001b"}]}"#,
        );
        let bare = instance(r#"{"InstanceId":"ins-00000002"}"#);
        let rows = [gz, bare];
        let printed = |format| {
            let mut out = Vec::new();
            let cx = LineContext {
                region: Some("ap-guangzhou".to_owned()),
                currency: Currency::Cny,
            };
            let mut o = ListOutput::new(format, &mut out, cx, None);
            o.several_regions();
            o.place(Some("ap-guangzhou"), [&rows[0].instance_id]);
            o.place(Some("ap-shanghai"), [&rows[1].instance_id]);
            let run = RunInfo::start(CommandKind::List, "ap-guangzhou,ap-shanghai");
            let counts = ListCounts {
                instances: 2,
                regions: 2,
                regions_failed: 0,
            };
            o.listing(&run, counts, &rows);
            drop(o);
            String::from_utf8(out).unwrap()
        };
        let table = printed(OutputFormat::Table);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "ID            NAME  REGION/ZONE     STATE    CHARGE TYPE       CREATED               TAGS"
        );
        assert!(lines[1].starts_with("ins-00000001  ci-1  ap-guangzhou-6  RUNNING  POSTPAID_BY_HOUR  2024-01-01T00:00:00Z  team=ci,env=x\\u{1b}"), "{table}");
        assert!(lines[2].starts_with("ins-00000002  -     ap-shanghai/-   -        -                 -                     -"), "{table}");
        assert_eq!(lines[3], "2 instance(s) in 2 region(s)");
        let doc: serde_json::Value = serde_json::from_str(&printed(OutputFormat::Json)).unwrap();
        assert_eq!(doc["command"], "list");
        assert_eq!(doc["instances"][0]["region"], "ap-guangzhou");
        assert_eq!(
            doc["instances"][0]["tags"][0],
            serde_json::json!({"key": "team", "value": "ci"})
        );
        assert_eq!(doc["instances"][1]["region"], "ap-shanghai");
        assert_eq!(doc["instances"][1]["tags"], serde_json::Value::Null);
        assert_eq!(doc["summary"]["instances"], 2);
    }
}
