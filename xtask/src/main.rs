//! Project chores: `cargo xtask regen [--check]` regenerates `generated/` from `model/` and the
//! runtime's credential-provider clients from `runtime/models/`;
//! `cargo xtask corpus` generates and compile-checks a client for every AWS model;
//! `cargo xtask bench [--quick]` runs the benchmarks against the AWS SDK (see `BENCHMARKS.md`);
//! `cargo xtask protocol-tests` runs the Smithy restJson1, awsJson1_0, awsJson1_1, restXml, awsQuery, ec2Query, rpcv2Cbor and rpcv2Json protocol
//! compliance tests and prints `<protocol> protocol tests: N passed, M failed, K skipped` for
//! each; `cargo xtask model-fuzz` compiles
//! seeded random models (`model fuzz: N models, N compiled, 0 failed`); `cargo xtask
//! codec-compare` measures the generated body codecs against the experimental schema-driven
//! ones (see `docs/codec-design.md`); `cargo xtask differential` compares our generated
//! serializers with botocore's on seeded random inputs.

mod bench;
mod codec_compare;
mod corpus;
mod differential;
mod model_fuzz;

use clap::{Parser, Subcommand};
use smithy_gen::{build, Files, Layout, Manifest, Settings};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

// Generation (regen, corpus, bench) allocates and frees many small token trees: mimalloc is
// markedly faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `model/` (the checked-in client).
    Regen {
        /// Do not write: exit non-zero, naming each file, when `generated/` is stale.
        #[arg(long)]
        check: bool,
    },
    /// Generate a crate for every model in models/aws of the reference data into target/corpus/<service>/
    /// and check them with clippy and rustdoc (a warning of rustc, clippy or rustdoc fails the service).
    Corpus {
        /// Only services of this protocol (e.g. restJson1, awsJson1_1, awsQuery, restXml).
        #[arg(long)]
        protocol: Option<String>,
        /// Only this service (file name without the version date, e.g. `iot`); repeatable.
        #[arg(long = "service")]
        services: Vec<String>,
        /// Add the fixed CI sample of 30 varied restJson1, awsJson, restXml and awsQuery services to `--service`.
        #[arg(long)]
        sample: bool,
        /// Parallel jobs for generation and for cargo (default: available cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// The model directory (default: models/aws of the reference data).
        #[arg(long)]
        models: Option<PathBuf>,
        /// The generated workspace (default: target/corpus in the workspace root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Generate only, do not compile-check.
        #[arg(long)]
        no_check: bool,
        /// Clippy only, no rustdoc pass (over the whole corpus rustdoc takes many times longer).
        #[arg(long)]
        no_doc: bool,
    },
    /// Benchmarks against aws-sdk-mediapackagev2 and aws-sdk-dynamodb (see BENCHMARKS.md).
    Bench {
        /// One run per measurement and shorter runtime benchmarks.
        #[arg(long)]
        quick: bool,
        /// Run only these sections (comma-separated: gen, loc, build, runtime, deser, dynamodb, s3,
        /// streams, services).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// The services of the `services` section (comma-separated: sqs, iam, dynamodb, s3, iot,
        /// quicksight; default all).
        #[arg(long, value_delimiter = ',')]
        services: Vec<String>,
    },
    /// Compare the generated body codecs with the experimental schema-driven ones on the whole
    /// MediaPackage v2 and IoT clients: lines, crate build and check time, calls/s.
    CodecCompare {
        /// Runs per build and check measurement.
        #[arg(long, default_value_t = 2)]
        runs: usize,
        /// Output directory (default: `codec-compare` under CARGO_TARGET_DIR, else target/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Generate and count lines only.
        #[arg(long)]
        no_build: bool,
        /// Skip the crate build and check measurements (lines and speed only).
        #[arg(long)]
        speed_only: bool,
    },
    /// Run the generated Smithy restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor and rpcv2Json
    /// protocol compliance tests (`integration-tests`, `tests/protocol_*.rs`) and print one
    /// summary line per protocol (per test file for rpcv2Cbor).
    ProtocolTests,
    /// Generate seeded random Smithy models in both layouts into target/model-fuzz/xtask and
    /// compile them with `cargo clippy -D warnings`; print every failing seed.
    ModelFuzz {
        /// How many models.
        #[arg(long, default_value_t = 500)]
        models: u64,
        /// The first seed (models use SEED..SEED+MODELS).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Parallel jobs for generation and cargo (default: available cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Models per generated crate.
        #[arg(long, default_value_t = 25)]
        per_crate: usize,
        /// Also run rustdoc with `-D warnings` over the generated crates.
        #[arg(long)]
        rustdoc: bool,
    },
    /// Compare the requests our generated clients serialize with botocore's on seeded random
    /// inputs, and the values both parse from seeded random responses; differences go to
    /// target/differential/differences.jsonl and response-differences.jsonl, known ones are
    /// listed in differential/deviations.json.
    Differential {
        /// Which phase: `request`, `response` or `both`.
        #[arg(long, default_value = "both")]
        phase: String,
        /// Only these protocols (comma-separated, e.g. restJson1,awsJson1_1).
        #[arg(long = "protocol", value_delimiter = ',')]
        protocols: Vec<String>,
        /// Random cases per operation.
        #[arg(long, default_value_t = 25)]
        cases: usize,
        /// Services (model file names without the date, or of differential/models; default:
        /// the sample).
        #[arg(long, value_delimiter = ',')]
        services: Vec<String>,
        /// Every model of the reference data and of differential/models (of the selected
        /// protocols), chunk by chunk: the full run.
        #[arg(long, conflicts_with = "services")]
        all: bool,
        /// Services generated and built at once (a full run goes chunk by chunk).
        #[arg(long, default_value_t = 20)]
        chunk: usize,
        /// The run's seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// At most this many operations per service (in model order).
        #[arg(long)]
        max_operations: Option<usize>,
        /// Nesting depth from which the random values leave optional members out (deeper
        /// reaches more members and makes bigger cases).
        #[arg(long, default_value_t = smithy_differential::values::MAX_DEPTH)]
        max_depth: usize,
        /// Parallel cargo jobs (default: available cores).
        #[arg(long)]
        jobs: Option<usize>,
    },
}

fn main() -> ExitCode {
    // `cargo xtask bench` runs cargo with this xtask as rustc's wrapper to read rustc's peak RSS.
    if let Some(record) = std::env::var_os(bench::services::WRAP_ENV) {
        return bench::services::wrap_rustc(&record);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen { check } => regen(check),
        Command::Bench {
            quick,
            only,
            services,
        } => bench::run(
            &workspace_root(),
            bench::Options {
                quick,
                only,
                services,
            },
        ),
        Command::ProtocolTests => protocol_tests(),
        Command::CodecCompare {
            runs,
            out,
            no_build,
            speed_only,
        } => codec_compare::run(
            &workspace_root(),
            &codec_compare::Options {
                runs,
                out,
                no_build,
                speed_only,
            },
        ),
        Command::ModelFuzz {
            models,
            seed,
            jobs,
            per_crate,
            rustdoc,
        } => model_fuzz::run(&model_fuzz::Args {
            models,
            seed,
            jobs: jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            per_crate,
            rustdoc,
        }),
        Command::Differential {
            phase,
            protocols,
            cases,
            services,
            all,
            chunk,
            seed,
            max_operations,
            max_depth,
            jobs,
        } => differential::run(differential::Args {
            phase,
            protocols,
            cases,
            services,
            all,
            chunk,
            seed,
            max_operations,
            max_depth,
            jobs: jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        }),
        Command::Corpus {
            protocol,
            mut services,
            sample,
            jobs,
            models,
            out,
            no_check,
            no_doc,
        } => {
            let root = workspace_root();
            if sample {
                services.extend(corpus::SAMPLE.iter().map(|s| s.to_string()));
            }
            corpus::run(&corpus::Options {
                models: models
                    .unwrap_or_else(|| reference_data::configured_root().join("models/aws")),
                // Absolute, because cargo's messages name manifests by absolute path and
                // diagnostics are matched to services by that prefix.
                out: out
                    .and_then(|dir| std::path::absolute(dir).ok())
                    .unwrap_or_else(|| root.join("target/corpus")),
                protocol,
                services,
                jobs: jobs
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
                no_check,
                no_doc,
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Settings for the checked-in client: every operation in `model/`, as a workspace crate.
fn generated_settings() -> Settings {
    Settings {
        manifest: Some(Manifest {
            package_name: "mediapackagev2".into(),
            runtime_dependency: "{ path = \"../runtime\" }".into(),
            extra_package_lines: vec![
                "publish = false".into(),
                "description = \"AWS Elemental MediaPackage v2 client generated from model/ by smithy-gen.\"".into(),
            ],
        }),
        ..Settings::default()
    }
}

/// The runtime's own clients for its credential providers: (model file under runtime/models,
/// service shape, generated file under runtime/src/credentials/generated). Single-file layout,
/// `include!`d by `runtime/src/credentials/clients.rs`.
const RUNTIME_CLIENTS: [(&str, &str, &str); 4] = [
    (
        "sts.smithy",
        "smithy_runtime.credentials.sts#SignedSts",
        "sts_signed.rs",
    ),
    (
        "sts.smithy",
        "smithy_runtime.credentials.sts#UnsignedSts",
        "sts_unsigned.rs",
    ),
    (
        "sso.smithy",
        "smithy_runtime.credentials.sso#SsoPortal",
        "sso.rs",
    ),
    (
        "sso_oidc.smithy",
        "smithy_runtime.credentials.sso_oidc#SsoOidc",
        "sso_oidc.rs",
    ),
];

fn regen(check: bool) -> Result<ExitCode, String> {
    let root = workspace_root();
    let started = Instant::now();
    let sources = build::read_sources(&[root.join("model")]).map_err(|e| e.to_string())?;
    let model = smithy_gen::load(&sources).map_err(|e| e.to_string())?;
    let files = smithy_gen::generate(&model, &generated_settings()).map_err(|e| e.to_string())?;
    let runtime_files = runtime_clients(&root)?;
    let elapsed = started.elapsed();
    let outputs = [
        ("generated/", root.join("generated"), &files),
        (
            "runtime/src/credentials/generated/",
            root.join("runtime/src/credentials/generated"),
            &runtime_files,
        ),
    ];
    if check {
        let mut fresh = true;
        for (name, out, files) in &outputs {
            let stale = build::stale_files(out, files);
            if stale.is_empty() {
                println!("{name} is up to date ({} files)", files.len());
            }
            for path in &stale {
                eprintln!("stale: {} (run `cargo xtask regen`)", path.display());
            }
            fresh &= stale.is_empty();
        }
        return Ok(if fresh {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let mut written = Vec::new();
    for (_, out, files) in &outputs {
        written.extend(build::write_files(out, files).map_err(|e| e.to_string())?);
    }
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "generated {} files from {} model file(s) in {:.1} ms ({} changed)",
        files.len() + runtime_files.len(),
        sources.len() + 3,
        elapsed.as_secs_f64() * 1000.0,
        written.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates [`RUNTIME_CLIENTS`], each as one file named as the table says.
fn runtime_clients(root: &Path) -> Result<Files, String> {
    let mut out = Files::new();
    for (model_file, service, file) in RUNTIME_CLIENTS {
        let path = root.join("runtime/models").join(model_file);
        let sources = build::read_sources(&[path]).map_err(|e| e.to_string())?;
        let model = smithy_gen::load(&sources).map_err(|e| format!("{model_file}: {e}"))?;
        let settings = Settings {
            service: Some(service.to_owned()),
            layout: Layout::SingleFile,
            ..Settings::default()
        };
        let generated =
            smithy_gen::generate(&model, &settings).map_err(|e| format!("{service}: {e}"))?;
        let code = generated
            .into_values()
            .next()
            .ok_or_else(|| format!("{service}: nothing generated"))?;
        out.insert(file.to_owned(), code);
    }
    Ok(out)
}

/// The protocol compliance test binaries of `integration-tests` and how their test names map
/// to protocols: every test of `protocol_restjson1` is restJson1; `protocol_aws_json`,
/// `protocol_rest_xml` and `protocol_rpc_v2` put each suite's services in a top-level module
/// named after it.
const PROTOCOL_SUITES: [(&str, &[(&str, &str)]); 5] = [
    ("protocol_restjson1", &[("", "restJson1")]),
    (
        "protocol_aws_json",
        &[
            ("aws_json1_0::", "awsJson1_0"),
            ("aws_json1_1::", "awsJson1_1"),
        ],
    ),
    (
        "protocol_rest_xml",
        &[
            ("rest_xml::", "restXml"),
            ("rest_xml_with_namespace::", "restXml (with namespace)"),
        ],
    ),
    (
        "protocol_query",
        &[("aws_query::", "awsQuery"), ("ec2_query::", "ec2Query")],
    ),
    (
        "protocol_rpc_v2",
        &[
            ("rpc_v2_cbor::", "rpcv2Cbor"),
            ("rpc_v2_cbor_aws::", "rpcv2Cbor (AWS query compatibility)"),
            ("rpc_v2_json::", "rpcv2Json"),
        ],
    ),
];

/// Runs the protocol compliance tests and prints, for each protocol,
/// `<protocol> protocol tests: N passed, M failed, K skipped` (ignored cases are the skipped
/// ones; failures and skips are named).
fn protocol_tests() -> Result<ExitCode, String> {
    let mut all_passed = true;
    for (test, protocols) in PROTOCOL_SUITES {
        let results = run_test_binary(test)?;
        for (prefix, protocol) in protocols {
            let (mut passed, mut failed, mut skipped) = (0, 0, 0);
            for (name, result) in results.iter().filter(|(n, _)| n.starts_with(prefix)) {
                match result.as_str() {
                    "ok" => passed += 1,
                    "FAILED" => {
                        failed += 1;
                        println!("failed: {name}");
                    }
                    r if r.starts_with("ignored") => {
                        skipped += 1;
                        println!("skipped: {name} ({r})");
                    }
                    _ => {}
                }
            }
            if passed + failed + skipped == 0 {
                return Err(format!("no {protocol} protocol tests ran in {test}"));
            }
            all_passed &= failed == 0;
            println!(
                "{protocol} protocol tests: {passed} passed, {failed} failed, {skipped} skipped"
            );
        }
    }
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `(test name, result)` of every test of one `integration-tests` test binary.
fn run_test_binary(test: &str) -> Result<Vec<(String, String)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "test",
            "-p",
            "integration-tests",
            "--test",
            test,
            "--",
            "--test-threads=1",
        ])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results: Vec<(String, String)> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.split_once(" ... "))
        .map(|(name, result)| (name.to_string(), result.to_string()))
        .collect();
    if results.is_empty() {
        print!("{stdout}");
        return Err(format!("the {test} tests did not run (build failure?)"));
    }
    Ok(results)
}
