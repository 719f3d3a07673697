//! Random models: valid, generated without error, and compiled warning-free in both layouts.

use smithy_model_fuzz::harness::{self, Options};
use smithy_model_fuzz::{check_model, random_model, REGRESSION_SEEDS};

/// Seeds compiled on every `cargo test` (besides the regression seeds); `cargo xtask
/// model-fuzz` runs hundreds more.
const COMPILED: std::ops::Range<u64> = 0..16;

#[test]
fn random_models_keep_the_smithy_rules_and_generate() {
    let mut failures = Vec::new();
    for seed in 0..150 {
        let model = random_model(seed);
        if let Err(reason) = check_model(&model) {
            failures.push(format!("seed {seed}: invalid model: {reason}"));
        } else if let Err(reason) = harness::generate(seed) {
            failures.push(format!("seed {seed}: {reason}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn random_and_regression_models_compile() {
    let mut seeds: Vec<u64> = COMPILED.chain(REGRESSION_SEEDS.iter().copied()).collect();
    seeds.sort_unstable();
    seeds.dedup();
    let mut options = Options::new("cargo-test", seeds);
    options.per_crate = 8;
    options.rustdoc = true;
    let report = harness::run(&options).expect("the harness runs");
    for line in report.lines() {
        println!("{line}");
    }
    assert!(
        report.failures.is_empty() && report.unchecked.is_empty(),
        "failing seeds (reproduce with `cargo xtask model-fuzz --models 1 --seed N`):\n{}",
        report.lines().join("\n")
    );
    assert_eq!(report.compiled, report.models);
}
