//! Loading several files into one model: shape and metadata merging, elided
//! member resolution, mixin member conflicts, `apply` statements and the 1.0
//! upgrade, in that order (each step needs the complete result of the one
//! before it).

use crate::error::{IdlError, Pos};
use crate::ir::{FileIr, Version};
use crate::resolver::{convert_file, merge_trait, Defined, Elided, ELIDED};
use crate::{parser, upgrade};
use serde_json::{Map, Value};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, IdlError>;

/// Where a shape was defined, for conflict messages.
struct Origin {
    file: String,
    pos: Pos,
}

/// The model being assembled.
#[derive(Default)]
struct Model {
    shapes: Map<String, Value>,
    metadata: Map<String, Value>,
    origins: HashMap<String, Origin>,
    v1_shapes: Vec<String>,
    v1_set: std::collections::HashSet<String>,
}

/// Parses and merges files into one JSON AST document.
pub(crate) fn load(files: &[(String, String)]) -> Result<Value> {
    let irs = files
        .iter()
        .map(|(path, text)| parser::parse(path, text))
        .collect::<Result<Vec<FileIr>>>()?;
    let mut defined = Defined::new();
    for ir in &irs {
        let ns = ir.namespace.as_deref().unwrap_or_default();
        for s in &ir.shapes {
            defined
                .entry(format!("{ns}#{}", s.name))
                .or_insert_with(|| s.kind.clone());
        }
    }
    let mut model = Model::default();
    let mut elided = Vec::new();
    let mut applies = Vec::new();
    for ir in &irs {
        let converted = convert_file(ir, &defined)?;
        for (key, value, pos) in converted.metadata {
            merge_metadata(&mut model.metadata, key, value).map_err(|m| pos.error(&ir.path, m))?;
        }
        for (id, value, pos) in converted.shapes {
            model.add_shape(id, value, &ir.path, pos, ir.version)?;
        }
        elided.extend(converted.elided);
        applies.extend(converted.applies.into_iter().map(|a| (ir.path.clone(), a)));
    }
    resolve_elided(&mut model.shapes, elided)?;
    check_mixin_members(&model)?;
    check_mixin_rules(&model)?;
    default_enum_values(&mut model.shapes);
    for (file, (target, traits, pos)) in applies {
        apply_traits(&mut model.shapes, &target, traits).map_err(|m| pos.error(&file, m))?;
    }
    let v1 = std::mem::take(&mut model.v1_shapes);
    model.v1_set.clear();
    upgrade::upgrade_v1_shapes(&mut model.shapes, &v1);
    let mut doc = Map::new();
    doc.insert("smithy".into(), Value::String("2.0".into()));
    if !model.metadata.is_empty() {
        doc.insert("metadata".into(), Value::Object(model.metadata));
    }
    doc.insert("shapes".into(), Value::Object(model.shapes));
    Ok(Value::Object(doc))
}

impl Model {
    /// Adds a shape; the same ID twice is only allowed for identical definitions.
    fn add_shape(
        &mut self,
        id: String,
        value: Value,
        file: &str,
        pos: Pos,
        version: Version,
    ) -> Result<()> {
        if let Some(existing) = self.shapes.get(&id) {
            if *existing == value {
                return Ok(());
            }
            let first = self
                .origins
                .get(&id)
                .map(|o| format!("{}:{}", o.file, o.pos))
                .unwrap_or_default();
            return Err(pos.error(
                file,
                format!("conflicting shape definition for `{id}` (first defined at {first})"),
            ));
        }
        if version == Version::V1 {
            self.v1_shapes.push(id.clone());
            self.v1_set.insert(id.clone());
        }
        self.origins.insert(
            id.clone(),
            Origin {
                file: file.to_string(),
                pos,
            },
        );
        self.shapes.insert(id, value);
        Ok(())
    }
}

/// Merges one metadata entry: lists concatenate, equal values are fine,
/// anything else is a conflict.
pub(crate) fn merge_metadata(
    meta: &mut Map<String, Value>,
    key: String,
    value: Value,
) -> std::result::Result<(), String> {
    match meta.get_mut(&key) {
        None => {
            meta.insert(key, value);
            Ok(())
        }
        Some(Value::Array(items)) if value.is_array() => {
            if let Value::Array(more) = value {
                items.extend(more);
            }
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(_) => Err(format!("metadata conflict for key `{key}`")),
    }
}

/// The local member object `name` of a shape, if it has one.
pub(crate) fn local_member<'a>(shape: &'a Value, name: &str) -> Option<&'a Value> {
    match shape.get("type").and_then(Value::as_str)? {
        "list" | "set" | "map" => match name {
            "member" | "key" | "value" => shape.get(name),
            _ => None,
        },
        _ => shape.get("members")?.get(name),
    }
}

fn local_member_mut<'a>(shape: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    match shape.get("type").and_then(Value::as_str)? {
        "list" | "set" | "map" => match name {
            "member" | "key" | "value" => shape.get_mut(name),
            _ => None,
        },
        _ => shape.get_mut("members")?.get_mut(name),
    }
}

/// Mixin shape IDs of a shape.
pub(crate) fn mixins_of(shape: &Value) -> Vec<String> {
    shape
        .get("mixins")
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter_map(|m| m.get("target").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

enum Found {
    Target(String),
    NotYet,
    Missing,
}

/// Looks for member `name` in the mixins of `shape_id` (recursively).
fn inherited_target(
    shapes: &Map<String, Value>,
    shape_id: &str,
    name: &str,
    depth: usize,
) -> Found {
    if depth > parser::MAX_DEPTH {
        return Found::Missing;
    }
    let Some(shape) = shapes.get(shape_id) else {
        return Found::Missing;
    };
    for mixin in mixins_of(shape) {
        let Some(mixin_shape) = shapes.get(&mixin) else {
            continue;
        };
        if let Some(member) = local_member(mixin_shape, name) {
            return match member.get("target").and_then(Value::as_str) {
                Some(ELIDED) => Found::NotYet,
                Some(t) => Found::Target(t.to_string()),
                None => Found::Missing,
            };
        }
        match inherited_target(shapes, &mixin, name, depth + 1) {
            Found::Missing => {}
            other => return other,
        }
    }
    Found::Missing
}

/// Target of identifier or property `name` of a `for` resource.
fn resource_target(shapes: &Map<String, Value>, e: &Elided) -> Result<Option<String>> {
    let Some(resource) = &e.resource else {
        return Ok(None);
    };
    let Some(shape) = shapes.get(resource) else {
        return Err(e.pos.error(
            &e.file,
            format!("the `for` resource `{resource}` is not defined"),
        ));
    };
    let ty = shape
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if ty != "resource" {
        return Err(e.pos.error(
            &e.file,
            format!("the target of the `for` production must be a resource shape, but found a {ty} shape: {resource}"),
        ));
    }
    Ok(["identifiers", "properties"].iter().find_map(|k| {
        shape
            .get(*k)
            .and_then(|m| m.get(&e.member))
            .and_then(|m| m.get("target"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }))
}

/// Gives every elided member its target: resource identifiers/properties
/// first, then mixin members. Repeats while progress is made because a mixin
/// may itself have elided members.
fn resolve_elided(shapes: &mut Map<String, Value>, mut pending: Vec<Elided>) -> Result<()> {
    while !pending.is_empty() {
        let before = pending.len();
        let mut still = Vec::new();
        for e in pending {
            let target = match resource_target(shapes, &e)? {
                Some(t) => Some(t),
                None => match inherited_target(shapes, &e.shape, &e.member, 0) {
                    Found::Target(t) => Some(t),
                    Found::NotYet => None,
                    Found::Missing => {
                        return Err(e.pos.error(
                            &e.file,
                            format!(
                                "{}${}: member target was elided, but no bound resource or mixin contained a matching identifier or member name",
                                e.shape, e.member
                            ),
                        ))
                    }
                },
            };
            match target {
                Some(t) => set_target(shapes, &e, t),
                None => still.push(e),
            }
        }
        if still.len() == before {
            let Some(e) = still.first() else { break };
            return Err(e.pos.error(
                &e.file,
                format!(
                    "{}${}: elided member target could not be resolved (mixin cycle?)",
                    e.shape, e.member
                ),
            ));
        }
        pending = still;
    }
    Ok(())
}

fn set_target(shapes: &mut Map<String, Value>, e: &Elided, target: String) {
    if let Some(Value::Object(m)) = shapes
        .get_mut(&e.shape)
        .and_then(|s| local_member_mut(s, &e.member))
    {
        m.insert("target".into(), Value::String(target));
    }
}

/// Inherited members of a shape: name to (target, mixin that defines it).
fn inherited_members(
    shapes: &Map<String, Value>,
    shape: &Value,
    depth: usize,
    out: &mut Vec<(String, String, String)>,
) {
    if depth > parser::MAX_DEPTH {
        return;
    }
    for mixin in mixins_of(shape) {
        let Some(mixin_shape) = shapes.get(&mixin) else {
            continue;
        };
        for (name, member) in member_entries(mixin_shape) {
            let target = member
                .get("target")
                .and_then(Value::as_str)
                .unwrap_or_default();
            out.push((
                name.to_string(),
                target.to_string(),
                format!("{mixin}${name}"),
            ));
        }
        inherited_members(shapes, mixin_shape, depth + 1, out);
    }
}

/// All local members of a shape as (name, member object).
pub(crate) fn member_entries(shape: &Value) -> Vec<(&str, &Value)> {
    let mut out = Vec::new();
    if let Some(Value::Object(ms)) = shape.get("members") {
        out.extend(ms.iter().map(|(k, v)| (k.as_str(), v)));
    }
    for key in ["member", "key", "value"] {
        if let Some(m) = shape.get(key) {
            out.push((key, m));
        }
    }
    out
}

/// Redefining an inherited member is only allowed with the same target.
fn check_mixin_members(model: &Model) -> Result<()> {
    for (id, shape) in &model.shapes {
        if shape.get("mixins").is_none() {
            continue;
        }
        let mut inherited = Vec::new();
        inherited_members(&model.shapes, shape, 0, &mut inherited);
        let mut seen: HashMap<&str, (&str, &str)> = HashMap::new();
        for (name, target, from) in &inherited {
            if let Some((t, f)) = seen.get(name.as_str()) {
                if t != target {
                    return Err(conflict(model, id, name, f, from));
                }
            }
            seen.insert(name, (target, from));
        }
        for (name, member) in member_entries(shape) {
            let target = member
                .get("target")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some((t, from)) = seen.get(name) {
                if *t != target {
                    return Err(conflict(model, id, name, from, ""));
                }
            }
        }
    }
    Ok(())
}

/// Mixins must be 2.0 shapes of the same type as the shapes using them, and
/// operation and resource mixins cannot carry input/output or properties.
fn check_mixin_rules(model: &Model) -> Result<()> {
    const MIXIN: &str = "smithy.api#mixin";
    for (id, shape) in &model.shapes {
        let ty = shape
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let is_mixin = shape.get("traits").and_then(|t| t.get(MIXIN)).is_some();
        if is_mixin && model.v1_set.contains(id) {
            return Err(shape_error(
                model,
                id,
                format!("mixins can only be used in Smithy 2.0 or later; `{id}` is in a 1.0 file"),
            ));
        }
        let wrong: Vec<String> = mixins_of(shape)
            .into_iter()
            .filter(|m| {
                model
                    .shapes
                    .get(m)
                    .and_then(|s| s.get("type"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| t != ty)
            })
            .collect();
        if !wrong.is_empty() {
            return Err(shape_error(
                model,
                id,
                format!("mixins may only be mixed into shapes of the same type; `{id}` is a {ty} but these mixins are not: {}", wrong.join(", ")),
            ));
        }
        if is_mixin && ty == "operation" {
            let non_unit = ["input", "output"].iter().any(|k| {
                shape
                    .get(*k)
                    .and_then(|v| v.get("target"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| t != "smithy.api#Unit")
            });
            if non_unit {
                return Err(shape_error(
                    model,
                    id,
                    format!("operation mixin `{id}` must not define input or output"),
                ));
            }
        }
        if is_mixin && ty == "resource" && resource_has_properties(shape) {
            return Err(shape_error(
                model,
                id,
                format!("resource mixin `{id}` must not define any properties"),
            ));
        }
    }
    Ok(())
}

/// Whether a resource defines identifiers, properties, lifecycle operations, ...
fn resource_has_properties(shape: &Value) -> bool {
    shape.as_object().is_some_and(|obj| {
        obj.iter().any(|(k, v)| {
            !matches!(k.as_str(), "type" | "traits" | "mixins")
                && match v {
                    Value::Object(m) => !m.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    _ => true,
                }
        })
    })
}

/// Gives enum members of enums with mixins that neither set a value nor
/// inherit one their own name as value (done after parsing because only
/// then are the mixins known).
fn default_enum_values(shapes: &mut Map<String, Value>) {
    const ENUM_VALUE: &str = "smithy.api#enumValue";
    let mut missing = Vec::new();
    for (id, shape) in shapes.iter() {
        if shape.get("type").and_then(Value::as_str) != Some("enum") || mixins_of(shape).is_empty()
        {
            continue;
        }
        for (name, member) in member_entries(shape) {
            let has_value = member
                .get("traits")
                .and_then(|t| t.get(ENUM_VALUE))
                .is_some();
            if !has_value && matches!(inherited_target(shapes, id, name, 0), Found::Missing) {
                missing.push((id.clone(), name.to_string()));
            }
        }
    }
    for (id, name) in missing {
        if let Some(Value::Object(m)) = shapes.get_mut(&id).and_then(|s| local_member_mut(s, &name))
        {
            upgrade::add_trait(m, ENUM_VALUE, Value::String(name));
        }
    }
}

fn shape_error(model: &Model, id: &str, msg: String) -> IdlError {
    match model.origins.get(id) {
        Some(o) => o.pos.error(&o.file, msg),
        None => IdlError::without_position("<model>", msg),
    }
}

fn conflict(model: &Model, id: &str, name: &str, from: &str, other: &str) -> IdlError {
    let msg = if other.is_empty() {
        format!("{id}${name}: member conflicts with an inherited mixin member: `{from}`")
    } else {
        format!("{id}${name}: inherited mixin members `{from}` and `{other}` conflict")
    };
    shape_error(model, id, msg)
}

/// Applies traits from an `apply` statement to a shape or member. Traits for
/// members that are not defined locally (inherited from mixins, or shapes
/// from elsewhere) are kept as JSON AST `apply` entries.
pub(crate) fn apply_traits(
    shapes: &mut Map<String, Value>,
    target: &str,
    traits: Map<String, Value>,
) -> std::result::Result<(), String> {
    let (root, member) = match target.split_once('$') {
        Some((r, m)) => (r, Some(m)),
        None => (target, None),
    };
    let holder = match (shapes.get_mut(root), member) {
        (Some(shape), None) if shape.get("type").and_then(Value::as_str) != Some("apply") => {
            Some(shape)
        }
        (Some(shape), Some(m)) => local_member_mut(shape, m),
        _ => None,
    };
    let holder = match holder {
        Some(h) => h,
        None => shapes.entry(target.to_string()).or_insert_with(|| {
            let mut m = Map::new();
            m.insert("type".into(), Value::String("apply".into()));
            Value::Object(m)
        }),
    };
    let Value::Object(obj) = holder else {
        return Err(format!("cannot apply traits to `{target}`"));
    };
    let entry = obj
        .entry("traits")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(existing) = entry else {
        return Err(format!("`{target}` has malformed traits"));
    };
    for (id, value) in traits {
        merge_trait(existing, &id, value)?;
    }
    Ok(())
}
