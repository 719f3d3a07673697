//! Running `smithy.rules#endpointTests` cases. Public because generated crates emit one Rust
//! test per case, each a call to [`run_endpoint_test_case`].

use serde_json::{Map, Value as Json};

use super::eval::{Endpoint, Resolver};
use super::model::RuleSet;
use super::value::Params;

/// The endpoint traits of a model's service shape.
#[derive(Debug, Clone, Copy)]
pub struct ServiceEndpointTraits<'m> {
    /// The service shape id, e.g. `com.amazonaws.mediapackagev2#mediapackagev2`.
    pub service_id: &'m str,
    /// The `smithy.rules#endpointRuleSet` trait value.
    pub ruleset: &'m Json,
    /// The `smithy.rules#endpointTests` trait value, if the service has one.
    pub tests: Option<&'m Json>,
}

/// Finds the first service shape of a Smithy JSON AST model that has an endpoint rule set.
pub fn service_endpoint_traits(model: &Json) -> Option<ServiceEndpointTraits<'_>> {
    model
        .get("shapes")?
        .as_object()?
        .iter()
        .find_map(|(id, shape)| {
            if shape.get("type")?.as_str()? != "service" {
                return None;
            }
            let traits = shape.get("traits")?;
            Some(ServiceEndpointTraits {
                service_id: id,
                ruleset: traits.get("smithy.rules#endpointRuleSet")?,
                tests: traits.get("smithy.rules#endpointTests"),
            })
        })
}

/// The `testCases` of a `smithy.rules#endpointTests` trait value (empty if malformed).
pub fn endpoint_test_cases(tests: &Json) -> &[Json] {
    tests
        .get("testCases")
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Runs one endpoint test case with the built-in partition table: resolves its `params` and
/// compares the result with its `expect` (URL, headers and properties, or error text).
/// `Err` describes the first mismatch, naming the case by its documentation.
pub fn run_endpoint_test_case(ruleset: &RuleSet, case: &Json) -> Result<(), String> {
    run_endpoint_test_case_with(&Resolver::new(ruleset), case)
}

/// [`run_endpoint_test_case`] with a caller-chosen resolver (e.g. other partition data).
pub fn run_endpoint_test_case_with(resolver: &Resolver<'_>, case: &Json) -> Result<(), String> {
    let name = case
        .get("documentation")
        .and_then(Json::as_str)
        .unwrap_or("(undocumented case)");
    check_case(resolver, case).map_err(|mismatch| format!("endpoint test `{name}`: {mismatch}"))
}

fn check_case(resolver: &Resolver<'_>, case: &Json) -> Result<(), String> {
    // Some corpus cases (e.g. "Missing region") omit `params` entirely: no parameters set.
    let empty = Map::new();
    let params = match case.get("params") {
        Some(Json::Object(params)) => params,
        Some(other) => return Err(format!("`params` is not an object: {other}")),
        None => &empty,
    };
    let params = Params::from_json(params)?;
    let expect = case.get("expect").ok_or("the case has no `expect`")?;
    let result = resolver.resolve(&params);
    match (expect.get("error"), expect.get("endpoint"), result) {
        (Some(expected), _, Err(actual)) => {
            let expected = expected.as_str().ok_or("`expect.error` is not a string")?;
            compare("error", expected, &actual.message())
        }
        (Some(expected), _, Ok(endpoint)) => Err(format!(
            "expected error {expected}, got endpoint {}",
            endpoint.url
        )),
        (None, Some(expected), Ok(endpoint)) => compare_endpoint(expected, &endpoint),
        (None, Some(_), Err(error)) => Err(format!("expected an endpoint, got error: {error}")),
        (None, None, _) => Err("`expect` has neither `endpoint` nor `error`".to_owned()),
    }
}

fn compare(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{what} mismatch: expected `{expected}`, got `{actual}`"
        ))
    }
}

fn compare_endpoint(expected: &Json, actual: &Endpoint) -> Result<(), String> {
    let url = expected
        .get("url")
        .and_then(Json::as_str)
        .ok_or("`expect.endpoint.url` is not a string")?;
    compare("url", url, &actual.url)?;
    let headers = serde_json::to_value(&actual.headers).map_err(|e| e.to_string())?;
    compare_json("headers", expected.get("headers"), &headers)?;
    compare_json(
        "properties",
        expected.get("properties"),
        &Json::Object(actual.properties.clone()),
    )
}

/// Compares JSON objects; an absent expectation means "empty", as in the test format.
fn compare_json(what: &str, expected: Option<&Json>, actual: &Json) -> Result<(), String> {
    let empty = Json::Object(Map::new());
    let expected = expected.unwrap_or(&empty);
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{what} mismatch: expected {expected}, got {actual}"
        ))
    }
}
