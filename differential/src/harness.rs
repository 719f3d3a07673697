//! The run: cases per service, the generated driver crates (one cargo workspace, built once),
//! botocore's side, the comparison and the report, for the request phase (our serializers
//! against botocore's) and the response phase (our parsers against botocore's on responses
//! from [`crate::wire`]).

use crate::deviations::{self, Deviation, Scope};
use crate::request::{self, BodyKind};
use crate::values::Inputs;
use crate::wire::{self, Family};
use serde_json::{json, Value};
use smithy_gen::model::{Model, ShapeId, ShapeKind};
use smithy_gen::passes::{self, Plan};
use smithy_gen::{build, Layout, Settings};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The protocols compared, in the order they are reported.
pub const PROTOCOLS: [&str; 6] = [
    "restJson1",
    "awsJson1_0",
    "awsJson1_1",
    "restXml",
    "awsQuery",
    "ec2Query",
];

/// The services of a run without `--services` (the CI sample): small models of each protocol
/// (every one of their operations), so the generated crates build quickly.
pub const SAMPLE: [&str; 9] = [
    // restJson1: labels, queries, headers, blob and streaming payloads.
    "mediapackagev2",
    "cloudtrail-data",
    "ebs",
    // awsJson1_0 (with @awsQueryCompatible) and awsJson1_1.
    "sqs",
    "kms",
    // restXml: namespaces, payloads, defaults.
    "route-53",
    // awsQuery: lists, maps, nested structures.
    "sts",
    "sns",
    // ec2Query: our own EC2 model (differential/models/ec2.json; the reference data has none).
    "ec2",
];

/// Which comparisons a run makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Requests only.
    Request,
    /// Responses only.
    Response,
    /// Both.
    Both,
}

impl Phase {
    /// `request`, `response` or `both`.
    pub fn parse(text: &str) -> Result<Phase, String> {
        match text {
            "request" => Ok(Phase::Request),
            "response" => Ok(Phase::Response),
            "both" => Ok(Phase::Both),
            other => Err(format!(
                "--phase {other}: expected request, response or both"
            )),
        }
    }

    fn requests(self) -> bool {
        self != Phase::Response
    }

    fn responses(self) -> bool {
        self != Phase::Request
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Requests, responses or both.
    pub phase: Phase,
    /// The workspace root (for the runtime path, `Cargo.lock` and the deviations file).
    pub root: PathBuf,
    /// Directory of the AWS models (`models/aws` of the reference data); a service without a
    /// model there is looked up in [`OWN_MODELS`].
    pub models: PathBuf,
    /// Output directory (`target/differential`).
    pub out: PathBuf,
    /// Python with botocore.
    pub python: PathBuf,
    /// Only these protocols (empty: all).
    pub protocols: Vec<String>,
    /// Services (model file name without the date; empty: [`SAMPLE`], unless `all`).
    pub services: Vec<String>,
    /// Every model of `models` (of the selected protocols) instead of `services`.
    pub all: bool,
    /// Services generated and built at once: a whole-corpus run goes chunk by chunk, so its
    /// disk use and memory stay those of one chunk.
    pub chunk: usize,
    /// Cases per operation.
    pub cases: usize,
    /// At most this many operations per service (in model order), to bound build time.
    pub max_operations: Option<usize>,
    /// Nesting depth of the random values ([`crate::values::Inputs::max_depth`]).
    pub max_depth: usize,
    /// The run's seed.
    pub seed: u64,
    /// Cargo jobs.
    pub jobs: usize,
}

/// One service prepared for the run.
struct Service {
    name: String,
    protocol: String,
    sdk_id: String,
    candidates: Vec<String>,
    /// `(operation, case seed, params)`.
    cases: Vec<(String, u64, Value)>,
    /// The response cases.
    responses: Vec<ResponseCase>,
    /// The operations compared, in model order.
    operation_names: Vec<String>,
    /// Per operation, the `@default`s its input reaches.
    defaults: BTreeMap<String, deviations::Defaults>,
    operations: usize,
}

/// One response case: the random output and the response written from it.
struct ResponseCase {
    operation: String,
    seed: u64,
    output: Value,
    /// `output` in the parsers' canonical JSON ([`crate::response::sent`]).
    sent: Value,
    response: wire::Response,
}

/// Counts of one protocol.
#[derive(Default)]
struct Tally {
    services: Vec<String>,
    operations: usize,
    cases: usize,
    equal: usize,
    known: BTreeMap<String, usize>,
    known_cases: usize,
    different: usize,
    not_compared: BTreeMap<String, usize>,
}

/// Runs the comparison; returns the summary lines and whether every difference is explained.
///
/// The services go in chunks of [`Options::chunk`]: each chunk is generated, built as one
/// cargo workspace, compared in every phase, and its driver binaries deleted before the next,
/// while the tallies and the difference files cover the whole run.
pub fn run(options: &Options) -> Result<(Vec<String>, bool), String> {
    let deviations = deviations::parse(&read(&options.root.join("differential/deviations.json"))?)?;
    std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let (request_deviations, response_deviations): (Vec<Deviation>, Vec<Deviation>) =
        deviations.into_iter().partition(|d| d.phase != "response");
    let mut phases = Vec::new();
    if options.phase.requests() {
        phases.push(PhaseRun {
            compare: compare_service,
            deviations: &request_deviations,
            file: "differences.jsonl",
            summary_suffix: "",
            listing: "differences",
            tallies: BTreeMap::new(),
            differences: String::new(),
        });
    }
    if options.phase.responses() {
        phases.push(PhaseRun {
            compare: compare_responses,
            deviations: &response_deviations,
            file: "response-differences.jsonl",
            summary_suffix: " responses",
            listing: "response differences",
            tallies: BTreeMap::new(),
            differences: String::new(),
        });
    }
    let names = service_names(options)?;
    let chunks: Vec<&[String]> = names.chunks(options.chunk.max(1)).collect();
    let mut compared = 0;
    for (index, chunk) in chunks.iter().enumerate() {
        let services = prepare_chunk(options, chunk)?;
        if services.is_empty() {
            continue;
        }
        if chunks.len() > 1 {
            eprintln!(
                "differential: chunk {} of {}: {}",
                index + 1,
                chunks.len(),
                services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        write_workspace(options, &services)?;
        build_drivers(options)?;
        for phase in &mut phases {
            for service in &services {
                let tally = phase.tallies.entry(service.protocol.clone()).or_default();
                (phase.compare)(
                    options,
                    service,
                    phase.deviations,
                    tally,
                    &mut phase.differences,
                )?;
            }
        }
        if chunks.len() > 1 {
            remove_drivers(options, &services);
        }
        compared += services.len();
    }
    if compared == 0 {
        return Err("no service of the selected protocols".into());
    }
    let mut lines = Vec::new();
    let mut explained = true;
    for phase in &phases {
        let path = options.out.join(phase.file);
        std::fs::write(&path, &phase.differences)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        explained &= report(&phase.tallies, phase.summary_suffix, &mut lines);
        lines.push(format!("{}: {}", phase.listing, path.display()));
    }
    Ok((lines, explained))
}

/// The services a run names: `--services`, every model (the reference data's and ours) with
/// `all`, else [`SAMPLE`].
fn service_names(options: &Options) -> Result<Vec<String>, String> {
    if !options.all {
        return Ok(if options.services.is_empty() {
            SAMPLE.iter().map(|s| s.to_string()).collect()
        } else {
            options.services.clone()
        });
    }
    let json_stems = |dir: &Path| -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
            .collect())
    };
    // The reference models are `<service>-<yyyy-mm-dd>.json` (the date is the last 11
    // characters), ours `<service>.json`.
    let mut names: Vec<String> = json_stems(&options.models)?
        .into_iter()
        .filter(|stem| stem.len() > 11)
        .map(|stem| stem[..stem.len() - 11].to_string())
        .collect();
    names.extend(json_stems(&options.root.join(OWN_MODELS))?);
    names.sort();
    names.dedup();
    Ok(names)
}

/// Loads, plans and generates the crates of `names` that speak a selected protocol.
fn prepare_chunk(options: &Options, names: &[String]) -> Result<Vec<Service>, String> {
    let mut services = Vec::new();
    for name in names {
        let model = load(options, name)?;
        let plan = passes::plan(&model, None, None).map_err(|e| format!("{name}: {e}"))?;
        let protocol = plan.protocol.short_name().to_string();
        let wanted = options.protocols.is_empty()
            || options
                .protocols
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&protocol));
        if !PROTOCOLS.contains(&protocol.as_str()) || !wanted {
            continue;
        }
        let service = prepare(options, name, &model, &plan, protocol)?;
        if service.operations == 0 {
            continue;
        }
        write_crate(options, &model, &service)?;
        services.push(service);
    }
    Ok(services)
}

/// Deletes the driver binaries of a compared chunk (the shared dependencies stay built).
fn remove_drivers(options: &Options, services: &[Service]) {
    let debug = options.out.join("target/debug");
    for service in services {
        let binary = format!("differential-{}", service.name);
        let _ = std::fs::remove_file(debug.join(&binary));
        let prefix = format!("{}-", binary.replace('-', "_"));
        let Ok(entries) = std::fs::read_dir(debug.join("deps")) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Compares one service in one phase, adding to its protocol's tally and the differences.
type Compare = fn(&Options, &Service, &[Deviation], &mut Tally, &mut String) -> Result<(), String>;

/// A phase of the run (requests or responses), where it reports, and what it found so far.
struct PhaseRun<'a> {
    compare: Compare,
    deviations: &'a [Deviation],
    /// The differences file under the output directory.
    file: &'a str,
    /// Appended to the protocol in each summary line (`restJson1 responses`).
    summary_suffix: &'a str,
    /// How the differences file is named in the output.
    listing: &'a str,
    /// Counts per protocol.
    tallies: BTreeMap<String, Tally>,
    /// Every difference so far, as JSON lines.
    differences: String,
}

/// Classifies one case's differences and counts it: explained (each difference a known
/// deviation, each deviation counted once) or different. Returns whether it was explained and
/// the differences as records.
fn tally_case(
    tally: &mut Tally,
    deviations: &[Deviation],
    scope: &Scope<'_>,
    found: &[(String, Value, Value)],
) -> (bool, Vec<Value>) {
    let known = deviations::classify(deviations, scope, found);
    let explained = known.iter().all(Option::is_some);
    if explained {
        tally.known_cases += 1;
        let mut ids: Vec<&str> = known.iter().flatten().map(String::as_str).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            *tally.known.entry(id.to_string()).or_default() += 1;
        }
    } else {
        tally.different += 1;
    }
    let fields = found
        .iter()
        .zip(&known)
        .map(|((f, x, y), k)| json!({"field": f, "ours": x, "botocore": y, "known": k}))
        .collect();
    (explained, fields)
}

/// One summary line per protocol; whether no difference is unexplained.
fn report(tallies: &BTreeMap<String, Tally>, phase: &str, lines: &mut Vec<String>) -> bool {
    let mut explained = true;
    for protocol in PROTOCOLS {
        let Some(t) = tallies.get(protocol) else {
            continue;
        };
        explained &= t.different == 0;
        lines.push(summary(&format!("{protocol}{phase}"), t));
    }
    explained
}

fn summary(protocol: &str, t: &Tally) -> String {
    let mut line = format!(
        "differential {protocol}: {} operations, {} cases, {} equal, {} different",
        t.operations, t.cases, t.equal, t.different
    );
    if t.known_cases > 0 {
        let ids: Vec<String> = t.known.iter().map(|(id, n)| format!("{id} {n}")).collect();
        let _ = write!(
            line,
            ", {} known deviations ({})",
            t.known_cases,
            ids.join(", ")
        );
    }
    if !t.not_compared.is_empty() {
        let reasons: Vec<String> = t
            .not_compared
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let total: usize = t.not_compared.values().sum();
        let _ = write!(line, ", {total} not compared ({})", reasons.join(", "));
    }
    let _ = write!(line, " [{}]", t.services.join(", "));
    line
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The repository's own models (`differential/models/<name>.json`), for services the reference
/// data has no model of (EC2: the reference data has no ec2Query model).
pub const OWN_MODELS: &str = "differential/models";

/// The file of service `name`: `<name>-<date>.json` in the reference data's models, else
/// `<name>.json` in [`OWN_MODELS`] under `root`.
pub fn model_file(models: &Path, root: &Path, name: &str) -> Option<PathBuf> {
    let reference = std::fs::read_dir(models).ok().and_then(|entries| {
        entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            stem.len() == name.len() + 11
                && stem.starts_with(name)
                && stem.as_bytes()[name.len()] == b'-'
        })
    });
    reference.or_else(|| {
        let own = root.join(OWN_MODELS).join(format!("{name}.json"));
        own.is_file().then_some(own)
    })
}

/// Loads the model of service `name` ([`model_file`]).
fn load(options: &Options, name: &str) -> Result<Model, String> {
    let file = model_file(&options.models, &options.root, name).ok_or_else(|| {
        format!(
            "no model for service `{name}` in {} or {}",
            options.models.display(),
            options.root.join(OWN_MODELS).display()
        )
    })?;
    let sources = build::read_sources(&[file]).map_err(|e| e.to_string())?;
    smithy_gen::load(&sources).map_err(|e| format!("{name}: {e}"))
}

/// A stable 64-bit hash (FNV-1a) of text, to derive case seeds.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

fn prepare(
    options: &Options,
    name: &str,
    model: &Model,
    plan: &Plan,
    protocol: String,
) -> Result<Service, String> {
    let service_shape = model.get(&plan.service).ok_or("no service shape")?;
    let trait_text = |key: &str| {
        service_shape
            .traits
            .get("aws.api#service")
            .and_then(|t| t.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let sdk_id = trait_text("sdkId");
    let candidates = vec![
        sdk_id.to_lowercase().replace(' ', "-"),
        sdk_id.to_lowercase().replace(' ', ""),
        trait_text("endpointPrefix"),
        name.to_string(),
        name.replace('-', ""),
    ];
    let operations: Vec<_> = plan
        .operations
        .iter()
        .filter(|op| !op.event_stream)
        .take(options.max_operations.unwrap_or(usize::MAX))
        .collect();
    let mut cases = Vec::new();
    let mut responses = Vec::new();
    let mut defaults = BTreeMap::new();
    let family = Family::of(&protocol);
    for op in &operations {
        defaults.insert(
            op.id.name().to_string(),
            reachable_defaults(&plan.model, &op.input),
        );
        for index in 0..options.cases {
            if options.phase.requests() {
                let seed = options.seed ^ fnv(&format!("{name}/{}/{index}", op.id.name()));
                let params = Inputs::new(&plan.model, seed)
                    .max_depth(options.max_depth)
                    .input(&op.input);
                cases.push((op.id.name().to_string(), seed, params));
            }
            if let (true, Some(family)) = (options.phase.responses(), family) {
                let seed = options.seed ^ fnv(&format!("response/{name}/{}/{index}", op.id.name()));
                responses.push(response_case(
                    plan,
                    op,
                    family,
                    seed,
                    index % 4 == 3,
                    options.max_depth,
                ));
            }
        }
    }
    Ok(Service {
        name: name.to_string(),
        protocol,
        sdk_id,
        candidates,
        operations: operations.len(),
        operation_names: operations
            .iter()
            .map(|op| op.id.name().to_string())
            .collect(),
        cases,
        responses,
        defaults,
    })
}

/// A restJson1 error member bound to the `X-Amzn-Errortype` header (connectcampaigns'
/// `xAmzErrorType`, oam's `amznErrorType`, ivs-realtime's `xAmznErrorType`) can only hold the
/// error's type on the wire, where that header names the error: the random value is replaced by
/// the error's shape name, the value a service sends.
fn error_type_members_hold_the_type(model: &Model, error: &ShapeId, output: &mut Value) {
    let (Some(ShapeKind::Structure(members)), Value::Object(map)) =
        (model.get(error).map(|s| &s.kind), output)
    else {
        return;
    };
    for member in members {
        let header = member.traits.http_header();
        if header.is_some_and(|h| h.eq_ignore_ascii_case("x-amzn-errortype")) {
            map.insert(member.name.clone(), Value::from(error.name()));
        }
    }
}

/// A random output of `op` (with `error`, when the operation has modelled errors: one of
/// them, picked by the seed) and the response `family`'s wire format makes of it.
fn response_case(
    plan: &Plan,
    op: &smithy_gen::passes::OperationPlan,
    family: Family,
    seed: u64,
    error: bool,
    max_depth: usize,
) -> ResponseCase {
    let xml = matches!(family, Family::RestXml | Family::Query | Family::Ec2);
    let error = (error && !op.errors.is_empty())
        .then(|| &op.errors[(seed % op.errors.len() as u64) as usize]);
    let shape = error.unwrap_or(&op.output);
    let mut output = Inputs::new(&plan.model, seed)
        .for_xml(xml)
        .max_depth(max_depth)
        .output(shape);
    if let (Some(error), Family::RestJson) = (error, family) {
        error_type_members_hold_the_type(&plan.model, error, &mut output);
    }
    let http_code = plan
        .model
        .get(&op.id)
        .and_then(|s| s.traits.http())
        .map_or(200, |h| h.code);
    let operation = wire::Operation {
        model: &plan.model,
        service: &plan.service,
        name: op.id.name(),
        output: &op.output,
        http_code,
    };
    let mut sent = crate::response::sent(&plan.model, shape, &output);
    let response = match error {
        Some(error) => {
            if let Value::Object(map) = &mut sent {
                map.insert("$error".into(), Value::from(error.name()));
            }
            wire::error_response(family, &operation, error, &output)
        }
        None => wire::response(family, &operation, &output),
    };
    ResponseCase {
        operation: op.id.name().to_string(),
        seed,
        sent,
        output,
        response,
    }
}

/// The `@default`s of every member reachable from `input`, by wire name (member name,
/// `@jsonName`, `@xmlName`), the default as text.
fn reachable_defaults(model: &Model, input: &smithy_gen::model::ShapeId) -> deviations::Defaults {
    let mut out = deviations::Defaults::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec![input.clone()];
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.get(&id) else {
            continue;
        };
        for member in shape.kind.members() {
            todo.push(member.target.clone());
            let Some(default) = member.traits.default_value().filter(|d| !d.is_null()) else {
                continue;
            };
            let text = match default {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let names = [
                Some(member.name.as_str()),
                member.traits.json_name(),
                member
                    .traits
                    .get("smithy.api#xmlName")
                    .and_then(Value::as_str),
            ];
            for name in names.into_iter().flatten() {
                out.insert((name.to_string(), text.clone()));
            }
        }
    }
    out
}

/// `out/<service>/`: the client (single file, the selected operations), the cases and a
/// driver `main.rs` that prints each case's request as one JSON line.
fn write_crate(options: &Options, model: &Model, service: &Service) -> Result<(), String> {
    let settings = Settings {
        operations: Some(service.operation_names.clone()),
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let client =
        smithy_gen::generate(model, &settings).map_err(|e| format!("{}: {e}", service.name))?;
    let pairs: Vec<(String, Value)> = service
        .cases
        .iter()
        .map(|(op, _, params)| (op.clone(), params.clone()))
        .collect();
    let cases = smithy_gen::generate_request_cases(model, &settings, &pairs)
        .map_err(|e| format!("{}: {e}", service.name))?;
    let parsers = if options.phase.responses() {
        smithy_gen::generate_response_cases(model, &settings)
            .map_err(|e| format!("{}: {e}", service.name))?
    } else {
        NO_PARSERS.to_string()
    };
    let runtime = options.root.join("runtime");
    let runtime = std::fs::canonicalize(&runtime).unwrap_or(runtime);
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# Written by `cargo xtask differential`. DO NOT EDIT.\n[package]\nname = \"differential-{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nsmithy-runtime = {{ path = {:?} }}\n",
            service.name,
            runtime.display().to_string()
        ),
    );
    files.insert(
        "src/client.rs".to_string(),
        client.into_values().next().unwrap_or_default(),
    );
    files.insert("src/cases.rs".to_string(), cases);
    files.insert("src/responses.rs".to_string(), parsers);
    files.insert("src/main.rs".to_string(), DRIVER.to_string());
    let dir = options.out.join(&service.name);
    build::write_files(&dir, &files).map_err(|e| e.to_string())?;
    let lines: String = service
        .cases
        .iter()
        .enumerate()
        .map(|(id, (op, _, params))| {
            format!("{}\n", json!({"id": id, "operation": op, "params": params}))
        })
        .collect();
    std::fs::write(dir.join("cases.jsonl"), lines).map_err(|e| e.to_string())?;
    let lines: String = service
        .responses
        .iter()
        .enumerate()
        .map(|(id, case)| {
            let hex: String = case
                .response
                .body
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let line = json!({"id": id, "operation": case.operation, "status": case.response.status,
                              "headers": case.response.headers, "body_hex": hex});
            format!("{line}\n")
        })
        .collect();
    std::fs::write(dir.join("responses.jsonl"), lines).map_err(|e| e.to_string())
}

/// The response parsers of a request-only run.
const NO_PARSERS: &str = "/// No response phase in this run.\npub const PARSERS: &[(&str, fn(::smithy_runtime::http::HttpResponse) -> ::std::result::Result<::smithy_runtime::serde_json::Value, ::std::string::String>)] = &[];\n";

/// The driver: every case's request, serialized by the generated client, as a JSON line.
const DRIVER: &str = r#"//! Written by `cargo xtask differential`: prints the request of every case as one JSON line.
#[allow(dead_code, unused_imports, unused_mut, deprecated, clippy::all)]
mod client {
    include!("client.rs");
    pub mod cases {
        include!("cases.rs");
    }
    pub mod responses {
        include!("responses.rs");
    }
}

use smithy_runtime::serde_json::{json, Value};
use std::io::Write as _;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "responses" {
        return responses(&args[2]);
    }
    smithy_runtime::wire::set_fixed_idempotency_token(Some(
        smithy_runtime::protocol_test::TEST_IDEMPOTENCY_TOKEN.to_string(),
    ));
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (id, case) in client::cases::CASES.iter().enumerate() {
        let line = match std::panic::catch_unwind(case) {
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                json!({"id": id, "error": format!("panic: {text}")})
            }
            Ok(Err(e)) => json!({"id": id, "error": e.to_string()}),
            Ok(Ok(parts)) => request(id, parts),
        };
        let _ = writeln!(out, "{line}");
    }
}

/// The response phase: each line of `path` (`{"id", "operation", "status", "headers",
/// "body_hex"}`) through the operation's generated parser, the parsed output as one JSON line.
fn responses(path: &str) {
    std::panic::set_hook(Box::new(|_| {}));
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in text.lines() {
        let Ok(case) = smithy_runtime::serde_json::from_str::<Value>(line) else {
            continue;
        };
        let id = case["id"].clone();
        let operation = case["operation"].as_str().unwrap_or_default();
        let Some((_, parse)) = client::responses::PARSERS.iter().find(|(name, _)| *name == operation) else {
            let _ = writeln!(out, "{}", json!({"id": id, "error": format!("no parser for {operation}")}));
            continue;
        };
        let line = match response(&case) {
            Err(e) => json!({"id": id, "error": format!("response: {e}")}),
            Ok(response) => match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(response))) {
                Err(_) => json!({"id": id, "error": "panic"}),
                Ok(Err(e)) => json!({"id": id, "error": e}),
                Ok(Ok(output)) => json!({"id": id, "output": output}),
            },
        };
        let _ = writeln!(out, "{line}");
    }
}

/// The case as a Smithy protocol test's response (what `protocol_test::response` reads; every
/// body of the phase is UTF-8).
fn response(case: &Value) -> Result<smithy_runtime::http::HttpResponse, String> {
    let hex = case["body_hex"].as_str().unwrap_or_default();
    let body: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    let body = String::from_utf8(body).map_err(|e| e.to_string())?;
    let mut headers = smithy_runtime::serde_json::Map::new();
    for pair in case["headers"].as_array().into_iter().flatten() {
        headers.insert(pair[0].as_str().unwrap_or_default().to_string(), pair[1].clone());
    }
    let test = json!({"code": case["status"], "headers": headers, "body": body});
    std::panic::catch_unwind(|| smithy_runtime::protocol_test::response(&test.to_string()))
        .map_err(|_| "not a valid response".to_string())
}

fn request(id: usize, parts: smithy_runtime::http::RequestParts) -> Value {
    let request = match parts.into_request("https://example.com") {
        Ok(request) => request,
        Err(e) => return json!({"id": id, "error": e.to_string()}),
    };
    let headers: Vec<Value> = request
        .headers()
        .iter()
        .map(|(k, v)| json!([k.as_str(), String::from_utf8_lossy(v.as_bytes())]))
        .collect();
    let (head, body) = request.into_parts();
    let bytes = match block_on(body.collect()) {
        Ok(bytes) => bytes,
        Err(e) => return json!({"id": id, "error": format!("body: {e}")}),
    };
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    json!({"id": id, "method": head.method.as_str(), "url": head.uri.to_string(),
           "headers": headers, "body_hex": hex})
}

/// Polls an in-memory body's future to completion (it never waits on I/O).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}
"#;

fn write_workspace(options: &Options, services: &[Service]) -> Result<(), String> {
    let members: Vec<String> = services
        .iter()
        .map(|s| format!("    {:?},", s.name))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask differential`. DO NOT EDIT.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    let path = options.out.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    let lock = options.out.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(options.root.join("Cargo.lock"), &lock);
    }
    Ok(())
}

fn build_drivers(options: &Options) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--workspace", "--quiet", "--jobs"])
        .arg(options.jobs.max(1).to_string())
        .current_dir(&options.out)
        .env("CARGO_TARGET_DIR", options.out.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        // No debug info: the drivers run once, and compiling and linking them is most of the
        // command's time.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("the generated driver crates did not build".into());
    }
    Ok(())
}

/// Lines of a JSON-lines file (`{"id": N, ...}`) by id; a line without an id is the header.
fn by_id(text: &str) -> (Option<Value>, BTreeMap<u64, Value>) {
    let mut header = None;
    let mut map = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match value.get("id").and_then(Value::as_u64) {
            Some(id) => {
                map.insert(id, value);
            }
            None => header = Some(value),
        }
    }
    (header, map)
}

fn compare_service(
    options: &Options,
    service: &Service,
    deviations: &[Deviation],
    tally: &mut Tally,
    differences: &mut String,
) -> Result<(), String> {
    let dir = options.out.join(&service.name);
    let binary = options
        .out
        .join("target/debug")
        .join(format!("differential-{}", service.name));
    let ours = Command::new(&binary)
        .output()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    if !ours.status.success() {
        return Err(format!("{} exited with {}", binary.display(), ours.status));
    }
    let (_, ours) = by_id(&String::from_utf8_lossy(&ours.stdout));
    let theirs_file = dir.join("botocore.jsonl");
    let script = options.root.join("differential/botocore_side.py");
    let status = Command::new(&options.python)
        .arg(&script)
        .arg(&service.protocol)
        .arg(&service.sdk_id)
        .arg(service.candidates.join(","))
        .arg(dir.join("cases.jsonl"))
        .arg(&theirs_file)
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("{}: {e}", options.python.display()))?;
    if !status.success() {
        return Err(format!("botocore_side.py failed for {}", service.name));
    }
    let (header, theirs) = by_id(&read(&theirs_file)?);
    let header = header.unwrap_or(Value::Null);
    tally
        .services
        .push(match header.get("service").and_then(Value::as_str) {
            Some(b) if b != service.name => format!("{} (botocore {b})", service.name),
            _ => service.name.clone(),
        });
    tally.operations += service.operations;
    tally.cases += service.cases.len();
    if let Some(reason) = header.get("service_error").and_then(Value::as_str) {
        eprintln!("differential {}: not compared: {reason}", service.name);
        *tally.not_compared.entry("service".into()).or_default() += service.cases.len();
        return Ok(());
    }
    let kind = match service.protocol.as_str() {
        "restXml" => BodyKind::Xml,
        "awsQuery" | "ec2Query" => BodyKind::Form,
        _ => BodyKind::Json,
    };
    for (id, (operation, seed, params)) in service.cases.iter().enumerate() {
        let id = id as u64;
        let (Some(a), Some(b)) = (ours.get(&id), theirs.get(&id)) else {
            *tally.not_compared.entry("missing".into()).or_default() += 1;
            continue;
        };
        if b.get("kind").and_then(Value::as_str) == Some("model") {
            *tally
                .not_compared
                .entry("botocore-model".into())
                .or_default() += 1;
            continue;
        }
        if a.get("error").is_some() && b.get("error").is_some() {
            *tally.not_compared.entry("both-refuse".into()).or_default() += 1;
            continue;
        }
        let found = case_differences(a, b, kind);
        if found.is_empty() {
            tally.equal += 1;
            continue;
        }
        let no_defaults = deviations::Defaults::new();
        let scope = Scope {
            protocol: &service.protocol,
            service: &service.name,
            operation,
            defaults: service.defaults.get(operation).unwrap_or(&no_defaults),
        };
        let (explained, fields) = tally_case(tally, deviations, &scope, &found);
        let record = json!({
            "protocol": service.protocol, "service": service.name, "operation": operation,
            "seed": seed, "run_seed": options.seed, "case": id, "input": params,
            "explained": explained, "differences": fields, "ours": a, "botocore": b,
        });
        let _ = writeln!(differences, "{record}");
    }
    Ok(())
}

/// The response phase of one service: our parsers (the driver's `responses` mode) and
/// botocore's (`botocore_side.py ... response`) on the same responses, values compared.
fn compare_responses(
    options: &Options,
    service: &Service,
    deviations: &[Deviation],
    tally: &mut Tally,
    differences: &mut String,
) -> Result<(), String> {
    let dir = options.out.join(&service.name);
    let cases_file = dir.join("responses.jsonl");
    let binary = options
        .out
        .join("target/debug")
        .join(format!("differential-{}", service.name));
    let ours = Command::new(&binary)
        .arg("responses")
        .arg(&cases_file)
        .output()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    if !ours.status.success() {
        return Err(format!("{} exited with {}", binary.display(), ours.status));
    }
    let (_, ours) = by_id(&String::from_utf8_lossy(&ours.stdout));
    let theirs_file = dir.join("botocore-responses.jsonl");
    let status = Command::new(&options.python)
        .arg(options.root.join("differential/botocore_side.py"))
        .arg(&service.protocol)
        .arg(&service.sdk_id)
        .arg(service.candidates.join(","))
        .arg(&cases_file)
        .arg(&theirs_file)
        .arg("response")
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("{}: {e}", options.python.display()))?;
    if !status.success() {
        return Err(format!(
            "botocore_side.py (responses) failed for {}",
            service.name
        ));
    }
    let (header, theirs) = by_id(&read(&theirs_file)?);
    let header = header.unwrap_or(Value::Null);
    tally.services.push(service.name.clone());
    tally.operations += service.operations;
    tally.cases += service.responses.len();
    if header.get("service_error").is_some() {
        *tally.not_compared.entry("service".into()).or_default() += service.responses.len();
        return Ok(());
    }
    let no_defaults = deviations::Defaults::new();
    for (id, case) in service.responses.iter().enumerate() {
        let id = id as u64;
        let (Some(a), Some(b)) = (ours.get(&id), theirs.get(&id)) else {
            *tally.not_compared.entry("missing".into()).or_default() += 1;
            continue;
        };
        if b.get("kind").and_then(Value::as_str) == Some("model") {
            *tally
                .not_compared
                .entry("botocore-model".into())
                .or_default() += 1;
            continue;
        }
        let found = match (a.get("error"), b.get("error")) {
            (None, None) => {
                let mut found = crate::response::differences(&a["output"], &b["output"]);
                found.extend(crate::response::differences_at(
                    "sent:output",
                    &a["output"],
                    &case.sent,
                ));
                found
            }
            (x, y) => vec![(
                "error".to_string(),
                x.cloned().unwrap_or(Value::Null),
                y.cloned().unwrap_or(Value::Null),
            )],
        };
        if found.is_empty() {
            tally.equal += 1;
            continue;
        }
        let scope = Scope {
            protocol: &service.protocol,
            service: &service.name,
            operation: &case.operation,
            defaults: &no_defaults,
        };
        let (explained, fields) = tally_case(tally, deviations, &scope, &found);
        let body = String::from_utf8_lossy(&case.response.body);
        let record = json!({
            "protocol": service.protocol, "service": service.name, "operation": case.operation,
            "seed": case.seed, "run_seed": options.seed, "case": id, "output": case.output,
            "response": {"status": case.response.status, "headers": case.response.headers, "body": body},
            "explained": explained, "differences": fields, "ours": a, "botocore": b,
        });
        let _ = writeln!(differences, "{record}");
    }
    Ok(())
}

/// The differences of one case; an error on either side is the `error` field.
fn case_differences(ours: &Value, theirs: &Value, kind: BodyKind) -> Vec<(String, Value, Value)> {
    let error = |v: &Value| v.get("error").cloned();
    match (error(ours), error(theirs)) {
        (None, None) => {}
        (a, b) => {
            return vec![(
                "error".into(),
                a.unwrap_or(Value::Null),
                b.unwrap_or(Value::Null),
            )]
        }
    }
    match (
        request::normalize(ours, kind),
        request::normalize(theirs, kind),
    ) {
        (Ok(a), Ok(b)) => request::differences(&a, &b),
        (a, b) => vec![("capture".into(), json!(a.err()), json!(b.err()))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root")
            .to_path_buf()
    }

    fn own_ec2() -> Model {
        let file = root().join(OWN_MODELS).join("ec2.json");
        let sources = build::read_sources(&[file]).expect("the EC2 model reads");
        smithy_gen::load(&sources).expect("the EC2 model loads")
    }

    #[test]
    fn a_service_without_a_reference_model_is_looked_up_in_the_own_models() {
        let reference =
            std::env::temp_dir().join(format!("smithy-differential-models-{}", std::process::id()));
        std::fs::create_dir_all(&reference).unwrap();
        let own = root().join(OWN_MODELS).join("ec2.json");
        assert_eq!(model_file(&reference, &root(), "ec2"), Some(own.clone()));
        // Without the reference data at all, too.
        let missing = reference.join("missing");
        assert_eq!(model_file(&missing, &root(), "ec2"), Some(own));
        // A reference model of the name wins; a longer name sharing the prefix is not it.
        let dated = reference.join("ec2-2016-11-15.json");
        std::fs::write(&dated, "{}").unwrap();
        std::fs::write(reference.join("ec2-instance-connect-2018-04-02.json"), "{}").unwrap();
        assert_eq!(model_file(&reference, &root(), "ec2"), Some(dated));
        assert_eq!(model_file(&reference, &root(), "no-such-service"), None);
        std::fs::remove_dir_all(&reference).unwrap();
    }

    #[test]
    fn the_own_ec2_model_is_an_ec2_query_service_botocore_can_find() {
        let model = own_ec2();
        let plan = passes::plan(&model, None, None).expect("the EC2 model plans");
        assert_eq!(plan.protocol.short_name(), "ec2Query");
        let service = model.get(&plan.service).unwrap();
        let api = service.traits.get("aws.api#service").unwrap();
        // botocore_side.py finds the service by serviceId, the Smithy sdkId.
        assert_eq!(api.get("sdkId").and_then(Value::as_str), Some("EC2"));
        assert!(plan.operations.len() >= 8, "{}", plan.operations.len());
    }

    /// The member with an `@ec2QueryName` unlike its capitalised `@xmlName`
    /// (`PrivateIpAddresses`, `privateIpAddressesSet`) sits in list items inside list items:
    /// the default depth leaves those items empty, a deeper one fills them.
    #[test]
    fn a_deeper_max_depth_reaches_members_the_default_leaves_out() {
        let model = own_ec2();
        let plan = passes::plan(&model, None, None).unwrap();
        let run = plan
            .operations
            .iter()
            .find(|op| op.id.name() == "RunInstances")
            .expect("RunInstances");
        let filled = |depth: usize| {
            (0..200u64).any(|seed| {
                let input = Inputs::new(&plan.model, seed)
                    .max_depth(depth)
                    .input(&run.input);
                input["NetworkInterfaces"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|interface| interface["PrivateIpAddresses"].as_array())
                    .flatten()
                    .any(|address| address.get("PrivateIpAddress").is_some())
            })
        };
        assert!(!filled(crate::values::MAX_DEPTH));
        assert!(filled(crate::values::MAX_DEPTH + 1));
    }
}
