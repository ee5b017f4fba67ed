//! Seeds of target `endpoint_url`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "endpoint_url";
    [
        "https://cvm.tencentcloudapi.com",
        "http://127.0.0.1:8080",
        "HTTP://LOCALHOST:80/",
        "cvm.internal.example:8443",
        "http://[::1]:9000",
        "http://[fe80::1%25eth0]",
        "http://127.0.0.1:+1",
        "http://a..b",
        "http://-a",
        "http://127.1",
        "http://0x7f.0.0.1",
        "http://xn--bcher-kva.example",
        "http://bücher.example",
        "http://u@h",
        "http://h/path?q#f",
        "ftp://h",
        "http://h:65535",
        "http://h:08080",
        " https://h ",
        "http://a.b\tc",
    ]
    .iter()
    .map(|url| seed(T, url, url.as_bytes()))
    .collect()
}
