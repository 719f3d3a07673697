//! Streaming bodies through the whole pipeline (a real local server, the hyper transport,
//! signing, retries): which request bodies a retry sends again, S3's `x-amz-content-sha256`,
//! and streamed response bodies, including one cut short by the server.

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::client::{invoke_operation, invoke_streaming_operation, Operation, Service};
use smithy_runtime::error::Unhandled;
use smithy_runtime::http::{HttpResponse, RequestParts};
use smithy_runtime::sigv4::{sha256_hex, UNSIGNED_PAYLOAD};
use smithy_runtime::{BuildError, ByteStream, SdkError};
use tokio::io::AsyncWriteExt;

const PUT: Operation = Operation {
    name: "PutThing",
    retryable_errors: &[],
};

/// A `PUT /thing` with `body` as its streaming payload.
fn put(body: ByteStream) -> Result<RequestParts, BuildError> {
    let mut parts = RequestParts::new("PUT");
    parts.push_path("/thing");
    parts.set_body_stream("application/octet-stream", body);
    Ok(parts)
}

/// The status of a response, as a parser would see it.
#[allow(clippy::result_large_err)] // As generated parsers: errors keep the whole response.
fn status(response: HttpResponse) -> Result<u16, SdkError<Unhandled>> {
    Ok(response.status().as_u16())
}

/// A service without endpoint rules signing as `name`.
fn service(name: &'static str) -> Service {
    Service {
        sdk_id: "Things",
        api_version: "2024-01-01",
        signing_name: Some(name),
        endpoint_rules: None,
    }
}

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

#[tokio::test]
async fn a_file_body_is_read_again_by_a_retry() {
    let server = TestServer::start(|n| match n {
        0 => Reply::status(503),
        _ => Reply::status(200),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();
    let contents: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let path = temp_file("pipeline-streaming-retry", &contents);
    let body = ByteStream::from_path(&path).await.unwrap();

    let code = invoke_operation(&config, &service("things"), &PUT, put(body), status).await;

    assert_eq!(code.unwrap(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, contents, "each attempt sends the whole file");
        assert_eq!(request.header("content-length"), Some("300000"));
        assert_eq!(request.header("transfer-encoding"), None);
        // Not S3: no payload hash header.
        assert_eq!(request.header("x-amz-content-sha256"), None);
    }
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn a_reader_body_is_never_sent_twice() {
    let server = TestServer::start(|n| match n {
        0 => Reply::status(503),
        _ => Reply::status(200),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();
    let body = ByteStream::from_reader(&b"one shot only"[..], 13);

    let result = invoke_operation(&config, &service("things"), &PUT, put(body), status).await;

    // The 503 is the answer: the reader's bytes are gone, so there is no second attempt.
    assert_eq!(result.unwrap(), 503);
    assert_eq!(server.count(), 1);
    assert!(sleep.slept().is_empty());
    assert_eq!(server.requests()[0].body, &b"one shot only"[..]);
}

#[tokio::test]
async fn s3_requests_carry_the_payload_hash_or_unsigned_payload() {
    let server = TestServer::start(|_| Reply::status(200)).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();
    let s3 = service("s3");

    invoke_operation(
        &config,
        &s3,
        &PUT,
        put(ByteStream::from("in memory")),
        status,
    )
    .await
    .unwrap();
    let path = temp_file("pipeline-streaming-s3", b"from a file");
    let file = ByteStream::from_path(&path).await.unwrap();
    invoke_operation(&config, &s3, &PUT, put(file), status)
        .await
        .unwrap();
    let reader = ByteStream::from_reader(&b"from a reader"[..], 13);
    invoke_operation(&config, &s3, &PUT, put(reader), status)
        .await
        .unwrap();
    let get = {
        let mut parts = RequestParts::new("GET");
        parts.push_path("/thing");
        Ok(parts)
    };
    invoke_operation(&config, &s3, &PUT, get, status)
        .await
        .unwrap();

    let requests = server.requests();
    let hashes: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-amz-content-sha256").unwrap())
        .collect();
    assert_eq!(
        hashes,
        [
            sha256_hex(b"in memory").as_str(),
            UNSIGNED_PAYLOAD,
            UNSIGNED_PAYLOAD,
            smithy_runtime::sigv4::EMPTY_PAYLOAD_SHA256
        ]
    );
    for request in &requests {
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.contains("x-amz-content-sha256"),
            "the hash header is signed: {authorization}"
        );
    }
    assert_eq!(requests[1].body, &b"from a file"[..]);
    assert_eq!(requests[2].body, &b"from a reader"[..]);
    std::fs::remove_file(path).unwrap();
}

/// A server that answers every connection with `head` and `body`, then closes it.
async fn raw_server(head: String, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (head, body) = (head.clone(), body.clone());
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut request).await;
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

/// `GET /thing` through the streaming pipeline, returning the payload stream.
async fn get_stream(url: &str) -> Result<ByteStream, SdkError<Unhandled>> {
    let sleep = RecordingSleep::default();
    let config = config_for(url, &sleep).build().unwrap();
    let mut parts = RequestParts::new("GET");
    parts.push_path("/thing");
    invoke_streaming_operation(&config, &service("things"), &PUT, Ok(parts), payload).await
}

/// The payload stream of a success; an error response's (whole) body as the error.
#[allow(clippy::result_large_err)] // As generated parsers: errors keep the whole response.
fn payload(response: HttpResponse) -> Result<ByteStream, SdkError<Unhandled>> {
    if !response.status().is_success() {
        let text = String::from_utf8_lossy(response.body()).into_owned();
        return Err(SdkError::Construction(BuildError::other(text)));
    }
    Ok(ByteStream::from_response(&response))
}

#[tokio::test]
async fn a_streamed_response_is_read_as_it_arrives_and_errors_are_read_whole() {
    let body: Vec<u8> = (0..500_000u32).map(|i| (i % 249) as u8).collect();
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
    let url = raw_server(head, body.clone()).await;

    let mut stream = get_stream(&url).await.unwrap();
    assert!(!stream.is_replayable());
    assert_eq!(stream.content_length(), Some(500_000));
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(read, body);
    assert!(chunks > 1, "read in chunks, not as one buffer");

    let error_body = "<Error><Code>NoSuchKey</Code></Error>";
    let head = format!(
        "HTTP/1.1 404 Not Found\r\ncontent-length: {}\r\n\r\n",
        error_body.len()
    );
    let url = raw_server(head, error_body.into()).await;
    let error = get_stream(&url).await.unwrap_err();
    assert!(error.to_string().contains("NoSuchKey"), "{error}");
}

#[tokio::test]
async fn a_response_cut_short_is_a_byte_stream_error_not_a_panic() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n".to_string();
    let url = raw_server(head, vec![7u8; 10_000]).await;

    let mut stream = get_stream(&url).await.unwrap();
    let mut read = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(chunk)) => read += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {read} bytes"),
        }
    };
    assert_eq!(read, 10_000);
    let text = error.to_string();
    assert!(text.starts_with("failed to read the byte stream"), "{text}");
}

#[tokio::test]
async fn a_streamed_download_that_stalls_ends_in_a_typed_error() {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&[7u8; 100]).await;
        // Keep the connection open and silent.
        std::future::pending::<()>().await;
    });
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(&url)
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "S",
        ))
        .timeout_config(
            smithy_runtime::timeout::TimeoutConfig::new()
                .read_idle_timeout(std::time::Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let mut parts = RequestParts::new("GET");
    parts.push_path("/thing");
    let mut stream =
        invoke_streaming_operation(&config, &service("things"), &PUT, Ok(parts), payload)
            .await
            .expect("the head arrived");
    let mut received = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended after {received} bytes"),
        }
    };
    assert_eq!(received, 100, "the bytes sent before the stall arrive");
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let mut stalled = false;
    while let Some(e) = source {
        stalled |= e.is::<smithy_runtime::stalled::StalledResponse>();
        source = e.source();
    }
    assert!(stalled, "{error}");
}
