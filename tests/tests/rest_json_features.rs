//! Every restJson1 binding and value kind, through a client generated from
//! `tests/models/features.smithy`, against a real HTTP server on 127.0.0.1 (a capturing
//! transport where the host itself changes).

use integration_tests::features::{operation, types, Client, SdkError};
use integration_tests::handler_server::{serde_json_value::json, Reply, TestServer};
use smithy_runtime::error::DispatchError;
use smithy_runtime::http::{Body, BoxFuture, HttpClient, HttpRequest, StreamingResponse};
use smithy_runtime::{timestamp, Blob, ByteStream, Bytes, DateTime};
use std::sync::{Arc, Mutex};

fn client(server: &TestServer) -> Client {
    Client::from_conf(server.config())
}

/// 2019-12-16T23:48:18Z.
fn instant() -> DateTime {
    timestamp::from_epoch_seconds(1576540098.0).expect("valid instant")
}

#[tokio::test]
async fn put_object_binds_labels_query_headers_and_a_streaming_payload() {
    let server = TestServer::start(|_| {
        Reply::status(201)
            .header("ETag", "\"abc\"")
            .header("x-count", "7")
    })
    .await;
    let output = client(&server)
        .put_object()
        .bucket("bkt")
        .key("dir/a b.txt")
        .body(ByteStream::from_chunks([
            Bytes::from("hello "),
            Bytes::from("world"),
        ]))
        .metadata("Owner", "me")
        .when(instant())
        .tags("a")
        .tags("b,c")
        .since(instant())
        .epoch(instant())
        .flag(true)
        .ratio(f64::NAN)
        .extra("flag", "ignored: the explicit member wins")
        .extra("z", "1")
        .send()
        .await
        .expect("PutObject succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path(), "/objects/bkt/dir/a%20b.txt");
    assert_eq!(
        request.query(),
        "x-id=PutObject&since=2019-12-16T23%3A48%3A18Z&epoch=1576540098&flag=true&ratio=NaN&z=1"
    );
    assert_eq!(request.header("x-meta-owner"), Some("me"));
    assert_eq!(
        request.header("x-when"),
        Some("Mon, 16 Dec 2019 23:48:18 GMT")
    );
    assert_eq!(request.header("x-tags"), Some("a, \"b,c\""));
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, Bytes::from("hello world"));
    assert_eq!(output.status(), Some(201));
    assert_eq!(output.e_tag(), Some("\"abc\""));
    assert_eq!(output.count(), Some(7));
    let all = output.all_headers().expect("every header");
    assert_eq!(all.get("x-count").map(String::as_str), Some("7"));
}

#[tokio::test]
async fn get_object_streams_the_payload_and_reads_header_lists() {
    let server = TestServer::start(|_| {
        Reply::status(200)
            .header("x-modified", "Mon, 16 Dec 2019 23:48:18 GMT")
            .header(
                "x-dates",
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
            )
            .header("x-tags", "a, \"b,c\"")
            .body("payload bytes")
    })
    .await;
    let output = client(&server)
        .get_object()
        .bucket("bkt")
        .key("k")
        .send()
        .await
        .expect("GetObject succeeds");
    assert_eq!(output.modified(), Some(&instant()));
    assert_eq!(output.dates(), [instant(), instant()]);
    assert_eq!(output.tags(), ["a", "b,c"]);
    let mut body = output.body.clone().expect("a body");
    let mut read = Vec::new();
    while let Some(chunk) = body.next().await {
        read.extend_from_slice(&chunk.expect("chunk"));
    }
    assert_eq!(read, b"payload bytes");
}

#[tokio::test]
async fn string_payload_in_structure_payload_out() {
    let server = TestServer::start(|_| Reply::json(json!({"Value": "ok"}))).await;
    let output = client(&server)
        .send_text()
        .text("plain words")
        .send()
        .await
        .expect("SendText succeeds");
    let request = server.single_request();
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.body, Bytes::from("plain words"));
    assert_eq!(output.result().and_then(|r| r.value()), Some("ok"));
}

#[tokio::test]
async fn every_value_kind_round_trips_through_the_json_body() {
    let server = TestServer::start(|request| {
        // Echo the body back, without the defaulted members, plus an unknown union member.
        let mut body = request.json();
        body["Choice"] = json!({"SomethingNew": 1});
        Reply::json(body)
    })
    .await;
    let tree = types::Node::builder()
        .value("root")
        .next(types::Node::builder().value("leaf").build())
        .build();
    let output = client(&server)
        .everything()
        .at(instant())
        .choice(types::Choice::Nested(Box::new(types::Choice::Text(
            "x".into(),
        ))))
        .doc(json!({"any": ["json", 1, null]}))
        .data(Blob::new(b"bytes".to_vec()))
        .sparse(Some("a".to_string()))
        .sparse(None)
        .sparse_map("k", None)
        .ratio(f64::INFINITY)
        .epoch(instant())
        .date_time(instant())
        .http_date(instant())
        .original("renamed on the wire")
        .tree(tree.clone())
        .color(types::Color::Red)
        .send()
        .await
        .expect("Everything succeeds");
    let request = server.single_request();
    assert_eq!(request.path(), "/everything/2019-12-16T23%3A48%3A18Z");
    assert_eq!(
        request.json(),
        json!({
            "Choice": {"Nested": {"Text": "x"}},
            "Doc": {"any": ["json", 1, null]},
            "Data": "Ynl0ZXM=",
            "Sparse": ["a", null],
            "SparseMap": {"k": null},
            "Ratio": "Infinity",
            "Epoch": 1576540098,
            "DateTime": "2019-12-16T23:48:18Z",
            "HttpDate": "Mon, 16 Dec 2019 23:48:18 GMT",
            "renamed": "renamed on the wire",
            "Tree": {"Value": "root", "Next": {"Value": "leaf"}},
            "Color": "RED"
        })
    );
    assert_eq!(output.choice(), Some(&types::Choice::Unknown));
    assert_eq!(output.doc(), Some(&json!({"any": ["json", 1, null]})));
    assert_eq!(output.data().map(Blob::as_bytes), Some(&b"bytes"[..]));
    assert_eq!(output.sparse(), [Some("a".to_string()), None]);
    assert_eq!(output.ratio(), Some(f64::INFINITY));
    assert_eq!(output.epoch(), Some(&instant()));
    assert_eq!(output.date_time(), Some(&instant()));
    assert_eq!(output.http_date(), Some(&instant()));
    assert_eq!(output.original(), Some("renamed on the wire"));
    assert_eq!(output.tree(), Some(&tree));
    assert_eq!(output.color(), Some(&types::Color::Red));
    // Members with `@default` that the response omits get their default.
    assert_eq!(output.count(), 5);
    assert_eq!(output.label(), "none");
    assert!(!output.enabled());
    assert_eq!(output.shade(), &types::Color::Green);
    #[allow(deprecated)]
    let old = output.old_label();
    assert_eq!(old, None);
}

#[tokio::test]
async fn modelled_errors_read_headers_and_service_level_errors() {
    let server = TestServer::start(|request| {
        if request.path().starts_with("/everything") {
            Reply::json(json!({"Message": "gone"}))
                .with_status(404)
                .header("x-amzn-errortype", "NotFound")
                .header("x-resource", "thing-1")
        } else {
            Reply::json(json!({"__type": "test.features#ServiceFault", "message": "oops"}))
                .with_status(500)
        }
    })
    .await;
    let client = client(&server);
    let error = client
        .everything()
        .at(instant())
        .send()
        .await
        .expect_err("404");
    let Some(operation::everything::EverythingError::NotFound(not_found)) =
        error.into_service_error()
    else {
        panic!("not NotFound");
    };
    assert_eq!(not_found.message(), Some("gone"));
    assert_eq!(not_found.resource(), Some("thing-1"));
    assert_eq!(not_found.meta().status, 404);
    let error = client.send_text().send().await.expect_err("500");
    let service_error = error.into_service_error().expect("a service error");
    assert!(service_error.is_service_fault());
    assert_eq!(service_error.to_string(), "ServiceFault: oops");
}

#[tokio::test]
async fn paginator_follows_a_nested_token_with_service_defaults() {
    let server = TestServer::start(|request| {
        let body = match request.query() {
            "max=2" => json!({"Things": ["a", "b"], "Page": {"NextToken": "p2"}}),
            "next=p2&max=2" => json!({"Things": ["c"], "Page": {"NextToken": ""}}),
            other => json!({"unexpected": other}),
        };
        Reply::json(body)
    })
    .await;
    let things = client(&server)
        .list_things()
        .max_results(2)
        .into_paginator()
        .send()
        .items()
        .collect()
        .await
        .expect("items");
    assert_eq!(things, ["a", "b", "c"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_event_stream_operation_sends_and_an_empty_stream_ends_at_once() {
    // Event streams themselves are tested in `event_streams.rs`; here, the features model's
    // `Subscribe` (an output event stream) is sent, and a body with no frame is the end.
    let server = TestServer::start(|_| Reply::status(200)).await;
    let output = client(&server)
        .subscribe()
        .send()
        .await
        .expect("the initial response");
    assert_eq!(server.requests().len(), 1);
    let events = output.events.expect("the event stream");
    let first = events.recv().await;
    assert!(matches!(first, Ok(None)), "{first:?}");
}

#[tokio::test]
async fn colliding_names_are_escaped_and_keep_their_wire_names() {
    let server = TestServer::start(|_| {
        Reply::json(json!({"type": "t", "Result": {"Value": "v"}, "Kind": "UNKNOWN"}))
    })
    .await;
    let output = client(&server)
        .obstacles()
        .r#type("a")
        .r#match("b")
        .self_value("c")
        .build_value("d")
        .input_value("e")
        .option(types::Option::builder().some("f").build())
        .send()
        .await
        .expect("Obstacles succeeds");
    assert_eq!(
        server.single_request().json(),
        json!({"type": "a", "match": "b", "self": "c", "build": "d", "Input": "e", "Option": {"Some": "f"}})
    );
    assert_eq!(output.r#type(), Some("t"));
    assert_eq!(output.result().and_then(|r| r.value()), Some("v"));
    assert_eq!(output.kind(), Some(&types::Kind::UnknownValue));
    assert_eq!(types::Kind::from("NEW"), types::Kind::from("NEW"));
    assert!(matches!(types::Kind::from("NEW"), types::Kind::Unknown(_)));
}

/// A transport that records requests and answers `{}`: the host prefix changes the host, so
/// these requests cannot reach the loopback server.
#[derive(Clone, Debug, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

impl HttpClient for Capture {
    fn call(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, DispatchError>> {
        if let Ok(mut uris) = self.0.lock() {
            uris.push(request.uri().to_string());
        }
        Box::pin(async { Ok(http::Response::new(Body::from("{}"))) })
    }
}

/// Sends HostPrefixed to `endpoint` with a valid host label, then with an invalid one (which
/// must fail before sending, whether or not the prefix is used); returns the URIs sent.
async fn host_prefixed_uris(endpoint: &str, disable_host_prefix: bool) -> Vec<String> {
    let capture = Capture::default();
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKID", "SECRET",
        ))
        .disable_host_prefix(disable_host_prefix)
        .http_client(capture.clone())
        .build()
        .expect("config");
    assert_eq!(config.disable_host_prefix(), disable_host_prefix);
    let client = Client::from_conf(config);
    client
        .host_prefixed()
        .account("acct-1")
        .send()
        .await
        .expect("HostPrefixed succeeds");
    let error = client
        .host_prefixed()
        .account("not/a/label")
        .send()
        .await
        .expect_err("invalid host label");
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    let sent = capture.0.lock().expect("lock");
    sent.clone()
}

#[tokio::test]
async fn host_prefix_expands_host_labels_in_front_of_the_endpoint_host() {
    let uris = host_prefixed_uris("https://features.example.com", false).await;
    assert_eq!(uris, ["https://acct-1.data.features.example.com/prefixed"]);
}

#[tokio::test]
async fn disable_host_prefix_sends_to_the_endpoint_host_as_it_is() {
    // The label is still checked (inside the helper): the prefix is dropped, not its validation.
    let uris = host_prefixed_uris("http://127.0.0.1:9", true).await;
    assert_eq!(uris, ["http://127.0.0.1:9/prefixed"]);
}
