//! `cargo xtask differential`: our generated serializers against botocore's on seeded random
//! inputs, and our generated response parsers against botocore's on seeded random responses
//! (see the `smithy-differential` crate). Installs nothing: it needs a Python with
//! botocore (`SMITHY_BOTOCORE_PYTHON`, default `target/moto-venv/bin/python`, the one the moto
//! tests install) and the reference data's AWS models (or, for the services named, the
//! repository's own models in `differential/models`); without either it prints one line saying
//! what did not run and exits 0.

use smithy_differential::harness::{self, Options};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Command-line options.
pub struct Args {
    /// `request`, `response` or `both`.
    pub phase: String,
    /// Only these protocols.
    pub protocols: Vec<String>,
    /// Cases per operation.
    pub cases: usize,
    /// Services (empty: the sample).
    pub services: Vec<String>,
    /// Every model instead.
    pub all: bool,
    /// Services built at once.
    pub chunk: usize,
    /// The run's seed.
    pub seed: u64,
    /// At most this many operations per service.
    pub max_operations: Option<usize>,
    /// Nesting depth of the random values.
    pub max_depth: usize,
    /// Cargo jobs.
    pub jobs: usize,
}

/// Runs the comparison and prints one summary line per protocol.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let root = crate::workspace_root();
    let python = std::env::var_os("SMITHY_BOTOCORE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/moto-venv/bin/python"));
    if !python.exists() {
        println!(
            "differential: not run: no Python with botocore at {} (set SMITHY_BOTOCORE_PYTHON, or install the moto venv the moto tests use)",
            python.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let models = reference_data::configured_root().join("models/aws");
    // Without the reference data a run of only the repository's own models
    // (`differential/models`) still runs.
    let named: Vec<&str> = if args.services.is_empty() {
        harness::SAMPLE.to_vec()
    } else {
        args.services.iter().map(String::as_str).collect()
    };
    let own_only = named
        .iter()
        .all(|name| harness::model_file(&models, &root, name).is_some());
    if !models.is_dir() && !own_only {
        println!(
            "differential: not run: no AWS models at {} (set SMITHY_REFERENCE_DATA, see README \"Reference data\")",
            models.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let phase = harness::Phase::parse(&args.phase)?;
    let started = Instant::now();
    let options = Options {
        phase,
        out: root.join("target/differential"),
        root,
        models,
        python,
        protocols: args.protocols,
        services: args.services,
        all: args.all,
        chunk: args.chunk,
        cases: args.cases,
        max_operations: args.max_operations,
        max_depth: args.max_depth,
        seed: args.seed,
        jobs: args.jobs,
    };
    let (lines, explained) = harness::run(&options)?;
    for line in lines {
        println!("{line}");
    }
    println!("time: {:.1} s", started.elapsed().as_secs_f64());
    Ok(if explained {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
