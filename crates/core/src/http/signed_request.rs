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
use crate::signing::{Signer, SigningError, SigningParams};

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
        self.build_prepared(action, body, timestamp, credentials, signer)
    }

    /// [`Self::build_request`] once the action is checked and its header value made
    /// (at compile time for the actions this crate sends itself).
    fn build_prepared(
        &self,
        action: PreparedAction,
        body: Vec<u8>,
        timestamp: u64,
        credentials: &Credentials,
        signer: &Signer,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        let service = self.service().name();
        // The host was validated when this config was built, the content type is
        // constant and the action is checked: skip the builder's checks.
        let params = SigningParams::builder()
            .content_type(CONTENT_TYPE_JSON)
            .payload(&body)
            .service(service)
            .signed_headers(self.signed_headers())
            .payload_signing(self.payload_signing())
            .build_prevalidated(&self.host, action.name, timestamp);
        let signed = signer.sign_request(&params, credentials);
        let authorization = self.authorization_tail.authorization(
            credentials.secret_id(),
            signed.date,
            &signed.signature,
        );
        let mut authorization = HeaderValue::try_from(authorization)
            .map_err(|_| BuildError::InvalidCredentialCharacters("SecretId"))?;
        authorization.set_sensitive(true);

        let token = match credentials.token() {
            None => None,
            Some(token) => {
                let mut token = HeaderValue::from_str(token.expose())
                    .map_err(|_| BuildError::InvalidCredentialCharacters("session token"))?;
                token.set_sensitive(true);
                Some(token)
            }
        };
        // Everything that can fail is done: only now is the request made.
        Ok(self.post(
            body,
            PerRequest {
                action: action.value,
                timestamp: signed.timestamp_value,
                authorization,
                token,
            },
        ))
    }

    /// A `POST /` with `body`, the prepared headers and `values` in their
    /// placeholders: signed and unsigned requests are assembled alike.
    #[inline]
    pub(crate) fn post(&self, body: Vec<u8>, values: PerRequest) -> Request<Vec<u8>> {
        let mut request = Request::new(body);
        self.fill_post(&mut request, values);
        request
    }

    /// Makes `request` a `POST` to this config's URL with a clone of the
    /// prepared map that fits `values` (with or without the token's
    /// placeholder), its placeholders replaced by `values`.
    #[inline]
    fn fill_post(&self, request: &mut Request<Vec<u8>>, values: PerRequest) {
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        *headers = match values.token {
            None => self.base_headers.clone(),
            Some(_) => self.base_headers_with_token.clone(),
        };
        set_per_request(headers, values);
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
            const { PreparedAction::new(R::ACTION.name()) },
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

/// An action name and its `X-TC-Action` value. Passed by value: from a
/// constant, the value is laid out in place, with neither a check nor a clone
/// (a call through `Bytes`' vtable) per request.
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

/// The values of the headers that change from request to request, in the order
/// of their placeholders in the prepared maps.
pub(crate) struct PerRequest {
    pub(crate) action: HeaderValue,
    pub(crate) timestamp: HeaderValue,
    pub(crate) authorization: HeaderValue,
    /// With temporary credentials only.
    pub(crate) token: Option<HeaderValue>,
}

/// Replaces the placeholders of per-request headers. The prepared maps hold them
/// last, in the order of [`PerRequest`]'s fields (see `ServiceConfigBuilder::build`),
/// so each is found by position and one name comparison in a single pass instead
/// of a hashed lookup (three of those were about 500 instructions per request).
/// From the first value whose placeholder is not where expected on, the values
/// are inserted by name, so a map laid out otherwise still comes out right.
#[inline]
fn set_per_request(headers: &mut HeaderMap, values: PerRequest) {
    let count = 3 + usize::from(values.token.is_some());
    let mut action = Some(values.action);
    let mut timestamp = Some(values.timestamp);
    let mut authorization = Some(values.authorization);
    let mut token = values.token;
    let skip = headers.len().saturating_sub(count);
    let mut slots = headers.iter_mut().skip(skip);
    let in_place = fill_slot(&mut slots, &X_TC_ACTION, &mut action)
        && fill_slot(&mut slots, &X_TC_TIMESTAMP, &mut timestamp)
        && fill_slot(&mut slots, &AUTHORIZATION, &mut authorization)
        && fill_slot(&mut slots, &X_TC_TOKEN, &mut token);
    if !in_place {
        insert_rest(headers, &X_TC_ACTION, action);
        insert_rest(headers, &X_TC_TIMESTAMP, timestamp);
        insert_rest(headers, &AUTHORIZATION, authorization);
        insert_rest(headers, &X_TC_TOKEN, token);
    }
}

/// The slow path of [`set_per_request`]: a value not yet placed, by name.
#[cold]
fn insert_rest(headers: &mut HeaderMap, name: &'static HeaderName, value: Option<HeaderValue>) {
    if let Some(value) = value {
        headers.insert(name, value);
    }
}

/// Moves `value` (if any) into the next slot if that slot is `name`'s; whether the
/// next slots may still be in place.
#[inline(always)]
fn fill_slot<'a>(
    slots: &mut impl Iterator<Item = (&'a HeaderName, &'a mut HeaderValue)>,
    name: &HeaderName,
    value: &mut Option<HeaderValue>,
) -> bool {
    if value.is_none() {
        return true;
    }
    match slots.next() {
        Some((key, slot)) if same_name(key, name) => {
            if let Some(v) = value.take() {
                *slot = v;
            }
            true
        }
        _ => false,
    }
}

/// Header name equality with a shortcut: the prepared maps' names are clones of
/// the same statics, whose text is the same memory, so a pointer and a length
/// decide without a call into `memcmp`; anything else compares the text.
#[inline]
fn same_name(a: &HeaderName, b: &HeaderName) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
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
            PerRequest {
                action: HeaderValue::from_static("A"),
                timestamp: HeaderValue::from_static("1"),
                authorization: HeaderValue::from_static("sig"),
                token: None,
            },
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
