//! `<profile>.configure`: [`parse_configure_file`].

use serde_json::Value;

use super::credential_file::{object, string, TccliFileError};

/// What this client reads from a `<profile>.configure` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TccliConfigure {
    /// `_sys_param.region`, when set and not empty.
    pub region: Option<String>,
    /// `sts.endpoint`, where tccli sends AssumeRole for a `role-arn` profile.
    pub sts_endpoint: Option<String>,
}

/// Reads a `<profile>.configure` file: `_sys_param.region` and `sts.endpoint`,
/// each a string when present (absent, null or empty: `None`). Everything else
/// (output format, the other services' endpoints and versions) is tccli's own
/// and not read.
///
/// ```
/// use tencentcloud_cvm_core::tccli_config::parse_configure_file;
/// let text = r#"{
///   "_sys_param": {"arrayCount": 10, "output": "json", "region": "ap-guangzhou", "warning": "off"},
///   "cvm": {"endpoint": "cvm.tencentcloudapi.com", "version": "2017-03-12"}
/// }"#;
/// assert_eq!(parse_configure_file(text)?.region.as_deref(), Some("ap-guangzhou"));
/// # Ok::<(), tencentcloud_cvm_core::tccli_config::TccliFileError>(())
/// ```
pub fn parse_configure_file(text: &str) -> Result<TccliConfigure, TccliFileError> {
    let map = object(text)?;
    let section = |name: &'static str| match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(TccliFileError::WrongType {
            key: name,
            expected: "an object",
        }),
    };
    let region = match section("_sys_param")? {
        None => None,
        Some(sys) => string(sys, "region").map_err(|_| TccliFileError::WrongType {
            key: "_sys_param.region",
            expected: "a string",
        })?,
    };
    let sts_endpoint = match section("sts")? {
        None => None,
        Some(sts) => string(sts, "endpoint").map_err(|_| TccliFileError::WrongType {
            key: "sts.endpoint",
            expected: "a string",
        })?,
    };
    Ok(TccliConfigure {
        region: region
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
        sts_endpoint: sts_endpoint
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn region_and_sts_endpoint() {
        let c = parse_configure_file(
            r#"{"_sys_param": {"region": "ap-shanghai"}, "sts": {"endpoint": "sts.tencentcloudapi.com", "version": "2018-08-13"}}"#,
        )
        .unwrap();
        assert_eq!(c.region.as_deref(), Some("ap-shanghai"));
        assert_eq!(c.sts_endpoint.as_deref(), Some("sts.tencentcloudapi.com"));
        assert_eq!(
            parse_configure_file("{}").unwrap(),
            TccliConfigure::default()
        );
        assert_eq!(
            parse_configure_file(r#"{"_sys_param": {"region": ""}}"#)
                .unwrap()
                .region,
            None
        );
        assert_eq!(
            parse_configure_file(r#"{"_sys_param": {"region": 3}}"#)
                .unwrap_err()
                .to_string(),
            "`_sys_param.region` is not a string"
        );
        assert_eq!(
            parse_configure_file(r#"{"_sys_param": []}"#)
                .unwrap_err()
                .to_string(),
            "`_sys_param` is not an object"
        );
        assert!(parse_configure_file("not json").is_err());
    }

    quickcheck! {
        fn never_panics(text: String) -> bool {
            let _ = parse_configure_file(&text);
            true
        }
    }
}
