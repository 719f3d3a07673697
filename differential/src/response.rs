//! The response phase's comparison: the canonical JSON of the values both parsers read (see
//! `smithy_gen::generate_response_cases` and `botocore_side.py`), member by member.

use crate::wire::{base64, millis};
use serde_json::{Map, Value};
use smithy_gen::model::{Model, ShapeId, ShapeKind};

/// The value sent (a random output in the `params` convention, see [`crate::values`]) in the
/// canonical JSON both parsers' values are written in: timestamps as epoch milliseconds,
/// blobs as base64, big numbers as text, a unit union member as `{}`. Our parsed value is
/// compared with it too (field `sent:output...`), so a member both parsers miss (a bug of
/// the emitter, or one the parsers share) does not pass unseen.
pub fn sent(model: &Model, target: &ShapeId, v: &Value) -> Value {
    let Some(shape) = model.get(target) else {
        return v.clone();
    };
    match (&shape.kind, v) {
        (ShapeKind::Structure(members), Value::Object(o)) => Value::Object(
            members
                .iter()
                .filter_map(|m| Some((m.name.clone(), sent(model, &m.target, o.get(&m.name)?))))
                .collect(),
        ),
        (ShapeKind::Union(members), Value::Object(o)) => Value::Object(
            o.iter()
                .filter_map(|(k, item)| {
                    let m = members.iter().find(|m| &m.name == k)?;
                    let item = if m.target.is_unit() {
                        Value::Object(Map::new())
                    } else {
                        sent(model, &m.target, item)
                    };
                    Some((k.clone(), item))
                })
                .collect(),
        ),
        (ShapeKind::List(item), Value::Array(a)) => Value::Array(
            a.iter()
                .map(|i| {
                    if i.is_null() {
                        Value::Null
                    } else {
                        sent(model, &item.target, i)
                    }
                })
                .collect(),
        ),
        (ShapeKind::Map(_, item), Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, i)| {
                    let i = if i.is_null() {
                        Value::Null
                    } else {
                        sent(model, &item.target, i)
                    };
                    (k.clone(), i)
                })
                .collect(),
        ),
        (ShapeKind::Timestamp, _) => Value::from(millis(v)),
        (ShapeKind::Blob, Value::String(s)) => Value::from(base64(s.as_bytes())),
        (ShapeKind::BigInteger | ShapeKind::BigDecimal, Value::Number(n)) => {
            Value::from(n.to_string())
        }
        _ => v.clone(),
    }
}

/// The differences between our parsed output and botocore's, as `(field, ours, botocore)`:
/// the field is `output` followed by `.member`, `.key` of a map and `[index]` of a list; a
/// member only one side has is compared against `null`; lists of different lengths are one
/// difference. Numbers are equal when both are the same integer or the same double (one
/// parser may read `1` where the other reads `1.0`).
pub fn differences(ours: &Value, theirs: &Value) -> Vec<(String, Value, Value)> {
    differences_at("output", ours, theirs)
}

/// [`differences`] with `root` for `output` in the fields.
pub fn differences_at(root: &str, ours: &Value, theirs: &Value) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    walk(root, ours, theirs, &mut out);
    out
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let null = Value::Null;
                walk(
                    &format!("{path}.{key}"),
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{i}]"), p, q, out);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(p), Some(q), ..) => p == q,
                (_, _, Some(p), Some(q)) => p == q,
                _ => x.as_f64() == y.as_f64(),
            };
            if !same {
                out.push((path.to_string(), a.clone(), b.clone()));
            }
        }
        _ if a == b => {}
        _ => out.push((path.to_string(), a.clone(), b.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_paths_and_numbers() {
        let a = json!({"A": 1.0, "B": [1, {"C": "x"}], "D": {"k": true}, "E": 3});
        let b = json!({"A": 1, "B": [1, {"C": "y"}], "D": {}, "F": null});
        let found = differences(&a, &b);
        let fields: Vec<&str> = found.iter().map(|(f, ..)| f.as_str()).collect();
        assert_eq!(fields, ["output.B[1].C", "output.D.k", "output.E"]);
        assert!(differences(&json!([1, 2]), &json!([1])).len() == 1);
    }
}
