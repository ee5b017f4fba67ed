//! HTTPS for the server: a certificate made when the server is configured, for the
//! loopback names, so that clients in their default https configuration (tccli, the
//! official SDKs, curl) can use the emulator when told to trust it.
//!
//! Two certificates are made with fresh ECDSA P-256 keys: a certificate authority
//! (`CA:TRUE`, self-signed) and the server's certificate, signed by it, for
//! `localhost`, `127.0.0.1` and `::1`. The server presents both; clients trust the
//! authority's certificate ([`Tls::certificate_pem`]). Two rather than one, because
//! verifiers disagree about a lone self-signed server certificate: webpki (rustls)
//! refuses a CA certificate as a server's, and strict OpenSSL wants an authority key
//! identifier in it.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The names the server's certificate is for.
pub const TLS_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// HTTPS settings for a [`Server`](crate::Server): a certificate authority and a server
/// certificate signed by it, made for this run, in memory.
///
/// ```
/// use tencentcloud_cvm_emulator::{Emulator, Server, Tls};
/// let tls = Tls::self_signed()?;
/// assert!(tls.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// let server = Server::new(Emulator::builder().build()?).tls(tls).bind("127.0.0.1:0")?;
/// assert!(server.url().starts_with("https://127.0.0.1:"));
/// // Give clients the certificate to trust: tccvm's `SSL_CERT_FILE`, the Python SDK's
/// // `HttpProfile(certification=...)`, curl's `--cacert`.
/// let pem = server.certificate_pem().expect("an https server");
/// assert!(pem.contains("CERTIFICATE"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Tls {
    certificate_pem: String,
    config: Arc<ServerConfig>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key stays out of Debug.
        f.debug_struct("Tls")
            .field("names", &TLS_NAMES)
            .finish_non_exhaustive()
    }
}

/// Why HTTPS could not be set up.
#[derive(Debug)]
pub struct TlsError(String);

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot set up TLS: {}", self.0)
    }
}

impl std::error::Error for TlsError {}

fn failed(e: impl fmt::Display) -> TlsError {
    TlsError(e.to_string())
}

impl Tls {
    /// Makes a certificate authority and a server certificate for `localhost`,
    /// `127.0.0.1` and `::1`, with fresh keys.
    pub fn self_signed() -> Result<Tls, TlsError> {
        let ca_key = KeyPair::generate().map_err(failed)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca.distinguished_name = DistinguishedName::new();
        ca.distinguished_name
            .push(DnType::CommonName, "tencentcloud-cvm-emulator test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).map_err(failed)?;
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate().map_err(failed)?;
        let names: Vec<String> = TLS_NAMES.iter().map(|n| (*n).to_owned()).collect();
        let mut server = CertificateParams::new(names).map_err(failed)?;
        server.distinguished_name = DistinguishedName::new();
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.is_ca = IsCa::ExplicitNoCa;
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        let server_cert = server.signed_by(&server_key, &issuer).map_err(failed)?;

        let chain = vec![server_cert.der().clone(), ca_cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(failed)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(failed)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            certificate_pem: ca_cert.pem(),
            config: Arc::new(config),
        })
    }

    /// The PEM of the certificate clients must trust (the authority that signed the
    /// server's certificate).
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The DER of the certificate clients must trust.
    pub fn certificate_der(&self) -> Vec<u8> {
        pem_body(&self.certificate_pem)
    }

    /// Writes [`certificate_pem`](Tls::certificate_pem) to `path`.
    pub fn write_certificate(&self, path: impl AsRef<Path>) -> io::Result<()> {
        std::fs::write(path, &self.certificate_pem)
    }

    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(&self.config))
    }
}

/// The bytes of the first PEM block of `pem` (base64-decoded).
fn pem_body(pem: &str) -> Vec<u8> {
    let text: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_run_has_its_own_certificate() {
        let a = Tls::self_signed().unwrap();
        let b = Tls::self_signed().unwrap();
        assert_ne!(a.certificate_pem(), b.certificate_pem());
        assert!(a
            .certificate_pem()
            .starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(a
            .certificate_pem()
            .trim_end()
            .ends_with("-----END CERTIFICATE-----"));
        // DER: a SEQUENCE, and the authority's name in it.
        let der = a.certificate_der();
        assert_eq!(der[0], 0x30);
        let name = b"tencentcloud-cvm-emulator test CA";
        assert!(der.windows(name.len()).any(|w| w == name));
        // No key material in Debug.
        assert!(!format!("{a:?}").contains("PRIVATE"));
    }

    #[test]
    fn pem_bodies_decode() {
        assert_eq!(
            pem_body("-----BEGIN X-----\naGVsbG8=\n-----END X-----\n"),
            b"hello"
        );
        assert_eq!(pem_body("no pem"), b"");
    }
}
