//! A real HTTP server on 127.0.0.1 (hyper, HTTP/1.1 or HTTP/2 cleartext) whose response bodies
//! are streamed by a script: bytes sent as separate writes, delays between them, a clean end,
//! or an aborted connection. Also reports when the client goes away, so tests can check that
//! dropping an event receiver closes the connection and that reading is pull-based.

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;

pub use crate::handler_server::Recorded;

/// One step of a streamed response body.
#[derive(Clone, Debug)]
pub enum Step {
    /// Writes these bytes (one body frame).
    Send(Bytes),
    /// Waits before the next step.
    Delay(Duration),
    /// Fails the body: the connection is cut without a proper end.
    Abort,
}

/// A scripted response: status, headers and the body's steps.
#[derive(Clone, Debug)]
pub struct Script {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body steps, in order; the body ends after the last one (unless it aborted).
    pub steps: Vec<Step>,
}

impl Script {
    /// A 200 response streaming `steps`.
    pub fn ok(steps: Vec<Step>) -> Script {
        Script {
            status: 200,
            headers: vec![(
                "content-type".into(),
                "application/vnd.amazon.eventstream".into(),
            )],
            steps,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Script {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Which HTTP version the server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// HTTP/1.1 (chunked bodies).
    Http1,
    /// HTTP/2 with prior knowledge (h2c).
    Http2,
}

type Handler = dyn Fn(&Recorded) -> Script + Send + Sync;

/// A running streaming server.
pub struct EventServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    progress: Arc<Progress>,
}

/// What the body writers have done, across all responses.
#[derive(Debug, Default)]
pub struct Progress {
    /// Body frames the client's connection accepted.
    pub sent: AtomicUsize,
    /// Responses whose client went away before the script finished.
    pub abandoned: AtomicUsize,
}

impl EventServer {
    /// Starts a server answering every request with `handler`'s script.
    pub async fn start(
        version: Version,
        handler: impl Fn(&Recorded) -> Script + Send + Sync + 'static,
    ) -> EventServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let progress = Arc::new(Progress::default());
        let handler: Arc<Handler> = Arc::new(handler);
        let (log, counters) = (Arc::clone(&requests), Arc::clone(&progress));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, log, counters) = (
                    Arc::clone(&handler),
                    Arc::clone(&log),
                    Arc::clone(&counters),
                );
                let service = service_fn(move |request| {
                    let (handler, log, counters) = (
                        Arc::clone(&handler),
                        Arc::clone(&log),
                        Arc::clone(&counters),
                    );
                    async move { answer(request, &*handler, &log, counters).await }
                });
                tokio::spawn(async move {
                    let io = TokioIo::new(stream);
                    let _ = match version {
                        Version::Http1 => {
                            hyper::server::conn::http1::Builder::new()
                                .serve_connection(io, service)
                                .await
                        }
                        Version::Http2 => {
                            hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                                .serve_connection(io, service)
                                .await
                        }
                    };
                });
            }
        });
        EventServer {
            url,
            requests,
            progress,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// What the body writers have done.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// A client configuration pointing at this server (retries off: each reply is seen once).
    pub fn config(&self) -> smithy_runtime::client::Config {
        smithy_runtime::client::Config::builder()
            .endpoint_url(&self.url)
            .region("us-east-1")
            .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
                "AKIDEXAMPLE",
                "SECRET",
            ))
            .retry_config(smithy_runtime::retry::RetryConfig::disabled())
            .build()
            .expect("client configuration")
    }
}

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    handler: &Handler,
    log: &Mutex<Vec<Recorded>>,
    progress: Arc<Progress>,
) -> Result<hyper::Response<ChannelBody>, hyper::Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let recorded = Recorded {
        method: parts.method.to_string(),
        uri: parts
            .uri
            .path_and_query()
            .map_or_else(String::new, |p| p.to_string()),
        headers: parts.headers,
        body,
    };
    let script = handler(&recorded);
    if let Ok(mut log) = log.lock() {
        log.push(recorded);
    }
    // Capacity 1: the writer is at most one frame ahead of what the connection took, so
    // `sent` measures what the client's side let through.
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(write_body(script.steps, tx, progress));
    let mut response = hyper::Response::new(ChannelBody(rx));
    *response.status_mut() = hyper::StatusCode::from_u16(script.status).expect("status code");
    for (name, value) in script.headers {
        let name = hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("header name");
        let value = hyper::header::HeaderValue::from_str(&value).expect("header value");
        response.headers_mut().append(name, value);
    }
    Ok(response)
}

type Item = Result<Frame<Bytes>, std::io::Error>;

async fn write_body(steps: Vec<Step>, tx: mpsc::Sender<Item>, progress: Arc<Progress>) {
    for step in steps {
        let item = match step {
            Step::Delay(delay) => {
                tokio::time::sleep(delay).await;
                continue;
            }
            Step::Send(bytes) => Ok(Frame::data(bytes)),
            Step::Abort => Err(std::io::Error::other("scripted abort")),
        };
        if tx.send(item).await.is_err() {
            progress.abandoned.fetch_add(1, Ordering::SeqCst);
            return;
        }
        progress.sent.fetch_add(1, Ordering::SeqCst);
    }
}

/// A response body fed by the script's writer task.
pub struct ChannelBody(mpsc::Receiver<Item>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.0.poll_recv(cx)
    }
}
