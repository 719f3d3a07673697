//! `get-harvest-job <endpoint-url> [calls]`: calls MediaPackage v2 GetHarvestJob with the AWS SDK
//! for Rust (static credentials, fixed region and endpoint) and prints the job's status.
//! The program a user of the SDK would write; `cargo xtask bench` measures its clean build time
//! and its binary size.

use aws_sdk_mediapackagev2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_mediapackagev2::{Client, Config};
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
        .get_harvest_job()
        .channel_group_name("group")
        .channel_name("channel")
        .origin_endpoint_name("endpoint")
        .harvest_job_name("job")
        .send()
        .await;
    match result {
        Ok(job) => {
            println!("{} is {}", job.harvest_job_name(), job.status());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", aws_sdk_mediapackagev2::error::DisplayErrorContext(&error));
            ExitCode::FAILURE
        }
    }
}
