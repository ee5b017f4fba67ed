//! Requests STS takes without a signature (`Authorization: SKIP`): the caller
//! proves who it is inside the body (an OIDC token), not with a key.

use http::header::HeaderValue;
use http::Request;

use crate::http::service_config::ServiceConfig;
use crate::http::signed_request::PerRequest;

impl ServiceConfig {
    /// A `POST /` for `action` (one of this crate's action constants, so it needs
    /// no check) with a JSON `body`, unsigned.
    pub(crate) fn unsigned_request(
        &self,
        action: &'static str,
        body: Vec<u8>,
        timestamp: u64,
    ) -> Request<Vec<u8>> {
        self.post(
            body,
            PerRequest {
                action: HeaderValue::from_static(action),
                timestamp: HeaderValue::from(timestamp),
                authorization: HeaderValue::from_static("SKIP"),
                token: None,
            },
        )
    }
}
