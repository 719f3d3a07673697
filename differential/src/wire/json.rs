//! JSON bodies of restJson1 and awsJson1_x responses (Smithy "JSON shape serialization"):
//! keys are member names (restJson1 honours `@jsonName`, awsJson does not), blobs base64,
//! timestamps epoch seconds unless `@timestampFormat` says otherwise, non-finite floats as the
//! strings `NaN` / `Infinity` / `-Infinity`, big numbers as JSON numbers, unions as objects
//! with one key, `@sparse` collections with `null` entries.

use super::{base64, merged, timestamp};
use serde_json::{Map, Value};
use smithy_gen::model::traits::TimestampFormat;
use smithy_gen::model::{Member, Model, ShapeId, ShapeKind, Traits};

/// The JSON object of the structure `id` holding `v`, with the members `keep` accepts.
pub fn structure(
    model: &Model,
    id: &ShapeId,
    v: &Value,
    rest_json: bool,
    keep: &dyn Fn(&Member) -> bool,
) -> Value {
    let mut out = Map::new();
    let (Some(ShapeKind::Structure(members)), Some(object)) =
        (model.get(id).map(|s| &s.kind), v.as_object())
    else {
        return Value::Object(out);
    };
    for member in members.iter().filter(|m| keep(m)) {
        let Some(item) = object.get(&member.name) else {
            continue;
        };
        out.insert(
            key(member, rest_json).to_string(),
            value(model, &member.target, &member.traits, item, rest_json),
        );
    }
    Value::Object(out)
}

fn key(member: &Member, rest_json: bool) -> &str {
    if rest_json {
        if let Some(name) = member.traits.json_name() {
            return name;
        }
    }
    &member.name
}

/// The JSON of `v`, a value of `target` reached through a member with `member` traits.
pub fn value(
    model: &Model,
    target: &ShapeId,
    member: &Traits,
    v: &Value,
    rest_json: bool,
) -> Value {
    let Some(shape) = model.get(target) else {
        return Value::Null;
    };
    let format = member
        .timestamp_format()
        .or_else(|| shape.traits.timestamp_format());
    match &shape.kind {
        ShapeKind::Structure(_) => structure(model, target, v, rest_json, &|_| true),
        ShapeKind::Union(members) => {
            let mut out = Map::new();
            if let Some((name, item)) = v.as_object().and_then(|o| o.iter().next()) {
                if let Some(m) = members.iter().find(|m| &m.name == name) {
                    let item = if m.target.is_unit() {
                        Value::Object(Map::new())
                    } else {
                        value(model, &m.target, &m.traits, item, rest_json)
                    };
                    out.insert(key(m, rest_json).to_string(), item);
                }
            }
            Value::Object(out)
        }
        ShapeKind::List(item) => Value::Array(
            v.as_array()
                .map(|a| a.iter().map(|i| entry(model, item, i, rest_json)).collect())
                .unwrap_or_default(),
        ),
        ShapeKind::Map(_, item) => Value::Object(
            v.as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, i)| (k.clone(), entry(model, item, i, rest_json)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        ShapeKind::Timestamp => timestamp(v, format.unwrap_or(TimestampFormat::EpochSeconds)),
        ShapeKind::Blob => Value::from(base64(v.as_str().unwrap_or_default().as_bytes())),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => match v {
            Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
            other => other.clone(),
        },
        _ => v.clone(),
    }
}

/// A list item or map value (`null` stays `null`: only `@sparse` collections hold one).
fn entry(model: &Model, item: &Member, v: &Value, rest_json: bool) -> Value {
    if v.is_null() {
        return Value::Null;
    }
    value(model, &item.target, &merged(model, item), v, rest_json)
}
