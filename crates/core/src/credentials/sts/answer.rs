//! [`parse_credentials`]: the temporary credentials in an STS answer.

use http::Response;

use crate::credentials::credentials_answer::{
    object, sub_object, temporary_credentials, unix_time, CredentialsAnswerError,
};
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::http::response::{parse_response, ResponseError};

/// Reads the answer to `AssumeRole` or `AssumeRoleWithWebIdentity`: first as
/// any API answer (HTTP 200, the envelope, a RequestId, no `Error`, at most
/// `max_body` bytes), then `Response.Credentials` (`TmpSecretId`,
/// `TmpSecretKey`, `Token`, each passing
/// [`Credentials::validate`](crate::Credentials::validate)) and
/// `Response.ExpiredTime` (Unix seconds).
///
/// ```
/// use tencentcloud_cvm_core::response::DEFAULT_MAX_BODY;
/// use tencentcloud_cvm_core::sts::parse_credentials;
/// let body = br#"{"Response":{"Credentials":{"Token":"t","TmpSecretId":"AKIDtmp","TmpSecretKey":"k"},
///   "ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","RequestId":"r-1"}}"#;
/// let t = parse_credentials(&http::Response::new(body.to_vec()), DEFAULT_MAX_BODY)?;
/// assert_eq!(t.credentials().secret_id(), "AKIDtmp");
/// assert_eq!(t.expires_at(), 1_700_007_200);
/// # Ok::<(), tencentcloud_cvm_core::CredentialsAnswerError>(())
/// ```
pub fn parse_credentials(
    response: &Response<Vec<u8>>,
    max_body: usize,
) -> Result<TemporaryCredentials, CredentialsAnswerError> {
    parse_response(response, max_body)
        .map_err(|e| CredentialsAnswerError::Response(without_body_text(e)))?;
    let map = object(response.body())?;
    let inner = sub_object(&map, "Response")?;
    let expires_at = unix_time(inner, "ExpiredTime")?;
    temporary_credentials(sub_object(inner, "Credentials")?, expires_at)
}

/// The error without the quotes of the body some variants carry: an answer
/// that failed to parse may still hold a key or token.
fn without_body_text(error: ResponseError) -> ResponseError {
    const HIDDEN: &str = "(not shown: the answer may hold credentials)";
    match error {
        ResponseError::HttpStatus {
            status, service, ..
        } => ResponseError::HttpStatus {
            status,
            service,
            snippet: HIDDEN.to_owned(),
        },
        ResponseError::NotJson { content_type, .. } => ResponseError::NotJson {
            content_type,
            snippet: HIDDEN.to_owned(),
        },
        ResponseError::WrongType { .. } => ResponseError::WrongType {
            detail: HIDDEN.to_owned(),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::response::DEFAULT_MAX_BODY;
    use quickcheck::quickcheck;

    fn parse(status: u16, body: &str) -> Result<TemporaryCredentials, CredentialsAnswerError> {
        let mut r = Response::new(body.as_bytes().to_vec());
        *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
        let result = parse_credentials(&r, DEFAULT_MAX_BODY);
        if let Err(e) = &result {
            let mut text = format!("{e} {e:?}");
            if let Some(source) = std::error::Error::source(e) {
                text.push_str(&source.to_string());
            }
            assert!(!text.contains("SENTINEL"), "{text}");
        }
        result
    }

    const GOOD: &str = r#"{"Response":{"Credentials":{"Token":"SENTINEL-T","TmpSecretId":"AKIDtmp","TmpSecretKey":"SENTINEL-K"},"ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","RequestId":"r-1"}}"#;

    #[test]
    fn answers() {
        let t = parse(200, GOOD).unwrap();
        assert_eq!(t.credentials().token().unwrap().expose(), "SENTINEL-T");
        let e = parse(
            200,
            r#"{"Response":{"Error":{"Code":"ResourceNotFound.RoleNotExist","Message":"no role"},"RequestId":"r-2"}}"#,
        )
        .unwrap_err();
        let CredentialsAnswerError::Response(ResponseError::Service(s)) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(s.code.as_str(), "ResourceNotFound.RoleNotExist");
        assert!(matches!(
            parse(502, "<html>bad gateway</html>"),
            Err(CredentialsAnswerError::Response(
                ResponseError::HttpStatus { status: 502, .. }
            ))
        ));
        assert_eq!(
            parse(200, r#"{"Response":{"RequestId":"r","ExpiredTime":1}}"#).unwrap_err(),
            CredentialsAnswerError::Missing {
                field: "Credentials"
            }
        );
        assert_eq!(
            parse(200, &GOOD.replace("1700007200", "\"SENTINEL\"")).unwrap_err(),
            CredentialsAnswerError::WrongType {
                field: "ExpiredTime",
                expected: "a positive Unix time in seconds"
            }
        );
        assert_eq!(
            parse(200, &GOOD.replace("SENTINEL-K", "SENTINEL\\nK")).unwrap_err(),
            CredentialsAnswerError::InvalidValue {
                field: "TmpSecretKey",
                problem: "contains a control character (such as CR or LF)"
            }
        );
        // Body text is never quoted back: a syntax error, a non-200 status and a
        // wrongly typed envelope field, each around a secret.
        for (status, body) in [
            (200, GOOD.replace("\"ExpiredTime\"", "\"ExpiredTime\" x")),
            (403, GOOD.to_owned()),
            (
                200,
                GOOD.replace(
                    "\"RequestId\":\"r-1\"",
                    "\"Error\":\"SENTINEL\",\"RequestId\":\"r\"",
                ),
            ),
        ] {
            assert!(matches!(
                parse(status, &body),
                Err(CredentialsAnswerError::Response(_))
            ));
        }
        assert!(matches!(
            parse(200, &GOOD.replace("\"SENTINEL-T\"", "[\"SENTINEL\"]")),
            Err(CredentialsAnswerError::WrongType { field: "Token", .. })
        ));
    }

    quickcheck! {
        fn never_panics(body: Vec<u8>, status: u16) -> bool {
            let mut r = Response::new(body);
            if let Ok(s) = http::StatusCode::from_u16(status) {
                *r.status_mut() = s;
            }
            let _ = parse_credentials(&r, DEFAULT_MAX_BODY);
            true
        }
    }
}
