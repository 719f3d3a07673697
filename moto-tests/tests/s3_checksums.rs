//! S3's flexible checksums (`@httpChecksum`) against moto: PutObject with each algorithm (CRC32,
//! CRC32C, CRC64NVME, SHA-1, SHA-256) (and the
//! CRC32 default, a checksum the caller computed, a file body, `WhenRequired`), GetObject with
//! `ChecksumMode: ENABLED` validated, and a 3-part multipart upload with a CRC32 per part.
#![cfg(reference_data)]

use moto_tests::clients::s3::types::{
    ChecksumAlgorithm, ChecksumMode, CompletedMultipartUpload, CompletedPart,
};
use moto_tests::clients::s3::Client;
use moto_tests::MotoServer;
use smithy_runtime::checksum::{self, RequestChecksumCalculation};
use smithy_runtime::ByteStream;

const SUITE: &str = "s3 checksums";
const BUCKET: &str = "moto-tests-checksums";

async fn client_with_bucket(server: &MotoServer) -> Client {
    let client = Client::from_conf(moto_tests::config(server));
    client
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("CreateBucket");
    client
}

fn ours(algorithm: checksum::ChecksumAlgorithm, data: &[u8]) -> String {
    algorithm.checksum_base64(data)
}

#[tokio::test]
async fn each_algorithm_is_sent_stored_and_validated_on_download() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client_with_bucket(&server).await;
    let data = b"Hello world".repeat(1000);
    let cases = [
        (ChecksumAlgorithm::Crc32, checksum::ChecksumAlgorithm::Crc32),
        (
            ChecksumAlgorithm::Crc32C,
            checksum::ChecksumAlgorithm::Crc32c,
        ),
        (ChecksumAlgorithm::Sha1, checksum::ChecksumAlgorithm::Sha1),
        (
            ChecksumAlgorithm::Sha256,
            checksum::ChecksumAlgorithm::Sha256,
        ),
    ];
    for (model, runtime) in cases {
        let key = format!("object-{}", runtime.name());
        let put = client
            .put_object()
            .bucket(BUCKET)
            .key(&key)
            .checksum_algorithm(model.clone())
            .body(ByteStream::new(data.clone()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutObject with {runtime}: {e:?}"));
        let expected = ours(runtime, &data);
        let echoed = match runtime {
            checksum::ChecksumAlgorithm::Crc32 => put.checksum_crc32(),
            checksum::ChecksumAlgorithm::Crc32c => put.checksum_crc32_c(),
            checksum::ChecksumAlgorithm::Crc64Nvme => put.checksum_crc64_nvme(),
            checksum::ChecksumAlgorithm::Sha1 => put.checksum_sha1(),
            _ => put.checksum_sha256(),
        };
        assert_eq!(echoed, Some(expected.as_str()), "{runtime} as stored");
        let got = client
            .get_object()
            .bucket(BUCKET)
            .key(&key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .expect("GetObject");
        let returned = match runtime {
            checksum::ChecksumAlgorithm::Crc32 => got.checksum_crc32(),
            checksum::ChecksumAlgorithm::Crc32c => got.checksum_crc32_c(),
            checksum::ChecksumAlgorithm::Crc64Nvme => got.checksum_crc64_nvme(),
            checksum::ChecksumAlgorithm::Sha1 => got.checksum_sha1(),
            _ => got.checksum_sha256(),
        };
        // The header was there, so the body was checked against it as it was read.
        assert_eq!(returned, Some(expected.as_str()), "{runtime} returned");
        let body = got.body.collect().await.expect("a validated body");
        assert_eq!(body, data);
    }
}

#[tokio::test]
async fn crc32_is_the_default_and_a_callers_checksum_is_kept() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client_with_bucket(&server).await;
    let put = client
        .put_object()
        .bucket(BUCKET)
        .key("default")
        .body(ByteStream::from("Hello world"))
        .send()
        .await
        .expect("PutObject");
    assert_eq!(put.checksum_crc32(), Some("i9aeUg=="), "{put:?}");

    // A checksum the caller set is sent as it is (and not computed again). moto stores a
    // checksum only beside its `x-amz-sdk-checksum-algorithm`, so the algorithm is named too.
    let put = client
        .put_object()
        .bucket(BUCKET)
        .key("theirs")
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .checksum_sha256(ours(checksum::ChecksumAlgorithm::Sha256, b"Hello world"))
        .body(ByteStream::from("Hello world"))
        .send()
        .await
        .expect("PutObject with the caller's SHA-256");
    assert_eq!(
        put.checksum_sha256(),
        Some("ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=")
    );
    assert_eq!(put.checksum_crc32(), None, "no second checksum: {put:?}");

    // With `WhenRequired`, PutObject (which does not require one) sends none.
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(server.url())
        .region("us-east-1")
        .credentials_provider(moto_tests::credentials())
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .build()
        .expect("a configuration");
    let put = Client::from_conf(config)
        .put_object()
        .bucket(BUCKET)
        .key("none")
        .body(ByteStream::from("Hello world"))
        .send()
        .await
        .expect("PutObject");
    assert_eq!(put.checksum_crc32(), None, "{put:?}");
}

#[tokio::test]
async fn a_file_body_carries_its_checksum_as_it_is_read() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client_with_bucket(&server).await;
    let path = std::env::temp_dir().join(format!("s3-checksum-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).expect("a temporary file");
    let put = client
        .put_object()
        .bucket(BUCKET)
        .key("from-file")
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .body(ByteStream::from_path(&path).await.expect("the file"))
        .send()
        .await
        .expect("PutObject from a file");
    std::fs::remove_file(&path).ok();
    let expected = ours(checksum::ChecksumAlgorithm::Sha256, &data);
    assert_eq!(put.checksum_sha256(), Some(expected.as_str()));
}

#[tokio::test]
async fn a_three_part_upload_carries_a_crc32_per_part() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client_with_bucket(&server).await;
    let upload = client
        .create_multipart_upload()
        .bucket(BUCKET)
        .key("parts.bin")
        .checksum_algorithm(ChecksumAlgorithm::Crc32)
        .send()
        .await
        .expect("CreateMultipartUpload");
    let upload_id = upload.upload_id().expect("an upload ID").to_string();
    // Parts but the last must be at least 5 MiB.
    let parts: Vec<Vec<u8>> = vec![
        vec![b'x'; 5 * 1024 * 1024],
        vec![b'y'; 5 * 1024 * 1024],
        b"last part".to_vec(),
    ];
    let mut completed = CompletedMultipartUpload::builder();
    let mut part_digests = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let number = i32::try_from(index + 1).expect("a small part number");
        let sent = client
            .upload_part()
            .bucket(BUCKET)
            .key("parts.bin")
            .upload_id(&upload_id)
            .part_number(number)
            .checksum_algorithm(ChecksumAlgorithm::Crc32)
            .body(ByteStream::new(part.clone()))
            .send()
            .await
            .expect("UploadPart");
        let crc = ours(checksum::ChecksumAlgorithm::Crc32, part);
        let mut hasher = checksum::ChecksumAlgorithm::Crc32.hasher();
        hasher.update(part);
        part_digests.extend(hasher.finish());
        assert_eq!(sent.checksum_crc32(), Some(crc.as_str()), "part {number}");
        completed = completed.parts(
            CompletedPart::builder()
                .part_number(number)
                .e_tag(sent.e_tag().expect("the part's ETag"))
                .checksum_crc32(crc)
                .build(),
        );
    }
    let done = client
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("parts.bin")
        .upload_id(&upload_id)
        .multipart_upload(completed.build())
        .send()
        .await
        .expect("CompleteMultipartUpload");
    assert!(
        done.e_tag()
            .is_some_and(|tag| tag.trim_matches('"').ends_with("-3")),
        "{done:?}"
    );
    // moto returns no checksum from CompleteMultipartUpload (S3 returns the composite one).
    assert_eq!(done.checksum_crc32(), None, "moto changed: {done:?}");
    // Reading it back with validation on: the composite checksum (the CRC32 of the parts'
    // CRC32s, `-3`) is not a checksum of the bytes and is not checked.
    let got = client
        .get_object()
        .bucket(BUCKET)
        .key("parts.bin")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .expect("GetObject");
    let composite = format!(
        "{}-3",
        ours(checksum::ChecksumAlgorithm::Crc32, &part_digests)
    );
    assert_eq!(got.checksum_crc32(), Some(composite.as_str()));
    let body = got.body.collect().await.expect("the body");
    assert_eq!(body.len(), 10 * 1024 * 1024 + 9);
    assert!(body.ends_with(b"ylast part"));
}

#[tokio::test]
async fn a_reader_body_is_sent_aws_chunked_with_the_checksum_as_a_trailer() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client_with_bucket(&server).await;
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 247) as u8).collect();
    for (key, algorithm) in [
        ("reader-default", None),
        ("reader-crc32c", Some(ChecksumAlgorithm::Crc32C)),
    ] {
        let reader = ByteStream::from_reader(std::io::Cursor::new(data.clone()), data.len() as u64);
        let put = client
            .put_object()
            .bucket(BUCKET)
            .key(key)
            .set_checksum_algorithm(algorithm.clone())
            .body(reader)
            .send()
            .await
            .expect("PutObject from a reader");
        let got = client
            .get_object()
            .bucket(BUCKET)
            .key(key)
            .send()
            .await
            .expect("GetObject");
        let (stored, returned, runtime) = match algorithm {
            None => (
                put.checksum_crc32().map(str::to_string),
                got.checksum_crc32().map(str::to_string),
                checksum::ChecksumAlgorithm::Crc32,
            ),
            Some(_) => (
                put.checksum_crc32_c().map(str::to_string),
                got.checksum_crc32_c().map(str::to_string),
                checksum::ChecksumAlgorithm::Crc32c,
            ),
        };
        let expected = ours(runtime, &data);
        assert_eq!(
            stored.as_deref(),
            Some(expected.as_str()),
            "{key}: the trailer was read"
        );
        assert_eq!(returned.as_deref(), Some(expected.as_str()), "{key}");
        // The decoded payload is stored, not the chunk framing.
        assert_eq!(
            got.body.collect().await.expect("a validated body"),
            data,
            "{key}"
        );
    }
}
