//! Seeds of target `tccli_config`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "tccli_config";
    vec![
        // Exactly as `tccli configure set secretId AKIDTESTID secretKey TESTKEY region ap-guangzhou` wrote them.
        seed(T, "credential-keys", "{\n  \"secretId\": \"AKIDTESTID\",\n  \"secretKey\": \"TESTKEY\"\n}"),
        seed(
            T,
            "configure",
            "{\n  \"_sys_param\": {\n    \"arrayCount\": 10,\n    \"output\": \"json\",\n    \"region\": \"ap-guangzhou\",\n    \"warning\": \"off\"\n  },\n  \"cvm\": {\n    \"endpoint\": \"cvm.tencentcloudapi.com\",\n    \"version\": \"2017-03-12\"\n  },\n  \"sts\": {\n    \"endpoint\": \"sts.tencentcloudapi.com\",\n    \"version\": \"2018-08-13\"\n  }\n}",
        ),
        seed(T, "credential-token", r#"{"secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET-KEY", "token": "SENTINEL-TCCLI-SESSION-TOKEN", "type": "default"}"#),
        seed(T, "cvm-role", "{\n  \"type\": \"cvm-role\"\n}"),
        seed(T, "role-and-token-no-keys", r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "token": "TOKENX"}"#),
        seed(T, "role-with-keys", r#"{"role-arn": "qcs::cam::uin/100:roleName/r", "role-session-name": "sess", "secretId": "AKIDx", "secretKey": "k"}"#),
        seed(T, "oauth", r#"{"type": "oauth", "secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET-KEY", "token": "t", "expiresAt": 1700000000, "oauth": {"refreshToken": "r"}}"#),
        seed(T, "control-character", r#"{"secretId": "AKIDx", "secretKey": "SENTINEL-TCCLI-SECRET\r\nKEY"}"#),
        seed(T, "wrong-types", r#"{"secretId": 5, "_sys_param": {"region": ["ap-guangzhou"]}}"#),
        seed(T, "empty-object", "{}"),
        seed(T, "cut-short", "{\"secretId\": \"AKIDx\", \"secretKey\": \"SENTINEL-TCCLI"),
    ]
}
