//! Operation discovery (service and resources), selection, and the shape closure.

use super::OperationPlan;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, ShapeId, ShapeKind};
use std::collections::BTreeSet;

/// Every operation bound to the service, directly or through (nested) resources, sorted by ID.
pub fn service_operations(model: &Model, service: &ShapeId) -> Result<Vec<ShapeId>> {
    let svc = match model.get(service).map(|s| &s.kind) {
        Some(ShapeKind::Service(svc)) => svc,
        _ => {
            return Err(Error::shape(
                "<model>",
                service,
                ErrorKind::Invalid("not a service".into()),
            ))
        }
    };
    let mut found = BTreeSet::new();
    found.extend(svc.operations.iter().cloned());
    let mut pending: Vec<ShapeId> = svc.resources.clone();
    let mut seen = BTreeSet::new();
    while let Some(resource_id) = pending.pop() {
        if !seen.insert(resource_id.clone()) {
            continue;
        }
        if let Some(ShapeKind::Resource(resource)) = model.get(&resource_id).map(|s| &s.kind) {
            found.extend(resource.all_operations().into_iter().cloned());
            pending.extend(resource.resources.iter().cloned());
        }
    }
    Ok(found.into_iter().collect())
}

/// Keeps the selected operations (by name or shape ID); every selected name must exist.
pub fn select(
    model: &Model,
    service: &ShapeId,
    operations: Vec<ShapeId>,
    selection: Option<&[String]>,
) -> Result<Vec<ShapeId>> {
    let Some(selection) = selection else {
        return Ok(operations);
    };
    for wanted in selection {
        let known = operations
            .iter()
            .any(|o| o.as_str() == wanted || o.name() == wanted);
        if !known {
            let file = model.get(service).map_or("<model>", |s| s.source.as_str());
            return Err(Error::shape(
                file,
                service,
                ErrorKind::Invalid(format!(
                    "selected operation `{wanted}` is not part of the service"
                )),
            ));
        }
    }
    Ok(operations
        .into_iter()
        .filter(|o| selection.iter().any(|w| o.as_str() == w || o.name() == w))
        .collect())
}

/// Every shape reachable from the operations' inputs, outputs and errors (prelude excluded).
pub fn shape_closure(model: &Model, operations: &[OperationPlan]) -> BTreeSet<ShapeId> {
    let mut pending: Vec<ShapeId> = Vec::new();
    for op in operations {
        pending.push(op.input.clone());
        pending.push(op.output.clone());
        pending.extend(op.errors.iter().cloned());
    }
    let mut closure = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if id.namespace() == "smithy.api" || !closure.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = model.get(&id) {
            pending.extend(shape.kind.members().into_iter().map(|m| m.target.clone()));
        }
    }
    closure
}
