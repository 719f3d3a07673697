//! The generated `wait_until_harvest_job_finished` against the local server, with tokio's
//! virtual time (the waiter's 2-120 s delays pass instantly but are still measured).

use integration_tests::server::{Reply, TestServer};
use mediapackagev2::{Client, Config};
use smithy_runtime::waiter::WaiterError;
use std::time::Duration;

fn job(status: &str) -> Reply {
    let body = format!(
        r#"{{"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "o", "HarvestJobName": "j",
            "Arn": "arn:x", "CreatedAt": 1, "ModifiedAt": 2, "Status": "{status}"}}"#
    );
    Reply::json(200, &body)
}

fn client(server: &TestServer) -> Client {
    let config = Config::builder()
        .endpoint_url(server.url())
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "SECRET",
        ))
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .build()
        .expect("config");
    Client::from_conf(config)
}

async fn wait(server: &TestServer, max_wait: Duration) -> Result<String, String> {
    let started = tokio::time::Instant::now();
    let result = client(server)
        .wait_until_harvest_job_finished()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("o")
        .harvest_job_name("j")
        .wait(max_wait)
        .await;
    let elapsed = started.elapsed();
    assert!(
        elapsed <= max_wait + Duration::from_secs(1),
        "waited {elapsed:?}"
    );
    match result {
        Ok(done) => Ok(done
            .output()
            .expect("an output matched")
            .status()
            .to_string()),
        Err(WaiterError::FailureState { attempts, .. }) => Err(format!("failure after {attempts}")),
        Err(WaiterError::UnexpectedError { attempts, error }) => {
            Err(format!("error after {attempts}: {error}"))
        }
        Err(WaiterError::MaxWaitExceeded { attempts, .. }) => {
            Err(format!("timed out after {attempts}"))
        }
        Err(other) => Err(other.to_string()),
    }
}

#[tokio::test(start_paused = true)]
async fn queued_then_in_progress_then_completed_succeeds() {
    let server = TestServer::start(vec![job("QUEUED"), job("IN_PROGRESS"), job("COMPLETED")]).await;
    let started = tokio::time::Instant::now();
    assert_eq!(
        wait(&server, Duration::from_secs(600)).await,
        Ok("COMPLETED".into())
    );
    assert_eq!(server.requests().len(), 3);
    // Two delays: the first is exactly minDelay (2 s), the second in [2 s, 4 s].
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(4) && elapsed <= Duration::from_secs(6),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn cancelled_is_also_success() {
    let server = TestServer::start(vec![job("QUEUED"), job("CANCELLED")]).await;
    assert_eq!(
        wait(&server, Duration::from_secs(600)).await,
        Ok("CANCELLED".into())
    );
}

#[tokio::test(start_paused = true)]
async fn failed_is_the_failure_state() {
    let server = TestServer::start(vec![job("IN_PROGRESS"), job("FAILED")]).await;
    assert_eq!(
        wait(&server, Duration::from_secs(600)).await,
        Err("failure after 2".into())
    );
}

#[tokio::test(start_paused = true)]
async fn an_error_response_fails_the_waiter() {
    let error = Reply::json(404, r#"{"Message": "gone"}"#)
        .header("x-amzn-errortype", "ResourceNotFoundException");
    let server = TestServer::start(vec![job("QUEUED"), error]).await;
    let outcome = wait(&server, Duration::from_secs(600)).await.unwrap_err();
    assert!(outcome.starts_with("error after 2"), "{outcome}");
    assert!(
        outcome.contains("ResourceNotFoundException: gone"),
        "{outcome}"
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_at_the_maximum_wait() {
    let server = TestServer::start(vec![job("IN_PROGRESS")]).await;
    let outcome = wait(&server, Duration::from_secs(30)).await.unwrap_err();
    assert!(outcome.starts_with("timed out after"), "{outcome}");
}
