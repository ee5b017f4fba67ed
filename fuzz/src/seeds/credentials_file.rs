//! Seeds of target `credentials_file`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "credentials_file";
    let files: &[(&str, &str, &str)] = &[
        ("simple", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = example-key\n"),
        ("with-token", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = example-key\ntoken = session-token\n"),
        ("crlf", "default", "[default]\r\nsecret_id = AKIDexample\r\nsecret_key = example-key\r\n"),
        ("bom", "default", "\u{feff}[default]\nsecret_id=AKIDexample\nsecret_key=example-key\n"),
        ("comments", "default", "# my keys\n; another comment\n[default]\n  # indented comment\nsecret_id = AKIDexample\n; secret_key = commented-out\nsecret_key = example-key\n"),
        ("double-quotes", "default", "[default]\nsecret_id = \"AKIDexample\"\nsecret_key = \"a key with spaces\"\n"),
        ("single-quotes", "default", "[default]\nsecret_id = 'AKIDexample'\nsecret_key = 'k'\n"),
        ("mismatched-quotes", "default", "[default]\nsecret_id = \"AKIDexample'\nsecret_key = '\n"),
        ("empty-quotes", "default", "[default]\nsecret_id = AKIDexample\nsecret_key = \"\"\n"),
        ("duplicate-keys", "default", "[default]\nsecret_id=A1\nsecret_key=k1\nsecret_id=A2\nsecret_key=k2\n"),
        ("duplicate-sections", "default", "[default]\nsecret_id=A1\n[other]\nsecret_id=B\n[default]\nsecret_key=k1\n"),
        ("missing-key", "default", "[default]\nsecret_id=AKIDexample\n"),
        ("missing-id", "default", "[default]\nsecret_key=example-key\n"),
        ("empty-values", "default", "[default]\nsecret_id=\nsecret_key=\ntoken=\n"),
        ("tabs", "default", "[\tdefault\t]\n\tsecret_id\t=\tAKIDexample\t\n\tsecret_key\t=\texample-key\t\n"),
        ("equals-in-value", "default", "[default]\nsecret_id=AKID=x\nsecret_key=a=b=c\n"),
        ("no-spaces", "default", "[default]\nsecret_id=AKIDexample\nsecret_key=example-key"),
        ("other-profile", "ci", "[default]\nsecret_id=A\nsecret_key=k\n\n[ci]\nsecret_id = AKIDci\nsecret_key = ci-key\ntoken = ci-token\n"),
        ("profile-not-found", "prod", "[default]\nsecret_id=A\nsecret_key=k\n"),
        ("profile-with-spaces", "my profile", "[ my profile ]\nsecret_id=A\nsecret_key=k\n"),
        ("unicode", "默认", "[默认]\nsecret_id=AKID密钥\nsecret_key=🔑-key\n"),
        ("unclosed-section", "default", "[default\nsecret_id=A\nsecret_key=k\n"),
        ("empty-section", "default", "[]\nsecret_id=A\n"),
        ("key-outside-section", "default", "secret_id=A\n[default]\nsecret_key=k\n"),
        ("line-without-equals", "default", "[default]\nsecret_id=A\nTHIS-IS-NOT-A-KEY\nsecret_key=k\n"),
        ("empty-key-name", "default", "[default]\n=value\n"),
        ("uppercase-keys", "default", "[default]\nSECRET_ID=A\nSECRET_KEY=k\n"),
        ("unknown-keys", "default", "[default]\nregion=ap-guangzhou\nsecret_id=A\nsecret_key=k\noutput=json\n"),
        ("role-arn", "default", "[default]\nsecret_id=A\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\nrole_session_name=nightly\n"),
        ("control-character", "default", "[default]\nsecret_id=A\u{7}B\nsecret_key=k\rk\n"),
        ("empty-file", "default", ""),
        ("blank-lines", "default", "\n\n\r\n   \n"),
        ("empty-profile-name", "", "[default]\nsecret_id=A\nsecret_key=k\n"),
        ("cr-only-line-endings", "default", "[default]\rsecret_id=A\rsecret_key=k\r"),
        ("bom-mid-file", "default", "[default]\n\u{feff}secret_id=A\nsecret_key=k\n"),
        ("section-trailing-text", "default", "[default] # comment\nsecret_id=A\nsecret_key=k\n"),
        ("nested-brackets", "[default]", "[[default]]\nsecret_id=A\nsecret_key=k\n"),
        ("key-equals-secret-word", "default", "[default]\nsecret_id=redacted\nsecret_key=redacted\ntoken=Credentials\n"),
        ("secret-like-profile", "example-key", "[default]\nsecret_id=A\nsecret_key=example-key\n"),
    ];
    let mut out: Vec<Seed> = files
        .iter()
        .map(|(name, profile, text)| seed(T, name, format!("{profile}\n{text}")))
        .collect();
    out.push(seed(
        T,
        "crlf-profile-line",
        "default\r\n[default]\r\nsecret_id=A\r\nsecret_key=k\r\n",
    ));
    out.push(seed(
        T,
        "invalid-utf8",
        &b"default\n[default]\nsecret_id=\xff\xfe\nsecret_key=\xc3\x28\n"[..],
    ));
    out.push(seed(
        T,
        "long-values",
        format!(
            "default\n[default]\nsecret_id={}\nsecret_key={}\n",
            "A".repeat(300),
            "k".repeat(500)
        ),
    ));
    out
}
