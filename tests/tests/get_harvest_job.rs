//! The generated GetHarvestJob client against a real HTTP server on 127.0.0.1: the exact request
//! it sends, and the typed result for every kind of response (never a panic).

use integration_tests::server::{Reply, TestServer};
use mediapackagev2::operation::get_harvest_job::{GetHarvestJobError, GetHarvestJobInput};
use mediapackagev2::types::{HarvestJobStatus, ResourceTypeNotFound, ValidationExceptionType};
use mediapackagev2::{Client, Config, MediaPackageV2Api, SdkError};

const FULL_BODY: &str = r#"{
    "ChannelGroupName": "exampleChannelGroup",
    "ChannelName": "exampleChannelName",
    "OriginEndpointName": "exampleOriginEndpointName",
    "Destination": {"S3Destination": {"BucketName": "harvestJobS3DestinationBucket", "DestinationPath": "manifests"}},
    "HarvestJobName": "HarvestJobName",
    "HarvestedManifests": {
        "HlsManifests": [{"ManifestName": "HlsManifest"}],
        "DashManifests": [{"ManifestName": "DashManifest"}],
        "LowLatencyHlsManifests": [{"ManifestName": "LowLatencyHlsManifest"}]
    },
    "Description": "Example HarvestJob description",
    "ScheduleConfiguration": {"StartTime": 1716876000, "EndTime": 1716897600.5},
    "Arn": "arn:aws:mediapackagev2:us-west-2:123456789012:channelGroup/exampleChannelGroup/channel/exampleChannelName/originEndpoint/exampleOriginEndpointName/harvestJob/HarvestJobName",
    "CreatedAt": 1716888960,
    "ModifiedAt": 1.71688896E9,
    "Status": "QUEUED",
    "ErrorMessage": "none yet",
    "ETag": "GlfT+dwAyGIR4wuy8nKWl1RDPwSrjQej9qUutLZxoxk=",
    "Tags": {"key1": "value1", "key2": "value2"},
    "SomeFutureField": {"ignored": true}
}"#;

async fn client_for(server: &TestServer) -> Client {
    let credentials = smithy_runtime::credentials::Credentials::from_keys("AKIDEXAMPLE", "SECRET");
    let config = Config::builder()
        .endpoint_url(server.url())
        .region("us-east-1")
        .credentials_provider(credentials)
        // Retries have their own tests in the runtime; here every reply is seen exactly once.
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .build()
        .expect("config builds");
    Client::from_conf(config)
}

async fn call(
    server: &TestServer,
) -> Result<
    mediapackagev2::operation::get_harvest_job::GetHarvestJobOutput,
    SdkError<GetHarvestJobError>,
> {
    client_for(server)
        .await
        .get_harvest_job()
        .channel_group_name("group one")
        .channel_name("chan/nel")
        .origin_endpoint_name("end:point")
        .harvest_job_name("job")
        .send()
        .await
}

fn service_error(
    result: Result<impl std::fmt::Debug, SdkError<GetHarvestJobError>>,
) -> GetHarvestJobError {
    match result {
        Err(SdkError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn sends_the_exact_request() {
    let server = TestServer::start(vec![Reply::json(200, FULL_BODY)]).await;
    call(&server).await.expect("success");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let authorization = request
        .header("authorization")
        .expect("the request is signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-east-1/mediapackagev2/aws4_request"),
        "{authorization}"
    );
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path_and_query,
        "/channelGroup/group%20one/channel/chan%2Fnel/originEndpoint/end%3Apoint/harvestJob/job"
    );
    assert!(request.body.is_empty(), "GET sends no body");
    assert_eq!(request.header("content-type"), None);
    assert_eq!(request.header("content-length"), None);
    let agent = request.header("user-agent").expect("user agent");
    assert!(agent.starts_with("smithy-gen-rust/"), "{agent}");
}

#[tokio::test]
async fn reads_all_fifteen_output_members() {
    let server = TestServer::start(vec![Reply::json(200, FULL_BODY)]).await;
    let output = call(&server).await.expect("success");
    assert_eq!(output.channel_group_name(), "exampleChannelGroup");
    assert_eq!(output.channel_name(), "exampleChannelName");
    assert_eq!(output.origin_endpoint_name(), "exampleOriginEndpointName");
    let s3 = output
        .destination()
        .and_then(|d| d.s3_destination())
        .expect("destination");
    assert_eq!(s3.bucket_name(), "harvestJobS3DestinationBucket");
    assert_eq!(s3.destination_path(), "manifests");
    assert_eq!(output.harvest_job_name(), "HarvestJobName");
    let manifests = output.harvested_manifests().expect("manifests");
    assert_eq!(manifests.hls_manifests()[0].manifest_name(), "HlsManifest");
    assert_eq!(
        manifests.dash_manifests()[0].manifest_name(),
        "DashManifest"
    );
    assert_eq!(
        manifests.low_latency_hls_manifests()[0].manifest_name(),
        "LowLatencyHlsManifest"
    );
    assert_eq!(output.description(), Some("Example HarvestJob description"));
    let schedule = output.schedule_configuration().expect("schedule");
    assert_eq!(schedule.start_time().secs(), 1716876000);
    assert_eq!(schedule.end_time().as_millis(), 1716897600500);
    assert!(output.arn().ends_with("harvestJob/HarvestJobName"));
    assert_eq!(output.created_at().secs(), 1716888960);
    assert_eq!(output.modified_at().secs(), 1716888960);
    assert_eq!(output.status(), &HarvestJobStatus::Queued);
    assert_eq!(output.error_message(), Some("none yet"));
    assert_eq!(
        output.e_tag(),
        Some("GlfT+dwAyGIR4wuy8nKWl1RDPwSrjQej9qUutLZxoxk=")
    );
    let tags = output.tags().expect("tags");
    assert_eq!(tags.len(), 2);
    assert_eq!(tags["key2"], "value2");
}

#[tokio::test]
async fn keeps_unknown_enum_values() {
    let body = FULL_BODY.replace("\"QUEUED\"", "\"PAUSED_FOR_LUNCH\"");
    let server = TestServer::start(vec![Reply::json(200, &body)]).await;
    let output = call(&server).await.expect("success");
    assert!(matches!(output.status(), HarvestJobStatus::Unknown(_)));
    assert_eq!(output.status().as_str(), "PAUSED_FOR_LUNCH");
}

#[tokio::test]
async fn empty_or_missing_labels_fail_before_sending() {
    let server = TestServer::start(vec![Reply::json(200, FULL_BODY)]).await;
    let client = client_for(&server).await;
    let missing = client
        .get_harvest_job()
        .channel_group_name("g")
        .send()
        .await;
    match missing {
        Err(SdkError::Construction(error)) => {
            assert_eq!(error.to_string(), "`ChannelName` is required")
        }
        other => panic!("expected a construction error, got {other:?}"),
    }
    let empty = client
        .get_harvest_job()
        .channel_group_name("g")
        .channel_name("")
        .origin_endpoint_name("e")
        .harvest_job_name("j")
        .send()
        .await;
    match empty {
        Err(SdkError::Construction(error)) => {
            assert_eq!(error.to_string(), "`ChannelName` cannot be empty or unset")
        }
        other => panic!("expected a construction error, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn error_found_via_header() {
    let reply = Reply::json(
        404,
        r#"{"Message": "no such job", "ResourceTypeNotFound": "HARVEST_JOB"}"#,
    )
    .header(
        "x-amzn-errortype",
        "ResourceNotFoundException:http://internal.amazon.com/",
    )
    .header("x-amzn-requestid", "req-123");
    let server = TestServer::start(vec![reply]).await;
    let error = service_error(call(&server).await);
    assert_eq!(error.to_string(), "ResourceNotFoundException: no such job");
    assert_eq!(error.request_id(), Some("req-123"));
    match error {
        GetHarvestJobError::ResourceNotFoundException(e) => {
            assert_eq!(e.message(), Some("no such job"));
            assert_eq!(
                e.resource_type_not_found(),
                Some(&ResourceTypeNotFound::HarvestJob)
            );
            assert_eq!(e.meta().status, 404);
        }
        other => panic!("wrong variant: {other:?}"),
    }
}

#[tokio::test]
async fn error_found_via_body_code() {
    let reply = Reply::json(
        400,
        r#"{"code": "ValidationException", "message": "bad name", "ValidationExceptionType": "MEMBER_INVALID"}"#,
    );
    let server = TestServer::start(vec![reply]).await;
    match service_error(call(&server).await) {
        GetHarvestJobError::ValidationException(e) => {
            assert_eq!(e.message(), Some("bad name"));
            assert_eq!(
                e.validation_exception_type(),
                Some(&ValidationExceptionType::MemberInvalid)
            );
        }
        other => panic!("wrong variant: {other:?}"),
    }
}

#[tokio::test]
async fn error_found_via_namespaced_type() {
    let reply = Reply::json(
        403,
        r#"{"__type": "com.amazonaws.mediapackagev2#AccessDeniedException", "Message": "nope"}"#,
    );
    let server = TestServer::start(vec![reply]).await;
    let error = service_error(call(&server).await);
    assert!(error.is_access_denied_exception());
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert_eq!(error.to_string(), "AccessDeniedException: nope");
}

#[tokio::test]
async fn every_modelled_error_maps_to_its_variant() {
    let codes = [
        ("AccessDeniedException", 403),
        ("InternalServerException", 500),
        ("ResourceNotFoundException", 404),
        ("ThrottlingException", 429),
        ("ValidationException", 400),
    ];
    for (code, status) in codes {
        let body = format!(r#"{{"Message": "{code} happened"}}"#);
        let server = TestServer::start(vec![
            Reply::json(status, &body).header("x-amzn-errortype", code)
        ])
        .await;
        let error = service_error(call(&server).await);
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.message(), Some(format!("{code} happened").as_str()));
        let matched = match &error {
            GetHarvestJobError::AccessDeniedException(_) => "AccessDeniedException",
            GetHarvestJobError::InternalServerException(_) => "InternalServerException",
            GetHarvestJobError::ResourceNotFoundException(_) => "ResourceNotFoundException",
            GetHarvestJobError::ThrottlingException(_) => "ThrottlingException",
            GetHarvestJobError::ValidationException(_) => "ValidationException",
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(matched, code);
    }
}

#[tokio::test]
async fn unknown_error_code_is_unhandled_with_everything_kept() {
    let reply = Reply::json(409, r#"{"message": "brand new error"}"#)
        .header("x-amzn-errortype", "BrandNewException")
        .header("x-amzn-requestid", "req-9");
    let server = TestServer::start(vec![reply]).await;
    match service_error(call(&server).await) {
        GetHarvestJobError::Unhandled(e) => {
            assert_eq!(e.code(), Some("BrandNewException"));
            assert_eq!(e.message(), Some("brand new error"));
            assert_eq!(e.meta.status, 409);
            assert_eq!(e.meta.request_id.as_deref(), Some("req-9"));
            assert_eq!(
                e.to_string(),
                "BrandNewException (HTTP 409): brand new error"
            );
        }
        other => panic!("wrong variant: {other:?}"),
    }
}

#[tokio::test]
async fn malformed_json_is_a_response_error_keeping_the_body() {
    let server = TestServer::start(vec![Reply::json(200, "{\"ChannelGroupName\": ")]).await;
    match call(&server).await {
        Err(SdkError::Response(error)) => {
            assert_eq!(error.status, 200);
            assert_eq!(&error.body[..], b"{\"ChannelGroupName\": ");
            assert!(error.reason.contains("invalid JSON"), "{}", error.reason);
        }
        other => panic!("expected a response error, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_json_types_are_a_response_error_naming_the_path() {
    let body = FULL_BODY.replace(
        "\"BucketName\": \"harvestJobS3DestinationBucket\"",
        "\"BucketName\": 5",
    );
    let server = TestServer::start(vec![Reply::json(200, &body)]).await;
    match call(&server).await {
        Err(SdkError::Response(error)) => {
            assert!(
                error
                    .reason
                    .contains("Destination.S3Destination.BucketName"),
                "{}",
                error.reason
            );
        }
        other => panic!("expected a response error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_502_from_a_proxy_is_an_unhandled_service_error() {
    let reply = Reply {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html><body>Bad Gateway</body></html>".into(),
    };
    let server = TestServer::start(vec![reply]).await;
    match service_error(call(&server).await) {
        GetHarvestJobError::Unhandled(e) => {
            assert_eq!(e.meta.status, 502);
            assert_eq!(e.code(), None);
            assert_eq!(&e.body[..], b"<html><body>Bad Gateway</body></html>");
        }
        other => panic!("wrong variant: {other:?}"),
    }
}

#[tokio::test]
async fn missing_required_output_members_get_zero_values() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let output = call(&server)
        .await
        .expect("client error correction fills required members");
    assert_eq!(output.arn(), "");
    assert_eq!(output.created_at().secs(), 0);
    assert_eq!(output.status().as_str(), "");
    assert!(output.destination().is_none());
}

/// A fake behind the operations trait, as a user would write in their own tests.
struct FakeService;

impl MediaPackageV2Api for FakeService {
    async fn get_harvest_job(
        &self,
        input: GetHarvestJobInput,
    ) -> Result<
        mediapackagev2::operation::get_harvest_job::GetHarvestJobOutput,
        SdkError<GetHarvestJobError>,
    > {
        let output = mediapackagev2::operation::get_harvest_job::GetHarvestJobOutput::builder()
            .channel_group_name(input.channel_group_name().unwrap_or_default())
            .channel_name("c")
            .origin_endpoint_name("o")
            .harvest_job_name("j")
            .arn("arn:fake")
            .created_at(smithy_runtime::DateTime::UNIX_EPOCH)
            .modified_at(smithy_runtime::DateTime::UNIX_EPOCH)
            .status(HarvestJobStatus::Completed)
            .build()
            .map_err(SdkError::Construction)?;
        Ok(output)
    }
}

async fn status_of(api: &impl MediaPackageV2Api) -> String {
    let input = GetHarvestJobInput::builder()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("o")
        .harvest_job_name("j")
        .build()
        .expect("input builds");
    match api.get_harvest_job(input).await {
        Ok(output) => output.status().to_string(),
        Err(error) => format!("error: {error}"),
    }
}

#[tokio::test]
async fn the_operations_trait_accepts_a_fake_and_the_real_client() {
    assert_eq!(status_of(&FakeService).await, "COMPLETED");
    let server = TestServer::start(vec![Reply::json(200, FULL_BODY)]).await;
    assert_eq!(status_of(&client_for(&server).await).await, "QUEUED");
}

#[test]
fn input_builder_names_the_missing_required_member() {
    let error = GetHarvestJobInput::builder()
        .channel_group_name("g")
        .build()
        .unwrap_err();
    assert_eq!(error.field(), Some("ChannelName"));
}

/// Backoff sleeps that return at once (the runtime's own tests check the durations).
#[derive(Debug)]
struct NoSleep;

impl smithy_runtime::sleep::Sleep for NoSleep {
    fn sleep(
        &self,
        _duration: std::time::Duration,
    ) -> smithy_runtime::http::BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

#[tokio::test]
async fn retried_server_errors_say_how_many_attempts_were_made() {
    let reply = Reply::json(500, r#"{"Message": "try later"}"#)
        .header("x-amzn-errortype", "InternalServerException");
    let server = TestServer::start(vec![reply]).await;
    let config = Config::builder()
        .endpoint_url(server.url())
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "SECRET",
        ))
        .sleep_impl(NoSleep)
        .build()
        .expect("config builds");
    let result = Client::from_conf(config)
        .get_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("o")
        .harvest_job_name("j")
        .send()
        .await;
    let error = result.expect_err("three 500s fail");
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.requests().len(), 3);
    assert!(matches!(
        error,
        SdkError::Service(GetHarvestJobError::InternalServerException(_))
    ));
    assert_eq!(
        error.to_string(),
        "service error: InternalServerException: try later (3 attempts made)"
    );
}
