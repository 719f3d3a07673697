//! Shared pieces of the pipeline tests: a scripted local HTTP/1 server (hyper), a hand-written
//! stand-in for a generated operation, and a sleep that records instead of waiting.

#![allow(dead_code)] // Each test file uses a different subset.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use smithy_runtime::client::{Config, ConfigBuilder, Operation, Service};
use smithy_runtime::credentials::Credentials;
use smithy_runtime::endpoint::{service_endpoint_traits, EmbeddedRuleSet};
use smithy_runtime::error::Unhandled;
use smithy_runtime::http::{BoxFuture, HttpResponse, RequestParts};
use smithy_runtime::retry::RandomSource;
use smithy_runtime::sleep::Sleep;
use smithy_runtime::{BuildError, SdkError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path_and_query: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the server does with request number `n` (0-based).
pub enum Reply {
    /// Answers with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Never answers.
    Hang,
    /// Drops the connection without answering.
    Close,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }

    /// An error response with `x-amzn-errortype`.
    pub fn error(status: u16, code: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![
                ("x-amzn-errortype", code.into()),
                ("content-type", "application/json".into()),
            ],
            body: format!(r#"{{"message":"{code} from the test server"}}"#),
        }
    }
}

type Script = dyn Fn(usize) -> Reply + Send + Sync;

/// A local HTTP/1 server answering from a script, recording every request.
pub struct TestServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    pub async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let io = hyper_util::rt::TokioIo::new(stream);
                let script = Arc::clone(&script);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        handle(request, Arc::clone(&script), Arc::clone(&recorded))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        TestServer { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

type HandlerResult = Result<http::Response<Full<Bytes>>, Box<dyn std::error::Error + Send + Sync>>;

async fn handle(
    request: http::Request<Incoming>,
    script: Arc<Script>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> HandlerResult {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let index = {
        let mut recorded = recorded.lock().unwrap();
        recorded.push(Recorded {
            method: parts.method.to_string(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            headers: parts.headers,
            body,
        });
        recorded.len() - 1
    };
    match script(index) {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut response = http::Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            Ok(response.body(Full::new(Bytes::from(body)))?)
        }
        Reply::Hang => std::future::pending().await,
        // A service error makes hyper drop the connection without a response.
        Reply::Close => Err("closing the connection".into()),
    }
}

/// An address nothing listens on (connections are refused).
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// The MediaPackage v2 endpoint rule set, read from the model at test time.
pub fn mediapackage_rules() -> &'static EmbeddedRuleSet {
    static RULES: OnceLock<&'static EmbeddedRuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        // The project's own model (same rule set as the real one), so the pipeline tests
        // need no reference data.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/mediapackagev2.json");
        let text = std::fs::read_to_string(path).expect("model file");
        let model: serde_json::Value = serde_json::from_str(&text).expect("model JSON");
        let traits = service_endpoint_traits(&model).expect("endpoint rule set");
        let json: &'static str = Box::leak(traits.ruleset.to_string().into_boxed_str());
        Box::leak(Box::new(EmbeddedRuleSet::new(json)))
    })
}

/// MediaPackage v2 as generated code would describe it.
pub fn mediapackage() -> Service {
    Service {
        sdk_id: "MediaPackageV2",
        api_version: "2022-12-25",
        signing_name: Some("mediapackagev2"),
        endpoint_rules: Some(mediapackage_rules()),
    }
}

pub const GET_HARVEST_JOB: Operation = Operation {
    name: "GetHarvestJob",
    retryable_errors: &[],
};

pub const HARVEST_JOB_PATH: &str = "/channelGroup/g/channel/c/originEndpoint/o/harvestJob/j";

/// The request a generated `GetHarvestJob` serializer would build.
pub fn get_harvest_job_request() -> Result<RequestParts, BuildError> {
    let mut parts = RequestParts::new("GET");
    parts.push_path(HARVEST_JOB_PATH);
    Ok(parts)
}

/// A parser in the shape of a generated one: the body text on success, an [`Unhandled`]
/// service error otherwise.
#[allow(clippy::result_large_err)] // As generated parsers: errors keep the whole response.
pub fn parse(response: HttpResponse) -> Result<String, SdkError<Unhandled>> {
    if response.status().is_success() {
        return Ok(String::from_utf8_lossy(response.body()).into_owned());
    }
    let body = smithy_runtime::json::parse_body(response.body()).unwrap_or_default();
    let meta = smithy_runtime::rest_json::error_metadata(&response, &body);
    Err(SdkError::Service(Unhandled {
        meta,
        body: response.body().clone(),
    }))
}

/// Sends `GetHarvestJob` through the pipeline.
pub async fn get_harvest_job(config: &Config) -> Result<String, SdkError<Unhandled>> {
    smithy_runtime::client::invoke_operation(
        config,
        &mediapackage(),
        &GET_HARVEST_JOB,
        get_harvest_job_request(),
        parse,
    )
    .await
}

/// Records requested sleeps and returns at once (virtual time for backoff).
#[derive(Clone, Debug, Default)]
pub struct RecordingSleep {
    slept: Arc<Mutex<Vec<Duration>>>,
    /// Also sleep on tokio's (paused) clock, so tokio time advances.
    pub advance_tokio: bool,
}

impl RecordingSleep {
    pub fn advancing_tokio() -> Self {
        RecordingSleep {
            advance_tokio: true,
            ..RecordingSleep::default()
        }
    }

    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.slept.lock().unwrap().push(duration);
        if self.advance_tokio {
            Box::pin(tokio::time::sleep(duration))
        } else {
            Box::pin(async {})
        }
    }
}

/// A configuration against `url` with static credentials, region us-east-1, recorded sleeps
/// and the largest jitter (so backoffs are exactly 1 s, 2 s, ...).
pub fn config_for(url: &str, sleep: &RecordingSleep) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .sleep_impl(sleep.clone())
        .random_source(RandomSource::fixed(1.0))
}
