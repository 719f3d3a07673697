//! The `streams` section: event streams, our whole-service Bedrock Runtime client against
//! `aws-sdk-bedrockruntime`, both reading InvokeModelWithResponseStream streams from the local
//! server (`bench/server/src/event_stream.rs`): many small events (the rate of frames a client
//! can decode) and 1 GiB of payload in 64 KiB events (throughput), each stream in its own
//! harness process so its peak RSS is its own.

use super::{build_harness, harness_run, metric, ratio, Context, Server};
use std::fmt::Write as _;

/// Our Bedrock Runtime crate: its directory under `bench/target/gen`, and its package.
pub(super) const GEN: (&str, &str) = ("bedrock-runtime", "bedrock-runtime-full");
/// The real Bedrock Runtime model, relative to the reference data.
pub(super) const MODEL: &str = "models/aws/bedrock-runtime-2023-09-30.json";

/// One workload: a name, the number of events, the payload bytes of each.
struct Workload {
    name: &'static str,
    events: u64,
    payload: usize,
}

/// The two workloads: 100,000 small events, and 1 GiB of payload.
const WORKLOADS: [Workload; 2] = [
    Workload {
        name: "100,000 events of 16 bytes",
        events: 100_000,
        payload: 16,
    },
    Workload {
        name: "1 GiB in 16,384 events of 64 KiB",
        events: 16_384,
        payload: 64 << 10,
    },
];

/// The rows of one workload: what each metric is called in the harness's output, its
/// heading, and the decimals it is shown with.
const METRICS: [(&str, &str, usize); 4] = [
    ("events_per_sec", "events/s", 0),
    ("mb_per_sec", "payload MB/s", 1),
    ("cpu_seconds", "CPU s (client process)", 3),
    ("peak_rss_mb", "peak RSS MiB", 1),
];

/// Runs the section and adds its table to the report.
pub(super) fn streams(ctx: &mut Context) -> Result<(), String> {
    build_harness(ctx)?;
    let server = Server::start(ctx, 2)?;
    // A stream of 100,000 small events takes a fifth of a second, so one scheduling hiccup
    // moves a single run's rate by 20%: more runs than the other sections, median taken.
    let runs = if ctx.options.quick { 3 } else { 5 };
    let mut text = format!(
        "## Event streams: Bedrock Runtime InvokeModelWithResponseStream (release; median of {runs})\n\n\
         The local server streams `chunk` events (`{{\"bytes\":\"<base64>\"}}` JSON payloads, as \
         Bedrock sends a model's output) over HTTP/1.1; each client reads the stream to its end, \
         checking every frame's CRCs and decoding every payload, and the harness fails unless \
         every event and byte arrived. One stream per harness process; peak RSS is that \
         process's (`VmHWM`), CPU its user + system time.\n\n\
         | workload | metric | ours | SDK | ours / SDK |\n|---|---|---|---|---|\n"
    );
    for workload in &WORKLOADS {
        let mut samples: [Vec<Vec<(String, f64)>>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..runs {
            for (i, client) in ["ours", "sdk"].into_iter().enumerate() {
                samples[i].push(stream_run(ctx, &server.url, client, workload)?);
            }
        }
        for (field, heading, decimals) in METRICS {
            let [ours, sdk] = [&samples[0], &samples[1]].map(|runs| metric(runs, field));
            let _ = writeln!(
                text,
                "| {} | {heading} | {ours:.decimals$} | {sdk:.decimals$} | {} |",
                workload.name,
                ratio(ours, sdk)
            );
        }
    }
    ctx.emit(&text);
    Ok(())
}

/// One `bench-harness stream` run.
fn stream_run(
    ctx: &Context,
    url: &str,
    client: &str,
    workload: &Workload,
) -> Result<Vec<(String, f64)>, String> {
    let (events, payload) = (workload.events.to_string(), workload.payload.to_string());
    harness_run(
        ctx,
        &[
            "stream",
            "--client",
            client,
            "--events",
            &events,
            "--payload",
            &payload,
            "--url",
            url,
        ],
        &format!("{client}, {}", workload.name),
    )
}
