//! Runs the shared Smithy IDL fixtures against `smithy-idl`.
//!
//! Usage: `idl-conformance <path-to-shared> [--round-trip]`
//!
//! Without `--round-trip` it runs the loader fixtures and prints one line per
//! failure, a summary of the invalid files, and finally
//! `idl loader tests: N passed, M failed`. With `--round-trip` it writes every
//! JSON AST model as IDL, loads it back and compares, ending with
//! `idl round trip: N passed, M failed`. With `--load-speed` it writes the
//! largest AWS models (iot, quicksight) as IDL and times loading that IDL back
//! (median of several runs, in MB/s). The exit code is non-zero if anything
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
    if args.iter().any(|a| a == "--load-speed") {
        return load_speed(&shared);
    }
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

/// Times loading the IDL form of the largest models: parsing must stay linear.
fn load_speed(shared: &std::path::Path) -> ExitCode {
    let models = ["iot-2015-05-28.json", "quicksight-2018-04-01.json"];
    for name in models {
        let path = shared.join("models/aws").join(name);
        let Some(idl) = idl_text(&path) else {
            println!("{name}: could not be converted to IDL");
            return ExitCode::FAILURE;
        };
        let bytes: usize = idl.iter().map(|(_, text)| text.len()).sum();
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                let loaded = smithy_idl::load_files(&idl);
                let seconds = start.elapsed().as_secs_f64();
                assert!(loaded.is_ok(), "the written IDL loads");
                seconds
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "idl load {name}: {:.1} MB of IDL in {:.1} ms (median of 5) = {:.0} MB/s",
            bytes as f64 / 1e6,
            median * 1e3,
            bytes as f64 / 1e6 / median
        );
    }
    ExitCode::SUCCESS
}

fn idl_text(path: &std::path::Path) -> Option<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).ok()?;
    let ast: serde_json::Value = serde_json::from_str(&text).ok()?;
    let files = smithy_idl::write_idl_files(&ast).ok()?;
    Some(
        files
            .into_iter()
            .map(|(ns, text)| (format!("{ns}.smithy"), text))
            .collect(),
    )
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
