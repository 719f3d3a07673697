//! Smithy RPC v2 CBOR end to end: a client generated from our own model
//! (`tests/models/notes_rpcv2_cbor.smithy`) against a real HTTP server on 127.0.0.1 that decodes
//! each request's CBOR and answers in CBOR, as a service would.

use integration_tests::handler_server::{Recorded, Reply, TestServer};
use integration_tests::notes_rpcv2_cbor::operation::get_note::GetNoteError;
use integration_tests::notes_rpcv2_cbor::types::{Attachment, Attachment2, Level, Priority};
use integration_tests::notes_rpcv2_cbor::{Client, SdkError};
use smithy_runtime::cbor::{self, Map, Value};
use smithy_runtime::{timestamp, Blob};

fn client(server: &TestServer) -> Client {
    Client::from_conf(server.config())
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map>(),
    )
}

/// A CBOR reply, with the protocol's headers.
fn cbor_reply(status: u16, body: &Value) -> Reply {
    Reply::status(status)
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("content-type", "application/cbor")
        .body(cbor::encode(body))
}

fn request_body(request: &Recorded) -> Map {
    match cbor::decode(&request.body).expect("the request body is CBOR") {
        Value::Map(map) => map,
        other => panic!("the request body is not a map: {other:?}"),
    }
}

/// A stored note as the service returns it, with a member the model does not know.
fn stored_note() -> Value {
    map(vec![
        ("id", text("n1")),
        ("title", text("Groceries \u{1f955}")),
        ("body", Value::Bytes(vec![0, 1, 2, 255])),
        ("tags", Value::Array(vec![text("home"), text("todo")])),
        (
            "createdAt",
            Value::Tag(1, Box::new(Value::Float(1576540098.5))),
        ),
        ("priority", text("high")),
        ("level", Value::Integer(2)),
        ("ratio", Value::Float(f64::NEG_INFINITY)),
        ("weight", Value::Float(0.25)),
        ("count", Value::Integer(i128::from(i64::MAX))),
        ("pinned", Value::Bool(true)),
        ("attributes", map(vec![("colour", text("green"))])),
        (
            "sparseAttributes",
            map(vec![("a", Value::Integer(1)), ("b", Value::Null)]),
        ),
        (
            "attachment",
            map(vec![(
                "nested",
                map(vec![
                    ("name", text("outer")),
                    ("inner", map(vec![("link", text("https://example.com"))])),
                ]),
            )]),
        ),
        ("somethingNewer", map(vec![("ignored", Value::Bool(true))])),
    ])
}

#[tokio::test]
async fn put_note_sends_every_value_kind_as_cbor_and_reads_the_reply() {
    let server = TestServer::start(|request| {
        let mut body = request_body(request);
        let mut note = stored_note();
        // Echo the title the client sent, so both directions are checked.
        if let (Value::Map(note), Some(title)) = (&mut note, body.remove("title")) {
            note.remove("title");
            note.insert("title".into(), title);
        }
        cbor_reply(200, &map(vec![("note", note)]))
    })
    .await;
    let created = timestamp::from_epoch_seconds(1576540098.5).expect("an instant");
    let output = client(&server)
        .put_note()
        .id("n1")
        .title("Groceries \u{1f955}")
        .body(Blob::new(vec![0u8, 1, 2, 255]))
        .tags("home")
        .tags("todo")
        .created_at(created)
        .priority(Priority::High)
        .level(Level::Warn)
        .ratio(f64::NAN)
        .weight(0.25)
        .count(i64::MAX)
        .pinned(true)
        .attributes("colour", "green")
        .sparse_attributes("a", Some(1))
        .sparse_attributes("b", None)
        .attachment(Attachment::Data(Blob::new(vec![9u8; 3])))
        .send()
        .await
        .expect("PutNote succeeds");

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/service/Notes/operation/PutNote");
    assert_eq!(request.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(request.header("content-type"), Some("application/cbor"));
    assert_eq!(request.header("accept"), Some("application/cbor"));
    let body = request_body(&request);
    assert_eq!(body.get("title"), Some(&text("Groceries \u{1f955}")));
    assert_eq!(body.get("body"), Some(&Value::Bytes(vec![0, 1, 2, 255])));
    assert_eq!(
        body.get("createdAt"),
        Some(&Value::Tag(1, Box::new(Value::Float(1576540098.5)))),
        "timestamps are tag 1 epoch seconds whatever @timestampFormat says"
    );
    assert_eq!(body.get("priority"), Some(&text("high")));
    assert_eq!(body.get("level"), Some(&Value::Integer(2)));
    assert!(matches!(body.get("ratio"), Some(Value::Float(f)) if f.is_nan()));
    assert_eq!(
        body.get("count"),
        Some(&Value::Integer(i128::from(i64::MAX)))
    );
    assert_eq!(
        body.get("sparseAttributes"),
        Some(&map(vec![("a", Value::Integer(1)), ("b", Value::Null)]))
    );
    assert_eq!(
        body.get("attachment"),
        Some(&map(vec![("data", Value::Bytes(vec![9, 9, 9]))]))
    );
    assert!(
        matches!(body.get("clientToken"), Some(Value::Text(token)) if token.len() == 36),
        "an unset idempotency token is filled: {body:?}"
    );

    let note = output.note.expect("the stored note");
    assert_eq!(note.title, "Groceries \u{1f955}");
    assert_eq!(
        note.body.as_ref().map(Blob::as_bytes),
        Some(&[0u8, 1, 2, 255][..])
    );
    assert_eq!(note.created_at, Some(created));
    assert_eq!(note.priority, Some(Priority::High));
    assert_eq!(note.level, Some(Level::Warn));
    assert_eq!(note.ratio, Some(f64::NEG_INFINITY));
    assert_eq!(note.count, Some(i64::MAX));
    assert_eq!(
        note.sparse_attributes.as_ref().map(|m| (m["a"], m["b"])),
        Some((Some(1), None))
    );
    assert_eq!(
        note.attachment,
        Some(Attachment::Nested(
            Attachment2::builder()
                .name("outer")
                .inner(Attachment::Link("https://example.com".into()))
                .build()
        ))
    );
    assert_eq!(note.revision, 0, "a missing member with a default gets it");
}

#[tokio::test]
async fn an_operation_without_input_sends_no_body_and_reads_an_empty_reply() {
    let server =
        TestServer::start(|_| Reply::status(200).header("smithy-protocol", "rpc-v2-cbor")).await;
    client(&server).ping().send().await.expect("Ping succeeds");
    let request = server.single_request();
    assert_eq!(request.path(), "/service/Notes/operation/Ping");
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn a_modelled_error_is_picked_by_its_type_and_others_are_kept_unhandled() {
    let server = TestServer::start(|request| {
        let id = match request_body(request).remove("id") {
            Some(Value::Text(id)) => id,
            other => panic!("no id: {other:?}"),
        };
        let error = if id == "missing" {
            map(vec![
                ("__type", text("test.notes#NoteNotFound")),
                ("message", text("no note missing")),
                ("id", text("missing")),
            ])
        } else {
            map(vec![
                ("__type", text("test.notes#Undocumented")),
                ("message", text("?")),
            ])
        };
        cbor_reply(400, &error)
    })
    .await;
    let error = client(&server)
        .get_note()
        .id("missing")
        .send()
        .await
        .expect_err("a modelled error");
    let Some(GetNoteError::NoteNotFound(not_found)) = error.as_service_error() else {
        panic!("expected NoteNotFound, got {error:?}");
    };
    assert_eq!(not_found.message, "no note missing");
    assert_eq!(not_found.id.as_deref(), Some("missing"));
    assert_eq!(not_found.meta().code.as_deref(), Some("NoteNotFound"));

    let error = client(&server)
        .get_note()
        .id("other")
        .send()
        .await
        .expect_err("an unmodelled error");
    let Some(GetNoteError::Unhandled(unhandled)) = error.as_service_error() else {
        panic!("expected Unhandled, got {error:?}");
    };
    assert_eq!(unhandled.code(), Some("Undocumented"));
    assert_eq!(unhandled.message(), Some("?"));
}

#[tokio::test]
async fn the_paginator_follows_next_token_across_pages() {
    let server = TestServer::start(|request| {
        let token = match request_body(request).remove("nextToken") {
            Some(Value::Text(token)) => token.parse::<usize>().expect("a page number"),
            _ => 0,
        };
        let notes = (0..2)
            .map(|i| {
                let id = format!("note-{}", token * 2 + i);
                map(vec![("id", text(&id)), ("title", text("t"))])
            })
            .collect();
        let mut page = vec![("notes", Value::Array(notes))];
        if token < 2 {
            page.push(("nextToken", text(&(token + 1).to_string())));
        }
        cbor_reply(200, &map(page))
    })
    .await;
    let notes = client(&server)
        .list_notes()
        .max_results(2)
        .into_paginator()
        .send()
        .items()
        .collect()
        .await
        .expect("every page");
    let ids: Vec<&str> = notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        ["note-0", "note-1", "note-2", "note-3", "note-4", "note-5"]
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_malformed_reply_is_a_response_error_that_keeps_the_body() {
    for body in [
        vec![0xa1, 0x64, b'n', b'o'],                   // a map cut short
        vec![0xbf, 0x61, b'a'],                         // an indefinite map never closed
        b"<html>bad gateway</html>".to_vec(),           // not CBOR at all
        vec![0xa1, 0x64, b'n', b'o', b't', b'e', 0x01], // `note` is not a structure
    ] {
        let reply_body = body.clone();
        let server = TestServer::start(move |_| {
            Reply::status(200)
                .header("smithy-protocol", "rpc-v2-cbor")
                .body(reply_body.clone())
        })
        .await;
        let error = client(&server)
            .get_note()
            .id("n1")
            .send()
            .await
            .expect_err("a malformed reply");
        let SdkError::Response(response) = &error else {
            panic!("expected a response error, got {error:?}");
        };
        assert_eq!(response.body.as_ref(), body.as_slice(), "nothing is lost");
    }
}
