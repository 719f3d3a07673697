//! JSON AST loader: one or more JSON AST documents in, one validated [`Model`] out.
//!
//! Steps: parse each document's shapes (checking every shape ID and shape form), merge files
//! (identical redefinitions are allowed, conflicting ones are errors), add the prelude, apply
//! `apply` statements, flatten mixins, turn legacy `@enum` strings into enum shapes, then validate.

use super::prelude;
use super::{Member, Model, Operation, Resource, Service, Shape, ShapeId, ShapeKind, Traits};
use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A shape as read from a file, before mixins are flattened.
struct RawShape {
    shape: Shape,
    mixins: Vec<ShapeId>,
}

/// Traits to merge onto an existing shape or member (`apply`).
struct Apply {
    file: String,
    target: ShapeId,
    traits: Traits,
}

/// Parses JSON text, naming the file on failure.
pub fn parse_json(file: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::file(file, ErrorKind::Syntax(e.to_string())))
}

/// Loads JSON AST documents (file name, parsed JSON) into one validated model.
pub fn load_documents(documents: &[(String, Value)]) -> Result<Model> {
    let mut raw: BTreeMap<ShapeId, RawShape> = BTreeMap::new();
    let mut applies = Vec::new();
    let mut model = Model::default();
    for (file, document) in documents {
        let root = read_document_root(file, document)?;
        merge_metadata(file, &mut model.metadata, root.get("metadata"))?;
        let shapes = root.get("shapes").and_then(Value::as_object);
        for (key, value) in shapes.into_iter().flatten() {
            read_entry(file, key, value, &mut raw, &mut applies)?;
        }
    }
    for shape in prelude::shapes() {
        raw.entry(shape.id.clone()).or_insert(RawShape {
            shape,
            mixins: Vec::new(),
        });
    }
    apply_traits(&mut raw, applies)?;
    model.shapes = flatten_mixins(raw)?;
    for shape in model.shapes.values_mut() {
        upgrade_legacy_enum(shape)?;
    }
    super::validate::validate(&model)?;
    Ok(model)
}

fn read_document_root<'a>(file: &str, document: &'a Value) -> Result<&'a Map<String, Value>> {
    let invalid = |reason: &str| Error::file(file, ErrorKind::Invalid(reason.to_string()));
    let root = document
        .as_object()
        .ok_or_else(|| invalid("a JSON AST document must be a JSON object"))?;
    let version = root
        .get("smithy")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("missing the `smithy` version string"))?;
    if !(version == "2" || version.starts_with("2.") || version == "1" || version.starts_with("1."))
    {
        return Err(invalid(&format!("unsupported Smithy version `{version}`")));
    }
    if let Some(shapes) = root.get("shapes") {
        if !shapes.is_object() {
            return Err(invalid("`shapes` must be an object"));
        }
    }
    Ok(root)
}

/// Merges a file's metadata: arrays concatenate, equal values are fine, other conflicts fail.
fn merge_metadata(file: &str, into: &mut Map<String, Value>, from: Option<&Value>) -> Result<()> {
    let Some(from) = from else { return Ok(()) };
    let from = from.as_object().ok_or_else(|| {
        Error::file(
            file,
            ErrorKind::Invalid("`metadata` must be an object".into()),
        )
    })?;
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (None, _) => {
                into.insert(key.clone(), value.clone());
            }
            (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more.clone()),
            (Some(existing), _) if existing == value => {}
            (Some(_), _) => {
                return Err(Error::file(
                    file,
                    ErrorKind::Duplicate(format!(
                        "metadata key `{key}` conflicts with another file"
                    )),
                ))
            }
        }
    }
    Ok(())
}

fn read_entry(
    file: &str,
    key: &str,
    value: &Value,
    raw: &mut BTreeMap<ShapeId, RawShape>,
    applies: &mut Vec<Apply>,
) -> Result<()> {
    let id = ShapeId::parse(key).map_err(|r| Error::shape(file, key, ErrorKind::Invalid(r)))?;
    let object = value.as_object().ok_or_else(|| {
        Error::shape(
            file,
            key,
            ErrorKind::Invalid("a shape must be a JSON object".into()),
        )
    })?;
    let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
    if kind == "apply" {
        let traits = read_traits(file, key, object.get("traits"))?;
        applies.push(Apply {
            file: file.to_string(),
            target: id,
            traits,
        });
        return Ok(());
    }
    if id.member().is_some() {
        return Err(Error::shape(
            file,
            key,
            ErrorKind::Invalid("only `apply` may use a member ID as its key".into()),
        ));
    }
    let shape = read_shape(file, &id, object)?;
    insert_shape(file, raw, shape)
}

fn insert_shape(file: &str, raw: &mut BTreeMap<ShapeId, RawShape>, new: RawShape) -> Result<()> {
    let id = new.shape.id.clone();
    if let Some(existing) = raw.get(&id) {
        let same = existing.shape.kind == new.shape.kind
            && existing.shape.traits == new.shape.traits
            && existing.mixins == new.mixins;
        if same {
            return Ok(());
        }
        return Err(Error::shape(
            file,
            &id,
            ErrorKind::Duplicate(format!(
                "defined differently in `{}` and `{file}`",
                existing.shape.source
            )),
        ));
    }
    if let Some(clash) = raw
        .keys()
        .find(|other| other.as_str().eq_ignore_ascii_case(id.as_str()))
    {
        return Err(Error::shape(
            file,
            &id,
            ErrorKind::Duplicate(format!("differs from `{clash}` only by case")),
        ));
    }
    raw.insert(id, new);
    Ok(())
}

/// Reads one shape object into its kind, traits and mixins.
fn read_shape(file: &str, id: &ShapeId, object: &Map<String, Value>) -> Result<RawShape> {
    let ctx = Ctx { file, id };
    let type_name = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.invalid("missing `type`"))?;
    let kind = read_kind(&ctx, type_name, object)?;
    let traits = read_traits(file, id, object.get("traits"))?;
    let mixins = read_refs(&ctx, object.get("mixins"), "mixins")?;
    Ok(RawShape {
        shape: Shape {
            id: id.clone(),
            kind,
            traits,
            source: file.to_string(),
        },
        mixins,
    })
}

/// Location context used while reading one shape.
struct Ctx<'a> {
    file: &'a str,
    id: &'a ShapeId,
}

impl Ctx<'_> {
    fn invalid(&self, reason: &str) -> Error {
        Error::shape(self.file, self.id, ErrorKind::Invalid(reason.to_string()))
    }
}

fn read_kind(ctx: &Ctx, type_name: &str, object: &Map<String, Value>) -> Result<ShapeKind> {
    let simple = match type_name {
        "blob" => Some(ShapeKind::Blob),
        "boolean" => Some(ShapeKind::Boolean),
        "string" => Some(ShapeKind::String),
        "byte" => Some(ShapeKind::Byte),
        "short" => Some(ShapeKind::Short),
        "integer" => Some(ShapeKind::Integer),
        "long" => Some(ShapeKind::Long),
        "float" => Some(ShapeKind::Float),
        "double" => Some(ShapeKind::Double),
        "bigInteger" => Some(ShapeKind::BigInteger),
        "bigDecimal" => Some(ShapeKind::BigDecimal),
        "timestamp" => Some(ShapeKind::Timestamp),
        "document" => Some(ShapeKind::Document),
        _ => None,
    };
    if let Some(kind) = simple {
        return Ok(kind);
    }
    match type_name {
        "enum" => Ok(ShapeKind::Enum(read_members(ctx, object)?)),
        "intEnum" => Ok(ShapeKind::IntEnum(read_members(ctx, object)?)),
        "structure" => Ok(ShapeKind::Structure(read_members(ctx, object)?)),
        "union" => Ok(ShapeKind::Union(read_members(ctx, object)?)),
        "list" | "set" => Ok(ShapeKind::List(Box::new(read_named_member(
            ctx, object, "member",
        )?))),
        "map" => Ok(ShapeKind::Map(
            Box::new(read_named_member(ctx, object, "key")?),
            Box::new(read_named_member(ctx, object, "value")?),
        )),
        "operation" => Ok(ShapeKind::Operation(read_operation(ctx, object)?)),
        "service" => Ok(ShapeKind::Service(read_service(ctx, object)?)),
        "resource" => Ok(ShapeKind::Resource(read_resource(ctx, object)?)),
        other => Err(ctx.invalid(&format!("unknown shape type `{other}`"))),
    }
}

fn read_members(ctx: &Ctx, object: &Map<String, Value>) -> Result<Vec<Member>> {
    let Some(members) = object.get("members") else {
        return Ok(Vec::new());
    };
    let members = members
        .as_object()
        .ok_or_else(|| ctx.invalid("`members` must be an object"))?;
    let mut out: Vec<Member> = Vec::with_capacity(members.len());
    for (name, value) in members {
        if let Some(clash) = out.iter().find(|m| m.name.eq_ignore_ascii_case(name)) {
            return Err(Error::shape(
                ctx.file,
                ctx.id,
                ErrorKind::Duplicate(format!(
                    "members `{}` and `{name}` differ only by case",
                    clash.name
                )),
            ));
        }
        out.push(read_member(ctx, name, value)?);
    }
    Ok(out)
}

fn read_named_member(ctx: &Ctx, object: &Map<String, Value>, name: &str) -> Result<Member> {
    let value = object
        .get(name)
        .ok_or_else(|| ctx.invalid(&format!("missing `{name}`")))?;
    read_member(ctx, name, value)
}

fn read_member(ctx: &Ctx, name: &str, value: &Value) -> Result<Member> {
    let member_id = format!("{}${name}", ctx.id);
    let target = read_ref(ctx, Some(value), &format!("member `{name}`"))?;
    let traits = read_traits(ctx.file, &member_id, value.get("traits"))?;
    ShapeId::parse(&member_id)
        .map_err(|r| Error::shape(ctx.file, &member_id, ErrorKind::Invalid(r)))?;
    Ok(Member {
        name: name.to_string(),
        target,
        traits,
    })
}

/// Reads `{"target": "ns#Name"}`.
fn read_ref(ctx: &Ctx, value: Option<&Value>, what: &str) -> Result<ShapeId> {
    let target = value
        .and_then(|v| v.get("target"))
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.invalid(&format!("{what} needs a `target` string")))?;
    ShapeId::parse(target).map_err(|r| ctx.invalid(&format!("{what}: {r}")))
}

fn read_refs(ctx: &Ctx, value: Option<&Value>, what: &str) -> Result<Vec<ShapeId>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items = value
        .as_array()
        .ok_or_else(|| ctx.invalid(&format!("`{what}` must be an array")))?;
    items
        .iter()
        .map(|item| read_ref(ctx, Some(item), what))
        .collect()
}

fn read_optional_ref(ctx: &Ctx, object: &Map<String, Value>, key: &str) -> Result<Option<ShapeId>> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => read_ref(ctx, Some(value), key).map(Some),
    }
}

fn read_ref_map(ctx: &Ctx, value: Option<&Value>, what: &str) -> Result<BTreeMap<String, ShapeId>> {
    let Some(value) = value else {
        return Ok(BTreeMap::new());
    };
    let entries = value
        .as_object()
        .ok_or_else(|| ctx.invalid(&format!("`{what}` must be an object")))?;
    entries
        .iter()
        .map(|(name, v)| Ok((name.clone(), read_ref(ctx, Some(v), what)?)))
        .collect()
}

fn read_operation(ctx: &Ctx, object: &Map<String, Value>) -> Result<Operation> {
    let unit = || ShapeId::parse(super::shape_id::UNIT).expect("the Unit ID is valid");
    Ok(Operation {
        input: read_optional_ref(ctx, object, "input")?.unwrap_or_else(unit),
        output: read_optional_ref(ctx, object, "output")?.unwrap_or_else(unit),
        errors: read_refs(ctx, object.get("errors"), "errors")?,
    })
}

fn read_service(ctx: &Ctx, object: &Map<String, Value>) -> Result<Service> {
    let mut rename = BTreeMap::new();
    if let Some(value) = object.get("rename") {
        let entries = value
            .as_object()
            .ok_or_else(|| ctx.invalid("`rename` must be an object"))?;
        for (from, to) in entries {
            let from = ShapeId::parse(from).map_err(|r| ctx.invalid(&r))?;
            let to = to
                .as_str()
                .ok_or_else(|| ctx.invalid("`rename` values must be strings"))?;
            rename.insert(from, to.to_string());
        }
    }
    Ok(Service {
        version: object
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        operations: read_refs(ctx, object.get("operations"), "operations")?,
        resources: read_refs(ctx, object.get("resources"), "resources")?,
        errors: read_refs(ctx, object.get("errors"), "errors")?,
        rename,
    })
}

fn read_resource(ctx: &Ctx, object: &Map<String, Value>) -> Result<Resource> {
    let mut lifecycle = BTreeMap::new();
    for slot in ["create", "put", "read", "update", "delete", "list"] {
        if let Some(target) = read_optional_ref(ctx, object, slot)? {
            lifecycle.insert(slot.to_string(), target);
        }
    }
    Ok(Resource {
        identifiers: read_ref_map(ctx, object.get("identifiers"), "identifiers")?,
        properties: read_ref_map(ctx, object.get("properties"), "properties")?,
        lifecycle,
        operations: read_refs(ctx, object.get("operations"), "operations")?,
        collection_operations: read_refs(
            ctx,
            object.get("collectionOperations"),
            "collectionOperations",
        )?,
        resources: read_refs(ctx, object.get("resources"), "resources")?,
    })
}

fn read_traits(file: &str, owner: impl ToString, value: Option<&Value>) -> Result<Traits> {
    let Some(value) = value else {
        return Ok(Traits::default());
    };
    let owner = owner.to_string();
    let entries = value.as_object().ok_or_else(|| {
        Error::shape(
            file,
            &owner,
            ErrorKind::Invalid("`traits` must be an object".into()),
        )
    })?;
    let mut traits = Traits::default();
    for (key, trait_value) in entries {
        ShapeId::parse(key).map_err(|r| {
            Error::shape(file, &owner, ErrorKind::Invalid(format!("trait key: {r}")))
        })?;
        traits.insert(key, trait_value.clone());
    }
    Ok(traits)
}

/// Merges `apply` traits onto their targets (shapes or members).
fn apply_traits(raw: &mut BTreeMap<ShapeId, RawShape>, applies: Vec<Apply>) -> Result<()> {
    for apply in applies {
        let missing = || {
            Error::shape(
                &apply.file,
                &apply.target,
                ErrorKind::DanglingTarget {
                    target: apply.target.to_string(),
                },
            )
        };
        let shape = &mut raw.get_mut(&apply.target.root()).ok_or_else(missing)?.shape;
        let traits = match apply.target.member() {
            None => &mut shape.traits,
            Some(name) => {
                &mut member_mut(&mut shape.kind, name)
                    .ok_or_else(missing)?
                    .traits
            }
        };
        for (key, value) in apply.traits.0 {
            traits.0.insert(key, value);
        }
    }
    Ok(())
}

fn member_mut<'a>(kind: &'a mut ShapeKind, name: &str) -> Option<&'a mut Member> {
    match kind {
        ShapeKind::Enum(m)
        | ShapeKind::IntEnum(m)
        | ShapeKind::Structure(m)
        | ShapeKind::Union(m) => m.iter_mut().find(|m| m.name == name),
        ShapeKind::List(m) if name == "member" => Some(m),
        ShapeKind::Map(k, _) if name == "key" => Some(k),
        ShapeKind::Map(_, v) if name == "value" => Some(v),
        _ => None,
    }
}

/// Copies each mixin's members (first) and traits (except `@mixin`) into the shapes using it.
fn flatten_mixins(mut raw: BTreeMap<ShapeId, RawShape>) -> Result<BTreeMap<ShapeId, Shape>> {
    let ids: Vec<ShapeId> = raw.keys().cloned().collect();
    let mut done: BTreeMap<ShapeId, Shape> = BTreeMap::new();
    for id in ids {
        resolve_mixins(&id, &mut raw, &mut done, &mut Vec::new())?;
    }
    Ok(done)
}

fn resolve_mixins(
    id: &ShapeId,
    raw: &mut BTreeMap<ShapeId, RawShape>,
    done: &mut BTreeMap<ShapeId, Shape>,
    stack: &mut Vec<ShapeId>,
) -> Result<()> {
    if done.contains_key(id) {
        return Ok(());
    }
    let Some(entry) = raw.remove(id) else {
        let file = stack
            .last()
            .map_or("<model>".to_string(), |s| s.to_string());
        return Err(Error::shape(
            &file,
            id,
            ErrorKind::Invalid("mixin cycle or missing mixin".into()),
        ));
    };
    stack.push(id.clone());
    let mut shape = entry.shape;
    for mixin_id in &entry.mixins {
        if !done.contains_key(mixin_id) {
            if !raw.contains_key(mixin_id) {
                return Err(Error::shape(
                    &shape.source,
                    id,
                    ErrorKind::DanglingTarget {
                        target: mixin_id.to_string(),
                    },
                ));
            }
            resolve_mixins(mixin_id, raw, done, stack)?;
        }
        let mixin = &done[mixin_id];
        mix_into(&mut shape, mixin)?;
    }
    stack.pop();
    done.insert(id.clone(), shape);
    Ok(())
}

fn mix_into(shape: &mut Shape, mixin: &Shape) -> Result<()> {
    if !mixin.traits.mixin() {
        return Err(Error::shape(
            &shape.source,
            &shape.id,
            ErrorKind::WrongTargetKind {
                target: mixin.id.to_string(),
                expected: "shape marked @mixin".into(),
                found: mixin.kind.type_name().into(),
            },
        ));
    }
    for (key, value) in &mixin.traits.0 {
        if key != "smithy.api#mixin" && !shape.traits.has(key) {
            shape.traits.insert(key, value.clone());
        }
    }
    let inherited: Vec<Member> = mixin.kind.members().into_iter().cloned().collect();
    match &mut shape.kind {
        ShapeKind::Structure(own)
        | ShapeKind::Union(own)
        | ShapeKind::Enum(own)
        | ShapeKind::IntEnum(own) => {
            let mut merged: Vec<Member> = inherited
                .into_iter()
                .map(|mut m| {
                    if let Some(local) = own.iter().find(|o| o.name == m.name) {
                        m.traits.0.extend(local.traits.0.clone());
                    }
                    m
                })
                .collect();
            let local_only: Vec<Member> = own
                .drain(..)
                .filter(|o| !merged.iter().any(|m| m.name == o.name))
                .collect();
            merged.extend(local_only);
            *own = merged;
        }
        _ => {}
    }
    Ok(())
}

/// Turns a string shape carrying the legacy `smithy.api#enum` trait into an enum shape.
fn upgrade_legacy_enum(shape: &mut Shape) -> Result<()> {
    if shape.kind != ShapeKind::String {
        return Ok(());
    }
    let Some(entries) = shape.traits.get("smithy.api#enum").cloned() else {
        return Ok(());
    };
    let invalid = |reason: &str| {
        Error::shape(
            &shape.source,
            &shape.id,
            ErrorKind::Invalid(reason.to_string()),
        )
    };
    let entries = entries
        .as_array()
        .ok_or_else(|| invalid("`smithy.api#enum` must be a list"))?;
    let mut members = Vec::with_capacity(entries.len());
    for entry in entries {
        let value = entry
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("every `smithy.api#enum` entry needs a string `value`"))?;
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| name_from_value(value));
        let mut traits = Traits::default();
        traits.insert("smithy.api#enumValue", Value::String(value.to_string()));
        if let Some(doc) = entry.get("documentation") {
            traits.insert("smithy.api#documentation", doc.clone());
        }
        if entry.get("deprecated").and_then(Value::as_bool) == Some(true) {
            traits.insert("smithy.api#deprecated", Value::Object(Map::new()));
        }
        members.push(Member {
            name,
            target: ShapeId::from_parts("smithy.api", "Unit"),
            traits,
        });
    }
    shape.traits.0.remove("smithy.api#enum");
    shape.kind = ShapeKind::Enum(members);
    Ok(())
}

/// A member name for a legacy enum entry with no `name`: the value with non-identifier
/// characters replaced, prefixed when it would start with a digit.
fn name_from_value(value: &str) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'V');
    }
    name
}
