//! [`Client::caller_identity`]: who the client's credentials are (STS
//! `GetCallerIdentity`), and [`CallerIdentityError`].

use std::fmt;

use tencentcloud_cvm_core::response::{ResponseError, ServiceError};
use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::source_exchange::ExchangeError;
use tencentcloud_cvm_core::sts::{
    caller_identity_config, GetCallerIdentity, GetCallerIdentityResponse, InvalidStsSettings,
};
use tencentcloud_cvm_core::{ApiRequest, BuildError, CredentialsError, ServiceConfig};

use super::{driver, Client};
use crate::credentials::exchange::exchange;

/// Why [`Client::caller_identity`] has no answer. Nothing about the
/// credentials but the SecretId's owner is ever shown, and no secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallerIdentityError {
    /// No credentials (nothing was sent); shows the provider's error.
    Credentials(CredentialsError),
    /// The STS settings were refused (nothing was sent); shows their error.
    Settings(InvalidStsSettings),
    /// The request could not be signed (nothing was sent).
    Sign(BuildError),
    /// No answer came (after one more try where the core allows it).
    Transport {
        /// STS's host, as sent.
        host: String,
        /// The last failure and how many tries.
        error: ExchangeError,
    },
    /// An answer that is not an identity: the service refused (the key may not
    /// call `GetCallerIdentity`, or is unknown), or the body cannot be read.
    Response {
        /// STS's host, as sent.
        host: String,
        /// What the answer was (boxed: it is large, and rare).
        error: Box<ResponseError>,
    },
}

impl CallerIdentityError {
    /// The service's error, when STS answered with one (e.g.
    /// `AuthFailure.UnauthorizedOperation` for a key not allowed to ask).
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            CallerIdentityError::Response { error, .. } => error.service_error(),
            _ => None,
        }
    }
}

/// Wrapping variants of errors that say what they are about (credentials,
/// settings) show that error's message and hand on its source; the others
/// say what failed, with the cause as their source.
impl fmt::Display for CallerIdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallerIdentityError::Credentials(e) => e.fmt(f),
            CallerIdentityError::Settings(e) => e.fmt(f),
            CallerIdentityError::Sign(_) => f.write_str("cannot sign GetCallerIdentity"),
            CallerIdentityError::Transport { host, .. } => {
                write!(f, "STS GetCallerIdentity at {host}: no answer")
            }
            CallerIdentityError::Response { host, error } => match error.service_error() {
                Some(_) => write!(f, "STS GetCallerIdentity at {host} was refused"),
                None => write!(
                    f,
                    "STS GetCallerIdentity at {host}: the answer cannot be read"
                ),
            },
        }
    }
}

impl std::error::Error for CallerIdentityError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallerIdentityError::Credentials(e) => e.source(),
            CallerIdentityError::Settings(e) => e.source(),
            CallerIdentityError::Sign(e) => Some(e),
            CallerIdentityError::Transport { error, .. } => Some(error),
            CallerIdentityError::Response { error, .. } => Some(&**error),
        }
    }
}

impl Client {
    /// Who the credentials belong to: STS `GetCallerIdentity` (the account, the
    /// ARN, the principal and its type), signed with this client's credentials
    /// and sent over its transport (so through its proxy, trusting its CA
    /// certificates), tried once more after a failure that proves it was not
    /// delivered (it changes nothing, so that is always safe).
    ///
    /// STS is asked where [`ClientBuilder::sts`](crate::ClientBuilder::sts)
    /// says; by default, `TENCENTCLOUD_STS_ENDPOINT`, else at the client's
    /// place: `sts.tencentcloudapi.com` for the default endpoint, the regional
    /// STS host for a regional one, and the very base URL of an emulator or
    /// other custom endpoint (a host starting `cvm.` becomes `sts.`), in the
    /// client's region. See
    /// [`caller_identity_config`](tencentcloud_cvm_core::sts::caller_identity_config).
    ///
    /// A key may lack the permission to ask (`sts:GetCallerIdentity`): that is
    /// an `Err` with [`CallerIdentityError::service_error`], and nothing else
    /// about the client changes.
    ///
    /// ```no_run
    /// use tencentcloud_cvm_ureq::Client;
    /// let client = Client::new("ap-guangzhou")?;
    /// match client.caller_identity() {
    ///     Ok(me) => println!("account {}, {} ({:?})", me.account_id, me.arn, me.identity_type),
    ///     Err(e) => eprintln!("who this is cannot be told: {e}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn caller_identity(&self) -> Result<GetCallerIdentityResponse, CallerIdentityError> {
        let inner = &self.inner;
        let config = self.sts_config()?;
        let credentials = inner
            .credentials
            .credentials()
            .map_err(CallerIdentityError::Credentials)?;
        let (offset, max_body) = {
            let state = driver::lock(&inner.state);
            (state.clock_offset(), state.max_body())
        };
        // The correction the CVM answers taught this client applies here too.
        let now = inner.clock.unix_time().saturating_add_signed(offset);
        let request = config
            .sign(&GetCallerIdentity, now, &credentials, &Signer::new())
            .map_err(CallerIdentityError::Sign)?;
        let (_, _, transport) = inner.sts.given();
        let transport = transport.unwrap_or(&inner.transport);
        let host = config.host().to_owned();
        let response =
            exchange(&**transport, &request).map_err(|error| CallerIdentityError::Transport {
                host: host.clone(),
                error,
            })?;
        GetCallerIdentity::parse_response(&response, max_body).map_err(|error| {
            CallerIdentityError::Response {
                host,
                error: Box::new(error),
            }
        })
    }

    /// Where [`Client::caller_identity`] sends.
    fn sts_config(&self) -> Result<ServiceConfig, CallerIdentityError> {
        let sts = &self.inner.sts;
        let (region, endpoint, _) = sts.given();
        caller_identity_config(&self.inner.config, endpoint, region, &|name| {
            sts.variable(name)
        })
        .map_err(CallerIdentityError::Settings)
    }
}
