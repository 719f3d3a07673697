//! A bounded load run: `calls` calls of one operation shared by `concurrency` callers, with
//! per-call latency, process CPU time (getrusage) and allocation counts.

use crate::clients::AnyClient;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// Calls made (all succeeded).
    pub calls: usize,
    /// Wall time of the whole run.
    pub wall: Duration,
    /// Median call latency.
    pub p50: Duration,
    /// 99th percentile call latency.
    pub p99: Duration,
    /// User + system CPU time of this process during the run.
    pub cpu: Duration,
    /// Allocations during the run (zero unless the counting allocator is installed).
    pub allocations: u64,
    /// Bytes allocated during the run.
    pub allocated_bytes: u64,
}

impl Report {
    /// One `key=value` line, the format `cargo xtask bench` reads.
    pub fn line(&self) -> String {
        let calls = self.calls.max(1) as f64;
        format!(
            "calls={} seconds={:.3} calls_per_sec={:.0} p50_us={:.1} p99_us={:.1} cpu_us_per_call={:.2} allocs_per_call={:.1} alloc_bytes_per_call={:.0}",
            self.calls,
            self.wall.as_secs_f64(),
            calls / self.wall.as_secs_f64(),
            micros(self.p50),
            micros(self.p99),
            micros(self.cpu) / calls,
            self.allocations as f64 / calls,
            self.allocated_bytes as f64 / calls,
        )
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// This process's resource usage so far.
fn rusage() -> libc::rusage {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    }
}

/// Process CPU time (user + system) so far.
pub fn cpu_time() -> Duration {
    let usage = rusage();
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The peak resident set size of this process so far (`VmHWM` of `/proc/self/status`; 0 where
/// there is none). Not `getrusage`'s `ru_maxrss`: Linux keeps that across `fork` and `execve`,
/// so a child starts with its parent's high-water mark (the bench's xtask, with every model
/// loaded, would be measured instead of the client).
pub fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// Makes `calls` calls with `concurrency` callers; fails on the first failed call.
pub async fn run(client: &AnyClient, calls: usize, concurrency: usize) -> Result<Report, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let (allocs_before, bytes_before) = crate::alloc::snapshot();
    let cpu_before = cpu_time();
    let started = Instant::now();
    let callers: Vec<_> = (0..concurrency.max(1))
        .map(|_| tokio::spawn(caller(client.clone(), Arc::clone(&next), calls)))
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for caller in callers {
        latencies.extend(caller.await.map_err(|e| e.to_string())??);
    }
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    let (allocs_after, bytes_after) = crate::alloc::snapshot();
    latencies.sort_unstable();
    Ok(Report {
        calls: latencies.len(),
        wall,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        cpu,
        allocations: allocs_after - allocs_before,
        allocated_bytes: bytes_after - bytes_before,
    })
}

/// One caller: takes call numbers until `calls` are taken, returns its latencies.
async fn caller(
    client: AnyClient,
    next: Arc<AtomicUsize>,
    calls: usize,
) -> Result<Vec<Duration>, String> {
    let mut latencies = Vec::new();
    while next.fetch_add(1, Ordering::Relaxed) < calls {
        let started = Instant::now();
        client.call().await?;
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

/// The `q` quantile of sorted samples (nearest rank).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
