//! Properties: every signed component changes the signature; unsigned headers do not.

use quickcheck::{quickcheck, TestResult};

use super::*;
use crate::{Credentials, Language, ServiceConfig, TerminateInstances};

#[derive(Clone, Debug)]
struct Parts {
    host: String,
    content_type: String,
    payload: Vec<u8>,
    action: String,
    timestamp: u64,
    key: String,
}

fn header_text(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .take(40)
        .collect();
    if t.is_empty() {
        "x".into()
    } else {
        t
    }
}

fn sign(p: &Parts, method: Method, service: &str, signed: SignedHeaders) -> Signature {
    let b = SigningParams::builder()
        .method(method)
        .host(&p.host)
        .content_type(&p.content_type)
        .action(&p.action)
        .timestamp(p.timestamp)
        .service(service)
        .signed_headers(signed);
    let b = if method == Method::Post {
        b.payload(&p.payload)
    } else {
        b.query(std::str::from_utf8(&p.payload).unwrap_or(""))
    };
    Signer::new().signature(
        &b.build().unwrap(),
        &Credentials::new("AKID", p.key.clone()),
    )
}

fn parts(
    host: String,
    ct: String,
    payload: Vec<u8>,
    action: String,
    ts: u32,
    key: String,
) -> Parts {
    Parts {
        host: header_text(&host),
        content_type: header_text(&ct),
        payload,
        action: header_text(&action),
        timestamp: u64::from(ts),
        key,
    }
}

quickcheck! {
    fn each_signed_component_changes_the_signature(host: String, ct: String, payload: Vec<u8>, action: String, ts: u32, key: String, which: u8) -> TestResult {
        let base = parts(host, ct, payload, action, ts, key);
        let mut changed = base.clone();
        let signed = SignedHeaders::ContentTypeHostAction;
        let (method, service) = (Method::Post, "cvm");
        match which % 7 {
            0 => changed.host.push('z'),
            1 => changed.content_type.push('z'),
            2 => changed.payload.push(b'z'),
            3 => changed.action.push('z'),
            4 => changed.timestamp += 1,
            5 => changed.key.push('z'),
            _ => {
                return TestResult::from_bool(
                    sign(&base, method, service, signed) != sign(&base, method, "cvmx", signed)
                        && sign(&base, Method::Post, service, SignedHeaders::ContentTypeHost)
                            != sign(&Parts { payload: Vec::new(), ..base.clone() }, Method::Get, service, SignedHeaders::ContentTypeHost),
                )
            }
        }
        TestResult::from_bool(sign(&base, method, service, signed) != sign(&changed, method, service, signed))
    }

    fn case_and_padding_of_header_values_do_not_matter(host: String, ts: u32) -> bool {
        let p = parts(host, "application/json".into(), b"{}".to_vec(), "TerminateInstances".into(), ts, "k".into());
        let mut q = p.clone();
        q.host = format!("  {}  ", p.host.to_ascii_uppercase());
        q.action = p.action.to_ascii_lowercase();
        let s = SignedHeaders::ContentTypeHostAction;
        sign(&p, Method::Post, "cvm", s) == sign(&q, Method::Post, "cvm", s)
    }

    fn unsigned_headers_do_not_change_the_signature(region: u8, token: Option<u8>, english: bool, ts: u32) -> bool {
        let build = |region: &str, token: Option<String>, language: Option<Language>| {
            let config = ServiceConfig::builder(region)
                .language(language)
                .signed_headers(SignedHeaders::ContentTypeHost)
                .build()
                .unwrap();
            let creds = Credentials::new("AKID", "key");
            let creds = match token { Some(t) => creds.with_token(t), None => creds };
            let req = TerminateInstances::new(["ins-00000001"]).unwrap();
            let http = config.terminate_instances(&req, u64::from(ts), &creds, &Signer::new()).unwrap();
            http.headers()["authorization"].clone()
        };
        let a = build("ap-guangzhou", None, None);
        let b = build(
            &format!("region-{region}"),
            token.map(|t| format!("token-{t}")),
            Some(if english { Language::EnUs } else { Language::ZhCn }),
        );
        a == b
    }

    fn cached_prefix_path_equals_the_plain_path(cases: Vec<(String, String, Vec<u8>, String, u32, bool)>) -> bool {
        // One signer across many different prefixes exercises hits, misses and eviction.
        let signer = Signer::new();
        let creds = Credentials::new("AKID", "k");
        cases.iter().chain(cases.iter()).all(|(host, ct, payload, action, ts, action_signed)| {
            let p = parts(host.clone(), ct.clone(), payload.clone(), action.clone(), *ts, "k".into());
            let signed = if *action_signed { SignedHeaders::ContentTypeHostAction } else { SignedHeaders::ContentTypeHost };
            let params = SigningParams::builder()
                .host(&p.host).content_type(&p.content_type).action(&p.action)
                .payload(&p.payload).timestamp(p.timestamp).signed_headers(signed)
                .build().unwrap();
            let plain = params.string_to_sign().to_string();
            signer.string_to_sign(&params).to_string() == plain
                && signer.signature(&params, &creds)
                    == SigningKey::derive(creds.secret_key(), params.date(), "cvm").sign(&params.string_to_sign())
        })
    }
}
