//! Read faults: a successful read's answer, rewritten as a lying or lagging service
//! might write it. Nothing in the emulator changes.

use serde_json::{Map, Value};

use crate::faults::fault::{Fault, FieldChange};

/// The lists of instances a read answers with.
const SETS: &[&str] = &["InstanceSet", "InstanceStatusSet"];

/// `body` (a success envelope) as `fault` rewrites it; unchanged for faults that do not
/// rewrite answers, or a body that is not an envelope with an instance list.
pub(crate) fn rewrite(fault: &Fault, body: Vec<u8>, other_request_id: &str) -> Vec<u8> {
    let Ok(mut envelope) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let Some(response) = envelope.get_mut("Response").and_then(Value::as_object_mut) else {
        return body;
    };
    if !rewrite_response(fault, response, other_request_id) {
        return body;
    }
    serde_json::to_vec(&envelope).unwrap_or(body)
}

/// Rewrites `response` in place; whether it applied.
fn rewrite_response(
    fault: &Fault,
    response: &mut Map<String, Value>,
    other_request_id: &str,
) -> bool {
    if let Fault::TotalCount(n) = fault {
        if !response.contains_key("TotalCount") {
            return false;
        }
        response.insert("TotalCount".to_owned(), Value::from(*n));
        return true;
    }
    let Some(set_name) = SETS
        .iter()
        .copied()
        .find(|name| response.get(*name).is_some_and(Value::is_array))
    else {
        return false;
    };
    let Some(entries) = response.get_mut(set_name).and_then(Value::as_array_mut) else {
        return false;
    };
    match fault {
        Fault::DuplicateEntry => {
            let copies: Vec<Value> = entries
                .iter()
                .map(|entry| {
                    let mut copy = entry.clone();
                    if let Some(map) = copy.as_object_mut() {
                        let other = match map.get("InstanceState").and_then(Value::as_str) {
                            Some("RUNNING") => "SHUTDOWN",
                            _ => "RUNNING",
                        };
                        map.insert("InstanceState".to_owned(), Value::from(other));
                    }
                    copy
                })
                .collect();
            // Each copy right after its original.
            let originals = std::mem::take(entries);
            for (original, copy) in originals.into_iter().zip(copies) {
                entries.push(original);
                entries.push(copy);
            }
        }
        Fault::Field { field, change } => {
            for map in entries.iter_mut().filter_map(Value::as_object_mut) {
                match change {
                    FieldChange::Null => {
                        map.insert(field.clone(), Value::Null);
                    }
                    FieldChange::Empty => {
                        map.insert(field.clone(), Value::from(""));
                    }
                    FieldChange::Missing => {
                        map.remove(field);
                    }
                    FieldChange::Lowercase => {
                        if let Some(Value::String(text)) = map.get_mut(field) {
                            *text = text.to_lowercase();
                        }
                    }
                    FieldChange::Value(text) => {
                        map.insert(field.clone(), Value::from(text.as_str()));
                    }
                }
            }
        }
        Fault::DropEntries => entries.clear(),
        Fault::ExtraEntry(id) => {
            let mut extra = Map::new();
            extra.insert("InstanceId".to_owned(), Value::from(id.as_str()));
            extra.insert("InstanceState".to_owned(), Value::from("RUNNING"));
            if set_name == "InstanceSet" {
                extra.insert("InstanceName".to_owned(), Value::from(id.as_str()));
                extra.insert(
                    "InstanceChargeType".to_owned(),
                    Value::from("POSTPAID_BY_HOUR"),
                );
                extra.insert("DisableApiTermination".to_owned(), Value::from(false));
                extra.insert("IsolatedSource".to_owned(), Value::from("NOTISOLATED"));
            }
            entries.push(Value::Object(extra));
        }
        Fault::LatestOperationFailed => {
            for map in entries.iter_mut().filter_map(Value::as_object_mut) {
                map.insert("InstanceState".to_owned(), Value::from("RUNNING"));
                if set_name == "InstanceSet" {
                    map.insert(
                        "LatestOperation".to_owned(),
                        Value::from("TerminateInstances"),
                    );
                    map.insert("LatestOperationState".to_owned(), Value::from("FAILED"));
                    map.insert(
                        "LatestOperationRequestId".to_owned(),
                        Value::from(other_request_id),
                    );
                }
            }
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(fault: Fault, answer: Value) -> Value {
        let body = serde_json::to_vec(&json!({ "Response": answer })).unwrap();
        let out = rewrite(&fault, body, "other-request");
        serde_json::from_slice::<Value>(&out).unwrap()["Response"].clone()
    }

    fn answer() -> Value {
        json!({
            "TotalCount": 1,
            "InstanceSet": [{
                "InstanceId": "ins-00000001",
                "InstanceState": "SHUTDOWN",
                "InstanceChargeType": "PREPAID",
                "LatestOperation": "TerminateInstances",
                "LatestOperationState": "SUCCESS",
                "LatestOperationRequestId": "mine"
            }],
            "RequestId": "r"
        })
    }

    #[test]
    fn each_read_fault_rewrites_as_documented() {
        let dup = run(Fault::DuplicateEntry, answer());
        let set = dup["InstanceSet"].as_array().unwrap();
        assert_eq!(set.len(), 2);
        assert_eq!(set[0]["InstanceState"], "SHUTDOWN");
        assert_eq!(set[1]["InstanceState"], "RUNNING");
        assert_eq!(set[1]["InstanceId"], "ins-00000001");
        assert_eq!(dup["TotalCount"], 1);

        let field = |change| {
            run(
                Fault::Field {
                    field: "InstanceChargeType".into(),
                    change,
                },
                answer(),
            )["InstanceSet"][0]
                .clone()
        };
        assert!(field(FieldChange::Null)["InstanceChargeType"].is_null());
        assert_eq!(field(FieldChange::Empty)["InstanceChargeType"], "");
        assert!(field(FieldChange::Missing)
            .as_object()
            .unwrap()
            .get("InstanceChargeType")
            .is_none());
        assert_eq!(
            field(FieldChange::Lowercase)["InstanceChargeType"],
            "prepaid"
        );
        assert_eq!(
            field(FieldChange::Value("UNDERWRITE".into()))["InstanceChargeType"],
            "UNDERWRITE"
        );

        let total = run(Fault::TotalCount(7), answer());
        assert_eq!(total["TotalCount"], 7);
        assert_eq!(total["InstanceSet"].as_array().unwrap().len(), 1);

        let dropped = run(Fault::DropEntries, answer());
        assert_eq!(dropped["TotalCount"], 1);
        assert_eq!(dropped["InstanceSet"], json!([]));

        let extra = run(Fault::ExtraEntry("ins-notasked".into()), answer());
        assert_eq!(extra["InstanceSet"][1]["InstanceId"], "ins-notasked");
        assert_eq!(extra["InstanceSet"][1]["InstanceState"], "RUNNING");

        let failed = run(Fault::LatestOperationFailed, answer());
        let entry = &failed["InstanceSet"][0];
        assert_eq!(entry["InstanceState"], "RUNNING");
        assert_eq!(entry["LatestOperationState"], "FAILED");
        assert_eq!(entry["LatestOperationRequestId"], "other-request");
        assert_eq!(failed["RequestId"], "r");
    }

    #[test]
    fn status_sets_too_and_other_answers_untouched() {
        let status = json!({"TotalCount": 1, "InstanceStatusSet": [
            {"InstanceId": "ins-00000001", "InstanceState": "RUNNING"}], "RequestId": "r"});
        let lower = run(
            Fault::Field {
                field: "InstanceState".into(),
                change: FieldChange::Lowercase,
            },
            status.clone(),
        );
        assert_eq!(lower["InstanceStatusSet"][0]["InstanceState"], "running");
        let dup = run(Fault::DuplicateEntry, status);
        assert_eq!(dup["InstanceStatusSet"][1]["InstanceState"], "SHUTDOWN");
        let plain = json!({"RequestId": "r"});
        assert_eq!(run(Fault::DropEntries, plain.clone()), plain);
        assert_eq!(run(Fault::TotalCount(3), plain.clone()), plain);
        assert_eq!(
            rewrite(&Fault::DropEntries, b"not json".to_vec(), "x"),
            b"not json"
        );
    }
}
