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

/// A form with each map's entries (`P.entry.N.<key>` / `P.entry.N.<value>`, whatever the key
/// and value names) numbered in the order of their contents: a server reads a map, so the
/// order its entries were written in (ours follow a `HashMap`) does not count. Lists
/// (`P.member.N`) keep their order; flattened maps are left as written.
fn map_entries_by_key(mut form: Vec<(String, String)>) -> Vec<(String, String)> {
    loop {
        // The shortest map prefix not yet renumbered, so an outer map goes before the maps
        // inside its values.
        let mut prefixes: Vec<String> = form
            .iter()
            .filter_map(|(k, _)| entry_of(k).map(|(prefix, _, _)| prefix.to_string()))
            .collect();
        prefixes.sort_by_key(|p| (p.len(), p.clone()));
        prefixes.dedup();
        let Some(prefix) = prefixes.into_iter().next() else {
            break;
        };
        let mut entries: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (k, v) in &form {
            if let Some((p, number, rest)) = entry_of(k) {
                if p == prefix {
                    entries
                        .entry(number.to_string())
                        .or_default()
                        .push((rest.to_string(), v.clone()));
                }
            }
        }
        let mut order: Vec<(Vec<(String, String)>, String)> = entries
            .into_iter()
            .map(|(n, mut fields)| {
                fields.sort();
                (fields, n)
            })
            .collect();
        order.sort();
        let renumber: BTreeMap<String, usize> = order
            .iter()
            .enumerate()
            .map(|(i, (_, n))| (n.clone(), i + 1))
            .collect();
        // Renumbered entries are written `P.entry#N.` so they are not matched again.
        for (k, _) in form.iter_mut() {
            if let Some((p, number, rest)) = entry_of(k) {
                if p == prefix {
                    *k = format!("{p}.entry#{}.{rest}", renumber[number]);
                }
            }
        }
    }
    for (k, _) in form.iter_mut() {
        *k = k.replace(".entry#", ".entry.");
    }
    form.sort();
    form
}

/// `P.entry.N.rest` -> `(P, N, rest)`, `P` being the shortest such prefix.
fn entry_of(key: &str) -> Option<(&str, &str, &str)> {
    let at = key.find(".entry.")?;
    let (prefix, after) = (&key[..at], &key[at + ".entry.".len()..]);
    let (number, rest) = after.split_once('.')?;
    number
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then_some((prefix, number, rest))
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
        let named = |text: &str| parse_body(text.as_bytes(), BodyKind::Form);
        assert_eq!(
            named("A.entry.1.Name=y&A.entry.1.Value.S=1&A.entry.2.Name=x&A.entry.2.Value.S=2"),
            named("A.entry.1.Name=x&A.entry.1.Value.S=2&A.entry.2.Name=y&A.entry.2.Value.S=1")
        );
        let list = |text: &str| parse_body(text.as_bytes(), BodyKind::Form);
        assert_ne!(
            list("L.member.1=a&L.member.2=b"),
            list("L.member.1=b&L.member.2=a")
        );
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
