//! Behaviour of the public API on small hand-written models.

use serde_json::json;
use smithy_idl::{load_files, parse_file};

fn shapes(ast: &serde_json::Value) -> &serde_json::Map<String, serde_json::Value> {
    ast["shapes"].as_object().unwrap()
}

#[test]
fn errors_name_file_line_column_and_expectation() {
    let err = parse_file(
        "model.smithy",
        "$version: \"2\"\nnamespace a\nstructure Foo { bar {} }\n",
    )
    .unwrap_err();
    assert_eq!(
        (err.file.as_str(), err.line, err.column),
        ("model.smithy", 3, 21)
    );
    assert_eq!(
        err.to_string(),
        "model.smithy:3:21: expected ':' after member name, found '{'"
    );
}

#[test]
fn forward_references_across_files_resolve() {
    let files = vec![
        (
            "a.smithy".to_string(),
            "$version: \"2\"\nnamespace ex\nstructure A { b: B, s: String }\n".to_string(),
        ),
        (
            "b.smithy".to_string(),
            "$version: \"2\"\nnamespace ex\nstring B\nstring String\n".to_string(),
        ),
    ];
    let ast = load_files(&files).unwrap();
    let members = &ast["shapes"]["ex#A"]["members"];
    assert_eq!(members["b"]["target"], "ex#B");
    // A shape in the same namespace wins over the prelude.
    assert_eq!(members["s"]["target"], "ex#String");
}

#[test]
fn conflicting_shapes_and_metadata_are_reported() {
    let a = (
        "a.smithy".to_string(),
        "$version: \"2\"\nmetadata m = 1\nnamespace ex\nstring A\n".to_string(),
    );
    let b = (
        "b.smithy".to_string(),
        "$version: \"2\"\nmetadata m = 2\nnamespace ex\ninteger A\n".to_string(),
    );
    let err = load_files(&[a.clone(), b.clone()]).unwrap_err();
    assert!(err.to_string().contains("metadata conflict"), "{err}");
    let b2 = (
        "b.smithy".to_string(),
        "$version: \"2\"\nnamespace ex\ninteger A\n".to_string(),
    );
    let err = load_files(&[a.clone(), b2]).unwrap_err();
    assert!(
        err.to_string().contains("conflicting shape definition"),
        "{err}"
    );
    // Identical definitions and concatenated metadata lists are fine.
    let l1 = (
        "x.smithy".to_string(),
        "metadata l = [1]\nnamespace ex\nstring A\n".to_string(),
    );
    let l2 = ("y.smithy".to_string(), "metadata l = [2]\n".to_string());
    let ast = load_files(&[a, l1, l2]).unwrap();
    assert_eq!(ast["metadata"]["l"], json!([1, 2]));
}

#[test]
fn version_1_files_are_upgraded() {
    let idl = "$version: \"1.0\"\nnamespace ex\nstructure S {\n a: PrimitiveInteger,\n b: Integer,\n @box c: MyInt,\n d: MyInt,\n e: Boolean\n}\ninteger MyInt\nset Tags { member: String }\n";
    let ast = parse_file("v1.smithy", idl).unwrap();
    let m = &ast["shapes"]["ex#S"]["members"];
    assert_eq!(m["a"]["traits"]["smithy.api#default"], json!(0));
    assert!(m["b"].get("traits").is_none());
    assert!(
        m["c"].get("traits").is_none(),
        "box removed, no default: {}",
        m["c"]
    );
    assert_eq!(m["d"]["traits"]["smithy.api#default"], json!(0));
    let tags = &ast["shapes"]["ex#Tags"];
    assert_eq!(tags["type"], "list");
    assert_eq!(tags["traits"]["smithy.api#uniqueItems"], json!({}));
}

#[test]
fn operations_with_inline_io_and_custom_suffixes() {
    let idl = "$version: \"2\"\n$operationInputSuffix: \"Request\"\nnamespace ex\noperation Get {\n input := { id: String }\n output := @sensitive { v: String }\n errors: [Oops]\n}\n@error(\"client\")\nstructure Oops {}\n";
    let ast = parse_file("op.smithy", idl).unwrap();
    let s = shapes(&ast);
    assert_eq!(s["ex#Get"]["input"]["target"], "ex#GetRequest");
    assert_eq!(s["ex#Get"]["output"]["target"], "ex#GetOutput");
    assert_eq!(s["ex#GetRequest"]["traits"]["smithy.api#input"], json!({}));
    assert_eq!(
        s["ex#GetOutput"]["traits"]["smithy.api#sensitive"],
        json!({})
    );
    assert_eq!(s["ex#Get"]["errors"], json!([{"target": "ex#Oops"}]));
}

#[test]
fn node_values_text_blocks_and_shape_ids() {
    let idl = "$version: \"2\"\nnamespace ex\n@tags([\"a\", \"b\"])\n@documentation(\"\"\"\n    Hello\n      world\n    \"\"\")\n@idRef(selector: \"*\", failWhenMissing: true)\nstructure ref {}\n@ref\n@range(min: -1.5e2, max: 10)\nstring S\n@ex#ref(ref)\nstring T\n";
    let ast = parse_file("n.smithy", idl).unwrap();
    let s = shapes(&ast);
    assert_eq!(
        s["ex#ref"]["traits"]["smithy.api#documentation"],
        "Hello\n  world\n"
    );
    assert_eq!(
        s["ex#S"]["traits"]["smithy.api#range"],
        json!({"min": -150.0, "max": 10})
    );
    assert_eq!(s["ex#S"]["traits"]["ex#ref"], json!({}));
    assert_eq!(s["ex#T"]["traits"]["ex#ref"], "ex#ref");
}

#[test]
fn unresolvable_unquoted_strings_are_errors() {
    let err = parse_file(
        "u.smithy",
        "$version: \"2\"\nnamespace ex\n@tags([nope])\nstring S\n",
    )
    .unwrap_err();
    assert!(err.message.contains("does not resolve"), "{err}");
    assert_eq!((err.line, err.column), (3, 8));
}

#[test]
fn apply_statements_and_mixins() {
    let idl = "$version: \"2\"\nnamespace ex\n@mixin\nstructure Base { id: String }\nstructure Thing with [Base] { @required $id\n name: String }\napply Thing$name @deprecated\napply Thing {\n @sensitive\n @since(\"1\")\n}\n";
    let ast = parse_file("m.smithy", idl).unwrap();
    let s = shapes(&ast);
    assert_eq!(s["ex#Thing"]["mixins"], json!([{"target": "ex#Base"}]));
    assert_eq!(
        s["ex#Thing"]["members"]["name"]["traits"]["smithy.api#deprecated"],
        json!({})
    );
    assert_eq!(
        s["ex#Thing"]["members"]["id"]["target"],
        "smithy.api#String"
    );
    assert_eq!(s["ex#Thing"]["traits"]["smithy.api#since"], "1");
}
