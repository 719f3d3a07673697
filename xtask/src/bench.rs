//! `cargo xtask bench [--quick] [--only SECTIONS]`: our generated clients side by side with
//! `aws-sdk-mediapackagev2` and `aws-sdk-dynamodb`, every figure a median over several runs,
//! printed as the Markdown tables that `BENCHMARKS.md` publishes (also written to
//! `bench/target/results.md`).
//!
//! Sections (`--only gen,loc,build,runtime,deser,dynamodb,s3,streams,services` runs a subset):
//! - `gen`: generation time, in process through the `smithy_gen` library, for `model/`, the real
//!   MediaPackage v2 model and every model in `models/aws` of the reference data.
//! - `loc`: non-blank lines of generated code, ours and the SDK's.
//! - `build`: clean debug and release builds (dependencies included) of the small GetHarvestJob
//!   programs in `bench/programs`, each alone in a fresh target directory; crates compiled;
//!   stripped release binary size; the generated crate alone with its dependencies prebuilt.
//! - `runtime`: GetHarvestJob against the local server in `bench/server`, sequential and with 64
//!   concurrent callers (`bench/harness`).
//! - `deser`: criterion, response deserialization (`bench/harness/benches/deserialize.rs`).
//! - `dynamodb`: DynamoDB GetItem against the same local server (our whole-service client and
//!   `aws-sdk-dynamodb`, sequential and 64 concurrent callers), the clean debug build of a small
//!   GetItem program, the whole-service crate alone with its dependencies prebuilt, and lines of
//!   code.
//! - `s3`: S3 against the same local server, path style (our whole-service client and
//!   `aws-sdk-s3`): PutObject and GetObject of 1 KiB (calls/s, sequential and 64 callers), one
//!   256 MiB upload from a file and one download, each in its own process (MB/s and peak RSS),
//!   the whole-service crate alone, lines of code.
//! - `streams`: event streams, Bedrock Runtime InvokeModelWithResponseStream against the same
//!   local server (our whole-service client and `aws-sdk-bedrockruntime`): 100,000 small events
//!   and 1 GiB of payload, events/s, MB/s, CPU and peak RSS (see [`streams`]).
//! - `services`: lines, crate-alone build and check CPU and rustc's peak RSS of whole-service
//!   crates across the protocols, ours and the SDK's (`--services sqs,iam` for a subset), and a
//!   chart of the ratios; see [`services`].
//!
//! Everything built goes to `../target-bench` beside the checkout (override with
//! `BENCH_TARGET_DIR`); the generated crates go to `bench/target/gen`.

pub(crate) mod services;
mod streams;

use smithy_gen::{build, Manifest, Settings};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The real MediaPackage v2 model, relative to the reference data.
const REAL_MODEL: &str = "models/aws/mediapackagev2-2022-12-25.json";
/// The operation of the single-operation client.
const OPERATION: &str = "GetHarvestJob";
/// The SDK crate.
const SDK_CRATE: &str = "aws-sdk-mediapackagev2";
/// The real DynamoDB model, relative to the reference data.
const DYNAMODB_MODEL: &str = "models/aws/dynamodb-2012-08-10.json";
/// The DynamoDB SDK crate.
const DYNAMODB_SDK_CRATE: &str = "aws-sdk-dynamodb";
/// Our whole-service DynamoDB crate: its directory under `bench/target/gen`, and its package.
const DYNAMODB_GEN: (&str, &str) = ("dynamodb", "dynamodb-full");
/// The real S3 model, relative to the reference data.
const S3_MODEL: &str = "models/aws/s3-2006-03-01.json";
/// The S3 SDK crate.
const S3_SDK_CRATE: &str = "aws-sdk-s3";
/// Our whole-service S3 crate: its directory under `bench/target/gen`, and its package.
const S3_GEN: (&str, &str) = ("s3", "s3-full");
/// Every section, in run order.
const SECTIONS: [&str; 9] = [
    "gen", "loc", "build", "runtime", "deser", "dynamodb", "s3", "streams", "services",
];

/// Command-line options.
#[derive(Clone, Debug)]
pub struct Options {
    /// One run per measurement (three otherwise) and shorter runtime benchmarks.
    pub quick: bool,
    /// Sections to run (all when empty).
    pub only: Vec<String>,
    /// The services of the `services` section (all when empty).
    pub services: Vec<String>,
}

impl Options {
    /// Runs per clean build and generation measurement.
    fn runs(&self) -> usize {
        if self.quick {
            1
        } else {
            3
        }
    }

    fn wants(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}

/// Paths the benchmarks use.
struct Context {
    options: Options,
    /// The main workspace.
    root: PathBuf,
    /// The reference data (`SMITHY_REFERENCE_DATA`, else `../shared` beside the checkout).
    shared: PathBuf,
    /// Where everything is built.
    target: PathBuf,
    /// The Markdown report, built up section by section.
    report: String,
}

impl Context {
    fn new(root: &Path, options: Options) -> Context {
        let parent = root.parent().unwrap_or(root).to_path_buf();
        let target = std::env::var_os("BENCH_TARGET_DIR")
            .map_or_else(|| parent.join("target-bench"), PathBuf::from);
        Context {
            options,
            root: root.to_path_buf(),
            shared: reference_data::configured_root(),
            target,
            report: String::new(),
        }
    }

    fn bench(&self) -> PathBuf {
        self.root.join("bench")
    }

    fn gen_dir(&self, name: &str) -> PathBuf {
        self.bench().join("target").join("gen").join(name)
    }

    /// Adds Markdown to the report and prints it.
    fn emit(&mut self, text: &str) {
        println!("{text}");
        self.report.push_str(text);
        self.report.push('\n');
    }
}

/// Runs the benchmarks.
pub fn run(root: &Path, options: Options) -> Result<ExitCode, String> {
    if let Some(unknown) = options
        .only
        .iter()
        .find(|s| !SECTIONS.contains(&s.as_str()))
    {
        return Err(format!("unknown section `{unknown}` (one of {SECTIONS:?})"));
    }
    services::check_selection(&options.services)?;
    if cfg!(debug_assertions) && std::env::var_os(RELEASE_MARKER).is_none() {
        return rerun_optimised(root, &options);
    }
    let mut ctx = Context::new(root, options);
    machine(&mut ctx);
    generate_bench_crates(&mut ctx)?;
    let sections: [(&str, Section); 9] = [
        ("gen", generation),
        ("loc", lines_of_code),
        ("build", builds),
        ("runtime", runtime),
        ("deser", deserialize),
        ("dynamodb", dynamodb),
        ("s3", s3),
        ("streams", streams::streams),
        ("services", services::run),
    ];
    for (name, section) in sections {
        if ctx.options.wants(name) {
            section(&mut ctx)?;
        }
    }
    let results = ctx.bench().join("target").join("results.md");
    std::fs::write(&results, &ctx.report).map_err(|e| format!("{}: {e}", results.display()))?;
    eprintln!("report written to {}", results.display());
    Ok(ExitCode::SUCCESS)
}

/// One section of the benchmarks: measures and adds its tables to the report.
type Section = fn(&mut Context) -> Result<(), String>;

/// Set in the environment of the optimised xtask that [`rerun_optimised`] starts.
const RELEASE_MARKER: &str = "XTASK_BENCH_OPTIMISED";

/// Generation is timed in process, so it must be an optimised build: a debug xtask (what the
/// `cargo xtask` alias runs) rebuilds itself with `--release` into the bench target directory
/// and runs the benchmarks there.
fn rerun_optimised(root: &Path, options: &Options) -> Result<ExitCode, String> {
    let ctx = Context::new(root, options.clone());
    let mut command = cargo();
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .args(["--", "bench"])
        .env("CARGO_TARGET_DIR", ctx.target.join("xtask"))
        .env(RELEASE_MARKER, "1");
    if options.quick {
        command.arg("--quick");
    }
    if !options.only.is_empty() {
        command.arg("--only").arg(options.only.join(","));
    }
    if !options.services.is_empty() {
        command.arg("--services").arg(options.services.join(","));
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

/// The median of the samples (the mean of the middle two for an even count); 0 when empty.
fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `ours / theirs` as `0.23x`, or `n/a`.
fn ratio(ours: f64, theirs: f64) -> String {
    if ours > 0.0 && theirs > 0.0 {
        format!("{:.2}x", ours / theirs)
    } else {
        "n/a".into()
    }
}

/// Seconds, with precision suited to the magnitude.
fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.1} s")
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{:.2} MB", bytes / 1_000_000.0)
}

/// Samples as `a / b / c` (for showing the spread next to a median).
fn spread(samples: &[f64], format: fn(f64) -> String) -> String {
    samples
        .iter()
        .map(|&s| format(s))
        .collect::<Vec<_>>()
        .join(" / ")
}

// ---------------------------------------------------------------------------------------------
// Machine

fn machine(ctx: &mut Context) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let runs = ctx.options.runs();
    let mode = if ctx.options.quick { " --quick" } else { "" };
    ctx.emit(&format!(
        "# Results of `cargo xtask bench{mode}`\n\nMachine: {cores} cores, {rustc}. \
         Clean builds and generation: median of {runs} run(s).\n"
    ));
}

// ---------------------------------------------------------------------------------------------
// Generated crates used by the programs and the harness

/// The real model's sources.
fn real_model_sources(ctx: &Context) -> Result<Vec<(String, String)>, String> {
    model_sources(ctx, REAL_MODEL)
}

/// The sources of a model of the reference data (`model` relative to it).
fn model_sources(ctx: &Context, model: &str) -> Result<Vec<(String, String)>, String> {
    build::read_sources(&[ctx.shared.join(model)]).map_err(|e| e.to_string())
}

/// Generates `bench/target/gen/op` (GetHarvestJob only) and `bench/target/gen/full` (every
/// operation) from the real MediaPackage v2 model, and `bench/target/gen/dynamodb`,
/// `bench/target/gen/s3` and `bench/target/gen/bedrock-runtime` (every operation) from the real
/// DynamoDB, S3 and Bedrock Runtime models. The
/// MediaPackage v2 whole-service crate may fail; that is reported, and the programs that need it
/// are skipped. The others are needed by the harness, so their failure is fatal.
fn generate_bench_crates(ctx: &mut Context) -> Result<(), String> {
    let model = smithy_gen::load(&real_model_sources(ctx)?).map_err(|e| e.to_string())?;
    let op = Some(vec![OPERATION.to_string()]);
    write_crate(ctx, &model, "op", "mediapackagev2-op", op)?;
    if let Err(error) = write_crate(ctx, &model, "full", "mediapackagev2-full", None) {
        ctx.emit(&format!(
            "**Whole-service generation failed**: {error}\n(programs using it are skipped)\n"
        ));
        let _ = std::fs::remove_dir_all(ctx.gen_dir("full"));
    }
    let model =
        smithy_gen::load(&model_sources(ctx, DYNAMODB_MODEL)?).map_err(|e| e.to_string())?;
    let (dir, package) = DYNAMODB_GEN;
    write_crate(ctx, &model, dir, package, None).map_err(|e| format!("DynamoDB: {e}"))?;
    let model = smithy_gen::load(&model_sources(ctx, S3_MODEL)?).map_err(|e| e.to_string())?;
    let (dir, package) = S3_GEN;
    write_crate(ctx, &model, dir, package, None).map_err(|e| format!("S3: {e}"))?;
    let model =
        smithy_gen::load(&model_sources(ctx, streams::MODEL)?).map_err(|e| e.to_string())?;
    let (dir, package) = streams::GEN;
    write_crate(ctx, &model, dir, package, None).map_err(|e| format!("Bedrock Runtime: {e}"))
}

/// Generates one crate, `package`, into `bench/target/gen/<dir>` as its own workspace.
fn write_crate(
    ctx: &Context,
    model: &smithy_gen::model::Model,
    dir: &str,
    package: &str,
    operations: Option<Vec<String>>,
) -> Result<(), String> {
    let settings = Settings {
        operations,
        manifest: Some(Manifest {
            package_name: package.to_string(),
            runtime_dependency: format!("{{ path = {:?} }}", ctx.root.join("runtime")),
            extra_package_lines: vec!["publish = false".into()],
        }),
        ..Settings::default()
    };
    let mut files = smithy_gen::generate(model, &settings).map_err(|e| e.to_string())?;
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str("\n# Built alone by `cargo xtask bench`.\n[workspace]\n");
    }
    let dir = ctx.gen_dir(dir);
    // Rewriting identical files would make cargo rebuild every crate that depends on them
    // (minutes in release), so an up-to-date crate is left as it is.
    let unchanged = files
        .iter()
        .all(|(path, text)| std::fs::read_to_string(dir.join(path)).is_ok_and(|t| t == *text));
    if unchanged {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    build::write_files(&dir, &files).map_err(|e| e.to_string())?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generation time

/// What generating a set of models did: timings per run, successes, failures by reason.
#[derive(Default)]
struct GenOutcome {
    times: Vec<Timing>,
    generated: usize,
    unsupported_protocol: usize,
    other_errors: Vec<String>,
}

/// How to run a generation measurement.
#[derive(Clone, Copy)]
struct GenRun {
    /// Worker threads, each taking the next model; also the threads each model's generation
    /// may use (`Settings::threads`), so the 1-thread rows are single-threaded throughout.
    threads: usize,
    /// Stop after `smithy_gen::load` (to show what loading alone costs).
    load_only: bool,
    runs: usize,
}

fn generation(ctx: &mut Context) -> Result<(), String> {
    let runs = ctx.options.runs().max(3);
    let small = build::read_sources(&[ctx.root.join("model")]).map_err(|e| e.to_string())?;
    let real = real_model_sources(ctx)?;
    let corpus = corpus_sources(ctx)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let one = GenRun {
        threads: 1,
        load_only: false,
        runs,
    };
    let corpus_run = GenRun {
        runs: ctx.options.runs(),
        ..one
    };
    let all = GenRun {
        threads: cores,
        ..one
    };
    let rows = [
        ("`model/` (GetHarvestJob closure)", vec![small.clone()], one),
        ("`model/` (GetHarvestJob closure)", vec![small], all),
        ("real model, whole service", vec![real.clone()], one),
        ("real model, whole service", vec![real], all),
        ("all of `shared/models/aws`", corpus.clone(), corpus_run),
        (
            "all of `shared/models/aws`",
            corpus.clone(),
            GenRun {
                threads: cores,
                ..corpus_run
            },
        ),
        (
            "all of `shared/models/aws`, load only",
            corpus.clone(),
            GenRun {
                load_only: true,
                ..corpus_run
            },
        ),
    ];
    ctx.emit(
        "## Generation time (in process: load + generate + format, no file I/O)\n\n\
         | input | generated | threads | wall (median) | CPU (median) | wall of each run |\n\
         |---|---|---|---|---|---|",
    );
    let mut corpus_outcome = GenOutcome::default();
    for (name, models, run) in rows {
        let outcome = generate_all(&models, run);
        generation_row(ctx, name, models.len(), run, &outcome);
        if models.len() > 1 && !run.load_only {
            corpus_outcome = outcome;
        }
    }
    generation_summary(ctx, corpus.len(), &corpus_outcome);
    Ok(())
}

fn generation_summary(ctx: &mut Context, total: usize, outcome: &GenOutcome) {
    ctx.emit(&format!(
        "\nCorpus: {} of {total} models generated, {} refused for an unsupported protocol, {} \
         other errors. Target: all {total} under 30 s on this machine. No SDK figure: smithy-rs \
         needs a JVM and Gradle, which this machine does not have.\n",
        outcome.generated,
        outcome.unsupported_protocol,
        outcome.other_errors.len(),
    ));
    for error in outcome.other_errors.iter().take(10) {
        ctx.emit(&format!("- {error}"));
    }
    ctx.emit("");
}

fn generation_row(ctx: &mut Context, name: &str, total: usize, run: GenRun, outcome: &GenOutcome) {
    let walls: Vec<f64> = outcome.times.iter().map(|t| t.wall).collect();
    let median = medians(&outcome.times);
    let generated = if run.load_only {
        "(load only)".to_string()
    } else {
        format!("{} / {total}", outcome.generated)
    };
    ctx.emit(&format!(
        "| {name} | {generated} | {} | {} | {} | {} |",
        run.threads,
        seconds(median.wall),
        seconds(median.cpu),
        spread(&walls, seconds)
    ));
}

/// Loads and generates every model, `run.runs` times; outcomes are counted from the first run.
fn generate_all(models: &[Vec<(String, String)>], run: GenRun) -> GenOutcome {
    let mut outcome = GenOutcome::default();
    for i in 0..run.runs {
        let cpu_before = cpu_times().0;
        let started = Instant::now();
        let results = generate_parallel(models, run);
        outcome.times.push(Timing {
            wall: started.elapsed().as_secs_f64(),
            cpu: cpu_times().0 - cpu_before,
        });
        if i == 0 {
            for (sources, result) in models.iter().zip(results) {
                count_outcome(&mut outcome, sources, result);
            }
        }
    }
    outcome
}

/// Generates every model on `run.threads` threads; results in model order.
fn generate_parallel(models: &[Vec<(String, String)>], run: GenRun) -> Vec<smithy_gen::Result<()>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![Ok(()); models.len()]);
    std::thread::scope(|scope| {
        for _ in 0..run.threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(sources) = models.get(i) else { break };
                let result = generate_one(sources, run);
                if let Ok(mut results) = results.lock() {
                    results[i] = result;
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// Loads one model and (unless `run.load_only`) generates its client on up to `run.threads`
/// threads.
fn generate_one(sources: &[(String, String)], run: GenRun) -> smithy_gen::Result<()> {
    let model = smithy_gen::load(sources)?;
    if !run.load_only {
        let settings = Settings {
            threads: Some(run.threads),
            ..Settings::default()
        };
        smithy_gen::generate(&model, &settings)?;
    }
    Ok(())
}

/// Every model file of the AWS corpus, read once (reading is not timed).
fn corpus_sources(ctx: &Context) -> Result<Vec<Vec<(String, String)>>, String> {
    let dir = ctx.shared.join("models").join("aws");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| build::read_sources(&[path]).map_err(|e| e.to_string()))
        .collect()
}

fn count_outcome(
    outcome: &mut GenOutcome,
    sources: &[(String, String)],
    result: smithy_gen::Result<()>,
) {
    match result {
        Ok(()) => outcome.generated += 1,
        Err(e) if matches!(&e.kind, smithy_gen::ErrorKind::Unsupported(m) if m.contains("protocol")) => {
            outcome.unsupported_protocol += 1
        }
        Err(e) => {
            let file = sources.first().map_or("", |(f, _)| f.as_str());
            let file = Path::new(file).file_name().unwrap_or_default();
            outcome
                .other_errors
                .push(format!("`{}`: {e}", file.to_string_lossy()))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lines of code

/// Non-blank lines in the `.rs` files under `dir` (recursively).
fn count_lines(dir: &Path) -> usize {
    rust_files(dir).iter().map(|path| non_blank(path)).sum()
}

fn non_blank(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|text| text.lines().filter(|l| !l.trim().is_empty()).count())
        .unwrap_or(0)
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// An SDK crate, and the program of `bench/programs` whose `Cargo.lock` pins its version.
#[derive(Clone, Copy, Debug)]
struct SdkCrate {
    /// The crate's name.
    name: &'static str,
    /// The program's directory under `bench/programs`.
    program: &'static str,
}

/// `aws-sdk-mediapackagev2`, pinned by `bench/programs/sdk`.
const MEDIAPACKAGEV2_SDK: SdkCrate = SdkCrate {
    name: SDK_CRATE,
    program: "sdk",
};

/// `aws-sdk-dynamodb`, pinned by `bench/programs/sdk-dynamodb`.
const DYNAMODB_SDK: SdkCrate = SdkCrate {
    name: DYNAMODB_SDK_CRATE,
    program: "sdk-dynamodb",
};

/// `aws-sdk-s3`, pinned by `bench/programs/sdk-s3`.
const S3_SDK: SdkCrate = SdkCrate {
    name: S3_SDK_CRATE,
    program: "sdk-s3",
};

/// The version of `sdk` locked in its program's `Cargo.lock`.
fn sdk_version(ctx: &Context, sdk: SdkCrate) -> Result<String, String> {
    let lock = ctx
        .bench()
        .join("programs")
        .join(sdk.program)
        .join("Cargo.lock");
    let text = std::fs::read_to_string(&lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    let needle = format!("name = \"{}\"\nversion = \"", sdk.name);
    let start = text
        .find(&needle)
        .ok_or_else(|| format!("{} is not in {}", sdk.name, lock.display()))?
        + needle.len();
    Ok(text[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string())
}

/// The unpacked source of `sdk`'s locked version
/// (`$CARGO_HOME/registry/src/*/<crate>-<version>/src`), if cargo has downloaded it.
fn find_sdk_source(ctx: &Context, sdk: SdkCrate) -> Option<PathBuf> {
    let version = sdk_version(ctx, sdk).ok()?;
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        PathBuf::from,
    );
    let registries = std::fs::read_dir(home.join("registry").join("src")).ok()?;
    registries
        .flatten()
        .map(|r| r.path().join(format!("{}-{version}", sdk.name)).join("src"))
        .find(|p| p.is_dir())
}

/// The unpacked source of `sdk`, running `cargo fetch` on its program first when it is missing
/// (which also writes the program's `Cargo.lock` if there is none yet).
fn sdk_source(ctx: &Context, sdk: SdkCrate) -> Result<PathBuf, String> {
    if let Some(dir) = find_sdk_source(ctx, sdk) {
        return Ok(dir);
    }
    let manifest = ctx
        .bench()
        .join("programs")
        .join(sdk.program)
        .join("Cargo.toml");
    run_quiet(cargo().arg("fetch").arg("--manifest-path").arg(&manifest))?;
    find_sdk_source(ctx, sdk)
        .ok_or_else(|| format!("{} source not found after cargo fetch", sdk.name))
}

/// The SDK's files for GetHarvestJob's closure, split into (operation and shape files, shared
/// infrastructure files). See [`sdk_file_role`].
fn sdk_closure(ctx: &Context, src: &Path) -> Result<(usize, usize), String> {
    let model = smithy_gen::load(&real_model_sources(ctx)?).map_err(|e| e.to_string())?;
    let plan = smithy_gen::passes::plan(&model, None, Some(&[OPERATION.to_string()]))
        .map_err(|e| e.to_string())?;
    let shapes: Vec<String> = plan
        .shapes
        .iter()
        .map(|id| smithy_gen::naming::snake_case(id.name()))
        .collect();
    let operations: Vec<String> = model
        .shapes
        .values()
        .filter(|shape| shape.kind.type_name() == "operation")
        .map(|shape| smithy_gen::naming::snake_case(shape.id.name()))
        .collect();
    let (mut closure, mut infrastructure) = (0, 0);
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap_or(&file).to_string_lossy();
        match sdk_file_role(&relative.replace('\\', "/"), &operations, &shapes) {
            Role::Closure => closure += non_blank(&file),
            Role::Infrastructure => infrastructure += non_blank(&file),
            Role::Other => {}
        }
    }
    Ok((closure, infrastructure))
}

/// How an SDK source file counts for the GetHarvestJob closure.
#[derive(Debug, PartialEq, Eq)]
enum Role {
    /// Belongs to GetHarvestJob or to a shape it uses.
    Closure,
    /// Shared by every operation (config, endpoint rules, client, module files, ...).
    Infrastructure,
    /// Belongs to another operation or to a shape outside the closure.
    Other,
}

/// Classifies a file (path relative to `src/`): per-operation files (`operation/<op>.rs`,
/// `operation/<op>/**`, `client/<op>.rs`, `protocol_serde/shape_<op>*.rs`) and per-shape files
/// (`types/**/_<shape>.rs`, `protocol_serde/shape_<shape>.rs`) count when they belong to
/// GetHarvestJob's closure; waiters count (GetHarvestJob is the service's only waitable
/// operation); everything else is shared infrastructure, counted whole.
fn sdk_file_role(relative: &str, operations: &[String], shapes: &[String]) -> Role {
    let ours = |name: &str| -> Role {
        if name == "get_harvest_job" || shapes.iter().any(|s| s == name) {
            Role::Closure
        } else {
            Role::Other
        }
    };
    let stem = relative
        .rsplit('/')
        .next()
        .unwrap_or(relative)
        .trim_end_matches(".rs");
    if let Some(rest) = relative.strip_prefix("operation/") {
        let op = rest
            .split('/')
            .next()
            .unwrap_or(rest)
            .trim_end_matches(".rs");
        return ours(op);
    }
    if let Some(op) = relative.strip_prefix("client/") {
        let op = op.trim_end_matches(".rs");
        if operations.iter().any(|o| o == op) {
            return ours(op);
        }
        return Role::Infrastructure;
    }
    if relative.starts_with("waiters/") {
        return Role::Closure;
    }
    if let Some(shape) = stem.strip_prefix("shape_") {
        let op = operations
            .iter()
            .filter(|op| shape == op.as_str() || shape.starts_with(&format!("{op}_")))
            .max_by_key(|op| op.len());
        return op.map_or_else(|| ours(shape), |op| ours(op));
    }
    if relative.starts_with("types/") && stem.starts_with('_') {
        return ours(&stem[1..]);
    }
    Role::Infrastructure
}

fn lines_of_code(ctx: &mut Context) -> Result<(), String> {
    let src = sdk_source(ctx, MEDIAPACKAGEV2_SDK)?;
    let version = sdk_version(ctx, MEDIAPACKAGEV2_SDK)?;
    let ours_op = count_lines(&ctx.gen_dir("op").join("src"));
    let ours_full = count_lines(&ctx.gen_dir("full").join("src"));
    let sdk_full = count_lines(&src);
    let (closure, infrastructure) = sdk_closure(ctx, &src)?;
    let sdk_op = closure + infrastructure;
    ctx.emit(&format!(
        "## Lines of generated code (non-blank, `.rs`)\n\n\
         | client | ours | SDK ({SDK_CRATE} {version}) | ours / SDK |\n|---|---|---|---|\n\
         | GetHarvestJob closure | {ours_op} | {sdk_op} ({closure} operation + shapes, \
         {infrastructure} shared) | {} |\n| whole service | {ours_full} | {sdk_full} | {} |\n",
        ratio(ours_op as f64, sdk_op as f64),
        ratio(ours_full as f64, sdk_full as f64),
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Processes

/// `cargo`, the one running this xtask when known.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.env("CARGO_TERM_COLOR", "never");
    command
}

/// Runs a command to completion; fails with the end of its stderr.
fn run_quiet(command: &mut Command) -> Result<String, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok(stderr)
    } else {
        Err(format!("{command:?} failed:\n{}", tail(&stderr, 15)))
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs a command and returns its wall and CPU time and its stderr.
fn timed(command: &mut Command) -> Result<(Timing, String), String> {
    let cpu_before = cpu_times().1;
    let started = Instant::now();
    let stderr = run_quiet(command)?;
    let timing = Timing {
        wall: started.elapsed().as_secs_f64(),
        cpu: cpu_times().1 - cpu_before,
    };
    Ok((timing, stderr))
}

/// Wall time and CPU time (user + system, all threads or all child processes), in seconds.
#[derive(Clone, Copy, Debug, Default)]
struct Timing {
    wall: f64,
    cpu: f64,
}

/// Wall and CPU medians of some timings.
fn medians(timings: &[Timing]) -> Timing {
    let wall: Vec<f64> = timings.iter().map(|t| t.wall).collect();
    let cpu: Vec<f64> = timings.iter().map(|t| t.cpu).collect();
    Timing {
        wall: median(&wall),
        cpu: median(&cpu),
    }
}

/// CPU time (user + system, seconds) of this process and of its waited-for children (which
/// include their own children: cargo's rustc processes), from `/proc/self/stat`; zeros where
/// there is no `/proc`. CPU time is what the machine's other load changes least.
fn cpu_times() -> (f64, f64) {
    /// Linux reports these times in USER_HZ ticks, 100 per second on every supported platform.
    const TICKS: f64 = 100.0;
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<f64> = after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0.0) / TICKS;
    (field(14) + field(15), field(16) + field(17))
}

// ---------------------------------------------------------------------------------------------
// Clean builds

/// A program under `bench/programs`.
struct Program {
    /// Directory name under `bench/programs`.
    dir: &'static str,
    /// What the report calls it.
    label: &'static str,
    /// The generated client's package, for the crate-alone measurements (`None`: none).
    client_package: Option<&'static str>,
    /// The generated crate it needs under `bench/target/gen` (`None`: none).
    needs: Option<&'static str>,
    /// When it is built in release too.
    release: Release,
    /// Its binary's name (whose size is measured after a release build).
    binary: &'static str,
}

/// When a program's clean build is measured in release as well as debug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Release {
    /// Always, `--quick` too.
    Always,
    /// Unless `--quick` (to keep it short).
    NotQuick,
    /// Never: only its debug build and crate-alone figures are wanted.
    Never,
}

const PROGRAMS: [Program; 4] = [
    Program {
        dir: "ours-op",
        label: "ours, GetHarvestJob only",
        client_package: Some("mediapackagev2-op"),
        needs: Some("op"),
        release: Release::Always,
        binary: "get-harvest-job",
    },
    Program {
        dir: "ours-full",
        label: "ours, whole service",
        client_package: Some("mediapackagev2-full"),
        needs: Some("full"),
        release: Release::NotQuick,
        binary: "get-harvest-job",
    },
    Program {
        dir: "ours-buildrs",
        label: "ours, GetHarvestJob via build.rs",
        client_package: None,
        needs: None,
        release: Release::NotQuick,
        binary: "get-harvest-job",
    },
    Program {
        dir: "sdk",
        label: "SDK + aws-config",
        client_package: Some(SDK_CRATE),
        needs: None,
        release: Release::Always,
        binary: "get-harvest-job",
    },
];

/// The DynamoDB GetItem programs (the SDK's last, as in [`PROGRAMS`]): debug only, since what
/// the `dynamodb` section wants from them is the whole-service crate alone.
const DYNAMODB_PROGRAMS: [Program; 2] = [
    Program {
        dir: "ours-dynamodb",
        label: "ours, DynamoDB whole service",
        client_package: Some(DYNAMODB_GEN.1),
        needs: Some(DYNAMODB_GEN.0),
        release: Release::Never,
        binary: "get-item",
    },
    Program {
        dir: "sdk-dynamodb",
        label: "SDK + aws-config",
        client_package: Some(DYNAMODB_SDK_CRATE),
        needs: None,
        release: Release::Never,
        binary: "get-item",
    },
];

/// The S3 programs (the SDK's last): debug only, for the whole-service crate alone.
const S3_PROGRAMS: [Program; 2] = [
    Program {
        dir: "ours-s3",
        label: "ours, S3 whole service",
        client_package: Some(S3_GEN.1),
        needs: Some(S3_GEN.0),
        release: Release::Never,
        binary: "put-get",
    },
    Program {
        dir: "sdk-s3",
        label: "SDK + aws-config",
        client_package: Some(S3_SDK_CRATE),
        needs: None,
        release: Release::Never,
        binary: "put-get",
    },
];

/// What the clean builds of one program measured.
#[derive(Default)]
struct BuildResult {
    debug: Vec<Timing>,
    release: Vec<Timing>,
    crates_debug: usize,
    crates_release: usize,
    binary_bytes: u64,
    crate_build: Vec<Timing>,
    crate_check: Vec<Timing>,
    failure: Option<String>,
}

impl Program {
    fn manifest(&self, ctx: &Context) -> PathBuf {
        ctx.bench()
            .join("programs")
            .join(self.dir)
            .join("Cargo.toml")
    }

    fn target_dir(&self, ctx: &Context, release: bool) -> PathBuf {
        let profile = if release { "release" } else { "debug" };
        ctx.target
            .join("clean")
            .join(format!("{}-{profile}", self.dir))
    }

    fn available(&self, ctx: &Context) -> bool {
        self.needs.is_none_or(|name| ctx.gen_dir(name).is_dir())
    }

    /// `cargo <subcommand> --manifest-path <program>` in the program's target directory.
    fn cargo(&self, ctx: &Context, subcommand: &str, release: bool) -> Command {
        let mut command = cargo();
        command
            .arg(subcommand)
            .arg("--manifest-path")
            .arg(self.manifest(ctx))
            .env("CARGO_TARGET_DIR", self.target_dir(ctx, release))
            .env("SMITHY_BENCH_MODEL", ctx.shared.join(REAL_MODEL));
        if release {
            command.arg("--release");
        }
        command
    }
}

/// Counts `Compiling` lines (one per package compiled) in cargo's output.
fn crates_compiled(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count()
}

/// One clean build: a fresh target directory, `cargo build`, wall time and crates compiled.
fn clean_build(ctx: &Context, program: &Program, release: bool) -> Result<(Timing, usize), String> {
    let dir = program.target_dir(ctx, release);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // `--timings` leaves `cargo-timings/cargo-timing.html` (per-crate times) for profiling.
    let (time, stderr) = timed(program.cargo(ctx, "build", release).arg("--timings"))?;
    Ok((time, crates_compiled(&stderr)))
}

/// The generated client crate alone, its dependencies prebuilt: `cargo build -p` and
/// `cargo check -p` after `cargo clean -p`, incremental compilation off.
fn crate_alone(ctx: &Context, program: &Program, result: &mut BuildResult) -> Result<(), String> {
    let Some(package) = program.client_package else {
        return Ok(());
    };
    // Prebuild the dependencies with exactly the settings of the timed runs: the runtime is a
    // path dependency, and `CARGO_INCREMENTAL` is part of its fingerprint, so without this the
    // first timed run would silently rebuild `smithy-runtime` too.
    for subcommand in ["build", "check"] {
        let mut command = program.cargo(ctx, subcommand, false);
        run_quiet(command.args(["-p", package]).env("CARGO_INCREMENTAL", "0"))?;
    }
    for _ in 0..ctx.options.runs() {
        for (subcommand, times) in [
            ("build", &mut result.crate_build),
            ("check", &mut result.crate_check),
        ] {
            run_quiet(program.cargo(ctx, "clean", false).args(["-p", package]))?;
            let mut command = program.cargo(ctx, subcommand, false);
            command.args(["-p", package]).env("CARGO_INCREMENTAL", "0");
            times.push(timed(&mut command)?.0);
        }
    }
    Ok(())
}

/// All measurements of one program; a failure is recorded, not fatal.
fn measure_program(ctx: &Context, program: &Program, result: &mut BuildResult) {
    let outcome = (|| -> Result<(), String> {
        let release_too = match program.release {
            Release::Always => true,
            Release::NotQuick => !ctx.options.quick,
            Release::Never => false,
        };
        let profiles: &[bool] = if release_too {
            &[false, true]
        } else {
            &[false]
        };
        for &release in profiles {
            let (time, crates) = clean_build(ctx, program, release)?;
            eprintln!(
                "  {} {}: {}",
                program.dir,
                if release { "release" } else { "debug" },
                seconds(time.wall)
            );
            if release {
                result.release.push(time);
                result.crates_release = crates;
            } else {
                result.debug.push(time);
                result.crates_debug = crates;
            }
        }
        Ok(())
    })();
    if let Err(error) = outcome {
        result.failure = Some(error);
    }
}

/// The stripped release binary's size, and the crate-alone timings (in the debug target dir).
fn measure_after_runs(ctx: &Context, program: &Program, result: &mut BuildResult) {
    if result.failure.is_some() {
        return;
    }
    let binary = program
        .target_dir(ctx, true)
        .join("release")
        .join(program.binary);
    if !result.release.is_empty() {
        result.binary_bytes = std::fs::metadata(&binary).map_or(0, |m| m.len());
    }
    if let Err(error) = crate_alone(ctx, program, result) {
        result.failure = Some(error);
    }
}

fn builds(ctx: &mut Context) -> Result<(), String> {
    let results = measure_programs(ctx, &PROGRAMS)?;
    build_tables(ctx, &results);
    Ok(())
}

/// Every measurement of `programs`: their dependencies fetched (not timed), `runs` clean builds
/// of each, then binary sizes and the crate-alone timings. A program's failure is recorded in its
/// result, not fatal.
fn measure_programs(ctx: &Context, programs: &[Program]) -> Result<Vec<BuildResult>, String> {
    let mut results: Vec<BuildResult> = programs.iter().map(|_| BuildResult::default()).collect();
    for program in programs.iter().filter(|p| p.available(ctx)) {
        run_quiet(
            cargo()
                .arg("fetch")
                .arg("--manifest-path")
                .arg(program.manifest(ctx)),
        )?;
    }
    for run in 0..ctx.options.runs() {
        eprintln!("clean builds, run {} of {}", run + 1, ctx.options.runs());
        for (program, result) in programs.iter().zip(&mut results) {
            if program.available(ctx) && result.failure.is_none() {
                measure_program(ctx, program, result);
            }
        }
    }
    for (program, result) in programs.iter().zip(&mut results) {
        if program.available(ctx) {
            measure_after_runs(ctx, program, result);
        } else {
            result.failure = Some("its generated crate could not be generated".into());
        }
    }
    Ok(results)
}

/// The SDK's result (the last program).
fn sdk_result(results: &[BuildResult]) -> &BuildResult {
    &results[results.len() - 1]
}

/// The header of the clean-build table.
const BUILD_TABLE_HEADER: &str = "Each cell: time (ours / SDK). Wall time is `cargo build` from \
    an empty target directory; CPU time is the user + system time of cargo and every process it \
    ran.\n\n\
    | program | debug wall | debug CPU | release wall | release CPU | crates compiled (debug / release) | binary (release, stripped) |\n\
    |---|---|---|---|---|---|---|\n";

/// The header of the crate-alone table.
const CRATE_TABLE_HEADER: &str = "`cargo clean -p <crate>` then `cargo build -p <crate>` / \
    `cargo check -p <crate>`. Each cell: time (ours / SDK).\n\n\
    | crate | build wall | build CPU | check wall | check CPU |\n|---|---|---|---|---|\n";

fn build_tables(ctx: &mut Context, results: &[BuildResult]) {
    let runs = ctx.options.runs();
    let text = format!(
        "## Clean build of the GetHarvestJob program (dependencies included; median of {runs})\n\n\
         {BUILD_TABLE_HEADER}{}\n\
         ## The generated client crate alone (dependencies prebuilt, debug, incremental off)\n\n\
         {CRATE_TABLE_HEADER}{}",
        build_rows(&PROGRAMS, results),
        crate_rows(&PROGRAMS, results),
    );
    ctx.emit(&text);
    report_failures(ctx, &PROGRAMS, results);
}

/// One clean-build row per program.
fn build_rows(programs: &[Program], results: &[BuildResult]) -> String {
    let sdk = sdk_result(results);
    let mut text = String::new();
    for (program, result) in programs.iter().zip(results) {
        let _ = writeln!(text, "{}", build_row(program, result, sdk));
    }
    text
}

/// One crate-alone row per program that has a client crate and did not fail.
fn crate_rows(programs: &[Program], results: &[BuildResult]) -> String {
    let sdk = sdk_result(results);
    let mut text = String::new();
    for (program, result) in programs.iter().zip(results) {
        if let (Some(package), None) = (program.client_package, &result.failure) {
            let _ = writeln!(text, "{}", crate_row(package, result, sdk));
        }
    }
    text
}

/// Adds each failed program's error to the report.
fn report_failures(ctx: &mut Context, programs: &[Program], results: &[BuildResult]) {
    for (program, result) in programs.iter().zip(results) {
        if let Some(failure) = &result.failure {
            ctx.emit(&format!(
                "**{}** failed:\n\n```text\n{failure}\n```\n",
                program.label
            ));
        }
    }
}

/// `12.3 s (0.25x)`: a time and its ratio to the SDK's.
fn versus(ours: f64, sdk: f64) -> String {
    format!("{} ({})", seconds(ours), ratio(ours, sdk))
}

fn build_row(program: &Program, result: &BuildResult, sdk: &BuildResult) -> String {
    if result.debug.is_empty() {
        return format!("| {} | failed | | | | | |", program.label);
    }
    if result.release.is_empty() {
        let (debug, sdk_debug) = (medians(&result.debug), medians(&sdk.debug));
        let why = if program.release == Release::Never {
            "(not measured)"
        } else {
            "(not with --quick)"
        };
        return format!(
            "| {} | {} | {} | {why} | | {} / - | - |",
            program.label,
            versus(debug.wall, sdk_debug.wall),
            versus(debug.cpu, sdk_debug.cpu),
            result.crates_debug,
        );
    }
    let (debug, release) = (medians(&result.debug), medians(&result.release));
    let (sdk_debug, sdk_release) = (medians(&sdk.debug), medians(&sdk.release));
    let size = result.binary_bytes as f64;
    format!(
        "| {} | {} | {} | {} | {} | {} / {} | {} ({}) |",
        program.label,
        versus(debug.wall, sdk_debug.wall),
        versus(debug.cpu, sdk_debug.cpu),
        versus(release.wall, sdk_release.wall),
        versus(release.cpu, sdk_release.cpu),
        result.crates_debug,
        result.crates_release,
        megabytes(size),
        ratio(size, sdk.binary_bytes as f64),
    )
}

fn crate_row(package: &str, result: &BuildResult, sdk: &BuildResult) -> String {
    let (build, check) = (medians(&result.crate_build), medians(&result.crate_check));
    let (sdk_build, sdk_check) = (medians(&sdk.crate_build), medians(&sdk.crate_check));
    format!(
        "| `{package}` | {} | {} | {} | {} |",
        versus(build.wall, sdk_build.wall),
        versus(build.cpu, sdk_build.cpu),
        versus(check.wall, sdk_check.wall),
        versus(check.cpu, sdk_check.cpu),
    )
}

// ---------------------------------------------------------------------------------------------
// Runtime

/// `cargo <subcommand>` in the bench workspace, building into `<target>/harness`.
fn bench_cargo(ctx: &Context, subcommand: &str) -> Command {
    let mut command = cargo();
    command
        .arg(subcommand)
        .current_dir(ctx.bench())
        .env("CARGO_TARGET_DIR", ctx.target.join("harness"));
    command
}

/// The local server, stopped (stdin closed, then killed) when dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn start(ctx: &Context, tags: usize) -> Result<Server, String> {
        use std::io::BufRead as _;
        let binary = ctx.target.join("harness/release/bench-server");
        let mut child = Command::new(&binary)
            .args(["--tags", &tags.to_string(), "--max-seconds", "1200"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        }
        let url = line.trim().strip_prefix("listening ").map(str::to_string);
        match url {
            Some(url) => Ok(Server { child, url }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("bench-server did not start: {line:?}"))
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        std::thread::sleep(Duration::from_millis(100));
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The `key=value` fields of one harness line.
fn fields(line: &str) -> Vec<(String, f64)> {
    line.split_whitespace()
        .filter_map(|field| field.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
        .collect()
}

/// One harness load run of `service` (a `bench-harness --service` name) with `client`.
fn load_run(
    ctx: &Context,
    url: &str,
    (service, client): (&str, &str),
    concurrency: usize,
    calls: usize,
) -> Result<Vec<(String, f64)>, String> {
    let (calls, concurrency, warmup) = (
        calls.to_string(),
        concurrency.to_string(),
        (concurrency * 4).max(200).to_string(),
    );
    harness_run(
        ctx,
        &[
            "load",
            "--service",
            service,
            "--client",
            client,
            "--url",
            url,
            "--calls",
            &calls,
            "--concurrency",
            &concurrency,
            "--warmup",
            &warmup,
        ],
        &format!("{service}, {client}"),
    )
}

/// Runs the release `bench-harness` with `args` and reads the `key=value` fields it prints;
/// `what` names the run in an error.
fn harness_run(ctx: &Context, args: &[&str], what: &str) -> Result<Vec<(String, f64)>, String> {
    let binary = ctx.target.join("harness/release/bench-harness");
    let output = Command::new(&binary)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "bench-harness {} ({what}) failed: {}",
            args.first().unwrap_or(&""),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(fields(&String::from_utf8_lossy(&output.stdout)))
}

/// The metrics of the runtime table: (field, heading, higher is better).
const METRICS: [(&str, &str); 6] = [
    ("calls_per_sec", "calls/s"),
    ("p50_us", "p50 µs"),
    ("p99_us", "p99 µs"),
    ("cpu_us_per_call", "CPU µs/call"),
    ("allocs_per_call", "allocs/call"),
    ("alloc_bytes_per_call", "bytes allocated/call"),
];

fn runtime(ctx: &mut Context) -> Result<(), String> {
    let text = runtime_table(ctx, "mediapackagev2", "Runtime: GetHarvestJob")?;
    ctx.emit(&text);
    Ok(())
}

/// Builds the harness and the server (release).
fn build_harness(ctx: &Context) -> Result<(), String> {
    run_quiet(bench_cargo(ctx, "build").args([
        "--release",
        "-p",
        "bench-harness",
        "-p",
        "bench-server",
        "--bins",
    ]))?;
    Ok(())
}

/// The runtime table of `service` (a `bench-harness --service` name), headed `title`: ours and
/// the SDK's client, sequential and with 64 callers, against one local server.
fn runtime_table(ctx: &Context, service: &str, title: &str) -> Result<String, String> {
    build_harness(ctx)?;
    let server = Server::start(ctx, 2)?;
    let (runs, sequential, concurrent) = if ctx.options.quick {
        (3, 1000, 5000)
    } else {
        (5, 3000, 20000)
    };
    let mut text = format!(
        "## {title} against the local server (release; median of {runs} runs)\n\n\
         Static credentials, us-east-1, fixed endpoint, server in another process on the same \
         machine. CPU time is the client process's user + system time (getrusage) per call; \
         allocations come from a counting global allocator.\n\n\
         | callers | calls | metric | ours | SDK | ours / SDK |\n|---|---|---|---|---|---|\n"
    );
    for (concurrency, calls) in [(1, sequential), (64, concurrent)] {
        let mut samples: [Vec<Vec<(String, f64)>>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..runs {
            for (i, client) in ["ours", "sdk"].into_iter().enumerate() {
                let run = load_run(ctx, &server.url, (service, client), concurrency, calls)?;
                samples[i].push(run);
            }
        }
        for (field, heading) in METRICS {
            let [ours, sdk] = [&samples[0], &samples[1]].map(|runs| metric(runs, field));
            let _ = writeln!(
                text,
                "| {concurrency} | {calls} | {heading} | {ours:.1} | {sdk:.1} | {} |",
                ratio(ours, sdk)
            );
        }
    }
    Ok(text)
}

/// The median of one field over runs.
fn metric(runs: &[Vec<(String, f64)>], field: &str) -> f64 {
    let values: Vec<f64> = runs
        .iter()
        .filter_map(|run| run.iter().find(|(k, _)| k == field).map(|(_, v)| *v))
        .collect();
    median(&values)
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

/// DynamoDB GetItem, our whole-service client against `aws-sdk-dynamodb`: the runtime table, the
/// clean debug build of the GetItem programs, the whole-service crate alone, lines of code.
fn dynamodb(ctx: &mut Context) -> Result<(), String> {
    let runtime = runtime_table(
        ctx,
        "dynamodb",
        "DynamoDB runtime: GetItem (our whole-service client)",
    )?;
    ctx.emit(&runtime);
    let results = measure_programs(ctx, &DYNAMODB_PROGRAMS)?;
    let runs = ctx.options.runs();
    let text = format!(
        "## DynamoDB: clean debug build of the GetItem program (dependencies included; median of \
         {runs})\n\n{BUILD_TABLE_HEADER}{}\n\
         ## DynamoDB: the whole-service crate alone (dependencies prebuilt, debug, incremental \
         off; median of {runs})\n\n{CRATE_TABLE_HEADER}{}",
        build_rows(&DYNAMODB_PROGRAMS, &results),
        crate_rows(&DYNAMODB_PROGRAMS, &results),
    );
    ctx.emit(&text);
    report_failures(ctx, &DYNAMODB_PROGRAMS, &results);
    dynamodb_lines(ctx)
}

/// Non-blank lines of our whole-service DynamoDB crate and of `aws-sdk-dynamodb`'s source.
fn dynamodb_lines(ctx: &mut Context) -> Result<(), String> {
    service_lines(ctx, "DynamoDB", DYNAMODB_GEN.0, DYNAMODB_SDK)
}

/// Non-blank lines of our whole-service crate in `bench/target/gen/<gen_dir>` and of `sdk`'s
/// source, as a table headed with `service`.
fn service_lines(
    ctx: &mut Context,
    service: &str,
    gen_dir: &str,
    sdk: SdkCrate,
) -> Result<(), String> {
    let src = sdk_source(ctx, sdk)?;
    let version = sdk_version(ctx, sdk)?;
    let ours = count_lines(&ctx.gen_dir(gen_dir).join("src"));
    let theirs = count_lines(&src);
    ctx.emit(&format!(
        "## {service}: lines of generated code (non-blank, `.rs`, whole service)\n\n\
         | client | ours | SDK ({} {version}) | ours / SDK |\n|---|---|---|---|\n\
         | whole service | {ours} | {theirs} | {} |\n",
        sdk.name,
        ratio(ours as f64, theirs as f64),
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// S3

/// The size of the large S3 transfers.
const S3_LARGE: u64 = 256 << 20;

/// S3, our whole-service client against `aws-sdk-s3`: the 1 KiB runtime tables, the 256 MiB
/// transfers, the whole-service crate alone, lines of code.
fn s3(ctx: &mut Context) -> Result<(), String> {
    for (service, title) in [
        ("s3-put", "S3 runtime: PutObject of 1 KiB"),
        ("s3-get", "S3 runtime: GetObject of 1 KiB"),
    ] {
        let text = runtime_table(ctx, service, title)?;
        ctx.emit(&text);
    }
    let text = s3_transfers(ctx)?;
    ctx.emit(&text);
    let results = measure_programs(ctx, &S3_PROGRAMS)?;
    let runs = ctx.options.runs();
    let text = format!(
        "## S3: the whole-service crate alone (dependencies prebuilt, debug, incremental off; \
         median of {runs})\n\n{CRATE_TABLE_HEADER}{}",
        crate_rows(&S3_PROGRAMS, &results),
    );
    ctx.emit(&text);
    report_failures(ctx, &S3_PROGRAMS, &results);
    service_lines(ctx, "S3", S3_GEN.0, S3_SDK)
}

/// The 256 MiB upload (from a file) and download, ours and the SDK's, each run its own harness
/// process so its peak RSS is its own.
fn s3_transfers(ctx: &Context) -> Result<String, String> {
    build_harness(ctx)?;
    let file = large_file(ctx)?;
    let server = Server::start(ctx, 2)?;
    let runs = ctx.options.runs();
    let mut text = format!(
        "## S3: one {} MiB object through the local server (release; median of {runs})\n\n\
         Upload: PutObject with the body from a file (`ByteStream::from_path` in both). Download: \
         GetObject, the body read chunk by chunk and dropped. Each client's default checksum \
         behaviour (CRC32 computed on the upload; the download's CRC32 validated). Peak RSS is \
         the whole harness process's (`VmHWM`), one transfer per process.\n\n\
         | transfer | metric | ours | SDK | ours / SDK |\n|---|---|---|---|---|\n",
        S3_LARGE >> 20
    );
    for direction in ["put", "get"] {
        let mut samples: [Vec<Vec<(String, f64)>>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..runs {
            for (i, client) in ["ours", "sdk"].into_iter().enumerate() {
                samples[i].push(transfer_run(ctx, &server.url, client, direction, &file)?);
            }
        }
        for (field, heading) in [("mb_per_sec", "MB/s"), ("peak_rss_mb", "peak RSS MiB")] {
            let [ours, sdk] = [&samples[0], &samples[1]].map(|runs| metric(runs, field));
            let _ = writeln!(
                text,
                "| {direction} | {heading} | {ours:.1} | {sdk:.1} | {} |",
                ratio(ours, sdk)
            );
        }
    }
    Ok(text)
}

/// A file of [`S3_LARGE`] bytes in the bench target directory (written once, kept).
fn large_file(ctx: &Context) -> Result<PathBuf, String> {
    use std::io::Write as _;
    let path = ctx.target.join(format!("s3-object-{S3_LARGE}"));
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == S3_LARGE) {
        return Ok(path);
    }
    let error = |e: std::io::Error| format!("{}: {e}", path.display());
    std::fs::create_dir_all(&ctx.target).map_err(error)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(error)?);
    let block: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 253) as u8).collect();
    for _ in 0..(S3_LARGE >> 20) {
        file.write_all(&block).map_err(error)?;
    }
    file.flush().map_err(error)?;
    Ok(path)
}

/// One `bench-harness transfer` run.
fn transfer_run(
    ctx: &Context,
    url: &str,
    client: &str,
    direction: &str,
    file: &Path,
) -> Result<Vec<(String, f64)>, String> {
    let file = file.to_string_lossy();
    harness_run(
        ctx,
        &[
            "transfer",
            "--client",
            client,
            "--direction",
            direction,
            "--file",
            &file,
            "--url",
            url,
        ],
        &format!("{client}, {direction}"),
    )
}

// ---------------------------------------------------------------------------------------------
// Deserialization (criterion)

fn deserialize(ctx: &mut Context) -> Result<(), String> {
    let (warm_up, measure) = if ctx.options.quick {
        ("1", "2")
    } else {
        ("2", "5")
    };
    run_quiet(bench_cargo(ctx, "bench").args([
        "-p",
        "bench-harness",
        "--bench",
        "deserialize",
        "--",
        "--noplot",
        "--warm-up-time",
        warm_up,
        "--measurement-time",
        measure,
    ]))?;
    let criterion = ctx.target.join("harness").join("criterion");
    let mut text = String::from(
        "## Response deserialization (criterion, median time per iteration)\n\n\
         The SDK's deserializers are private (`protocol_serde` is `pub(crate)`), so its closest \
         public path is a whole call against the local server answering with the pre-built body \
         (`sdk_full_call`); `ours_full_call` is the same for our client, `ours_from_json` is \
         `parse_body` + `GetHarvestJobOutput::from_json` alone.\n\n\
         | body | ours_from_json | ours_full_call | sdk_full_call | ours / SDK (full call) |\n\
         |---|---|---|---|---|\n",
    );
    for body in ["realistic", "1000_tags"] {
        let dir = criterion.join(format!("deserialize_{body}"));
        let [from_json, ours, sdk] = ["ours_from_json", "ours_full_call", "sdk_full_call"]
            .map(|bench| criterion_median(&dir.join(bench)));
        let _ = writeln!(
            text,
            "| {body} | {} | {} | {} | {} |",
            nanos(from_json),
            nanos(ours),
            nanos(sdk),
            ratio(ours, sdk)
        );
    }
    ctx.emit(&text);
    Ok(())
}

/// The median estimate (ns) in a criterion benchmark's `new/estimates.json`; 0 when missing.
fn criterion_median(dir: &Path) -> f64 {
    let text = std::fs::read_to_string(dir.join("new").join("estimates.json")).unwrap_or_default();
    let after_median = text.split("\"median\"").nth(1).unwrap_or_default();
    let after_estimate = after_median
        .split("\"point_estimate\":")
        .nth(1)
        .unwrap_or_default();
    after_estimate
        .split([',', '}'])
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Nanoseconds, in a readable unit.
fn nanos(ns: f64) -> String {
    match ns {
        _ if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        _ if ns >= 1e3 => format!("{:.1} µs", ns / 1e3),
        _ => format!("{ns:.0} ns"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn sdk_files_are_classified() {
        let ops = vec![
            "get_harvest_job".to_string(),
            "list_harvest_jobs".to_string(),
        ];
        let shapes = vec!["destination".to_string()];
        let role = |path| sdk_file_role(path, &ops, &shapes);
        assert_eq!(role("operation/get_harvest_job/builders.rs"), Role::Closure);
        assert_eq!(role("operation/list_harvest_jobs.rs"), Role::Other);
        assert_eq!(role("client/get_harvest_job.rs"), Role::Closure);
        assert_eq!(role("client/customize.rs"), Role::Infrastructure);
        assert_eq!(
            role("protocol_serde/shape_get_harvest_job_output.rs"),
            Role::Closure
        );
        assert_eq!(role("protocol_serde/shape_destination.rs"), Role::Closure);
        assert_eq!(role("protocol_serde/shape_channel.rs"), Role::Other);
        assert_eq!(role("types/builders/_destination.rs"), Role::Closure);
        assert_eq!(role("types/_channel.rs"), Role::Other);
        assert_eq!(role("config/endpoint.rs"), Role::Infrastructure);
        assert_eq!(role("lib.rs"), Role::Infrastructure);
    }

    #[test]
    fn criterion_estimates_are_read() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("new")).unwrap();
        std::fs::write(
            dir.join("new/estimates.json"),
            r#"{"mean":{"point_estimate":9.0},"median":{"confidence_interval":{"lower_bound":1.0},"point_estimate":1234.5,"standard_error":2.0}}"#,
        )
        .unwrap();
        assert_eq!(criterion_median(&dir), 1234.5);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
