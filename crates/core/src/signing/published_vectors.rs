//! The vectors published in the TC3-HMAC-SHA256 documentation, byte for byte.

use super::*;
use crate::Credentials;

const BODY: &str =
    r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
const CT: &str = "application/json; charset=utf-8";

fn params(signed: SignedHeaders) -> SigningParams<'static> {
    SigningParams::builder()
        .host("cvm.tencentcloudapi.com")
        .action("DescribeInstances")
        .content_type(CT)
        .payload(BODY.as_bytes())
        .timestamp(1551113065)
        .signed_headers(signed)
        .build()
        .unwrap()
}

#[test]
fn body_hash() {
    assert_eq!(
        &payload_hash(BODY.as_bytes())[..],
        b"35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
}

#[test]
fn example_key_content_type_host() {
    let p = params(SignedHeaders::ContentTypeHost);
    let canonical = p.canonical_request();
    assert_eq!(
        canonical.to_string(),
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    assert_eq!(
        canonical.hash_hex(),
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    assert_eq!(
        p.string_to_sign().to_string(),
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    );
    let out = Signer::new().sign(&p, &creds);
    assert_eq!(
        out.signature().as_str(),
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    assert_eq!(
        out.authorization(),
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
}

#[test]
fn masked_key_content_type_host() {
    let p = params(SignedHeaders::ContentTypeHost);
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
        "Gu5t9xGARNpq86cd98joQYCN3*******",
    );
    assert_eq!(
        Signer::new().signature(&p, &creds).as_str(),
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    );
}

#[test]
fn stars_key_content_type_host_action() {
    let p = params(SignedHeaders::ContentTypeHostAction);
    let canonical = p.canonical_request();
    assert!(canonical
        .to_string()
        .contains("\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n"));
    assert_eq!(
        canonical.hash_hex(),
        "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    );
    let creds = Credentials::new(format!("AKID{}", "*".repeat(32)), "*".repeat(32));
    let out = Signer::new().sign(&p, &creds);
    assert_eq!(
        out.signature().as_str(),
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
    assert!(out
        .authorization()
        .contains("SignedHeaders=content-type;host;x-tc-action, "));
}

#[test]
fn cached_and_fresh_keys_agree() {
    let p = params(SignedHeaders::ContentTypeHost);
    let creds = Credentials::new("AKID", "key-one");
    let signer = Signer::new();
    let first = signer.signature(&p, &creds);
    let second = signer.signature(&p, &creds);
    assert_eq!(first, second);
    let other = signer.signature(&p, &Credentials::new("AKID", "key-two"));
    assert_ne!(first, other);
    assert!(first.verify(first.as_str()));
    assert!(!first.verify(other.as_str()));
    assert!(!first.verify(""));
}

#[test]
fn verifier_view_matches_signer_view() {
    let p = params(SignedHeaders::ContentTypeHostAction);
    let headers = [
        ("content-type", "  Application/JSON; charset=utf-8 "),
        ("host", "CVM.tencentcloudapi.com"),
        ("x-tc-action", "DescribeInstances"),
    ];
    let generic = CanonicalRequest::new("POST", "", &headers, payload_hash(BODY.as_bytes()));
    assert_eq!(generic.to_string(), p.canonical_request().to_string());
}

#[test]
fn unsigned_payload_hashes_the_marker() {
    let p = SigningParams::builder()
        .host("cvm.tencentcloudapi.com")
        .action("TerminateInstances")
        .payload(b"{\"a\":1}")
        .timestamp(1)
        .payload_signing(PayloadSigning::Unsigned)
        .build()
        .unwrap();
    assert!(p
        .canonical_request()
        .to_string()
        .ends_with(std::str::from_utf8(&payload_hash(b"UNSIGNED-PAYLOAD")).unwrap()));
}

#[test]
fn builder_errors() {
    let b = SigningParams::builder();
    assert_eq!(b.build().unwrap_err(), SigningError::Missing("host"));
    let b = b.host("h");
    assert_eq!(b.build().unwrap_err(), SigningError::Missing("action"));
    let b = b.action("A");
    assert_eq!(b.build().unwrap_err(), SigningError::Missing("timestamp"));
    let b = b.timestamp(1);
    assert!(b.build().is_ok());
    assert_eq!(
        b.host("h\r\nx: y").build().unwrap_err(),
        SigningError::InvalidValue("host")
    );
    assert_eq!(
        b.method(Method::Get).payload(b"x").build().unwrap_err(),
        SigningError::BodyWithGet
    );
    let get = b
        .method(Method::Get)
        .query("Action=A&Limit=1")
        .build()
        .unwrap();
    assert!(get
        .canonical_request()
        .to_string()
        .starts_with("GET\n/\nAction=A&Limit=1\ncontent-type:application/x-www-form-urlencoded\n"));
}
