//! S3 (restXml) against moto: a bucket, objects written and read back (a range too), their
//! metadata, a paginated listing, deletion, and the modelled `NoSuchKey` / `NoSuchBucket`
//! errors. Requests are path-style (`/{Bucket}/{Key}`): the S3 endpoint rules address an IP
//! endpoint such as moto's by path (`s3_addressing.rs` shows the virtual-hosted style).
#![cfg(reference_data)]

use moto_tests::clients::s3::operation::get_object::GetObjectError;
use moto_tests::clients::s3::operation::list_objects_v2::ListObjectsV2Error;
use moto_tests::clients::s3::Client;
use moto_tests::MotoServer;
use smithy_runtime::ByteStream;

const SUITE: &str = "s3";
const BUCKET: &str = "moto-tests-bucket";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

/// Every byte value, then text that needs XML escaping if it were ever in a body.
fn content() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice("<&\"é>".as_bytes());
    bytes
}

#[tokio::test]
async fn objects_are_written_read_listed_and_deleted() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    client
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("CreateBucket");

    let put = client
        .put_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .body(ByteStream::from(content()))
        .content_type("application/octet-stream")
        .metadata("owner", "moto-tests")
        .send()
        .await
        .expect("PutObject");
    let etag = put.e_tag().expect("an ETag").to_owned();

    let got = client
        .get_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.e_tag(), Some(etag.as_str()));
    assert_eq!(got.content_length(), Some(content().len() as i64));
    assert_eq!(
        got.metadata()
            .and_then(|m| m.get("owner"))
            .map(String::as_str),
        Some("moto-tests")
    );
    let body = got.body.collect().await.expect("the body");
    assert_eq!(body.as_ref(), content().as_slice());

    let range = client
        .get_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .range("bytes=10-19")
        .send()
        .await
        .expect("GetObject with a range");
    let part = range.body.collect().await.expect("the range");
    assert_eq!(part.as_ref(), &content()[10..20]);

    let head = client
        .head_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .send()
        .await
        .expect("HeadObject");
    assert_eq!(head.content_type(), Some("application/octet-stream"));
    assert_eq!(head.content_length(), Some(content().len() as i64));

    for i in 0..5 {
        client
            .put_object()
            .bucket(BUCKET)
            .key(format!("list/{i}.txt"))
            .body(ByteStream::from(format!("object {i}")))
            .send()
            .await
            .expect("PutObject");
    }
    let pages = client
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("list/")
        .max_keys(2)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListObjectsV2 pages");
    assert_eq!(pages.len(), 3);
    let keys: Vec<&str> = pages
        .iter()
        .flat_map(|page| page.contents())
        .filter_map(|object| object.key())
        .collect();
    assert_eq!(
        keys,
        [
            "list/0.txt",
            "list/1.txt",
            "list/2.txt",
            "list/3.txt",
            "list/4.txt"
        ]
    );
    let sizes: Vec<Option<i64>> = pages
        .iter()
        .flat_map(|page| page.contents())
        .map(|object| object.size())
        .collect();
    assert_eq!(sizes, vec![Some(8); 5]);

    client
        .delete_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .send()
        .await
        .expect("DeleteObject");
    let error = client
        .get_object()
        .bucket(BUCKET)
        .key("dir/a file.bin")
        .send()
        .await
        .expect_err("the object is gone");
    let Some(GetObjectError::NoSuchKey(missing)) = error.as_service_error() else {
        panic!("expected NoSuchKey, got {error:?}");
    };
    assert_eq!(missing.meta().code.as_deref(), Some("NoSuchKey"));
    assert_eq!(missing.meta().status, 404);
}

#[tokio::test]
async fn a_missing_bucket_is_the_modelled_error() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let error = client(&server)
        .list_objects_v2()
        .bucket("moto-tests-no-such-bucket")
        .send()
        .await
        .expect_err("no such bucket");
    assert!(
        matches!(
            error.as_service_error(),
            Some(ListObjectsV2Error::NoSuchBucket(_))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_object_is_uploaded_from_a_file_and_downloaded_as_a_stream() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    client
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("CreateBucket");
    // 3 MiB and a bit: many file chunks, many socket reads.
    let contents: Vec<u8> = (0..3 * 1024 * 1024 + 17u32)
        .map(|i| (i % 251) as u8)
        .collect();
    let path = std::env::temp_dir().join(format!("moto-tests-s3-{}.bin", std::process::id()));
    std::fs::write(&path, &contents).expect("write the file");

    let body = ByteStream::from_path(&path).await.expect("the file");
    assert_eq!(body.content_length(), Some(contents.len() as u64));
    client
        .put_object()
        .bucket(BUCKET)
        .key("from-a-file.bin")
        .body(body)
        .send()
        .await
        .expect("PutObject from a file (UNSIGNED-PAYLOAD, Content-Length from the metadata)");

    let got = client
        .get_object()
        .bucket(BUCKET)
        .key("from-a-file.bin")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.content_length(), Some(contents.len() as i64));
    let mut stream = got.body;
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.expect("a chunk"));
        chunks += 1;
    }
    assert_eq!(read.len(), contents.len());
    assert!(read == contents, "the object's bytes are the file's");
    assert!(chunks > 1, "read from the connection in chunks");
    std::fs::remove_file(&path).expect("remove the file");

    // From a one-shot stream of chunks with a known length: no buffer of the whole object.
    let chunks: Vec<Result<smithy_runtime::Bytes, std::io::Error>> = contents
        .chunks(64 * 1024)
        .map(|c| Ok(smithy_runtime::Bytes::copy_from_slice(c)))
        .collect();
    let streamed =
        ByteStream::from_stream(futures_util::stream::iter(chunks), contents.len() as u64);
    client
        .put_object()
        .bucket(BUCKET)
        .key("from-a-stream.bin")
        .body(streamed)
        .send()
        .await
        .expect("PutObject from a stream");
    let got = client
        .get_object()
        .bucket(BUCKET)
        .key("from-a-stream.bin")
        .send()
        .await
        .expect("GetObject");
    let read = got.body.collect().await.expect("the body");
    assert!(
        read[..] == contents[..],
        "the object's bytes are the stream's"
    );
}
