//! `bench-server [--tags N] [--max-seconds S]`: serves the canned GetHarvestJob (with `N` tags)
//! and DynamoDB GetItem responses on `127.0.0.1`, prints `listening <url>` on stdout, and exits
//! when stdin closes or after `--max-seconds` (default 1800), whichever comes first, so it never
//! outlives its benchmark.

use std::time::Duration;
use tokio::io::AsyncReadExt;

/// Reads `--name value` from the arguments.
fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .find(|pair| pair[0] == name)
        .and_then(|pair| pair[1].parse().ok())
        .unwrap_or(default)
}

/// Resolves when stdin reaches end of file (the parent closed it or exited).
async fn stdin_closed() {
    let mut stdin = tokio::io::stdin();
    let mut buffer = [0u8; 64];
    while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let tags = usize::try_from(arg("--tags", 2)).unwrap_or(2);
    let max = Duration::from_secs(arg("--max-seconds", 1800));
    let (listener, url) = bench_server::bind().await?;
    println!("listening {url}");
    tokio::select! {
        () = bench_server::serve(listener, bench_server::Bodies::new(tags)) => {}
        () = stdin_closed() => {}
        () = tokio::time::sleep(max) => {}
    }
    Ok(())
}
