//! Resolution of relative shape IDs and conversion of one parsed file into
//! JSON AST shapes.
//!
//! A relative ID resolves, in order, to a shape of the same name in the file's
//! namespace (defined in any loaded file), to a `use`d shape, to a prelude
//! shape, and otherwise to the file's namespace (a dangling reference that a
//! validator reports). Unquoted shape IDs inside node values must resolve to
//! something that exists, as in Smithy.

use crate::error::{IdlError, Pos};
use crate::ir::{FileIr, MemberDef, Node, RawId, ShapeDef, TraitApp, Version};
use crate::prelude;
use serde_json::{Map, Value};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, IdlError>;

/// Every shape defined by the loaded files: absolute ID to shape type.
pub(crate) type Defined = HashMap<String, String>;

/// Placeholder target of an elided member until the elision pass fills it in.
pub(crate) const ELIDED: &str = "<elided>";

/// An elided member (`$name`) waiting for its target.
#[derive(Debug, Clone)]
pub(crate) struct Elided {
    /// Absolute ID of the containing shape.
    pub shape: String,
    /// Member name.
    pub member: String,
    /// Resolved `for` resource.
    pub resource: Option<String>,
    /// File the member came from.
    pub file: String,
    /// Where it was written.
    pub pos: Pos,
}

/// The JSON shapes of one file plus what later passes need.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// Shapes with their absolute IDs and definition positions, in order.
    pub shapes: Vec<(String, Value, Pos)>,
    /// Elided members to resolve once all shapes are known.
    pub elided: Vec<Elided>,
    /// Resolved apply statements: target ID, traits, position.
    pub applies: Vec<(String, Map<String, Value>, Pos)>,
    /// Resolved metadata entries.
    pub metadata: Vec<(String, Value, Pos)>,
}

/// Resolution context of one file.
pub(crate) struct Scope<'a> {
    file: &'a str,
    namespace: Option<&'a str>,
    uses: HashMap<&'a str, &'a str>,
    defined: &'a Defined,
}

impl<'a> Scope<'a> {
    /// Builds the scope of a file against all defined shapes.
    pub fn new(ir: &'a FileIr, defined: &'a Defined) -> Self {
        let uses = ir
            .uses
            .iter()
            .map(|u| (crate::parser::local_name(&u.text), u.text.as_str()))
            .collect();
        Scope {
            file: &ir.path,
            namespace: ir.namespace.as_deref(),
            uses,
            defined,
        }
    }

    fn err(&self, pos: Pos, msg: impl Into<String>) -> IdlError {
        pos.error(self.file, msg)
    }

    /// Resolves a root shape ID, reporting `None` when nothing of that name exists.
    fn lookup(&self, root: &str) -> Option<String> {
        if root.contains('#') {
            return Some(root.to_string());
        }
        if let Some(ns) = self.namespace {
            let local = format!("{ns}#{root}");
            if self.defined.contains_key(&local) {
                return Some(local);
            }
        }
        if let Some(abs) = self.uses.get(root) {
            return Some((*abs).to_string());
        }
        if prelude::shape_type(root).is_some() {
            return Some(format!("{}#{root}", prelude::NAMESPACE));
        }
        None
    }

    /// Resolves a shape reference (member target, mixin, property, ...).
    pub fn resolve(&self, id: &RawId) -> Result<String> {
        let (root, member) = split_member(id);
        let base = match self.lookup(root) {
            Some(abs) => abs,
            None => match self.namespace {
                Some(ns) => format!("{ns}#{root}"),
                None => format!("{}#{root}", prelude::NAMESPACE),
            },
        };
        Ok(match member {
            Some(m) => format!("{base}${m}"),
            None => base,
        })
    }

    /// Resolves an unquoted shape ID used as a node value; it must exist.
    fn resolve_value(&self, id: &RawId) -> Result<String> {
        let (root, member) = split_member(id);
        match self.lookup(root) {
            Some(abs) => Ok(match member {
                Some(m) => format!("{abs}${m}"),
                None => abs,
            }),
            None => {
                let guess = format!("{}#{root}", self.namespace.unwrap_or(prelude::NAMESPACE));
                Err(self.err(
                    id.pos,
                    format!(
                        "syntactic shape ID `{}` does not resolve to a valid shape ID: `{guess}`",
                        id.text
                    ),
                ))
            }
        }
    }

    /// Converts a node value to JSON, resolving unquoted shape IDs.
    pub fn node(&self, node: &Node) -> Result<Value> {
        Ok(match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Num(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Id(id) => Value::String(self.resolve_value(id)?),
            Node::Arr(items) => {
                Value::Array(items.iter().map(|n| self.node(n)).collect::<Result<_>>()?)
            }
            Node::Obj(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (k, v) in entries {
                    map.insert(k.clone(), self.node(v)?);
                }
                Value::Object(map)
            }
        })
    }

    /// Type of a shape by absolute ID, looking at loaded shapes then the prelude.
    fn shape_type(&self, id: &str) -> Option<&str> {
        if let Some(t) = self.defined.get(id) {
            return Some(t);
        }
        id.strip_prefix("smithy.api#").and_then(prelude::shape_type)
    }

    /// Builds a trait map, turning annotations into `{}` (or `[]` for list
    /// traits) and merging repeated traits.
    pub fn traits(&self, traits: &[TraitApp]) -> Result<Map<String, Value>> {
        let mut map = Map::new();
        for t in traits {
            let id = self.resolve(&t.id)?;
            let value = match &t.value {
                Some(v) => self.node(v)?,
                None => match self.shape_type(&id) {
                    Some("list") | Some("set") => Value::Array(Vec::new()),
                    _ => Value::Object(Map::new()),
                },
            };
            merge_trait(&mut map, &id, value).map_err(|m| self.err(t.id.pos, m))?;
        }
        Ok(map)
    }

    fn reference(&self, node: &Node, pos: Pos, what: &str) -> Result<Value> {
        let id = match node {
            Node::Id(id) => self.resolve(id)?,
            Node::Str(s) => self.resolve(&RawId {
                text: s.clone(),
                pos,
            })?,
            _ => return Err(self.err(pos, format!("expected a shape ID for `{what}`"))),
        };
        let mut m = Map::new();
        m.insert("target".into(), Value::String(id));
        Ok(Value::Object(m))
    }

    fn reference_list(&self, node: &Node, pos: Pos, what: &str) -> Result<Value> {
        let Node::Arr(items) = node else {
            return Err(self.err(pos, format!("expected a list of shape IDs for `{what}`")));
        };
        Ok(Value::Array(
            items
                .iter()
                .map(|n| self.reference(n, pos, what))
                .collect::<Result<_>>()?,
        ))
    }

    fn reference_map(&self, node: &Node, pos: Pos, what: &str) -> Result<Value> {
        let Node::Obj(entries) = node else {
            return Err(self.err(pos, format!("expected an object of shape IDs for `{what}`")));
        };
        let mut map = Map::new();
        for (k, v) in entries {
            map.insert(k.clone(), self.reference(v, pos, what)?);
        }
        Ok(Value::Object(map))
    }
}

/// Adds a trait to a trait map. Applying the same trait twice is fine when
/// the values are equal; list values are concatenated; anything else conflicts.
pub(crate) fn merge_trait(
    map: &mut Map<String, Value>,
    id: &str,
    value: Value,
) -> std::result::Result<(), String> {
    match map.get_mut(id) {
        None => {
            map.insert(id.to_string(), value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Value::Array(items)) => match value {
            Value::Array(more) => {
                items.extend(more);
                Ok(())
            }
            _ => Err(format!("conflicting values for trait `{id}`")),
        },
        Some(_) => Err(format!("conflicting values for trait `{id}`")),
    }
}

/// Splits `Root$member` into its root and optional member name.
fn split_member(id: &RawId) -> (&str, Option<String>) {
    match id.text.split_once('$') {
        Some((root, member)) => (root, Some(member.to_string())),
        None => (id.text.as_str(), None),
    }
}

fn target_object(target: String, traits: Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("target".into(), Value::String(target));
    if !traits.is_empty() {
        m.insert("traits".into(), Value::Object(traits));
    }
    Value::Object(m)
}

/// Converts every shape, apply statement and metadata entry of one file.
pub(crate) fn convert_file(ir: &FileIr, defined: &Defined) -> Result<Converted> {
    let scope = Scope::new(ir, defined);
    let mut out = Converted::default();
    for (key, node, pos) in &ir.metadata {
        out.metadata.push((key.clone(), scope.node(node)?, *pos));
    }
    let ns = ir.namespace.as_deref().unwrap_or_default();
    for shape in &ir.shapes {
        let id = format!("{ns}#{}", shape.name);
        let value = convert_shape(&scope, ir.version, &id, shape, &mut out.elided)?;
        out.shapes.push((id, value, shape.pos));
    }
    for apply in &ir.applies {
        let target = scope.resolve(&apply.target)?;
        out.applies
            .push((target, scope.traits(&apply.traits)?, apply.target.pos));
    }
    Ok(out)
}

fn convert_shape(
    scope: &Scope<'_>,
    version: Version,
    id: &str,
    shape: &ShapeDef,
    elided: &mut Vec<Elided>,
) -> Result<Value> {
    let mut obj = Map::new();
    obj.insert("type".into(), Value::String(shape.kind.clone()));
    if !shape.mixins.is_empty() {
        let mixins = shape
            .mixins
            .iter()
            .map(|m| Ok(target_object(scope.resolve(m)?, Map::new())))
            .collect::<Result<Vec<_>>>()?;
        obj.insert("mixins".into(), Value::Array(mixins));
    }
    let resource = shape
        .for_resource
        .as_ref()
        .map(|r| scope.resolve(r))
        .transpose()?;
    match shape.kind.as_str() {
        "list" | "set" | "map" => {
            let allowed: &[&str] = if shape.kind == "map" {
                &["key", "value"]
            } else {
                &["member"]
            };
            for m in &shape.members {
                if !allowed.contains(&m.name.as_str()) {
                    return Err(scope.err(
                        m.pos,
                        format!(
                            "{} shapes cannot have a member named `{}`",
                            shape.kind, m.name
                        ),
                    ));
                }
                let value = convert_member(scope, id, m, resource.as_ref(), elided)?;
                obj.insert(m.name.clone(), value);
            }
            check_required_members(scope, shape, allowed, &obj, id)?;
        }
        "structure" | "union" | "enum" | "intEnum" => {
            let mut members = Map::new();
            for m in &shape.members {
                members.insert(
                    m.name.clone(),
                    convert_member(scope, id, m, resource.as_ref(), elided)?,
                );
            }
            obj.insert("members".into(), Value::Object(members));
        }
        "service" | "resource" | "operation" => convert_props(scope, version, id, shape, &mut obj)?,
        _ => {}
    }
    let traits = scope.traits(&shape.traits)?;
    if !traits.is_empty() {
        obj.insert("traits".into(), Value::Object(traits));
    }
    Ok(Value::Object(obj))
}

/// Lists need `member` and maps need `key` and `value`, unless a mixin may supply them.
fn check_required_members(
    scope: &Scope<'_>,
    shape: &ShapeDef,
    required: &[&str],
    obj: &Map<String, Value>,
    id: &str,
) -> Result<()> {
    if !shape.mixins.is_empty() {
        return Ok(());
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !obj.contains_key(*r))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let plural = if missing.len() > 1 { "s" } else { "" };
    Err(scope.err(
        shape.pos,
        format!(
            "missing required member{plural} of shape `{id}`: {}",
            missing.join(", ")
        ),
    ))
}

fn convert_member(
    scope: &Scope<'_>,
    shape_id: &str,
    m: &MemberDef,
    resource: Option<&String>,
    elided: &mut Vec<Elided>,
) -> Result<Value> {
    let traits = scope.traits(&m.traits)?;
    let target = match &m.target {
        Some(t) => scope.resolve(t)?,
        None => {
            elided.push(Elided {
                shape: shape_id.to_string(),
                member: m.name.clone(),
                resource: resource.cloned(),
                file: scope.file.to_string(),
                pos: m.pos,
            });
            ELIDED.to_string()
        }
    };
    Ok(target_object(target, traits))
}

fn convert_props(
    scope: &Scope<'_>,
    version: Version,
    id: &str,
    shape: &ShapeDef,
    obj: &mut Map<String, Value>,
) -> Result<()> {
    for (key, node, pos) in &shape.props {
        let value = match (shape.kind.as_str(), key.as_str()) {
            ("service", "version") => match node {
                Node::Str(s) => Value::String(s.clone()),
                _ => return Err(scope.err(*pos, "service `version` must be a string")),
            },
            ("service", "rename") => scope.node(node)?,
            ("service", "operations" | "resources" | "errors")
            | ("resource", "operations" | "collectionOperations" | "resources")
            | ("operation", "errors") => scope.reference_list(node, *pos, key)?,
            ("resource", "properties") if version == Version::V1 => {
                return Err(scope.err(
                    *pos,
                    "resource properties can only be used with Smithy version 2 or later",
                ))
            }
            ("resource", "identifiers" | "properties") => scope.reference_map(node, *pos, key)?,
            ("resource", "create" | "put" | "read" | "update" | "delete" | "list")
            | ("operation", "input" | "output") => scope.reference(node, *pos, key)?,
            (_, other) => return Err(scope.err(*pos, format!("unknown property {other} for {id}"))),
        };
        obj.insert(key.clone(), value);
    }
    Ok(())
}
