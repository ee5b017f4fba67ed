//! `--emulator`: a loopback emulator in this process, seeded with the IDs given
//! (or demo instances), so the whole tool can be tried without an account.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;

use tencentcloud_cvm::Credentials;
use tencentcloud_cvm_emulator::{Emulator, Fixture, Server, ServerHandle};

use crate::cli_error::CliError;

/// The region the emulator answers for when none is given.
pub const REGION: &str = "ap-guangzhou";
/// How many demo instances are made when no IDs are given.
const DEMO_INSTANCES: usize = 3;

/// The running emulator (stopped on drop) and what to sign for it with.
pub struct EmbeddedEmulator {
    server: ServerHandle,
    credentials: Credentials,
}

impl EmbeddedEmulator {
    /// Starts on 127.0.0.1 with `ids` (validated and de-duplicated), or demo
    /// instances when there are none, saying where on stderr when `announce`;
    /// returns it with the IDs to act on.
    ///
    /// With `fleet` (a selection, or several regions), it serves the example fleet
    /// instead ([`Fixture::example`]: 13 instances in three regions, each seen only
    /// in its own region), and the IDs given are looked up in it.
    pub fn start(
        ids: Vec<String>,
        fleet: bool,
        announce: bool,
    ) -> Result<(EmbeddedEmulator, Vec<String>), CliError> {
        let credentials = fresh_credentials();
        let builder = Emulator::builder().credential(credentials.clone());
        let (builder, ids, count) = if fleet {
            let example = Fixture::example();
            let count = example.instances().len();
            (builder.fixture(&example), ids, count)
        } else {
            let ids: Vec<String> = if ids.is_empty() {
                (0..DEMO_INSTANCES).map(|i| format!("ins-{i:08}")).collect()
            } else {
                ids
            };
            let count = ids.len();
            (builder.seed(ids.iter().cloned()), ids, count)
        };
        let emulator = builder
            .build()
            .map_err(|e| CliError::caused_by("emulator", &e))?;
        let server = Server::start(emulator, "127.0.0.1:0")
            .map_err(|e| CliError::caused_by("cannot start the emulator", &e))?;
        if announce {
            let _ = writeln!(
                std::io::stderr(),
                "emulator listening on {} ({count} instance(s))",
                server.url()
            );
        }
        Ok((
            EmbeddedEmulator {
                server,
                credentials,
            },
            ids,
        ))
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }
}

/// A fixed SecretId and a key no one else knows.
fn fresh_credentials() -> Credentials {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    Credentials::new("AKIDtccvmEmulator", format!("emulator-{:016x}", h.finish()))
}
