//! A captured request as a server would see it, and the differences between two of them.
//!
//! Both sides write `{"method", "url", "headers": [[name, value]], "body_hex"}`. Normalized:
//! the host; the path as its percent-decoded segments (a `%2F` inside a label stays apart from
//! a `/` between segments); the query as a sorted multiset of decoded pairs; headers by
//! lowercase name, minus the ones signing and transport add; the body parsed by its kind (JSON
//! with numbers as values, XML without insignificant whitespace and with attributes sorted, a
//! form as a sorted multiset of decoded pairs, anything else as text).

use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Headers neither side's serializer owns: signing, transport, user agents.
const IGNORED_HEADERS: [&str; 9] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "user-agent",
    "x-amz-user-agent",
    "content-length",
    "host",
    "expect",
];

/// How a protocol's bodies are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON documents (restJson1, awsJson).
    Json,
    /// XML documents (restXml).
    Xml,
    /// `application/x-www-form-urlencoded` (awsQuery, ec2Query).
    Form,
}

/// One normalized request: a JSON object with `method`, `host`, `path`, `query`, `headers`
/// and `body` (so differences print and store as JSON).
pub fn normalize(captured: &Value, kind: BodyKind) -> Result<Map<String, Value>, String> {
    let method = captured["method"]
        .as_str()
        .ok_or("no method")?
        .to_uppercase();
    let url = captured["url"].as_str().ok_or("no url")?;
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut out = Map::new();
    out.insert("method".into(), json!(method));
    out.insert("host".into(), json!(host));
    out.insert("path".into(), json!(segments(path)));
    out.insert("query".into(), json!(pairs(query)));
    out.insert(
        "headers".into(),
        Value::Object(headers(&captured["headers"])),
    );
    let body = hex(captured["body_hex"].as_str().unwrap_or(""))?;
    out.insert("body".into(), parse_body(&body, kind));
    Ok(out)
}

/// Fields (top-level, a header as `header:<name>`) whose values differ, with both values.
pub fn differences(
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    for field in ["method", "host", "path", "query", "body"] {
        let (a, b) = (&ours[field], &theirs[field]);
        if !same(a, b) {
            out.push((field.to_string(), a.clone(), b.clone()));
        }
    }
    let empty = Map::new();
    let ours_h = ours["headers"].as_object().unwrap_or(&empty);
    let theirs_h = theirs["headers"].as_object().unwrap_or(&empty);
    let names: std::collections::BTreeSet<&String> = ours_h.keys().chain(theirs_h.keys()).collect();
    for name in names {
        let a = ours_h.get(name).cloned().unwrap_or(Value::Null);
        let b = theirs_h.get(name).cloned().unwrap_or(Value::Null);
        if a != b {
            out.push((format!("header:{name}"), a, b));
        }
    }
    out
}

/// Equality with numbers compared as values (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `/a/b%2Fc` -> `["a", "b/c"]`.
fn segments(path: &str) -> Vec<String> {
    path.split('/').skip(1).map(decode).collect()
}

/// A query or form body as sorted decoded `[name, value]` pairs (`+` is a space in forms).
fn pairs(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    out.sort();
    out
}

/// A form with each map's entries (`P.entry.N.key` / `P.entry.N.value`, or flattened
/// `P.N.key`) numbered in the order of their keys: a server reads a map, so the order its
/// entries were written in (ours follow a `HashMap`) does not count.
fn map_entries_by_key(mut form: Vec<(String, String)>) -> Vec<(String, String)> {
    // The map prefixes (`P.entry` or `P`) and, for each, entry number -> key, shortest first so
    // an outer map is renumbered before the maps inside its values.
    let mut maps: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (k, v) in &form {
        if let Some(rest) = k.strip_suffix(".key") {
            if let Some((prefix, number)) = rest.rsplit_once('.') {
                if number.bytes().all(|b| b.is_ascii_digit()) && !number.is_empty() {
                    maps.entry(prefix.to_string())
                        .or_default()
                        .push((number.to_string(), v.clone()));
                }
            }
        }
    }
    let mut prefixes: Vec<String> = maps.keys().cloned().collect();
    prefixes.sort_by_key(|p| p.len());
    for prefix in prefixes {
        let mut entries = maps[&prefix].clone();
        entries.sort_by(|a, b| a.1.cmp(&b.1));
        let renumber: BTreeMap<String, String> = entries
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (format!("{prefix}.{n}."), format!("{prefix}.{}.", i + 1)))
            .collect();
        for (k, _) in form.iter_mut() {
            if let Some((old, new)) = renumber.iter().find(|(old, _)| k.starts_with(old.as_str())) {
                *k = format!("{new}{}", &k[old.len()..]);
            }
        }
    }
    form.sort();
    form
}

fn headers(list: &Value) -> Map<String, Value> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in list.as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        if IGNORED_HEADERS.contains(&name.as_str()) || name.starts_with("amz-sdk-") {
            continue;
        }
        map.entry(name).or_default().push(value.trim().to_string());
    }
    map.into_iter()
        .map(|(k, v)| (k, Value::String(v.join(", "))))
        .collect()
}

fn hex(text: &str) -> Result<Vec<u8>, String> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// The body by its kind; a body that does not parse as its kind is compared as text.
fn parse_body(body: &[u8], kind: BodyKind) -> Value {
    if body.is_empty() {
        return json!("");
    }
    let text = String::from_utf8_lossy(body);
    let parsed = match kind {
        BodyKind::Json => serde_json::from_slice::<Value>(body)
            .ok()
            .map(|v| json!({ "json": v })),
        BodyKind::Xml => crate::xml::canonical(&text)
            .ok()
            .map(|v| json!({ "xml": v })),
        BodyKind::Form => {
            Some(json!({ "form": map_entries_by_key(pairs(&text.replace('+', "%20"))) }))
        }
    };
    parsed.unwrap_or_else(|| json!({ "text": text }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: Value, body: &str) -> Map<String, Value> {
        let captured = json!({
            "method": "post", "url": url, "headers": headers,
            "body_hex": body.bytes().map(|b| format!("{b:02x}")).collect::<String>(),
        });
        normalize(&captured, BodyKind::Json).expect("normalizes")
    }

    #[test]
    fn query_order_number_spelling_and_signing_headers_do_not_count() {
        let a = request(
            "https://h/a%20b/c?x=1&y=%2F",
            json!([["Content-Type", "application/json"], ["Authorization", "x"]]),
            r#"{"n": 1.0, "s": "\u00e9"}"#,
        );
        let b = request(
            "https://h/a b/c?y=/&x=1",
            json!([["content-type", "application/json"]]),
            r#"{"s": "é", "n": 1}"#,
        );
        assert!(differences(&a, &b).is_empty(), "{:?}", differences(&a, &b));
    }

    #[test]
    fn an_escaped_slash_in_a_label_is_not_a_segment_boundary() {
        let a = request("https://h/a%2Fb", json!([]), "");
        let b = request("https://h/a/b", json!([]), "");
        let found = differences(&a, &b);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "path");
    }

    #[test]
    fn map_entries_in_a_form_compare_by_key_not_position() {
        let form = |text: &str| parse_body(text.as_bytes(), BodyKind::Form);
        let a = form("M.entry.1.key=b&M.entry.1.value=2&M.entry.2.key=a&M.entry.2.value=1");
        let b = form("M.entry.1.key=a&M.entry.1.value=1&M.entry.2.key=b&M.entry.2.value=2");
        assert_eq!(a, b);
        let c = form("M.entry.1.key=a&M.entry.1.value=2&M.entry.2.key=b&M.entry.2.value=1");
        assert_ne!(a, c, "a value moved to another key is a difference");
    }

    #[test]
    fn a_header_present_on_one_side_only_is_a_difference() {
        let a = request("https://h/", json!([["X-A", "1"]]), "");
        let b = request("https://h/", json!([]), "");
        assert_eq!(
            differences(&a, &b),
            vec![("header:x-a".to_string(), json!("1"), Value::Null)]
        );
    }
}
