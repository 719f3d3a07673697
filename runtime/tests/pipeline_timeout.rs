//! Attempt, operation and connect timeouts through the whole pipeline.
//!
//! These use tokio's real clock with limits of a few hundred milliseconds against a server that
//! never answers: paused time would auto-advance while the runtime waits on the real sockets
//! and fire the timeouts at arbitrary points. Nothing here measures elapsed time.

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::client::{Config, ConfigBuilder};
use smithy_runtime::credentials::Credentials;
use smithy_runtime::error::{DispatchError, TimeoutError};
use smithy_runtime::http::{BoxFuture, HttpClient, HttpRequest, StreamingResponse};
use smithy_runtime::retry::{RandomSource, RetryConfig};
use smithy_runtime::timeout::TimeoutConfig;
use smithy_runtime::SdkError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const LIMIT: Duration = Duration::from_millis(300);

/// Real sleeping (tokio's timer) and quick retries.
fn real_time_config(url: &str) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .random_source(RandomSource::fixed(1.0))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

fn timeout_of<E: std::fmt::Debug>(error: SdkError<E>) -> TimeoutError {
    match error {
        SdkError::Timeout(timeout) => timeout,
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_trips_the_attempt_timeout_on_every_attempt() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let config = real_time_config(&server.url)
        .timeout_config(TimeoutConfig::new().attempt_timeout(LIMIT))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    let text = error.to_string();
    let timeout = timeout_of(error);
    assert_eq!(timeout.kind, "attempt");
    assert_eq!(timeout.limit, LIMIT);
    assert_eq!(timeout.attempts, 2);
    assert!(
        text.contains("attempt timeout") && text.contains("2 attempts made"),
        "{text}"
    );
    assert!(server.count() <= 2);
}

#[tokio::test]
async fn a_slow_server_trips_the_operation_timeout() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let config = real_time_config(&server.url)
        .timeout_config(TimeoutConfig::new().operation_timeout(LIMIT))
        .build()
        .unwrap();

    let timeout = timeout_of(get_harvest_job(&config).await.unwrap_err());

    assert_eq!(timeout.kind, "operation");
    assert_eq!(timeout.limit, LIMIT);
    assert_eq!(timeout.attempts, 1);
}

#[tokio::test]
async fn the_operation_timeout_covers_backoff() {
    let server = TestServer::start(|_| Reply::status(500)).await;
    let config = real_time_config(&server.url)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_secs(60)))
        .timeout_config(TimeoutConfig::new().operation_timeout(LIMIT))
        .build()
        .unwrap();

    let timeout = timeout_of(get_harvest_job(&config).await.unwrap_err());

    assert_eq!(timeout.kind, "operation");
    assert_eq!(timeout.attempts, 1);
    assert_eq!(
        server.count(),
        1,
        "the timeout fired during the 60 s backoff"
    );
}

#[tokio::test]
async fn fast_responses_are_not_affected() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let config = real_time_config(&server.url)
        .timeout_config(
            TimeoutConfig::new()
                .attempt_timeout(Duration::from_secs(30))
                .operation_timeout(Duration::from_secs(60)),
        )
        .build()
        .unwrap();

    assert_eq!(get_harvest_job(&config).await.unwrap(), "{}");
}

/// A transport whose connections always time out, counting calls.
#[derive(Debug, Default)]
struct ConnectTimesOut(Arc<AtomicUsize>);

impl HttpClient for ConnectTimesOut {
    fn call(&self, _: HttpRequest) -> BoxFuture<'_, Result<StreamingResponse, DispatchError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Err(DispatchError::connect_timeout("connect timed out")) })
    }
}

#[tokio::test]
async fn connect_timeouts_are_retried_and_reported_as_timeouts() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sleep = RecordingSleep::default();
    let config = config_for("http://127.0.0.1:9", &sleep)
        .http_client(ConnectTimesOut(Arc::clone(&calls)))
        .timeout_config(TimeoutConfig::new().connect_timeout(Duration::from_millis(50)))
        .build()
        .unwrap();

    let timeout = timeout_of(get_harvest_job(&config).await.unwrap_err());

    assert_eq!(timeout.kind, "connect");
    assert_eq!(timeout.limit, Duration::from_millis(50));
    assert_eq!(timeout.attempts, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        config.retry_quota_available(),
        Some(480),
        "timeout retries cost 10 tokens each"
    );
}

/// A server that sends a response head promising 100 bytes, then 10 of them, then nothing
/// (keeping the connection open): a peer that died mid-response.
async fn stalling_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(b"{\"Arn\": \"a").await;
                // Hold the connection open, sending nothing more.
                std::future::pending::<()>().await;
                drop(stream);
            });
        }
    });
    url
}

/// Whether `error` or one of its sources is a stalled response.
fn is_stall(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<smithy_runtime::stalled::StalledResponse>() {
            return true;
        }
        current = e.source();
    }
    false
}

#[tokio::test]
async fn a_response_that_stalls_mid_body_fails_every_attempt_with_a_stall() {
    let url = stalling_server().await;
    let config = real_time_config(&url)
        .timeout_config(TimeoutConfig::new().read_idle_timeout(LIMIT))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    let SdkError::Dispatch(dispatch) = &error else {
        panic!("expected a dispatch error, got {error:?}");
    };
    assert!(is_stall(dispatch), "{error}");
    assert!(error.to_string().contains("stalled"), "{error}");
    assert!(error.to_string().contains("2 attempts"), "{error}");
}

#[tokio::test]
async fn without_the_read_idle_limit_a_stalled_response_waits() {
    let url = stalling_server().await;
    let config = real_time_config(&url)
        .timeout_config(TimeoutConfig::new().no_read_idle_timeout())
        .build()
        .unwrap();
    let call = get_harvest_job(&config);
    let waited = tokio::time::timeout(LIMIT * 3, call).await;
    assert!(waited.is_err(), "the call returned: {waited:?}");
}
