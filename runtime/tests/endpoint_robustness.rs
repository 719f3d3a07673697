//! No input may panic the rules engine: every node of a real rule set is replaced by values of
//! every JSON kind, and each mutant is parsed and, when it parses, resolved.

use std::path::Path;

use serde_json::{json, Value as Json};
use smithy_runtime::endpoint::{resolve, service_endpoint_traits, Params, PartitionTable, RuleSet};

/// The rule set of the project's own MediaPackage v2 model (`model/`), so this runs everywhere.
fn mediapackagev2_ruleset() -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/mediapackagev2.json");
    let text = std::fs::read_to_string(path).expect("model is readable");
    let model: Json = serde_json::from_str(&text).expect("model is JSON");
    service_endpoint_traits(&model)
        .expect("rule set")
        .ruleset
        .clone()
}

/// JSON pointers of every node, root excluded.
fn pointers(value: &Json, prefix: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Json)> = match value {
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{prefix}/{key}");
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

#[test]
fn mutated_rule_sets_never_panic() {
    let original = mediapackagev2_ruleset();
    let mut all = Vec::new();
    pointers(&original, "", &mut all);
    let replacements = [
        json!(null),
        json!(7),
        json!(-1),
        json!("{x"),
        json!("{Region#a[}"),
        json!({}),
        json!([]),
        json!(true),
    ];
    let params = [
        Params::new(),
        Params::new()
            .with("Region", "us-east-1")
            .with("UseFIPS", true),
        Params::new()
            .with("Endpoint", "https://example.com")
            .with("Region", "cn-north-1"),
    ];
    let mut parsed = 0;
    for pointer in &all {
        for replacement in &replacements {
            let mut mutant = original.clone();
            if let Some(node) = mutant.pointer_mut(pointer) {
                *node = replacement.clone();
            }
            if let Ok(ruleset) = RuleSet::from_json(&mutant) {
                parsed += 1;
                for p in &params {
                    let _ = resolve(&ruleset, p);
                }
            }
        }
    }
    assert!(
        parsed > 0 && all.len() > 100,
        "{parsed} mutants parsed of {} nodes",
        all.len()
    );
}

#[test]
fn odd_parameter_values_never_panic() {
    let ruleset = RuleSet::from_json(&mediapackagev2_ruleset()).expect("rule set");
    let long = "a".repeat(10_000);
    let odd = [
        "",
        "-",
        "\u{1F600}",
        "us-east-1\0",
        "http://[::1",
        "arn:::::",
        long.as_str(),
        "{Region}",
    ];
    for value in odd {
        for name in ["Region", "Endpoint"] {
            let _ = resolve(&ruleset, &Params::new().with(name, value));
        }
        let _ = PartitionTable::builtin().lookup(value);
        let _ = PartitionTable::from_json(value);
        let _ = RuleSet::from_json_str(value);
    }
}
