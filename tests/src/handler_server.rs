//! A real HTTP/1.1 server on 127.0.0.1 (hyper) for behaviour tests whose replies depend on the
//! request: it records every request and answers with whatever the test's handler returns.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::sync::{Arc, Mutex};

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Method.
    pub method: String,
    /// Path and query, exactly as sent.
    pub uri: String,
    /// Headers.
    pub headers: http::HeaderMap,
    /// Body.
    pub body: Bytes,
}

impl Recorded {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json_value::Value {
        serde_json_value::from_slice(&self.body).expect("JSON request body")
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }

    /// The query string (empty when there is none).
    pub fn query(&self) -> &str {
        self.uri.split_once('?').map_or("", |(_, q)| q)
    }

    /// The events of a signed event-stream body, each checked as the service would: every
    /// message's `:chunk-signature` chains from the one before, the first from the request's
    /// own signature (test credentials, us-east-1, `service`), and the stream ends with an
    /// empty signed message. Returns the inner (unwrapped) events.
    pub fn chained_events(&self, service: &str) -> Vec<smithy_runtime::event_stream::Message> {
        use smithy_runtime::credentials::Credentials;
        use smithy_runtime::event_stream::decoder::decode_message;
        use smithy_runtime::event_stream::signing::{verify, EventSigner};
        use smithy_runtime::event_stream::MessageDecoder;
        let authorization = self.header("authorization").expect("signed");
        let seed = authorization
            .rsplit("Signature=")
            .next()
            .expect("a signature");
        let mut signer = EventSigner::new(
            Credentials::from_keys("AKIDEXAMPLE", "SECRET"),
            "us-east-1",
            service,
            seed,
        );
        let mut decoder = MessageDecoder::new();
        decoder.push(&self.body);
        let mut signed = Vec::new();
        while let Some(message) = decoder.next_message().expect("a well-framed body") {
            signed.push(message);
        }
        decoder.finish().expect("no trailing bytes");
        for (index, message) in signed.iter().enumerate() {
            assert!(
                verify(&mut signer, message),
                "signature {index} does not chain"
            );
        }
        let (end, events) = signed.split_last().expect("at least the end message");
        assert!(
            end.payload.is_empty(),
            "the stream ends with the empty signed message"
        );
        events
            .iter()
            .map(|m| decode_message(&m.payload).expect("an event inside"))
            .collect()
    }
}

/// Re-exported so tests and this module agree on one JSON type.
pub use smithy_runtime::serde_json as serde_json_value;

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A reply with a status and no body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A 200 reply with a JSON body.
    pub fn json(body: serde_json_value::Value) -> Reply {
        Reply::status(200)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    /// Sets the status.
    pub fn with_status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running loopback server.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Starts a server answering every request with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                let service = service_fn(move |request| {
                    let handler = Arc::clone(&handler);
                    let log = Arc::clone(&log);
                    async move { answer(request, &*handler, &log).await }
                });
                tokio::spawn(async move {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TestServer { url, requests }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The only request received (panics unless exactly one arrived).
    pub fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests.into_iter().next().expect("one request")
    }

    /// A client configuration pointing at this server.
    pub fn config(&self) -> smithy_runtime::client::Config {
        smithy_runtime::client::Config::builder()
            .endpoint_url(&self.url)
            .region("us-east-1")
            .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
                "AKIDEXAMPLE",
                "SECRET",
            ))
            // Retries have their own tests; here every reply is seen exactly once.
            .retry_config(smithy_runtime::retry::RetryConfig::disabled())
            .build()
            .expect("client configuration")
    }
}

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    handler: &Handler,
    log: &Mutex<Vec<Recorded>>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let recorded = Recorded {
        method: parts.method.to_string(),
        uri: parts
            .uri
            .path_and_query()
            .map_or_else(String::new, |p| p.to_string()),
        headers: parts.headers,
        body,
    };
    let reply = handler(&recorded);
    if let Ok(mut log) = log.lock() {
        log.push(recorded);
    }
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status).expect("status code");
    for (name, value) in reply.headers {
        let name = hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("header name");
        let value = hyper::header::HeaderValue::from_str(&value).expect("header value");
        response.headers_mut().append(name, value);
    }
    Ok(response)
}
