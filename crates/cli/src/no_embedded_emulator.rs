//! `--emulator` in a `tccvm` built without the `emulator` feature: the flag is
//! known, and says how to get it.

use tencentcloud_cvm::Credentials;

use crate::cli_error::CliError;

pub const REGION: &str = "ap-guangzhou";

/// No emulator can exist in this build.
pub enum EmbeddedEmulator {}

impl EmbeddedEmulator {
    pub fn start(
        _: Vec<String>,
        _: bool,
        _: bool,
    ) -> Result<(EmbeddedEmulator, Vec<String>), CliError> {
        Err(CliError::new(
            "this tccvm was built without the embedded emulator (the cargo feature `emulator`, \
             on by default): install it without --no-default-features to use --emulator",
        ))
    }

    pub fn url(&self) -> String {
        match *self {}
    }

    pub fn credentials(&self) -> Credentials {
        match *self {}
    }
}
