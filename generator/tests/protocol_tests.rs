//! `smithy_gen::generate_protocol_tests`: one test per client-applicable case, server-only and
//! other-protocol cases left out, skips become `#[ignore = reason]`, and `params` become builder
//! expressions (structures, lists, maps, enums, floats incl. `NaN`, timestamps, blobs).

use smithy_gen::Settings;
use std::collections::BTreeMap;

const MODEL: &str = r##"{"smithy": "2.0", "shapes": {
    "t#Svc": {"type": "service", "version": "1", "operations": [{"target": "t#Op"}],
              "traits": {"aws.protocols#restJson1": {}}},
    "t#Op": {"type": "operation", "input": {"target": "t#OpInput"},
             "output": {"target": "t#OpOutput"},
             "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"},
               "smithy.test#httpRequestTests": [
                 {"id": "SendsThings", "protocol": "aws.protocols#restJson1", "method": "POST",
                  "uri": "/op", "body": "{}", "bodyMediaType": "application/json",
                  "params": {"names": ["a"], "tags": {"k": "v"}, "color": "red", "ratio": "NaN",
                             "when": 1576540098, "data": "hi"}},
                 {"id": "ServerOnly", "protocol": "aws.protocols#restJson1", "method": "POST",
                  "uri": "/op", "appliesTo": "server"},
                 {"id": "OtherProtocol", "protocol": "aws.protocols#awsJson1_1", "method": "POST",
                  "uri": "/"}
               ],
               "smithy.test#httpResponseTests": [
                 {"id": "ReadsThings", "protocol": "aws.protocols#restJson1", "code": 200,
                  "body": "{\"count\": 2}", "params": {"count": 2}}
               ]}},
    "t#OpInput": {"type": "structure", "members": {
        "names": {"target": "t#Names"}, "tags": {"target": "t#Tags"},
        "color": {"target": "t#Color"}, "ratio": {"target": "smithy.api#Double"},
        "when": {"target": "smithy.api#Timestamp"}, "data": {"target": "smithy.api#Blob"}}},
    "t#OpOutput": {"type": "structure", "members": {"count": {"target": "smithy.api#Integer"}}},
    "t#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
    "t#Tags": {"type": "map", "key": {"target": "smithy.api#String"},
               "value": {"target": "smithy.api#String"}},
    "t#Color": {"type": "enum", "members": {"RED": {"target": "smithy.api#Unit",
               "traits": {"smithy.api#enumValue": "red"}}}}
}}"##;

fn generate(
    skipped: &BTreeMap<String, String>,
) -> (String, smithy_gen::emit::protocol_tests::Counts) {
    let model = smithy_gen::load(&[("m.json".into(), MODEL.to_string())]).expect("model loads");
    smithy_gen::generate_protocol_tests(
        &model,
        &Settings::default(),
        "aws.protocols#restJson1",
        skipped,
    )
    .expect("tests generate")
}

#[test]
fn one_test_per_client_case_of_the_protocol() {
    let (code, counts) = generate(&BTreeMap::new());
    assert_eq!((counts.requests, counts.responses), (1, 1));
    assert!(code.contains("fn sends_things()"), "{code}");
    assert!(code.contains("fn reads_things()"), "{code}");
    assert!(!code.contains("server_only") && !code.contains("other_protocol"));
    assert!(!code.contains("#[ignore"));
}

#[test]
fn params_become_builder_expressions() {
    let (code, _) = generate(&BTreeMap::new());
    let code: String = code.split_whitespace().collect();
    for expected in [
        "f64::NAN",
        "::smithy_runtime::timestamp::from_epoch_seconds(1576540098f64)",
        "::smithy_runtime::Blob::new(\"hi\".as_bytes().to_vec())",
        "::std::vec![::std::string::String::from(\"a\")]",
        "map.insert(::std::string::String::from(\"k\"),::std::string::String::from(\"v\"),);",
        "::from(\"red\")",
        ".set_count(::std::option::Option::Some(2i32))",
    ] {
        assert!(code.contains(expected), "missing {expected} in {code}");
    }
}

#[test]
fn skipped_cases_are_ignored_with_their_reason() {
    let skipped = BTreeMap::from([("ReadsThings".to_string(), "not yet".to_string())]);
    let (code, _) = generate(&skipped);
    assert!(code.contains("#[ignore = \"not yet\"]"), "{code}");
}
