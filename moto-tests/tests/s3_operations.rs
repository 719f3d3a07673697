//! More of S3 (restXml) against moto: CopyObject, DeleteObjects, object tagging, versioning, a
//! 3-part multipart upload, HeadObject / HeadBucket of what is not there (a 404 without a body,
//! the modelled `NotFound`), and the `Expires` header kept as text beside the parsed date.
#![cfg(reference_data)]

use moto_tests::clients::s3::operation::head_object::HeadObjectError;
use moto_tests::clients::s3::types::{
    BucketVersioningStatus, CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier, Tag,
    Tagging, VersioningConfiguration,
};
use moto_tests::clients::s3::Client;
use moto_tests::MotoServer;
use smithy_runtime::{ByteStream, DateTime};

const SUITE: &str = "s3 operations";
const BUCKET: &str = "moto-tests-operations";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

async fn create_bucket(client: &Client) {
    client
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("CreateBucket");
}

async fn put(client: &Client, key: &str, body: &[u8]) {
    client
        .put_object()
        .bucket(BUCKET)
        .key(key)
        .body(ByteStream::new(body.to_vec()))
        .send()
        .await
        .expect("PutObject");
}

async fn read(client: &Client, key: &str) -> Vec<u8> {
    let object = client
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .expect("GetObject");
    object.body.collect().await.expect("the body").to_vec()
}

#[tokio::test]
async fn objects_are_copied_tagged_versioned_and_deleted_in_bulk() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    create_bucket(&client).await;
    client
        .head_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("HeadBucket");
    put(&client, "original.txt", b"first").await;

    let copied = client
        .copy_object()
        .bucket(BUCKET)
        .key("copy.txt")
        .copy_source(format!("{BUCKET}/original.txt"))
        .send()
        .await
        .expect("CopyObject");
    assert!(copied
        .copy_object_result()
        .and_then(|r| r.e_tag())
        .is_some_and(|tag| !tag.is_empty()));
    assert_eq!(read(&client, "copy.txt").await, b"first");

    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("a tag");
    client
        .put_object_tagging()
        .bucket(BUCKET)
        .key("copy.txt")
        .tagging(
            Tagging::builder()
                .tag_set(tag("team", "storage"))
                .tag_set(tag("tier", "cold/old+1 @x"))
                .build()
                .expect("a tagging"),
        )
        .send()
        .await
        .expect("PutObjectTagging");
    let tags = client
        .get_object_tagging()
        .bucket(BUCKET)
        .key("copy.txt")
        .send()
        .await
        .expect("GetObjectTagging");
    let mut pairs: Vec<(&str, &str)> = tags
        .tag_set()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    pairs.sort();
    assert_eq!(pairs, [("team", "storage"), ("tier", "cold/old+1 @x")]);

    client
        .put_bucket_versioning()
        .bucket(BUCKET)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("PutBucketVersioning");
    put(&client, "versioned.txt", b"one").await;
    put(&client, "versioned.txt", b"two").await;
    let versions = client
        .list_object_versions()
        .bucket(BUCKET)
        .prefix("versioned.txt")
        .send()
        .await
        .expect("ListObjectVersions");
    let listed = versions.versions();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(
        listed
            .iter()
            .filter(|v| v.is_latest() == Some(true))
            .count(),
        1
    );
    let old = listed
        .iter()
        .find(|v| v.is_latest() == Some(false))
        .and_then(|v| v.version_id())
        .expect("the older version's ID");
    let first = client
        .get_object()
        .bucket(BUCKET)
        .key("versioned.txt")
        .version_id(old)
        .send()
        .await
        .expect("GetObject of the older version");
    assert_eq!(&first.body.collect().await.expect("the body")[..], b"one");

    let deleted = client
        .delete_objects()
        .bucket(BUCKET)
        .delete(
            Delete::builder()
                .objects(
                    ObjectIdentifier::builder()
                        .key("original.txt")
                        .build()
                        .expect("an identifier"),
                )
                .objects(
                    ObjectIdentifier::builder()
                        .key("copy.txt")
                        .build()
                        .expect("an identifier"),
                )
                .build()
                .expect("a delete request"),
        )
        .send()
        .await
        .expect("DeleteObjects");
    let mut keys: Vec<&str> = deleted.deleted().iter().filter_map(|d| d.key()).collect();
    keys.sort();
    assert_eq!(keys, ["copy.txt", "original.txt"]);
    assert!(deleted.errors().is_empty());

    // HEAD of a deleted object: a 404 with no body, which is the modelled `NotFound`.
    let missing = client
        .head_object()
        .bucket(BUCKET)
        .key("original.txt")
        .send()
        .await
        .expect_err("the object is gone");
    let Some(HeadObjectError::NotFound(not_found)) = missing.as_service_error() else {
        panic!("expected NotFound, got {missing:?}");
    };
    assert_eq!(not_found.meta().status, 404);
    let no_bucket = client
        .head_bucket()
        .bucket("moto-tests-no-such-bucket")
        .send()
        .await
        .expect_err("no such bucket");
    assert_eq!(
        no_bucket.as_service_error().map(|e| e.meta().status),
        Some(404)
    );
}

#[tokio::test]
async fn a_three_part_upload_is_assembled() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    create_bucket(&client).await;
    let upload = client
        .create_multipart_upload()
        .bucket(BUCKET)
        .key("big.bin")
        .send()
        .await
        .expect("CreateMultipartUpload");
    let upload_id = upload.upload_id().expect("an upload ID").to_string();
    // Parts but the last must be at least 5 MiB.
    let parts: Vec<Vec<u8>> = vec![
        vec![b'a'; 5 * 1024 * 1024],
        vec![b'b'; 5 * 1024 * 1024],
        b"the end".to_vec(),
    ];
    let mut completed = CompletedMultipartUpload::builder();
    for (index, part) in parts.iter().enumerate() {
        let number = i32::try_from(index + 1).expect("a small part number");
        let sent = client
            .upload_part()
            .bucket(BUCKET)
            .key("big.bin")
            .upload_id(&upload_id)
            .part_number(number)
            .body(ByteStream::new(part.clone()))
            .send()
            .await
            .expect("UploadPart");
        completed = completed.parts(
            CompletedPart::builder()
                .part_number(number)
                .e_tag(sent.e_tag().expect("the part's ETag"))
                .build(),
        );
    }
    let done = client
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("big.bin")
        .upload_id(&upload_id)
        .multipart_upload(completed.build())
        .send()
        .await
        .expect("CompleteMultipartUpload");
    // A multipart ETag is `<md5 of the parts' md5s>-<number of parts>`.
    assert!(
        done.e_tag()
            .is_some_and(|tag| tag.trim_matches('"').ends_with("-3")),
        "{done:?}"
    );
    let body = read(&client, "big.bin").await;
    assert_eq!(body.len(), 10 * 1024 * 1024 + 7);
    assert_eq!(&body[..5 * 1024 * 1024], &parts[0][..]);
    assert!(body.ends_with(b"bthe end"));
}

#[tokio::test]
async fn expires_is_kept_as_text_beside_the_date() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    create_bucket(&client).await;
    client
        .put_object()
        .bucket(BUCKET)
        .key("dated.txt")
        .expires(DateTime::from_secs(1_893_456_000))
        .body(ByteStream::new(&b"x"[..]))
        .send()
        .await
        .expect("PutObject with Expires");
    let head = client
        .head_object()
        .bucket(BUCKET)
        .key("dated.txt")
        .send()
        .await
        .expect("HeadObject");
    assert_eq!(head.expires(), Some(&DateTime::from_secs(1_893_456_000)));
    assert_eq!(head.expires_string(), Some("Tue, 01 Jan 2030 00:00:00 GMT"));
}

/// An `Expires` that is no HTTP date (S3 keeps whatever the uploader sent) reads as no date,
/// with the text kept, instead of failing HeadObject.
#[tokio::test]
async fn an_expires_that_is_no_date_does_not_fail_the_read() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    create_bucket(&client).await;
    // The generated PutObject only sends dates, so this upload is a plain HTTP request
    // (moto checks no signature).
    let request = http::Request::builder()
        .method("PUT")
        .uri(format!("{}/{BUCKET}/odd.txt", server.url()))
        .header("expires", "whenever you like")
        .body(smithy_runtime::http::Body::from(&b"odd"[..]))
        .expect("a request");
    let transport = smithy_runtime::http::HyperClient::new(None).expect("a transport");
    let response = smithy_runtime::http::HttpClient::call(&transport, request)
        .await
        .expect("a response");
    assert_eq!(response.status(), 200);
    let head = client
        .head_object()
        .bucket(BUCKET)
        .key("odd.txt")
        .send()
        .await
        .expect("HeadObject with an odd Expires");
    assert_eq!(head.expires(), None);
    assert_eq!(head.expires_string(), Some("whenever you like"));
}
