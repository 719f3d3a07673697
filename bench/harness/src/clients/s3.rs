//! S3 PutObject and GetObject: our client generated for the whole service, and `aws-sdk-s3`, both
//! path-style against the local server (`ForcePathStyle`, as every S3 client does for a local
//! endpoint), with each client's default checksum behaviour (CRC32 on uploads, response
//! validation when the server sends a checksum, which it does for GetObject).
//!
//! Small objects go through [`AnyClient`] (calls/s); large ones through [`transfer`], which moves
//! one object and reports its throughput (the process's peak RSS is read by the caller).

use super::{AnyClient, Which, ACCESS_KEY, REGION, SECRET_KEY};
use bench_server::s3::{object_key, BUCKET};
use std::path::Path;

/// The size of the small objects of the calls/s runs.
pub const SMALL: u64 = 1024;

/// The key small PutObjects write (the server throws the body away).
const PUT_KEY: &str = "uploads/small-object";

/// The two small-object operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// PutObject of [`SMALL`] bytes from memory.
    Put,
    /// GetObject of [`SMALL`] bytes, read to the end.
    Get,
}

/// The client of the given kind for `endpoint`, making one small `operation` per call.
pub fn client(operation: Operation, which: Which, endpoint: &str) -> Result<AnyClient, String> {
    Ok(match (which, operation) {
        (Which::Ours, Operation::Put) => AnyClient::from_fn(ours(endpoint)?, put_small_ours),
        (Which::Ours, Operation::Get) => AnyClient::from_fn(ours(endpoint)?, get_small_ours),
        (Which::Sdk, Operation::Put) => AnyClient::from_fn(sdk(endpoint), put_small_sdk),
        (Which::Sdk, Operation::Get) => AnyClient::from_fn(sdk(endpoint), get_small_sdk),
    })
}

/// Our client for `endpoint`, path style.
pub fn ours(endpoint: &str) -> Result<s3::Client, String> {
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(endpoint)
        .endpoint_param("ForcePathStyle", true)
        .region(REGION)
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            ACCESS_KEY, SECRET_KEY,
        ))
        .build()
        .map_err(|e| e.to_string())?;
    Ok(s3::Client::from_conf(config))
}

/// The SDK's client for `endpoint`, path style.
pub fn sdk(endpoint: &str) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .force_path_style(true)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "static",
        ))
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// The small object's content (the same bytes for both clients).
fn small_body() -> &'static [u8] {
    static BODY: [u8; SMALL as usize] = [b'x'; SMALL as usize];
    &BODY
}

/// Fails unless `read` bytes are `expected`.
fn checked(read: u64, expected: u64) -> Result<usize, String> {
    if read == expected {
        Ok(read as usize)
    } else {
        Err(format!("{read} bytes read, expected {expected}"))
    }
}

async fn put_small_ours(client: s3::Client) -> Result<usize, String> {
    let output = client
        .put_object()
        .bucket(BUCKET)
        .key(PUT_KEY)
        .body(smithy_runtime::ByteStream::from(small_body()))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(output.e_tag().map_or(0, str::len))
}

async fn put_small_sdk(client: aws_sdk_s3::Client) -> Result<usize, String> {
    let output = client
        .put_object()
        .bucket(BUCKET)
        .key(PUT_KEY)
        .body(aws_sdk_s3::primitives::ByteStream::from_static(small_body()))
        .send()
        .await
        .map_err(|e| aws_sdk_s3::error::DisplayErrorContext(&e).to_string())?;
    Ok(output.e_tag().map_or(0, str::len))
}

async fn get_small_ours(client: s3::Client) -> Result<usize, String> {
    checked(get_ours(&client, SMALL).await?, SMALL)
}

async fn get_small_sdk(client: aws_sdk_s3::Client) -> Result<usize, String> {
    checked(get_sdk(&client, SMALL).await?, SMALL)
}

/// GetObject of the `size`-byte object with our client, read chunk by chunk; the bytes read.
async fn get_ours(client: &s3::Client, size: u64) -> Result<u64, String> {
    let mut output = client
        .get_object()
        .bucket(BUCKET)
        .key(object_key(size))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut read = 0;
    while let Some(chunk) = output.body.next().await {
        read += chunk.map_err(|e| e.to_string())?.len() as u64;
    }
    Ok(read)
}

/// GetObject of the `size`-byte object with the SDK's client, read chunk by chunk.
async fn get_sdk(client: &aws_sdk_s3::Client, size: u64) -> Result<u64, String> {
    let mut output = client
        .get_object()
        .bucket(BUCKET)
        .key(object_key(size))
        .send()
        .await
        .map_err(|e| aws_sdk_s3::error::DisplayErrorContext(&e).to_string())?;
    let mut read = 0;
    while let Some(chunk) = output.body.next().await {
        read += chunk.map_err(|e| e.to_string())?.len() as u64;
    }
    Ok(read)
}

/// Which way a [`transfer`] goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// PutObject of the file (streamed from disk).
    Put,
    /// GetObject of an object the file's size (streamed from the socket, not kept).
    Get,
}

/// Moves one object of `file`'s size: uploads `file` (PutObject from the path, as a user
/// uploading a file does) or downloads an object of that size; returns the bytes moved.
pub async fn transfer(
    which: Which,
    direction: Direction,
    endpoint: &str,
    file: &Path,
) -> Result<u64, String> {
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: {e}", file.display()))?
        .len();
    let key = object_key(size);
    match (which, direction) {
        (Which::Ours, Direction::Put) => {
            let body = smithy_runtime::ByteStream::from_path(file)
                .await
                .map_err(|e| e.to_string())?;
            let client = ours(endpoint)?;
            let put = client.put_object().bucket(BUCKET).key(key).body(body);
            put.send().await.map_err(|e| e.to_string())?;
            Ok(size)
        }
        (Which::Sdk, Direction::Put) => {
            let body = aws_sdk_s3::primitives::ByteStream::from_path(file)
                .await
                .map_err(|e| e.to_string())?;
            let client = sdk(endpoint);
            let put = client.put_object().bucket(BUCKET).key(key).body(body);
            put.send()
                .await
                .map_err(|e| aws_sdk_s3::error::DisplayErrorContext(&e).to_string())?;
            Ok(size)
        }
        (Which::Ours, Direction::Get) => get_ours(&ours(endpoint)?, size).await,
        (Which::Sdk, Direction::Get) => get_sdk(&sdk(endpoint), size).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both clients, both small operations, against one server: the bodies arrive whole (the
    /// GetObject checksum is validated by both, so a wrong byte would fail the call).
    #[tokio::test(flavor = "multi_thread")]
    async fn every_client_moves_small_objects() {
        let url = bench_server::spawn_in_background(bench_server::Bodies::new(2));
        for which in [Which::Ours, Which::Sdk] {
            for operation in [Operation::Put, Operation::Get] {
                let client = client(operation, which, &url).expect("client");
                let result = client.call().await;
                assert!(result.is_ok(), "{which:?} {operation:?}: {result:?}");
            }
        }
    }

    /// A 3 MiB object both ways with both clients.
    #[tokio::test(flavor = "multi_thread")]
    async fn every_client_transfers_a_file() {
        let url = bench_server::spawn_in_background(bench_server::Bodies::new(2));
        let dir = std::env::temp_dir().join(format!("bench-s3-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("object");
        std::fs::write(&file, vec![7u8; 3 << 20]).expect("write the file");
        for which in [Which::Ours, Which::Sdk] {
            for direction in [Direction::Put, Direction::Get] {
                let moved = transfer(which, direction, &url, &file).await;
                assert_eq!(moved, Ok(3 << 20), "{which:?} {direction:?}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
