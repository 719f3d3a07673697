//! Flexible checksums (`@httpChecksum`) through the whole pipeline against a local server: which
//! request checksums each setting sends (in-memory and file bodies; one-shot bodies as
//! `aws-chunked` with a trailer), the validation
//! mode header, and an in-memory response whose checksum does not match (the typed error, not
//! retried).

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::checksum::{RequestChecksumCalculation, ResponseChecksumValidation};
use smithy_runtime::client::{invoke_operation, Operation, Service};
use smithy_runtime::error::Unhandled;
use smithy_runtime::http::{HttpResponse, RequestParts};
use smithy_runtime::{BuildError, ByteStream, SdkError};

const OP: Operation = Operation {
    name: "PutThing",
    retryable_errors: &[],
};

fn service() -> Service {
    Service {
        sdk_id: "Things",
        api_version: "2024-01-01",
        signing_name: Some("things"),
        endpoint_rules: None,
    }
}

#[allow(clippy::result_large_err)] // As generated parsers: errors keep the whole response.
fn body(response: HttpResponse) -> Result<bytes::Bytes, SdkError<Unhandled>> {
    Ok(response.body().clone())
}

/// A `PUT /thing` of `payload` with `@httpChecksum` on both sides.
fn put(
    payload: ByteStream,
    algorithm: Option<&str>,
    required: bool,
) -> Result<RequestParts, BuildError> {
    let mut parts = RequestParts::new("PUT");
    parts.push_path("/thing");
    if let Some(algorithm) = algorithm {
        // As the generated serializer binds the request algorithm member.
        parts.push_header("x-amz-sdk-checksum-algorithm", algorithm);
    }
    parts.set_body_stream("application/octet-stream", payload);
    parts.set_request_checksum(algorithm, Some("x-amz-sdk-checksum-algorithm"), required);
    parts.set_response_checksum(
        Some("x-amz-checksum-mode"),
        false,
        &["CRC32", "CRC32C", "SHA1", "SHA256"],
    );
    Ok(parts)
}

async fn send_one(
    request: RequestChecksumCalculation,
    response: ResponseChecksumValidation,
    parts: Result<RequestParts, BuildError>,
    reply: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> (Result<bytes::Bytes, SdkError<Unhandled>>, Vec<Recorded>) {
    let server = TestServer::start(reply).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .request_checksum_calculation(request)
        .response_checksum_validation(response)
        .build()
        .unwrap();
    let result = invoke_operation(&config, &service(), &OP, parts, body).await;
    (result, server.requests())
}

#[tokio::test]
async fn when_supported_sends_crc32_by_default_and_asks_for_validation() {
    let (result, requests) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(ByteStream::from("Hello world"), None, false),
        |_| Reply::status(200),
    )
    .await;
    result.unwrap();
    let request = &requests[0];
    assert_eq!(request.header("x-amz-checksum-crc32"), Some("i9aeUg=="));
    assert_eq!(
        request.header("x-amz-sdk-checksum-algorithm"),
        Some("CRC32")
    );
    assert_eq!(request.header("x-amz-checksum-mode"), Some("ENABLED"));
}

#[tokio::test]
async fn when_required_sends_only_what_is_required_or_chosen() {
    let (result, requests) = send_one(
        RequestChecksumCalculation::WhenRequired,
        ResponseChecksumValidation::WhenRequired,
        put(ByteStream::from("Hello world"), None, false),
        |_| Reply::status(200),
    )
    .await;
    result.unwrap();
    let names: Vec<&str> = requests[0]
        .headers
        .keys()
        .map(http::HeaderName::as_str)
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("x-amz-checksum") || *n == "x-amz-sdk-checksum-algorithm"),
        "{names:?}"
    );

    let (_, requests) = send_one(
        RequestChecksumCalculation::WhenRequired,
        ResponseChecksumValidation::WhenRequired,
        put(ByteStream::from("Hello world"), None, true),
        |_| Reply::status(200),
    )
    .await;
    assert_eq!(requests[0].header("x-amz-checksum-crc32"), Some("i9aeUg=="));

    let (_, requests) = send_one(
        RequestChecksumCalculation::WhenRequired,
        ResponseChecksumValidation::WhenRequired,
        put(ByteStream::from("Hello world"), Some("SHA256"), false),
        |_| Reply::status(200),
    )
    .await;
    let request = &requests[0];
    assert_eq!(
        request.header("x-amz-checksum-sha256"),
        Some("ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=")
    );
    assert_eq!(
        request.header("x-amz-sdk-checksum-algorithm"),
        Some("SHA256")
    );
    assert_eq!(
        request
            .headers
            .get_all("x-amz-sdk-checksum-algorithm")
            .iter()
            .count(),
        1
    );
}

#[tokio::test]
async fn a_callers_checksum_header_is_not_computed_again() {
    let mut parts = put(ByteStream::from("Hello world"), None, false).unwrap();
    parts.push_header("x-amz-checksum-crc32c", "crUfeA==");
    let (_, requests) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        Ok(parts),
        |_| Reply::status(200),
    )
    .await;
    let request = &requests[0];
    assert_eq!(request.header("x-amz-checksum-crc32c"), Some("crUfeA=="));
    assert_eq!(request.header("x-amz-checksum-crc32"), None);
}

#[tokio::test]
async fn file_and_one_shot_bodies_are_read_once_with_the_checksum_as_a_trailer() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 249) as u8).collect();
    let path = std::env::temp_dir().join(format!("pipeline-checksum-{}", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let file = ByteStream::from_path(&path).await.unwrap();
    let (result, requests) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(file, Some("CRC32C"), false),
        |_| Reply::status(200),
    )
    .await;
    std::fs::remove_file(&path).unwrap();
    result.unwrap();
    // A file is read once, as it is sent, like a reader: `aws-chunked`, the checksum a trailer.
    let expected = smithy_runtime::checksum::ChecksumAlgorithm::Crc32c.checksum_base64(&data);
    let request = &requests[0];
    assert_eq!(request.header("x-amz-checksum-crc32c"), None, "a trailer");
    assert_eq!(request.header("content-encoding"), Some("aws-chunked"));
    assert_eq!(
        request.header("x-amz-decoded-content-length"),
        Some("200000")
    );
    let mut sent = format!("{:x}\r\n", data.len()).into_bytes();
    sent.extend_from_slice(&data);
    sent.extend_from_slice(format!("\r\n0\r\nx-amz-checksum-crc32c:{expected}\r\n\r\n").as_bytes());
    assert_eq!(request.body, sent, "the file whole, then its checksum");

    // A reader is read once, as it is sent: `aws-chunked`, the checksum as a trailer.
    let reader = ByteStream::from_reader(&b"Hello world"[..], 11);
    let (result, requests) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(reader, None, false),
        |_| Reply::status(200),
    )
    .await;
    result.unwrap();
    let request = &requests[0];
    let sent = "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";
    assert_eq!(request.body, sent);
    assert_eq!(
        request.header("content-length"),
        Some(sent.len().to_string().as_str())
    );
    assert_eq!(request.header("content-encoding"), Some("aws-chunked"));
    assert_eq!(request.header("x-amz-decoded-content-length"), Some("11"));
    assert_eq!(
        request.header("x-amz-trailer"),
        Some("x-amz-checksum-crc32")
    );
    assert_eq!(
        request.header("x-amz-sdk-checksum-algorithm"),
        Some("CRC32")
    );
    assert_eq!(
        request.header("x-amz-checksum-crc32"),
        None,
        "a trailer, not a header"
    );

    // Each algorithm's trailer is exactly as long as the declared `Content-Length` says, and
    // an empty payload is the final chunk alone.
    for (algorithm, size) in [
        ("SHA1", 11usize),
        ("SHA256", 0),
        ("CRC64NVME", 70_000),
        ("CRC32C", 3),
    ] {
        let data: Vec<u8> = (0..size).map(|i| (i % 241) as u8).collect();
        let reader = ByteStream::from_reader(std::io::Cursor::new(data.clone()), size as u64);
        let (result, requests) = send_one(
            RequestChecksumCalculation::WhenSupported,
            ResponseChecksumValidation::WhenSupported,
            put(reader, Some(algorithm), false),
            |_| Reply::status(200),
        )
        .await;
        result.unwrap();
        let request = &requests[0];
        let alg = smithy_runtime::checksum::ChecksumAlgorithm::from_name(algorithm).unwrap();
        let trailer = format!(
            "0\r\n{}:{}\r\n\r\n",
            alg.header_name(),
            alg.checksum_base64(&data)
        );
        let expected = if size == 0 {
            trailer.into_bytes()
        } else {
            [
                format!("{size:x}\r\n").into_bytes(),
                data,
                b"\r\n".to_vec(),
                trailer.into_bytes(),
            ]
            .concat()
        };
        assert_eq!(request.body, expected, "{algorithm}");
        assert_eq!(
            request.header("content-length"),
            Some(expected.len().to_string().as_str())
        );
    }
}

fn with_crc32(value: &'static str) -> impl Fn(usize) -> Reply + Send + Sync + 'static {
    move |_| Reply::Respond {
        status: 200,
        headers: vec![("x-amz-checksum-crc32", value.into())],
        body: "Hello world".into(),
    }
}

#[tokio::test]
async fn an_in_memory_response_is_validated_and_a_mismatch_is_not_retried() {
    let (result, _) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(ByteStream::from("x"), None, false),
        with_crc32("i9aeUg=="),
    )
    .await;
    assert_eq!(result.unwrap(), "Hello world");

    let (result, requests) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(ByteStream::from("x"), None, false),
        with_crc32("AAAAAA=="),
    )
    .await;
    let Err(SdkError::Dispatch(error)) = result else {
        panic!("a dispatch error, not {result:?}");
    };
    let mismatch = error.checksum_mismatch().expect("the typed mismatch");
    assert_eq!(
        (mismatch.expected.as_str(), mismatch.actual.as_str()),
        ("AAAAAA==", "i9aeUg==")
    );
    assert_eq!(requests.len(), 1, "a mismatch is not retried");

    // A composite (multipart) checksum is not a checksum of the bytes: not checked.
    let (result, _) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
        put(ByteStream::from("x"), None, false),
        with_crc32("AAAAAA==-3"),
    )
    .await;
    assert_eq!(result.unwrap(), "Hello world");

    // `WhenRequired` with the mode member unset: not validated.
    let (result, _) = send_one(
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenRequired,
        put(ByteStream::from("x"), None, false),
        with_crc32("AAAAAA=="),
    )
    .await;
    assert_eq!(result.unwrap(), "Hello world");
}

#[tokio::test]
async fn the_settings_come_from_the_environment_unless_set_in_code() {
    use smithy_runtime::client::Config;
    use smithy_runtime::credentials::{Env, Fs};
    let no_files = || Fs::from_files(Vec::<(String, String)>::new());
    let defaults = Config::builder()
        .load_defaults_from(Env::from_vars(Vec::<(String, String)>::new()), no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        defaults.request_checksum_calculation(),
        RequestChecksumCalculation::WhenSupported
    );
    assert_eq!(
        defaults.response_checksum_validation(),
        ResponseChecksumValidation::WhenSupported
    );
    let env = Env::from_vars([
        ("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED"),
        ("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
    ]);
    let from_env = Config::builder()
        .load_defaults_from(env.clone(), no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        from_env.request_checksum_calculation(),
        RequestChecksumCalculation::WhenRequired
    );
    assert_eq!(
        from_env.response_checksum_validation(),
        ResponseChecksumValidation::WhenRequired
    );
    let in_code = Config::builder()
        .request_checksum_calculation(RequestChecksumCalculation::WhenSupported)
        .load_defaults_from(env, no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        in_code.request_checksum_calculation(),
        RequestChecksumCalculation::WhenSupported
    );
    let bad = Env::from_vars([("AWS_RESPONSE_CHECKSUM_VALIDATION", "always")]);
    let error = Config::builder()
        .load_defaults_from(bad, no_files())
        .await
        .err()
        .expect("an unknown setting is an error");
    assert!(error.to_string().contains("when_supported"), "{error}");
}
