//! Rules-engine semantics on small hand-written rule sets: parse errors, defaults, scoping,
//! trees, and the functions the AWS corpus barely exercises.

use serde_json::json;
use smithy_runtime::endpoint::{resolve, Params, ResolveError, RuleSet};

fn rules(json: serde_json::Value) -> RuleSet {
    RuleSet::from_json(&json).expect("rule set parses")
}

/// A rule set whose single endpoint rule has `conditions`, with parameters `A` (string) and
/// `B` (boolean, default false).
fn one_rule(conditions: serde_json::Value, url: &str) -> RuleSet {
    rules(json!({
        "version": "1.0",
        "parameters": {
            "A": {"type": "string"},
            "B": {"type": "Boolean", "required": true, "default": false}
        },
        "rules": [
            {"conditions": conditions, "type": "endpoint", "endpoint": {"url": url}},
            {"conditions": [], "type": "error", "error": "fell through"}
        ]
    }))
}

fn url(ruleset: &RuleSet, params: Params) -> Result<String, String> {
    resolve(ruleset, &params)
        .map(|e| e.url)
        .map_err(|e| e.message())
}

#[test]
fn parse_errors_are_typed_and_located() {
    let err = RuleSet::from_json(&json!({
        "version": "1.0", "parameters": {},
        "rules": [{"conditions": [], "type": "tree", "rules": [
            {"conditions": [{"fn": "nope", "argv": []}], "type": "error", "error": "x"}
        ]}]
    }))
    .unwrap_err();
    assert_eq!(err.location, "rules[0].rules[0].conditions[0].fn");
    assert!(err.message.contains("unknown function `nope`"));

    let bad = [
        json!({"parameters": {}, "rules": 3}),
        json!({"parameters": {"P": {"type": "integer"}}, "rules": []}),
        json!({"parameters": {"P": {"type": "Boolean", "default": "x"}}, "rules": []}),
        json!({"rules": [{"conditions": [], "type": "endpoint", "endpoint": {"url": "{oops"}}]}),
        json!({"rules": [{"conditions": [{"fn": "not", "argv": [true, false]}], "type": "error", "error": "x"}]}),
        json!({"rules": [{"conditions": [{"fn": "getAttr", "argv": [{"ref": "x"}, {"ref": "y"}]}], "type": "error", "error": "x"}]}),
        json!({"rules": [{"conditions": [], "type": "bogus"}]}),
        json!([]),
    ];
    for json in bad {
        assert!(
            RuleSet::from_json(&json).is_err(),
            "{json} should be rejected"
        );
    }
    assert!(RuleSet::from_json_str("{not json").is_err());
}

#[test]
fn parameter_types_are_case_insensitive_and_defaults_apply() {
    let ruleset = one_rule(
        json!([{"fn": "booleanEquals", "argv": [{"ref": "B"}, false]}]),
        "https://default",
    );
    assert_eq!(
        url(&ruleset, Params::new()).as_deref(),
        Ok("https://default")
    );
    assert_eq!(
        url(&ruleset, Params::new().with("B", true)),
        Err("fell through".to_owned())
    );
}

#[test]
fn missing_required_parameter_is_an_error() {
    let ruleset = rules(json!({
        "parameters": {"ApiType": {"type": "String", "required": true}},
        "rules": [{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x"}}]
    }));
    assert_eq!(
        resolve(&ruleset, &Params::new()),
        Err(ResolveError::MissingParameter("ApiType".to_owned()))
    );
}

#[test]
fn assignments_are_scoped_to_their_rule() {
    let ruleset = rules(json!({
        "parameters": {"A": {"type": "string"}},
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "A"}]},
                            {"fn": "stringEquals", "argv": [{"ref": "A"}, "no"], "assign": "X"}],
             "type": "error", "error": "unreachable"},
            // `X` was assigned only inside the previous rule, so it is unset here.
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "X"}]}], "type": "error", "error": "leaked"},
            {"conditions": [{"fn": "aws.parseArn", "argv": [{"ref": "A"}], "assign": "Arn"}],
             "type": "endpoint", "endpoint": {"url": "https://{Arn#service}.{Arn#resourceId[1]}"}}
        ]
    }));
    let arn = Params::new().with("A", "arn:aws:s3:::bucket/key");
    assert_eq!(url(&ruleset, arn).as_deref(), Ok("https://s3.key"));
}

#[test]
fn a_matched_tree_without_a_match_is_an_error() {
    let ruleset = rules(json!({
        "rules": [
            {"conditions": [], "type": "tree", "rules": [
                {"conditions": [{"fn": "booleanEquals", "argv": [true, false]}], "type": "error", "error": "no"}
            ]},
            {"conditions": [], "type": "endpoint", "endpoint": {"url": "https://sibling"}}
        ]
    }));
    assert_eq!(
        resolve(&ruleset, &Params::new()),
        Err(ResolveError::TreeExhausted)
    );
    let empty = rules(json!({"rules": []}));
    assert_eq!(
        resolve(&empty, &Params::new()),
        Err(ResolveError::NoMatchingRule)
    );
}

#[test]
fn endpoint_headers_and_properties_are_evaluated() {
    let ruleset = rules(json!({
        "parameters": {"Region": {"type": "string", "required": true, "default": "us-gov-west-1"}},
        "rules": [{
            "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
            "type": "endpoint",
            "endpoint": {
                "url": "https://svc.{Region}.{P#dnsSuffix}",
                "headers": {"x-partition": ["{P#name}", "literal"]},
                "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{P#implicitGlobalRegion}",
                                                "disableDoubleEncoding": true}]}
            }
        }]
    }));
    let endpoint = resolve(&ruleset, &Params::new()).expect("endpoint");
    assert_eq!(endpoint.url, "https://svc.us-gov-west-1.amazonaws.com");
    assert_eq!(endpoint.headers["x-partition"], ["aws-us-gov", "literal"]);
    assert_eq!(
        serde_json::Value::Object(endpoint.properties),
        json!({"authSchemes": [{"name": "sigv4", "signingRegion": "us-gov-west-1", "disableDoubleEncoding": true}]})
    );
}

#[test]
fn string_functions() {
    let check = |condition: serde_json::Value, a: &str| {
        url(
            &one_rule(json!([condition]), "https://ok"),
            Params::new().with("A", a),
        )
        .is_ok()
    };
    let substring = |start: i64, stop: i64, reverse: bool| {
        json!({"fn": "stringEquals", "argv": [
            {"fn": "substring", "argv": [{"ref": "A"}, start, stop, reverse]}, "ab"]})
    };
    assert!(check(substring(0, 2, false), "abcd"));
    assert!(!check(substring(0, 2, true), "abcd"));
    assert!(!check(substring(0, 9, false), "abcd"));
    let encode = json!({"fn": "stringEquals", "argv": [{"fn": "uriEncode", "argv": [{"ref": "A"}]}, "a%2Fb%20c"]});
    assert!(check(encode, "a/b c"));
    let host = json!({"fn": "isValidHostLabel", "argv": [{"ref": "A"}, false]});
    assert!(check(host.clone(), "abc-1"));
    assert!(!check(host, "abc.1"));
    let bucket = json!({"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "A"}, true]});
    assert!(check(bucket.clone(), "my.bucket"));
    assert!(!check(bucket, "MyBucket"));
    let url_ip =
        json!({"fn": "getAttr", "argv": [{"fn": "parseURL", "argv": [{"ref": "A"}]}, "isIp"]});
    assert!(check(url_ip.clone(), "http://10.0.0.1:8080/p"));
    assert!(!check(url_ip, "https://example.com"));
}

#[test]
fn version_1_1_functions() {
    let ruleset = rules(json!({
        "version": "1.1",
        "parameters": {"A": {"type": "string"}, "B": {"type": "boolean"}},
        "rules": [{
            "conditions": [
                {"fn": "coalesce", "argv": [{"ref": "A"}, "fallback"], "assign": "C"},
                {"fn": "split", "argv": ["{C}", "-", 0], "assign": "Parts"},
                {"fn": "ite", "argv": [{"fn": "isSet", "argv": [{"ref": "B"}]}, "b", "no-b"], "assign": "I"}
            ],
            "type": "endpoint",
            "endpoint": {"url": "https://{Parts#[-1]}.{I}"}
        }]
    }));
    assert_eq!(
        url(&ruleset, Params::new()).as_deref(),
        Ok("https://fallback.no-b")
    );
    let params = Params::new().with("A", "x-y-z").with("B", true);
    assert_eq!(url(&ruleset, params).as_deref(), Ok("https://z.b"));
}

#[test]
fn type_errors_are_reported_not_panicked() {
    let ruleset = one_rule(
        json!([{"fn": "stringEquals", "argv": [{"ref": "B"}, "x"]}]),
        "https://x",
    );
    let err = resolve(&ruleset, &Params::new()).unwrap_err();
    assert!(
        matches!(err, ResolveError::Evaluation(ref m) if m.contains("stringEquals")),
        "{err}"
    );
    let unset = one_rule(json!([]), "https://{A}");
    assert!(matches!(
        resolve(&unset, &Params::new()),
        Err(ResolveError::Evaluation(_))
    ));
}
