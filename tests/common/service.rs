//! The emulator in this process on loopback, its access log collected: what
//! reached the service, per action, and the state it left the instances in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_cvm::{Client, ClientBuilder, Credentials, ProxyConfig};
use tencentcloud_cvm_emulator::{
    AccessLogEntry, EmulatorConfig, InstanceState, Server, ServerHandle,
};

use super::access_log;

/// A running emulator that accepts one key, and clients for it.
pub struct Service {
    pub server: ServerHandle,
    credentials: Credentials,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
}

impl Service {
    /// How long a client waits for each answer.
    pub const TIMEOUT: Duration = Duration::from_millis(800);

    /// Builds `config` accepting `credentials` and serves it on 127.0.0.1.
    pub fn start(config: EmulatorConfig, credentials: Credentials) -> Service {
        let emulator = config.credential(credentials.clone()).build().unwrap();
        let (log, sink) = access_log();
        let server = Server::new(emulator)
            .access_log(sink)
            .bind("127.0.0.1:0")
            .unwrap();
        Service {
            server,
            credentials,
            log,
        }
    }

    /// A client signing with the service's key, no proxy, [`Self::TIMEOUT`].
    pub fn client(&self) -> Client {
        self.client_with(|b| b)
    }

    /// [`Self::client`], changed by `f`.
    pub fn client_with(&self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        f(Client::builder()
            .region("ap-guangzhou")
            .endpoint_url(self.server.url())
            .credentials(self.credentials.clone())
            .http(|h| h.proxy(ProxyConfig::None).request_timeout(Self::TIMEOUT)))
        .build()
        .unwrap()
    }

    /// Requests of every action.
    pub fn requests(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// The actions of every request, in order.
    pub fn actions(&self) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter()
            .map(|e| e.action.clone().unwrap_or_default())
            .collect()
    }

    /// The results of every request, in order, as `action result`.
    pub fn results(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|e| format!("{} {}", e.action.as_deref().unwrap_or("-"), e.result))
            .collect()
    }

    /// The results of the requests of one action, in order.
    pub fn results_of(&self, action: &str) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.action.as_deref() == Some(action))
            .map(|e| e.result.clone())
            .collect()
    }

    /// Requests of one action.
    pub fn count(&self, action: &str) -> usize {
        self.results_of(action).len()
    }

    /// TerminateInstances requests.
    pub fn terminates(&self) -> usize {
        self.count("TerminateInstances")
    }

    /// TerminateInstances requests the service acted on. Every other one must
    /// have been throttled, which is refused before acting: a loaded machine can
    /// delay a request between the client's rate limiter and its arrival, so the
    /// emulator's sliding second sees arrivals the client spaced out as bunched,
    /// and the client sends the throttled one again.
    pub fn terminates_acted_on(&self) -> usize {
        let results = self.results_of("TerminateInstances");
        for r in results.iter().filter(|r| *r != "OK") {
            assert!(r.starts_with("RequestLimitExceeded"), "{r}: {results:?}");
        }
        results.iter().filter(|r| *r == "OK").count()
    }

    /// The key the service accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn state(&self, id: &str) -> Option<InstanceState> {
        self.server.with_state(|e| e.instance(id)).map(|i| i.state)
    }
}
