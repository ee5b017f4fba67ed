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

    /// Refuses the first parameter (in name order) that `action` does not take.
    pub(crate) fn only(&self, action: &str, known: &[&str]) -> Result<(), ApiError> {
        match self.fields.keys().find(|k| !known.contains(&k.as_str())) {
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
