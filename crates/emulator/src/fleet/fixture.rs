//! Instance fixtures: a JSON list of instances to start the emulator with.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use tencentcloud_cvm_core::utc_time::parse_utc;
use tencentcloud_cvm_core::{Amount, ChargeType, InstanceState};

use crate::fleet::instance::InstanceView;

/// A list of instances read from JSON, in the field names `DescribeInstances` uses.
///
/// The document is either a list or an object with an `Instances` list. Only `InstanceId`
/// is required; `InstanceName` defaults to the ID, `InstanceState` to `RUNNING`,
/// `InstanceChargeType` to `POSTPAID_BY_HOUR` and `DisableApiTermination` (termination
/// protection) to `false`. Prepaid instances may have an `ExpiredTime`
/// (`YYYY-MM-DDThh:mm:ssZ`) and a `MonthlyPrice` (the emulator's own field: the price per
/// 30 days the refund is computed from, at most 2 decimals; 100 by default). Unknown
/// fields and values are rejected, so a typo cannot silently change a test.
///
/// ```
/// use tencentcloud_cvm_emulator::{ChargeType, Fixture, InstanceState};
/// let fixture = Fixture::from_json(r#"{"Instances": [
///     {"InstanceId": "ins-00000001", "InstanceName": "web-1"},
///     {"InstanceId": "ins-00000002", "InstanceState": "STOPPED",
///      "InstanceChargeType": "PREPAID", "DisableApiTermination": true,
///      "ExpiredTime": "2030-01-01T00:00:00Z", "MonthlyPrice": 45.5}
/// ]}"#)?;
/// let second = &fixture.instances()[1];
/// assert_eq!(second.state, InstanceState::Stopped);
/// assert_eq!(second.charge_type, ChargeType::Prepaid);
/// assert!(second.termination_protection);
/// assert_eq!(second.expired_time, Some(1_893_456_000));
/// assert_eq!(second.monthly_price_cents, 4_550);
/// assert_eq!(fixture.instances()[0].name, "web-1");
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
    /// A value is unknown or does not fit its instance (a state, a charge type, a time,
    /// a price).
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
    #[serde(rename = "InstanceName", default)]
    name: Option<String>,
    #[serde(rename = "InstanceState", default)]
    state: Option<String>,
    #[serde(rename = "InstanceChargeType", default)]
    charge_type: Option<String>,
    #[serde(rename = "DisableApiTermination", default)]
    protected: bool,
    #[serde(rename = "ExpiredTime", default)]
    expired_time: Option<String>,
    #[serde(rename = "MonthlyPrice", default)]
    monthly_price: Option<Amount>,
}

impl Entry {
    fn into_view(self) -> Result<InstanceView, FixtureError> {
        let bad = |what: String| FixtureError::Value(format!("{}: {what}", self.id));
        let mut view =
            InstanceView::new(self.id.clone()).with_termination_protection(self.protected);
        if let Some(name) = &self.name {
            view = view.with_name(name.clone());
        }
        if let Some(s) = &self.state {
            view = view.with_state(InstanceState::parse(s));
        }
        if let Some(c) = &self.charge_type {
            view = view.with_charge_type(ChargeType::parse(c));
        }
        // Escaping the whole text escapes only the value: the rest is plain words.
        if let Some(what) = view.unmodelled_value() {
            return Err(bad(format!("unknown {}", what.escape_default())));
        }
        let prepaid_only = |field: &str| bad(format!("{field} is for PREPAID instances only"));
        if let Some(t) = &self.expired_time {
            if !view.charge_type.is_prepaid() {
                return Err(prepaid_only("ExpiredTime"));
            }
            let at = parse_utc(t).ok_or_else(|| {
                bad(format!(
                    "ExpiredTime `{}` is not YYYY-MM-DDThh:mm:ssZ",
                    t.escape_default()
                ))
            })?;
            view = view.with_expired_time(at);
        }
        if let Some(price) = &self.monthly_price {
            if !view.charge_type.is_prepaid() {
                return Err(prepaid_only("MonthlyPrice"));
            }
            let cents = price
                .units_at_scale(2)
                .and_then(|c| u64::try_from(c).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "MonthlyPrice {price} is not a non-negative amount with at most 2 decimals"
                    ))
                })?;
            view = view.with_monthly_price_cents(cents);
        }
        Ok(view)
    }
}

impl Fixture {
    /// Parses a fixture document.
    pub fn from_json(text: &str) -> Result<Self, FixtureError> {
        // Told apart by their first character rather than by an untagged enum, which
        // would buffer the values and lose the exact text prices are read from.
        let entries = if text.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<Entry>>(text)
        } else {
            serde_json::from_str::<Wrapper>(text).map(|w| w.instances)
        }
        .map_err(FixtureError::Json)?;
        let instances = entries
            .into_iter()
            .map(Entry::into_view)
            .collect::<Result<_, _>>()?;
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
    fn unknown_values_are_named_escaped() {
        for (entry, expected) in [
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"O\nN"}]"#,
                "ins-aaaaaaaa: unknown instance state `O\\nN`",
            ),
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"ON","InstanceChargeType":"FREE"}]"#,
                "ins-aaaaaaaa: unknown instance state `ON`",
            ),
            (
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"FREE"}]"#,
                "ins-aaaaaaaa: unknown charge type `FREE`",
            ),
        ] {
            match Fixture::from_json(entry) {
                Err(FixtureError::Value(message)) => assert_eq!(message, expected),
                other => panic!("{entry}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_unknown_values_and_fields() {
        for bad in [
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceState":"ON"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"FREE"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","ExpiredTime":"2030-01-01T00:00:00Z"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","ExpiredTime":"2030-01-01"}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":1.005}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":-1}]"#,
            r#"[{"InstanceId":"ins-aaaaaaaa","MonthlyPrice":10}]"#,
        ] {
            let e = Fixture::from_json(bad).unwrap_err();
            assert!(matches!(e, FixtureError::Value(_)), "{bad}: {e}");
            assert!(e.to_string().contains("ins-aaaaaaaa"), "{e}");
        }
        assert!(matches!(
            Fixture::from_json(
                r#"[{"InstanceId":"ins-aaaaaaaa","InstanceChargeType":"PREPAID","MonthlyPrice":"x"}]"#
            ),
            Err(FixtureError::Json(_))
        ));
        assert!(matches!(
            Fixture::from_json(r#"[{"InstanceId":"ins-aaaaaaaa","Protected":true}]"#),
            Err(FixtureError::Json(_))
        ));
        assert!(Fixture::from_json("{").is_err());
        assert!(Fixture::load("/nonexistent/fixture.json").is_err());
    }
}
