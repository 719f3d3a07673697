//! `cargo xtask model-fuzz`: seeded random Smithy models, generated in both layouts and
//! compiled with `cargo clippy -D warnings` (see the `smithy-model-fuzz` crate); prints each
//! failing seed with its first diagnostic and `model fuzz: N models, N compiled, 0 failed`.

use smithy_model_fuzz::harness::{self, Options};
use std::process::ExitCode;

/// What `cargo xtask model-fuzz` was asked to do.
#[derive(Clone, Debug)]
pub struct Args {
    /// How many models.
    pub models: u64,
    /// The first seed (models use `seed..seed + models`).
    pub seed: u64,
    /// Parallel jobs for generation and cargo.
    pub jobs: usize,
    /// Models per generated crate.
    pub per_crate: usize,
    /// Also run rustdoc with `-D warnings`.
    pub rustdoc: bool,
}

/// Runs the fuzz and reports; fails when any model fails.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let seeds: Vec<u64> = (args.seed..args.seed.saturating_add(args.models)).collect();
    let mut options = Options::new("xtask", seeds);
    options.jobs = args.jobs;
    options.per_crate = args.per_crate;
    options.rustdoc = args.rustdoc;
    let report = harness::run(&options)?;
    for line in report.lines() {
        println!("{line}");
    }
    Ok(
        if report.failures.is_empty() && report.unchecked.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}
