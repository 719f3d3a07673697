//! Event streams of eleven real AWS models, all nineteen of the corpus's event-stream
//! operations end to end. Output streams: Bedrock Runtime ConverseStream and
//! InvokeModelWithResponseStream; Bedrock Agent Runtime InvokeAgent, InvokeFlow,
//! InvokeInlineAgent, OptimizePrompt and RetrieveAndGenerateStream; Lambda
//! InvokeWithResponseStream; SageMaker Runtime InvokeEndpointWithResponseStream; IoT SiteWise
//! InvokeAssistant; CloudWatch Logs StartLiveTail (awsJson1_1, `initial-response`); Kinesis
//! SubscribeToShard (awsJson1_1, HTTP/2); S3 SelectObjectContent (restXml). Input and output
//! streams over HTTP/2: Transcribe Streaming StartStreamTranscription,
//! StartMedicalStreamTranscription, StartCallAnalyticsStreamTranscription and
//! StartMedicalScribeStream; Lex Runtime V2 StartConversation; Q Business Chat.
//!
//! Each crate's client is generated from the reference data's model with only its operations
//! (`PROGRAMS`), into a cargo workspace under the target directory
//! (`<target>/event-stream-real-models`, one crate per service, its programs from
//! `tests/real-models/`; the binary runs the one its second argument names). The workspace is
//! built once, with its own target directory (so this test never waits on the lock of the
//! `cargo test` running it) and `--jobs 2`; files are rewritten only when they change, so a
//! second run compiles nothing. Each program then sends its request with the real SigV4
//! signer and the real endpoint rules (endpoint override to this test's server on 127.0.0.1;
//! CloudWatch Logs and IoT SiteWise with `disable_host_prefix`, since their `streaming-` and
//! `data.` host prefixes cannot go in front of an IP address), and checks that exactly the
//! events the server streamed came back, in order, followed by the exception or error that
//! ends the stream (or the clean end: for Q Business Chat, whose union lists no exceptions,
//! and Bedrock Agent Runtime InvokeFlow, which ends after its completion event). This test
//! checks the request the server saw (path or `X-Amz-Target`, body, signing scope; the
//! Kinesis, Transcribe, Lex and Q Business servers speak only h2c) and, for the input
//! streams, every chained event signature with the project's signer and the events sent.
//!
//! The whole suite is `#[ignore]`d: its first build compiles the runtime and its dependencies
//! a second time (81 to 87 s on two cores, 2026-12-02, against 68 s when it ran five
//! operations; a later run, with nothing to rebuild, takes 3.5 s, most of it regenerating the
//! eleven clients in a debug build). Run it with `cargo test -p integration-tests --test
//! event_streams_real_models -- --ignored`. Without the reference data it prints one line
//! saying what it did not run.

use integration_tests::event_server::{EventServer, Recorded, Script, Step, Version};
use smithy_runtime::event_stream::{encode_message, HeaderValue, Message};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One service's crate: its name, the model file in `models/aws`, the operations its client
/// has, and its programs (files in `tests/real-models`, each with a `run(url)`; the binary runs
/// the one its second argument names, else the first).
struct Program {
    name: &'static str,
    model: &'static str,
    operations: &'static [&'static str],
    programs: &'static [&'static str],
}

const PROGRAMS: [Program; 11] = [
    Program {
        name: "bedrock_runtime",
        model: "bedrock-runtime-2023-09-30.json",
        operations: &["ConverseStream", "InvokeModelWithResponseStream"],
        programs: &["bedrock_runtime", "bedrock_runtime_invoke_model"],
    },
    Program {
        name: "lambda",
        model: "lambda-2015-03-31.json",
        operations: &["InvokeWithResponseStream"],
        programs: &["lambda"],
    },
    Program {
        name: "kinesis",
        model: "kinesis-2013-12-02.json",
        operations: &["SubscribeToShard"],
        programs: &["kinesis"],
    },
    Program {
        name: "s3",
        model: "s3-2006-03-01.json",
        operations: &["SelectObjectContent"],
        programs: &["s3"],
    },
    Program {
        name: "transcribe_streaming",
        model: "transcribe-streaming-2017-10-26.json",
        operations: &[
            "StartStreamTranscription",
            "StartMedicalStreamTranscription",
            "StartCallAnalyticsStreamTranscription",
            "StartMedicalScribeStream",
        ],
        programs: &[
            "transcribe_streaming",
            "transcribe_medical",
            "transcribe_call_analytics",
            "transcribe_medical_scribe",
        ],
    },
    Program {
        name: "cloudwatch_logs",
        model: "cloudwatch-logs-2014-03-28.json",
        operations: &["StartLiveTail"],
        programs: &["cloudwatch_logs"],
    },
    Program {
        name: "sagemaker_runtime",
        model: "sagemaker-runtime-2017-05-13.json",
        operations: &["InvokeEndpointWithResponseStream"],
        programs: &["sagemaker_runtime"],
    },
    Program {
        name: "lex_runtime_v2",
        model: "lex-runtime-v2-2020-08-07.json",
        operations: &["StartConversation"],
        programs: &["lex_runtime_v2"],
    },
    Program {
        name: "bedrock_agent_runtime",
        model: "bedrock-agent-runtime-2023-07-26.json",
        operations: &[
            "InvokeAgent",
            "InvokeFlow",
            "InvokeInlineAgent",
            "OptimizePrompt",
            "RetrieveAndGenerateStream",
        ],
        programs: &[
            "bedrock_agent_runtime",
            "bedrock_agent_flow",
            "bedrock_agent_inline",
            "bedrock_agent_optimize_prompt",
            "bedrock_agent_retrieve_and_generate",
        ],
    },
    Program {
        name: "iotsitewise",
        model: "iotsitewise-2019-12-02.json",
        operations: &["InvokeAssistant"],
        programs: &["iotsitewise"],
    },
    Program {
        name: "qbusiness",
        model: "qbusiness-2023-11-27.json",
        operations: &["Chat"],
        programs: &["qbusiness"],
    },
];

const SUITE: &str = "integration-tests event_streams_real_models";

/// The built workspace's binaries directory, built at most once per test binary; `None`
/// without the reference data (the skip line is printed then).
fn binaries() -> Option<&'static Path> {
    static BUILT: OnceLock<Option<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let models = reference_data::require(
                SUITE,
                "the eleven real-model event-stream clients against a local server",
                "models/aws",
            )?;
            Some(build_workspace(&models).unwrap_or_else(|e| panic!("{e}")))
        })
        .as_deref()
}

/// `<target>/event-stream-real-models`: beside this test binary's `debug/` directory.
fn workspace_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // <target>/debug/deps/<this test>
    let target = exe
        .ancestors()
        .nth(3)
        .expect("the test binary sits in <target>/<profile>/deps");
    target.join("event-stream-real-models")
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Generates the eleven crates and builds them; returns the directory of the binaries.
fn build_workspace(models: &Path) -> Result<PathBuf, String> {
    let root = reference_data::workspace_root();
    let out = workspace_dir();
    for program in &PROGRAMS {
        let crate_dir = out.join(program.name);
        write_if_changed(&crate_dir.join("client.rs"), &generate(models, program)?)?;
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest(&root, program))?;
        write_if_changed(&crate_dir.join("src/main.rs"), &main_rs(&root, program))?;
    }
    let members: Vec<String> = PROGRAMS.iter().map(|p| format!("{:?}", p.name)).collect();
    write_if_changed(
        &out.join("Cargo.toml"),
        &format!(
            "# Written by tests/tests/event_streams_real_models.rs.\n[workspace]\n\
             resolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n",
            members.join(", ")
        ),
    )?;
    // The project's lock file, so the runtime's dependencies resolve to the versions the
    // project builds (and need nothing from the network).
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    let target = out.join("target");
    let started = std::time::Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--offline",
            "--workspace",
            "--jobs",
            "2",
        ])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the generated workspace {} failed ({status})",
            out.display()
        ));
    }
    eprintln!(
        "built the eleven real-model event-stream programs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(target.join("debug"))
}

/// The crate's client: the real model with only the crate's operations, as one file.
fn generate(models: &Path, program: &Program) -> Result<String, String> {
    let path = models.join(program.model);
    let sources = smithy_gen::build::read_sources(std::slice::from_ref(&path))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let model = smithy_gen::load(&sources).map_err(|e| format!("{}: {e}", path.display()))?;
    let settings = smithy_gen::Settings {
        operations: Some(program.operations.iter().map(|o| o.to_string()).collect()),
        layout: smithy_gen::Layout::SingleFile,
        ..smithy_gen::Settings::default()
    };
    let files = smithy_gen::generate(&model, &settings)
        .map_err(|e| format!("generating {}: {e}", program.operations.join(", ")))?;
    files
        .into_values()
        .next()
        .ok_or_else(|| format!("nothing generated for {}", program.name))
}

fn manifest(root: &Path, program: &Program) -> String {
    format!(
        "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         smithy-runtime = {{ path = {:?}, features = [\"http2\"] }}\n\
         tokio = {{ version = \"1\", default-features = false, features = [\"rt\"] }}\n",
        program.name.replace('_', "-"),
        root.join("runtime").display().to_string(),
    )
}

fn main_rs(root: &Path, program: &Program) -> String {
    let dir = root.join("tests/real-models");
    let path = |file: &str| dir.join(file).display().to_string();
    let modules: String = program
        .programs
        .iter()
        .map(|name| format!("#[path = {:?}]\nmod {name};\n", path(&format!("{name}.rs"))))
        .collect();
    let arms: String = program
        .programs
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let default = if index == 0 { "None | " } else { "" };
            format!("\x20           {default}Some({name:?}) => {name}::run(&url).await,\n")
        })
        .collect();
    format!(
        "//! Written by tests/tests/event_streams_real_models.rs: the {operations} client generated \
         from the real model, and the programs that drive it.\n\n\
         #[allow(dead_code, clippy::all)]\nmod client {{\n    include!(\"../client.rs\");\n}}\n\
         #[path = {common:?}]\nmod common;\n{modules}\n\
         fn main() -> std::process::ExitCode {{\n\
         \x20   let url = std::env::args().nth(1).unwrap_or_default();\n\
         \x20   let program = std::env::args().nth(2);\n\
         \x20   let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();\n\
         \x20   let result = match runtime {{\n\
         \x20       Ok(runtime) => runtime.block_on(async {{\n\
         \x20           match program.as_deref() {{\n{arms}\
         \x20               Some(other) => Err(format!(\"no program {{other}}\")),\n\
         \x20           }}\n\
         \x20       }}),\n\
         \x20       Err(e) => Err(format!(\"tokio: {{e}}\")),\n\
         \x20   }};\n\
         \x20   match result {{\n\
         \x20       Ok(line) => {{\n            println!(\"{{line}}\");\n            std::process::ExitCode::SUCCESS\n        }}\n\
         \x20       Err(e) => {{\n            eprintln!(\"{{e}}\");\n            std::process::ExitCode::FAILURE\n        }}\n\
         \x20   }}\n}}\n",
        operations = program.operations.join(", "),
        common = path("common.rs"),
    )
}

/// Runs the program `name` (a file in `tests/real-models`) against `server`; returns its one
/// line of output.
async fn run_program(name: &str, server: &EventServer) -> Option<String> {
    let program = PROGRAMS
        .iter()
        .find(|p| p.programs.contains(&name))
        .unwrap_or_else(|| panic!("no crate has the program {name}"));
    let binary = binaries()?.join(program.name.replace('_', "-"));
    let (url, arg) = (server.url.clone(), name.to_string());
    let output =
        tokio::task::spawn_blocking(move || Command::new(&binary).arg(url).arg(arg).output())
            .await
            .expect("the program's thread")
            .expect("the program runs");
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(
        output.status.success(),
        "{name} failed: {}{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{stdout}");
    Some(stdout)
}

fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned())
}

/// An event as a service sends it, with the content type of its payload.
fn event(event_type: &str, content_type: &str, payload: impl Into<bytes::Bytes>) -> Step {
    let message = Message::new(payload)
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string(event_type))
        .with_header(":content-type", string(content_type));
    Step::Send(encode_message(&message).expect("encodable"))
}

fn json_event(event_type: &str, payload: &str) -> Step {
    event(event_type, "application/json", payload.to_owned())
}

fn exception(exception_type: &str, payload: &str) -> Step {
    let message = Message::new(payload.to_owned())
        .with_header(":message-type", string("exception"))
        .with_header(":exception-type", string(exception_type))
        .with_header(":content-type", string("application/json"));
    Step::Send(encode_message(&message).expect("encodable"))
}

/// The request's SigV4 scope names `service`.
fn assert_signed_for(request: &Recorded, service: &str) {
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains(&format!("/us-east-1/{service}/aws4_request")),
        "{authorization}"
    );
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_runtime_converse_stream() {
    let steps = vec![
        json_event("messageStart", r#"{"role":"assistant"}"#),
        json_event(
            "contentBlockDelta",
            r#"{"delta":{"text":"Hel"},"contentBlockIndex":0}"#,
        ),
        Step::Delay(std::time::Duration::from_millis(5)),
        json_event(
            "contentBlockDelta",
            r#"{"delta":{"text":"lo \u00e9"},"contentBlockIndex":0}"#,
        ),
        json_event("messageStop", r#"{"stopReason":"end_turn"}"#),
        json_event(
            "metadata",
            r#"{"usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":42}}"#,
        ),
        exception("throttlingException", r#"{"message":"slow down"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("bedrock_runtime", &server).await else {
        return;
    };
    assert!(
        line.contains("5 events, then throttlingException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/model/anthropic.claude-3-haiku/converse-stream"
    );
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn lambda_invoke_with_response_stream() {
    let steps = vec![
        event(
            "PayloadChunk",
            "application/octet-stream",
            &b"{\"partial\":"[..],
        ),
        event(
            "PayloadChunk",
            "application/octet-stream",
            &b"\x00\xff\"yes\"}"[..],
        ),
        json_event("InvokeComplete", r#"{"LogResult":"bG9n"}"#),
        exception("ServiceException", r#"{"Message":"boom"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-amz-executed-version", "7")
    })
    .await;
    let Some(line) = run_program("lambda", &server).await else {
        return;
    };
    assert!(line.contains("3 events, then an unmodelled"), "{line}");
    let request = &server.requests()[0];
    assert_eq!(
        request.uri,
        "/2021-11-15/functions/my-function/response-streaming-invocations"
    );
    assert_eq!(&request.body[..], b"{\"n\":1}");
    assert_signed_for(request, "lambda");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn kinesis_subscribe_to_shard_over_http2() {
    let record = |sequence: &str, data: &str, behind: u32| {
        json_event(
            "SubscribeToShardEvent",
            &format!(
                r#"{{"Records":[{{"SequenceNumber":"{sequence}","ApproximateArrivalTimestamp":1700000000.5,"Data":"{data}","PartitionKey":"pk"}}],"ContinuationSequenceNumber":"{sequence}-next","MillisBehindLatest":{behind}}}"#
            ),
        )
    };
    let steps = vec![
        json_event("initial-response", "{}"),
        record("1", "aGVsbG8=", 10),
        record("2", "AAH+", 0),
        exception("ResourceInUseException", r#"{"message":"shard busy"}"#),
    ];
    let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("kinesis", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events, then ResourceInUseException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(
        request.header("x-amz-target"),
        Some("Kinesis_20131202.SubscribeToShard")
    );
    assert_signed_for(request, "kinesis");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn s3_select_object_content() {
    let error = Message::new(bytes::Bytes::new())
        .with_header(":message-type", string("error"))
        .with_header(":error-code", string("InternalError"))
        .with_header(":error-message", string("select failed"));
    let steps = vec![
        event(
            "Records",
            "application/octet-stream",
            &b"{\"a\":\"1\"}\n"[..],
        ),
        event("Cont", "text/xml", bytes::Bytes::new()),
        event(
            "Records",
            "application/octet-stream",
            &b"{\"a\":\"2\"}\n"[..],
        ),
        event(
            "Stats",
            "text/xml",
            "<Stats><BytesScanned>100</BytesScanned><BytesProcessed>90</BytesProcessed>\
             <BytesReturned>24</BytesReturned></Stats>",
        ),
        Step::Send(encode_message(&error).expect("encodable")),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("s3", &server).await else {
        return;
    };
    assert!(line.contains("4 events, then an InternalError"), "{line}");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    // The endpoint rules put the bucket in the path for an IP-address endpoint.
    assert_eq!(request.uri, "/my-bucket/data/file.csv?select&select-type=2");
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("<Expression>SELECT * FROM S3Object</Expression>"),
        "{body}"
    );
    assert_signed_for(request, "s3");
}

/// Checks the request's body as the service (signing name `service`) would: every message
/// carries `:date` and a `:chunk-signature` chained from the request's signature, the last
/// one is empty. Returns the inner events.
fn verified_events(request: &Recorded, service: &str) -> Vec<Message> {
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    request.chained_events(service)
}

/// The `:event-type` of each event.
fn event_types(events: &[Message]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e.header_str(":event-type").unwrap_or_default())
        .collect()
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn transcribe_streaming_start_stream_transcription_over_http2() {
    let segment = |end: f64, partial: bool, text: &str| {
        json_event(
            "TranscriptEvent",
            &format!(
                r#"{{"Transcript":{{"Results":[{{"ResultId":"r1","StartTime":0.0,"EndTime":{end},"IsPartial":{partial},"Alternatives":[{{"Transcript":"{text}"}}]}}]}}}}"#
            ),
        )
    };
    let steps = vec![
        segment(0.5, true, "hel"),
        segment(1.25, false, "hello"),
        exception("BadRequestException", r#"{"Message":"audio too long"}"#),
    ];
    let server = EventServer::start(Version::Http2, move |_| {
        Script::ok(steps.clone()).header("x-amzn-transcribe-session-id", "sess-1")
    })
    .await;
    let Some(line) = run_program("transcribe_streaming", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events back, then BadRequestException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/stream-transcription");
    assert_eq!(
        request.header("x-amzn-transcribe-language-code"),
        Some("en-US")
    );
    assert_eq!(
        request.header("x-amzn-transcribe-sample-rate"),
        Some("16000")
    );
    assert_signed_for(request, "transcribe");
    let events = verified_events(request, "transcribe");
    assert_eq!(events.len(), 3);
    for (event, fill) in events.iter().zip([1u8, 2, 3]) {
        assert_eq!(event.header_str(":event-type"), Some("AudioEvent"));
        assert!(event.payload.iter().all(|b| *b == fill));
    }
    assert_eq!(events[2].payload.len(), 10);
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn cloudwatch_logs_start_live_tail() {
    const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:app";
    let log_event = |stream: &str, message: &str, timestamp: u64| {
        format!(
            r#"{{"logStreamName":"{stream}","logGroupIdentifier":"{GROUP}","message":"{message}","timestamp":{timestamp},"ingestionTime":{}}}"#,
            timestamp + 7
        )
    };
    let steps = vec![
        json_event("initial-response", "{}"),
        json_event(
            "sessionStart",
            &format!(
                r#"{{"requestId":"req-1","sessionId":"sess-1","logGroupIdentifiers":["{GROUP}"],"logEventFilterPattern":"ERROR"}}"#
            ),
        ),
        json_event(
            "sessionUpdate",
            &format!(
                r#"{{"sessionMetadata":{{"sampled":false}},"sessionResults":[{},{}]}}"#,
                log_event("web-1", "ERROR one", 1_700_000_000_000),
                log_event("web-2", "ERROR two \\u00e9", 1_700_000_000_100),
            ),
        ),
        Step::Delay(std::time::Duration::from_millis(5)),
        json_event("sessionUpdate", r#"{"sessionMetadata":{"sampled":true}}"#),
        exception("SessionTimeoutException", r#"{"message":"session over"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("cloudwatch_logs", &server).await else {
        return;
    };
    assert!(
        line.contains("3 events, then SessionTimeoutException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/");
    assert_eq!(
        request.header("x-amz-target"),
        Some("Logs_20140328.StartLiveTail")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    // The host prefix (`streaming-`) was turned off for the IP-address endpoint.
    let host = server.url.trim_start_matches("http://");
    assert_eq!(request.header("host"), Some(host));
    let body = request.json();
    assert_eq!(body["logGroupIdentifiers"][0], GROUP);
    assert_eq!(body["logEventFilterPattern"], "ERROR");
    assert_signed_for(request, "logs");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn sagemaker_runtime_invoke_endpoint_with_response_stream() {
    let part = |bytes: &'static [u8]| event("PayloadPart", "application/octet-stream", bytes);
    let steps = vec![
        part(b"{\"token\":\"Hel\"}\n"),
        part(b"{\"token\":\"lo\"}\n"),
        Step::Delay(std::time::Duration::from_millis(5)),
        part(b"\x00\xff"),
        exception(
            "ModelStreamError",
            r#"{"Message":"model crashed","ErrorCode":"ModelError"}"#,
        ),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-amzn-sagemaker-content-type", "application/jsonlines")
    })
    .await;
    let Some(line) = run_program("sagemaker_runtime", &server).await else {
        return;
    };
    assert!(line.contains("3 events, then ModelStreamError"), "{line}");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/endpoints/my-endpoint/invocations-response-stream"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(&request.body[..], b"{\"inputs\":\"hi\"}");
    assert_signed_for(request, "sagemaker");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn lex_runtime_v2_start_conversation_over_http2() {
    let steps = vec![
        json_event(
            "TranscriptEvent",
            r#"{"transcript":"I want flowers","eventId":"out-1"}"#,
        ),
        json_event(
            "IntentResultEvent",
            r#"{"inputMode":"Text","interpretations":[{"nluConfidence":{"score":0.93},"intent":{"name":"OrderFlowers","state":"InProgress"}}],"sessionState":{"intent":{"name":"OrderFlowers","state":"InProgress"}},"sessionId":"session-1","eventId":"out-2"}"#,
        ),
        json_event(
            "TextResponseEvent",
            r#"{"messages":[{"content":"What kind of flowers?","contentType":"PlainText"}],"eventId":"out-3"}"#,
        ),
        exception("ValidationException", r#"{"message":"bad slot"}"#),
    ];
    let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("lex_runtime_v2", &server).await else {
        return;
    };
    assert!(
        line.contains("3 events back, then ValidationException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/bots/BOT0123456/botAliases/TSTALIASID/botLocales/en_US/sessions/session-1/conversation"
    );
    assert_eq!(request.header("x-amz-lex-conversation-mode"), Some("TEXT"));
    assert_signed_for(request, "lex");
    let events = verified_events(request, "lex");
    assert_eq!(
        event_types(&events),
        ["ConfigurationEvent", "TextInputEvent", "DisconnectionEvent"]
    );
    let payloads: Vec<serde_json::Value> = events.iter().map(payload_json).collect();
    assert_eq!(
        payloads[0]["responseContentType"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(payloads[0]["clientTimestampMillis"], 1_700_000_000_000u64);
    assert_eq!(payloads[1]["text"], "I want flowers");
    assert_eq!(payloads[2]["eventId"], "in-3");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_agent_runtime_invoke_agent() {
    let steps = vec![
        json_event("chunk", r#"{"bytes":"U3VyZSwg"}"#),
        json_event("chunk", r#"{"bytes":"Zm9yIGhvdyBtYW55Pw=="}"#),
        Step::Delay(std::time::Duration::from_millis(5)),
        json_event("chunk", r#"{"bytes":"AP8="}"#),
        exception("throttlingException", r#"{"message":"too many requests"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone())
            .header("x-amz-bedrock-agent-session-id", "session-1")
            .header("x-amzn-bedrock-agent-content-type", "application/json")
    })
    .await;
    let Some(line) = run_program("bedrock_agent_runtime", &server).await else {
        return;
    };
    assert!(
        line.contains("3 events, then throttlingException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/agents/AGENT12345/agentAliases/ALIAS12345/sessions/session-1/text"
    );
    assert_eq!(request.json()["inputText"], "Book a table");
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_runtime_invoke_model_with_response_stream() {
    let steps = vec![
        json_event("chunk", r#"{"bytes":"eyJjb21wbGV0aW9uIjoiSGVsIn0="}"#),
        json_event("chunk", r#"{"bytes":"eyJjb21wbGV0aW9uIjoibG8ifQ=="}"#),
        Step::Delay(std::time::Duration::from_millis(5)),
        json_event("chunk", r#"{"bytes":"AP8="}"#),
        exception(
            "modelStreamErrorException",
            r#"{"message":"model failed","originalStatusCode":500,"originalMessage":"oops"}"#,
        ),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-amzn-bedrock-content-type", "application/json")
    })
    .await;
    let Some(line) = run_program("bedrock_runtime_invoke_model", &server).await else {
        return;
    };
    assert!(
        line.contains("3 events, then modelStreamErrorException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.uri,
        "/model/anthropic.claude-v2/invoke-with-response-stream"
    );
    assert_eq!(&request.body[..], b"{\"prompt\":\"hi\"}");
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn iotsitewise_invoke_assistant() {
    let conversation = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    let steps = vec![
        json_event("trace", r#"{"text":"looking up pump-1"}"#),
        json_event(
            "output",
            r#"{"message":"The pump's seal is worn.","citations":[{"reference":{"dataset":{"datasetArn":"arn:aws:iotsitewise:us-east-1:123456789012:dataset/d1","source":{"arn":"arn:aws:iotsitewise:us-east-1:123456789012:asset/pump-1","location":{"uri":"s3://manuals/pump.pdf"}}}},"content":{"text":"Check the seal."}}]}"#,
        ),
        exception("throttlingException", r#"{"message":"slow down"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone())
            .header("x-amz-iotsitewise-assistant-conversation-id", conversation)
    })
    .await;
    let Some(line) = run_program("iotsitewise", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events, then throttlingException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/assistant/invocation");
    // The host prefix (`data.`) was turned off for the IP-address endpoint.
    let host = server.url.trim_start_matches("http://");
    assert_eq!(request.header("host"), Some(host));
    let body = request.json();
    assert_eq!(body["conversationId"], conversation);
    assert_eq!(body["message"], "Why is pump-1 leaking?");
    assert_eq!(body["enableTrace"], true);
    assert_signed_for(request, "iotsitewise");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn qbusiness_chat_over_http2() {
    let conversation = "c0ffee00-1111-4222-8333-444455556666";
    let text = |message: &str| {
        json_event(
            "textEvent",
            &format!(r#"{{"conversationId":"{conversation}","systemMessage":"{message}"}}"#),
        )
    };
    let steps = vec![
        text("Employees get "),
        text("25 days."),
        json_event(
            "metadataEvent",
            &format!(
                r#"{{"conversationId":"{conversation}","finalTextMessage":"Employees get 25 days."}}"#
            ),
        ),
    ];
    let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("qbusiness", &server).await else {
        return;
    };
    assert!(line.contains("3 events back, then the end"), "{line}");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    let (path, query) = request.uri.split_once('?').expect("a query");
    assert_eq!(
        path,
        "/applications/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/conversations"
    );
    // The idempotency token is filled in when unset.
    assert!(query.contains("userId=ana"), "{query}");
    assert!(query.contains("clientToken="), "{query}");
    assert_signed_for(request, "qbusiness");
    let events = verified_events(request, "qbusiness");
    assert_eq!(
        event_types(&events),
        ["configurationEvent", "textEvent", "endOfInputEvent"]
    );
    let payloads: Vec<serde_json::Value> = events.iter().map(payload_json).collect();
    assert_eq!(payloads[0]["chatMode"], "RETRIEVAL_MODE");
    assert_eq!(payloads[1]["userMessage"], "What is our leave policy?");
    assert_eq!(payloads[2], serde_json::json!({}));
}

/// The `:event-type` and `:content-type` of each event.
fn kinds(events: &[Message]) -> Vec<(&str, &str)> {
    events
        .iter()
        .map(|e| {
            (
                e.header_str(":event-type").unwrap_or_default(),
                e.header_str(":content-type").unwrap_or_default(),
            )
        })
        .collect()
}

fn payload_json(event: &Message) -> serde_json::Value {
    serde_json::from_slice(&event.payload).expect("a JSON event")
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn transcribe_streaming_start_medical_stream_transcription_over_http2() {
    let result = |end: f64, partial: bool, text: &str| {
        json_event(
            "TranscriptEvent",
            &format!(
                r#"{{"Transcript":{{"Results":[{{"ResultId":"m1","StartTime":0.0,"EndTime":{end},"IsPartial":{partial},"Alternatives":[{{"Transcript":"{text}"}}],"ChannelId":"ch_0"}}]}}}}"#
            ),
        )
    };
    let steps = vec![
        result(0.4, true, "aortic"),
        result(1.1, false, "aortic stenosis"),
        exception(
            "LimitExceededException",
            r#"{"Message":"too many streams"}"#,
        ),
    ];
    let server = EventServer::start(Version::Http2, move |_| {
        Script::ok(steps.clone()).header("x-amzn-transcribe-specialty", "CARDIOLOGY")
    })
    .await;
    let Some(line) = run_program("transcribe_medical", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events back, then LimitExceededException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/medical-stream-transcription");
    assert_eq!(
        request.header("x-amzn-transcribe-specialty"),
        Some("CARDIOLOGY")
    );
    assert_eq!(request.header("x-amzn-transcribe-type"), Some("DICTATION"));
    assert_signed_for(request, "transcribe");
    let events = verified_events(request, "transcribe");
    assert_eq!(
        kinds(&events),
        [("AudioEvent", "application/octet-stream"); 2]
    );
    assert_eq!(&events[0].payload[..], &[4u8; 1600][..]);
    assert_eq!(&events[1].payload[..], &[5u8; 7][..]);
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn transcribe_streaming_start_call_analytics_stream_transcription_over_http2() {
    let steps = vec![
        json_event(
            "UtteranceEvent",
            r#"{"UtteranceId":"u1","IsPartial":false,"ParticipantRole":"AGENT","BeginOffsetMillis":0,"EndOffsetMillis":1200,"Transcript":"Thanks for calling."}"#,
        ),
        json_event("CategoryEvent", r#"{"MatchedCategories":["greeting"]}"#),
        exception("ServiceUnavailableException", r#"{"Message":"try later"}"#),
    ];
    let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("transcribe_call_analytics", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events back, then ServiceUnavailableException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/call-analytics-stream-transcription");
    assert_eq!(
        request.header("x-amzn-transcribe-sample-rate"),
        Some("8000")
    );
    assert_signed_for(request, "transcribe");
    let events = verified_events(request, "transcribe");
    assert_eq!(
        kinds(&events),
        [
            ("ConfigurationEvent", "application/json"),
            ("AudioEvent", "application/octet-stream")
        ]
    );
    assert_eq!(
        payload_json(&events[0]),
        serde_json::json!({"ChannelDefinitions": [
            {"ChannelId": 0, "ParticipantRole": "AGENT"},
            {"ChannelId": 1, "ParticipantRole": "CUSTOMER"}
        ]})
    );
    assert_eq!(&events[1].payload[..], &[6u8; 320][..]);
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn transcribe_streaming_start_medical_scribe_stream_over_http2() {
    let segment = |id: &str, end: f64, content: &str| {
        json_event(
            "TranscriptEvent",
            &format!(
                r#"{{"TranscriptSegment":{{"SegmentId":"{id}","BeginAudioTime":0.0,"EndAudioTime":{end},"Content":"{content}","IsPartial":false,"ChannelId":"CHANNEL_0"}}}}"#
            ),
        )
    };
    let steps = vec![
        segment("s1", 1.5, "How are you feeling?"),
        segment("s2", 3.0, "Better today."),
        exception("InternalFailureException", r#"{"Message":"internal"}"#),
    ];
    let server = EventServer::start(Version::Http2, move |_| {
        Script::ok(steps.clone()).header("x-amzn-transcribe-session-id", "scribe-1")
    })
    .await;
    let Some(line) = run_program("transcribe_medical_scribe", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events back, then InternalFailureException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/medical-scribe-stream");
    assert_eq!(
        request.header("x-amzn-transcribe-media-encoding"),
        Some("pcm")
    );
    assert_signed_for(request, "transcribe");
    let events = verified_events(request, "transcribe");
    assert_eq!(
        kinds(&events),
        [
            ("ConfigurationEvent", "application/json"),
            ("AudioEvent", "application/octet-stream"),
            ("SessionControlEvent", "application/json")
        ]
    );
    assert_eq!(
        payload_json(&events[0]),
        serde_json::json!({
            "ResourceAccessRoleArn": "arn:aws:iam::123456789012:role/scribe",
            "PostStreamAnalyticsSettings": {
                "ClinicalNoteGenerationSettings": {"OutputBucketName": "notes-bucket"}
            }
        })
    );
    assert_eq!(&events[1].payload[..], &[7u8; 640][..]);
    assert_eq!(
        payload_json(&events[2]),
        serde_json::json!({"Type": "END_OF_SESSION"})
    );
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_agent_runtime_invoke_flow() {
    let steps = vec![
        json_event(
            "flowOutputEvent",
            r#"{"nodeName":"FlowOutputNode","nodeType":"FlowOutputNode","content":{"document":{"answer":42,"steps":["6","x","7"],"exact":true}}}"#,
        ),
        json_event("flowCompletionEvent", r#"{"completionReason":"SUCCESS"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-amz-bedrock-flow-execution-id", "exec-1")
    })
    .await;
    let Some(line) = run_program("bedrock_agent_flow", &server).await else {
        return;
    };
    assert!(line.contains("2 events, then the end"), "{line}");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/flows/FLOW123456/aliases/ALIAS12345");
    assert_eq!(
        request.json()["inputs"],
        serde_json::json!([{
            "nodeName": "FlowInputNode",
            "nodeOutputName": "document",
            "content": {"document": {"question": "6 x 7?"}}
        }])
    );
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_agent_runtime_invoke_inline_agent() {
    let steps = vec![
        json_event("chunk", r#"{"bytes":"Qm9va2VkIA=="}"#),
        json_event("chunk", r#"{"bytes":"Zm9yIDggcG0u"}"#),
        exception("validationException", r#"{"message":"bad instruction"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone())
            .header("x-amz-bedrock-agent-session-id", "inline-1")
            .header("x-amzn-bedrock-agent-content-type", "application/json")
    })
    .await;
    let Some(line) = run_program("bedrock_agent_inline", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events, then validationException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/agents/inline-1");
    let body = request.json();
    assert_eq!(
        body["foundationModel"],
        "anthropic.claude-3-haiku-20240307-v1:0"
    );
    assert_eq!(body["inputText"], "A table for two");
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_agent_runtime_optimize_prompt() {
    let steps = vec![
        json_event(
            "analyzePromptEvent",
            r#"{"message":"The prompt names no format."}"#,
        ),
        json_event(
            "optimizedPromptEvent",
            r#"{"optimizedPrompt":{"textPrompt":{"text":"Summarise the document in three bullet points: {{doc}}"}}}"#,
        ),
        exception("accessDeniedException", r#"{"message":"no access"}"#),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let Some(line) = run_program("bedrock_agent_optimize_prompt", &server).await else {
        return;
    };
    assert!(
        line.contains("2 events, then accessDeniedException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/optimize-prompt");
    assert_eq!(
        request.json(),
        serde_json::json!({
            "input": {"textPrompt": {"text": "summarise {{doc}}"}},
            "targetModelId": "anthropic.claude-3-sonnet-20240229-v1:0"
        })
    );
    assert_signed_for(request, "bedrock");
}

#[tokio::test]
#[ignore = "builds eleven generated crates (minutes the first time); run with --ignored"]
async fn bedrock_agent_runtime_retrieve_and_generate_stream() {
    let steps = vec![
        json_event("output", r#"{"text":"Refunds within "}"#),
        json_event("output", r#"{"text":"30 days."}"#),
        json_event(
            "citation",
            r#"{"generatedResponsePart":{"textResponsePart":{"text":"30 days","span":{"start":0,"end":6}}}}"#,
        ),
        json_event("guardrail", r#"{"action":"NONE"}"#),
        exception(
            "dependencyFailedException",
            r#"{"message":"knowledge base down","resourceName":"KB12345678"}"#,
        ),
    ];
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-amzn-bedrock-knowledge-base-session-id", "kb-session-1")
    })
    .await;
    let Some(line) = run_program("bedrock_agent_retrieve_and_generate", &server).await else {
        return;
    };
    assert!(
        line.contains("4 events, then dependencyFailedException"),
        "{line}"
    );
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/retrieveAndGenerateStream");
    let body = request.json();
    assert_eq!(body["input"]["text"], "What is the refund window?");
    assert_eq!(
        body["retrieveAndGenerateConfiguration"]["type"],
        "KNOWLEDGE_BASE"
    );
    assert_eq!(
        body["retrieveAndGenerateConfiguration"]["knowledgeBaseConfiguration"]["knowledgeBaseId"],
        "KB12345678"
    );
    assert_signed_for(request, "bedrock");
}
