//! Signing glue: a [`ServiceConfig`] turns an action, a JSON body, a timestamp
//! and credentials into a signed `http::Request`.

use http::header::{HeaderValue, AUTHORIZATION};
use http::Request;

use crate::build_error::BuildError;
use crate::credentials::Credentials;
use crate::headers::{CONTENT_TYPE_JSON, X_TC_ACTION, X_TC_TIMESTAMP, X_TC_TOKEN};
use crate::service_config::ServiceConfig;
use crate::signing::{Signer, SigningError, SigningParams};
use crate::terminate::{TerminateInstances, ACTION};

impl ServiceConfig {
    /// Signing parameters for `action` with `body` at `timestamp` (for inspecting intermediates).
    pub fn signing_params<'a>(
        &'a self,
        action: &'a str,
        body: &'a [u8],
        timestamp: u64,
    ) -> Result<SigningParams<'a>, SigningError> {
        SigningParams::builder()
            .host(&self.host)
            .service(self.service().name())
            .action(action)
            .content_type(CONTENT_TYPE_JSON)
            .payload(body)
            .timestamp(timestamp)
            .signed_headers(self.signed_headers())
            .payload_signing(self.payload_signing())
            .build()
    }

    /// Builds and signs a `POST /` for any action of the configured service with a JSON `body`.
    ///
    /// `action` must be an API action name (ASCII letters and digits), e.g. `TerminateInstances`.
    pub fn build_request(
        &self,
        action: &'static str,
        body: Vec<u8>,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(BuildError::Signing(SigningError::InvalidValue("action")));
        }
        // The host was validated when this config was built, the content type is
        // constant and the action was just checked: skip the builder's checks.
        let params = SigningParams::builder()
            .content_type(CONTENT_TYPE_JSON)
            .payload(&body)
            .service(self.service().name())
            .signed_headers(self.signed_headers())
            .payload_signing(self.payload_signing())
            .build_prevalidated(&self.host, action, timestamp);
        let (signature, date) = signer.signature_and_date(&params, credentials);
        let authorization = crate::signing::authorization_bytes(
            credentials.secret_id(),
            date,
            params.service(),
            self.signed_headers().as_str(),
            &signature,
        );
        let mut authorization = HeaderValue::try_from(authorization)
            .map_err(|_| BuildError::InvalidCredentialCharacters("SecretId"))?;
        authorization.set_sensitive(true);

        let mut headers = self.base_headers.clone();
        for (name, value) in [
            (&X_TC_ACTION, HeaderValue::from_static(action)),
            (&X_TC_TIMESTAMP, HeaderValue::from(timestamp)),
            (&AUTHORIZATION, authorization),
        ] {
            if let Some(slot) = headers.get_mut(name) {
                *slot = value;
            }
        }
        if let Some(token) = credentials.token() {
            let mut value = HeaderValue::from_str(token.expose())
                .map_err(|_| BuildError::InvalidCredentialCharacters("session token"))?;
            value.set_sensitive(true);
            headers.insert(X_TC_TOKEN.clone(), value);
        }

        let mut request = Request::new(body);
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Builds and signs a TerminateInstances request.
    pub fn terminate_instances(
        &self,
        request: &TerminateInstances,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        self.build_request(ACTION, request.to_body(), timestamp, credentials, signer)
    }
}
