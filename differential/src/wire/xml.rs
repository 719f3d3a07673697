//! XML bodies of restXml, awsQuery and ec2Query responses (Smithy "XML shape serialization"):
//! element names from `@xmlName` (else the member name), `@xmlAttribute` members as attributes
//! of their structure's element, lists wrapped in `<member>` items (the list member's
//! `@xmlName`) unless `@xmlFlattened`, maps as `<entry><key/><value/></entry>` (names from the
//! key and value members' `@xmlName`) unless flattened, `@xmlNamespace` as `xmlns`
//! attributes, timestamps `date-time` unless `@timestampFormat` says otherwise, blobs base64,
//! booleans `true` / `false`, non-finite floats `NaN` / `Infinity` / `-Infinity`.
//!
//! Text is escaped so an XML parser reads back exactly the value: `&`, `<`, `>` always, CR as
//! `&#xD;` (a parser turns a literal CR into LF), and in attributes also quotes, tabs and line
//! feeds (a parser turns literal ones into spaces).

use super::{base64, merged, timestamp};
use serde_json::Value;
use smithy_gen::model::traits::TimestampFormat;
use smithy_gen::model::{Member, Model, ShapeId, ShapeKind, Traits};

/// `text` escaped for element content (`attribute`: for a double-quoted attribute value).
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            other => out.push(other),
        }
    }
    out
}

/// The `@xmlNamespace` of a shape or member as an `xmlns` attribute's name and value.
pub fn namespace(traits: &Traits) -> Option<String> {
    let ns = traits.get("smithy.api#xmlNamespace")?;
    let uri = ns.get("uri")?.as_str()?;
    Some(match ns.get("prefix").and_then(Value::as_str) {
        Some(prefix) => format!("{prefix}\u{0}{uri}"),
        None => uri.to_string(),
    })
}

/// The service's `@xmlNamespace` (a prefixed one as [`namespace`] gives it).
pub fn service_namespace(model: &Model, service: &ShapeId) -> Option<String> {
    model.get(service).and_then(|s| namespace(&s.traits))
}

fn xmlns(ns: Option<&str>) -> String {
    match ns {
        None => String::new(),
        Some(ns) => match ns.split_once('\u{0}') {
            Some((prefix, uri)) => format!(" xmlns:{prefix}=\"{}\"", escape(uri, true)),
            None => format!(" xmlns=\"{}\"", escape(ns, true)),
        },
    }
}

/// A structure's root element name: its `@xmlName`, else its shape name.
pub fn root_name(model: &Model, id: &ShapeId) -> String {
    model
        .get(id)
        .and_then(|s| s.traits.get("smithy.api#xmlName"))
        .and_then(Value::as_str)
        .map_or_else(|| id.name().to_string(), str::to_string)
}

/// A whole document: the element `root` (with `ns`) holding `v` of `id`, with the members
/// `keep` accepts.
pub fn document(
    model: &Model,
    id: &ShapeId,
    root: &str,
    ns: Option<&str>,
    v: &Value,
    keep: &dyn Fn(&Member) -> bool,
) -> String {
    let mut attributes = xmlns(ns);
    attributes.push_str(&attribute_text(model, id, v));
    let mut children = String::new();
    match model.get(id).map(|s| &s.kind) {
        Some(ShapeKind::Structure(_)) => members(model, id, v, keep, &mut children),
        _ => content(model, id, &Traits::default(), v, &mut children),
    }
    format!("<{root}{attributes}>{children}</{root}>")
}

/// The child elements of the structure `id` holding `v` (members `keep` accepts; attribute
/// members are left to the element's start tag).
pub fn members(
    model: &Model,
    id: &ShapeId,
    v: &Value,
    keep: &dyn Fn(&Member) -> bool,
    out: &mut String,
) {
    let (Some(ShapeKind::Structure(list)), Some(object)) =
        (model.get(id).map(|s| &s.kind), v.as_object())
    else {
        return;
    };
    for member in list.iter().filter(|m| keep(m)) {
        if member.traits.has("smithy.api#xmlAttribute") {
            continue;
        }
        if let Some(item) = object.get(&member.name) {
            member_element(model, member, item, out);
        }
    }
}

fn member_name(member: &Member) -> &str {
    member
        .traits
        .get("smithy.api#xmlName")
        .and_then(Value::as_str)
        .unwrap_or(&member.name)
}

/// The attributes (`@xmlAttribute` members) of a structure's element, with their leading
/// spaces.
fn attribute_text(model: &Model, id: &ShapeId, v: &Value) -> String {
    let (Some(ShapeKind::Structure(list)), Some(object)) =
        (model.get(id).map(|s| &s.kind), v.as_object())
    else {
        return String::new();
    };
    let mut out = String::new();
    for member in list
        .iter()
        .filter(|m| m.traits.has("smithy.api#xmlAttribute"))
    {
        let Some(item) = object.get(&member.name) else {
            continue;
        };
        let text = scalar(model, &member.target, &merged(model, member), item);
        out.push_str(&format!(
            " {}=\"{}\"",
            member_name(member),
            escape(&text, true)
        ));
    }
    out
}

/// One member's element(s): flattened lists and maps repeat the member's element.
fn member_element(model: &Model, member: &Member, v: &Value, out: &mut String) {
    let name = member_name(member);
    let ns = namespace(&member.traits);
    let flattened = member.traits.has("smithy.api#xmlFlattened");
    match model.get(&member.target).map(|s| &s.kind) {
        Some(ShapeKind::List(item)) if flattened => {
            for i in v.as_array().into_iter().flatten() {
                element(model, name, ns.as_deref(), item, i, out);
            }
        }
        Some(ShapeKind::Map(key, value)) if flattened => {
            for (k, i) in v.as_object().into_iter().flatten() {
                out.push_str(&format!("<{name}{}>", xmlns(ns.as_deref())));
                map_entry(model, key, value, k, i, out);
                out.push_str(&format!("</{name}>"));
            }
        }
        _ => element(model, name, ns.as_deref(), member, v, out),
    }
}

/// `<name>` holding `v`, a value of `member`'s target.
fn element(
    model: &Model,
    name: &str,
    ns: Option<&str>,
    member: &Member,
    v: &Value,
    out: &mut String,
) {
    let attributes = attribute_text(model, &member.target, v);
    out.push_str(&format!("<{name}{}{attributes}>", xmlns(ns)));
    content(model, &member.target, &merged(model, member), v, out);
    out.push_str(&format!("</{name}>"));
}

fn map_entry(model: &Model, key: &Member, value: &Member, k: &str, v: &Value, out: &mut String) {
    let key_name = key
        .traits
        .get("smithy.api#xmlName")
        .and_then(Value::as_str)
        .unwrap_or("key");
    let value_name = value
        .traits
        .get("smithy.api#xmlName")
        .and_then(Value::as_str)
        .unwrap_or("value");
    element(
        model,
        key_name,
        namespace(&key.traits).as_deref(),
        key,
        &Value::from(k),
        out,
    );
    element(
        model,
        value_name,
        namespace(&value.traits).as_deref(),
        value,
        v,
        out,
    );
}

/// The content of an element holding `v` of `target` (`traits`: the member's over the
/// target's).
fn content(model: &Model, target: &ShapeId, traits: &Traits, v: &Value, out: &mut String) {
    let Some(shape) = model.get(target) else {
        return;
    };
    match &shape.kind {
        ShapeKind::Structure(_) => members(model, target, v, &|_| true, out),
        ShapeKind::Union(list) => {
            if let Some((name, item)) = v.as_object().and_then(|o| o.iter().next()) {
                if let Some(m) = list.iter().find(|m| &m.name == name) {
                    member_element(model, m, item, out);
                }
            }
        }
        ShapeKind::List(item) => {
            let name = item
                .traits
                .get("smithy.api#xmlName")
                .and_then(Value::as_str)
                .unwrap_or("member");
            let ns = namespace(&item.traits);
            for i in v.as_array().into_iter().flatten() {
                element(model, name, ns.as_deref(), item, i, out);
            }
        }
        ShapeKind::Map(key, value) => {
            for (k, i) in v.as_object().into_iter().flatten() {
                out.push_str("<entry>");
                map_entry(model, key, value, k, i, out);
                out.push_str("</entry>");
            }
        }
        _ => out.push_str(&escape(&scalar(model, target, traits, v), false)),
    }
}

/// The text of a simple value.
fn scalar(model: &Model, target: &ShapeId, traits: &Traits, v: &Value) -> String {
    let kind = model.get(target).map(|s| &s.kind);
    match (kind, v) {
        (Some(ShapeKind::Timestamp), _) => {
            let format = traits
                .timestamp_format()
                .unwrap_or(TimestampFormat::DateTime);
            match timestamp(v, format) {
                Value::String(s) => s,
                other => other.to_string(),
            }
        }
        (Some(ShapeKind::Blob), Value::String(s)) => base64(s.as_bytes()),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_survives_an_xml_parser() {
        assert_eq!(escape("a&b<c>\r\n\"", false), "a&amp;b&lt;c&gt;&#xD;\n\"");
        assert_eq!(escape("\"\t\n", true), "&quot;&#x9;&#xA;");
        let read = crate::xml::canonical(&format!("<a>{}</a>", escape("x\r\ny&<", false)));
        assert!(read.is_ok_and(|v| v.to_string().contains("x\\r\\ny&<")));
    }
}
