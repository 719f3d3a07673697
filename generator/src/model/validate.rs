//! Model validation: every reference resolves, and resolves to the right kind of shape.
//!
//! This is the minimum set a generator needs to never panic later: dangling targets, wrong target
//! kinds, and empty enums/unions. Duplicate names are caught while loading.

use super::{Member, Model, Shape, ShapeId, ShapeKind};
use crate::error::{Error, ErrorKind, Result};

/// What a reference may point at.
#[derive(Clone, Copy)]
enum Want {
    /// Any shape a member may target (not operation, resource or service).
    MemberTarget,
    /// A string or enum (map keys).
    StringLike,
    /// A structure (operation input/output; Unit allowed).
    Structure,
    /// A structure with `@error`.
    ErrorStructure,
    /// An operation.
    Operation,
    /// A resource.
    Resource,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::MemberTarget => "member target (not an operation, resource or service)",
            Want::StringLike => "string or enum",
            Want::Structure => "structure",
            Want::ErrorStructure => "structure with @error",
            Want::Operation => "operation",
            Want::Resource => "resource",
        }
    }

    fn accepts(self, shape: &Shape) -> bool {
        match self {
            Want::MemberTarget => !matches!(
                shape.kind,
                ShapeKind::Operation(_) | ShapeKind::Resource(_) | ShapeKind::Service(_)
            ),
            Want::StringLike => matches!(shape.kind, ShapeKind::String | ShapeKind::Enum(_)),
            Want::Structure => matches!(shape.kind, ShapeKind::Structure(_)),
            Want::ErrorStructure => {
                matches!(shape.kind, ShapeKind::Structure(_)) && shape.traits.error().is_some()
            }
            Want::Operation => matches!(shape.kind, ShapeKind::Operation(_)),
            Want::Resource => matches!(shape.kind, ShapeKind::Resource(_)),
        }
    }
}

/// Validates the whole model.
pub fn validate(model: &Model) -> Result<()> {
    for shape in model.shapes.values() {
        validate_shape(model, shape)?;
    }
    Ok(())
}

fn validate_shape(model: &Model, shape: &Shape) -> Result<()> {
    let check = |target: &ShapeId, want: Want| check_ref(model, shape, target, want);
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            if matches!(shape.kind, ShapeKind::Union(_))
                && members.is_empty()
                && !shape.traits.mixin()
            {
                return Err(invalid(shape, "a union needs at least one member"));
            }
            members
                .iter()
                .try_for_each(|m| check_member(model, shape, m, Want::MemberTarget))
        }
        ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => validate_enum(shape, members),
        ShapeKind::List(member) => check_member(model, shape, member, Want::MemberTarget),
        ShapeKind::Map(key, value) => {
            check_member(model, shape, key, Want::StringLike)?;
            check_member(model, shape, value, Want::MemberTarget)
        }
        ShapeKind::Operation(op) => {
            check(&op.input, Want::Structure)?;
            check(&op.output, Want::Structure)?;
            op.errors
                .iter()
                .try_for_each(|e| check(e, Want::ErrorStructure))
        }
        ShapeKind::Service(svc) => {
            svc.operations
                .iter()
                .try_for_each(|o| check(o, Want::Operation))?;
            svc.resources
                .iter()
                .try_for_each(|r| check(r, Want::Resource))?;
            svc.errors
                .iter()
                .try_for_each(|e| check(e, Want::ErrorStructure))
        }
        ShapeKind::Resource(res) => {
            res.identifiers
                .values()
                .try_for_each(|t| check(t, Want::MemberTarget))?;
            res.properties
                .values()
                .try_for_each(|t| check(t, Want::MemberTarget))?;
            res.all_operations()
                .into_iter()
                .try_for_each(|o| check(o, Want::Operation))?;
            res.resources
                .iter()
                .try_for_each(|r| check(r, Want::Resource))
        }
        _ => Ok(()),
    }
}

fn validate_enum(shape: &Shape, members: &[Member]) -> Result<()> {
    if members.is_empty() && !shape.traits.mixin() {
        return Err(invalid(shape, "an enum needs at least one member"));
    }
    let is_int = matches!(shape.kind, ShapeKind::IntEnum(_));
    let mut seen = Vec::with_capacity(members.len());
    for member in members {
        let value = member.traits.enum_value();
        let ok = match value {
            Some(v) if is_int => v.is_i64(),
            Some(v) => v.as_str().is_some_and(|s| !s.is_empty()),
            None => !is_int,
        };
        if !ok {
            return Err(invalid(
                shape,
                &format!("enum member `{}` has an invalid @enumValue", member.name),
            ));
        }
        let value = value.cloned().unwrap_or_else(|| member.name.clone().into());
        if seen.contains(&value) {
            return Err(Error::shape(
                &shape.source,
                &shape.id,
                ErrorKind::Duplicate(format!("enum value {value} is used twice")),
            ));
        }
        seen.push(value);
    }
    Ok(())
}

fn check_member(model: &Model, shape: &Shape, member: &Member, want: Want) -> Result<()> {
    let target = model
        .get(&member.target)
        .ok_or_else(|| dangling(shape, &member.target))?;
    // Unit is only a valid target for enum members and union members.
    if member.target.is_unit() && !matches!(shape.kind, ShapeKind::Union(_)) {
        return Err(invalid(
            shape,
            &format!("member `{}` may not target smithy.api#Unit", member.name),
        ));
    }
    if want.accepts(target) {
        Ok(())
    } else {
        Err(wrong_kind(shape, target, want))
    }
}

fn check_ref(model: &Model, shape: &Shape, target: &ShapeId, want: Want) -> Result<()> {
    let found = model.get(target).ok_or_else(|| dangling(shape, target))?;
    if want.accepts(found) {
        Ok(())
    } else {
        Err(wrong_kind(shape, found, want))
    }
}

fn dangling(shape: &Shape, target: &ShapeId) -> Error {
    Error::shape(
        &shape.source,
        &shape.id,
        ErrorKind::DanglingTarget {
            target: target.to_string(),
        },
    )
}

fn wrong_kind(shape: &Shape, target: &Shape, want: Want) -> Error {
    Error::shape(
        &shape.source,
        &shape.id,
        ErrorKind::WrongTargetKind {
            target: target.id.to_string(),
            expected: want.describe().to_string(),
            found: target.kind.type_name().to_string(),
        },
    )
}

fn invalid(shape: &Shape, reason: &str) -> Error {
    Error::shape(
        &shape.source,
        &shape.id,
        ErrorKind::Invalid(reason.to_string()),
    )
}
