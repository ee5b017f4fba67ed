//! Seeds of target `credentials_answer`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "credentials_answer";
    let metadata = r#"{"TmpSecretId":"AKIDtmpexample","TmpSecretKey":"example-temporary-key","Token":"example-token","ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","Code":"Success"}"#;
    let sts = r#"{"Response":{"Credentials":{"Token":"example-token","TmpSecretId":"AKIDtmpexample","TmpSecretKey":"example-temporary-key"},"ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","RequestId":"6ef60bec-0242-43af-bb20-000000000001"}}"#;
    let sts_error = r#"{"Response":{"Error":{"Code":"ResourceNotFound.RoleNotExist","Message":"role not exist"},"RequestId":"6ef60bec-0242-43af-bb20-000000000002"}}"#;
    let cases: &[(&str, u8, String)] = &[
        ("role-name", 0, "ops-role\n".into()),
        ("role-name-lines", 0, "\r\n  ops-role \nother\n".into()),
        ("role-name-bad", 0, "../etc/passwd".into()),
        ("metadata", 1, metadata.into()),
        ("metadata-failed", 1, metadata.replace("Success", "Failed")),
        (
            "metadata-crlf-token",
            1,
            metadata.replace("example-token", "example\\r\\ntoken"),
        ),
        (
            "metadata-float-expiry",
            1,
            metadata.replace("1700007200", "1700007200.0"),
        ),
        (
            "metadata-string-expiry",
            1,
            metadata.replace("1700007200", "\"1700007200\""),
        ),
        (
            "metadata-null-key",
            1,
            metadata.replace("\"example-temporary-key\"", "null"),
        ),
        ("metadata-cut", 1, metadata[..metadata.len() / 2].into()),
        ("sts", 2, sts.into()),
        ("sts-error", 2, sts_error.into()),
        ("sts-500", 3, sts.into()),
        (
            "sts-no-credentials",
            2,
            sts.replace("\"Credentials\"", "\"Other\""),
        ),
        (
            "sts-space-in-id",
            2,
            sts.replace("AKIDtmpexample", "AKID tmp"),
        ),
        (
            "sts-nested-array",
            2,
            sts.replace("\"example-token\"", "[\"example-token\"]"),
        ),
    ];
    cases
        .iter()
        .map(|(name, mode, body)| {
            let mut data = vec![*mode];
            data.extend_from_slice(body.as_bytes());
            seed(T, name, data)
        })
        .collect()
}
