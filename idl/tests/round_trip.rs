//! JSON AST -> IDL -> JSON AST on real models. The full run over every AWS
//! model is `idl-conformance --round-trip`; this test takes the protocol test
//! models and a sample of the AWS models so `cargo test` stays quick.

use smithy_idl::compare::{first_difference, normalize};
use smithy_idl::conformance::{files_with_extension, round_trip_one};
use smithy_idl::{load_files, write_idl, write_idl_files};

/// `relative` in the reference data, or `None` (and the suite's skip line).
fn reference(relative: &str) -> Option<std::path::PathBuf> {
    reference_data::require(
        "smithy-idl round_trip",
        "round trips of the protocol test models and a sample of the AWS models",
        relative,
    )
}

#[test]
fn protocol_test_models_round_trip() {
    let Some(dir) = reference("protocol-tests") else {
        return;
    };
    let files = files_with_extension(&dir, ".json");
    assert!(!files.is_empty());
    for f in files {
        if let Err(e) = round_trip_one(&f) {
            panic!("{}: {e}", f.display());
        }
    }
}

#[test]
fn sample_of_aws_models_round_trip() {
    let Some(dir) = reference("models/aws") else {
        return;
    };
    let files = files_with_extension(&dir, ".json");
    assert!(files.len() > 100);
    for f in files.iter().step_by(40) {
        if let Err(e) = round_trip_one(f) {
            panic!("{}: {e}", f.display());
        }
    }
}

#[test]
fn several_namespaces_give_several_files_and_metadata_survives() {
    let ast = serde_json::json!({
        "smithy": "2.0",
        "metadata": {"suppressions": [{"id": "X", "namespace": "*"}], "weird key": "a\"b\\c\n\u{1}"},
        "shapes": {
            "a.b#Thing": {
                "type": "structure",
                "mixins": [{"target": "c.d#Base"}],
                "members": {"name": {"target": "c.d#Name", "traits": {"smithy.api#required": {}}}},
                "traits": {"smithy.api#documentation": "Multi\nline \"doc\" é"}
            },
            "c.d#Base": {"type": "structure", "members": {"id": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "c.d#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 1.5e3}}},
            "c.d#Base$id": {"type": "apply", "traits": {"smithy.api#deprecated": {}}},
            "c.d#Num": {"type": "intEnum", "members": {"ONE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}
        }
    });
    let files = write_idl_files(&ast).unwrap();
    assert_eq!(files.len(), 2);
    assert!(
        write_idl(&ast).is_err(),
        "write_idl needs a single namespace"
    );
    let named: Vec<(String, String)> = files
        .into_iter()
        .map(|(ns, t)| (format!("{ns}.smithy"), t))
        .collect();
    let back = load_files(&named).unwrap();
    assert_eq!(first_difference(&normalize(&ast), &normalize(&back)), None);
}

#[test]
fn single_namespace_write_idl_reads_back() {
    let idl = "$version: \"2\"\nnamespace ex\n\n/// Docs\n@length(min: 1)\nstring Name\n\nlist Names { member: Name }\n";
    let ast = smithy_idl::parse_file("a.smithy", idl).unwrap();
    let text = write_idl(&ast).unwrap();
    let back = smithy_idl::parse_file("b.smithy", &text).unwrap();
    assert_eq!(normalize(&ast), normalize(&back));
}
