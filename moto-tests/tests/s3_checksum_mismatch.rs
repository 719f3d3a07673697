//! A GetObject whose body does not match its `x-amz-checksum-crc32`, which moto never sends: a
//! small server of our own on 127.0.0.1 answers with a wrong checksum, and reading the body must
//! end in the typed checksum error (naming expected and computed) rather than in the bytes;
//! with `WhenRequired` and no `ChecksumMode` nothing is validated.
#![cfg(reference_data)]

use moto_tests::clients::s3::types::ChecksumMode;
use moto_tests::clients::s3::Client;
use smithy_runtime::checksum::{ChecksumAlgorithm, ResponseChecksumValidation};
use tokio::net::TcpListener;

const BODY: &str = "Hello world";
/// The CRC32 of nothing, not of `BODY` (`i9aeUg==`).
const WRONG_CRC32: &str = "AAAAAA==";

/// Answers `count` connections with `BODY` and the wrong checksum; returns the request heads.
async fn serve(listener: TcpListener, count: usize) -> Vec<String> {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nx-amz-checksum-crc32: {WRONG_CRC32}\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    moto_tests::serve_canned(listener, count, response).await
}

fn client(address: std::net::SocketAddr, validation: ResponseChecksumValidation) -> Client {
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(format!("http://{address}"))
        .region("us-east-1")
        .credentials_provider(moto_tests::credentials())
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .response_checksum_validation(validation)
        .build()
        .expect("a configuration");
    Client::from_conf(config)
}

#[tokio::test]
async fn a_wrong_checksum_fails_the_read_with_a_typed_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    let server = tokio::spawn(serve(listener, 2));

    // The default (`WhenSupported`) asks for and validates a checksum without `ChecksumMode`.
    let output = client(address, ResponseChecksumValidation::WhenSupported)
        .get_object()
        .bucket("bucket")
        .key("object.txt")
        .send()
        .await
        .expect("the response head is fine");
    let error = output
        .body
        .collect()
        .await
        .expect_err("a body that does not match its checksum");
    let mismatch = error.checksum_mismatch().expect("a checksum mismatch");
    assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Crc32);
    assert_eq!(mismatch.expected, WRONG_CRC32);
    assert_eq!(mismatch.actual, "i9aeUg==");
    assert!(error.to_string().contains("checksum mismatch"), "{error}");

    // `WhenRequired` without `ChecksumMode`: not asked for, not validated.
    let output = client(address, ResponseChecksumValidation::WhenRequired)
        .get_object()
        .bucket("bucket")
        .key("object.txt")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(output.body.collect().await.expect("not validated"), BODY);

    let heads = server.await.expect("the server ran");
    assert!(
        heads[0].contains("x-amz-checksum-mode: enabled"),
        "{}",
        heads[0]
    );
    assert!(!heads[1].contains("x-amz-checksum-mode"), "{}", heads[1]);
}

#[tokio::test]
async fn checksum_mode_enabled_validates_even_when_required_only() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    let server = tokio::spawn(serve(listener, 1));
    let output = client(address, ResponseChecksumValidation::WhenRequired)
        .get_object()
        .bucket("bucket")
        .key("object.txt")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .expect("GetObject");
    let mut stream = output.body;
    // The bytes come through as they arrive; the mismatch is the stream's last item, in place
    // of its end.
    let mut seen = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(chunk)) => seen.extend_from_slice(&chunk),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without reporting the mismatch"),
        }
    };
    assert_eq!(seen, BODY.as_bytes());
    assert!(error.checksum_mismatch().is_some(), "{error}");
    server.await.expect("the server ran");
}
