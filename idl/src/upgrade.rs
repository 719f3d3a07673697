//! The Smithy 1.0 to 2.0 model upgrade.
//!
//! In 1.0, structure members targeting unboxed numbers and booleans had an
//! implicit zero value and `@box` made them nullable. 2.0 says the same thing
//! with `@default`, so 1.0 members get `@default(0)` / `@default(false)` unless
//! they (or their target) were boxed, and member `@box` traits are dropped.
//! `set` becomes a `list` with `@uniqueItems`.

use crate::prelude;
use serde_json::{Map, Value};

const BOX: &str = "smithy.api#box";
const DEFAULT: &str = "smithy.api#default";

/// Upgrades a whole JSON AST document if it declares a 1.x version.
pub fn upgrade_v1_document(doc: &mut Value) {
    let is_v1 = doc
        .get("smithy")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with('1'));
    if !is_v1 {
        return;
    }
    if let Some(Value::Object(shapes)) = doc.get_mut("shapes") {
        let ids: Vec<String> = shapes.keys().cloned().collect();
        upgrade_v1_shapes(shapes, &ids);
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("smithy".into(), Value::String("2.0".into()));
    }
}

/// Upgrades the listed shapes (those that came from 1.0 files), looking up
/// member targets in `shapes` and the prelude.
pub(crate) fn upgrade_v1_shapes(shapes: &mut Map<String, Value>, ids: &[String]) {
    for id in ids {
        let Some(shape) = shapes.get(id) else {
            continue;
        };
        let defaults = member_defaults(shapes, shape);
        let Some(Value::Object(shape)) = shapes.get_mut(id) else {
            continue;
        };
        if shape.get("type").and_then(Value::as_str) == Some("set") {
            shape.insert("type".into(), Value::String("list".into()));
            add_trait(shape, "smithy.api#uniqueItems", Value::Object(Map::new()));
        }
        for (name, value) in defaults {
            if let Some(Value::Object(member)) =
                shape.get_mut("members").and_then(|m| m.get_mut(&name))
            {
                add_trait(member, DEFAULT, value);
            }
        }
        for member in members_mut(shape) {
            if let Some(Value::Object(traits)) = member.get_mut("traits") {
                traits.remove(BOX);
                if traits.is_empty() {
                    member.remove("traits");
                }
            }
        }
    }
}

/// Zero defaults that the structure members of `shape` had implicitly in 1.0.
fn member_defaults(shapes: &Map<String, Value>, shape: &Value) -> Vec<(String, Value)> {
    if shape.get("type").and_then(Value::as_str) != Some("structure") {
        return Vec::new();
    }
    let Some(Value::Object(members)) = shape.get("members") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, member) in members {
        if has_trait(member, DEFAULT) || has_trait(member, BOX) {
            continue;
        }
        let Some(target) = member.get("target").and_then(Value::as_str) else {
            continue;
        };
        if let Some(zero) = zero_value(shapes, target) {
            out.push((name.clone(), zero));
        }
    }
    out
}

/// The 1.0 implicit zero value of an unboxed target, if it had one.
fn zero_value(shapes: &Map<String, Value>, target: &str) -> Option<Value> {
    let (ty, boxed) = match shapes.get(target) {
        Some(t) => (t.get("type").and_then(Value::as_str)?, has_trait(t, BOX)),
        None => {
            let name = target.strip_prefix("smithy.api#")?;
            (prelude::shape_type(name)?, prelude::was_boxed_in_v1(name))
        }
    };
    if boxed {
        return None;
    }
    match ty {
        "boolean" => Some(Value::Bool(false)),
        "byte" | "short" | "integer" | "long" | "float" | "double" => Some(Value::from(0)),
        _ => None,
    }
}

fn has_trait(shape: &Value, id: &str) -> bool {
    shape.get("traits").and_then(|t| t.get(id)).is_some()
}

/// Adds a trait to a shape or member object, creating its trait map if needed.
pub(crate) fn add_trait(obj: &mut Map<String, Value>, id: &str, value: Value) {
    let entry = obj
        .entry("traits")
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(traits) = entry {
        traits.insert(id.to_string(), value);
    }
}

fn members_mut(shape: &mut Map<String, Value>) -> Vec<&mut Map<String, Value>> {
    let mut out = Vec::new();
    for (key, value) in shape.iter_mut() {
        match key.as_str() {
            "member" | "key" | "value" => {
                if let Value::Object(m) = value {
                    out.push(m);
                }
            }
            "members" => {
                if let Value::Object(ms) = value {
                    out.extend(ms.values_mut().filter_map(Value::as_object_mut));
                }
            }
            _ => {}
        }
    }
    out
}
