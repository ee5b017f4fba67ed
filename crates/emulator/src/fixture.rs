//! Instance fixtures: a JSON list of instances to start the emulator with.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::instance::{ChargeType, InstanceState, InstanceView};

/// A list of instances read from JSON, in the field names `DescribeInstances` uses.
///
/// The document is either a list or an object with an `Instances` list. Only `InstanceId`
/// is required; `InstanceState` defaults to `RUNNING`, `InstanceChargeType` to
/// `POSTPAID_BY_HOUR` and `DisableApiTermination` (termination protection) to `false`.
/// Unknown fields are rejected, so a typo cannot silently change a test.
///
/// ```
/// use tencentcloud_cvm_emulator::{ChargeType, Fixture, InstanceState};
/// let fixture = Fixture::from_json(r#"{"Instances": [
///     {"InstanceId": "ins-00000001"},
///     {"InstanceId": "ins-00000002", "InstanceState": "STOPPED",
///      "InstanceChargeType": "PREPAID", "DisableApiTermination": true}
/// ]}"#)?;
/// let second = &fixture.instances()[1];
/// assert_eq!(second.state, InstanceState::Stopped);
/// assert_eq!(second.charge_type, ChargeType::Prepaid);
/// assert!(second.termination_protection);
/// # Ok::<(), tencentcloud_cvm_emulator::FixtureError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fixture {
    instances: Vec<InstanceView>,
}

/// Why a fixture could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum FixtureError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The JSON is malformed or does not describe instances.
    Json(serde_json::Error),
    /// A state or charge type is unknown.
    Value(String),
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixtureError::Io(_) => f.write_str("cannot read the fixture file"),
            FixtureError::Json(_) => {
                f.write_str("the fixture is not valid JSON describing instances")
            }
            FixtureError::Value(e) => write!(f, "invalid fixture value: {e}"),
        }
    }
}

impl std::error::Error for FixtureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FixtureError::Io(e) => Some(e),
            FixtureError::Json(e) => Some(e),
            FixtureError::Value(_) => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Document {
    List(Vec<Entry>),
    Object(Wrapper),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapper {
    #[serde(rename = "Instances")]
    instances: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(rename = "InstanceId")]
    id: String,
    #[serde(rename = "InstanceState", default)]
    state: Option<String>,
    #[serde(rename = "InstanceChargeType", default)]
    charge_type: Option<String>,
    #[serde(rename = "DisableApiTermination", default)]
    protected: bool,
}

impl Fixture {
    /// Parses a fixture document.
    pub fn from_json(text: &str) -> Result<Self, FixtureError> {
        let entries = match serde_json::from_str::<Document>(text).map_err(FixtureError::Json)? {
            Document::List(entries) | Document::Object(Wrapper { instances: entries }) => entries,
        };
        let mut instances = Vec::with_capacity(entries.len());
        for e in entries {
            let mut view = InstanceView::new(e.id).with_termination_protection(e.protected);
            if let Some(s) = e.state {
                view.state = s
                    .parse::<InstanceState>()
                    .map_err(|err| FixtureError::Value(err.to_string()))?;
            }
            if let Some(c) = e.charge_type {
                view.charge_type = c
                    .parse::<ChargeType>()
                    .map_err(|err| FixtureError::Value(err.to_string()))?;
            }
            instances.push(view);
        }
        Ok(Fixture { instances })
    }

    /// Reads and parses a fixture file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(FixtureError::Io)?;
        Self::from_json(&text)
    }

    /// The instances, in file order. IDs are checked when the emulator is built.
    pub fn instances(&self) -> &[InstanceView] {
        &self.instances
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_list_with_defaults() {
        let f = Fixture::from_json(r#"[{"InstanceId":"ins-aaaaaaaa"}]"#).unwrap();
        assert_eq!(f.instances(), &[InstanceView::new("ins-aaaaaaaa")]);
    }

    #[test]
    fn rejects_unknown_values_and_fields() {
        assert!(matches!(
            Fixture::from_json(r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"ON"}]"#),
            Err(FixtureError::Value(_))
        ));
        assert!(matches!(
            Fixture::from_json(r#"[{"InstanceId":"ins-aaaaaaaa","Protected":true}]"#),
            Err(FixtureError::Json(_))
        ));
        assert!(Fixture::from_json("{").is_err());
        assert!(Fixture::load("/nonexistent/fixture.json").is_err());
    }
}
