//! A local HTTP/1.1 server for benchmarks: every request gets a canned response chosen by its
//! operation (a DynamoDB `X-Amz-Target` header, MediaPackage v2's GetHarvestJob route, or an S3
//! object of [`s3::BUCKET`], or a Bedrock Runtime event stream of [`event_stream`]), so a
//! client's cost is measured against a server that does almost nothing.

pub mod event_stream;
pub mod s3;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A realistic GetHarvestJob response body (every member set, as the service documents it) with
/// `tags` entries in its `Tags` map.
pub fn harvest_job_body(tags: usize) -> String {
    let tags: Vec<String> = (0..tags)
        .map(|i| format!("\"tag-key-{i:04}\": \"tag value number {i}\""))
        .collect();
    format!(
        r#"{{"ChannelGroupName":"exampleChannelGroup","ChannelName":"exampleChannelName","OriginEndpointName":"exampleOriginEndpointName","Destination":{{"S3Destination":{{"BucketName":"harvestJobS3DestinationBucket","DestinationPath":"manifests"}}}},"HarvestJobName":"HarvestJobName","HarvestedManifests":{{"HlsManifests":[{{"ManifestName":"HlsManifest"}}],"DashManifests":[{{"ManifestName":"DashManifest"}}],"LowLatencyHlsManifests":[{{"ManifestName":"LowLatencyHlsManifest"}}]}},"Description":"Example HarvestJob description","ScheduleConfiguration":{{"StartTime":1716876000,"EndTime":1716897600.5}},"Arn":"arn:aws:mediapackagev2:us-west-2:123456789012:channelGroup/exampleChannelGroup/channel/exampleChannelName/originEndpoint/exampleOriginEndpointName/harvestJob/HarvestJobName","CreatedAt":1716888960,"ModifiedAt":1716888960,"Status":"QUEUED","ErrorMessage":"none yet","ETag":"GlfT+dwAyGIR4wuy8nKWl1RDPwSrjQej9qUutLZxoxk=","Tags":{{{}}}}}"#,
        tags.join(",")
    )
}

/// The `X-Amz-Target` of DynamoDB GetItem (awsJson1_0: `<service>_<version>.<operation>`).
pub const GET_ITEM_TARGET: &str = "DynamoDB_20120810.GetItem";

/// A realistic DynamoDB GetItem response (1.3 KB, 19 attributes): an order item with every kind of attribute
/// value (S, N, B, BOOL, NULL, SS, NS, BS, nested M and L), as a single-table design stores it.
pub const GET_ITEM_BODY: &str = r#"{"Item":{"pk":{"S":"CUSTOMER#c-000123"},"sk":{"S":"ORDER#2026-11-30#o-98765"},"entityType":{"S":"Order"},"status":{"S":"SHIPPED"},"total":{"N":"149.97"},"itemCount":{"N":"3"},"createdAt":{"N":"1764460800"},"updatedAt":{"N":"1764547200.125"},"giftWrap":{"BOOL":false},"expedited":{"BOOL":true},"couponCode":{"NULL":true},"receiptThumbnail":{"B":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="},"tags":{"SS":["electronics","gift","prime","holiday-2026"]},"ratings":{"NS":["4.5","5","3.8"]},"signatures":{"BS":["c2lnbmF0dXJlLTE=","c2lnbmF0dXJlLTI="]},"shippingAddress":{"M":{"name":{"S":"Jane Doe"},"street":{"S":"410 Terry Ave N"},"city":{"S":"Seattle"},"zip":{"S":"98109"},"country":{"S":"US"},"residential":{"BOOL":true}}},"lines":{"L":[{"M":{"sku":{"S":"B0C-1234-XYZ"},"title":{"S":"Noise-cancelling headphones"},"qty":{"N":"1"},"price":{"N":"99.99"}}},{"M":{"sku":{"S":"B0D-5678-ABC"},"title":{"S":"USB-C cable, 2 m"},"qty":{"N":"2"},"price":{"N":"12.99"}}},{"M":{"sku":{"S":"B0E-9012-DEF"},"title":{"S":"Gift card"},"qty":{"N":"1"},"price":{"N":"24.00"}}}]},"history":{"L":[{"S":"PLACED"},{"S":"PAID"},{"S":"PACKED"},{"S":"SHIPPED"}]},"payment":{"M":{"method":{"S":"card"},"last4":{"S":"4242"},"authorized":{"BOOL":true},"amount":{"N":"149.97"}}}}}"#;

/// How many attribute values [`GET_ITEM_BODY`] holds, counted as the bench clients count them:
/// every value (top level and nested in M and L) plus every member of a set. Both clients check
/// this, so neither can skip parsing the response.
pub const GET_ITEM_VALUES: usize = 57;

/// The canned response bodies, one per operation the server answers.
#[derive(Clone, Debug)]
pub struct Bodies {
    /// MediaPackage v2 GetHarvestJob (`GET /channelGroup/...`).
    pub harvest_job: Bytes,
    /// DynamoDB GetItem (`X-Amz-Target: DynamoDB_20120810.GetItem`).
    pub get_item: Bytes,
}

impl Bodies {
    /// The realistic bodies, GetHarvestJob's with `tags` tags.
    pub fn new(tags: usize) -> Bodies {
        Bodies::with_harvest_job(harvest_job_body(tags))
    }

    /// The given GetHarvestJob body and the usual GetItem body.
    pub fn with_harvest_job(harvest_job: String) -> Bodies {
        Bodies {
            harvest_job: Bytes::from(harvest_job),
            get_item: Bytes::from_static(GET_ITEM_BODY.as_bytes()),
        }
    }
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    HarvestJob,
    GetItem,
    /// An awsJson target this server has no response for.
    UnknownTarget,
    NotFound,
}

/// Routes on the awsJson `X-Amz-Target` header first (every awsJson request is `POST /`), then on
/// the restJson1 path.
fn route<B>(request: &hyper::Request<B>) -> Route {
    if let Some(target) = request.headers().get("x-amz-target") {
        return if target == GET_ITEM_TARGET {
            Route::GetItem
        } else {
            Route::UnknownTarget
        };
    }
    if request.uri().path().starts_with("/channelGroup/") {
        Route::HarvestJob
    } else {
        Route::NotFound
    }
}

/// Binds `127.0.0.1` on a free port; returns the listener and its base URL.
pub async fn bind() -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    Ok((listener, url))
}

/// Answers every request on every connection accepted from `listener` from `bodies`.
pub async fn serve(listener: TcpListener, bodies: Bodies) {
    let bodies = Arc::new(bodies);
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let bodies = Arc::clone(&bodies);
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(request, Arc::clone(&bodies)));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Answers one request: S3 routes first (they need the request's body), then the canned ones.
async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    bodies: Arc<Bodies>,
) -> Result<hyper::Response<s3::AnyBody>, Infallible> {
    if let Some(route) = s3::route(&request) {
        return Ok(s3::respond(route, request).await);
    }
    if let Some(spec) = event_stream::route(&request) {
        return Ok(event_stream::respond(spec));
    }
    let response = respond(route(&request), bodies);
    Ok(response.map(BodyExt::boxed_unsync))
}

fn respond(route: Route, bodies: Arc<Bodies>) -> hyper::Response<Full<Bytes>> {
    let (status, content_type, body) = match route {
        Route::HarvestJob => (200, "application/json", bodies.harvest_job.clone()),
        Route::GetItem => (200, "application/x-amz-json-1.0", bodies.get_item.clone()),
        Route::UnknownTarget => (
            400,
            "application/x-amz-json-1.0",
            Bytes::from_static(
                br#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#,
            ),
        ),
        Route::NotFound => (404, "application/json", Bytes::from_static(b"{}")),
    };
    let mut response = hyper::Response::new(Full::new(body));
    *response.status_mut() = hyper::StatusCode::from_u16(status).expect("static");
    let headers = response.headers_mut();
    headers.insert("content-type", content_type.parse().expect("static"));
    headers.insert(
        "x-amzn-requestid",
        "9f8e7d6c-5b4a-3f2e-1d0c-ba9876543210"
            .parse()
            .expect("static"),
    );
    response
}

/// Starts the server on its own thread and runtime (for in-process benchmarks); returns its URL.
/// The thread lives as long as the process.
pub fn spawn_in_background(bodies: Bodies) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let (listener, url) = bind().await.expect("bind loopback");
            sender.send(url).expect("report url");
            serve(listener, bodies).await;
        });
    });
    receiver.recv().expect("server thread started")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: Option<&str>, path: &str) -> hyper::Request<()> {
        let mut builder = hyper::Request::builder().uri(path);
        if let Some(target) = target {
            builder = builder.header("X-Amz-Target", target);
        }
        builder.body(()).expect("valid request")
    }

    #[test]
    fn requests_are_routed_by_target_then_path() {
        assert_eq!(route(&request(Some(GET_ITEM_TARGET), "/")), Route::GetItem);
        assert_eq!(
            route(&request(Some("DynamoDB_20120810.PutItem"), "/")),
            Route::UnknownTarget
        );
        let job = "/channelGroup/g/channel/c/originEndpoint/e/harvestJob/j";
        assert_eq!(route(&request(None, job)), Route::HarvestJob);
        assert_eq!(route(&request(None, "/")), Route::NotFound);
    }
}
