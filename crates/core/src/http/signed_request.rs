//! Signing glue: a [`ServiceConfig`] turns an action, a JSON body, a timestamp
//! and credentials into a signed `http::Request`.

use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use http::{HeaderMap, Request};

use crate::actions::api_request::ApiRequest;
use crate::actions::terminate_instances::TerminateInstances;
use crate::credentials::Credentials;
use crate::http::build_error::BuildError;
use crate::http::headers::{CONTENT_TYPE_JSON, X_TC_ACTION, X_TC_TIMESTAMP, X_TC_TOKEN};
use crate::http::service_config::ServiceConfig;
use crate::signing::{Decimal, Signer, SigningError, SigningParams};

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
        if !is_action_name(action) {
            return Err(BuildError::Signing(SigningError::InvalidValue("action")));
        }
        // Checked just above, so `from_static` cannot panic.
        let action = PreparedAction {
            name: action,
            value: HeaderValue::from_static(action),
        };
        self.build_prepared(&action, body, timestamp, credentials, signer)
    }

    /// [`Self::build_request`] once the action is checked and its header value made
    /// (at compile time for the actions this crate sends itself).
    fn build_prepared(
        &self,
        action: &PreparedAction,
        body: Vec<u8>,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        // The host was validated when this config was built, the content type is
        // constant and the action is checked: skip the builder's checks.
        let params = SigningParams::builder()
            .content_type(CONTENT_TYPE_JSON)
            .payload(&body)
            .service(self.service().name())
            .signed_headers(self.signed_headers())
            .payload_signing(self.payload_signing())
            .build_prevalidated(&self.host, action.name, timestamp);
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
        // From the digits rather than `From<u64>`: one exactly sized allocation
        // instead of a buffer and a shared handle (two).
        let timestamp = HeaderValue::from_bytes(Decimal::new(timestamp).as_bytes())
            .map_err(|_| BuildError::Signing(SigningError::InvalidValue("timestamp")))?;

        let token = match credentials.token() {
            Some(token) => {
                let mut value = HeaderValue::from_str(token.expose())
                    .map_err(|_| BuildError::InvalidCredentialCharacters("session token"))?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };

        let action = (&X_TC_ACTION, action.value.clone());
        let timestamp = (&X_TC_TIMESTAMP, timestamp);
        let authorization = (&AUTHORIZATION, authorization);
        Ok(match token {
            None => self.post(&self.base_headers, body, [action, timestamp, authorization]),
            Some(token) => self.post(
                &self.base_headers_with_token,
                body,
                [action, timestamp, authorization, (&X_TC_TOKEN, token)],
            ),
        })
    }

    /// A `POST /` with `body` and a clone of `base` (one of the prepared maps)
    /// whose per-request placeholders are replaced by `values` (see
    /// [`set_per_request`]): signed and unsigned requests are assembled alike.
    pub(crate) fn post<const N: usize>(
        &self,
        base: &HeaderMap,
        body: Vec<u8>,
        values: [(&'static HeaderName, HeaderValue); N],
    ) -> Request<Vec<u8>> {
        let mut request = Request::new(body);
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = base.clone();
        set_per_request(request.headers_mut(), values);
        request
    }

    /// Builds and signs `request` at `timestamp`, like
    /// [`build_request`](ServiceConfig::build_request) but with the action's header
    /// value made at compile time.
    pub fn sign<R: ApiRequest>(
        &self,
        request: &R,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        self.build_prepared(
            &const { PreparedAction::new(R::ACTION.name()) },
            request.to_body(),
            timestamp,
            credentials,
            signer,
        )
    }

    /// Builds and signs a TerminateInstances request ([`Self::sign`]).
    pub fn terminate_instances(
        &self,
        request: &TerminateInstances,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        self.sign(request, timestamp, credentials, signer)
    }
}

/// An action name and its `X-TC-Action` value.
struct PreparedAction {
    name: &'static str,
    value: HeaderValue,
}

impl PreparedAction {
    /// Checks `name` and makes its header value; in a constant, both happen at
    /// compile time (an invalid name fails the build) instead of `from_static`'s
    /// byte-by-byte check on every request (about 150 instructions).
    const fn new(name: &'static str) -> Self {
        assert!(
            is_action_name(name),
            "an action name is one or more ASCII letters and digits"
        );
        PreparedAction {
            name,
            value: HeaderValue::from_static(name),
        }
    }
}

/// An API action name: one or more ASCII letters and digits (so also a valid
/// header value). A `const fn` so that [`PreparedAction::new`] checks it at
/// compile time with the same rule [`ServiceConfig::build_request`] checks at run time.
const fn is_action_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            return false;
        }
        i += 1;
    }
    !bytes.is_empty()
}

/// Replaces the placeholders of per-request headers. The prepared maps hold them
/// last, in the order given (see `ServiceConfigBuilder::build`), so they are found
/// by position and one pass of name comparisons instead of hashed lookups (three
/// of those were about 500 instructions per request). Should a map ever be laid
/// out otherwise, hashed inserts keep the result right.
fn set_per_request<const N: usize>(
    headers: &mut HeaderMap,
    values: [(&'static HeaderName, HeaderValue); N],
) {
    let skip = headers.len().saturating_sub(N);
    let in_place = headers
        .keys()
        .skip(skip)
        .eq(values.iter().map(|(name, _)| *name));
    if in_place {
        for ((_, slot), (_, value)) in headers.iter_mut().skip(skip).zip(values) {
            *slot = value;
        }
    } else {
        for (name, value) in values {
            headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{authorization_header, PayloadSigning, SignedHeaders, SigningKey};
    use crate::{Action, Language, Service};

    const TS: u64 = 1_700_000_000;

    /// The Authorization computed without the signer's caches or the fast paths.
    fn reference(
        config: &ServiceConfig,
        action: &str,
        body: &[u8],
        credentials: &Credentials,
    ) -> String {
        let params = SigningParams::builder()
            .host(config.host())
            .service(config.service().name())
            .action(action)
            .content_type(CONTENT_TYPE_JSON)
            .payload(body)
            .timestamp(TS)
            .signed_headers(config.signed_headers())
            .payload_signing(config.payload_signing())
            .build()
            .unwrap();
        let key = SigningKey::derive(credentials.secret_key(), params.date(), params.service());
        authorization_header(
            credentials.secret_id(),
            params.date(),
            params.service(),
            config.signed_headers().as_str(),
            &key.sign(&params.string_to_sign()),
        )
    }

    #[test]
    fn a_non_cvm_service_signs_with_its_own_scope_and_version() {
        let signer = Signer::new();
        let credentials = Credentials::new("AKIDexample", "secret");
        let cvm = ServiceConfig::builder("ap-guangzhou").build().unwrap();
        let sts = ServiceConfig::builder("ap-guangzhou")
            .service(Service::STS)
            .build()
            .unwrap();
        let body = br#"{"Name":"x","Policy":"{}"}"#.to_vec();
        // One signer for both services: the cached key and prefix of one must not
        // stand in for the other's.
        for _ in 0..2 {
            let request = sts
                .build_request(
                    "GetFederationToken",
                    body.clone(),
                    TS,
                    &credentials,
                    &signer,
                )
                .unwrap();
            let h = request.headers();
            assert_eq!(h["host"], "sts.tencentcloudapi.com");
            assert_eq!(h["x-tc-version"], "2018-08-13");
            assert_eq!(h["x-tc-action"], "GetFederationToken");
            let auth = h["authorization"].to_str().unwrap();
            assert!(auth.contains("/2023-11-14/sts/tc3_request, "), "{auth}");
            assert_eq!(
                auth,
                reference(&sts, "GetFederationToken", &body, &credentials)
            );

            let request = cvm
                .build_request(
                    "DescribeInstances",
                    b"{}".to_vec(),
                    TS,
                    &credentials,
                    &signer,
                )
                .unwrap();
            assert_eq!(
                request.headers()["authorization"],
                reference(&cvm, "DescribeInstances", b"{}", &credentials).as_str()
            );
        }
    }

    #[test]
    fn per_request_headers_replace_the_placeholders_in_every_configuration() {
        let signer = Signer::new();
        let request = TerminateInstances::new(["ins-r8hr2upy"]).unwrap();
        for language in [None, Some(Language::EnUs)] {
            for payload_signing in [PayloadSigning::Signed, PayloadSigning::Unsigned] {
                for signed_headers in [
                    SignedHeaders::ContentTypeHostAction,
                    SignedHeaders::ContentTypeHost,
                ] {
                    for token in [None, Some("temporary-token")] {
                        let config = ServiceConfig::builder("ap-shanghai")
                            .language(language)
                            .payload_signing(payload_signing)
                            .signed_headers(signed_headers)
                            .build()
                            .unwrap();
                        let credentials = Credentials::new("AKIDexample", "secret");
                        let credentials = match token {
                            Some(t) => credentials.with_token(t),
                            None => credentials,
                        };
                        let http = config
                            .terminate_instances(&request, TS, &credentials, &signer)
                            .unwrap();
                        let h = http.headers();
                        let expected = 8
                            + usize::from(language.is_some())
                            + usize::from(payload_signing == PayloadSigning::Unsigned)
                            + usize::from(token.is_some());
                        assert_eq!(h.len(), expected, "{h:?}");
                        assert!(h.values().all(|v| !v.is_empty()), "{h:?}");
                        assert_eq!(h["x-tc-action"], "TerminateInstances");
                        assert_eq!(h["x-tc-timestamp"], "1700000000");
                        assert_eq!(h.get("x-tc-token").map(|v| v.to_str().unwrap()), token);
                        assert!(h["authorization"].is_sensitive());
                        assert_eq!(
                            h["authorization"],
                            reference(
                                &config,
                                Action::TerminateInstances.name(),
                                http.body(),
                                &credentials
                            )
                            .as_str()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn set_per_request_falls_back_when_the_placeholders_are_elsewhere() {
        let mut headers = HeaderMap::new();
        headers.insert(&AUTHORIZATION, HeaderValue::from_static(""));
        headers.insert(&X_TC_ACTION, HeaderValue::from_static(""));
        headers.insert(http::header::HOST, HeaderValue::from_static("h"));
        set_per_request(
            &mut headers,
            [
                (&X_TC_ACTION, HeaderValue::from_static("A")),
                (&X_TC_TIMESTAMP, HeaderValue::from_static("1")),
                (&AUTHORIZATION, HeaderValue::from_static("sig")),
            ],
        );
        assert_eq!(headers.len(), 4);
        assert_eq!(headers["x-tc-action"], "A");
        assert_eq!(headers["x-tc-timestamp"], "1");
        assert_eq!(headers["authorization"], "sig");
        assert_eq!(headers["host"], "h");
    }

    #[test]
    fn an_invalid_action_is_an_error_not_a_panic() {
        let config = ServiceConfig::builder("ap-guangzhou").build().unwrap();
        let credentials = Credentials::new("AKIDexample", "secret");
        for action in [
            "",
            "Terminate Instances",
            "Terminate\nInstances",
            "Termin\u{e9}",
        ] {
            assert!(config
                .build_request(action, b"{}".to_vec(), TS, &credentials, &Signer::new())
                .is_err());
        }
    }
}
