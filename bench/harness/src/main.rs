//! `bench-harness load --client ours|sdk [--service mediapackagev2|dynamodb] --url URL [--calls N]
//! [--concurrency C] [--warmup W]`
//!
//! Calls GetHarvestJob (`mediapackagev2`, the default) or GetItem (`dynamodb`). Warms the client
//! up with `W` calls, then runs the measured load and prints one `key=value` line (see
//! [`bench_harness::load::Report::line`]).

use bench_harness::clients::{AnyClient, Service, Which};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: bench_harness::alloc::Counting = bench_harness::alloc::Counting;

/// Command-line options.
struct Options {
    service: Service,
    which: Which,
    url: String,
    calls: usize,
    concurrency: usize,
    warmup: usize,
}

/// The value after `--name`, if any.
fn value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1].as_str())
}

/// A numeric option with a default.
fn number(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    value(args, name).map_or(Ok(default), |v| {
        v.parse().map_err(|_| format!("{name}: not a number: {v}"))
    })
}

fn options(args: &[String]) -> Result<Options, String> {
    if args.first().map(String::as_str) != Some("load") {
        return Err("usage: bench-harness load --client ours|sdk [--service mediapackagev2|dynamodb] --url URL [--calls N] [--concurrency C] [--warmup W]".into());
    }
    Ok(Options {
        service: value(args, "--service")
            .unwrap_or("mediapackagev2")
            .parse()?,
        which: value(args, "--client")
            .ok_or("--client is required")?
            .parse()?,
        url: value(args, "--url").ok_or("--url is required")?.to_string(),
        calls: number(args, "--calls", 2000)?,
        concurrency: number(args, "--concurrency", 1)?,
        warmup: number(args, "--warmup", 200)?,
    })
}

async fn run(options: Options) -> Result<String, String> {
    let client = AnyClient::new(options.service, options.which, &options.url)?;
    bench_harness::load::run(&client, options.warmup, options.concurrency).await?;
    let report = bench_harness::load::run(&client, options.calls, options.concurrency).await?;
    Ok(report.line())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match options(&args) {
        Ok(options) => run(options).await,
        Err(message) => Err(message),
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
