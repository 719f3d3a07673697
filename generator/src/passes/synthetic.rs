//! A unique input and output structure per operation.
//!
//! Models share input shapes between operations, and many AWS inputs lack `@input`; copying each
//! operation's input to `smithy.synthetic#<Op>Input` (marked `@input`, so all its members are
//! optional to clients) and its output to `smithy.synthetic#<Op>Output` gives every operation its
//! own types, as the AWS SDK for Rust does.

use super::OperationPlan;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, Shape, ShapeId, ShapeKind, Traits};
use serde_json::json;

/// Namespace of the synthetic shapes.
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";

/// Adds the synthetic shapes to `model` and returns one plan entry per operation.
pub fn add_synthetic_shapes(
    model: &mut Model,
    service: &ShapeId,
    operations: &[ShapeId],
) -> Result<Vec<OperationPlan>> {
    let service_errors = match model.get(service).map(|s| &s.kind) {
        Some(ShapeKind::Service(svc)) => svc.errors.clone(),
        _ => Vec::new(),
    };
    let mut plans = Vec::with_capacity(operations.len());
    for op_id in operations {
        let (source, op) = match model.get(op_id) {
            Some(Shape {
                kind: ShapeKind::Operation(op),
                source,
                ..
            }) => (source.clone(), op.clone()),
            _ => {
                return Err(Error::shape(
                    "<model>",
                    op_id,
                    ErrorKind::Invalid("not an operation".into()),
                ))
            }
        };
        let input = synthesize(
            model,
            &source,
            op_id,
            &op.input,
            "Input",
            "smithy.api#input",
        )?;
        let output = synthesize(
            model,
            &source,
            op_id,
            &op.output,
            "Output",
            "smithy.api#output",
        )?;
        // Operation errors, then the service's; a model may list one twice (verifiedpermissions).
        let mut errors: Vec<ShapeId> = Vec::new();
        for error in op.errors.iter().chain(&service_errors) {
            if !errors.contains(error) {
                errors.push(error.clone());
            }
        }
        let paginated = super::paginated::resolve(model, service, op_id);
        let event_stream = has_event_stream(model, &input) || has_event_stream(model, &output);
        plans.push(OperationPlan {
            id: op_id.clone(),
            input,
            output,
            errors,
            paginated,
            event_stream,
        });
    }
    Ok(plans)
}

/// Whether a structure has a member targeting a `@streaming` union (an event stream).
fn has_event_stream(model: &Model, structure: &ShapeId) -> bool {
    let Some(shape) = model.get(structure) else {
        return false;
    };
    shape.kind.members().iter().any(|m| {
        model
            .get(&m.target)
            .is_some_and(|t| matches!(t.kind, ShapeKind::Union(_)) && t.traits.streaming())
    })
}

fn synthesize(
    model: &mut Model,
    source: &str,
    op: &ShapeId,
    original: &ShapeId,
    suffix: &str,
    marker: &str,
) -> Result<ShapeId> {
    let id = ShapeId::from_parts(SYNTHETIC_NAMESPACE, &format!("{}{suffix}", op.name()));
    let (members, mut traits) = match model.get(original) {
        Some(Shape {
            kind: ShapeKind::Structure(members),
            traits,
            ..
        }) => (members.clone(), traits.clone()),
        _ => {
            return Err(Error::shape(
                source,
                op,
                ErrorKind::WrongTargetKind {
                    target: original.to_string(),
                    expected: "structure".into(),
                    found: "other".into(),
                },
            ))
        }
    };
    if original.is_unit() {
        traits = Traits::default();
    }
    traits.insert(marker, json!({}));
    traits.insert("smithy.synthetic#originalId", json!(original.as_str()));
    model.shapes.insert(
        id.clone(),
        Shape {
            id: id.clone(),
            kind: ShapeKind::Structure(members),
            traits,
            source: source.to_string(),
        },
    );
    Ok(id)
}
