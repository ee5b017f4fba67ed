//! Helpers shared by the unit tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "tencentcloud-cvm-ureq-{tag}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to `relative` (creating parent directories) and returns its path.
    pub(crate) fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static CAPTURED: std::cell::RefCell<Option<Vec<(log::Level, String)>>> =
        const { std::cell::RefCell::new(None) };
}

/// Records log lines emitted on the thread that asked for them.
struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        CAPTURED.with(|c| {
            if let Some(lines) = c.borrow_mut().as_mut() {
                lines.push((record.level(), record.args().to_string()));
            }
        });
    }
    fn flush(&self) {}
}

/// Runs `f` and returns what it logged on this thread (any level).
pub(crate) fn captured_logs(f: impl FnOnce()) -> Vec<(log::Level, String)> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        if log::set_logger(&Capture).is_ok() {
            log::set_max_level(log::LevelFilter::Trace);
        }
    });
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    f();
    CAPTURED.with(|c| c.borrow_mut().take().unwrap_or_default())
}

type Handler = dyn Fn(
        &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, tencentcloud_cvm_core::TransportError>
    + Send
    + Sync;

/// A transport that answers with a function and records what it was sent.
pub(crate) struct FakeHttp {
    handler: Box<Handler>,
    sent: std::sync::Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl FakeHttp {
    pub(crate) fn new(
        handler: impl Fn(
                &http::Request<Vec<u8>>,
            )
                -> Result<http::Response<Vec<u8>>, tencentcloud_cvm_core::TransportError>
            + Send
            + Sync
            + 'static,
    ) -> std::sync::Arc<Self> {
        std::sync::Arc::new(FakeHttp {
            handler: Box::new(handler),
            sent: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The paths (and queries) requested so far, in order.
    pub(crate) fn paths(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.uri().path().to_owned())
            .collect()
    }

    /// How many requests were sent.
    pub(crate) fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    /// The bodies sent, as text.
    pub(crate) fn bodies(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| String::from_utf8_lossy(r.body()).into_owned())
            .collect()
    }

    /// A copy of the headers of request `i`.
    pub(crate) fn headers(&self, i: usize) -> http::HeaderMap {
        self.sent.lock().unwrap()[i].headers().clone()
    }
}

impl std::fmt::Debug for FakeHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeHttp")
    }
}

impl crate::Transport for FakeHttp {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, tencentcloud_cvm_core::TransportError> {
        let answer = (self.handler)(&request);
        self.sent.lock().unwrap().push(request);
        answer
    }
}

/// An HTTP answer with this status and body.
pub(crate) fn answer(status: u16, body: &str) -> http::Response<Vec<u8>> {
    let mut r = http::Response::new(body.as_bytes().to_vec());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
    r
}

/// A wall clock that moves only when told to, for refresh tests.
#[derive(Debug)]
pub(crate) struct ManualClock(std::sync::atomic::AtomicU64);

impl ManualClock {
    pub(crate) fn new(unix_time: u64) -> Self {
        ManualClock(std::sync::atomic::AtomicU64::new(unix_time))
    }

    pub(crate) fn advance(&self, by: std::time::Duration) {
        self.0
            .fetch_add(by.as_secs(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl crate::WallClock for ManualClock {
    fn unix_time(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}
