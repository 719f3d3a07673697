//! Semantic comparison of JSON AST documents, used by the conformance runner
//! and the tests.
//!
//! Two JSON AST documents can describe the same model in different ways: an
//! `apply` entry versus the trait written on the member, a redefined mixin
//! member versus an `apply`, a 1.0 document versus its 2.0 upgrade, an empty
//! `members` object versus none, `1.0` versus `1`. [`normalize`] maps all of
//! these to one form so that plain `==` (which ignores object key order)
//! compares models.

use crate::merger::{apply_traits, member_entries, merge_metadata, mixins_of};
use crate::upgrade::upgrade_v1_document;
use serde_json::{Map, Number, Value};

/// Returns the canonical form of a JSON AST document (see the module docs).
/// Prelude (`smithy.api`) shapes are dropped.
pub fn normalize(doc: &Value) -> Value {
    let mut doc = doc.clone();
    upgrade_v1_document(&mut doc);
    let mut shapes = match doc.get_mut("shapes").map(Value::take) {
        Some(Value::Object(s)) => s,
        _ => Map::new(),
    };
    fold_applies(&mut shapes);
    move_redefined_mixin_members(&mut shapes);
    shapes.retain(|id, _| !id.starts_with("smithy.api#"));
    for shape in shapes.values_mut() {
        tidy_shape(shape);
    }
    let mut out = Map::new();
    if let Some(Value::Object(meta)) = doc.get("metadata") {
        if !meta.is_empty() {
            out.insert(
                "metadata".into(),
                normalize_numbers(&Value::Object(meta.clone())),
            );
        }
    }
    out.insert("shapes".into(), normalize_numbers(&Value::Object(shapes)));
    Value::Object(out)
}

/// Merges the shapes and metadata of `other` into `doc` (as Smithy's test
/// runner does with `__shared.json`). Shapes already in `doc` win.
pub fn merge_into(doc: &mut Value, other: &Value) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(extra)) = other.get("shapes") {
        let shapes = obj
            .entry("shapes")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(shapes) = shapes {
            for (id, shape) in extra {
                shapes.entry(id.clone()).or_insert_with(|| shape.clone());
            }
        }
    }
    if let Some(Value::Object(extra)) = other.get("metadata") {
        let meta = obj
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            for (k, v) in extra {
                let _ = merge_metadata(meta, k.clone(), v.clone());
            }
        }
    }
}

/// Describes the first difference between two normalized documents, or
/// `None` when they are equal.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    if expected == actual {
        return None;
    }
    if expected.get("metadata") != actual.get("metadata") {
        return Some(format!(
            "metadata differs: expected {}, got {}",
            short(expected.get("metadata")),
            short(actual.get("metadata"))
        ));
    }
    let empty = Map::new();
    let e = expected
        .get("shapes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let a = actual
        .get("shapes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (id, shape) in e {
        match a.get(id) {
            None => return Some(format!("missing shape `{id}`")),
            Some(other) if other != shape => {
                return Some(format!(
                    "shape `{id}` differs: expected {}, got {}",
                    short(Some(shape)),
                    short(Some(other))
                ))
            }
            _ => {}
        }
    }
    a.keys()
        .find(|id| !e.contains_key(*id))
        .map(|id| format!("unexpected shape `{id}`"))
        .or_else(|| Some("documents differ".into()))
}

fn short(v: Option<&Value>) -> String {
    let text = v.map(Value::to_string).unwrap_or_else(|| "nothing".into());
    if text.len() > 400 {
        let cut = (0..=400)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}...", text.get(..cut).unwrap_or(""))
    } else {
        text
    }
}

/// Moves every `apply` entry onto the shape or local member it targets.
fn fold_applies(shapes: &mut Map<String, Value>) {
    let apply_ids: Vec<String> = shapes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("apply"))
        .map(|(id, _)| id.clone())
        .collect();
    for id in apply_ids {
        let Some(entry) = shapes.shift_remove(&id) else {
            continue;
        };
        let traits = match entry.get("traits") {
            Some(Value::Object(t)) => t.clone(),
            _ => Map::new(),
        };
        let _ = apply_traits(shapes, &id, traits);
    }
}

/// A local member that redefines an inherited mixin member with the same
/// target only adds traits; express it as an `apply` entry.
fn move_redefined_mixin_members(shapes: &mut Map<String, Value>) {
    let mut moves = Vec::new();
    for (id, shape) in shapes.iter() {
        if mixins_of(shape).is_empty() {
            continue;
        }
        for (name, member) in member_entries(shape) {
            if inherited_has(shapes, shape, name, member.get("target"), 0) {
                moves.push((id.clone(), name.to_string()));
            }
        }
    }
    for (id, name) in moves {
        let removed = shapes.get_mut(&id).and_then(|shape| {
            if let Some(Value::Object(ms)) = shape.get_mut("members") {
                ms.shift_remove(&name)
            } else {
                shape.as_object_mut().and_then(|o| o.shift_remove(&name))
            }
        });
        if let Some(Value::Object(traits)) = removed.as_ref().and_then(|m| m.get("traits")) {
            if !traits.is_empty() {
                let _ = apply_traits(shapes, &format!("{id}${name}"), traits.clone());
            }
        }
    }
}

fn inherited_has(
    shapes: &Map<String, Value>,
    shape: &Value,
    name: &str,
    target: Option<&Value>,
    depth: usize,
) -> bool {
    if depth > 64 {
        return false;
    }
    mixins_of(shape).iter().any(|mixin| {
        shapes.get(mixin).is_some_and(|m| {
            member_entries(m)
                .iter()
                .any(|(n, mem)| *n == name && mem.get("target") == target)
                || inherited_has(shapes, m, name, target, depth + 1)
        })
    })
}

/// Drops empty optional fields and `Unit` operation input/output.
fn tidy_shape(shape: &mut Value) {
    let Some(obj) = shape.as_object_mut() else {
        return;
    };
    for key in ["members", "traits", "mixins"] {
        let empty = match obj.get(key) {
            Some(Value::Object(m)) => m.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            _ => false,
        };
        if empty {
            obj.shift_remove(key);
        }
    }
    for key in ["errors", "operations", "resources", "collectionOperations"] {
        if matches!(obj.get(key), Some(Value::Array(a)) if a.is_empty()) {
            obj.shift_remove(key);
        }
    }
    for key in ["identifiers", "properties", "rename"] {
        if matches!(obj.get(key), Some(Value::Object(m)) if m.is_empty()) {
            obj.shift_remove(key);
        }
    }
    for key in ["input", "output"] {
        if obj
            .get(key)
            .and_then(|v| v.get("target"))
            .and_then(Value::as_str)
            == Some("smithy.api#Unit")
        {
            obj.shift_remove(key);
        }
    }
    for key in ["member", "key", "value"] {
        if let Some(m) = obj.get_mut(key) {
            tidy_member(m);
        }
    }
    if let Some(Value::Object(ms)) = obj.get_mut("members") {
        for m in ms.values_mut() {
            tidy_member(m);
        }
    }
}

fn tidy_member(member: &mut Value) {
    if let Some(obj) = member.as_object_mut() {
        if matches!(obj.get("traits"), Some(Value::Object(t)) if t.is_empty()) {
            obj.shift_remove("traits");
        }
    }
}

/// Writes integral floats as integers so `1.0` and `1` compare equal.
fn normalize_numbers(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Value::Number(Number::from(f as i64))
            }
            _ => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalize_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalize_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
