//! The `get_harvest_job` example's request path, against the local server.

use integration_tests::harvest_job_cli::{run, USAGE};
use integration_tests::server::{Reply, TestServer};
use mediapackagev2::Config;

fn config(server: &TestServer) -> Config {
    Config::builder()
        .endpoint_url(server.url())
        .region("us-west-2")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "SECRET",
        ))
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .build()
        .expect("config")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn prints_the_job() {
    let body = r#"{"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "o", "HarvestJobName": "j",
        "Arn": "arn:aws:mediapackagev2:us-west-2:1:job", "CreatedAt": 0, "ModifiedAt": 0, "Status": "IN_PROGRESS",
        "Destination": {"S3Destination": {"BucketName": "b", "DestinationPath": "p"}}}"#;
    let server = TestServer::start(vec![Reply::json(200, body)]).await;
    let text = run(&args(&["g", "c", "o", "j"]), config(&server))
        .await
        .expect("success");
    assert!(
        text.starts_with("harvest job j (arn:aws:mediapackagev2:us-west-2:1:job)"),
        "{text}"
    );
    assert!(text.contains("status:   IN_PROGRESS"), "{text}");
    assert!(text.contains("s3://b/p"), "{text}");
    let request = &server.requests()[0];
    assert_eq!(
        request.path_and_query,
        "/channelGroup/g/channel/c/originEndpoint/o/harvestJob/j"
    );
    assert!(request
        .header("authorization")
        .is_some_and(|a| a.contains("/us-west-2/mediapackagev2/")));
}

#[tokio::test]
async fn explains_errors_and_usage() {
    let reply = Reply::json(404, r#"{"Message": "job j is gone"}"#)
        .header("x-amzn-errortype", "ResourceNotFoundException");
    let server = TestServer::start(vec![reply]).await;
    let text = run(&args(&["g", "c", "o", "j"]), config(&server))
        .await
        .unwrap_err();
    assert_eq!(text, "not found: job j is gone");
    assert_eq!(
        run(&args(&["only-one"]), config(&server))
            .await
            .unwrap_err(),
        USAGE
    );
}
