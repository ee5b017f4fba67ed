//! A signed request as text, the way it would go on the wire, with the session
//! token redacted. (`Authorization` holds the SecretId, the scope and the
//! signature, none of them secret; the SecretKey is never in a request.)

use std::io::{self, Write};

use tencentcloud_cvm::http::Request;

/// Writes the request line, the headers (`x-tc-token` and any other sensitive
/// value but `Authorization` as `<redacted>`), a blank line and the body.
pub fn write_request(out: &mut impl Write, request: &Request<Vec<u8>>) -> io::Result<()> {
    writeln!(out, "{} {}", request.method(), request.uri())?;
    for (name, value) in request.headers() {
        if name == "x-tc-token" || (value.is_sensitive() && name != "authorization") {
            writeln!(out, "{name}: <redacted>")?;
        } else {
            writeln!(out, "{name}: {}", String::from_utf8_lossy(value.as_bytes()))?;
        }
    }
    writeln!(out)?;
    out.write_all(request.body())?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_cvm::{Client, Credentials, TerminateOptions};

    #[test]
    fn the_token_is_redacted_and_the_rest_shown() {
        let client = Client::builder()
            .region("ap-shanghai")
            .credentials(
                Credentials::new("AKIDdump", "SENTINEL-DUMP-KEY").with_token("SENTINEL-DUMP-TOKEN"),
            )
            .build()
            .unwrap();
        let requests = client
            .signed_requests(
                ["ins-00000001"],
                &TerminateOptions::new().with_preflight(false),
            )
            .unwrap();
        let mut out = Vec::new();
        write_request(&mut out, &requests[0]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("POST https://cvm.tencentcloudapi.com/\n"),
            "{text}"
        );
        assert!(text.contains("x-tc-token: <redacted>\n"), "{text}");
        assert!(
            text.contains("TC3-HMAC-SHA256 Credential=AKIDdump/"),
            "{text}"
        );
        assert!(
            text.ends_with("\n\n{\"InstanceIds\":[\"ins-00000001\"]}\n"),
            "{text}"
        );
        assert!(!text.contains("SENTINEL"), "{text}");
    }
}
