//! The `services` section of `cargo xtask bench`: compile cost of whole-service crates, ours
//! against the AWS SDK for Rust's, for a table of services across the protocols (issue 19).
//!
//! For each service of [`SERVICES`] (or those named with `--services sqs,iam`):
//!
//! - **lines**: non-blank lines of the `.rs` files, our generated crate against the SDK crate's
//!   source as published;
//! - **build CPU** and **check CPU**: the crate alone, its dependencies prebuilt:
//!   `cargo clean -p <crate>` then `cargo build -p <crate>` / `cargo check -p <crate>`, debug,
//!   `CARGO_INCREMENTAL=0`; CPU is user + system time of cargo and every process it ran
//!   (`/proc/self/stat`'s children times, as the other crate-alone tables); median of the runs;
//! - **peak rustc RSS**: the largest resident set of the rustc process that compiled the crate
//!   in the timed `cargo build`, median of the runs. The xtask is its own `RUSTC_WRAPPER` for
//!   that: with [`WRAP_ENV`] set, `main` hands over to [`wrap_rustc`], which runs rustc as its
//!   only child, reads the child's `ru_maxrss` and appends `<crate name> <peak KiB>` to the
//!   file the variable names. A child's `ru_maxrss` covers the process from the fork on, and
//!   what is forked is the small wrapper, not cargo or the xtask, so the figure is rustc's.
//!
//! Our crates are generated, whole service, into one cargo workspace,
//! `bench/target/gen-services/<service>` (its `Cargo.lock` seeded from the main workspace's, so
//! the runtime's dependencies are the versions the project tests with). The SDK crates come
//! from `bench/programs/sdk-services`, one package depending on all six with their default
//! features, pinned by its committed `Cargo.lock` like the other SDK programs. Each side builds
//! into its own target directory under the bench target (`services-ours`, `services-sdk`).
//! Dependencies are prebuilt per crate with exactly the timed command (`-p` selects the
//! features cargo unifies, so another crate's prebuild would not do), and a timed run that
//! compiles more than the measured crate is reported under the table.
//!
//! The table goes to the report (and `BENCHMARKS.md`); the ratios ours / SDK also go to a bar
//! chart, `bench/target/compile-ratios.svg`, written from the same run ([`ratio_chart`]).

use super::{
    cargo, count_lines, medians, model_sources, ratio, run_quiet, sdk_source, sdk_version, seconds,
    timed, Context, SdkCrate, Timing,
};
use smithy_gen::{build, Manifest, Settings};
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// When set (to a file), the xtask acts as a `RUSTC_WRAPPER`: see [`wrap_rustc`].
pub(crate) const WRAP_ENV: &str = "SMITHY_BENCH_WRAP";

/// One service of the section.
#[derive(Clone, Copy, Debug)]
struct Service {
    /// Its `--services` name: the model file's name without the version date.
    name: &'static str,
    /// The protocol, for the table.
    protocol: &'static str,
    /// The model file, relative to the reference data.
    model: &'static str,
    /// The SDK crate.
    sdk: &'static str,
    /// Our generated package (and its directory under `bench/target/gen-services` is `name`).
    package: &'static str,
}

/// The services, cheapest first (so a partial run still gives the small rows).
const SERVICES: [Service; 6] = [
    Service {
        name: "sqs",
        protocol: "awsJson1_0",
        model: "models/aws/sqs-2012-11-05.json",
        sdk: "aws-sdk-sqs",
        package: "sqs-full",
    },
    Service {
        name: "iam",
        protocol: "awsQuery",
        model: "models/aws/iam-2010-05-08.json",
        sdk: "aws-sdk-iam",
        package: "iam-full",
    },
    Service {
        name: "dynamodb",
        protocol: "awsJson1_0",
        model: "models/aws/dynamodb-2012-08-10.json",
        sdk: "aws-sdk-dynamodb",
        package: "dynamodb-full",
    },
    Service {
        name: "s3",
        protocol: "restXml",
        model: "models/aws/s3-2006-03-01.json",
        sdk: "aws-sdk-s3",
        package: "s3-full",
    },
    Service {
        name: "iot",
        protocol: "restJson1",
        model: "models/aws/iot-2015-05-28.json",
        sdk: "aws-sdk-iot",
        package: "iot-full",
    },
    Service {
        name: "quicksight",
        protocol: "restJson1",
        model: "models/aws/quicksight-2018-04-01.json",
        sdk: "aws-sdk-quicksight",
        package: "quicksight-full",
    },
];

/// The program under `bench/programs` that depends on every SDK crate of [`SERVICES`].
const SDK_PROGRAM: &str = "sdk-services";

/// Where the chart goes, relative to `bench/`.
const CHART: &str = "target/compile-ratios.svg";

/// The services `names` selects (all when empty), in [`SERVICES`] order.
fn select(names: &[String]) -> Result<Vec<Service>, String> {
    if let Some(unknown) = names
        .iter()
        .find(|n| !SERVICES.iter().any(|s| s.name == n.as_str()))
    {
        let known: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
        return Err(format!("unknown service `{unknown}` (one of {known:?})"));
    }
    Ok(SERVICES
        .into_iter()
        .filter(|s| names.is_empty() || names.iter().any(|n| n == s.name))
        .collect())
}

/// Checks `--services` before anything is built, so a typo fails at once.
pub(crate) fn check_selection(names: &[String]) -> Result<(), String> {
    select(names).map(drop)
}

/// What the crate-alone runs of one crate measured.
#[derive(Default)]
struct Figures {
    build: Vec<Timing>,
    check: Vec<Timing>,
    /// The measured crate's rustc peak RSS in each timed build, KiB.
    peak_kib: Vec<u64>,
    /// The most crates one timed run compiled (1 when the dependencies were fresh).
    most_compiled: usize,
}

impl Figures {
    fn build_cpu(&self) -> f64 {
        medians(&self.build).cpu
    }

    fn check_cpu(&self) -> f64 {
        medians(&self.check).cpu
    }

    fn peak_kib(&self) -> f64 {
        let samples: Vec<f64> = self.peak_kib.iter().map(|&k| k as f64).collect();
        super::median(&samples)
    }
}

/// One side (ours or the SDK's) of one service: the crate, its workspace and target directory.
struct Side {
    /// The package, as `cargo -p` takes it.
    package: String,
    manifest: PathBuf,
    target: PathBuf,
    /// The wrapper's record file for this side.
    record: PathBuf,
}

impl Side {
    /// rustc's `--crate-name` for the package.
    fn crate_name(&self) -> String {
        self.package.replace('-', "_")
    }

    /// `cargo <subcommand> -p <package>` in this side's workspace and target directory, debug,
    /// incremental off, rustc run through the xtask as its wrapper.
    fn cargo(&self, subcommand: &str) -> Result<Command, String> {
        let wrapper = std::env::current_exe().map_err(|e| format!("the xtask's path: {e}"))?;
        let mut command = cargo();
        command
            .arg(subcommand)
            .arg("--manifest-path")
            .arg(&self.manifest)
            .args(["-p", &self.package])
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTC_WRAPPER", wrapper)
            .env(WRAP_ENV, &self.record);
        Ok(command)
    }

    /// Builds and checks the package once, untimed, so every dependency is fresh for exactly
    /// the commands the timed runs use.
    fn prebuild(&self) -> Result<(), String> {
        for subcommand in ["build", "check"] {
            run_quiet(&mut self.cargo(subcommand)?)?;
        }
        Ok(())
    }

    /// One timed `cargo clean -p` + `cargo build -p` and the same for `cargo check -p`.
    fn measure(&self, figures: &mut Figures) -> Result<(), String> {
        for build in [true, false] {
            run_quiet(&mut self.cargo("clean")?)?;
            std::fs::write(&self.record, "")
                .map_err(|e| format!("{}: {e}", self.record.display()))?;
            let (timing, stderr) =
                timed(&mut self.cargo(if build { "build" } else { "check" })?)?;
            let compiled = stderr
                .lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("Compiling ") || l.starts_with("Checking "))
                .count();
            figures.most_compiled = figures.most_compiled.max(compiled);
            if build {
                figures.build.push(timing);
                let record = std::fs::read_to_string(&self.record).unwrap_or_default();
                let peak = peak_of(&record, &self.crate_name()).ok_or_else(|| {
                    format!(
                        "no rustc of `{}` was recorded in {} (is RUSTC_WRAPPER honoured?)",
                        self.crate_name(),
                        self.record.display()
                    )
                })?;
                figures.peak_kib.push(peak);
            } else {
                figures.check.push(timing);
            }
        }
        Ok(())
    }
}

/// One measured service: its figures, or why it has none.
struct Row {
    service: Service,
    /// Non-blank lines, ours and the SDK's.
    lines: (usize, usize),
    /// Ours and the SDK's, or the failure.
    figures: Result<(Figures, Figures), String>,
}

/// Runs the section: generates our crates, measures both sides, adds the table to the report
/// and writes the chart.
pub(super) fn run(ctx: &mut Context) -> Result<(), String> {
    let services = select(&ctx.options.services)?;
    let generated = generate(ctx, &services)?;
    let sdk_manifest = ctx
        .bench()
        .join("programs")
        .join(SDK_PROGRAM)
        .join("Cargo.toml");
    run_quiet(
        cargo()
            .arg("fetch")
            .arg("--manifest-path")
            .arg(&sdk_manifest),
    )?;
    let ours_manifest = gen_root(ctx).join("Cargo.toml");
    let runs = ctx.options.runs();
    let mut rows = Vec::new();
    for (service, generation) in services.iter().zip(generated) {
        eprintln!("services: {}", service.name);
        let sdk = SdkCrate {
            name: service.sdk,
            program: SDK_PROGRAM,
        };
        let ours_lines = count_lines(&gen_root(ctx).join(service.name).join("src"));
        let sdk_lines = count_lines(&sdk_source(ctx, sdk)?);
        let figures = generation.and_then(|()| {
            let ours = Side {
                package: service.package.into(),
                manifest: ours_manifest.clone(),
                target: ctx.target.join("services-ours"),
                record: ctx.target.join("services-ours.rustc-peaks"),
            };
            let theirs = Side {
                package: service.sdk.into(),
                manifest: sdk_manifest.clone(),
                target: ctx.target.join("services-sdk"),
                record: ctx.target.join("services-sdk.rustc-peaks"),
            };
            measure(&ours, &theirs, runs)
        });
        rows.push(Row {
            service: *service,
            lines: (ours_lines, sdk_lines),
            figures,
        });
    }
    let versions = services
        .iter()
        .map(|s| {
            let sdk = SdkCrate {
                name: s.sdk,
                program: SDK_PROGRAM,
            };
            Ok(format!("{} {}", s.sdk, sdk_version(ctx, sdk)?))
        })
        .collect::<Result<Vec<_>, String>>()?;
    ctx.emit(&table(&rows, runs, &versions));
    let chart = ctx.bench().join(CHART);
    let title = format!(
        "ours / AWS SDK for Rust, whole-service crate alone ({})",
        rustc_version()
    );
    std::fs::write(&chart, ratio_chart(&title, &chart_rows(&rows)))
        .map_err(|e| format!("{}: {e}", chart.display()))?;
    eprintln!("chart written to {}", chart.display());
    Ok(())
}

/// Prebuilds both sides, then `runs` timed runs of each, interleaved (ours, then the SDK's, in
/// each run) so that a change in the machine's load falls on both.
fn measure(ours: &Side, theirs: &Side, runs: usize) -> Result<(Figures, Figures), String> {
    ours.prebuild()?;
    theirs.prebuild()?;
    let (mut mine, mut sdk) = (Figures::default(), Figures::default());
    for run in 0..runs {
        eprintln!("  run {} of {runs}", run + 1);
        ours.measure(&mut mine)?;
        theirs.measure(&mut sdk)?;
    }
    Ok((mine, sdk))
}

/// `bench/target/gen-services`, the workspace of our crates.
fn gen_root(ctx: &Context) -> PathBuf {
    ctx.bench().join("target").join("gen-services")
}

/// Generates our crate of every service into [`gen_root`] and writes the workspace manifest
/// naming those that generated. One result per service: a generation failure is that service's
/// row, not the section's end.
fn generate(ctx: &Context, services: &[Service]) -> Result<Vec<Result<(), String>>, String> {
    let root = gen_root(ctx);
    let results: Vec<Result<(), String>> = services
        .iter()
        .map(|service| generate_one(ctx, service, &root.join(service.name)))
        .collect();
    let members: Vec<String> = services
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_ok())
        .map(|(s, _)| format!("{:?}", s.name))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask bench --only services`: our whole-service crates, each built\n\
         # alone.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    let error = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    std::fs::create_dir_all(&root).map_err(|e| error(&root, e))?;
    let path = root.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| error(&path, e))?;
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        // Cargo drops what the generated crates do not use and keeps the versions of the rest.
        let main = ctx.root.join("Cargo.lock");
        std::fs::copy(&main, &lock).map_err(|e| error(&main, e))?;
    }
    Ok(results)
}

/// Generates one service's crate, whole service, into `dir` (emptied first, so that no file of
/// an older generation is counted or compiled).
fn generate_one(ctx: &Context, service: &Service, dir: &Path) -> Result<(), String> {
    let model = smithy_gen::load(&model_sources(ctx, service.model)?)
        .map_err(|e| format!("{}: {e}", service.model))?;
    let settings = Settings {
        manifest: Some(Manifest {
            package_name: service.package.to_string(),
            runtime_dependency: format!("{{ path = {:?} }}", ctx.root.join("runtime")),
            extra_package_lines: vec!["publish = false".into()],
        }),
        ..Settings::default()
    };
    let files = smithy_gen::generate(&model, &settings)
        .map_err(|e| format!("generating {}: {e}", service.name))?;
    let _ = std::fs::remove_dir_all(dir);
    build::write_files(dir, &files).map_err(|e| e.to_string())?;
    Ok(())
}

/// `rustc -V`, for the chart's title.
fn rustc_version() -> String {
    Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// `ours / SDK (ratio)` with `format` for the two figures.
fn pair(ours: f64, sdk: f64, format: fn(f64) -> String) -> String {
    format!("{} / {} ({})", format(ours), format(sdk), ratio(ours, sdk))
}

fn count(n: f64) -> String {
    format!("{n:.0}")
}

fn mebibytes(kib: f64) -> String {
    format!("{:.0} MiB", kib / 1024.0)
}

/// The Markdown table of the rows, with the notes on failures and on runs that compiled more
/// than the measured crate.
fn table(rows: &[Row], runs: usize, versions: &[String]) -> String {
    let mut text = format!(
        "## Whole-service crates alone, across protocols (dependencies prebuilt, debug, \
         incremental off; median of {runs})\n\n\
         Each cell: ours / SDK (ours / SDK as a ratio). Lines: non-blank, `.rs`. CPU: user + \
         system time of `cargo build -p` / `cargo check -p` after `cargo clean -p`, cargo and \
         every process it ran. Peak RSS: the rustc process that compiled the crate, in the timed \
         `cargo build`. SDK crates: {}.\n\n\
         | service | protocol | lines | build CPU | check CPU | peak rustc RSS |\n\
         |---|---|---|---|---|---|\n",
        versions.join(", ")
    );
    let mut notes = String::new();
    for row in rows {
        let (ours_lines, sdk_lines) = (row.lines.0 as f64, row.lines.1 as f64);
        let service = row.service;
        match &row.figures {
            Ok((ours, sdk)) => {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {} | {} |",
                    service.name,
                    service.protocol,
                    pair(ours_lines, sdk_lines, count),
                    pair(ours.build_cpu(), sdk.build_cpu(), seconds),
                    pair(ours.check_cpu(), sdk.check_cpu(), seconds),
                    pair(ours.peak_kib(), sdk.peak_kib(), mebibytes),
                );
                for (side, figures) in [(service.package, ours), (service.sdk, sdk)] {
                    if figures.most_compiled > 1 {
                        let _ = writeln!(
                            notes,
                            "- `{side}`: a timed run compiled {} crates (its dependencies were \
                             not all fresh), so its times include more than the crate.",
                            figures.most_compiled
                        );
                    }
                }
            }
            Err(error) => {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | failed | failed | failed |",
                    service.name,
                    service.protocol,
                    pair(ours_lines, sdk_lines, count),
                );
                let _ = writeln!(
                    notes,
                    "- **{}** failed:\n\n```text\n{error}\n```",
                    service.name
                );
            }
        }
    }
    if !notes.is_empty() {
        text.push('\n');
        text.push_str(&notes);
    }
    text
}

/// The chart's bars of each row, in [`METRICS`] order.
fn chart_rows(rows: &[Row]) -> Vec<ChartRow> {
    rows.iter()
        .map(|row| {
            let of = |ours: f64, sdk: f64| (ours > 0.0 && sdk > 0.0).then(|| ours / sdk);
            let lines = of(row.lines.0 as f64, row.lines.1 as f64);
            let ratios = match &row.figures {
                Ok((ours, sdk)) => [
                    of(ours.build_cpu(), sdk.build_cpu()),
                    of(ours.check_cpu(), sdk.check_cpu()),
                    lines,
                    of(ours.peak_kib(), sdk.peak_kib()),
                ],
                Err(_) => [None, None, lines, None],
            };
            ChartRow {
                label: format!("{} ({})", row.service.name, row.service.protocol),
                ratios,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The chart

/// The chart's metrics, in bar order: (legend, colour).
const METRICS: [(&str, &str); 4] = [
    ("build CPU", "#1f77b4"),
    ("check CPU", "#2ca02c"),
    ("lines", "#ff7f0e"),
    ("peak rustc RSS", "#9467bd"),
];

/// The ratio the project aims at (issue 19), drawn as a dashed line.
const TARGET: f64 = 0.2;

/// One group of bars: a service and its ratios ours / SDK in [`METRICS`] order (`None`: not
/// measured, drawn as `n/a`).
struct ChartRow {
    label: String,
    ratios: [Option<f64>; 4],
}

/// Escapes text for an SVG text node or attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart, as SVG text: one group of bars per row (one bar per measured ratio),
/// a legend, an axis of ratios with grid lines, a solid line at 1.0 (the SDK) and a dashed one at
/// [`TARGET`].
fn ratio_chart(title: &str, rows: &[ChartRow]) -> String {
    const LEFT: f64 = 170.0;
    const PLOT: f64 = 520.0;
    const TOP: f64 = 64.0;
    const BAR: f64 = 13.0;
    const GAP: f64 = 2.0;
    const GROUP_GAP: f64 = 14.0;
    let largest = rows
        .iter()
        .flat_map(|r| r.ratios.iter().flatten())
        .fold(1.0_f64, |a, &b| a.max(b));
    let step = if largest <= 1.5 {
        0.2
    } else if largest <= 4.0 {
        0.5
    } else {
        (largest / 8.0).ceil()
    };
    let axis_max = ((largest * 1.05) / step).ceil() * step;
    let x = |ratio: f64| LEFT + PLOT * ratio / axis_max;
    let group = METRICS.len() as f64 * (BAR + GAP) - GAP;
    let plot_bottom = TOP + rows.len() as f64 * (group + GROUP_GAP);
    let height = plot_bottom + 40.0;
    let width = LEFT + PLOT + 70.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        escape(title)
    );
    let mut legend_x = 10.0;
    for (name, colour) in METRICS {
        let _ = writeln!(
            svg,
            "<rect class=\"legend\" x=\"{legend_x:.1}\" y=\"32\" width=\"12\" height=\"12\" \
             fill=\"{colour}\"/><text x=\"{:.1}\" y=\"42\">{name}</text>",
            legend_x + 16.0
        );
        legend_x += 30.0 + 7.0 * name.len() as f64;
    }
    let ticks = (axis_max / step).round() as usize;
    for i in 0..=ticks {
        let value = i as f64 * step;
        let _ = writeln!(
            svg,
            "<line class=\"grid\" x1=\"{0:.1}\" y1=\"{TOP:.1}\" x2=\"{0:.1}\" y2=\"{plot_bottom:.1}\" \
             stroke=\"#ddd\"/><text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\" \
             fill=\"#555\">{value:.1}</text>",
            x(value),
            plot_bottom + 14.0
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">ours / SDK \
         (below 1.0: ours is smaller or faster)</text>",
        LEFT + PLOT / 2.0,
        plot_bottom + 32.0
    );
    for (i, row) in rows.iter().enumerate() {
        let top = TOP + i as f64 * (group + GROUP_GAP);
        let _ = writeln!(
            svg,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 8.0,
            top + group / 2.0 + 4.0,
            escape(&row.label)
        );
        for (j, (value, (metric, colour))) in row.ratios.iter().zip(METRICS).enumerate() {
            let y = top + j as f64 * (BAR + GAP);
            match value {
                Some(value) => {
                    let _ = writeln!(
                        svg,
                        "<rect class=\"bar\" x=\"{LEFT:.1}\" y=\"{y:.1}\" width=\"{:.1}\" \
                         height=\"{BAR:.1}\" fill=\"{colour}\"><title>{}: {metric} \
                         {value:.2}x</title></rect><text x=\"{:.1}\" y=\"{:.1}\" \
                         font-size=\"10\">{value:.2}x</text>",
                        x(*value) - LEFT,
                        escape(&row.label),
                        x(*value) + 4.0,
                        y + BAR - 3.0
                    );
                }
                None => {
                    let _ = writeln!(
                        svg,
                        "<text class=\"missing\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" \
                         fill=\"#888\">{metric}: n/a</text>",
                        LEFT + 4.0,
                        y + BAR - 3.0
                    );
                }
            }
        }
    }
    for (value, label, dash) in [(1.0, "1.0 = SDK", ""), (TARGET, "0.2 target", "5,4")] {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            svg,
            "<line class=\"reference\" x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" \
             y2=\"{plot_bottom:.1}\" stroke=\"#c00\" stroke-width=\"1.5\"{dash}/>\
             <text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\" fill=\"#c00\">{label}</text>",
            x(value),
            TOP - 6.0,
            TOP - 9.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

// ---------------------------------------------------------------------------------------------
// rustc wrapper

/// The largest peak (KiB) recorded for `crate_name` in a wrapper record (`name peak` lines).
fn peak_of(record: &str, crate_name: &str) -> Option<u64> {
    record
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter(|(name, _)| *name == crate_name)
        .filter_map(|(_, peak)| peak.trim().parse().ok())
        .max()
}

/// The value of rustc's `--crate-name` in `args`.
fn crate_name(args: &[OsString]) -> Option<String> {
    let position = args.iter().position(|a| a == "--crate-name")?;
    args.get(position + 1)
        .map(|name| name.to_string_lossy().into_owned())
}

/// The xtask as a `RUSTC_WRAPPER` (cargo runs it as `xtask <rustc> <args>`): runs rustc with the
/// args as its only child, appends `<crate name> <peak RSS KiB>` to `record` when rustc was
/// given a crate name, and exits with rustc's status. Output and input are rustc's own
/// (inherited), so cargo sees what it would without the wrapper.
pub(crate) fn wrap_rustc(record: &OsStr) -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("{WRAP_ENV} is set, so xtask expects to be run as `xtask <rustc> <args>`");
        return ExitCode::FAILURE;
    };
    let args: Vec<OsString> = args.collect();
    let status = match Command::new(&rustc).args(&args).status() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("xtask (rustc wrapper): cannot run {rustc:?}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(name) = crate_name(&args) {
        if let Err(e) = append_record(record, &name, children_peak_kib()) {
            eprintln!(
                "xtask (rustc wrapper): {}: {e}",
                Path::new(record).display()
            );
            return ExitCode::FAILURE;
        }
    }
    exit_code(status)
}

/// Appends one `name peak` line; one `write` of a short line on an `O_APPEND` file, so lines of
/// rustc processes cargo runs in parallel do not interleave.
fn append_record(record: &OsStr, name: &str, peak_kib: u64) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(record)?;
    file.write_all(format!("{name} {peak_kib}\n").as_bytes())
}

/// The largest peak RSS of the waited-for children, KiB (`ru_maxrss` of `RUSAGE_CHILDREN`).
#[cfg(unix)]
fn children_peak_kib() -> u64 {
    // SAFETY: `getrusage` only writes the `rusage` it is given, which is plain data that may
    // start zeroed.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) != 0 {
            return 0;
        }
        usage
    };
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    // macOS reports bytes, Linux and the BSDs kilobytes.
    if cfg!(target_os = "macos") {
        peak / 1024
    } else {
        peak
    }
}

/// No `getrusage`: no figure (the bench then reports that nothing was recorded).
#[cfg(not(unix))]
fn children_peak_kib() -> u64 {
    0
}

/// rustc's exit status as ours: its code, or 128 + the signal that ended it.
fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = status.signal() {
            return ExitCode::from(128u8.saturating_add(signal as u8));
        }
    }
    match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    /// The elements of an SVG document, as (name, attributes) in document order, failing the
    /// test on anything that is not well-formed XML with a single `svg` root.
    fn elements(svg: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut reader = quick_xml::Reader::from_str(svg);
        let (mut depth, mut roots, mut found) = (0usize, 0usize, Vec::new());
        loop {
            let event = reader.read_event().expect("well-formed XML");
            let (start, opens) = match &event {
                Event::Start(start) => (start, true),
                Event::Empty(start) => (start, false),
                Event::End(_) => {
                    depth = depth.checked_sub(1).expect("an end tag without a start");
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if depth == 0 {
                roots += 1;
                assert_eq!(start.name().as_ref(), "svg");
            }
            let name = start.name().as_ref().to_string();
            let attributes = start
                .attributes()
                .map(|a| {
                    let a = a.expect("a well-formed attribute");
                    let key = a.key.as_ref().to_string();
                    (key, a.value.into_owned())
                })
                .collect();
            found.push((name, attributes));
            if opens {
                depth += 1;
            }
        }
        assert_eq!(depth, 0, "the document ends inside an element");
        assert_eq!(roots, 1);
        found
    }

    fn with_class<'a>(
        elements: &'a [(String, Vec<(String, String)>)],
        class: &str,
    ) -> Vec<&'a [(String, String)]> {
        elements
            .iter()
            .filter(|(_, attributes)| attributes.iter().any(|(k, v)| k == "class" && v == class))
            .map(|(_, attributes)| attributes.as_slice())
            .collect()
    }

    fn attribute(attributes: &[(String, String)], key: &str) -> f64 {
        attributes
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("no numeric {key}"))
    }

    fn rows() -> Vec<ChartRow> {
        vec![
            ChartRow {
                label: "sqs (awsJson1_0)".into(),
                ratios: [Some(0.5), Some(0.25), Some(0.3), Some(0.8)],
            },
            ChartRow {
                label: "s3 <restXml> & co".into(),
                ratios: [None, None, Some(1.6), None],
            },
        ]
    }

    #[test]
    fn the_chart_is_well_formed_with_one_bar_per_value() {
        let svg = ratio_chart("ours / SDK", &rows());
        let elements = elements(&svg);
        let bars = with_class(&elements, "bar");
        assert_eq!(bars.len(), 5);
        // Widths are proportional to the ratios: 0.5 is twice 0.25, 1.6 is 3.2 times 0.5.
        let widths: Vec<f64> = bars.iter().map(|b| attribute(b, "width")).collect();
        assert!((widths[0] / widths[1] - 2.0).abs() < 0.01, "{widths:?}");
        assert!((widths[4] / widths[0] - 3.2).abs() < 0.01, "{widths:?}");
        // Every bar starts at the axis, and none runs past the axis's end.
        let left = attribute(bars[0], "x");
        let grid_x: Vec<f64> = with_class(&elements, "grid")
            .iter()
            .map(|g| attribute(g, "x1"))
            .collect();
        let right = grid_x.iter().cloned().fold(f64::MIN, f64::max);
        assert_eq!(grid_x[0], left);
        for bar in &bars {
            assert_eq!(attribute(bar, "x"), left);
            assert!(left + attribute(bar, "width") <= right + 0.1);
        }
        assert_eq!(with_class(&elements, "missing").len(), 3);
        assert_eq!(with_class(&elements, "label").len(), 2);
        assert_eq!(with_class(&elements, "legend").len(), METRICS.len());
        // The lines at the SDK (1.0) and at the target (0.2), in proportion.
        let reference: Vec<f64> = with_class(&elements, "reference")
            .iter()
            .map(|l| attribute(l, "x1") - left)
            .collect();
        assert_eq!(reference.len(), 2);
        assert!(
            (reference[0] / reference[1] - 5.0).abs() < 0.01,
            "{reference:?}"
        );
    }

    #[test]
    fn the_chart_has_its_labels() {
        let svg = ratio_chart("ours / SDK & more", &rows());
        for text in [
            ">ours / SDK &amp; more<",
            ">sqs (awsJson1_0)<",
            ">s3 &lt;restXml&gt; &amp; co<",
            ">build CPU<",
            ">check CPU<",
            ">lines<",
            ">peak rustc RSS<",
            ">0.50x<",
            ">1.60x<",
            ">1.0 = SDK<",
            ">0.2 target<",
            ">build CPU: n/a<",
            ">ours / SDK (below 1.0: ours is smaller or faster)<",
        ] {
            assert!(svg.contains(text), "{text} missing from\n{svg}");
        }
    }

    #[test]
    fn an_empty_chart_is_still_a_document() {
        let svg = ratio_chart("nothing", &[]);
        let elements = elements(&svg);
        assert!(with_class(&elements, "bar").is_empty());
        assert_eq!(with_class(&elements, "reference").len(), 2);
    }

    #[test]
    fn the_wrapper_record_gives_the_crates_largest_peak() {
        let record = "build_script_build 20000\nsqs_full 51234\nsmithy_runtime 9\nsqs_full 61000\n\
                      sqs_full_extra 99999\n";
        assert_eq!(peak_of(record, "sqs_full"), Some(61000));
        assert_eq!(peak_of(record, "aws_sdk_sqs"), None);
    }

    #[test]
    fn the_crate_name_is_read_from_rustcs_arguments() {
        let args: Vec<OsString> = ["--edition=2021", "--crate-name", "sqs_full", "src/lib.rs"]
            .into_iter()
            .map(OsString::from)
            .collect();
        assert_eq!(crate_name(&args).as_deref(), Some("sqs_full"));
        assert_eq!(crate_name(&args[..1]), None);
    }

    #[test]
    fn services_are_selected_in_table_order() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let picked = select(&names(&["s3", "sqs"])).unwrap();
        let picked: Vec<&str> = picked.iter().map(|s| s.name).collect();
        assert_eq!(picked, ["sqs", "s3"]);
        assert_eq!(select(&[]).unwrap().len(), SERVICES.len());
        assert!(select(&names(&["sqs", "ec2"])).unwrap_err().contains("ec2"));
    }

    #[test]
    fn every_services_model_and_sdk_crate_exist() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../bench/programs")
            .join(SDK_PROGRAM)
            .join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest).unwrap();
        for service in SERVICES {
            assert!(
                manifest.contains(&format!("\n{} = ", service.sdk)),
                "{} is not a dependency of {SDK_PROGRAM}",
                service.sdk
            );
            assert!(service.model.contains(&format!("/{}-", service.name)));
        }
    }
}
