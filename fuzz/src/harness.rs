//! The compile harness: random models as generated crates in one cargo workspace, checked by
//! `cargo clippy -D warnings`, every diagnostic attributed to the seed whose code it is in.
//!
//! Both layouts are checked. Several models share a crate (compiling a crate has a fixed
//! cost, a model's code a small one): a library crate holds the directory layout of each model
//! as `src/m<seed>/` (its `lib.rs` becomes `mod.rs`, so its `pub mod` declarations resolve as
//! they do at a crate root), and a binary crate holds the single-file layout of each as
//! `mod m<seed> { include!("m<seed>.rs"); }` (a private module, as a `build.rs` user has it).

use crate::model::random_model;
use smithy_gen::{Layout, Settings};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The seeds of the models.
    pub seeds: Vec<u64>,
    /// The generated cargo workspace (created if missing; stale crates are removed).
    pub dir: PathBuf,
    /// Its cargo target directory (shared between runs, so dependencies compile once).
    pub target_dir: PathBuf,
    /// Models per generated crate.
    pub per_crate: usize,
    /// Parallel jobs for generation and for cargo.
    pub jobs: usize,
    /// Also run `cargo doc` with `RUSTDOCFLAGS=-D warnings`.
    pub rustdoc: bool,
}

impl Options {
    /// Options for `seeds` in `<workspace>/target/model-fuzz/<name>`, sharing the target dir
    /// `<workspace>/target/model-fuzz/target`.
    pub fn new(name: &str, seeds: Vec<u64>) -> Self {
        let base = workspace_root().join("target/model-fuzz");
        Options {
            seeds,
            dir: base.join(name),
            target_dir: base.join("target"),
            per_crate: 10,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            rustdoc: false,
        }
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Models run.
    pub models: usize,
    /// Models that generated and compiled with no diagnostic.
    pub compiled: usize,
    /// Failed seeds with their first problem (generation error, panic, or diagnostic).
    pub failures: BTreeMap<u64, String>,
    /// Seeds without a diagnostic of their own whose crate had a hard error elsewhere (rustc
    /// may have stopped before reaching their code).
    pub unchecked: Vec<u64>,
    /// Time spent generating.
    pub generation: Duration,
    /// Time in total.
    pub total: Duration,
}

impl Report {
    /// `model fuzz: N models, C compiled, F failed` (and `, U unchecked` when some are).
    pub fn summary(&self) -> String {
        let unchecked = if self.unchecked.is_empty() {
            String::new()
        } else {
            format!(", {} unchecked", self.unchecked.len())
        };
        format!(
            "model fuzz: {} models, {} compiled, {} failed{unchecked}",
            self.models,
            self.compiled,
            self.failures.len()
        )
    }

    /// One line per failure (`FAIL seed 12: ...`), then the timing and the summary.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .failures
            .iter()
            .map(|(seed, reason)| format!("FAIL seed {seed}: {reason}"))
            .collect();
        if !self.unchecked.is_empty() {
            lines.push(format!("unchecked seeds: {:?}", self.unchecked));
        }
        lines.push(format!(
            "time: {:.1} s generating, {:.1} s in total",
            self.generation.as_secs_f64(),
            self.total.as_secs_f64()
        ));
        lines.push(self.summary());
        lines
    }
}

/// The workspace root of this project (the fuzz crate sits directly below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The generated code of one model: the crate layout's files and the single file.
pub struct Generated {
    /// Crate layout, keyed by path (`src/lib.rs`, `src/types.rs`, ...).
    pub crate_files: BTreeMap<String, String>,
    /// The single-file layout.
    pub single_file: String,
}

/// Loads and generates the model of `seed` in both layouts; a load or generation error or a
/// panic is an `Err` naming the reason.
pub fn generate(seed: u64) -> Result<Generated, String> {
    let text = serde_json::to_string_pretty(&random_model(seed)).map_err(|e| e.to_string())?;
    let file = format!("seed-{seed}.json");
    let run = || -> Result<Generated, String> {
        let model = smithy_gen::load(&[(file.clone(), text.clone())]).map_err(|e| e.to_string())?;
        let settings = |layout| Settings {
            layout,
            threads: Some(1),
            ..Settings::default()
        };
        let crate_files =
            smithy_gen::generate(&model, &settings(Layout::Crate)).map_err(|e| e.to_string())?;
        let single = smithy_gen::generate(&model, &settings(Layout::SingleFile))
            .map_err(|e| e.to_string())?;
        let single_file = single.into_values().next().unwrap_or_default();
        Ok(Generated {
            crate_files,
            single_file,
        })
    };
    std::panic::catch_unwind(run).unwrap_or_else(|panic| Err(panic_message(&*panic)))
}

/// The text of a panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into());
    format!("generator panicked: {text}")
}

/// Generates, writes, checks and reports.
pub fn run(options: &Options) -> Result<Report, String> {
    let started = Instant::now();
    let generated = generate_all(options);
    let generation = started.elapsed();
    let mut report = Report {
        models: options.seeds.len(),
        generation,
        ..Report::default()
    };
    let mut ok: Vec<(u64, Generated)> = Vec::new();
    for (seed, outcome) in generated {
        match outcome {
            Ok(code) => ok.push((seed, code)),
            Err(reason) => {
                report
                    .failures
                    .insert(seed, format!("generation: {reason}"));
            }
        }
    }
    let crates = write_workspace(options, &ok)?;
    let mut diagnostics = Diagnostics::default();
    if !crates.is_empty() {
        check(options, &crates, false, &mut diagnostics)?;
        if options.rustdoc {
            check(options, &crates, true, &mut diagnostics)?;
        }
    }
    for (seed, _) in &ok {
        if let Some((first, count)) = diagnostics.by_seed.get(seed) {
            let more = if *count > 1 {
                format!(" (+{} more)", count - 1)
            } else {
                String::new()
            };
            report.failures.insert(*seed, format!("{first}{more}"));
        } else if let Some(problem) =
            crate_of(&crates, *seed).and_then(|c| diagnostics.crate_level.get(c))
        {
            report
                .failures
                .insert(*seed, format!("in its crate: {problem}"));
        } else if crate_of(&crates, *seed).is_some_and(|c| diagnostics.hard_errors.contains(c)) {
            report.unchecked.push(*seed);
        } else {
            report.compiled += 1;
        }
    }
    report.total = started.elapsed();
    Ok(report)
}

/// The first crate holding `seed` (its failures are what the seed is judged by).
fn crate_of(crates: &BTreeMap<String, Vec<u64>>, seed: u64) -> Option<&String> {
    crates
        .iter()
        .find(|(_, seeds)| seeds.contains(&seed))
        .map(|(name, _)| name)
}

/// Generates every seed on `jobs` threads.
fn generate_all(options: &Options) -> Vec<(u64, Result<Generated, String>)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(&seed) = options.seeds.get(index) else {
                    break;
                };
                let outcome = generate(seed);
                if let Ok(mut results) = results.lock() {
                    results.push((seed, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(seed, _)| *seed);
    results
}

/// Writes the workspace; returns crate directory name -> the seeds in it.
fn write_workspace(
    options: &Options,
    models: &[(u64, Generated)],
) -> Result<BTreeMap<String, Vec<u64>>, String> {
    let dir = &options.dir;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let runtime = workspace_root().join("runtime");
    let runtime = std::fs::canonicalize(&runtime).unwrap_or(runtime);
    let mut crates = BTreeMap::new();
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for group in models.chunks(options.per_crate.max(1)) {
        let first = group[0].0;
        let seeds: Vec<u64> = group.iter().map(|(s, _)| *s).collect();
        let (lib, bin) = (format!("lib-{first}"), format!("bin-{first}"));
        // `test = false`: the generated code has no `cfg(test)` items (no endpoint rules, so
        // no endpoint tests), so `--all-targets` checking each crate a second time as a test
        // target would double the time and find nothing new.
        let manifest = |name: &str, target: &str| {
            format!(
                "# Written by the model fuzz harness. DO NOT EDIT.\n[package]\nname = \"fuzz-{name}\"\n\
                 version = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{target}test = false\n\n\
                 [dependencies]\nsmithy-runtime = {{ path = {:?} }}\n",
                runtime.display().to_string()
            )
        };
        let lib_target = "[lib]\npath = \"src/lib.rs\"\ndoctest = false\n".to_string();
        let bin_target = format!("[[bin]]\nname = \"fuzz-{bin}\"\npath = \"src/main.rs\"\n");
        files.insert(
            dir.join(&lib).join("Cargo.toml"),
            manifest(&lib, &lib_target),
        );
        files.insert(
            dir.join(&bin).join("Cargo.toml"),
            manifest(&bin, &bin_target),
        );
        let mut lib_rs = String::from("//! Random models, directory layout.\n");
        let mut main_rs = String::from("//! Random models, single-file layout.\n");
        for (seed, code) in group {
            let module = format!("m{seed}");
            lib_rs.push_str(&format!("pub mod {module};\n"));
            main_rs.push_str(&format!(
                "mod {module} {{\n    include!(\"{module}.rs\");\n}}\n"
            ));
            for (path, text) in &code.crate_files {
                let Some(rest) = path.strip_prefix("src/") else {
                    continue;
                };
                let rest = if rest == "lib.rs" { "mod.rs" } else { rest };
                files.insert(
                    dir.join(&lib).join("src").join(&module).join(rest),
                    text.clone(),
                );
            }
            files.insert(
                dir.join(&bin).join("src").join(format!("{module}.rs")),
                code.single_file.clone(),
            );
        }
        main_rs.push_str("fn main() {}\n");
        files.insert(dir.join(&lib).join("src/lib.rs"), lib_rs);
        files.insert(dir.join(&bin).join("src/main.rs"), main_rs);
        crates.insert(lib, seeds.clone());
        crates.insert(bin, seeds);
    }
    let members: Vec<String> = crates.keys().map(|c| format!("    {c:?},")).collect();
    let workspace = format!(
        "# Written by the model fuzz harness. DO NOT EDIT.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    files.insert(dir.join("Cargo.toml"), workspace);
    remove_stale(dir, &files)?;
    for (path, text) in &files {
        write_if_changed(path, text)?;
    }
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        // The project's lock file pins the runtime's dependencies to the versions it uses.
        let _ = std::fs::copy(workspace_root().join("Cargo.lock"), &lock);
    }
    Ok(crates)
}

/// Removes files under `dir` (outside `target/`) that this run does not write, so a seed
/// that left the set leaves no module behind.
fn remove_stale(dir: &Path, keep: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if current == dir && (name == "target" || name == "Cargo.lock") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if !keep.contains_key(&path) {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

/// Writes `text` unless the file already holds it (an unchanged file keeps its mtime, so
/// cargo replays the cached result for an unchanged crate).
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Diagnostics of a cargo run, attributed.
#[derive(Default, Debug)]
struct Diagnostics {
    /// Seed -> (first diagnostic, count).
    by_seed: BTreeMap<u64, (String, usize)>,
    /// Crate -> first diagnostic not in any model's code.
    crate_level: BTreeMap<String, String>,
    /// Crates with a hard (non-lint) error.
    hard_errors: BTreeSet<String>,
}

/// Runs `cargo clippy` (or `cargo doc`) over the workspace and attributes its diagnostics.
fn check(
    options: &Options,
    crates: &BTreeMap<String, Vec<u64>>,
    rustdoc: bool,
    diagnostics: &mut Diagnostics,
) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    if rustdoc {
        command
            .args(["doc", "--workspace", "--no-deps", "--keep-going"])
            .env("RUSTDOCFLAGS", "-D warnings");
    } else {
        command.args(["clippy", "--workspace", "--all-targets", "--keep-going"]);
    }
    command
        .args(["--message-format", "json", "--jobs"])
        .arg(options.jobs.max(1).to_string());
    if !rustdoc {
        command.args(["--", "-D", "warnings"]);
    }
    let mut child = command
        .current_dir(&options.dir)
        .env("CARGO_TARGET_DIR", &options.target_dir)
        // One-shot checks need no incremental cache.
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("no cargo output")?;
    let mut stderr = child.stderr.take().ok_or("no cargo stderr")?;
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut seen_any = false;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        seen_any |= record(&line, crates, diagnostics);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let stderr = errors.join().unwrap_or_default();
    if !status.success() && !seen_any {
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "cargo failed without diagnostics:\n{}",
            tail.join("\n")
        ));
    }
    Ok(())
}

/// Records one cargo JSON message; returns whether it was a diagnostic with a location.
fn record(line: &str, crates: &BTreeMap<String, Vec<u64>>, diagnostics: &mut Diagnostics) -> bool {
    let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
        return false;
    };
    if message["reason"] != "compiler-message" {
        return false;
    }
    let diagnostic = &message["message"];
    let krate = message["manifest_path"]
        .as_str()
        .and_then(|m| Path::new(m).parent()?.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(spans) = diagnostic["spans"].as_array().filter(|s| !s.is_empty()) else {
        return record_spanless(diagnostic, krate, diagnostics);
    };
    let span = spans
        .iter()
        .find(|s| s["is_primary"] == true)
        .unwrap_or(&spans[0]);
    let text = diagnostic["message"].as_str().unwrap_or("?");
    let level = diagnostic["level"].as_str().unwrap_or("?");
    let code = diagnostic["code"]["code"].as_str().unwrap_or("");
    let file = span["file_name"].as_str().unwrap_or("?");
    let line_no = span["line_start"].as_u64().unwrap_or(0);
    let lint = if code.is_empty() {
        String::new()
    } else {
        format!(" [{code}]")
    };
    let described = format!("{level}: {text}{lint} ({file}:{line_no})");
    let is_hard = level == "error" && is_error_code(code);
    if is_hard || (level == "error" && code.is_empty()) {
        diagnostics.hard_errors.insert(krate.clone());
    }
    match seed_of_span(span) {
        Some(seed) if crates.get(&krate).is_some_and(|s| s.contains(&seed)) => {
            diagnostics
                .by_seed
                .entry(seed)
                .or_insert_with(|| (described, 0))
                .1 += 1;
        }
        _ => {
            diagnostics.crate_level.entry(krate).or_insert(described);
        }
    }
    true
}

/// A diagnostic without a source location: rustdoc's and rustc's own failures (an output
/// file it could not write, a crashed pass). An error of that kind fails its crate, and its
/// text is the only clue, so it is kept; the "aborting due to" summary is not a cause.
fn record_spanless(
    diagnostic: &serde_json::Value,
    krate: String,
    diagnostics: &mut Diagnostics,
) -> bool {
    let text = diagnostic["message"].as_str().unwrap_or("?");
    if diagnostic["level"] != "error" || text.starts_with("aborting due to") {
        return false;
    }
    diagnostics.hard_errors.insert(krate.clone());
    diagnostics
        .crate_level
        .entry(krate)
        .or_insert_with(|| format!("error: {text}"));
    true
}

/// `E0425`-style codes are hard errors; lint names are not.
fn is_error_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].chars().all(|c| c.is_ascii_digit())
}

/// The seed whose code a span is in (`src/m12/types.rs`, `src/m12.rs`), following macro
/// expansions back to the code that invoked them.
fn seed_of_span(span: &serde_json::Value) -> Option<u64> {
    let file = span["file_name"].as_str().unwrap_or_default();
    seed_of_file(file).or_else(|| {
        let expansion = span.get("expansion")?;
        seed_of_span(&expansion["span"])
    })
}

fn seed_of_file(file: &str) -> Option<u64> {
    let after = &file[file.find("src/m")? + "src/m".len()..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    let rest = &after[digits.len()..];
    if digits.is_empty() || !(rest.starts_with('/') || rest == ".rs") {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_are_attributed_to_their_seed() {
        assert_eq!(seed_of_file("lib-0/src/m12/operation/x.rs"), Some(12));
        assert_eq!(seed_of_file("bin-0/src/m7.rs"), Some(7));
        assert_eq!(seed_of_file("bin-0/src/main.rs"), None);
        let crates = BTreeMap::from([("bin-0".to_string(), vec![7])]);
        let mut diagnostics = Diagnostics::default();
        let line = r#"{"reason":"compiler-message","manifest_path":"/w/bin-0/Cargo.toml","message":{"level":"error","message":"unused import","code":{"code":"unused_imports"},"spans":[{"file_name":"src/m7.rs","line_start":3,"is_primary":true}]}}"#;
        assert!(record(line, &crates, &mut diagnostics));
        let (first, count) = &diagnostics.by_seed[&7];
        assert_eq!(*count, 1);
        assert!(
            first.contains("unused import [unused_imports] (src/m7.rs:3)"),
            "{first}"
        );
        assert!(diagnostics.hard_errors.is_empty());
    }

    #[test]
    fn a_spanless_error_fails_its_crate_and_keeps_its_text() {
        let crates = BTreeMap::from([("lib-0".to_string(), vec![0])]);
        let mut diagnostics = Diagnostics::default();
        let failure = r#"{"reason":"compiler-message","manifest_path":"/w/lib-0/Cargo.toml","message":{"level":"error","message":"couldn't generate documentation: No space left on device (os error 28)","code":null,"spans":[]}}"#;
        let summary = r#"{"reason":"compiler-message","manifest_path":"/w/lib-0/Cargo.toml","message":{"level":"error","message":"aborting due to 1 previous error","code":null,"spans":[]}}"#;
        assert!(record(failure, &crates, &mut diagnostics));
        assert!(!record(summary, &crates, &mut diagnostics));
        assert!(diagnostics.hard_errors.contains("lib-0"));
        assert!(diagnostics.crate_level["lib-0"].contains("No space left on device"));
    }
}
