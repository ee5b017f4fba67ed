//! The loopback server: hyper HTTP/1.1 on a tokio current-thread runtime in a
//! background thread, behind a synchronous API.

mod connection_limits;
pub(crate) mod service;
pub(crate) mod tls;

use std::io;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tencentcloud_cvm_core::Credentials;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::api::access_log::AccessLogEntry;
use crate::emulator::Emulator;
use crate::faults::Fault;
use crate::faults::FaultQueue;
use crate::server::connection_limits::ConnectionLimits;
use crate::server::service::{lock, serve, LogSink, Shared};
use crate::server::tls::Tls;

/// The most bytes a request's head (request line and header fields, with the blank
/// line that ends them) may take.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most header fields a request may have.
const MAX_HEADER_FIELDS: usize = 100;

/// Configures and starts a server around an [`Emulator`].
///
/// It is a test tool, listening on loopback unless told otherwise; its limits keep a
/// misbehaving client from wedging it:
///
/// * at most `max_connections` connections at once (default 256), and at most
///   `max_connections_per_peer` from one IP address (default 64), so that one client
///   holding idle connections cannot lock out the others; a connection beyond either
///   is accepted and closed at once. On loopback every local client is usually
///   127.0.0.1, so there the per-peer limit is the one that applies;
/// * each connection must send a request's headers within `read_timeout` (default
///   10 s, idle keep-alive included) and its body within the same time again, or it is
///   closed;
/// * a request's head (request line and header fields, up to the blank line that ends
///   them) is capped at 64 KiB, exactly, and at 100 fields: HTTP 431 beyond;
/// * bodies at the emulator's body limit (10 MiB by default, answered with
///   `RequestSizeLimitExceeded` in an HTTP 200 envelope and `Connection: close`).
///
/// Malformed HTTP gets hyper's HTTP 400 and the connection closes.
///
/// ```
/// use tencentcloud_cvm_core::Credentials;
/// use tencentcloud_cvm_emulator::{Emulator, Server};
///
/// let emulator = Emulator::builder()
///     .credential(Credentials::new("AKIDexample", "example-key"))
///     .instances(3)
///     .build()?;
/// let server = Server::new(emulator)
///     .access_log(|entry| eprintln!("{entry}"))
///     .bind("127.0.0.1:0")?;
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// assert_eq!(server.with_state(|e| e.instances().len()), 3);
/// server.shutdown();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Server {
    emulator: Emulator,
    max_connections: usize,
    max_connections_per_peer: usize,
    read_timeout: Duration,
    log: Option<LogSink>,
    tls: Option<Tls>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("emulator", &self.emulator)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_peer", &self.max_connections_per_peer)
            .field("read_timeout", &self.read_timeout)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// A server for `emulator` with the default limits and no access log.
    pub fn new(emulator: Emulator) -> Self {
        Server {
            emulator,
            max_connections: 256,
            max_connections_per_peer: 64,
            read_timeout: Duration::from_secs(10),
            log: None,
            tls: None,
        }
    }

    /// Starts a server with the defaults on `addr` (e.g. `"127.0.0.1:0"` for any free port).
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use tencentcloud_cvm_core::Credentials;
    /// use tencentcloud_cvm_emulator::{Emulator, Fault, InstanceState, Server};
    ///
    /// let emulator = Emulator::builder()
    ///     .credential(Credentials::new("AKIDexample", "example-key"))
    ///     .instances(2) // ins-00000000 and ins-00000001, running, pay-as-you-go
    ///     .build()?;
    /// let server = Server::start(emulator, "127.0.0.1:0")?;
    ///
    /// // Point the client under test at `server.url()` with those credentials. Any HTTP
    /// // client reaches it; this unsigned request is refused as the service refuses it.
    /// let mut stream = std::net::TcpStream::connect(server.addr())?;
    /// write!(
    ///     stream,
    ///     "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
    ///      X-TC-Action: TerminateInstances\r\nX-TC-Version: 2017-03-12\r\n\
    ///      X-TC-Timestamp: 1700000000\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
    ///     server.endpoint()
    /// )?;
    /// let mut answer = String::new();
    /// stream.read_to_string(&mut answer)?;
    /// assert!(answer.contains(r#""Code":"MissingParameter""#), "{answer}");
    /// assert!(answer.contains("`Authorization`"), "{answer}");
    ///
    /// // Faults apply to the next requests, one each, in order; the state can be read
    /// // (and changed) to assert what the client under test did.
    /// server.inject(Fault::CloseAfterStateChange);
    /// assert_eq!(server.pending_faults(), 1);
    /// let state = server.with_state(|e| e.instance("ins-00000000").map(|i| i.state));
    /// assert_eq!(state, Some(InstanceState::Running));
    /// server.shutdown();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(emulator: Emulator, addr: impl ToSocketAddrs) -> io::Result<ServerHandle> {
        Server::new(emulator).bind(addr)
    }

    /// At most this many connections at once (at least 1; default 256).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// At most this many connections at once from one IP address (at least 1;
    /// default 64).
    pub fn max_connections_per_peer(mut self, n: usize) -> Self {
        self.max_connections_per_peer = n.max(1);
        self
    }

    /// How long a connection may take to send a request's headers, and its body.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Calls `sink` once per request with its access-log entry (on the server thread).
    pub fn access_log(mut self, sink: impl Fn(&AccessLogEntry) + Send + Sync + 'static) -> Self {
        self.log = Some(Arc::new(sink));
        self
    }

    /// Serves HTTPS with `tls` on every listener instead of plain HTTP (the TLS
    /// handshake must finish within the read timeout). The handle's URLs then say
    /// `https://`, and [`ServerHandle::certificate_pem`] gives what clients must trust.
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Binds `addr` and starts serving on a background thread.
    pub fn bind(self, addr: impl ToSocketAddrs) -> io::Result<ServerHandle> {
        self.bind_all([addr])
    }

    /// Binds every address of `addrs` and serves the same emulator on all of them, on
    /// one background thread: several access endpoints, one fleet. Each listener is an
    /// endpoint of its own for throttling (requests are counted per `Host`, as the
    /// service counts them per endpoint), so a test can give regions endpoints of
    /// their own, or let them share one.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::{Emulator, Server};
    /// let server = Server::new(Emulator::builder().instances(1).build()?)
    ///     .bind_all(["127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"])?;
    /// assert_eq!(server.addrs().len(), 3);
    /// assert_eq!(server.addr(), server.addrs()[0]);
    /// assert_eq!(server.urls().len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_all<A: ToSocketAddrs>(
        self,
        addrs: impl IntoIterator<Item = A>,
    ) -> io::Result<ServerHandle> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let mut listeners = Vec::new();
        let mut bound = Vec::new();
        for addr in addrs {
            let std_listener = StdListener::bind(addr)?;
            std_listener.set_nonblocking(true)?;
            bound.push(std_listener.local_addr()?);
            let _context = runtime.enter();
            listeners.push(TcpListener::from_std(std_listener)?);
        }
        let Some(first) = bound.first().copied() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no address to listen on",
            ));
        };
        let credentials = self.emulator.credentials().to_vec();
        let shared = Arc::new(Shared {
            emulator: Mutex::new(self.emulator),
            faults: Mutex::new(FaultQueue::default()),
            origin: Instant::now(),
            read_timeout: self.read_timeout,
            log: self.log,
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = Arc::clone(&shared);
        let limits = ConnectionLimits::new(self.max_connections, self.max_connections_per_peer);
        let certificate_pem = self.tls.as_ref().map(|t| t.certificate_pem().to_owned());
        let acceptor = self.tls.as_ref().map(Tls::acceptor);
        let thread = std::thread::Builder::new()
            .name(format!("cvm-emulator-{}", first.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    for listener in listeners {
                        tokio::spawn(accept_loop(
                            listener,
                            Arc::clone(&serving),
                            Arc::clone(&limits),
                            acceptor.clone(),
                        ));
                    }
                    let _ = stopped.await;
                });
                // Dropping the runtime here cancels every listener and connection.
            })?;
        Ok(ServerHandle {
            addrs: bound,
            certificate_pem,
            shared,
            credentials,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    limits: Arc<ConnectionLimits>,
    tls: Option<TlsAcceptor>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.read_timeout)
        // `max_header_size` is the exact cap on a request's head. `max_buf_size` alone
        // is not: hyper may read past it into spare capacity and accept whatever head
        // completes there (about twice the size); it stays as a bound on buffering.
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADER_FIELDS)
        .keep_alive(true);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors or similar: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(admission) = limits.admit(peer.ip()) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let serving = Arc::clone(&shared);
        let service = service_fn(move |request| serve(Arc::clone(&serving), request));
        let builder = builder.clone();
        let tls = tls.clone();
        let handshake_timeout = shared.read_timeout;
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    // A client that never finishes its handshake is cut off like one
                    // that never sends its headers.
                    let handshake =
                        tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await;
                    if let Ok(Ok(stream)) = handshake {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
            }
            drop(admission);
        });
    }
}

/// A running server. Shuts down when dropped or on [`shutdown`](ServerHandle::shutdown).
pub struct ServerHandle {
    addrs: Vec<SocketAddr>,
    /// The certificate clients must trust, when it serves HTTPS.
    certificate_pem: Option<String>,
    shared: Arc<Shared>,
    credentials: Vec<Credentials>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addrs", &self.addrs)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The address it listens on (the first, if it listens on several).
    pub fn addr(&self) -> SocketAddr {
        self.addrs[0]
    }

    /// Every address it listens on, in the order given to
    /// [`bind_all`](Server::bind_all).
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// The base URL, `http://127.0.0.1:PORT`, or `https://…` with
    /// [`tls`](Server::tls) (of the first address).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme(), self.addr())
    }

    /// The base URL of every address, in order.
    pub fn urls(&self) -> Vec<String> {
        let scheme = self.scheme();
        self.addrs
            .iter()
            .map(|a| format!("{scheme}://{a}"))
            .collect()
    }

    /// `https` with [`tls`](Server::tls), else `http`.
    pub fn scheme(&self) -> &'static str {
        if self.certificate_pem.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// The PEM certificate clients must trust, when it serves HTTPS.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// The host and port, `127.0.0.1:PORT` (what SDKs call the endpoint; of the first
    /// address).
    pub fn endpoint(&self) -> String {
        self.addr().to_string()
    }

    /// The host and port of every address, in order.
    pub fn endpoints(&self) -> Vec<String> {
        self.addrs.iter().map(SocketAddr::to_string).collect()
    }

    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> &[Credentials] {
        &self.credentials
    }

    /// Queues a fault for the next request that arrives, whatever its action (see
    /// [`Fault`]).
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(None, fault);
    }

    /// Queues a fault for the next request of `action` (e.g. `"TerminateInstances"`);
    /// requests of other actions pass it by and are served normally. Call it `n` times
    /// for the next `n` such requests.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::{Emulator, Fault, Server};
    /// let server = Server::start(Emulator::builder().instances(1).build()?, "127.0.0.1:0")?;
    /// server.inject_for("TerminateInstances", Fault::CloseAfterStateChange);
    /// // A DescribeInstances now is answered; the next TerminateInstances is applied
    /// // and its answer lost.
    /// assert_eq!(server.pending_faults(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inject_for(&self, action: impl Into<String>, fault: Fault) {
        lock(&self.shared.faults).push(Some(action.into()), fault);
    }

    /// How many injected faults have not been used yet.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.faults).len()
    }

    /// Runs `f` on the emulator's state, brought up to the current time first.
    pub fn with_state<R>(&self, f: impl FnOnce(&Emulator) -> R) -> R {
        let mut emulator = lock(&self.shared.emulator);
        emulator.advance(self.shared.now());
        f(&emulator)
    }

    /// Runs `f` with mutable access to the emulator (e.g. to add or change instances).
    pub fn with_state_mut<R>(&self, f: impl FnOnce(&mut Emulator) -> R) -> R {
        let mut emulator = lock(&self.shared.emulator);
        emulator.advance(self.shared.now());
        f(&mut emulator)
    }

    /// The server's current time, as the handler sees it (for `upsert_instance`).
    pub fn now(&self) -> crate::Now {
        self.shared.now()
    }

    /// Stops accepting, closes every connection and joins the server thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
