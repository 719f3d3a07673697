//! Every `smithy.rules#endpointTests` case of every AWS model in `models/aws` of the reference data.
//!
//! Ignored by default because it reads 127 MB of models; run it with
//! `cargo test -p smithy-runtime --test endpoint_corpus -- --ignored --nocapture`.
//! Set `SMITHY_ENDPOINT_PARTITIONS=/path/to/partitions.json` to run it against other partition
//! data instead of the built-in table (with `partitions-2026-08.json`, about 1,700 cases fail,
//! which shows the comparison is sensitive to the data).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use smithy_runtime::endpoint::{
    endpoint_test_cases, run_endpoint_test_case_with, service_endpoint_traits, PartitionTable,
    Resolver, RuleSet,
};

/// Failure lines printed before the rest are only counted.
const MAX_PRINTED_FAILURES: usize = 50;

/// `models/aws` of the reference data, or `None` (and the skip line).
fn models_dir() -> Option<PathBuf> {
    reference_data::require(
        "smithy-runtime endpoint_corpus",
        "the endpoint tests of every AWS model",
        "models/aws",
    )
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failures: Vec<String>,
}

/// Parses one model (once) and runs its cases; problems with the model itself count as one
/// failure so that they cannot hide.
fn run_model(path: &Path, partitions: &PartitionTable, tally: &mut Tally) {
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let model = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string())
        }) {
        Ok(model) => model,
        Err(e) => {
            return tally
                .failures
                .push(format!("{file}: cannot read model: {e}"))
        }
    };
    let Some(traits) = service_endpoint_traits(&model) else {
        return tally.failures.push(format!(
            "{file}: no service shape with an endpoint rule set"
        ));
    };
    let ruleset = match RuleSet::from_json(traits.ruleset) {
        Ok(ruleset) => ruleset,
        Err(e) => return tally.failures.push(format!("{file}: {e}")),
    };
    let resolver = Resolver::new(&ruleset).with_partitions(partitions);
    for case in traits.tests.map_or(&[][..], endpoint_test_cases) {
        match run_endpoint_test_case_with(&resolver, case) {
            Ok(()) => tally.passed += 1,
            Err(e) => tally.failures.push(format!("{file}: {e}")),
        }
    }
}

#[test]
#[ignore = "reads all 402 AWS models (127 MB); run explicitly"]
fn every_endpoint_test_case_of_the_aws_corpus() {
    let Some(models_dir) = models_dir() else {
        return;
    };
    let started = Instant::now();
    let partitions = match std::env::var_os("SMITHY_ENDPOINT_PARTITIONS") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).expect("partition file is readable");
            PartitionTable::from_json(&text).expect("partition file is valid")
        }
        None => PartitionTable::builtin().clone(),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&models_dir)
        .expect("models directory is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no models found in {}",
        models_dir.display()
    );

    // Parsing dominates the run time, so the models are shared out across the available cores.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = Mutex::new(paths.iter());
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut tally = Tally::default();
                    while let Some(path) = next.lock().expect("queue lock").next() {
                        run_model(path, &partitions, &mut tally);
                    }
                    tally
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker finished"))
            .collect()
    });

    let passed: usize = tallies.iter().map(|t| t.passed).sum();
    let mut failures: Vec<&String> = tallies.iter().flat_map(|t| &t.failures).collect();
    failures.sort();
    for failure in failures.iter().take(MAX_PRINTED_FAILURES) {
        println!("FAIL {failure}");
    }
    if failures.len() > MAX_PRINTED_FAILURES {
        println!(
            "... and {} more failures",
            failures.len() - MAX_PRINTED_FAILURES
        );
    }
    eprintln!("{} models in {:.1?}", paths.len(), started.elapsed());
    println!("endpoint tests: {passed} passed, {} failed", failures.len());
    assert_eq!(failures.len(), 0, "endpoint corpus failures");
}
