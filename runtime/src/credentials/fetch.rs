//! The small HTTP client of the metadata providers (IMDS, containers): bounded attempts, a
//! timeout per attempt, whole bodies, and errors that say what was tried without secrets.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;

use crate::error::DispatchError;
use crate::http::{BoxFuture, HttpClient, HttpRequest, HyperClient, StreamingResponse};
use crate::sleep::{SharedSleep, TokioSleep};

/// Connect timeout of the default transport: metadata endpoints are link-local, so a second
/// is plenty, and a machine without one must not wait long.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// A shared transport usable where an `impl HttpClient` is wanted.
#[derive(Clone, Debug)]
pub(crate) struct SharedHttpClient(pub(crate) Arc<dyn HttpClient>);

impl HttpClient for SharedHttpClient {
    fn call(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, DispatchError>> {
        self.0.call(request)
    }
}

/// The transport of the providers when none is given: one per process, so connections pool.
pub(crate) fn default_http_client() -> Result<Arc<dyn HttpClient>, String> {
    static CLIENT: OnceLock<Arc<dyn HttpClient>> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    let client: Arc<dyn HttpClient> =
        Arc::new(HyperClient::new(Some(CONNECT_TIMEOUT)).map_err(|e| e.to_string())?);
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// An HTTP answer read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    /// The body as text (lossy: metadata answers are ASCII).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why no answer came.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// Nothing listens there (connection refused, no route, connect timeout): the endpoint
    /// does not exist on this machine.
    Unreachable(String),
    /// Something answered or started to, but the exchange failed.
    Failed(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreachable(m) | Self::Failed(m) => f.write_str(m),
        }
    }
}

/// Sends requests with a per-attempt timeout and a few retries of server errors.
#[derive(Clone, Debug)]
pub(crate) struct Fetcher {
    pub(crate) client: Arc<dyn HttpClient>,
    pub(crate) sleep: SharedSleep,
    pub(crate) timeout: Duration,
    pub(crate) max_attempts: u32,
}

impl Fetcher {
    /// A fetcher with the given transport (default: the shared one) and sleep (default: tokio).
    pub(crate) fn new(
        client: Option<Arc<dyn HttpClient>>,
        sleep: Option<SharedSleep>,
        timeout: Duration,
        max_attempts: u32,
    ) -> Result<Self, String> {
        let client = match client {
            Some(client) => client,
            None => default_http_client()?,
        };
        Ok(Self {
            client,
            sleep: sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            timeout,
            max_attempts: max_attempts.max(1),
        })
    }

    /// Sends the request `make` builds, retrying 5xx answers and transient errors; a first
    /// attempt that cannot connect is not retried (the endpoint is not there).
    pub(crate) async fn send(
        &self,
        what: &str,
        make: impl Fn() -> Result<HttpRequest, String>,
    ) -> Result<Reply, FetchError> {
        let mut attempt = 1;
        loop {
            let request = make().map_err(FetchError::Failed)?;
            let result = self.attempt(what, request).await;
            let retry = match &result {
                Ok(reply) => reply.status >= 500,
                Err(FetchError::Unreachable(_)) => false,
                Err(FetchError::Failed(_)) => true,
            };
            if !retry || attempt >= self.max_attempts {
                return result;
            }
            // Short, growing pauses: 50 ms, 100 ms, 200 ms...
            let backoff = Duration::from_millis(50u64 << (attempt - 1).min(6));
            self.sleep.sleep(backoff).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, what: &str, request: HttpRequest) -> Result<Reply, FetchError> {
        let exchange = async {
            let response = self.client.call(request).await?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| DispatchError::new(e, true))?;
            Ok::<_, DispatchError>(Reply {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            })
        };
        match crate::timeout::timeout(&*self.sleep, Some(self.timeout), exchange).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(error)) if error.is_connect_timeout() || is_connect_failure(&error) => Err(
                FetchError::Unreachable(format!("cannot connect to {what}: {}", chain(&error))),
            ),
            Ok(Err(error)) => Err(FetchError::Failed(format!(
                "request to {what} failed: {}",
                chain(&error)
            ))),
            Err(elapsed) => Err(FetchError::Failed(format!(
                "{what} did not answer within {:?}",
                elapsed.0
            ))),
        }
    }
}

/// Whether a transport error happened while connecting (refused, unreachable).
fn is_connect_failure(error: &DispatchError) -> bool {
    let text = chain(error).to_ascii_lowercase();
    [
        "connection refused",
        "unreachable",
        "connect error",
        "tcp connect",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// An error and its sources, joined with `: `.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Builds a request; the header values are checked (a token with a newline is an error, not a
/// panic).
pub(crate) fn request(
    method: http::Method,
    url: &str,
    headers: &[(&str, &str)],
) -> Result<HttpRequest, String> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        let value = http::HeaderValue::from_str(value)
            .map_err(|_| format!("the `{name}` header value has characters HTTP forbids"))?;
        builder = builder.header(*name, value);
    }
    builder
        .body(crate::http::Body::empty())
        .map_err(|e| format!("invalid request to {url}: {e}"))
}
