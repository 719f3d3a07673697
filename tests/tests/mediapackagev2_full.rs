//! The whole MediaPackage v2 client (all 30 operations, generated from the real AWS model by
//! `build.rs`) against a real HTTP server on 127.0.0.1, through the hyper transport. Compiled
//! only with the reference data (see `reference_data.rs`).
#![cfg(reference_data)]

use integration_tests::handler_server::{serde_json_value::json, Recorded, Reply, TestServer};
use integration_tests::mediapackagev2_full::{operation, types, Client, SdkError};

const ARN: &str = "arn:aws:mediapackagev2:us-east-1:123456789012:channelGroup/g/channel/c";

fn client(server: &TestServer) -> Client {
    Client::from_conf(server.config())
}

fn channel_json() -> integration_tests::handler_server::serde_json_value::Value {
    json!({
        "Arn": ARN,
        "ChannelName": "c",
        "ChannelGroupName": "g",
        "CreatedAt": 1716888960,
        "ModifiedAt": 1716888960.5,
        "ETag": "etag-1",
        "tags": {"k": "v"}
    })
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn post_with_json_body_fills_the_idempotency_token_header() {
    let server = TestServer::start(|_| Reply::json(channel_json())).await;
    let output = client(&server)
        .create_channel()
        .channel_group_name("g")
        .channel_name("c")
        .description("my channel")
        .input_type(types::InputType::Cmaf)
        .tags("team", "media")
        .send()
        .await
        .expect("CreateChannel succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/channelGroup/g/channel");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let token = request.header("x-amzn-client-token").expect("token header");
    assert!(is_uuid(token), "auto-filled token `{token}` is a UUID v4");
    assert_eq!(
        request.json(),
        json!({"ChannelName": "c", "Description": "my channel", "InputType": "CMAF", "tags": {"team": "media"}})
    );
    assert_eq!(output.arn(), ARN);
    assert_eq!(output.created_at().secs(), 1716888960);
    assert_eq!(output.modified_at().as_millis(), 1716888960500);
    assert_eq!(output.e_tag(), Some("etag-1"));
}

#[tokio::test]
async fn an_explicit_idempotency_token_is_sent_as_given() {
    let server = TestServer::start(|_| Reply::json(channel_json())).await;
    client(&server)
        .create_channel_group()
        .channel_group_name("g")
        .client_token("my-token")
        .send()
        .await
        .expect("CreateChannelGroup succeeds");
    let request = server.single_request();
    assert_eq!(request.header("x-amzn-client-token"), Some("my-token"));
    assert_eq!(request.json(), json!({"ChannelGroupName": "g"}));
}

#[tokio::test]
async fn put_binds_the_etag_header_and_keeps_the_trailing_slash() {
    let server = TestServer::start(|_| Reply::json(channel_json())).await;
    client(&server)
        .update_channel()
        .channel_group_name("g")
        .channel_name("c")
        .e_tag("etag-1")
        .description("new")
        .send()
        .await
        .expect("UpdateChannel succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.uri, "/channelGroup/g/channel/c/");
    assert_eq!(request.header("x-amzn-update-if-match"), Some("etag-1"));
    assert_eq!(request.json(), json!({"Description": "new"}));
}

#[tokio::test]
async fn delete_keeps_the_trailing_slash_and_accepts_an_empty_body() {
    let server = TestServer::start(|_| Reply::status(200)).await;
    client(&server)
        .delete_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .expect("DeleteChannel succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.uri, "/channelGroup/g/channel/c/");
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn tag_resource_escapes_the_arn_label_and_reads_a_204_unit_output() {
    let server = TestServer::start(|_| Reply::status(204)).await;
    client(&server)
        .tag_resource()
        .resource_arn(ARN)
        .tags("k", "v")
        .send()
        .await
        .expect("TagResource succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/tags/arn%3Aaws%3Amediapackagev2%3Aus-east-1%3A123456789012%3AchannelGroup%2Fg%2Fchannel%2Fc"
    );
    assert_eq!(request.json(), json!({"tags": {"k": "v"}}));
}

#[tokio::test]
async fn untag_resource_repeats_the_tag_keys_query_parameter() {
    let server = TestServer::start(|_| Reply::status(204)).await;
    client(&server)
        .untag_resource()
        .resource_arn(ARN)
        .tag_keys("a")
        .tag_keys("b c")
        .send()
        .await
        .expect("UntagResource succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.query(), "tagKeys=a&tagKeys=b%20c");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_tags_reads_the_json_name_tags() {
    let server = TestServer::start(|_| Reply::json(json!({"tags": {"a": "1", "b": "2"}}))).await;
    let output = client(&server)
        .list_tags_for_resource()
        .resource_arn(ARN)
        .send()
        .await
        .expect("ListTagsForResource succeeds");
    let tags = output.tags().expect("tags");
    assert_eq!(tags.len(), 2);
    assert_eq!(tags.get("a").map(String::as_str), Some("1"));
}

#[tokio::test]
async fn query_parameters_and_the_default_page_size() {
    let server = TestServer::start(|_| Reply::json(json!({"Items": []}))).await;
    let client = client(&server);
    client
        .list_harvest_jobs()
        .channel_group_name("g")
        .channel_name("c")
        .status(types::HarvestJobStatus::InProgress)
        .send()
        .await
        .expect("ListHarvestJobs succeeds");
    // `MaxResults` has `@default(10)`, but an input member left unset is not sent.
    let builder = client.list_harvest_jobs().channel_group_name("g");
    assert_eq!(builder.get_max_results(), &None);
    builder.max_results(5).send().await.expect("second call");
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/channelGroup/g/harvestJob");
    assert_eq!(
        requests[0].query(),
        "channelName=c&includeStatus=IN_PROGRESS"
    );
    assert_eq!(requests[1].query(), "maxResults=5");
}

#[tokio::test]
async fn missing_required_labels_fail_before_sending() {
    let server = TestServer::start(|_| Reply::status(200)).await;
    let error = client(&server)
        .get_channel()
        .channel_group_name("g")
        .channel_name("")
        .send()
        .await
        .expect_err("an empty label is rejected");
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn modelled_errors_are_typed() {
    let server = TestServer::start(|_| {
        Reply::json(json!({"message": "no such channel", "ResourceTypeNotFound": "CHANNEL"}))
            .with_status(404)
            .header(
                "x-amzn-errortype",
                "ResourceNotFoundException:http://internal/",
            )
            .header("x-amzn-requestid", "req-42")
    })
    .await;
    let error = client(&server)
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .expect_err("404");
    let service_error = error.into_service_error().expect("a service error");
    assert!(service_error.is_resource_not_found_exception());
    assert_eq!(service_error.message(), Some("no such channel"));
    assert_eq!(service_error.request_id(), Some("req-42"));
    let operation::get_channel::GetChannelError::ResourceNotFoundException(e) = service_error
    else {
        panic!("not ResourceNotFoundException");
    };
    assert_eq!(
        e.resource_type_not_found(),
        Some(&types::ResourceTypeNotFound::Channel)
    );
}

/// Three pages: tokens `t1`, `t2`, then none.
fn paged(request: &Recorded) -> Reply {
    let item = |name: &str| json!({"Arn": ARN, "ChannelName": name, "ChannelGroupName": "g", "CreatedAt": 0, "ModifiedAt": 0});
    let query = request.query();
    let body = if query.contains("nextToken=t2") {
        json!({"Items": [item("e")]})
    } else if query.contains("nextToken=t1") {
        json!({"Items": [item("c"), item("d")], "NextToken": "t2"})
    } else {
        json!({"Items": [item("a"), item("b")], "NextToken": "t1"})
    };
    Reply::json(body)
}

#[tokio::test]
async fn paginator_pages_follow_the_token_across_three_pages() {
    let server = TestServer::start(paged).await;
    let mut pages = client(&server)
        .list_channels()
        .channel_group_name("g")
        .max_results(2)
        .into_paginator()
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("page").items().len());
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query().to_string())
        .collect();
    assert_eq!(
        queries,
        vec![
            "maxResults=2",
            "maxResults=2&nextToken=t1",
            "maxResults=2&nextToken=t2"
        ]
    );
}

#[tokio::test]
async fn paginator_items_flatten_every_page() {
    let server = TestServer::start(paged).await;
    let names: Vec<String> = client(&server)
        .list_channels()
        .channel_group_name("g")
        .into_paginator()
        .send()
        .items()
        .collect()
        .await
        .expect("items")
        .iter()
        .map(|c| c.channel_name().to_string())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn paginator_stops_on_a_repeated_token() {
    let server =
        TestServer::start(|_| Reply::json(json!({"Items": [], "NextToken": "same"}))).await;
    let pages = client(&server)
        .list_channel_groups()
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(server.requests().len(), 2);
}
