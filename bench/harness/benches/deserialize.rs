//! Response deserialization, ours and the SDK, for a realistic GetHarvestJob body and one with
//! 1,000 tags.
//!
//! - `ours_from_json`: `smithy_runtime::json::parse_body` then the generated output type's
//!   `FromJson` (exactly what the generated `parse_response` does with a 200 body).
//! - The SDK keeps its deserializers private (`protocol_serde` is `pub(crate)`), so the closest
//!   public path is a whole call: `sdk_full_call` calls a local server that answers with the
//!   pre-built body; `ours_full_call` does the same with our client, for the side-by-side.

use bench_harness::clients::mediapackagev2 as clients;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mediapackagev2::operation::get_harvest_job::GetHarvestJobOutput;
use smithy_runtime::json::FromJson;
use std::hint::black_box;

/// The two bodies: (name, tag count).
const BODIES: [(&str, usize); 2] = [("realistic", 2), ("1000_tags", 1000)];

/// Parses and converts one body with the generated code.
fn ours_from_json(body: &[u8]) -> GetHarvestJobOutput {
    let value = smithy_runtime::json::parse_body(body).expect("valid JSON");
    GetHarvestJobOutput::from_json(value).expect("valid GetHarvestJob output")
}

fn deserialize(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    for (name, tags) in BODIES {
        let body = bench_server::harvest_job_body(tags);
        let url =
            bench_server::spawn_in_background(bench_server::Bodies::with_harvest_job(body.clone()));
        let mut group = c.benchmark_group(format!("deserialize/{name}"));
        group.bench_function("ours_from_json", |b| {
            b.iter(|| black_box(ours_from_json(black_box(body.as_bytes()))))
        });
        let ours = clients::ours(&url).expect("our client");
        group.bench_function("ours_full_call", |b| {
            b.iter_batched(
                || ours.clone(),
                |client| runtime.block_on(clients::call_ours(client)).expect("call"),
                BatchSize::SmallInput,
            )
        });
        let sdk = runtime.block_on(async { clients::sdk(&url) });
        group.bench_function("sdk_full_call", |b| {
            b.iter_batched(
                || sdk.clone(),
                |client| runtime.block_on(clients::call_sdk(client)).expect("call"),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, deserialize);
criterion_main!(benches);
