//! Mutations of real models: each [`mutate`] call breaks or bends one thing in a JSON AST model
//! (a shape removed or retyped, a member renamed to a keyword or retargeted, a trait given a
//! value of the wrong type, an HTTP URI garbled, ...), and [`load_and_generate`] checks that the
//! generator answers with `Ok` or an error naming the file and the reason, and never panics.

use crate::rng::Rng;
use serde_json::{json, Value};
use smithy_gen::Settings;

/// Member names a mutation renames to (keywords, generated method names, collisions).
const HAZARD_NAMES: &[&str] = &[
    "type", "self", "Self", "crate", "super", "build", "builder", "meta", "message", "send",
    "set_foo", "foo", "fooBar", "foo_bar", "_1abc", "Unknown", "UNKNOWN", "r#type", "", "a b",
];

/// Trait values of the wrong type, keyed by trait.
const WRONG_TRAITS: &[(&str, &str)] = &[
    ("smithy.api#http", "\"GET /\""),
    ("smithy.api#http", "{\"method\": 5, \"uri\": []}"),
    ("smithy.api#http", "{\"method\": \"GET\", \"uri\": \"/{\"}"),
    (
        "smithy.api#http",
        "{\"method\": \"GET\", \"uri\": \"/{a}/{a}\"}",
    ),
    (
        "smithy.api#http",
        "{\"method\": \"GET\", \"uri\": \"/{a+}/{b+}\"}",
    ),
    (
        "smithy.api#http",
        "{\"method\": \"GET\", \"uri\": \"no-slash\", \"code\": \"x\"}",
    ),
    ("smithy.api#httpError", "\"x\""),
    ("smithy.api#error", "5"),
    ("smithy.api#enumValue", "{}"),
    ("smithy.api#default", "[1, 2]"),
    ("smithy.api#default", "{\"a\": 1}"),
    ("smithy.api#default", "\"not a number\""),
    ("smithy.api#timestampFormat", "\"bogus\""),
    ("smithy.api#jsonName", "5"),
    ("smithy.api#httpHeader", "\"\""),
    ("smithy.api#httpQuery", "[]"),
    ("smithy.api#httpLabel", "{}"),
    ("smithy.api#httpPayload", "{}"),
    ("smithy.api#httpResponseCode", "{}"),
    ("smithy.api#required", "false"),
    ("smithy.api#sparse", "{}"),
    ("smithy.api#streaming", "{}"),
    (
        "smithy.api#paginated",
        "{\"inputToken\": \"nope\", \"outputToken\": \"a.b.c\"}",
    ),
    (
        "smithy.api#documentation",
        "\"<unclosed [x] `tick https://x.y\"",
    ),
    ("smithy.api#documentation", "7"),
];

const TYPES: &[&str] = &[
    "structure",
    "union",
    "list",
    "map",
    "enum",
    "intEnum",
    "string",
    "integer",
    "blob",
    "timestamp",
    "document",
    "operation",
    "service",
    "resource",
    "bogus",
];

/// Applies one random mutation to `model` (a JSON AST document); returns what it did.
pub fn mutate(model: &mut Value, rng: &mut Rng) -> String {
    let Some(shapes) = model.get_mut("shapes").and_then(Value::as_object_mut) else {
        return "no shapes".into();
    };
    let ids: Vec<String> = shapes.keys().cloned().collect();
    if ids.is_empty() {
        return "no shapes".into();
    }
    let id = rng.pick(&ids).clone();
    let other = rng.pick(&ids).clone();
    let choice = rng.below(9);
    let Some(shape) = shapes.get_mut(&id) else {
        return "none".into();
    };
    let member_names: Vec<String> = shape["members"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match choice {
        0 => {
            shapes.remove(&id);
            format!("removed {id}")
        }
        1 => {
            let Some(name) = pick_member(&member_names, rng) else {
                return format!("{id}: no member to rename");
            };
            let hazard = rng.pick(HAZARD_NAMES).to_string();
            let members = shape["members"].as_object_mut().expect("has members");
            if let Some(member) = members.remove(&name) {
                members.insert(hazard.clone(), member);
            }
            format!("{id}: member {name} renamed to {hazard:?}")
        }
        2 => {
            let Some(name) = pick_member(&member_names, rng) else {
                return format!("{id}: no member to retarget");
            };
            shape["members"][&name]["target"] = json!(other);
            format!("{id}${name} retargeted to {other}")
        }
        3 => {
            let kind = rng.pick(TYPES).to_string();
            shape["type"] = json!(kind);
            format!("{id} retyped to {kind}")
        }
        4 | 5 => {
            let (trait_id, value) = *rng.pick(WRONG_TRAITS);
            let value: Value = serde_json::from_str(value).expect("trait values are JSON");
            let on_member = choice == 5 && !member_names.is_empty();
            let target = if on_member {
                let name = rng.pick(&member_names).clone();
                &mut shape["members"][name]
            } else {
                shape
            };
            if !target["traits"].is_object() {
                target["traits"] = json!({});
            }
            target["traits"][trait_id] = value;
            format!("{id}: trait {trait_id} set (member: {on_member})")
        }
        6 => {
            let Some(name) = pick_member(&member_names, rng) else {
                return format!("{id}: no member to unrequire");
            };
            if let Some(traits) = shape["members"][&name]["traits"].as_object_mut() {
                traits.remove("smithy.api#required");
            }
            format!("{id}${name}: @required removed")
        }
        7 => {
            let hazard = rng.pick(HAZARD_NAMES).to_string();
            if let Some(shape) = shapes.remove(&id) {
                let namespace = id.split('#').next().unwrap_or_default();
                shapes.insert(format!("{namespace}#{hazard}"), shape);
            }
            format!("{id} renamed to {hazard:?}")
        }
        _ => {
            let hazard = rng.pick(HAZARD_NAMES).to_string();
            if !shape["members"].is_object() {
                shape["members"] = json!({});
            }
            shape["members"][&hazard] = json!({"target": other});
            format!("{id}: member {hazard:?} added targeting {other}")
        }
    }
}

fn pick_member(names: &[String], rng: &mut Rng) -> Option<String> {
    (!names.is_empty()).then(|| rng.pick(names).clone())
}

/// Loads `text` as `file` and generates it (directory layout). `Ok(None)` when it generated,
/// `Ok(Some(error))` for a load or generation error that names the file and says why, and
/// `Err` for a panic or an error that does not.
pub fn load_and_generate(file: &str, text: &str) -> Result<Option<String>, String> {
    let run = || {
        let model = smithy_gen::load(&[(file.to_string(), text.to_string())])?;
        let settings = Settings {
            threads: Some(1),
            ..Settings::default()
        };
        smithy_gen::generate(&model, &settings).map(|_| ())
    };
    match std::panic::catch_unwind(run) {
        Ok(Ok(())) => Ok(None),
        Ok(Err(error)) => {
            let message = error.to_string();
            let reason = error.kind.to_string();
            let names_file = error.file == file || error.file.starts_with('<');
            if names_file && !reason.trim().is_empty() {
                Ok(Some(message))
            } else {
                Err(format!("unclear error: {message:?}"))
            }
        }
        Err(panic) => Err(crate::harness::panic_message(&*panic)),
    }
}
