//! S3's 200 with an `<Error>` document (CopyObject, UploadPartCopy and CompleteMultipartUpload
//! fail this way after the status line went out), which moto never sends: a small server of our
//! own on 127.0.0.1 answers one CopyObject so, and the client must report the error, not an
//! empty output.
#![cfg(reference_data)]

use moto_tests::clients::s3::Client;
use tokio::net::TcpListener;

const ERROR_BODY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId></Error>";

/// Answers one request with 200 and `ERROR_BODY`.
async fn serve_one(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nx-amz-request-id: from-header\r\nConnection: close\r\n\r\n{ERROR_BODY}",
        ERROR_BODY.len()
    );
    moto_tests::serve_canned(listener, 1, response).await;
}

#[tokio::test]
async fn a_200_carrying_an_error_document_is_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    let server = tokio::spawn(serve_one(listener));
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(format!("http://{address}"))
        .region("us-east-1")
        .credentials_provider(moto_tests::credentials())
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .build()
        .expect("a configuration");
    let error = Client::from_conf(config)
        .copy_object()
        .bucket("target")
        .key("copy.txt")
        .copy_source("source/original.txt")
        .send()
        .await
        .expect_err("a 200 with <Error> is an error");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.meta().code.as_deref(), Some("InternalError"));
    assert_eq!(service.meta().status, 200);
    assert_eq!(
        service.meta().request_id.as_deref(),
        Some("656c76696e6727732072657175657374")
    );
    server.await.expect("the server ran");
}
