//! The xtask as a `RUSTC_WRAPPER` (`SMITHY_BENCH_WRAP`, used by `cargo xtask bench --only
//! services` for rustc's peak RSS): it must behave as rustc towards cargo (output, exit status)
//! and record the compiled crate's peak.

use std::path::PathBuf;
use std::process::Command;

/// A scratch directory of this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-wrapper-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `xtask rustc <args>` with the record file set, as cargo runs a wrapper.
fn wrapped(record: &PathBuf, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(args)
        .env("SMITHY_BENCH_WRAP", record)
        .output()
        .unwrap()
}

/// The `(crate, KiB)` lines of a record file.
fn records(record: &PathBuf) -> Vec<(String, u64)> {
    std::fs::read_to_string(record)
        .unwrap_or_default()
        .lines()
        .map(|line| {
            let (name, kib) = line.split_once(' ').expect("`name kib`");
            (name.to_string(), kib.parse().expect("KiB"))
        })
        .collect()
}

#[test]
fn a_compile_is_recorded_with_rustcs_peak_and_status() {
    let dir = scratch("compile");
    let record = dir.join("record");
    let source = dir.join("lib.rs");
    // Enough work that rustc's peak is well above a small wrapper's.
    let body: String = (0..300)
        .map(|i| format!("pub fn f{i}(x: u64) -> u64 {{ x.wrapping_mul({i}) ^ (x >> 3) }}\n"))
        .collect();
    std::fs::write(&source, body).unwrap();
    let out = dir.join("out");
    let args = [
        "--crate-name",
        "wrapped_probe",
        "--crate-type",
        "lib",
        "--edition=2021",
        "--emit=metadata",
        "--out-dir",
        out.to_str().unwrap(),
        source.to_str().unwrap(),
    ];
    let output = wrapped(&record, &args);
    assert!(output.status.success(), "{output:?}");
    assert!(out.join("libwrapped_probe.rmeta").is_file());
    let lines = records(&record);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, "wrapped_probe");
    // rustc's resident set for any crate is tens of MiB.
    assert!(lines[0].1 > 20 * 1024, "{lines:?}");

    // A failing compile: rustc's status and diagnostics reach the caller, and the run is
    // recorded too (cargo decides what a failure means, not the wrapper).
    std::fs::write(&source, "pub fn broken( {}\n").unwrap();
    let output = wrapped(&record, &args);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("error"));
    assert_eq!(records(&record).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_query_without_a_crate_passes_through_unrecorded() {
    let dir = scratch("query");
    let record = dir.join("record");
    let output = wrapped(&record, &["-vV"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("rustc "), "{stdout}");
    assert!(stdout.contains("\nhost: "), "{stdout}");
    assert!(records(&record).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
