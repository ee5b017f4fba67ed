//! [`ConfigError`]: why an emulator could not be built, or an instance not added.

use std::fmt;

/// Why an [`EmulatorConfig`](crate::EmulatorConfig) could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// An instance ID is not `ins-` and 8 lowercase letters or digits.
    InvalidInstanceId(String),
    /// Two instances have the same ID.
    DuplicateInstanceId(String),
    /// Two credentials have the same SecretId.
    DuplicateSecretId(String),
    /// `instances(n)` asked for more than 100,000,000 (8 decimal digits).
    TooManyInstances(usize),
    /// The CVM role name is not a CAM role name.
    InvalidRoleName(String),
    /// An instance has a state or charge type the emulator does not model (an
    /// `Unknown` value).
    UnmodelledValue {
        /// The instance.
        id: String,
        /// What is not modelled.
        what: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidInstanceId(id) => {
                write!(f, "invalid instance ID `{}`", id.escape_default())
            }
            ConfigError::DuplicateInstanceId(id) => write!(f, "duplicate instance ID `{id}`"),
            ConfigError::DuplicateSecretId(id) => {
                write!(f, "duplicate SecretId `{}`", id.escape_default())
            }
            ConfigError::InvalidRoleName(name) => {
                write!(f, "invalid CVM role name `{}`", name.escape_default())
            }
            ConfigError::TooManyInstances(n) => {
                write!(
                    f,
                    "{n} instances requested; at most 100000000 can be numbered"
                )
            }
            ConfigError::UnmodelledValue { id, what } => write!(
                f,
                "instance `{id}` has {}, which the emulator does not model",
                what.escape_default()
            ),
        }
    }
}

impl std::error::Error for ConfigError {}
