//! `put-get <endpoint-url>`: puts an object and reads it back with the AWS SDK for Rust (static
//! credentials, fixed region and endpoint, path style) and prints its size. The program a user
//! of the SDK would write; `cargo xtask bench` measures its clean build time.

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use std::process::ExitCode;

async fn put_get(client: &Client) -> Result<usize, String> {
    client
        .put_object()
        .bucket("bench-bucket")
        .key("hello.txt")
        .body(ByteStream::from_static(b"hello from the bench"))
        .send()
        .await
        .map_err(|e| DisplayErrorContext(&e).to_string())?;
    let object = client
        .get_object()
        .bucket("bench-bucket")
        .key("hello.txt")
        .send()
        .await
        .map_err(|e| DisplayErrorContext(&e).to_string())?;
    let body = object.body.collect().await.map_err(|e| e.to_string())?;
    Ok(body.into_bytes().len())
}

#[tokio::main]
async fn main() -> ExitCode {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "static"))
        .endpoint_url(endpoint)
        .load()
        .await;
    let config = aws_sdk_s3::config::Builder::from(&shared)
        .force_path_style(true)
        .build();
    let client = Client::from_conf(config);
    match put_get(&client).await {
        Ok(size) => {
            println!("the object has {size} bytes");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
