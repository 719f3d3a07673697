//! The compiled obstacle-course fixture behaves: collisions renamed, recursion boxed, unions and
//! enums open, sensitive values redacted, defaults and timestamp formats honoured.

use integration_tests::obstacle_course::operation::run_course::{RunCourseInput, RunCourseOutput};
use integration_tests::obstacle_course::types::{Choice, Kind, Tree};
use smithy_runtime::json::FromJson;

fn output(json: &str) -> RunCourseOutput {
    let value: serde_json::Value = serde_json::from_str(json).expect("test JSON");
    RunCourseOutput::from_json(value).expect("output parses")
}

#[test]
fn colliding_names_are_renamed() {
    let input = RunCourseInput::builder()
        .r#type("t")
        .self_value("me")
        .builder_value("one")
        .builder_value("two")
        .build()
        .expect("input builds");
    assert_eq!(input.r#type(), Some("t"));
    assert_eq!(input.self_value(), Some("me"));
    assert_eq!(
        input.builder_value(),
        ["one".to_string(), "two".to_string()]
    );
    assert_eq!(Kind::from("unknown"), Kind::UnknownValue);
    assert_eq!(Kind::from("self"), Kind::SelfValue);
    assert_eq!(Kind::from("type"), Kind::Type);
}

#[test]
fn recursive_structures_are_boxed_and_parse() {
    let out = output(
        r#"{"tree": {"name": "root", "left": {"name": "l", "left": {"name": "ll"}}, "forest": [{"name": "f"}]}, "epoch": 0, "kind": "self"}"#,
    );
    let tree: &Tree = out.tree().expect("tree");
    let left: &Tree = tree.left().expect("left");
    assert_eq!(left.left().and_then(|t| t.name()), Some("ll"));
    assert_eq!(tree.forest()[0].name(), Some("f"));
}

#[test]
fn unions_and_enums_keep_unknowns() {
    let out = output(
        r#"{"choice": {"somethingNew": 1}, "epoch": 1, "kind": "brand-new", "byKind": {"in-progress": 3, "weird": 4}}"#,
    );
    assert_eq!(out.choice(), Some(&Choice::Unknown));
    assert_eq!(out.kind().as_str(), "brand-new");
    let by_kind = out.by_kind().expect("map");
    assert_eq!(by_kind[&Kind::InProgress], 3);
    assert_eq!(by_kind[&Kind::from("weird")], 4);
    let named_unknown =
        output(r#"{"choice": {"Unknown": "modelled"}, "epoch": 1, "kind": "type"}"#);
    assert_eq!(
        named_unknown.choice(),
        Some(&Choice::UnknownValue("modelled".into()))
    );
    let unit = output(r#"{"choice": {"nothing": {}}, "epoch": 1, "kind": "type"}"#);
    assert_eq!(unit.choice(), Some(&Choice::Nothing));
}

#[test]
fn timestamps_defaults_sparse_lists_and_blobs() {
    let out = output(
        r#"{"dateTime": "2019-12-16T23:48:18.5Z", "httpDate": "Mon, 16 Dec 2019 23:48:18 GMT",
            "epoch": 1576540098, "kind": "self", "maybe": ["a", null, "c"], "payload": "aGVsbG8="}"#,
    );
    assert_eq!(out.date_time().map(|t| t.as_millis()), Some(1576540098500));
    assert_eq!(out.http_date().map(|t| t.secs()), Some(1576540098));
    assert_eq!(out.epoch().secs(), 1576540098);
    assert_eq!(out.count(), 7, "@default(7) fills an absent member");
    assert!(!out.enabled(), "PrimitiveBoolean defaults to false");
    assert_eq!(
        out.maybe(),
        [Some("a".to_string()), None, Some("c".to_string())]
    );
    assert_eq!(
        out.payload().map(|b| b.as_bytes().to_vec()),
        Some(b"hello".to_vec())
    );
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let out = output(r#"{"secret": "hunter2", "epoch": 1, "kind": "self"}"#);
    assert_eq!(out.secret(), Some("hunter2"));
    let debug = format!("{out:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
}
