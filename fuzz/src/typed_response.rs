//! The shared body of the typed-answer targets: `parse_response_as::<T>` on arbitrary
//! responses, checked against `parse_response` (same classification for everything
//! that is not a success) and against the JSON itself (every field read as written).

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tencentcloud_cvm_core::response::ResponseError;
use tencentcloud_cvm_core::response::{parse_response, parse_response_as};
use tencentcloud_cvm_core::Amount;

/// Parses the response `data` describes (the `response_parser` format) as `T` and
/// checks:
/// * anything `parse_response` refuses, `parse_response_as` refuses with the same error;
/// * a success envelope gives `T` or `WrongType`, never another error;
/// * a `T` agrees with the body's `Response` object, as `check` judges it.
pub(crate) fn typed_response<T: DeserializeOwned + Debug>(
    data: &[u8],
    check: impl FnOnce(&T, &Value),
) {
    let (response, max_body) = crate::response::build(data);
    let plain = parse_response(&response, max_body);
    let typed = parse_response_as::<T>(&response, max_body);
    match (plain, &typed) {
        (Err(p), Err(t)) => assert_eq!(&p, t, "classified differently"),
        (Err(p), Ok(t)) => panic!("{p:?} read as a success: {t:?}"),
        (Ok(_), Err(ResponseError::WrongType { detail })) => assert!(!detail.is_empty()),
        (Ok(_), Err(e)) => panic!("a success envelope read as {e:?}"),
        (Ok(success), Ok(t)) => {
            if let Some(value) = crate::response::json(response.body()) {
                let inner = &value["Response"];
                assert_eq!(
                    inner["RequestId"].as_str(),
                    Some(success.request_id.as_str())
                );
                check(t, inner);
            }
        }
    }
    match &typed {
        Ok(t) => drop(format!("{t:?}")),
        Err(e) => drop(format!("{e} {e:?}")),
    }
}

/// A string field as the JSON has it: `None` for `null` or absent.
pub(crate) fn text<'v>(object: &'v Value, name: &str) -> Option<&'v str> {
    let v = &object[name];
    assert!(v.is_null() || v.is_string(), "{name} read from {v}");
    v.as_str()
}

/// Checks that an amount read from `value` (a number, a string holding one, or
/// `null`) is that value: digit for digit for strings, to the last bit of an `f64`
/// for numbers (serde_json's `Value` only keeps an `f64`).
pub(crate) fn check_amount(amount: Option<&Amount>, value: &Value) {
    let Some(amount) = amount else {
        assert!(value.is_null(), "no amount read from {value}");
        return;
    };
    let shown = amount.to_string();
    assert_eq!(Amount::parse(&shown).as_ref(), Ok(amount), "{shown}");
    match value {
        Value::String(s) => assert_eq!(Amount::parse(s).as_ref(), Ok(amount), "{s}"),
        Value::Number(n) => {
            let expected = n
                .as_f64()
                .expect("serde_json numbers are f64-representable");
            let got: f64 = shown.parse().expect("an amount is a float literal");
            let tolerance = expected.abs() * 4.0 * f64::EPSILON;
            assert!((got - expected).abs() <= tolerance, "{shown} vs {n}");
        }
        other => panic!("an amount read from {other}"),
    }
}
