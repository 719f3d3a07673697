//! Retries through the whole pipeline: a real local HTTP server, the hyper transport, real
//! endpoint rules and real signing; only sleeping is virtual (recorded, not waited for).

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::client::{invoke_operation, Operation};
use smithy_runtime::retry::RetryConfig;
use smithy_runtime::SdkError;
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_429_is_retried_and_the_second_attempt_succeeds() {
    let server = TestServer::start(|n| match n {
        0 => Reply::status(429),
        _ => Reply::json(200, r#"{"Status":"COMPLETED"}"#),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    let output = get_harvest_job(&config).await.unwrap();

    assert_eq!(output, r#"{"Status":"COMPLETED"}"#);
    assert_eq!(server.count(), 2);
    assert_eq!(sleep.slept(), [SECOND], "full jitter at its maximum: 1 s");
    let requests = server.requests();
    assert_eq!(
        requests[0].header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    let id = requests[0].header("amz-sdk-invocation-id").unwrap();
    assert_eq!(requests[1].header("amz-sdk-invocation-id"), Some(id));
    assert_eq!(requests[1].path_and_query, HARVEST_JOB_PATH);
}

#[tokio::test]
async fn three_500s_exhaust_the_attempts_and_say_so() {
    let server = TestServer::start(|_| Reply::error(500, "InternalServerException")).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    assert_eq!(server.count(), 3);
    assert_eq!(sleep.slept(), [SECOND, 2 * SECOND]);
    assert_eq!(error.attempts(), 3);
    let SdkError::Service(service_error) = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(service_error.code(), Some("InternalServerException"));
    assert_eq!(service_error.meta.attempts, 3);
    let text = error.to_string();
    assert!(text.contains("3 attempts made"), "{text}");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for (status, code) in [
        (400, "ValidationException"),
        (404, "ResourceNotFoundException"),
    ] {
        let server = TestServer::start(move |_| Reply::error(status, code)).await;
        let sleep = RecordingSleep::default();
        let config = config_for(&server.url, &sleep).build().unwrap();

        let error = get_harvest_job(&config).await.unwrap_err();

        assert_eq!(server.count(), 1, "{code}");
        assert!(sleep.slept().is_empty());
        assert_eq!(error.attempts(), 1);
        assert_eq!(error.into_service_error().unwrap().code(), Some(code));
    }
}

#[tokio::test]
async fn a_throttling_error_code_on_a_400_is_retried() {
    let server = TestServer::start(|n| match n {
        0 => Reply::error(400, "ThrottlingException"),
        1 => Reply::error(400, "aws.protocoltests#SlowDown:http://internal"),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    assert_eq!(get_harvest_job(&config).await.unwrap(), "{}");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn modelled_retryable_errors_are_retried() {
    const CREATE: Operation = Operation {
        name: "CreateHarvestJob",
        retryable_errors: &[("ConflictException", false)],
    };
    let server = TestServer::start(|n| match n {
        0 => Reply::error(409, "ConflictException"),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    let result = invoke_operation(
        &config,
        &mediapackage(),
        &CREATE,
        get_harvest_job_request(),
        parse,
    )
    .await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported_with_the_attempts() {
    let url = refused_url().await;
    let sleep = RecordingSleep::default();
    let config = config_for(&url, &sleep).build().unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    let SdkError::Dispatch(dispatch) = &error else {
        panic!("expected a dispatch error, got {error:?}");
    };
    assert!(dispatch.is_transient());
    assert_eq!(dispatch.attempts(), 3);
    assert_eq!(sleep.slept().len(), 2);
    assert!(error.to_string().contains("3 attempts made"), "{error}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = TestServer::start(|n| match n {
        0 => Reply::Close,
        _ => Reply::json(200, "{}"),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    assert_eq!(get_harvest_job(&config).await.unwrap(), "{}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = TestServer::start(|_| Reply::status(503)).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .retry_config(RetryConfig::disabled())
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    assert_eq!(server.count(), 1);
    assert_eq!(error.attempts(), 1);
    assert!(sleep.slept().is_empty());
    assert_eq!(
        server.requests()[0].header("amz-sdk-request"),
        Some("attempt=1; max=1")
    );
}

#[tokio::test]
async fn max_attempts_and_backoff_are_configurable() {
    let server = TestServer::start(|_| Reply::status(502)).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_millis(300)),
        )
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    assert_eq!(server.count(), 5);
    assert_eq!(error.attempts(), 5);
    let millis: Vec<u128> = sleep.slept().iter().map(Duration::as_millis).collect();
    assert_eq!(millis, [100, 200, 300, 300]);
}

#[tokio::test]
async fn an_empty_retry_quota_stops_retrying_and_successes_refill_it() {
    let server = TestServer::start(|n| match n {
        0 | 1 => Reply::status(500),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .retry_config(RetryConfig::standard().with_quota_capacity(5))
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    assert_eq!(server.count(), 2, "the second retry could not be paid for");
    assert_eq!(error.attempts(), 2);
    assert_eq!(config.retry_quota_available(), Some(0));

    get_harvest_job(&config).await.unwrap();
    assert_eq!(server.count(), 3);
    assert_eq!(
        config.retry_quota_available(),
        Some(1),
        "a first-attempt success adds one token"
    );
}

#[tokio::test]
async fn clones_of_a_config_share_the_retry_quota() {
    let server = TestServer::start(|_| Reply::status(500)).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .retry_config(RetryConfig::standard().with_quota_capacity(10))
        .build()
        .unwrap();
    let clone = config.clone();

    get_harvest_job(&config).await.unwrap_err();
    assert_eq!(clone.retry_quota_available(), Some(0));
    get_harvest_job(&clone).await.unwrap_err();

    assert_eq!(server.count(), 3 + 1);
}
