//! The loader on bad input (typed errors naming file, shape and reason; never a panic) and on
//! the whole AWS corpus.

use smithy_gen::{ErrorKind, Settings};
use std::path::{Path, PathBuf};

fn load(text: &str) -> smithy_gen::Result<smithy_gen::model::Model> {
    smithy_gen::load(&[("bad.json".to_string(), text.to_string())])
}

fn error_of(text: &str) -> smithy_gen::Error {
    load(text).expect_err("the model must be rejected")
}

fn model_with(shapes: &str) -> String {
    format!(r#"{{"smithy": "2.0", "shapes": {{{shapes}}}}}"#)
}

#[test]
fn invalid_json_names_the_file() {
    let error = error_of("{ not json");
    assert_eq!(error.file, "bad.json");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)));
    assert!(
        error.to_string().starts_with("bad.json: syntax error:"),
        "{error}"
    );
}

#[test]
fn dangling_target_names_shape_and_target() {
    let error = error_of(&model_with(
        r#""a.b#S": {"type": "structure", "members": {"m": {"target": "a.b#Missing"}}}"#,
    ));
    assert_eq!(
        error.to_string(),
        "bad.json: a.b#S: refers to `a.b#Missing`, which is not defined"
    );
}

#[test]
fn wrong_target_kind_is_explained() {
    let shapes = r#""a.b#Op": {"type": "operation"},
        "a.b#S": {"type": "structure", "members": {"m": {"target": "a.b#Op"}}}"#;
    let error = error_of(&model_with(shapes));
    assert_eq!(
        error.to_string(),
        "bad.json: a.b#S: refers to `a.b#Op`, a operation, where a member target (not an operation, resource or service) is required"
    );
    let map_key = r#""a.b#M": {"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "smithy.api#String"}}"#;
    assert!(matches!(
        error_of(&model_with(map_key)).kind,
        ErrorKind::WrongTargetKind { .. }
    ));
}

#[test]
fn duplicate_member_names_differing_by_case_are_rejected() {
    let error = error_of(&model_with(
        r#""a.b#S": {"type": "structure", "members": {"name": {"target": "smithy.api#String"}, "Name": {"target": "smithy.api#String"}}}"#,
    ));
    assert_eq!(error.shape.as_deref(), Some("a.b#S"));
    assert!(matches!(error.kind, ErrorKind::Duplicate(_)));
}

#[test]
fn conflicting_definitions_across_files_are_rejected() {
    let one = model_with(r#""a.b#S": {"type": "string"}"#);
    let two = model_with(r#""a.b#S": {"type": "integer"}"#);
    let error = smithy_gen::load(&[("one.json".into(), one.clone()), ("two.json".into(), two)])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "two.json: a.b#S: defined differently in `one.json` and `two.json`"
    );
    assert!(
        smithy_gen::load(&[("one.json".into(), one.clone()), ("again.json".into(), one)]).is_ok()
    );
}

#[test]
fn malformed_shapes_and_ids_are_rejected() {
    for shapes in [
        r#""NoNamespace": {"type": "string"}"#,
        r#""a.b#S": {"type": "nonsense"}"#,
        r#""a.b#S": {"type": "list"}"#,
        r#""a.b#S": {"type": "enum", "members": {}}"#,
        r#""a.b#S": {"type": "structure", "members": {"m": {}}}"#,
        r#""a.b#S": {"type": "structure", "traits": {"bad trait": {}}}"#,
        r#""a.b#S": 5"#,
    ] {
        let error = error_of(&model_with(shapes));
        assert_eq!(error.file, "bad.json", "{shapes}");
    }
    assert!(matches!(
        error_of(r#"{"shapes": {}}"#).kind,
        ErrorKind::Invalid(_)
    ));
    assert!(matches!(
        error_of(r#"{"smithy": "3.0"}"#).kind,
        ErrorKind::Invalid(_)
    ));
}

#[test]
fn mixins_and_apply_are_resolved() {
    let shapes = r#""a.b#Base": {"type": "structure", "members": {"id": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "base"}},
        "a.b#S": {"type": "structure", "mixins": [{"target": "a.b#Base"}], "members": {"extra": {"target": "smithy.api#Integer"}}},
        "a.b#S$extra": {"type": "apply", "traits": {"smithy.api#required": {}}}"#;
    let model = load(&model_with(shapes)).expect("loads");
    let shape = model
        .get(&smithy_gen::model::ShapeId::parse("a.b#S").unwrap())
        .unwrap();
    let names: Vec<&str> = shape
        .kind
        .members()
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["id", "extra"]);
    assert!(shape.kind.members()[1].traits.required());
    assert_eq!(shape.traits.documentation(), Some("base"));
}

#[test]
fn generating_an_unknown_operation_is_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model");
    let model = smithy_gen::load(&smithy_gen::build::read_sources(&[root]).unwrap()).unwrap();
    let settings = Settings {
        operations: Some(vec!["NoSuchOperation".into()]),
        ..Settings::default()
    };
    let error = smithy_gen::generate(&model, &settings).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("selected operation `NoSuchOperation` is not part of the service"),
        "{error}"
    );
}

/// A tiny deterministic generator, so the no-panic test needs no extra crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_models_never_panic() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/mediapackagev2.json"),
    )
    .unwrap();
    let bytes = text.as_bytes();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"{}[]\":,#$0123456789abcdefnulltrue ";
    for _ in 0..400 {
        let mut mutated = bytes.to_vec();
        for _ in 0..(1 + rng.next() % 8) {
            let at = (rng.next() as usize) % mutated.len();
            match rng.next() % 3 {
                0 => mutated[at] = alphabet[(rng.next() as usize) % alphabet.len()],
                1 => {
                    mutated.remove(at);
                }
                _ => mutated.insert(at, alphabet[(rng.next() as usize) % alphabet.len()]),
            }
        }
        let text = String::from_utf8_lossy(&mutated).into_owned();
        if let Ok(model) = smithy_gen::load(&[("fuzz.json".into(), text)]) {
            let _ = smithy_gen::generate(&model, &Settings::default());
        }
    }
}

/// `models/aws` of the reference data, or `None` (and the skip line).
fn corpus_dir() -> Option<PathBuf> {
    reference_data::require(
        "integration-tests loader",
        "loading every AWS model",
        "models/aws",
    )
}

/// All 402 AWS models load without error (run by `.ci/run` with `--ignored`).
#[test]
#[ignore = "walks the 127 MB AWS corpus; run with --ignored"]
fn loads_every_aws_model() {
    let Some(dir) = corpus_dir() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("models/aws is readable")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in &paths {
        let sources = smithy_gen::build::read_sources(std::slice::from_ref(path)).unwrap();
        if let Err(error) = smithy_gen::load(&sources) {
            failures.push(error.to_string());
        }
    }
    println!(
        "loaded {} of {} models",
        paths.len() - failures.len(),
        paths.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(paths.len(), 402);
}

/// `model/` survives JSON AST -> IDL (the generator's writer) -> IDL loader: the same shapes.
#[test]
fn model_round_trips_through_idl() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model");
    let sources = smithy_gen::build::read_sources(&[root]).unwrap();
    let from_json = smithy_gen::load(&sources).expect("JSON loads");
    let idl: Vec<(String, String)> = smithy_gen::to_idl(&sources)
        .expect("IDL is written")
        .into_iter()
        .map(|(namespace, text)| (format!("{namespace}.smithy"), text))
        .collect();
    let from_idl = smithy_gen::load(&idl).expect("the written IDL loads");
    assert_eq!(from_json.shapes.len(), from_idl.shapes.len());
    for (id, shape) in &from_json.shapes {
        let other = from_idl
            .get(id)
            .unwrap_or_else(|| panic!("{id} is missing after the round trip"));
        assert_eq!(shape.kind, other.kind, "{id}");
        assert_eq!(shape.traits, other.traits, "{id}");
    }
}
