//! `bench-harness load --client ours|sdk [--service mediapackagev2|dynamodb|s3-put|s3-get] --url URL
//! [--calls N] [--concurrency C] [--warmup W]`
//!
//! Calls GetHarvestJob (`mediapackagev2`, the default), GetItem (`dynamodb`) or a 1 KiB S3
//! PutObject / GetObject. Warms the client up with `W` calls, then runs the measured load and
//! prints one `key=value` line (see [`bench_harness::load::Report::line`]).
//!
//! `bench-harness transfer --client ours|sdk --direction put|get --file PATH --url URL`
//!
//! Moves one S3 object the size of `PATH` (uploads the file, or downloads an object that size)
//! and prints `bytes=... seconds=... mb_per_sec=... peak_rss_mb=...`: this process's peak resident
//! memory, so one transfer per process.
//!
//! `bench-harness stream --client ours|sdk --events N --payload BYTES --url URL`
//!
//! Reads one Bedrock Runtime InvokeModelWithResponseStream stream of `N` events of `BYTES`
//! payload bytes each to its end and prints `events=... bytes=... seconds=...
//! events_per_sec=... mb_per_sec=... cpu_seconds=... peak_rss_mb=...` (one stream per process,
//! for the same reason).

use bench_harness::clients::s3::Direction;
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

const USAGE: &str = "usage: bench-harness load --client ours|sdk [--service mediapackagev2|dynamodb|s3-put|s3-get] --url URL [--calls N] [--concurrency C] [--warmup W]\n       bench-harness transfer --client ours|sdk --direction put|get --file PATH --url URL\n       bench-harness stream --client ours|sdk --events N --payload BYTES --url URL";

fn options(args: &[String]) -> Result<Options, String> {
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

/// One S3 transfer's options.
struct Transfer {
    which: Which,
    direction: Direction,
    file: std::path::PathBuf,
    url: String,
}

fn transfer_options(args: &[String]) -> Result<Transfer, String> {
    Ok(Transfer {
        which: value(args, "--client")
            .ok_or("--client is required")?
            .parse()?,
        direction: match value(args, "--direction") {
            Some("put") => Direction::Put,
            Some("get") => Direction::Get,
            other => return Err(format!("--direction put|get, not {other:?}")),
        },
        file: value(args, "--file").ok_or("--file is required")?.into(),
        url: value(args, "--url").ok_or("--url is required")?.to_string(),
    })
}

async fn transfer(options: Transfer) -> Result<String, String> {
    let started = std::time::Instant::now();
    let bytes = bench_harness::clients::s3::transfer(
        options.which,
        options.direction,
        &options.url,
        &options.file,
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!(
        "bytes={bytes} seconds={seconds:.3} mb_per_sec={:.1} peak_rss_mb={:.1}",
        bytes as f64 / 1e6 / seconds,
        bench_harness::load::peak_rss_bytes() as f64 / (1024.0 * 1024.0),
    ))
}

/// Reads one event stream (see the crate docs) and reports its rates.
async fn stream(args: &[String]) -> Result<String, String> {
    let which = value(args, "--client")
        .ok_or("--client is required")?
        .parse()?;
    let url = value(args, "--url").ok_or("--url is required")?;
    let spec = bench_server::event_stream::StreamSpec {
        events: number(args, "--events", 100_000)? as u64,
        payload: number(args, "--payload", 16)?,
    };
    let cpu_before = bench_harness::load::cpu_time();
    let started = std::time::Instant::now();
    let received = bench_harness::clients::bedrock::stream(which, url, spec).await?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = (bench_harness::load::cpu_time() - cpu_before).as_secs_f64();
    Ok(format!(
        "events={} bytes={} seconds={seconds:.3} events_per_sec={:.0} mb_per_sec={:.1} cpu_seconds={cpu:.3} peak_rss_mb={:.1}",
        received.events,
        received.bytes,
        received.events as f64 / seconds,
        received.bytes as f64 / 1e6 / seconds,
        bench_harness::load::peak_rss_bytes() as f64 / (1024.0 * 1024.0),
    ))
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
    let result = match args.first().map(String::as_str) {
        Some("load") => match options(&args) {
            Ok(options) => run(options).await,
            Err(message) => Err(message),
        },
        Some("transfer") => match transfer_options(&args) {
            Ok(options) => transfer(options).await,
            Err(message) => Err(message),
        },
        Some("stream") => stream(&args).await,
        _ => Err(USAGE.to_string()),
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
