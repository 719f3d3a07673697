//! `cargo run --example get_harvest_job -- <group> <channel> <endpoint> <job>`
//!
//! Calls MediaPackage v2 GetHarvestJob with the default credential chain (environment, then
//! `~/.aws/credentials` / `~/.aws/config` profiles) and region (`AWS_REGION` or the profile), and
//! prints the job or a readable error. `AWS_ENDPOINT_URL` overrides the endpoint.

use integration_tests::harvest_job_cli;
use mediapackagev2::Config;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut builder = match Config::builder().load_defaults().await {
        Ok(builder) => builder,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Ok(url) = std::env::var("AWS_ENDPOINT_URL") {
        builder = builder.endpoint_url(url);
    }
    let config = match builder.build() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match harvest_job_cli::run(&args, config).await {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(text) => {
            eprintln!("{text}");
            ExitCode::FAILURE
        }
    }
}
