//! `get-item <endpoint-url>`: calls DynamoDB GetItem with the AWS SDK for Rust (static
//! credentials, fixed region and endpoint) and prints how many attributes the item has. The
//! program a user of the SDK would write; `cargo xtask bench` measures its clean build time.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::{Client, Config};
use std::process::ExitCode;

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
    let client = Client::from_conf(Config::from(&shared));
    let result = client
        .get_item()
        .table_name("Orders")
        .key("pk", AttributeValue::S("CUSTOMER#c-000123".into()))
        .send()
        .await;
    match result {
        Ok(output) => {
            let attributes = output.item().map_or(0, |item| item.len());
            println!("the item has {attributes} attributes");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", aws_sdk_dynamodb::error::DisplayErrorContext(&error));
            ExitCode::FAILURE
        }
    }
}
