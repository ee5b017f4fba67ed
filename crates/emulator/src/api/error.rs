//! An API error: the `Code` and `Message` of an error envelope.

use std::fmt;

use tencentcloud_cvm_core::ErrorCode;

/// An error as the service reports it inside `{"Response":{"Error":{...}}}`.
///
/// ```
/// use tencentcloud_cvm_emulator::ApiError;
/// let e = ApiError::new("InvalidInstanceId.NotFound", "The instance `ins-00000009` does not exist.");
/// assert_eq!(e.code(), "InvalidInstanceId.NotFound");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
}

impl ApiError {
    /// An error with a code from the service's list and a human-readable message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self::with_code(ErrorCode::parse(code), message)
    }

    /// An error with a typed code (e.g. from the core's validation or state table).
    pub fn with_code(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The error code, e.g. `AuthFailure.SignatureFailure`.
    pub fn code(&self) -> &str {
        self.code.as_str()
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
