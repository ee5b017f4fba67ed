//! `TerminateInstances` parameters: read from a JSON body, or from form fields
//! (`InstanceIds.0=...`) in a GET query or an `application/x-www-form-urlencoded` body.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::api_error::ApiError;
use crate::instance::is_valid_instance_id;

/// At most this many IDs per request.
pub const MAX_INSTANCE_IDS: usize = 100;

/// The request's parameters, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pub(crate) instance_ids: Vec<String>,
    pub(crate) release_prepaid_data_disks: Option<bool>,
    pub(crate) release_address: Option<bool>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameter", message)
}

fn unknown(name: &str) -> ApiError {
    let shown: String = name.chars().take(64).collect();
    ApiError::new(
        "UnknownParameter",
        format!("The parameter `{shown}` is not recognized by TerminateInstances."),
    )
}

/// Parses a JSON body. An empty body is an empty object.
pub(crate) fn from_json(body: &[u8]) -> Result<Params, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::default());
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| invalid(format!("The request body is not valid JSON: {e}.")))?;
    let Value::Object(map) = value else {
        return Err(invalid("The request body must be a JSON object."));
    };
    let mut params = Params::default();
    for (key, value) in map {
        match key.as_str() {
            "InstanceIds" => params.instance_ids = json_ids(value)?,
            "ReleasePrepaidDataDisks" => {
                params.release_prepaid_data_disks = json_bool(&key, value)?
            }
            "ReleaseAddress" => params.release_address = json_bool(&key, value)?,
            other => return Err(unknown(other)),
        }
    }
    Ok(params)
}

fn json_ids(value: Value) -> Result<Vec<String>, ApiError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                _ => Err(invalid("Every element of `InstanceIds` must be a string.")),
            })
            .collect(),
        _ => Err(invalid(
            "The parameter `InstanceIds` must be an array of strings.",
        )),
    }
}

fn json_bool(name: &str, value: Value) -> Result<Option<bool>, ApiError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        _ => Err(invalid(format!(
            "The parameter `{name}` must be a boolean."
        ))),
    }
}

/// Parses form fields (`a=b&c=d`, percent-encoded; `+` is a space).
pub(crate) fn from_form(text: &[u8]) -> Result<Params, ApiError> {
    let mut ids: BTreeMap<usize, String> = BTreeMap::new();
    let mut params = Params::default();
    for pair in text.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let key = decode(raw_key)?;
        let value = decode(raw_value)?;
        if let Some(index) = key.strip_prefix("InstanceIds.") {
            let index: usize = index
                .parse()
                .ok()
                .filter(|i| *i < 10 * MAX_INSTANCE_IDS)
                .ok_or_else(|| unknown(&key))?;
            if ids.insert(index, value).is_some() {
                return Err(invalid(format!("The parameter `{key}` is given twice.")));
            }
        } else if key == "ReleasePrepaidDataDisks" {
            params.release_prepaid_data_disks = Some(form_bool(&key, &value)?);
        } else if key == "ReleaseAddress" {
            params.release_address = Some(form_bool(&key, &value)?);
        } else {
            return Err(unknown(&key));
        }
    }
    params.instance_ids = ids.into_values().collect();
    Ok(params)
}

fn form_bool(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(format!(
            "The parameter `{name}` must be `true` or `false`."
        ))),
    }
}

fn decode(raw: &[u8]) -> Result<String, ApiError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| invalid("The form data contains a malformed percent escape."))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| invalid("The form data is not valid UTF-8."))
}

/// Checks count, form and uniqueness of the IDs, in the order the service reports them.
///
/// Duplicated IDs are refused with `InvalidParameterValue`: a request names each
/// instance once.
pub(crate) fn validate(params: &Params) -> Result<(), ApiError> {
    let ids = &params.instance_ids;
    if ids.is_empty() {
        return Err(ApiError::new(
            "MissingParameter",
            "The request is missing the required parameter `InstanceIds`.",
        ));
    }
    if ids.len() > MAX_INSTANCE_IDS {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            format!(
                "The parameter `InstanceIds` has {} elements; at most {MAX_INSTANCE_IDS} are allowed.",
                ids.len()
            ),
        ));
    }
    if let Some(bad) = ids.iter().find(|id| !is_valid_instance_id(id)) {
        let shown: String = bad.chars().take(64).collect();
        return Err(ApiError::new(
            "InvalidInstanceId.Malformed",
            format!(
                "The instance ID `{}` is malformed: expected `ins-` followed by 8 lowercase letters or digits.",
                shown.escape_default()
            ),
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    if let Some(dup) = ids.iter().find(|id| !seen.insert(id.as_str())) {
        return Err(ApiError::new(
            "InvalidParameterValue",
            format!("The instance ID `{dup}` appears more than once in `InstanceIds`."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes() {
        let p = from_json(br#"{"InstanceIds":["ins-00000001"],"ReleaseAddress":true}"#).unwrap();
        assert_eq!(p.instance_ids, ["ins-00000001"]);
        assert_eq!(p.release_address, Some(true));
        assert_eq!(from_json(b"").unwrap(), Params::default());
        for (body, code) in [
            (
                &br#"{"InstanceIds":"ins-00000001"}"#[..],
                "InvalidParameter",
            ),
            (br#"{"InstanceIds":[1]}"#, "InvalidParameter"),
            (br#"{"ReleaseAddress":"yes"}"#, "InvalidParameter"),
            (br#"[]"#, "InvalidParameter"),
            (br#"{"InstanceIds":["#, "InvalidParameter"),
            (b"\xff\xfe", "InvalidParameter"),
            (br#"{"Bogus":1}"#, "UnknownParameter"),
        ] {
            assert_eq!(from_json(body).unwrap_err().code(), code, "{body:?}");
        }
    }

    #[test]
    fn deep_json_does_not_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            from_json(deep.as_bytes()).unwrap_err().code(),
            "InvalidParameter"
        );
    }

    #[test]
    fn form_fields() {
        let p = from_form(
            b"InstanceIds.1=ins-00000002&InstanceIds.0=ins-0000000%31&ReleaseAddress=false",
        )
        .unwrap();
        assert_eq!(p.instance_ids, ["ins-00000001", "ins-00000002"]);
        assert_eq!(p.release_address, Some(false));
        assert_eq!(from_form(b"X=1").unwrap_err().code(), "UnknownParameter");
        assert_eq!(
            from_form(b"InstanceIds.0=%zz").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(
            from_form(b"InstanceIds.0=%").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(
            from_form(b"InstanceIds.99999999999999999999=a")
                .unwrap_err()
                .code(),
            "UnknownParameter"
        );
    }

    #[test]
    fn validation_order() {
        let p = |ids: Vec<String>| Params {
            instance_ids: ids,
            ..Params::default()
        };
        assert_eq!(validate(&p(vec![])).unwrap_err().code(), "MissingParameter");
        let many: Vec<String> = (0..101).map(|i| format!("x{i}")).collect();
        assert_eq!(
            validate(&p(many)).unwrap_err().code(),
            "InvalidParameterValue.LimitExceeded"
        );
        assert_eq!(
            validate(&p(vec!["ins-1".into()])).unwrap_err().code(),
            "InvalidInstanceId.Malformed"
        );
        assert_eq!(
            validate(&p(vec!["ins-00000001".into(), "ins-00000001".into()]))
                .unwrap_err()
                .code(),
            "InvalidParameterValue"
        );
        validate(&p(vec!["ins-00000001".into()])).unwrap();
    }
}
