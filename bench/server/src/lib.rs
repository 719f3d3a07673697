//! A local HTTP/1.1 server for benchmarks: every request gets the same canned GetHarvestJob
//! response (`200`, `application/json`), so a client's cost is measured against a server that
//! does almost nothing.

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
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

/// Binds `127.0.0.1` on a free port; returns the listener and its base URL.
pub async fn bind() -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    Ok((listener, url))
}

/// Answers every request on every connection accepted from `listener` with `body`.
pub async fn serve(listener: TcpListener, body: Bytes) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_request| respond(body.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(body: Bytes) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let mut response = hyper::Response::new(Full::new(body));
    let headers = response.headers_mut();
    headers.insert("content-type", "application/json".parse().expect("static"));
    headers.insert(
        "x-amzn-requestid",
        "9f8e7d6c-5b4a-3f2e-1d0c-ba9876543210"
            .parse()
            .expect("static"),
    );
    Ok(response)
}

/// Starts the server on its own thread and runtime (for in-process benchmarks); returns its URL.
/// The thread lives as long as the process.
pub fn spawn_in_background(body: String) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let (listener, url) = bind().await.expect("bind loopback");
            sender.send(url).expect("report url");
            serve(listener, Bytes::from(body)).await;
        });
    });
    receiver.recv().expect("server thread started")
}
