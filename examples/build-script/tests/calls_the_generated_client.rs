//! The client generated from build.rs calls a real local HTTP server.

use build_script_example::mediapackagev2::types::HarvestJobStatus;
use build_script_example::mediapackagev2::{Client, Config};
use integration_tests::server::{Reply, TestServer};

#[tokio::test]
async fn get_harvest_job_through_the_build_rs_client() {
    let body = r#"{"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "o", "HarvestJobName": "j",
        "Arn": "arn:x", "CreatedAt": 1, "ModifiedAt": 2, "Status": "COMPLETED"}"#;
    let server = TestServer::start(vec![Reply::json(200, body)]).await;
    let config = Config::builder()
        .endpoint_url(server.url())
        .region("eu-west-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "SECRET",
        ))
        .build()
        .expect("config");
    let output = Client::from_conf(config)
        .get_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("o")
        .harvest_job_name("j")
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(output.status(), &HarvestJobStatus::Completed);
    assert_eq!(output.modified_at().secs(), 2);
    let requests = server.requests();
    assert_eq!(
        requests[0].path_and_query,
        "/channelGroup/g/channel/c/originEndpoint/o/harvestJob/j"
    );
}
