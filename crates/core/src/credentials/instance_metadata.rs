//! The CVM instance metadata service's CAM role credentials: the two requests
//! and the parsing of their answers.
//!
//! ```text
//! GET {base}/latest/meta-data/cam/security-credentials/        → 200 "ops-role"   (404: no role bound)
//! GET {base}/latest/meta-data/cam/security-credentials/ops-role → 200 {"TmpSecretId": "…", "TmpSecretKey": "…",
//!     "Token": "…", "ExpiredTime": 1700007200, "Expiration": "2023-11-15T00:13:20Z", "Code": "Success"}
//! ```
//!
//! Sending them (with short timeouts: the service is on the instance's own
//! network) is the driver's job; what each answer means is [`CvmRole`]'s.

use http::Request;

pub use crate::credentials::cvm_role::{
    cvm_role_settings, CvmRole, MetadataAnswer, MetadataRequest, CVM_ROLE_SOURCE,
    MAX_METADATA_ANSWER, METADATA_CONNECT_TIMEOUT, METADATA_REQUEST_TIMEOUT,
};

use crate::credentials::credentials_answer::{
    object, shown, string, temporary_credentials, unix_time, CredentialsAnswerError,
};
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::http::endpoint::{CustomEndpoint, EndpointError};

/// Where the metadata service answers on a CVM.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com";

/// The path that lists the instance's CAM role, and under which each role's credentials are.
pub const SECURITY_CREDENTIALS_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// The longest role name CAM allows.
const MAX_ROLE_NAME: usize = 128;

/// The metadata service's base URL, e.g. `http://metadata.tencentyun.com`.
///
/// ```
/// use tencentcloud_cvm_core::instance_metadata::MetadataEndpoint;
/// let m = MetadataEndpoint::parse("http://127.0.0.1:8080/")?;
/// assert_eq!(m.url(), "http://127.0.0.1:8080");
/// let r = m.role_name_request()?;
/// assert_eq!(r.uri(), "http://127.0.0.1:8080/latest/meta-data/cam/security-credentials/");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataEndpoint {
    url: String,
}

impl Default for MetadataEndpoint {
    fn default() -> Self {
        MetadataEndpoint {
            url: DEFAULT_METADATA_ENDPOINT.to_owned(),
        }
    }
}

impl MetadataEndpoint {
    /// Parses `http://host[:port]` (or `https://`; a bare `host[:port]` means HTTPS,
    /// as for every endpoint, so give `http://` for the real service).
    pub fn parse(url: &str) -> Result<Self, EndpointError> {
        let parsed = CustomEndpoint::parse(url)?;
        Ok(MetadataEndpoint {
            url: format!("{}://{}", parsed.scheme().as_str(), parsed.authority()),
        })
    }

    /// The base URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `GET {base}/latest/meta-data/cam/security-credentials/`: the role's name.
    pub fn role_name_request(&self) -> Result<Request<Vec<u8>>, http::Error> {
        get(format!("{}{SECURITY_CREDENTIALS_PATH}", self.url))
    }

    /// `GET {base}/latest/meta-data/cam/security-credentials/{role}`: its credentials.
    pub fn role_credentials_request(
        &self,
        role: &RoleName,
    ) -> Result<Request<Vec<u8>>, http::Error> {
        get(format!("{}{SECURITY_CREDENTIALS_PATH}{}", self.url, role.0))
    }
}

fn get(url: String) -> Result<Request<Vec<u8>>, http::Error> {
    Request::get(url).body(Vec::new())
}

/// A CAM role name: 1 to 128 of ASCII letters, digits and `+=,.@_-` (what CAM
/// allows, and safe in a URL path).
///
/// ```
/// use tencentcloud_cvm_core::instance_metadata::RoleName;
/// assert_eq!(RoleName::new("ops-role")?.as_str(), "ops-role");
/// assert!(RoleName::new("../etc").is_err());
/// # Ok::<(), tencentcloud_cvm_core::CredentialsAnswerError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoleName(String);

impl RoleName {
    /// Checks a role name.
    pub fn new(name: &str) -> Result<Self, CredentialsAnswerError> {
        let problem = |problem| Err(CredentialsAnswerError::RoleName { problem });
        if name.is_empty() {
            return problem("is empty");
        }
        if name.len() > MAX_ROLE_NAME {
            return problem("is longer than 128 characters");
        }
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
        if !name.bytes().all(allowed) {
            return problem("may only hold ASCII letters, digits and `+=,.@_-`");
        }
        Ok(RoleName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads the role name from the answer to [`MetadataEndpoint::role_name_request`]:
/// its first non-blank line, trimmed.
///
/// ```
/// use tencentcloud_cvm_core::instance_metadata::parse_role_name;
/// assert_eq!(parse_role_name(b"ops-role\n")?.as_str(), "ops-role");
/// # Ok::<(), tencentcloud_cvm_core::CredentialsAnswerError>(())
/// ```
pub fn parse_role_name(body: &[u8]) -> Result<RoleName, CredentialsAnswerError> {
    let text = std::str::from_utf8(body).map_err(|_| CredentialsAnswerError::RoleName {
        problem: "is not UTF-8 text",
    })?;
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    RoleName::new(first.unwrap_or(""))
}

/// Reads the answer to [`MetadataEndpoint::role_credentials_request`]: `Code`
/// must be `Success`; `TmpSecretId`, `TmpSecretKey` and `Token` must pass
/// [`Credentials::validate`](crate::Credentials::validate); `ExpiredTime` (Unix seconds) is the
/// expiry. `Expiration`, the same instant as text, is not needed.
///
/// ```
/// use tencentcloud_cvm_core::instance_metadata::parse_role_credentials;
/// let body = br#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"k","Token":"t","ExpiredTime":1700007200,
///                 "Expiration":"2023-11-15T00:13:20Z","Code":"Success"}"#;
/// let temporary = parse_role_credentials(body)?;
/// assert_eq!(temporary.credentials().secret_id(), "AKIDtmp");
/// assert_eq!(temporary.expires_at(), 1_700_007_200);
/// # Ok::<(), tencentcloud_cvm_core::CredentialsAnswerError>(())
/// ```
pub fn parse_role_credentials(body: &[u8]) -> Result<TemporaryCredentials, CredentialsAnswerError> {
    let map = object(body)?;
    let code = string(&map, "Code")?;
    if code != "Success" {
        return Err(CredentialsAnswerError::NotSuccess { code: shown(code) });
    }
    let expires_at = unix_time(&map, "ExpiredTime")?;
    temporary_credentials(&map, expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    const GOOD: &str = r#"{"TmpSecretId":"AKIDtmp1","TmpSecretKey":"SENTINEL-KEY","Token":"SENTINEL-TOKEN","ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","Code":"Success"}"#;

    fn with(field: &str, value: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(GOOD).unwrap();
        v[field] = serde_json::from_str(value).unwrap();
        v.to_string()
    }

    fn err(body: &str) -> CredentialsAnswerError {
        let e = parse_role_credentials(body.as_bytes()).unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(!text.contains("SENTINEL"), "{text}");
        e
    }

    #[test]
    fn a_good_answer() {
        let t = parse_role_credentials(GOOD.as_bytes()).unwrap();
        let c = t.credentials();
        assert_eq!(c.secret_id(), "AKIDtmp1");
        assert_eq!(c.secret_key().expose(), "SENTINEL-KEY");
        assert_eq!(c.token().unwrap().expose(), "SENTINEL-TOKEN");
        assert_eq!(t.expires_at(), 1_700_007_200);
        let float = with("ExpiredTime", "1700007200.0");
        assert_eq!(
            parse_role_credentials(float.as_bytes())
                .unwrap()
                .expires_at(),
            1_700_007_200
        );
    }

    #[test]
    fn each_defect_is_named_without_its_value() {
        use CredentialsAnswerError::*;
        assert_eq!(err("not json SENTINEL"), NotJson { line: 1, column: 2 });
        assert_eq!(err("[1]"), NotJson { line: 0, column: 0 });
        assert_eq!(
            err(&with("Code", r#""Failed""#)),
            NotSuccess {
                code: "Failed".into()
            }
        );
        assert_eq!(err(&with("Code", "null")), Missing { field: "Code" });
        assert_eq!(err(&with("Token", "null")), Missing { field: "Token" });
        assert_eq!(
            err(&with("TmpSecretKey", "12345")),
            WrongType {
                field: "TmpSecretKey",
                expected: "a string"
            }
        );
        assert!(matches!(
            err(&with("ExpiredTime", r#""SENTINEL""#)),
            WrongType {
                field: "ExpiredTime",
                ..
            }
        ));
        assert!(matches!(err(&with("ExpiredTime", "-5")), WrongType { .. }));
        assert!(matches!(err(&with("ExpiredTime", "0")), WrongType { .. }));
        assert!(matches!(err(&with("ExpiredTime", "1.5")), WrongType { .. }));
        assert_eq!(
            err(&with("Token", r#""SENTINEL\r\nX: y""#)),
            InvalidValue {
                field: "Token",
                problem: "contains a control character (such as CR or LF)"
            }
        );
        assert!(matches!(
            err(&with("TmpSecretId", r#""AK ID""#)),
            InvalidValue {
                field: "TmpSecretId",
                ..
            }
        ));
        assert!(matches!(
            err(&with("TmpSecretKey", r#""""#)),
            InvalidValue {
                field: "TmpSecretKey",
                ..
            }
        ));
        // A truncated answer cuts through a secret: still no value in the error.
        let cut = &GOOD[..GOOD.find("SENTINEL-KEY").unwrap() + 5];
        assert!(matches!(err(cut), NotJson { .. }));
    }

    #[test]
    fn role_names() {
        assert_eq!(
            parse_role_name(b"\n  ops-role \r\nother\n")
                .unwrap()
                .as_str(),
            "ops-role"
        );
        assert_eq!(
            parse_role_name(b"a+=,.@_-Z9").unwrap().as_str(),
            "a+=,.@_-Z9"
        );
        for bad in [
            &b""[..],
            b"   \n",
            b"a/b",
            b"a b",
            b"a?b",
            b"\xff",
            b"r\xc3\xa9le",
        ] {
            assert!(parse_role_name(bad).is_err(), "{bad:?}");
        }
        assert!(parse_role_name("r".repeat(128).as_bytes()).is_ok());
        assert!(parse_role_name("r".repeat(129).as_bytes()).is_err());
    }

    #[test]
    fn requests() {
        let m = MetadataEndpoint::default();
        assert_eq!(m.url(), "http://metadata.tencentyun.com");
        let role = RoleName::new("ops-role").unwrap();
        let r = m.role_credentials_request(&role).unwrap();
        assert_eq!(r.method(), http::Method::GET);
        assert_eq!(
            r.uri(),
            "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/ops-role"
        );
        assert!(MetadataEndpoint::parse("http://h/path").is_err());
        assert!(MetadataEndpoint::parse("ftp://h").is_err());
    }

    quickcheck! {
        fn parsers_never_panic(body: Vec<u8>) -> bool {
            let _ = parse_role_credentials(&body);
            let _ = parse_role_name(&body);
            true
        }
    }
}
