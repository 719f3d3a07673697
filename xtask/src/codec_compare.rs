//! `cargo xtask codec-compare [--runs N]`: the generated body codecs (the default) against the
//! experimental schema-driven ones (`CodecStyle::Schema`), on the whole MediaPackage v2 and
//! IoT clients, printed as the Markdown table of `docs/codec-design.md`.
//!
//! For each service and style it generates the whole client into
//! `<out>/<service>-<style>` (one workspace, `<out>/target` its target directory; `<out>`
//! defaults to `codec-compare` under `CARGO_TARGET_DIR`, else `target/`) and measures:
//! - non-blank generated lines;
//! - the crate alone, its dependencies prebuilt: `cargo clean -p` then `cargo build -p`, and the
//!   same with `cargo check -p` (debug, `CARGO_INCREMENTAL=0`), CPU (user + system of cargo and
//!   rustc) and wall time, median of `--runs`; and whether rustc warned;
//! - calls/s of a representative response body read (bytes to output value, as the generated
//!   `parse_response` does) and request body written (input to JSON text), in one release
//!   program (`<out>/speed`) over crates generated with only those operations: a shape's codec
//!   is the same whatever else is generated. The program also checks that both styles read
//!   the bodies into identical values and write identical JSON.

use smithy_gen::{build, CodecStyle, Manifest, Settings};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Command-line options.
pub struct Options {
    /// Runs per build and check measurement.
    pub runs: usize,
    /// The output directory.
    pub out: Option<PathBuf>,
    /// Generate and count lines only.
    pub no_build: bool,
    /// Skip the crate build and check measurements (lines and speed only).
    pub speed_only: bool,
}

/// A service compared: its model, the operations of the speed program, and that program's
/// code for one crate (`$c` is the crate; it defines `read(&[u8])` and `write(&Output)`).
struct Service {
    name: &'static str,
    model: &'static str,
    speed_operations: [&'static str; 2],
    speed_code: &'static str,
}

const SERVICES: [Service; 2] = [
    Service {
        name: "mediapackagev2",
        model: "models/aws/mediapackagev2-2022-12-25.json",
        speed_operations: ["GetHarvestJob", "CreateHarvestJob"],
        speed_code: MEDIAPACKAGEV2_SPEED,
    },
    Service {
        name: "iot",
        model: "models/aws/iot-2015-05-28.json",
        speed_operations: ["DescribeJob", "CreateJob"],
        speed_code: IOT_SPEED,
    },
];

const STYLES: [(CodecStyle, &str); 2] = [
    (CodecStyle::Generated, "generated"),
    (CodecStyle::Schema, "schema"),
];

/// The speed module of MediaPackage v2: a GetHarvestJob response read, and a CreateHarvestJob
/// request built from it written.
const MEDIAPACKAGEV2_SPEED: &str = r###"
    use smithy_runtime::json::{FromJson, ToJson};
    pub const BODY: &str = r##"{"ChannelGroupName":"exampleChannelGroup","ChannelName":"exampleChannelName","OriginEndpointName":"exampleOriginEndpointName","Destination":{"S3Destination":{"BucketName":"harvestJobS3DestinationBucket","DestinationPath":"manifests"}},"HarvestJobName":"HarvestJobName","HarvestedManifests":{"HlsManifests":[{"ManifestName":"HlsManifest"}],"DashManifests":[{"ManifestName":"DashManifest"}],"LowLatencyHlsManifests":[{"ManifestName":"LowLatencyHlsManifest"}]},"Description":"Example HarvestJob description","ScheduleConfiguration":{"StartTime":1716876000,"EndTime":1716897600.5},"Arn":"arn:aws:mediapackagev2:us-west-2:123456789012:channelGroup/exampleChannelGroup/channel/exampleChannelName/originEndpoint/exampleOriginEndpointName/harvestJob/HarvestJobName","CreatedAt":1716888960,"ModifiedAt":1716888960,"Status":"QUEUED","ErrorMessage":"none yet","ETag":"GlfT+dwAyGIR4wuy8nKWl1RDPwSrjQej9qUutLZxoxk=","Tags":{"team":"media","env":"prod"}}"##;
    pub type Output = $c::operation::get_harvest_job::GetHarvestJobOutput;
    pub fn read(body: &[u8]) -> Output {
        let value = smithy_runtime::json::parse_body(body).expect("JSON");
        Output::from_json(value).expect("a GetHarvestJob output")
    }
    pub fn request(out: &Output) -> $c::operation::create_harvest_job::CreateHarvestJobInput {
        $c::operation::create_harvest_job::CreateHarvestJobInput::builder()
            .channel_group_name(out.channel_group_name.clone())
            .channel_name(out.channel_name.clone())
            .origin_endpoint_name(out.origin_endpoint_name.clone())
            .set_description(out.description.clone())
            .set_harvested_manifests(out.harvested_manifests.clone())
            .set_schedule_configuration(out.schedule_configuration.clone())
            .set_destination(out.destination.clone())
            .client_token("token-1")
            .harvest_job_name(out.harvest_job_name.clone())
            .set_tags(out.tags.clone())
            .build()
            .expect("an input")
    }
    pub fn write(input: &$c::operation::create_harvest_job::CreateHarvestJobInput) -> String {
        input.to_json().to_string()
    }
"###;

/// The speed module of IoT: a DescribeJob response read, and a CreateJob request built from
/// it written.
const IOT_SPEED: &str = r###"
    use smithy_runtime::json::{FromJson, ToJson};
    pub const BODY: &str = r##"{"documentSource":"https://s3.amazonaws.com/bucket/job-document.json","job":{"jobArn":"arn:aws:iot:us-west-2:123456789012:job/firmware-update-42","jobId":"firmware-update-42","targetSelection":"SNAPSHOT","status":"IN_PROGRESS","forceCanceled":false,"comment":"rolling out","targets":["arn:aws:iot:us-west-2:123456789012:thinggroup/fleet-a","arn:aws:iot:us-west-2:123456789012:thing/device-0001"],"description":"Firmware 4.2 rollout","presignedUrlConfig":{"roleArn":"arn:aws:iam::123456789012:role/iot-s3","expiresInSec":3600},"jobExecutionsRolloutConfig":{"maximumPerMinute":100,"exponentialRate":{"baseRatePerMinute":10,"incrementFactor":1.5,"rateIncreaseCriteria":{"numberOfNotifiedThings":50}}},"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":25.5,"minNumberOfExecutedThings":10},{"failureType":"TIMED_OUT","action":"CANCEL","thresholdPercentage":40,"minNumberOfExecutedThings":20}]},"createdAt":1716876000,"lastUpdatedAt":1716897600.5,"jobProcessDetails":{"processingTargets":["arn:aws:iot:us-west-2:123456789012:thinggroup/fleet-a"],"numberOfCanceledThings":0,"numberOfSucceededThings":120,"numberOfFailedThings":3,"numberOfRejectedThings":0,"numberOfQueuedThings":40,"numberOfInProgressThings":12,"numberOfRemovedThings":0,"numberOfTimedOutThings":1},"timeoutConfig":{"inProgressTimeoutInMinutes":60},"namespaceId":"aws","jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"FAILED","numberOfRetries":2}]},"documentParameters":{"version":"4.2.0","channel":"stable"},"isConcurrent":true,"schedulingConfig":{"startTime":"2026-12-01T10:00","endTime":"2026-12-02T10:00","endBehavior":"STOP_ROLLOUT","maintenanceWindows":[{"startTime":"cron(0 2 * * ? *)","durationInMinutes":120}]},"scheduledJobRollouts":[{"startTime":"2026-12-01T12:00"}],"destinationPackageVersions":["arn:aws:iot:us-west-2:123456789012:package/fw/version/4.2.0"]}}"##;
    pub type Output = $c::operation::describe_job::DescribeJobOutput;
    pub fn read(body: &[u8]) -> Output {
        let value = smithy_runtime::json::parse_body(body).expect("JSON");
        Output::from_json(value).expect("a DescribeJob output")
    }
    pub fn request(out: &Output) -> $c::operation::create_job::CreateJobInput {
        let job = out.job.clone().expect("a job");
        $c::operation::create_job::CreateJobInput::builder()
            .job_id("firmware-update-43")
            .set_targets(job.targets)
            .document("{\"operation\":\"update\"}")
            .set_description(job.description)
            .set_presigned_url_config(job.presigned_url_config)
            .set_target_selection(job.target_selection)
            .set_job_executions_rollout_config(job.job_executions_rollout_config)
            .set_abort_config(job.abort_config)
            .set_timeout_config(job.timeout_config)
            .tags($c::types::Tag::builder().key("team").value("fleet").build().expect("a tag"))
            .set_job_executions_retry_config(job.job_executions_retry_config)
            .set_document_parameters(job.document_parameters)
            .set_scheduling_config(job.scheduling_config)
            .set_destination_package_versions(job.destination_package_versions)
            .build()
            .expect("an input")
    }
    pub fn write(input: &$c::operation::create_job::CreateJobInput) -> String {
        input.to_json().to_string()
    }
"###;

/// The speed program's loop, the same for every crate: the median of 5 one-second rounds.
const SPEED_MAIN: &str = r#"
use std::hint::black_box;
use std::time::{Duration, Instant};

fn calls_per_second(mut call: impl FnMut()) -> f64 {
    let mut rounds = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let mut calls = 0u64;
        while started.elapsed() < Duration::from_secs(1) {
            for _ in 0..100 {
                call();
            }
            calls += 100;
        }
        rounds.push(calls as f64 / started.elapsed().as_secs_f64());
    }
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}

/// Debug texts equal up to `HashMap` iteration order (which differs between any two maps):
/// the same characters. The request JSON, built from the value with map keys sorted, is
/// compared exactly.
fn same_value(a: &str, b: &str) -> bool {
    let mut a: Vec<char> = a.chars().collect();
    let mut b: Vec<char> = b.chars().collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

macro_rules! measure {
    ($service:literal, $style:literal, $m:ident) => {{
        let output = $m::read($m::BODY.as_bytes());
        let input = $m::request(&output);
        let read = calls_per_second(|| {
            black_box($m::read(black_box($m::BODY.as_bytes())));
        });
        let write = calls_per_second(|| {
            black_box($m::write(black_box(&input)));
        });
        println!("speed {} {} {:.0} {:.0}", $service, $style, read, write);
        (format!("{output:?}"), $m::write(&input))
    }};
}
"#;

/// Runs the comparison and prints the table.
pub fn run(root: &Path, options: &Options) -> Result<ExitCode, String> {
    let out = options.out.clone().unwrap_or_else(|| default_out(root));
    let shared = reference_data::configured_root();
    let mut rows = Vec::new();
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    write_workspace(&out)?;
    for service in &SERVICES {
        let sources =
            build::read_sources(&[shared.join(service.model)]).map_err(|e| e.to_string())?;
        let model = smithy_gen::load(&sources).map_err(|e| e.to_string())?;
        for (style, label) in STYLES {
            let dir = format!("{}-{label}", service.name);
            let files = generate(root, &model, &dir, style, None)?;
            write_crate(&out.join(&dir), files)?;
            let speed_dir = format!("speed-{}-{label}", service.name);
            let ops = service
                .speed_operations
                .iter()
                .map(|s| s.to_string())
                .collect();
            let files = generate(root, &model, &speed_dir, style, Some(ops))?;
            write_crate(&out.join(&speed_dir), files)?;
            rows.push(Row {
                service: service.name,
                style: label,
                package: dir.clone(),
                lines: count_lines(&out.join(&dir)),
                ..Row::default()
            });
        }
    }
    write_speed_program(&out)?;
    if !options.no_build {
        if !options.speed_only {
            prebuild(&out)?;
            for row in &mut rows {
                measure_crate(&out, row, options.runs)?;
            }
        }
        let speeds = measure_speed(&out)?;
        for row in &mut rows {
            if let Some((read, write)) =
                speeds.get(&(row.service.to_string(), row.style.to_string()))
            {
                row.read_per_s = *read;
                row.write_per_s = *write;
            }
        }
    }
    println!("{}", table(&rows, options.runs));
    Ok(ExitCode::SUCCESS)
}

fn default_out(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("codec-compare")
}

/// One service in one style.
#[derive(Default)]
struct Row {
    service: &'static str,
    style: &'static str,
    package: String,
    lines: usize,
    build: Vec<Timing>,
    check: Vec<Timing>,
    warnings: usize,
    read_per_s: f64,
    write_per_s: f64,
}

fn generate(
    root: &Path,
    model: &smithy_gen::model::Model,
    package: &str,
    codec: CodecStyle,
    operations: Option<Vec<String>>,
) -> Result<smithy_gen::Files, String> {
    let settings = Settings {
        operations,
        codec,
        manifest: Some(Manifest {
            package_name: package.to_string(),
            runtime_dependency: format!("{{ path = {:?} }}", root.join("runtime")),
            extra_package_lines: vec!["publish = false".into()],
        }),
        ..Settings::default()
    };
    smithy_gen::generate(model, &settings).map_err(|e| format!("{package}: {e}"))
}

fn write_crate(dir: &Path, files: smithy_gen::Files) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    build::write_files(dir, &files).map_err(|e| e.to_string())?;
    Ok(())
}

/// The workspace of every generated crate and the speed program, with its own target
/// directory (the speed program in release with one codegen unit, like a real benchmark).
fn write_workspace(out: &Path) -> Result<(), String> {
    let mut members = Vec::new();
    for service in &SERVICES {
        for (_, label) in STYLES {
            members.push(format!("\"{}-{label}\"", service.name));
            members.push(format!("\"speed-{}-{label}\"", service.name));
        }
    }
    members.push("\"speed\"".into());
    let manifest = format!(
        "# Written by `cargo xtask codec-compare`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.release]\ncodegen-units = 1\n",
        members.join(", ")
    );
    write(&out.join("Cargo.toml"), &manifest)
}

/// `speed/`: one module per service and style, all with the same code.
fn write_speed_program(out: &Path) -> Result<(), String> {
    let mut deps = String::new();
    let mut modules = String::new();
    let mut calls = String::new();
    for service in &SERVICES {
        for (_, label) in STYLES {
            let package = format!("speed-{}-{label}", service.name);
            let krate = package.replace('-', "_");
            let module = format!("{}_{label}", service.name);
            writeln!(deps, "{package} = {{ path = \"../{package}\" }}").ok();
            let code = service.speed_code.replace("$c", &format!("::{krate}"));
            writeln!(modules, "mod {module} {{{code}}}").ok();
            writeln!(
                calls,
                "    results.push(({:?}, measure!({:?}, {label:?}, {module})));",
                service.name, service.name
            )
            .ok();
        }
    }
    let main = format!(
        "//! Written by `cargo xtask codec-compare`.\n{SPEED_MAIN}\n{modules}\n\
         fn main() {{\n    let mut results: Vec<(&str, (String, String))> = Vec::new();\n{calls}\
         \x20   for pair in results.chunks(2) {{\n\
         \x20       let same = same_value(&pair[0].1 .0, &pair[1].1 .0) && pair[0].1 .1 == pair[1].1 .1;\n\
         \x20       println!(\"identical {{}} {{}}\", pair[0].0, same);\n\
         \x20   }}\n}}\n"
    );
    let manifest = format!(
        "[package]\nname = \"speed\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nsmithy-runtime = {{ path = {:?} }}\n{deps}",
        super::workspace_root().join("runtime")
    );
    write(&out.join("speed/Cargo.toml"), &manifest)?;
    write(&out.join("speed/src/main.rs"), &main)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn cargo(out: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(out)
        .args(args)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    command
}

/// Builds and checks the runtime and its dependencies once, with the settings of the timed
/// runs (`CARGO_INCREMENTAL` is part of the fingerprint).
fn prebuild(out: &Path) -> Result<(), String> {
    for subcommand in ["build", "check"] {
        run_quiet(&mut cargo(out, &[subcommand, "-p", "smithy-runtime"]))?;
    }
    Ok(())
}

/// `cargo clean -p` then a timed `cargo build -p` and `cargo check -p` of one crate.
fn measure_crate(out: &Path, row: &mut Row, runs: usize) -> Result<(), String> {
    for run in 0..runs {
        for subcommand in ["build", "check"] {
            run_quiet(&mut cargo(out, &["clean", "-p", &row.package]))?;
            let (timing, stderr) = timed(&mut cargo(out, &[subcommand, "-p", &row.package]))?;
            eprintln!(
                "{} {subcommand} run {}: {:.1} s CPU, {:.1} s wall",
                row.package,
                run + 1,
                timing.cpu,
                timing.wall
            );
            if subcommand == "build" {
                row.warnings = stderr.lines().filter(|l| l.starts_with("warning")).count();
                row.build.push(timing);
            } else {
                row.check.push(timing);
            }
        }
    }
    Ok(())
}

type Speeds = std::collections::BTreeMap<(String, String), (f64, f64)>;

/// Runs the speed program: `speed <service> <style> <reads/s> <writes/s>` lines, and an
/// `identical <service> <bool>` line per service (both styles read the same value and write
/// the same JSON).
fn measure_speed(out: &Path) -> Result<Speeds, String> {
    run_quiet(&mut cargo(out, &["build", "--release", "-p", "speed"]))?;
    let output = cargo(out, &["run", "--release", "-q", "-p", "speed"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the speed program: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut speeds = Speeds::new();
    for line in stdout.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["speed", service, style, read, write] => {
                let read = read.parse().unwrap_or(0.0);
                let write = write.parse().unwrap_or(0.0);
                speeds.insert((service.to_string(), style.to_string()), (read, write));
            }
            ["identical", service, same] => {
                println!("{service}: both styles read and write identical values: {same}");
                if *same != "true" {
                    return Err(format!("{service}: the styles disagree"));
                }
            }
            _ => {}
        }
    }
    if speeds.is_empty() {
        return Err(format!("the speed program printed nothing:\n{stdout}"));
    }
    Ok(speeds)
}

/// The Markdown table: each style's figures, and Schema/Generated ratios.
fn table(rows: &[Row], runs: usize) -> String {
    let mut text = format!(
        "Debug crate alone, dependencies prebuilt, median of {runs} run(s); speed: release, \
         median of 5 one-second rounds.\n\n\
         | Service | Style | Lines | Build CPU | Build wall | Check CPU | Check wall | rustc warnings | Reads/s | Writes/s |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for pair in rows.chunks(2) {
        for row in pair {
            let (build, check) = (medians(&row.build), medians(&row.check));
            writeln!(
                text,
                "| {} | {} | {} | {:.1} s | {:.1} s | {:.1} s | {:.1} s | {} | {:.0} | {:.0} |",
                row.service,
                row.style,
                row.lines,
                build.cpu,
                build.wall,
                check.cpu,
                check.wall,
                row.warnings,
                row.read_per_s,
                row.write_per_s
            )
            .ok();
        }
        if let [generated, schema] = pair {
            let (gb, sb) = (medians(&generated.build), medians(&schema.build));
            let (gc, sc) = (medians(&generated.check), medians(&schema.check));
            writeln!(
                text,
                "| {} | schema/generated | {} | {} | {} | {} | {} | | {} | {} |",
                generated.service,
                ratio(schema.lines as f64, generated.lines as f64),
                ratio(sb.cpu, gb.cpu),
                ratio(sb.wall, gb.wall),
                ratio(sc.cpu, gc.cpu),
                ratio(sc.wall, gc.wall),
                ratio(schema.read_per_s, generated.read_per_s),
                ratio(schema.write_per_s, generated.write_per_s),
            )
            .ok();
        }
    }
    text
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}x", a / b)
    } else {
        "-".into()
    }
}

fn count_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                total += text.lines().filter(|l| !l.trim().is_empty()).count();
            }
        }
    }
    total
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
        let lines: Vec<&str> = stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        Err(format!("{command:?} failed:\n{tail}"))
    }
}

/// Wall time and CPU time (user + system of waited-for children), in seconds.
#[derive(Clone, Copy, Debug, Default)]
struct Timing {
    wall: f64,
    cpu: f64,
}

fn timed(command: &mut Command) -> Result<(Timing, String), String> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let stderr = run_quiet(command)?;
    let timing = Timing {
        wall: started.elapsed().as_secs_f64(),
        cpu: children_cpu() - cpu_before,
    };
    Ok((timing, stderr))
}

/// CPU seconds (user + system) of this process's waited-for children, which include cargo's
/// rustc processes, from `/proc/self/stat` (0 without `/proc`). CPU time is what the other
/// load on a shared machine changes least.
fn children_cpu() -> f64 {
    const TICKS: f64 = 100.0;
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<f64> = after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // Fields 16 and 17 of stat(5) (cutime, cstime); `after_name` starts at field 3.
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0.0) / TICKS;
    field(16) + field(17)
}

fn medians(timings: &[Timing]) -> Timing {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    };
    Timing {
        wall: median(timings.iter().map(|t| t.wall).collect()),
        cpu: median(timings.iter().map(|t| t.cpu).collect()),
    }
}
