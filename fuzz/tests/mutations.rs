//! Mutated real AWS models: the whole generator (load, plan, emit) answers `Ok` or a clear
//! error, never a panic.

use smithy_model_fuzz::mutate::{load_and_generate, mutate};
use smithy_model_fuzz::rng::Rng;
use std::path::PathBuf;

/// Small-to-medium models of both protocols, with payloads, streaming and name collisions.
const SAMPLE: [&str; 6] = [
    "mediapackagev2",
    "ebs",
    "cloudtrail-data",
    "mediastore-data",
    "pinpoint-sms-voice",
    "cloudhsm",
];
const MUTANTS_PER_MODEL: u64 = 20;

fn sample_files() -> Option<Vec<PathBuf>> {
    let dir = reference_data::require(
        "smithy-model-fuzz mutations",
        "the generator on mutated AWS models",
        "models/aws",
    )?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            stem.is_some_and(|s| SAMPLE.iter().any(|name| is_model_of(&s, name)))
        })
        .collect();
    files.sort();
    Some(files)
}

/// `ebs-2019-11-02` is the model of `ebs`.
fn is_model_of(stem: &str, service: &str) -> bool {
    stem.strip_prefix(service)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|date| date.len() == 10 && date.starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn mutated_aws_models_never_panic() {
    let Some(files) = sample_files() else {
        return;
    };
    assert_eq!(files.len(), SAMPLE.len(), "{files:?}");
    let (mut generated, mut rejected, mut failures) = (0, 0, Vec::new());
    for (index, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).expect("the model is readable");
        let original: serde_json::Value = serde_json::from_str(&text).expect("the model is JSON");
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for mutant in 0..MUTANTS_PER_MODEL {
            let seed = (index as u64) << 32 | mutant;
            let mut rng = Rng::new(seed);
            let mut model = original.clone();
            let changes: Vec<String> = (0..rng.range(1, 4))
                .map(|_| mutate(&mut model, &mut rng))
                .collect();
            match load_and_generate(&file, &model.to_string()) {
                Ok(None) => generated += 1,
                Ok(Some(_)) => rejected += 1,
                Err(reason) => {
                    failures.push(format!("{file} mutant {seed} ({changes:?}): {reason}"))
                }
            }
        }
    }
    println!(
        "mutants: {generated} generated, {rejected} rejected with an error, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
