//! Printing a JSON AST model as IDL 2.0.
//!
//! The output favours being unambiguous over being pretty: every shape ID is
//! written absolute (so no `use` statements or resolution rules matter when
//! it is read back), every trait value is written explicitly, and strings are
//! always quoted (unquoted strings would be read as shape IDs).

use crate::error::IdlError;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, IdlError>;

const AST: &str = "<ast>";

fn err(msg: impl Into<String>) -> IdlError {
    IdlError::without_position(AST, msg)
}

/// Writes a JSON AST model whose shapes are all in one namespace as one IDL
/// 2.0 file. Models spanning several namespaces need [`write_idl_files`].
pub fn write_idl(ast: &Value) -> Result<String> {
    let mut files = write_idl_files(ast)?;
    if files.len() > 1 {
        let names: Vec<&str> = files.iter().map(|(ns, _)| ns.as_str()).collect();
        return Err(err(format!(
            "the model has several namespaces ({}); use write_idl_files",
            names.join(", ")
        )));
    }
    Ok(files.pop().map(|(_, text)| text).unwrap_or_default())
}

/// Writes a JSON AST model as IDL 2.0, one `(namespace, text)` file per
/// namespace (sorted by namespace). Metadata goes into the first file.
/// Loading all the files together with [`crate::load_files`] gives back the
/// same model.
pub fn write_idl_files(ast: &Value) -> Result<Vec<(String, String)>> {
    let empty = Map::new();
    let shapes = match ast.get("shapes") {
        Some(Value::Object(s)) => s,
        None => &empty,
        Some(_) => return Err(err("`shapes` must be an object")),
    };
    let mut by_ns: BTreeMap<&str, Vec<(&str, &Value)>> = BTreeMap::new();
    for (id, shape) in shapes {
        let Some((ns, _)) = id.split_once('#') else {
            return Err(err(format!("`{id}` is not an absolute shape ID")));
        };
        by_ns.entry(ns).or_default().push((id, shape));
    }
    let metadata = match ast.get("metadata") {
        Some(Value::Object(m)) => Some(m),
        None => None,
        Some(_) => return Err(err("`metadata` must be an object")),
    };
    let mut files = Vec::with_capacity(by_ns.len().max(1));
    if by_ns.is_empty() {
        let mut out = header();
        write_metadata(&mut out, metadata)?;
        files.push((String::new(), out));
    }
    for (i, (ns, shapes)) in by_ns.into_iter().enumerate() {
        let mut out = header();
        if i == 0 {
            write_metadata(&mut out, metadata)?;
        }
        out.push_str("namespace ");
        out.push_str(ns);
        out.push_str("\n\n");
        for (id, shape) in shapes {
            write_shape(&mut out, id, shape)?;
        }
        files.push((ns.to_string(), out));
    }
    Ok(files)
}

fn header() -> String {
    String::from("$version: \"2.0\"\n\n")
}

fn write_metadata(out: &mut String, metadata: Option<&Map<String, Value>>) -> Result<()> {
    let Some(metadata) = metadata else {
        return Ok(());
    };
    for (key, value) in metadata {
        out.push_str("metadata ");
        write_string(out, key);
        out.push_str(" = ");
        write_node(out, value)?;
        out.push('\n');
    }
    if !metadata.is_empty() {
        out.push('\n');
    }
    Ok(())
}

fn str_field<'a>(shape: &'a Value, key: &str) -> Option<&'a str> {
    shape.get(key).and_then(Value::as_str)
}

fn write_shape(out: &mut String, id: &str, shape: &Value) -> Result<()> {
    let ty = str_field(shape, "type").ok_or_else(|| err(format!("shape `{id}` has no type")))?;
    if ty == "apply" {
        return write_apply(out, id, shape);
    }
    let name = id.split_once('#').map(|(_, n)| n).unwrap_or(id);
    if name.contains('$') {
        return Err(err(format!("`{id}` is a member ID but has type `{ty}`")));
    }
    if ty == "set" {
        return Err(err(format!(
            "shape `{id}` is a set, which IDL 2.0 cannot express (use a list with @uniqueItems)"
        )));
    }
    let traits = traits_of(shape, id)?;
    write_traits(out, traits, "", &[])?;
    out.push_str(ty);
    out.push(' ');
    out.push_str(name);
    write_mixins(out, shape, id)?;
    match ty {
        "blob" | "boolean" | "document" | "string" | "byte" | "short" | "integer" | "long"
        | "float" | "double" | "bigInteger" | "bigDecimal" | "timestamp" => out.push('\n'),
        "enum" | "intEnum" => write_enum_members(out, shape, id)?,
        "list" => write_named_members(out, shape, id, &["member"])?,
        "map" => write_named_members(out, shape, id, &["key", "value"])?,
        "structure" | "union" => write_members(out, shape, id)?,
        "service" | "resource" | "operation" => write_properties(out, shape, id, ty)?,
        other => return Err(err(format!("shape `{id}` has unknown type `{other}`"))),
    }
    out.push('\n');
    Ok(())
}

fn traits_of<'a>(shape: &'a Value, id: &str) -> Result<Option<&'a Map<String, Value>>> {
    match shape.get("traits") {
        None => Ok(None),
        Some(Value::Object(t)) => Ok(Some(t)),
        Some(_) => Err(err(format!("traits of `{id}` must be an object"))),
    }
}

/// Writes `@id(value)` lines, skipping the trait IDs in `skip`.
fn write_traits(
    out: &mut String,
    traits: Option<&Map<String, Value>>,
    indent: &str,
    skip: &[&str],
) -> Result<()> {
    let Some(traits) = traits else { return Ok(()) };
    for (tid, value) in traits {
        if skip.contains(&tid.as_str()) {
            continue;
        }
        out.push_str(indent);
        out.push('@');
        out.push_str(tid);
        out.push('(');
        write_node(out, value)?;
        out.push_str(")\n");
    }
    Ok(())
}

fn write_apply(out: &mut String, id: &str, shape: &Value) -> Result<()> {
    let Some(traits) = traits_of(shape, id)? else {
        return Ok(());
    };
    if traits.is_empty() {
        return Ok(());
    }
    out.push_str("apply ");
    out.push_str(id);
    out.push_str(" {\n");
    write_traits(out, Some(traits), "    ", &[])?;
    out.push_str("}\n\n");
    Ok(())
}

fn target_of<'a>(v: &'a Value, what: &str) -> Result<&'a str> {
    str_field(v, "target").ok_or_else(|| err(format!("{what} has no `target`")))
}

fn write_mixins(out: &mut String, shape: &Value, id: &str) -> Result<()> {
    let Some(mixins) = shape.get("mixins") else {
        return Ok(());
    };
    let list = mixins
        .as_array()
        .ok_or_else(|| err(format!("mixins of `{id}` must be a list")))?;
    if list.is_empty() {
        return Ok(());
    }
    out.push_str(" with [");
    for (i, m) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(target_of(m, &format!("a mixin of `{id}`"))?);
    }
    out.push(']');
    Ok(())
}

fn write_member(out: &mut String, name: &str, member: &Value, id: &str) -> Result<()> {
    let target = target_of(member, &format!("member `{id}${name}`"))?;
    write_traits(out, traits_of(member, id)?, "    ", &[])?;
    out.push_str("    ");
    out.push_str(name);
    out.push_str(": ");
    out.push_str(target);
    out.push('\n');
    Ok(())
}

fn write_members(out: &mut String, shape: &Value, id: &str) -> Result<()> {
    out.push_str(" {\n");
    match shape.get("members") {
        None => {}
        Some(Value::Object(members)) => {
            for (name, member) in members {
                write_member(out, name, member, id)?;
            }
        }
        Some(_) => return Err(err(format!("members of `{id}` must be an object"))),
    }
    out.push_str("}\n");
    Ok(())
}

fn write_named_members(out: &mut String, shape: &Value, id: &str, names: &[&str]) -> Result<()> {
    out.push_str(" {\n");
    for name in names {
        if let Some(member) = shape.get(*name) {
            write_member(out, name, member, id)?;
        }
    }
    out.push_str("}\n");
    Ok(())
}

fn write_enum_members(out: &mut String, shape: &Value, id: &str) -> Result<()> {
    const ENUM_VALUE: &str = "smithy.api#enumValue";
    out.push_str(" {\n");
    if let Some(Value::Object(members)) = shape.get("members") {
        for (name, member) in members {
            let traits = traits_of(member, id)?;
            write_traits(out, traits, "    ", &[ENUM_VALUE])?;
            out.push_str("    ");
            out.push_str(name);
            if let Some(value) = traits.and_then(|t| t.get(ENUM_VALUE)) {
                out.push_str(" = ");
                write_node(out, value)?;
            }
            out.push('\n');
        }
    }
    out.push_str("}\n");
    Ok(())
}

/// Service, resource and operation properties, as in the JSON AST but with
/// `{"target": X}` written as `X`.
fn write_properties(out: &mut String, shape: &Value, id: &str, ty: &str) -> Result<()> {
    out.push_str(" {\n");
    let Some(obj) = shape.as_object() else {
        return Err(err(format!("shape `{id}` must be an object")));
    };
    for (key, value) in obj {
        let kind = match (ty, key.as_str()) {
            (_, "type" | "traits" | "mixins") => continue,
            ("service", "version") | ("service", "rename") => Prop::Node,
            ("service", "operations" | "resources" | "errors")
            | ("resource", "operations" | "collectionOperations" | "resources")
            | ("operation", "errors") => Prop::List,
            ("resource", "identifiers" | "properties") => Prop::Map,
            ("resource", "create" | "put" | "read" | "update" | "delete" | "list")
            | ("operation", "input" | "output") => Prop::Ref,
            (_, other) => return Err(err(format!("shape `{id}` has unknown property `{other}`"))),
        };
        out.push_str("    ");
        out.push_str(key);
        out.push_str(": ");
        let what = format!("`{key}` of `{id}`");
        match kind {
            Prop::Node => write_node(out, value)?,
            Prop::Ref => out.push_str(target_of(value, &what)?),
            Prop::List => {
                let items = value
                    .as_array()
                    .ok_or_else(|| err(format!("{what} must be a list")))?;
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(target_of(item, &what)?);
                }
                out.push(']');
            }
            Prop::Map => {
                let entries = value
                    .as_object()
                    .ok_or_else(|| err(format!("{what} must be an object")))?;
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_string(out, k);
                    out.push_str(": ");
                    out.push_str(target_of(v, &what)?);
                }
                out.push('}');
            }
        }
        out.push('\n');
    }
    out.push_str("}\n");
    Ok(())
}

enum Prop {
    Node,
    Ref,
    List,
    Map,
}

/// Writes a node value on one line; strings are always quoted.
fn write_node(out: &mut String, value: &Value) -> Result<()> {
    write_node_at(out, value, 0)
}

fn write_node_at(out: &mut String, value: &Value, depth: usize) -> Result<()> {
    if depth > crate::parser::MAX_DEPTH {
        return Err(err(format!(
            "a node value is nested deeper than {} levels",
            crate::parser::MAX_DEPTH
        )));
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_node_at(out, item, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_node_at(out, v, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Writes a quoted string with the escapes the IDL lexer understands.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
