//! `cargo xtask corpus`: generate a crate for every AWS model (`models/aws` of the reference
//! data) into one generated cargo workspace (`target/corpus/`, one shared target dir), lint them all with
//! clippy and document them with rustdoc (any warning or error of rustc, clippy or rustdoc fails
//! a service), print one line per failure, the diagnostic counts per tool and a summary line.

use smithy_gen::passes::Protocol;
use smithy_gen::{build, Manifest, Settings};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The fixed sample CI compiles (`--sample`): the spec digest's ten restJson1 services (section
/// 8.3), its alternates, services that once broke the generator (streaming payloads, shapes and
/// members whose names collide), and awsJson services users call most (DynamoDB's attribute
/// value union, SQS's `@awsQueryCompatible`, KMS's blobs; awsJson1_0 and 1_1).
pub const SAMPLE: [&str; 30] = [
    // Spec digest 8.3.
    "mediapackagev2",
    "cloudtrail-data",
    "mediastore-data",
    "bedrock-runtime",
    "connectcases",
    "dataexchange",
    "lambda",
    "omics",
    "medialive",
    "iot",
    // Its alternates.
    "amplifyuibuilder",
    "qbusiness",
    "iotsitewise",
    "workspaces-web",
    "api-gateway",
    "neptune-graph",
    "codecatalyst",
    // Boxed recursion, payloads, collisions.
    "appsync",
    "lex-runtime-v2",
    "iottwinmaker",
    "pinpoint-sms-voice",
    "ebs",
    "databrew",
    // awsJson.
    "dynamodb",
    "sqs",
    "kms",
    "secrets-manager",
    // restXml.
    "s3",
    "route-53",
    // awsQuery.
    "sts",
];

/// What `cargo xtask corpus` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Directory of model files.
    pub models: PathBuf,
    /// The generated workspace.
    pub out: PathBuf,
    /// Keep only services of this protocol (case-insensitive, e.g. `restJson1`).
    pub protocol: Option<String>,
    /// Keep only these services (file name without the version date, e.g. `iot`).
    pub services: Vec<String>,
    /// Parallel jobs for generation and for cargo.
    pub jobs: usize,
    /// Generate only; skip `cargo clippy` and `cargo doc`.
    pub no_check: bool,
    /// Skip `cargo doc`: clippy only.
    pub no_doc: bool,
}

/// The outcome for one model file.
#[derive(Clone, Debug)]
enum Outcome {
    /// Generated into `out/<service>`.
    Generated,
    /// Filtered out by `--protocol`.
    Skipped,
    /// Could not be generated (load or generation error, or a panic).
    Failed(String),
}

/// Runs the corpus: generate, check, report.
pub fn run(options: &Options) -> Result<ExitCode, String> {
    let started = Instant::now();
    let files = model_files(options)?;
    if files.is_empty() {
        return Err(format!("no model selected in {}", options.models.display()));
    }
    std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let outcomes = generate_all(options, &files);
    let generated: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Generated))
        .map(|(s, _)| s.clone())
        .collect();
    let total = outcomes
        .values()
        .filter(|o| !matches!(o, Outcome::Skipped))
        .count();
    let generation_time = started.elapsed();
    let mut failures: BTreeMap<String, String> = outcomes
        .iter()
        .filter_map(|(s, o)| match o {
            Outcome::Failed(reason) => Some((s.clone(), format!("generation: {reason}"))),
            _ => None,
        })
        .collect();
    let mut counts = None;
    let compiled = if options.no_check || generated.is_empty() {
        0
    } else {
        write_workspace(options, &generated)?;
        let (diagnostics, per_tool) = check(options)?;
        counts = Some(per_tool.counts_line());
        for service in &generated {
            if let Some(reason) = diagnostics.get(service) {
                failures.insert(service.clone(), reason.clone());
            }
        }
        generated.len()
            - generated
                .iter()
                .filter(|s| diagnostics.contains_key(*s))
                .count()
    };
    for (service, reason) in &failures {
        println!("FAIL {service}: {reason}");
    }
    println!(
        "time: {:.1} s generating, {:.1} s in total",
        generation_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    if let Some(counts) = counts {
        println!(
            "diagnostics (warnings and errors): {counts}; all of them in {}",
            options.out.join("diagnostics.txt").display()
        );
    }
    println!(
        "corpus: {} generated, {compiled} compiled, {} failed of {total}",
        generated.len(),
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `iot-2015-05-28.json` -> `iot`.
pub fn service_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11 && {
        let tail = &stem[stem.len() - 11..];
        tail.starts_with('-')
            && tail[1..].chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    if dated {
        stem[..stem.len() - 11].to_string()
    } else {
        stem
    }
}

/// The model files to generate, sorted, filtered by `--service`.
fn model_files(options: &Options) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(&options.models)
        .map_err(|e| format!("{}: {e}", options.models.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            options.services.is_empty() || options.services.iter().any(|s| *s == service_name(p))
        })
        .collect();
    files.sort();
    let found: BTreeSet<String> = files.iter().map(|f| service_name(f)).collect();
    if let Some(missing) = options.services.iter().find(|s| !found.contains(*s)) {
        return Err(format!("no model for service `{missing}`"));
    }
    Ok(files)
}

/// Generates every file on `jobs` threads; returns the outcome per service.
fn generate_all(options: &Options, files: &[PathBuf]) -> BTreeMap<String, Outcome> {
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(BTreeMap::new());
    let previous_hook = std::panic::take_hook();
    // Panics are reported as failures of their service, not printed with a backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(index) else { break };
                let service = service_name(file);
                let outcome = std::panic::catch_unwind(|| generate_one(options, file, &service))
                    .unwrap_or_else(|panic| Outcome::Failed(panic_message(&panic)));
                if let Ok(mut map) = outcomes.lock() {
                    map.insert(service, outcome);
                }
            });
        }
    });
    std::panic::set_hook(previous_hook);
    outcomes.into_inner().unwrap_or_default()
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into());
    format!("generator panicked: {text}")
}

/// Loads, filters by protocol, generates and writes one service.
fn generate_one(options: &Options, file: &Path, service: &str) -> Outcome {
    let sources = match build::read_sources(&[file.to_path_buf()]) {
        Ok(sources) => sources,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let model = match smithy_gen::load(&sources) {
        Ok(model) => model,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if let Some(wanted) = &options.protocol {
        let protocol = model
            .services()
            .next()
            .map(|(s, _)| Protocol::of(&model, &s.id));
        let name = match protocol {
            Some(protocol) => protocol.short_name().to_string(),
            None => "none".to_string(),
        };
        if !name.eq_ignore_ascii_case(wanted) {
            return Outcome::Skipped;
        }
    }
    let settings = Settings {
        manifest: Some(Manifest {
            package_name: format!("corpus-{service}"),
            runtime_dependency: format!("{{ path = {:?} }}", runtime_dir().display().to_string()),
            extra_package_lines: vec!["publish = false".into()],
        }),
        ..Settings::default()
    };
    let files = match smithy_gen::generate(&model, &settings) {
        Ok(files) => files,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let dir = options.out.join(service);
    for stale in build::stale_files(&dir, &files) {
        if !files.keys().any(|k| dir.join(k) == stale) {
            let _ = std::fs::remove_file(stale);
        }
    }
    match build::write_files(&dir, &files) {
        Ok(_) => Outcome::Generated,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The runtime crate, by absolute path.
fn runtime_dir() -> PathBuf {
    let root = crate::workspace_root();
    std::fs::canonicalize(root.join("runtime")).unwrap_or_else(|_| root.join("runtime"))
}

/// Writes `out/Cargo.toml` (members = the generated services) and seeds `Cargo.lock` from the
/// project's, so the runtime's dependencies resolve to the versions the project uses.
fn write_workspace(options: &Options, services: &[String]) -> Result<(), String> {
    let members: Vec<String> = services.iter().map(|s| format!("    {s:?},")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`. DO NOT EDIT.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    let path = options.out.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let lock = options.out.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(crate::workspace_root().join("Cargo.lock"), &lock);
    }
    Ok(())
}

/// The tool a diagnostic came from; the summary counts each separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tool {
    /// rustc's own errors and warnings.
    Rustc,
    /// clippy's lints (the default set, as `cargo clippy` runs them).
    Clippy,
    /// rustdoc's lints (broken intra-doc links, invalid HTML, bare URLs, ...).
    Rustdoc,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Rustc => "rustc",
            Tool::Clippy => "clippy",
            Tool::Rustdoc => "rustdoc",
        }
    }
}

/// Every diagnostic of the checks: the first per service and the counts per tool.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Service -> (first diagnostic, how many it had).
    first: BTreeMap<String, (String, usize)>,
    /// Tool -> diagnostics (errors and warnings) over all services.
    pub per_tool: BTreeMap<Tool, usize>,
    /// Services whose crate was checked (cargo reported its artifact).
    checked: BTreeSet<String>,
    /// Every diagnostic, one line each (`service: tool level: message (file:line)`).
    all: Vec<String>,
    /// `--no-doc`: rustdoc did not run, so it has no count.
    rustdoc_skipped: bool,
}

impl Diagnostics {
    /// `rustc N, clippy N, rustdoc N` (every tool listed, zeros included; `rustdoc not run`
    /// after `--no-doc`).
    pub fn counts_line(&self) -> String {
        [Tool::Rustc, Tool::Clippy, Tool::Rustdoc]
            .iter()
            .map(|&t| match self.per_tool.get(&t) {
                None if t == Tool::Rustdoc && self.rustdoc_skipped => "rustdoc not run".into(),
                count => format!("{} {}", t.name(), count.copied().unwrap_or(0)),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Runs `cargo clippy` (rustc's warnings and clippy's) and then `cargo doc` (rustdoc's) over
/// the generated workspace; returns the first problem per service (any warning or error
/// counts) and the counts per tool.
fn check(options: &Options) -> Result<(BTreeMap<String, String>, Diagnostics), String> {
    let mut diagnostics = Diagnostics::default();
    run_cargo(options, &["clippy"], Tool::Clippy, &mut diagnostics)?;
    diagnostics.rustdoc_skipped = options.no_doc;
    if !options.no_doc {
        let linted = std::mem::take(&mut diagnostics.checked);
        run_cargo(
            options,
            &["doc", "--no-deps"],
            Tool::Rustdoc,
            &mut diagnostics,
        )?;
        diagnostics
            .checked
            .retain(|service| linted.contains(service));
    }
    let listing = options.out.join("diagnostics.txt");
    let text: String = diagnostics.all.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&listing, text).map_err(|e| format!("{}: {e}", listing.display()))?;
    let mut out: BTreeMap<String, String> = diagnostics
        .first
        .iter()
        .map(|(service, (first, count))| {
            let more = if *count > 1 {
                format!(" (+{} more)", count - 1)
            } else {
                String::new()
            };
            (service.clone(), format!("{first}{more}"))
        })
        .collect();
    for entry in std::fs::read_dir(&options.out).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let service = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(service) = service {
            let is_crate = path.join("Cargo.toml").exists();
            if is_crate && !diagnostics.checked.contains(&service) && !out.contains_key(&service) {
                out.insert(service, "not checked (a dependency failed?)".into());
            }
        }
    }
    Ok((out, diagnostics))
}

/// One `cargo <command> --workspace --keep-going --message-format json` over the generated
/// workspace, recording its diagnostics; `tool` is what its non-rustc diagnostics count as.
fn run_cargo(
    options: &Options,
    command: &[&str],
    tool: Tool,
    diagnostics: &mut Diagnostics,
) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .args(command)
        .args(["--workspace", "--keep-going", "--message-format", "json"])
        .arg("--jobs")
        .arg(options.jobs.max(1).to_string())
        .current_dir(&options.out)
        .env("CARGO_TARGET_DIR", options.out.join("target"))
        // A one-shot check needs no incremental cache, which for the whole corpus would
        // take tens of gigabytes of disk.
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("no cargo output")?;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        record(&options.out, &line, tool, diagnostics);
    }
    let _ = child.wait();
    Ok(())
}

/// Records one cargo JSON message: diagnostics with a location count against their service.
/// In the clippy pass a diagnostic whose code is not `clippy::...` is rustc's.
fn record(out: &Path, line: &str, tool: Tool, diagnostics: &mut Diagnostics) {
    let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
        return;
    };
    let service = message
        .get("manifest_path")
        .and_then(|m| m.as_str())
        .and_then(|m| Path::new(m).strip_prefix(out).ok())
        .and_then(|rel| rel.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let service = service.unwrap_or_else(|| "<runtime>".into());
    match message.get("reason").and_then(|r| r.as_str()) {
        Some("compiler-artifact") => {
            diagnostics.checked.insert(service);
        }
        Some("compiler-message") => {
            let Some(diagnostic) = message.get("message") else {
                return;
            };
            let spans = diagnostic.get("spans").and_then(|s| s.as_array());
            let Some(span) = spans.and_then(|s| s.first()) else {
                return;
            };
            let str_at = |value: &serde_json::Value, pointer: &str| {
                value
                    .pointer(pointer)
                    .and_then(|m| m.as_str())
                    .unwrap_or("?")
                    .to_string()
            };
            let code = str_at(diagnostic, "/code/code");
            let source = match tool {
                Tool::Clippy if !code.starts_with("clippy::") => Tool::Rustc,
                other => other,
            };
            *diagnostics.per_tool.entry(source).or_insert(0) += 1;
            let (level, text) = (str_at(diagnostic, "/level"), str_at(diagnostic, "/message"));
            let file = str_at(span, "/file_name");
            let line = span.get("line_start").and_then(|l| l.as_u64()).unwrap_or(0);
            let rendered = format!("{} {level}: {text} ({file}:{line})", source.name());
            diagnostics.all.push(format!("{service}: {rendered}"));
            let entry = diagnostics.first.entry(service).or_insert((rendered, 0));
            entry.1 += 1;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_drop_the_version_date() {
        assert_eq!(service_name(Path::new("a/iot-2015-05-28.json")), "iot");
        assert_eq!(
            service_name(Path::new("resource-explorer-2-2022-07-28.json")),
            "resource-explorer-2"
        );
        assert_eq!(service_name(Path::new("undated.json")), "undated");
    }

    #[test]
    fn diagnostics_count_against_their_service_and_tool() {
        let out = Path::new("/w/target/corpus");
        let mut diagnostics = Diagnostics::default();
        let warning = r#"{"reason":"compiler-message","manifest_path":"/w/target/corpus/iot/Cargo.toml",
            "message":{"level":"warning","message":"unused variable","code":{"code":"unused_variables"},"spans":[{"file_name":"src/lib.rs","line_start":3}]}}"#;
        let lint = r#"{"reason":"compiler-message","manifest_path":"/w/target/corpus/iot/Cargo.toml",
            "message":{"level":"warning","message":"needless return","code":{"code":"clippy::needless_return"},"spans":[{"file_name":"src/lib.rs","line_start":9}]}}"#;
        let summary = r#"{"reason":"compiler-message","manifest_path":"/w/target/corpus/iot/Cargo.toml",
            "message":{"level":"warning","message":"1 warning emitted","spans":[]}}"#;
        let artifact =
            r#"{"reason":"compiler-artifact","manifest_path":"/w/target/corpus/ebs/Cargo.toml"}"#;
        for line in [warning, lint, summary, artifact] {
            record(
                out,
                &line.replace('\n', " "),
                Tool::Clippy,
                &mut diagnostics,
            );
        }
        let doc = r#"{"reason":"compiler-message","manifest_path":"/w/target/corpus/ebs/Cargo.toml",
            "message":{"level":"warning","message":"unclosed HTML tag `p`","code":{"code":"rustdoc::invalid_html_tags"},"spans":[{"file_name":"src/types.rs","line_start":7}]}}"#;
        record(
            out,
            &doc.replace('\n', " "),
            Tool::Rustdoc,
            &mut diagnostics,
        );
        assert_eq!(
            diagnostics.first.get("iot"),
            Some(&(
                "rustc warning: unused variable (src/lib.rs:3)".to_string(),
                2
            ))
        );
        assert!(diagnostics.checked.contains("ebs"));
        assert_eq!(diagnostics.counts_line(), "rustc 1, clippy 1, rustdoc 1");
    }

    #[test]
    fn without_the_rustdoc_pass_its_count_says_not_run() {
        let mut diagnostics = Diagnostics {
            rustdoc_skipped: true,
            ..Diagnostics::default()
        };
        assert_eq!(
            diagnostics.counts_line(),
            "rustc 0, clippy 0, rustdoc not run"
        );
        diagnostics.rustdoc_skipped = false;
        assert_eq!(diagnostics.counts_line(), "rustc 0, clippy 0, rustdoc 0");
    }
}
