//! Runs the shared Smithy IDL fixtures against `smithy-idl`.
//!
//! Usage: `idl-conformance <path-to-shared> [--round-trip]`
//!
//! Without `--round-trip` it runs the loader fixtures and prints one line per
//! failure, a summary of the invalid files, and finally
//! `idl loader tests: N passed, M failed`. With `--round-trip` it writes every
//! JSON AST model as IDL, loads it back and compares, ending with
//! `idl round trip: N passed, M failed`. The exit code is non-zero if anything
//! failed.

use smithy_idl::conformance::{run_loader_tests, run_round_trip};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let round_trip = args.iter().any(|a| a == "--round-trip");
    let verbose = args.iter().any(|a| a == "--verbose");
    let Some(shared) = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: idl-conformance <path-to-shared> [--round-trip] [--verbose]");
        return ExitCode::from(2);
    };
    if round_trip {
        let start = Instant::now();
        let report = run_round_trip(&shared);
        for f in &report.failures {
            println!("{f}");
        }
        println!("round trip took {:.2?}", start.elapsed());
        println!(
            "idl round trip: {} passed, {} failed",
            report.passed,
            report.failures.len()
        );
        return exit(report.failures.is_empty());
    }
    let report = run_loader_tests(&shared);
    for f in &report.failures {
        println!("{f}");
    }
    for f in &report.invalid_accepted {
        println!("FAIL invalid file was accepted: {f}");
    }
    if verbose {
        for m in &report.position_mismatches {
            println!("position: {m}");
        }
    }
    println!(
        "invalid files: {} of {} rejected, {} of {} with an expected position matched it",
        report.invalid_rejected,
        report.invalid_total,
        report.invalid_position_matched,
        report.invalid_with_position
    );
    println!(
        "idl loader tests: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    exit(report.failures.is_empty() && report.invalid_accepted.is_empty())
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
