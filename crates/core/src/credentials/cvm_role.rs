//! [`CvmRole`]: the decisions of the CVM role provider, which asks the
//! instance metadata service for the role's name, then its credentials.
//!
//! | answer | result |
//! | --- | --- |
//! | no connection on either attempt (refused, no such host, connect timeout) when asking the role's name | [`CredentialsErrorKind::NotConfigured`]: not on a CVM (`unreachable`: a driver remembers it for the process) |
//! | 404 for the role's name | `NotConfigured`: no role is bound |
//! | 404 for the credentials | `Invalid`, and the name is asked again next time (the role was unbound or replaced) |
//! | a timeout or failure after connecting, another status, an answer over 64 KiB, a malformed answer, `Code` not `Success`, a value [`Credentials::validate`](crate::Credentials::validate) refuses | [`CredentialsErrorKind::Invalid`] |
//!
//! ```
//! use tencentcloud_cvm_core::instance_metadata::{CvmRole, MetadataAnswer, MetadataEndpoint};
//! let mut role = CvmRole::new(MetadataEndpoint::default(), None);
//! let ask = role.next_request()?;
//! assert!(ask.is_role_name());
//! let answer = role.handle_answer(&ask, Ok(http::Response::new(b"ops-role\n".to_vec())));
//! assert_eq!(answer, MetadataAnswer::AskAgain);
//! let ask = role.next_request()?;
//! assert!(ask.http().uri().path().ends_with("/ops-role"));
//! # Ok::<(), tencentcloud_cvm_core::CredentialsError>(())
//! ```

use std::time::Duration;

use http::{Request, Response};

use crate::credentials::environment::{setting, Lookup, METADATA_ENDPOINT_VAR};
use crate::credentials::instance_metadata::{
    parse_role_credentials, parse_role_name, MetadataEndpoint, RoleName,
};
use crate::credentials::provider::{CredentialsError, CredentialsErrorKind};
use crate::credentials::source_exchange::{describe, ExchangeError};
use crate::credentials::temporary_credentials::TemporaryCredentials;
use crate::http::transport_error::TransportErrorKind;

/// The limit on name resolution and on connecting to the metadata service, each.
pub const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// The limit on one whole request to the metadata service.
pub const METADATA_REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest metadata answer read (a credentials answer is about 1 KiB).
pub const MAX_METADATA_ANSWER: usize = 64 * 1024;
/// The source name of the CVM role's errors.
pub const CVM_ROLE_SOURCE: &str = "CVM role";

fn error(kind: CredentialsErrorKind, detail: String) -> CredentialsError {
    CredentialsError::new(kind, CVM_ROLE_SOURCE, detail)
}

fn invalid(detail: String) -> CredentialsError {
    error(CredentialsErrorKind::Invalid, detail)
}

/// The metadata service's base URL (`endpoint` if given, else
/// `TENCENTCLOUD_METADATA_ENDPOINT`, else `http://metadata.tencentyun.com`) and
/// the role's name if given, checked. The error is the detail to report.
pub fn cvm_role_settings(
    endpoint: Option<&str>,
    role: Option<&str>,
    lookup: Lookup<'_>,
) -> Result<(MetadataEndpoint, Option<RoleName>), String> {
    let (url, from) = match endpoint {
        Some(url) => (Some(url.to_owned()), "the configured endpoint"),
        None => (
            setting(
                METADATA_ENDPOINT_VAR,
                lookup(METADATA_ENDPOINT_VAR),
                CVM_ROLE_SOURCE,
                "a URL",
            )
            .map_err(|e| e.detail().to_owned())?,
            METADATA_ENDPOINT_VAR,
        ),
    };
    let endpoint = match url {
        None => MetadataEndpoint::default(),
        Some(url) => MetadataEndpoint::parse(&url).map_err(|e| format!("{from}: {e}"))?,
    };
    let role = match role {
        None => None,
        Some(r) => Some(RoleName::new(r).map_err(|e| e.to_string())?),
    };
    Ok((endpoint, role))
}

/// A question for the metadata service.
#[derive(Debug)]
pub struct MetadataRequest {
    role: Option<RoleName>,
    http: Request<Vec<u8>>,
}

impl MetadataRequest {
    /// Whether it asks for the role's name (rather than its credentials).
    pub fn is_role_name(&self) -> bool {
        self.role.is_none()
    }

    /// The request to send.
    pub fn http(&self) -> &Request<Vec<u8>> {
        &self.http
    }
}

/// What an answer means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetadataAnswer {
    /// The role's name is known now: ask [`CvmRole::next_request`] again.
    AskAgain,
    /// The role's credentials.
    Credentials(TemporaryCredentials),
    /// No credentials.
    Failed {
        /// Why.
        error: CredentialsError,
        /// The service could not be reached at all: not on a CVM. A driver
        /// remembers it, so no later provider waits for the timeouts again.
        unreachable: bool,
    },
}

/// The CVM role provider's state: where the service is and the role's name,
/// given or discovered.
#[derive(Clone, Debug)]
pub struct CvmRole {
    endpoint: MetadataEndpoint,
    configured: Option<RoleName>,
    discovered: Option<RoleName>,
}

impl CvmRole {
    /// Asks `endpoint`; `role` given skips asking for its name.
    pub fn new(endpoint: MetadataEndpoint, role: Option<RoleName>) -> Self {
        CvmRole {
            endpoint,
            configured: role,
            discovered: None,
        }
    }

    /// The service's base URL.
    pub fn endpoint(&self) -> &MetadataEndpoint {
        &self.endpoint
    }

    /// The next question: the role's name while it is not known, else its credentials.
    pub fn next_request(&self) -> Result<MetadataRequest, CredentialsError> {
        let url = self.endpoint.url();
        let cannot = |e: http::Error| invalid(format!("cannot ask {url}: {e}"));
        match self.configured.as_ref().or(self.discovered.as_ref()) {
            None => Ok(MetadataRequest {
                role: None,
                http: self.endpoint.role_name_request().map_err(cannot)?,
            }),
            Some(role) => Ok(MetadataRequest {
                role: Some(role.clone()),
                http: self
                    .endpoint
                    .role_credentials_request(role)
                    .map_err(cannot)?,
            }),
        }
    }

    /// The error when the service is already known to be unreachable in this process.
    pub fn known_unreachable(&self) -> CredentialsError {
        error(
            CredentialsErrorKind::NotConfigured,
            format!(
                "no instance metadata service at {} (not on a CVM; found unreachable earlier in this process)",
                self.endpoint.url()
            ),
        )
    }

    /// Reads how the exchange for `request` ended.
    pub fn handle_answer(
        &mut self,
        request: &MetadataRequest,
        answer: Result<Response<Vec<u8>>, ExchangeError>,
    ) -> MetadataAnswer {
        let failed = |error| MetadataAnswer::Failed {
            error,
            unreachable: false,
        };
        let url = self.endpoint.url().to_owned();
        let Some(role) = &request.role else {
            return match self.read_role_name(&url, answer) {
                Ok(role) => {
                    self.discovered = Some(role);
                    MetadataAnswer::AskAgain
                }
                Err(answer) => answer,
            };
        };
        let name = role.as_str();
        let response = match answer {
            Ok(r) => r,
            Err(e) => {
                return failed(invalid(format!(
                    "the instance metadata service at {url} did not answer for role {name}: {e}"
                )))
            }
        };
        match response.status().as_u16() {
            200 => {}
            404 => {
                // The role was unbound or replaced: ask for its name again next time.
                self.discovered = None;
                return failed(invalid(format!(
                    "the instance metadata service at {url} has no credentials for role {name} (HTTP 404); is it still bound?"
                )));
            }
            status => {
                return failed(invalid(format!(
                    "the instance metadata service at {url} answered HTTP {status} for role {name}"
                )))
            }
        }
        if let Err(e) = capped(response.body(), &url) {
            return failed(e);
        }
        match parse_role_credentials(response.body()) {
            Ok(c) => MetadataAnswer::Credentials(c),
            Err(e) => failed(invalid(format!(
                "the instance metadata service at {url}, role {name}: {}",
                describe(&e)
            ))),
        }
    }

    fn read_role_name(
        &self,
        url: &str,
        answer: Result<Response<Vec<u8>>, ExchangeError>,
    ) -> Result<RoleName, MetadataAnswer> {
        let failed = |error| MetadataAnswer::Failed {
            error,
            unreachable: false,
        };
        let response = match answer {
            Ok(r) => r,
            Err(e) if e.error().kind() == TransportErrorKind::NotSent => {
                return Err(MetadataAnswer::Failed {
                    error: error(
                        CredentialsErrorKind::NotConfigured,
                        format!("no instance metadata service at {url} (not on a CVM): {e}"),
                    ),
                    unreachable: true,
                })
            }
            Err(e) => {
                return Err(failed(invalid(format!(
                    "the instance metadata service at {url} did not answer: {e}"
                ))))
            }
        };
        match response.status().as_u16() {
            200 => {}
            404 => {
                return Err(failed(error(
                    CredentialsErrorKind::NotConfigured,
                    format!("no CAM role is bound to this instance (HTTP 404 from {url})"),
                )))
            }
            status => {
                return Err(failed(invalid(format!(
                    "the instance metadata service at {url} answered HTTP {status} when asked for the role"
                ))))
            }
        }
        capped(response.body(), url).map_err(failed)?;
        parse_role_name(response.body()).map_err(|e| {
            failed(invalid(format!(
                "the instance metadata service at {url}: {e}"
            )))
        })
    }
}

fn capped(body: &[u8], url: &str) -> Result<(), CredentialsError> {
    if body.len() > MAX_METADATA_ANSWER {
        return Err(invalid(format!(
            "the instance metadata service at {url} answered more than {MAX_METADATA_ANSWER} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport_error::TransportError;

    fn status(code: u16, body: &str) -> Result<Response<Vec<u8>>, ExchangeError> {
        let mut r = Response::new(body.as_bytes().to_vec());
        *r.status_mut() = http::StatusCode::from_u16(code).unwrap();
        Ok(r)
    }

    #[test]
    fn discovery_then_credentials_and_a_404_forgets_the_role() {
        let mut role = CvmRole::new(MetadataEndpoint::default(), None);
        let ask = role.next_request().unwrap();
        assert_eq!(
            role.handle_answer(&ask, status(200, "ops\n")),
            MetadataAnswer::AskAgain
        );
        let ask = role.next_request().unwrap();
        assert!(!ask.is_role_name());
        let MetadataAnswer::Failed { error, unreachable } =
            role.handle_answer(&ask, status(404, ""))
        else {
            panic!()
        };
        assert!(!unreachable);
        assert!(error.detail().contains("is it still bound?"), "{error}");
        assert!(role.next_request().unwrap().is_role_name());
        let body = r#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"k","Token":"t","ExpiredTime":1700007200,"Code":"Success"}"#;
        let ask = role.next_request().unwrap();
        role.handle_answer(&ask, status(200, "ops"));
        let ask = role.next_request().unwrap();
        assert!(matches!(
            role.handle_answer(&ask, status(200, body)),
            MetadataAnswer::Credentials(_)
        ));
    }

    #[test]
    fn not_on_a_cvm_or_no_role_is_not_configured() {
        let mut role = CvmRole::new(MetadataEndpoint::default(), None);
        let ask = role.next_request().unwrap();
        let refused = ExchangeError::new(
            TransportError::new(TransportErrorKind::NotSent, "refused"),
            2,
        );
        let MetadataAnswer::Failed { error, unreachable } = role.handle_answer(&ask, Err(refused))
        else {
            panic!()
        };
        assert!(unreachable);
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
        let MetadataAnswer::Failed { error, unreachable } =
            role.handle_answer(&ask, status(404, ""))
        else {
            panic!()
        };
        assert!(!unreachable);
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
        let MetadataAnswer::Failed { error, .. } = role.handle_answer(&ask, status(500, "")) else {
            panic!()
        };
        assert_eq!(error.kind(), CredentialsErrorKind::Invalid);
        let big = "r".repeat(MAX_METADATA_ANSWER + 1);
        let MetadataAnswer::Failed { error, .. } = role.handle_answer(&ask, status(200, &big))
        else {
            panic!()
        };
        assert!(error.detail().contains("more than 65536 bytes"), "{error}");
        assert_eq!(
            role.known_unreachable().kind(),
            CredentialsErrorKind::NotConfigured
        );
    }
}
