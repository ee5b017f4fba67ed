//! One HTTP exchange on the server: read the request within limits, apply the next
//! injected fault, call the pure handler, shape the response.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};

use crate::api::access_log::AccessLogEntry;
use crate::api::response;
use crate::emulator::handler::Handled;
use crate::emulator::Emulator;
use crate::faults::Fault;
use crate::faults::FaultQueue;
use crate::now::Now;

/// Receives one access-log entry per request.
pub(crate) type LogSink = Arc<dyn Fn(&AccessLogEntry) + Send + Sync>;

/// What every connection of one server shares.
pub(crate) struct Shared {
    pub(crate) emulator: Mutex<Emulator>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) origin: Instant,
    pub(crate) read_timeout: Duration,
    pub(crate) log: Option<LogSink>,
}

/// Locks a mutex, recovering from poisoning (a panicking log sink must not wedge the server).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub(crate) fn now(&self) -> Now {
        Now::system(self.origin)
    }

    fn log(&self, entry: &AccessLogEntry) {
        if let Some(sink) = &self.log {
            sink(entry);
        }
    }

    fn log_unhandled(
        &self,
        fault: &Fault,
        request: &Request<Vec<u8>>,
        action: Option<String>,
        now: Now,
    ) {
        self.log(&AccessLogEntry {
            result: "-".to_owned(),
            fault: Some(fault.name()),
            host: crate::api::request_headers::text(request.headers(), "host"),
            ..AccessLogEntry::new(now, action, "-".to_owned())
        });
    }
}

/// A response body: the bytes, and optionally a failure after them (to cut a response).
pub(crate) struct ReplyBody {
    data: Option<Bytes>,
    declared: u64,
    fail_after: bool,
    /// Before failing, a pause that lets hyper flush what was sent so far.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReplyBody {
    fn full(bytes: Vec<u8>) -> Self {
        let declared = bytes.len() as u64;
        ReplyBody {
            data: (!bytes.is_empty()).then(|| Bytes::from(bytes)),
            declared,
            fail_after: false,
            pause: None,
        }
    }

    /// Announces `bytes.len()` bytes, sends half of them, then fails the connection.
    fn truncated(bytes: Vec<u8>) -> Self {
        let declared = bytes.len() as u64;
        let mut bytes = Bytes::from(bytes);
        let half = bytes.split_to(bytes.len() / 2);
        ReplyBody {
            data: Some(half),
            declared,
            fail_after: true,
            pause: Some(Box::pin(tokio::time::sleep(Duration::from_millis(50)))),
        }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if let Some(pause) = self.pause.as_mut() {
            std::task::ready!(pause.as_mut().poll(cx));
            self.pause = None;
        }
        if self.fail_after {
            self.fail_after = false;
            return Poll::Ready(Some(Err(io::Error::other(
                "response cut by the TruncatedBody fault",
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail_after
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}

/// Why a connection is dropped without a response.
#[derive(Debug)]
pub(crate) struct Abort(&'static str);

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Abort {}

enum BodyRead {
    Complete(Vec<u8>),
    TooLarge,
}

async fn read_body(body: Incoming, limit: usize, timeout: Duration) -> Result<BodyRead, Abort> {
    let collected = tokio::time::timeout(timeout, Limited::new(body, limit).collect())
        .await
        .map_err(|_| Abort("request body read timed out"))?;
    match collected {
        Ok(c) => Ok(BodyRead::Complete(c.to_bytes().to_vec())),
        Err(e) if e.is::<LengthLimitError>() => Ok(BodyRead::TooLarge),
        Err(_) => Err(Abort("request body could not be read")),
    }
}

fn into_reply(response: Response<Vec<u8>>, close: bool) -> Response<ReplyBody> {
    let (mut parts, body) = response.into_parts();
    if close {
        parts
            .headers
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Response::from_parts(parts, ReplyBody::full(body))
}

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
</body>\r\n</html>\r\n";

/// Serves one request.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<ReplyBody>, Abort> {
    let action = request
        .headers()
        .get("x-tc-action")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let limit = lock(&shared.emulator).body_limit();
    let (parts, body) = request.into_parts();
    let announced = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let read = if announced.is_some_and(|n| n > limit as u64) {
        BodyRead::TooLarge
    } else {
        read_body(body, limit, shared.read_timeout).await?
    };
    let now = shared.now();
    let body = match read {
        BodyRead::Complete(body) => body,
        BodyRead::TooLarge => {
            let handled = lock(&shared.emulator).refuse_oversized(action, now);
            shared.log(&handled.log);
            return Ok(into_reply(handled.response, true));
        }
    };
    let request = Request::from_parts(parts, body);
    let fault = {
        let mut faults = lock(&shared.faults);
        if faults.len() == 0 {
            None
        } else {
            let mut text = request.body().clone();
            text.extend_from_slice(request.uri().query().unwrap_or("").as_bytes());
            faults.take(action.as_deref(), &text)
        }
    };

    if let Some(f) = fault.as_ref().filter(|f| !f.applies_request()) {
        shared.log_unhandled(f, &request, action, now);
        return match f {
            Fault::ServerErrorHtml => Ok(into_reply(
                response::build(
                    StatusCode::BAD_GATEWAY,
                    "text/html",
                    BAD_GATEWAY_HTML.as_bytes().to_vec(),
                    now,
                ),
                false,
            )),
            _ => Err(Abort(
                "connection closed before the state change by a fault",
            )),
        };
    }

    let Handled { response, mut log } = match &fault {
        Some(f) => lock(&shared.emulator).handle_with_fault(&request, now, f),
        None => lock(&shared.emulator).handle(&request, now),
    };
    log.fault = fault.as_ref().map(Fault::name);
    shared.log(&log);
    match fault {
        Some(Fault::CloseAfterStateChange) => {
            Err(Abort("connection closed after the state change by a fault"))
        }
        Some(Fault::TruncatedBody) => {
            let (parts, body) = response.into_parts();
            Ok(Response::from_parts(parts, ReplyBody::truncated(body)))
        }
        Some(Fault::OversizedBody(size)) => {
            let (parts, mut body) = response.into_parts();
            // `{"Response":{...}}` becomes `{"Response":{...}   …   }`: same JSON value.
            let close = body.pop().unwrap_or(b'}');
            body.resize(size.max(body.len() + 1) - 1, b' ');
            body.push(close);
            Ok(Response::from_parts(parts, ReplyBody::full(body)))
        }
        Some(Fault::WrongContentType) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            let text = format!("Request {} processed: {}\n", log.request_id, log.result);
            Ok(Response::from_parts(
                parts,
                ReplyBody::full(text.into_bytes()),
            ))
        }
        Some(Fault::Delay(d)) => {
            // The service has acted; only the answer is late. A client that
            // gives up now cannot know the outcome: the case it must not re-send.
            tokio::time::sleep(d).await;
            Ok(into_reply(response, false))
        }
        _ => Ok(into_reply(response, false)),
    }
}
