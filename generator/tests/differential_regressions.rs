//! Regressions found by `cargo xtask differential` (our serializers against botocore's on
//! random inputs), checked on the generated code of small models of our own; and the request
//! cases file that command compiles (`smithy_gen::generate_request_cases`).

use serde_json::json;
use smithy_gen::{Layout, Settings};

/// A restXml service with a service-wide `@xmlNamespace` and a structure `@httpPayload` whose
/// member and target name no namespace (the shape of S3's CompleteMultipartUpload).
const PAYLOAD_MODEL: &str = r##"{"smithy": "2.0", "shapes": {
    "t#Svc": {"type": "service", "version": "1", "operations": [{"target": "t#Complete"}],
              "traits": {"aws.protocols#restXml": {},
                         "smithy.api#xmlNamespace": {"uri": "http://example.com/doc/1"}}},
    "t#Complete": {"type": "operation", "input": {"target": "t#CompleteInput"},
                   "traits": {"smithy.api#http": {"method": "POST", "uri": "/{Key}"}}},
    "t#CompleteInput": {"type": "structure", "members": {
        "Key": {"target": "smithy.api#String",
                "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
        "Upload": {"target": "t#Parts", "traits": {"smithy.api#httpPayload": {},
                   "smithy.api#xmlName": "CompleteUpload"}}}},
    "t#Parts": {"type": "structure", "members": {"Count": {"target": "smithy.api#Integer"}}}
}}"##;

fn single_file(model: &str) -> String {
    let model = smithy_gen::load(&[("m.json".into(), model.to_string())]).expect("model loads");
    let settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let files = smithy_gen::generate(&model, &settings).expect("generates");
    files.into_values().collect::<Vec<_>>().join("\n")
}

#[test]
fn a_payload_document_root_takes_the_service_namespace() {
    let code: String = single_file(PAYLOAD_MODEL).split_whitespace().collect();
    let expected = r#"Tag::with_namespace("CompleteUpload","xmlns","http://example.com/doc/1""#;
    assert!(code.contains(expected), "missing {expected}");
}

#[test]
fn request_cases_build_inputs_and_call_the_serializer() {
    let model =
        smithy_gen::load(&[("m.json".into(), PAYLOAD_MODEL.to_string())]).expect("model loads");
    let cases = vec![
        (
            "Complete".to_string(),
            json!({"Key": "a/b", "Upload": {"Count": 3}}),
        ),
        ("Complete".to_string(), json!({"Key": "c"})),
    ];
    let code = smithy_gen::generate_request_cases(&model, &Settings::default(), &cases)
        .expect("cases generate");
    let flat: String = code.split_whitespace().collect();
    for expected in [
        "fncase_0()",
        "fncase_1()",
        "serialize_request(&input)",
        ".set_count(::std::option::Option::Some(3i32))",
        "pubconstCASES:&[fn()->",
        "=&[case_0,case_1];",
    ] {
        assert!(flat.contains(expected), "missing {expected} in {code}");
    }
    let unknown = vec![("Nope".to_string(), json!({}))];
    let error = smithy_gen::generate_request_cases(&model, &Settings::default(), &unknown)
        .expect_err("an unknown operation is an error");
    assert!(error.to_string().contains("no operation Nope"), "{error}");
}

/// A restJson1 operation whose output holds a union and whose error is modelled: the shapes
/// the response cases' walker must name (a union variant in pattern position once came out as
/// `<path>::Variant(item)`, which is no pattern).
const RESPONSE_MODEL: &str = r##"{"smithy": "2.0", "shapes": {
    "t#Svc": {"type": "service", "version": "1", "operations": [{"target": "t#Get"}],
              "traits": {"aws.protocols#restJson1": {}}},
    "t#Get": {"type": "operation", "output": {"target": "t#GetOutput"},
              "errors": [{"target": "t#Missing"}],
              "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
    "t#GetOutput": {"type": "structure", "members": {
        "Choice": {"target": "t#Choice"},
        "At": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#httpHeader": "x-at"}}}},
    "t#Choice": {"type": "union", "members": {
        "Text": {"target": "smithy.api#String"}, "None": {"target": "smithy.api#Unit"}}},
    "t#Missing": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
                  "traits": {"smithy.api#error": "client"}}
}}"##;

#[test]
fn response_cases_walk_outputs_unions_and_errors() {
    let model =
        smithy_gen::load(&[("m.json".into(), RESPONSE_MODEL.to_string())]).expect("model loads");
    let code = smithy_gen::generate_response_cases(&model, &Settings::default())
        .expect("response cases generate");
    let flat: String = code.split_whitespace().collect();
    for expected in [
        "parse_response(response)",
        "pubconstPARSERS:&[(&str,fn(",
        r#"("Get",parse_0)"#,
        "types::Choice::Text(item)=>(\"Text\",",
        "types::Choice::None=>(\"None\",Value::Object(Map::new())),",
        "\"$error\".to_string()",
        "millis(field)",
    ] {
        assert!(flat.contains(expected), "missing {expected} in:\n{code}");
    }
    assert!(
        !flat.contains(">::Text("),
        "a qualified path in a pattern:\n{code}"
    );
}
