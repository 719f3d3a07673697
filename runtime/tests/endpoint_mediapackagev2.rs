//! The 25 endpoint test cases of the real MediaPackage v2 model, run through the interpreter.

use smithy_runtime::endpoint::{
    endpoint_test_cases, resolve, run_endpoint_test_case, service_endpoint_traits, Params,
    ResolveError, RuleSet,
};

/// The real model from the reference data, or `None` (and the skip line).
fn load_model() -> Option<serde_json::Value> {
    let path = reference_data::require(
        "smithy-runtime endpoint_mediapackagev2",
        "the endpoint tests of the real MediaPackage v2 model",
        "models/aws/mediapackagev2-2022-12-25.json",
    )?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Some(serde_json::from_str(&text).expect("model is JSON"))
}

fn ruleset(model: &serde_json::Value) -> RuleSet {
    let traits = service_endpoint_traits(model).expect("service shape with endpoint rule set");
    assert_eq!(
        traits.service_id,
        "com.amazonaws.mediapackagev2#mediapackagev2"
    );
    RuleSet::from_json(traits.ruleset).expect("rule set parses")
}

#[test]
fn all_25_endpoint_test_cases_pass() {
    let Some(model) = load_model() else { return };
    let ruleset = ruleset(&model);
    let tests = service_endpoint_traits(&model)
        .and_then(|t| t.tests)
        .expect("endpoint tests");
    let cases = endpoint_test_cases(tests);
    assert_eq!(cases.len(), 25);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_endpoint_test_case(&ruleset, case).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 25 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn parameters_match_the_spec_digest() {
    let Some(model) = load_model() else { return };
    let ruleset = ruleset(&model);
    let names: Vec<&str> = ruleset.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Region", "UseDualStack", "UseFIPS", "Endpoint"]);
    let fips = ruleset.parameter("UseFIPS").expect("UseFIPS");
    assert!(fips.required);
    assert_eq!(fips.built_in.as_deref(), Some("AWS::UseFIPS"));
}

#[test]
fn resolves_the_default_and_variant_endpoints() {
    let Some(model) = load_model() else { return };
    let ruleset = ruleset(&model);
    let url = |params: Params| resolve(&ruleset, &params).map(|e| e.url);
    let us_east_1 = Params::new().with("Region", "us-east-1");
    assert_eq!(
        url(us_east_1.clone()).as_deref(),
        Ok("https://mediapackagev2.us-east-1.amazonaws.com")
    );
    assert_eq!(
        url(us_east_1.clone().with("UseFIPS", true)).as_deref(),
        Ok("https://mediapackagev2-fips.us-east-1.amazonaws.com")
    );
    assert_eq!(
        url(us_east_1.with("UseDualStack", true)).as_deref(),
        Ok("https://mediapackagev2.us-east-1.api.aws")
    );
    assert_eq!(
        url(Params::new()),
        Err(ResolveError::Rule(
            "Invalid Configuration: Missing Region".to_owned()
        ))
    );
}

#[test]
fn rejects_parameters_of_the_wrong_type() {
    let Some(model) = load_model() else { return };
    let ruleset = ruleset(&model);
    let params = Params::new()
        .with("Region", "us-east-1")
        .with("UseFIPS", "yes");
    assert!(matches!(
        resolve(&ruleset, &params),
        Err(ResolveError::ParameterType { ref name, .. }) if name == "UseFIPS"
    ));
}
