//! Support for generated Smithy protocol compliance tests (`smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests`): the generator embeds each case as JSON and calls these
//! helpers to check a serialized request against it, or to build the response it describes.

use crate::error::BuildError;
use crate::http::{HttpRequest, HttpResponse, RequestParts};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// The idempotency token the protocol tests expect when a token member is left unset.
pub const TEST_IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

fn parse_case(case: &str) -> Value {
    serde_json::from_str(case).expect("the embedded test case is valid JSON")
}

fn strings<'a>(case: &'a Value, key: &str) -> Vec<&'a str> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Checks a serialized request against an `httpRequestTests` case (method, path, query, headers,
/// host and body); panics with every mismatch found.
pub fn check_request(parts: Result<RequestParts, BuildError>, case: &str) {
    let case = parse_case(case);
    let parts = parts.unwrap_or_else(|e| panic!("the request could not be built: {e}"));
    let host = case
        .get("host")
        .and_then(Value::as_str)
        .unwrap_or("example.com");
    let request = parts
        .into_request(&format!("https://{host}"))
        .unwrap_or_else(|e| panic!("the request could not be built: {e}"));
    let mut problems = Vec::new();
    check_method_and_target(&request, &case, &mut problems);
    check_query(&request, &case, &mut problems);
    check_headers(&request, &case, &mut problems);
    if let Some(expected) = case.get("body").and_then(Value::as_str) {
        let media = case
            .get("bodyMediaType")
            .and_then(Value::as_str)
            .unwrap_or("");
        // Protocol tests only have in-memory bodies (a stream body would have none here).
        let body = request.body().as_bytes().cloned().unwrap_or_default();
        if let Some(problem) = compare_body(&body, expected, media) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        panic!("request mismatch:\n  {}", problems.join("\n  "));
    }
}

/// The method, the path and (when the case gives one) the resolved host.
fn check_method_and_target(request: &HttpRequest, case: &Value, problems: &mut Vec<String>) {
    let method = case.get("method").and_then(Value::as_str).unwrap_or("");
    if !request.method().as_str().eq_ignore_ascii_case(method) {
        problems.push(format!(
            "method: expected {method}, got {}",
            request.method()
        ));
    }
    let uri = case.get("uri").and_then(Value::as_str).unwrap_or("");
    if request.uri().path() != uri {
        problems.push(format!(
            "path: expected {uri:?}, got {:?}",
            request.uri().path()
        ));
    }
    if let Some(resolved) = case.get("resolvedHost").and_then(Value::as_str) {
        let actual = request.uri().host().unwrap_or_default();
        if actual != resolved {
            problems.push(format!("host: expected {resolved:?}, got {actual:?}"));
        }
    }
}

/// A `k=v` or bare `k` query pair, percent-decoded.
fn query_pair(pair: &str) -> (String, Option<String>) {
    match pair.split_once('=') {
        Some((k, v)) => (decode(k), Some(decode(v))),
        None => (decode(pair), None),
    }
}

/// Expected (each matched once), forbidden and required query parameters.
fn check_query(request: &HttpRequest, case: &Value, problems: &mut Vec<String>) {
    let query: Vec<(String, Option<String>)> = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(query_pair)
        .collect();
    let mut remaining = query.clone();
    for expected in strings(case, "queryParams") {
        let (k, v) = query_pair(expected);
        let found = remaining.iter().position(|(ak, av)| {
            *ak == k && (av == &v || (v.is_none() && av.as_deref() == Some("")))
        });
        match found {
            Some(i) => {
                remaining.remove(i);
            }
            None => problems.push(format!("query: expected `{expected}` in {query:?}")),
        }
    }
    for forbidden in strings(case, "forbidQueryParams") {
        if query.iter().any(|(k, _)| k == forbidden) {
            problems.push(format!("query: `{forbidden}` is forbidden, got {query:?}"));
        }
    }
    for required in strings(case, "requireQueryParams") {
        if !query.iter().any(|(k, _)| k == required) {
            problems.push(format!("query: `{required}` is required, got {query:?}"));
        }
    }
}

/// Expected, forbidden and required headers (repeated headers compared joined by `, `).
fn check_headers(request: &HttpRequest, case: &Value, problems: &mut Vec<String>) {
    let header = |name: &str| -> Option<String> {
        let values: Vec<&str> = request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    if let Some(headers) = case.get("headers").and_then(Value::as_object) {
        for (name, expected) in headers {
            let expected = expected.as_str().unwrap_or_default();
            match header(name) {
                Some(actual) if actual == expected => {}
                actual => problems.push(format!(
                    "header {name}: expected {expected:?}, got {actual:?}"
                )),
            }
        }
    }
    for forbidden in strings(case, "forbidHeaders") {
        if let Some(actual) = header(forbidden) {
            problems.push(format!("header {forbidden} is forbidden, got {actual:?}"));
        }
    }
    for required in strings(case, "requireHeaders") {
        if header(required).is_none() {
            problems.push(format!("header {required} is required"));
        }
    }
}

fn compare_body(actual: &[u8], expected: &str, media: &str) -> Option<String> {
    if media.contains("cbor") {
        return compare_cbor_body(actual, expected);
    }
    if media.contains("x-www-form-urlencoded") {
        return compare_form_body(actual, expected);
    }
    if media.contains("xml") && !(expected.is_empty() && actual.is_empty()) {
        return compare_xml_body(actual, expected);
    }
    if media.contains("json") && !(expected.is_empty() && actual.is_empty()) {
        let expected_json: Value = match serde_json::from_str(expected) {
            Ok(v) => v,
            Err(e) => return Some(format!("body: the expected body is not JSON: {e}")),
        };
        let actual_json: Value = match serde_json::from_slice(actual) {
            Ok(v) => v,
            Err(e) => {
                return Some(format!(
                    "body: not JSON ({e}): {:?}",
                    String::from_utf8_lossy(actual)
                ))
            }
        };
        if !json_eq(&expected_json, &actual_json) {
            return Some(format!("body: expected {expected_json}, got {actual_json}"));
        }
        return None;
    }
    (actual != expected.as_bytes()).then(|| {
        format!(
            "body: expected {expected:?}, got {:?}",
            String::from_utf8_lossy(actual)
        )
    })
}

/// A form body (awsQuery, ec2Query) against the case's, compared as the multiset of decoded
/// `key=value` pairs: the protocol fixes the keys (numbering included), not their order.
fn compare_form_body(actual: &[u8], expected: &str) -> Option<String> {
    let actual = String::from_utf8_lossy(actual);
    let (want, got) = (form_pairs(expected), form_pairs(&actual));
    (want != got).then(|| format!("body: expected {want:?}, got {got:?}"))
}

/// The sorted, percent-decoded pairs of a form body (`+` is a space there).
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs: Vec<(String, String)> = body
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    pairs.sort();
    pairs
}

/// A CBOR body against the case's base64 `expected`, compared as decoded values.
fn compare_cbor_body(actual: &[u8], expected: &str) -> Option<String> {
    let expected = match base64_decode(expected) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("body: the expected body is not base64: {e}")),
    };
    if expected.is_empty() || actual.is_empty() {
        return (expected != actual)
            .then(|| format!("body: expected {expected:02x?}, got {actual:02x?}"));
    }
    let expected = match crate::cbor::decode(&expected) {
        Ok(value) => value,
        Err(e) => return Some(format!("body: the expected body is not CBOR: {e}")),
    };
    match crate::cbor::decode(actual) {
        Ok(actual) if cbor_eq(&expected, &actual) => None,
        Ok(actual) => Some(format!("body: expected {expected:?}, got {actual:?}")),
        Err(e) => Some(format!("body: not CBOR ({e}): {actual:02x?}")),
    }
}

/// An XML body against the case's, compared as element trees (see [`xml_eq`]).
fn compare_xml_body(actual: &[u8], expected: &str) -> Option<String> {
    let parse = |bytes: &[u8]| crate::xml::parse_document(bytes);
    let expected_tree = match parse(expected.as_bytes()) {
        Ok(tree) => tree,
        Err(e) => return Some(format!("body: the expected body is not XML: {e}")),
    };
    match parse(actual) {
        Ok(tree) if xml_tree_eq(&expected_tree, &tree) => None,
        Ok(_) => Some(format!(
            "body: expected {expected:?}, got {:?}",
            String::from_utf8_lossy(actual)
        )),
        Err(e) => Some(format!(
            "body: not XML ({e}): {:?}",
            String::from_utf8_lossy(actual)
        )),
    }
}

fn xml_tree_eq(a: &Option<crate::xml::XmlElement>, b: &Option<crate::xml::XmlElement>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => xml_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// XML equality as a parser reads it: same names, the same attributes in any order, the same
/// children in order, and the same text, where text around child elements (indentation) is
/// ignored. Siblings with distinct names (a structure's members) may come in any order. And
/// maps, whose entries have no order (the Rust map is a `HashMap`,
/// the cases list entries as written): a run of same-named siblings that each hold exactly two
/// elements (a key and a value) compares as a multiset. A two-member structure repeated in a
/// list gets the same leniency, which only ever accepts a reordering.
pub fn xml_eq(a: &crate::xml::XmlElement, b: &crate::xml::XmlElement) -> bool {
    let mut a_attributes = a.attributes.clone();
    let mut b_attributes = b.attributes.clone();
    a_attributes.sort();
    b_attributes.sort();
    let text_matters = a.children.is_empty() && b.children.is_empty();
    a.name == b.name
        && a_attributes == b_attributes
        && (!text_matters || a.text.trim() == b.text.trim())
        && children_eq(&a.children, &b.children)
}

fn children_eq(a: &[crate::xml::XmlElement], b: &[crate::xml::XmlElement]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.iter().zip(b).all(|(x, y)| xml_eq(x, y)) {
        return true;
    }
    // Siblings with distinct names are a structure's members, which have no order.
    let distinct = |items: &[crate::xml::XmlElement]| {
        let mut names: Vec<&str> = items.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.windows(2).all(|w| w[0] != w[1])
    };
    if distinct(a) && distinct(b) {
        return a
            .iter()
            .all(|x| b.iter().any(|y| y.name == x.name && xml_eq(x, y)));
    }
    let entry_like = |items: &[crate::xml::XmlElement]| {
        items
            .iter()
            .all(|e| e.name == items[0].name && e.children.len() == 2)
    };
    if a.is_empty() || !entry_like(a) || !entry_like(b) {
        return false;
    }
    let mut unmatched: Vec<&crate::xml::XmlElement> = b.iter().collect();
    a.iter()
        .all(|x| match unmatched.iter().position(|y| xml_eq(x, y)) {
            Some(i) => {
                unmatched.remove(i);
                true
            }
            None => false,
        })
}

fn base64_decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text)
}

/// CBOR equality as a server would read the values: maps in any order, floats by value (NaN
/// equal to NaN, whatever its width on the wire), and an integral float equal to the integer.
pub fn cbor_eq(a: &crate::cbor::Value, b: &crate::cbor::Value) -> bool {
    use crate::cbor::Value;
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Float(f), Value::Integer(n)) | (Value::Integer(n), Value::Float(f)) => {
            *f == *n as f64
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| cbor_eq(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| cbor_eq(v, w)))
        }
        (Value::Tag(t, x), Value::Tag(u, y)) => t == u && cbor_eq(x, y),
        _ => a == b,
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The response an `httpResponseTests` case describes (status `code`, `headers`, `body`).
pub fn response(case: &str) -> HttpResponse {
    let case = parse_case(case);
    let code = case.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
    let mut builder = http::Response::builder().status(code);
    if let Some(headers) = case.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
        }
    }
    let body = case.get("body").and_then(Value::as_str).unwrap_or_default();
    let media = case
        .get("bodyMediaType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Binary bodies (CBOR) are written in the case as base64.
    let body = if media.contains("cbor") {
        base64_decode(body).expect("the case's CBOR body is base64")
    } else {
        body.as_bytes().to_vec()
    };
    builder
        .body(Bytes::from(body))
        .expect("the test case describes a valid response")
}
