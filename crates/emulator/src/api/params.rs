//! An action's parameters, read from a JSON body, or from form fields
//! (`InstanceIds.0=...&Limit=20`) in a GET query or an `application/x-www-form-urlencoded`
//! body. Each action then takes the fields it knows, with their types.

use std::collections::BTreeMap;

use http::{Method, Request};
use serde_json::Value;
use tencentcloud_cvm_core::InstanceIdList;

use crate::api::auth::shown;
use crate::api::error::ApiError;

/// The highest `Name.N` index a form field may have (ten times the 100-ID limit, so
/// that "too many IDs" is reported as such, not as an unknown parameter).
const MAX_FORM_INDEX: usize = 10 * InstanceIdList::MAX;

#[derive(Clone, Debug, PartialEq)]
enum Field {
    Json(Value),
    Form(String),
    FormList(BTreeMap<usize, String>),
}

/// The request's parameters, by name, before any action looked at them.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Params {
    fields: BTreeMap<String, Field>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameter", message)
}

impl Params {
    /// Reads the parameters of `request`: the query of a GET, else the body as its
    /// `Content-Type` says (JSON, or form fields).
    pub(crate) fn read(request: &Request<Vec<u8>>) -> Result<Params, ApiError> {
        if request.method() == Method::GET {
            return Params::from_form(request.uri().query().unwrap_or("").as_bytes());
        }
        let content_type = request
            .headers()
            .get("content-type")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media_type.as_str() {
            "application/json" => Params::from_json(request.body()),
            "application/x-www-form-urlencoded" => Params::from_form(request.body()),
            _ => Err(invalid(format!(
                "The Content-Type `{}` is not supported; use application/json.",
                shown(&content_type)
            ))),
        }
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
        Ok(Params {
            fields: map.into_iter().map(|(k, v)| (k, Field::Json(v))).collect(),
        })
    }

    /// Parses form fields (`a=b&c=d`, percent-encoded; `+` is a space). `Name.N` fields
    /// make up the list `Name`.
    pub(crate) fn from_form(text: &[u8]) -> Result<Params, ApiError> {
        let mut fields: BTreeMap<String, Field> = BTreeMap::new();
        for pair in text.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let key = decode(raw_key)?;
            let value = decode(raw_value)?;
            let twice = || invalid(format!("The parameter `{}` is given twice.", shown(&key)));
            let listed = key.rsplit_once('.').and_then(|(name, index)| {
                let index = index.parse::<usize>().ok()?;
                Some((name.to_owned(), index))
            });
            match listed {
                Some((name, index)) => {
                    if index >= MAX_FORM_INDEX {
                        // Kept as a field of its own name: no action knows it.
                        fields.insert(key.clone(), Field::Form(value));
                        continue;
                    }
                    let entry = fields
                        .entry(name)
                        .or_insert_with(|| Field::FormList(BTreeMap::new()));
                    match entry {
                        Field::FormList(list) if !list.contains_key(&index) => {
                            list.insert(index, value);
                        }
                        _ => return Err(twice()),
                    }
                }
                None => {
                    if fields.insert(key.clone(), Field::Form(value)).is_some() {
                        return Err(twice());
                    }
                }
            }
        }
        Ok(Params { fields })
    }

    /// Refuses the first parameter (in name order) that `action` does not take. A form
    /// field of a list of structures (`Filters.0.Name`) is its list's parameter.
    pub(crate) fn only(&self, action: &str, known: &[&str]) -> Result<(), ApiError> {
        let parameter = |key: &String, field: &Field| match field {
            Field::Json(_) => key.clone(),
            _ if key.matches('.').count() >= 2 => {
                key.split('.').next().unwrap_or_default().to_owned()
            }
            _ => key.clone(),
        };
        let unknown = self
            .fields
            .iter()
            .find(|(k, f)| !known.contains(&parameter(k, f).as_str()))
            .map(|(k, _)| k);
        match unknown {
            Some(name) => Err(ApiError::new(
                "UnknownParameter",
                format!(
                    "The parameter `{}` is not recognized by {action}.",
                    name.chars().take(64).collect::<String>().escape_default()
                ),
            )),
            None => Ok(()),
        }
    }

    /// A list of strings (absent or `null`: empty).
    pub(crate) fn strings(&self, name: &str) -> Result<Vec<String>, ApiError> {
        match self.fields.get(name) {
            None | Some(Field::Json(Value::Null)) => Ok(Vec::new()),
            Some(Field::Json(Value::Array(items))) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(invalid(format!(
                        "Every element of `{name}` must be a string."
                    ))),
                })
                .collect(),
            Some(Field::FormList(list)) => Ok(list.values().cloned().collect()),
            Some(_) => Err(invalid(format!(
                "The parameter `{name}` must be an array of strings."
            ))),
        }
    }

    /// A list of `{"Name": …, "Values": […]}` structures, such as DescribeInstances'
    /// `Filters` (absent or `null`: empty): from JSON, or from the form fields
    /// `Filters.N.Name` and `Filters.N.Values.M`, in the order of `N`.
    pub(crate) fn name_values(&self, name: &str) -> Result<Vec<(String, Vec<String>)>, ApiError> {
        match self.fields.get(name) {
            None | Some(Field::Json(Value::Null)) => {}
            Some(Field::Json(Value::Array(items))) => {
                return items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| json_name_values(name, i, item))
                    .collect();
            }
            Some(_) => {
                return Err(invalid(format!(
                    "The parameter `{name}` must be an array of {{\"Name\", \"Values\"}} objects."
                )))
            }
        }
        let prefix = format!("{name}.");
        let mut by_index: BTreeMap<usize, (Option<String>, Option<Vec<String>>)> = BTreeMap::new();
        for (key, field) in self.fields.range(prefix.clone()..) {
            let Some(rest) = key.strip_prefix(&prefix) else {
                break;
            };
            let unknown = || {
                ApiError::new(
                    "UnknownParameter",
                    format!(
                        "The parameter `{}` is not recognized.",
                        key.chars().take(64).collect::<String>().escape_default()
                    ),
                )
            };
            let (index, member) = rest.split_once('.').ok_or_else(unknown)?;
            let index = index
                .parse::<usize>()
                .ok()
                .filter(|i| *i < MAX_FORM_INDEX)
                .ok_or_else(unknown)?;
            let entry = by_index.entry(index).or_default();
            match (member, field) {
                ("Name", Field::Form(text)) => entry.0 = Some(text.clone()),
                ("Values", Field::FormList(list)) => {
                    entry.1 = Some(list.values().cloned().collect())
                }
                _ => return Err(unknown()),
            }
        }
        by_index
            .into_iter()
            .map(|(i, (n, v))| match (n, v) {
                (Some(n), Some(v)) => Ok((n, v)),
                (None, _) => Err(missing(&format!("{name}.{i}.Name"))),
                (_, None) => Err(missing(&format!("{name}.{i}.Values"))),
            })
            .collect()
    }

    /// A boolean (absent or `null`: `None`).
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.fields.get(name) {
            None | Some(Field::Json(Value::Null)) => Ok(None),
            Some(Field::Json(Value::Bool(b))) => Ok(Some(*b)),
            Some(Field::Form(text)) if text == "true" => Ok(Some(true)),
            Some(Field::Form(text)) if text == "false" => Ok(Some(false)),
            Some(_) => Err(invalid(format!(
                "The parameter `{name}` must be a boolean."
            ))),
        }
    }

    /// A non-negative integer (absent or `null`: `None`).
    pub(crate) fn integer(&self, name: &str) -> Result<Option<u64>, ApiError> {
        let wrong = || {
            invalid(format!(
                "The parameter `{name}` must be a non-negative integer."
            ))
        };
        match self.fields.get(name) {
            None | Some(Field::Json(Value::Null)) => Ok(None),
            Some(Field::Json(Value::Number(n))) => n.as_u64().map(Some).ok_or_else(wrong),
            Some(Field::Form(text)) if !text.starts_with('+') => {
                text.parse().map(Some).map_err(|_| wrong())
            }
            Some(_) => Err(wrong()),
        }
    }
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        "MissingParameter",
        format!("The request is missing the parameter `{name}`."),
    )
}

/// One `{"Name": …, "Values": […]}` of the list `list`, at `index`.
fn json_name_values(
    list: &str,
    index: usize,
    item: &Value,
) -> Result<(String, Vec<String>), ApiError> {
    let Value::Object(map) = item else {
        return Err(invalid(format!(
            "Every element of `{list}` must be a {{\"Name\", \"Values\"}} object."
        )));
    };
    if let Some(other) = map.keys().find(|k| *k != "Name" && *k != "Values") {
        return Err(ApiError::new(
            "UnknownParameter",
            format!(
                "The parameter `{list}.{index}.{}` is not recognized.",
                other.chars().take(64).collect::<String>().escape_default()
            ),
        ));
    }
    let name = match map.get("Name") {
        None | Some(Value::Null) => return Err(missing(&format!("{list}.{index}.Name"))),
        Some(Value::String(name)) => name.clone(),
        Some(_) => {
            return Err(invalid(format!(
                "The parameter `{list}.{index}.Name` must be a string."
            )))
        }
    };
    let values = match map.get("Values") {
        None | Some(Value::Null) => return Err(missing(&format!("{list}.{index}.Values"))),
        Some(Value::Array(values)) => values
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(invalid(format!(
                    "Every element of `{list}.{index}.Values` must be a string."
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => {
            return Err(invalid(format!(
                "The parameter `{list}.{index}.Values` must be an array of strings."
            )))
        }
    };
    Ok((name, values))
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

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["InstanceIds", "ReleaseAddress", "Offset"];

    #[test]
    fn json_shapes() {
        let p = Params::from_json(
            br#"{"InstanceIds":["ins-00000001"],"ReleaseAddress":true,"Offset":7}"#,
        )
        .unwrap();
        p.only("X", KNOWN).unwrap();
        assert_eq!(p.strings("InstanceIds").unwrap(), ["ins-00000001"]);
        assert_eq!(p.boolean("ReleaseAddress").unwrap(), Some(true));
        assert_eq!(p.integer("Offset").unwrap(), Some(7));
        assert_eq!(p.integer("Limit").unwrap(), None);
        assert_eq!(Params::from_json(b"").unwrap(), Params::default());
        let null_ids = Params::from_json(br#"{"InstanceIds":null}"#).unwrap();
        assert!(null_ids.strings("InstanceIds").unwrap().is_empty());
        for (body, code) in [
            (&br#"["#[..], "InvalidParameter"),
            (br#"[]"#, "InvalidParameter"),
            (b"\xff\xfe", "InvalidParameter"),
        ] {
            assert_eq!(
                Params::from_json(body).unwrap_err().code(),
                code,
                "{body:?}"
            );
        }
        let p = Params::from_json(
            br#"{"InstanceIds":"ins-00000001","ReleaseAddress":"yes","Offset":-1,"Limit":1.5,"Ids":[1]}"#,
        )
        .unwrap();
        assert_eq!(
            p.strings("InstanceIds").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(p.strings("Ids").unwrap_err().code(), "InvalidParameter");
        assert_eq!(
            p.boolean("ReleaseAddress").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(p.integer("Offset").unwrap_err().code(), "InvalidParameter");
        assert_eq!(p.integer("Limit").unwrap_err().code(), "InvalidParameter");
        let e = p.only("DescribeInstances", KNOWN).unwrap_err();
        assert_eq!(e.code(), "UnknownParameter");
        assert!(e.message().contains("`Ids`") && e.message().contains("DescribeInstances"));
    }

    #[test]
    fn name_values_from_json_and_form() {
        const FILTERS: &[&str] = &["Filters", "Limit"];
        let json = Params::from_json(
            br#"{"Filters":[{"Name":"zone","Values":["ap-guangzhou-6"]},{"Name":"tag:team","Values":["ci","web"]}]}"#,
        )
        .unwrap();
        json.only("DescribeInstances", FILTERS).unwrap();
        let expected = vec![
            ("zone".to_owned(), vec!["ap-guangzhou-6".to_owned()]),
            (
                "tag:team".to_owned(),
                vec!["ci".to_owned(), "web".to_owned()],
            ),
        ];
        assert_eq!(json.name_values("Filters").unwrap(), expected);
        let form = Params::from_form(
            b"Filters.1.Values.1=web&Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-6&Filters.1.Name=tag%3Ateam&Filters.1.Values.0=ci&Limit=5",
        )
        .unwrap();
        form.only("DescribeInstances", FILTERS).unwrap();
        assert_eq!(form.name_values("Filters").unwrap(), expected);
        assert!(Params::default().name_values("Filters").unwrap().is_empty());
        for (body, code) in [
            (&br#"{"Filters":{"Name":"zone"}}"#[..], "InvalidParameter"),
            (br#"{"Filters":["zone"]}"#, "InvalidParameter"),
            (br#"{"Filters":[{"Values":["a"]}]}"#, "MissingParameter"),
            (br#"{"Filters":[{"Name":"zone"}]}"#, "MissingParameter"),
            (
                br#"{"Filters":[{"Name":1,"Values":["a"]}]}"#,
                "InvalidParameter",
            ),
            (
                br#"{"Filters":[{"Name":"zone","Values":"a"}]}"#,
                "InvalidParameter",
            ),
            (
                br#"{"Filters":[{"Name":"zone","Values":[1]}]}"#,
                "InvalidParameter",
            ),
            (
                br#"{"Filters":[{"Name":"zone","Values":["a"],"Op":"eq"}]}"#,
                "UnknownParameter",
            ),
        ] {
            let p = Params::from_json(body).unwrap();
            assert_eq!(
                p.name_values("Filters").unwrap_err().code(),
                code,
                "{body:?}"
            );
        }
        for (form, code) in [
            (&b"Filters.0.Name=zone"[..], "MissingParameter"),
            (b"Filters.0.Values.0=a", "MissingParameter"),
            (b"Filters.0.Op=eq&Filters.0.Name=zone", "UnknownParameter"),
            (b"Filters.x.Name=zone", "UnknownParameter"),
            (b"Filters.0.Name.1=zone", "UnknownParameter"),
        ] {
            let p = Params::from_form(form).unwrap();
            assert_eq!(
                p.name_values("Filters").unwrap_err().code(),
                code,
                "{form:?}"
            );
        }
        // A list-of-structures field names its list; others do not.
        let p = Params::from_form(b"Other.0.Name=x").unwrap();
        assert_eq!(p.only("X", FILTERS).unwrap_err().code(), "UnknownParameter");
        let p = Params::from_json(br#"{"Filters.0.Name":"zone"}"#).unwrap();
        assert_eq!(p.only("X", FILTERS).unwrap_err().code(), "UnknownParameter");
    }

    #[test]
    fn deep_json_does_not_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            Params::from_json(deep.as_bytes()).unwrap_err().code(),
            "InvalidParameter"
        );
    }

    #[test]
    fn form_fields() {
        let p = Params::from_form(
            b"InstanceIds.1=ins-00000002&InstanceIds.0=ins-0000000%31&ReleaseAddress=false&Offset=20",
        )
        .unwrap();
        p.only("X", KNOWN).unwrap();
        assert_eq!(
            p.strings("InstanceIds").unwrap(),
            ["ins-00000001", "ins-00000002"]
        );
        assert_eq!(p.boolean("ReleaseAddress").unwrap(), Some(false));
        assert_eq!(p.integer("Offset").unwrap(), Some(20));
        assert_eq!(
            Params::from_form(b"X=1")
                .unwrap()
                .only("X", KNOWN)
                .unwrap_err()
                .code(),
            "UnknownParameter"
        );
        for bad in [
            &b"InstanceIds.0=%zz"[..],
            b"InstanceIds.0=%",
            b"InstanceIds.0=a&InstanceIds.0=b",
            b"Offset=1&Offset=2",
            b"Offset=1&Offset.0=2",
        ] {
            assert_eq!(
                Params::from_form(bad).unwrap_err().code(),
                "InvalidParameter",
                "{bad:?}"
            );
        }
        let huge = Params::from_form(b"InstanceIds.99999999999999999999=a").unwrap();
        assert_eq!(
            huge.only("X", KNOWN).unwrap_err().code(),
            "UnknownParameter"
        );
        let far = Params::from_form(b"InstanceIds.1000=a").unwrap();
        assert_eq!(far.only("X", KNOWN).unwrap_err().code(), "UnknownParameter");
        let typed = Params::from_form(b"Offset=-1&ReleaseAddress=1&InstanceIds=x").unwrap();
        assert_eq!(
            typed.integer("Offset").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(
            typed.boolean("ReleaseAddress").unwrap_err().code(),
            "InvalidParameter"
        );
        assert_eq!(
            typed.strings("InstanceIds").unwrap_err().code(),
            "InvalidParameter"
        );
    }
}
