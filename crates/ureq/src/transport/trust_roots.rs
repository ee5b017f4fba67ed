//! [`TrustRoots`]: which certificate authorities an https request trusts.
//!
//! **Replace, as curl does, never add.** A CA file (given to
//! [`TrustRoots::pem_file`], or named by `SSL_CERT_FILE`) is the whole list:
//! the built-in Mozilla roots are then not trusted. That is what curl's
//! `--cacert`, OpenSSL and Go do with the same file, so a bundle that works
//! for them works here, and a test that trusts its emulator's self-signed
//! certificate trusts nothing else. A file that is missing, unreadable or holds
//! no certificate is never a silent fall-back to the built-in roots.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use tencentcloud_cvm_core::env::SSL_CERT_FILE_VAR;
use ureq::tls::{parse_pem, Certificate, PemItem, RootCerts};

/// The most bytes read from a CA file (a full system bundle is about 250 KiB).
const MAX_CA_FILE: u64 = 8 << 20;

/// Which certificate authorities https requests trust; see the module docs
/// (replace, never add).
///
/// ```
/// use tencentcloud_cvm_ureq::{TrustRoots, UreqTransport};
/// let dir = std::env::temp_dir().join(format!("tccvm-doc-ca-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let missing = dir.join("absent.pem");
/// let e = TrustRoots::pem_file(&missing).unwrap_err();
/// assert!(e.to_string().contains("absent.pem"), "{e}");
/// let transport = UreqTransport::builder().trust_roots(TrustRoots::built_in()).build()?;
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TrustRoots {
    roots: Roots,
}

#[derive(Clone)]
enum Roots {
    FromEnvironment,
    BuiltIn,
    Certificates {
        from: String,
        certificates: Arc<Vec<Certificate<'static>>>,
    },
}

impl Default for TrustRoots {
    fn default() -> Self {
        TrustRoots::from_environment()
    }
}

impl fmt::Debug for TrustRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.roots {
            Roots::FromEnvironment => f.write_str("TrustRoots::FromEnvironment"),
            Roots::BuiltIn => f.write_str("TrustRoots::BuiltIn"),
            Roots::Certificates { from, certificates } => {
                write!(
                    f,
                    "TrustRoots({} certificate(s) from {from})",
                    certificates.len()
                )
            }
        }
    }
}

/// A CA file that cannot be used. Names the file, never its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidTrustRoots {
    from: String,
    reason: String,
}

impl fmt::Display for InvalidTrustRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the CA certificates in {}: {}", self.from, self.reason)
    }
}

impl std::error::Error for InvalidTrustRoots {}

impl TrustRoots {
    /// `SSL_CERT_FILE`'s certificates when it is set (read when the transport
    /// is built; a file that cannot be used makes every https request fail
    /// before sending, naming the variable), else the built-in roots. The default.
    pub fn from_environment() -> Self {
        TrustRoots {
            roots: Roots::FromEnvironment,
        }
    }

    /// The built-in roots (Mozilla's, as webpki-roots ships them), whatever the
    /// environment says.
    pub fn built_in() -> Self {
        TrustRoots {
            roots: Roots::BuiltIn,
        }
    }

    /// Only the certificates in the PEM file at `path` (for instance an
    /// emulator's `--tls-cert` file), read now.
    pub fn pem_file(path: impl AsRef<Path>) -> Result<Self, InvalidTrustRoots> {
        let path = path.as_ref();
        let from = path.display().to_string();
        let bytes = read(path).map_err(|reason| InvalidTrustRoots {
            from: from.clone(),
            reason,
        })?;
        TrustRoots::pem_from(&bytes, from)
    }

    /// Only the certificates in `pem`.
    pub fn pem(pem: &[u8]) -> Result<Self, InvalidTrustRoots> {
        TrustRoots::pem_from(pem, "the PEM given".to_owned())
    }

    fn pem_from(pem: &[u8], from: String) -> Result<Self, InvalidTrustRoots> {
        let mut certificates = Vec::new();
        for item in parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(c)) => certificates.push(c),
                Ok(_) => {}
                Err(_) => {
                    return Err(InvalidTrustRoots {
                        from,
                        reason: "is not valid PEM".to_owned(),
                    })
                }
            }
        }
        if certificates.is_empty() {
            return Err(InvalidTrustRoots {
                from,
                reason: "holds no certificate".to_owned(),
            });
        }
        Ok(TrustRoots {
            roots: Roots::Certificates {
                from,
                certificates: Arc::new(certificates),
            },
        })
    }

    /// The roots for ureq, with the environment read through `var`; an error
    /// names `SSL_CERT_FILE` and the problem.
    pub(crate) fn resolve(
        &self,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<RootCerts, InvalidTrustRoots> {
        match &self.roots {
            Roots::BuiltIn => Ok(RootCerts::WebPki),
            Roots::Certificates { certificates, .. } => {
                Ok(RootCerts::Specific(Arc::clone(certificates)))
            }
            Roots::FromEnvironment => match var(SSL_CERT_FILE_VAR) {
                None => Ok(RootCerts::WebPki),
                Some(path) if path.trim().is_empty() => Ok(RootCerts::WebPki),
                Some(path) => {
                    let file =
                        TrustRoots::pem_file(Path::new(&path)).map_err(|e| InvalidTrustRoots {
                            from: format!("{path} (named by {SSL_CERT_FILE_VAR})"),
                            reason: e.reason,
                        })?;
                    file.resolve(var)
                }
            },
        }
    }
}

/// The file's bytes, or why not (a regular file only, at most 8 MiB).
fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".to_owned());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_CA_FILE {
        return Err(format!("is larger than {MAX_CA_FILE} bytes"));
    }
    Ok(bytes)
}
