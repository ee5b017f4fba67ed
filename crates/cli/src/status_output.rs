//! `tccvm status` on standard output: a table, or one JSON document.

use std::io::Write;

use tencentcloud_cvm::{Plan, PlanEntry};

use crate::args::StatusFormat;
use crate::table::Table;

/// Writes the instances read (write errors ignored, as for every output).
pub fn write_status(out: &mut impl Write, format: StatusFormat, plan: &Plan) {
    match format {
        StatusFormat::Table => {
            let mut table = Table::new(vec![
                "INSTANCE",
                "STATE",
                "CHARGE TYPE",
                "PROTECTED",
                "LATEST OPERATION",
                "NAME",
                "MESSAGE",
            ]);
            for e in plan.entries() {
                let i = e.instance.as_ref();
                let operation = i.and_then(|i| {
                    let op = i.latest_operation.as_deref()?;
                    Some(match &i.latest_operation_state {
                        Some(state) => format!("{op} {}", state.as_str()),
                        None => op.to_owned(),
                    })
                });
                let protected = i.and_then(|i| i.disable_api_termination);
                table.row([
                    e.id.to_string(),
                    e.state().map_or("-", |s| s.as_str()).to_owned(),
                    e.charge_type().map_or("-", |c| c.as_str()).to_owned(),
                    match protected {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "-",
                    }
                    .to_owned(),
                    operation.unwrap_or_else(|| "-".to_owned()),
                    i.and_then(|i| i.instance_name.clone()).unwrap_or_default(),
                    // Only what is not read is worth a message here.
                    if i.is_none() {
                        e.message.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                ]);
            }
            let _ = table.write(out);
            let read = plan
                .entries()
                .iter()
                .filter(|e| e.instance.is_some())
                .count();
            let _ = writeln!(
                out,
                "{} instance(s): {read} read, {} not found or not read",
                plan.entries().len(),
                plan.entries().len() - read
            );
        }
        StatusFormat::Json => {
            #[derive(serde::Serialize)]
            struct Document<'a> {
                instances: Vec<StatusEntry<'a>>,
            }
            let document = Document {
                instances: plan.entries().iter().map(StatusEntry::from).collect(),
            };
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&document).unwrap_or_default()
            );
        }
    }
    let _ = out.flush();
}

/// `{"id","state","charge_type","name","protected","latest_operation",
/// "latest_operation_state","latest_operation_request_id","expired_time",
/// "action","code","message"}`: what DescribeInstances said, and what a
/// terminate would do with the instance.
#[derive(serde::Serialize)]
struct StatusEntry<'a> {
    id: &'a str,
    state: Option<&'a str>,
    charge_type: Option<&'a str>,
    name: Option<&'a str>,
    protected: Option<bool>,
    latest_operation: Option<&'a str>,
    latest_operation_state: Option<&'a str>,
    latest_operation_request_id: Option<&'a str>,
    expired_time: Option<&'a str>,
    action: &'static str,
    code: Option<&'a str>,
    message: Option<&'a str>,
}

impl<'a> From<&'a PlanEntry> for StatusEntry<'a> {
    fn from(e: &'a PlanEntry) -> Self {
        let i = e.instance.as_ref();
        StatusEntry {
            id: e.id.as_str(),
            state: e.state().map(|s| s.as_str()),
            charge_type: e.charge_type().map(|c| c.as_str()),
            name: i.and_then(|i| i.instance_name.as_deref()),
            protected: i.and_then(|i| i.disable_api_termination),
            latest_operation: i.and_then(|i| i.latest_operation.as_deref()),
            latest_operation_state: i
                .and_then(|i| i.latest_operation_state.as_ref().map(|s| s.as_str())),
            latest_operation_request_id: i.and_then(|i| i.latest_operation_request_id.as_deref()),
            expired_time: i.and_then(|i| i.expired_time.as_deref()),
            action: e.action.as_str(),
            code: e.code.as_ref().map(|c| c.as_str()),
            message: e.message.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tencentcloud_cvm::sans_io::Termination;
    use tencentcloud_cvm::TerminateOptions;

    #[test]
    fn an_instance_not_read_has_its_reason_and_nulls() {
        let mut run =
            Termination::preview(["ins-00000001"], &TerminateOptions::new(), Instant::now())
                .unwrap();
        run.cancel();
        let plan = run.into_plan();
        let mut out = Vec::new();
        write_status(&mut out, StatusFormat::Table, &plan);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[1].starts_with("ins-00000001  -      -            -          -                 "),
            "{text}"
        );
        assert!(
            lines[1].ends_with("not read: cancelled before it was sent"),
            "{text}"
        );
        assert_eq!(lines[2], "1 instance(s): 0 read, 1 not found or not read");
        let mut out = Vec::new();
        write_status(&mut out, StatusFormat::Json, &plan);
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let entry = &json["instances"][0];
        assert_eq!(entry["id"], "ins-00000001");
        assert_eq!(entry["state"], serde_json::Value::Null);
        assert_eq!(entry["action"], "fail");
    }
}
