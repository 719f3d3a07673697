//! Runners for the shared fixture suites, used by the `idl-conformance`
//! binary and by the integration tests.
//!
//! * loader fixtures (`idl-loader-tests/`): `valid/` IDL files must load to
//!   the same model as their `.json` pair, `forwardrefs/` cases must load
//!   (and match `result.json`), `invalid/` files must be rejected;
//! * round trip: JSON AST models written as IDL and loaded back must be
//!   unchanged.

use crate::compare::{first_difference, merge_into, normalize};
use crate::{load_files, write_idl_files};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// Results of the loader fixtures.
#[derive(Debug, Default)]
pub struct LoaderReport {
    /// Valid pairs and forward-reference cases that passed.
    pub passed: usize,
    /// Descriptions of valid pairs and forward-reference cases that failed.
    pub failures: Vec<String>,
    /// Number of `invalid/` files.
    pub invalid_total: usize,
    /// `invalid/` files that were rejected.
    pub invalid_rejected: usize,
    /// `invalid/` files whose first-line comment gives an error position.
    pub invalid_with_position: usize,
    /// Rejected files whose error is at exactly that position.
    pub invalid_position_matched: usize,
    /// `invalid/` files that loaded although they should not.
    pub invalid_accepted: Vec<String>,
    /// Rejected files whose error position differs: (file, expected, got).
    pub position_mismatches: Vec<String>,
}

/// Results of the round trip.
#[derive(Debug, Default)]
pub struct RoundTripReport {
    /// Models that came back unchanged.
    pub passed: usize,
    /// Descriptions of models that did not.
    pub failures: Vec<String>,
}

/// Lists files under `dir` (recursively) whose name ends with `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, ext, &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = read(path)?;
    serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&saturate_huge_numbers(&text)))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Rewrites number literals beyond the f64 range (which serde_json rejects)
/// to the largest finite f64, the same way the IDL lexer saturates them, so
/// fixtures such as `1.7976931348623157E+309` can still be compared.
fn saturate_huge_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut number = String::new();
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
            number.push(c);
            continue;
        }
        flush_number(&mut out, &mut number);
        if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    flush_number(&mut out, &mut number);
    out
}

fn flush_number(out: &mut String, number: &mut String) {
    match number.parse::<f64>() {
        Ok(v) if v.is_infinite() => out.push_str(&format!("{:e}", f64::MAX.copysign(v))),
        _ => out.push_str(number),
    }
    number.clear();
}

fn load_paths(paths: &[PathBuf]) -> Result<Value, String> {
    let files = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), read(p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    load_files(&files).map_err(|e| e.to_string())
}

/// Loads `idl` files, merges `shared` into both sides and compares with `expected`.
fn check_case(idl: &[PathBuf], expected: &Path, shared: Option<&Value>) -> Result<(), String> {
    let mut actual = load_paths(idl)?;
    let mut expected = read_json(expected)?;
    if let Some(shared) = shared {
        merge_into(&mut actual, shared);
        merge_into(&mut expected, shared);
    }
    match first_difference(&normalize(&expected), &normalize(&actual)) {
        None => Ok(()),
        Some(d) => Err(d),
    }
}

/// Runs the `idl-loader-tests` fixtures under `shared`.
pub fn run_loader_tests(shared: &Path) -> LoaderReport {
    let root = shared.join("idl-loader-tests");
    let mut report = LoaderReport::default();
    let valid = root.join("valid");
    let shared_json = read_json(&valid.join("__shared.json")).ok();
    for smithy in files_with_extension(&valid, ".smithy") {
        let json = smithy.with_extension("json");
        if !json.exists() {
            continue;
        }
        match check_case(std::slice::from_ref(&smithy), &json, shared_json.as_ref()) {
            Ok(()) => report.passed += 1,
            Err(e) => report
                .failures
                .push(format!("FAIL {}: {e}", smithy.display())),
        }
    }
    run_forward_refs(&root.join("forwardrefs"), shared_json.as_ref(), &mut report);
    run_invalid(&root.join("invalid"), &mut report);
    report
}

fn run_forward_refs(dir: &Path, shared: Option<&Value>, report: &mut LoaderReport) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut cases: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for case in cases {
        let files = files_with_extension(&case, ".smithy");
        let result = case.join("result.json");
        let outcome = if result.exists() {
            check_case(&files, &result, shared)
        } else {
            load_paths(&files).map(|_| ())
        };
        match outcome {
            Ok(()) => report.passed += 1,
            Err(e) => report
                .failures
                .push(format!("FAIL {}: {e}", case.display())),
        }
    }
}

/// `// Syntax error at line 3, column 19: ...` gives (3, 19).
fn expected_position(first_line: &str) -> Option<(usize, usize)> {
    let rest = first_line.split("line ").nth(1)?;
    let (line, rest) = rest.split_once(", column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

fn run_invalid(dir: &Path, report: &mut LoaderReport) {
    for path in files_with_extension(dir, ".smithy") {
        report.invalid_total += 1;
        let Ok(text) = read(&path) else { continue };
        let expected = text.lines().next().and_then(expected_position);
        if expected.is_some() {
            report.invalid_with_position += 1;
        }
        match load_files(&[(path.display().to_string(), text)]) {
            Ok(_) => report.invalid_accepted.push(path.display().to_string()),
            Err(e) => {
                report.invalid_rejected += 1;
                if let Some((line, col)) = expected {
                    if (e.line, e.column) == (line, col) {
                        report.invalid_position_matched += 1;
                    } else {
                        report.position_mismatches.push(format!(
                            "{}: expected {line}:{col}, got {e}",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
}

/// Writes every JSON AST model in `<shared>/models/aws` and
/// `<shared>/protocol-tests` as IDL, loads it back and compares.
pub fn run_round_trip(shared: &Path) -> RoundTripReport {
    let mut paths = files_with_extension(&shared.join("models").join("aws"), ".json");
    let mut protocol: Vec<PathBuf> = fs::read_dir(shared.join("protocol-tests"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    protocol.sort();
    paths.extend(protocol);
    let mut report = RoundTripReport::default();
    for path in paths {
        match round_trip_one(&path) {
            Ok(()) => report.passed += 1,
            Err(e) => report
                .failures
                .push(format!("FAIL {}: {e}", path.display())),
        }
    }
    report
}

/// JSON AST -> IDL -> JSON AST for one model file.
pub fn round_trip_one(path: &Path) -> Result<(), String> {
    let original = read_json(path)?;
    let files = write_idl_files(&original).map_err(|e| format!("write: {e}"))?;
    let named: Vec<(String, String)> = files
        .into_iter()
        .map(|(ns, text)| (format!("{ns}.smithy"), text))
        .collect();
    let loaded = load_files(&named).map_err(|e| format!("reload: {e}"))?;
    match first_difference(&normalize(&original), &normalize(&loaded)) {
        None => Ok(()),
        Some(d) => Err(d),
    }
}
