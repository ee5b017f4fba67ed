//! Requests STS takes without a signature (`Authorization: SKIP`): the caller
//! proves who it is inside the body (an OIDC token), not with a key.

use http::header::{HeaderValue, AUTHORIZATION};
use http::Request;

use crate::http::headers::{X_TC_ACTION, X_TC_TIMESTAMP};
use crate::http::service_config::ServiceConfig;

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
            &self.base_headers,
            body,
            [
                (&X_TC_ACTION, HeaderValue::from_static(action)),
                (&X_TC_TIMESTAMP, HeaderValue::from(timestamp)),
                (&AUTHORIZATION, HeaderValue::from_static("SKIP")),
            ],
        )
    }
}
