//! Recursion boxing: a member that closes a cycle made only of structure/union members must be
//! boxed, or the Rust type would have infinite size. Lists and maps already allocate, so a cycle
//! through them needs nothing.

use super::{is_aggregate, OperationPlan};
use crate::model::{Model, ShapeId};
use std::collections::BTreeSet;

/// Finds the members to box, deterministically (shapes and members in model order).
pub fn find_boxed_members(
    model: &Model,
    shapes: &BTreeSet<ShapeId>,
    operations: &[OperationPlan],
) -> BTreeSet<(ShapeId, String)> {
    let mut boxed = BTreeSet::new();
    let roots = operations
        .iter()
        .flat_map(|op| [&op.input, &op.output])
        .chain(shapes.iter());
    let mut finished = BTreeSet::new();
    for root in roots {
        if is_aggregate(model, root) {
            let mut stack = Vec::new();
            visit(model, root, &mut stack, &mut finished, &mut boxed);
        }
    }
    boxed
}

fn visit(
    model: &Model,
    id: &ShapeId,
    stack: &mut Vec<ShapeId>,
    finished: &mut BTreeSet<ShapeId>,
    boxed: &mut BTreeSet<(ShapeId, String)>,
) {
    if finished.contains(id) {
        return;
    }
    stack.push(id.clone());
    let members = model.get(id).map(|s| s.kind.members()).unwrap_or_default();
    for member in members {
        if !is_aggregate(model, &member.target)
            || boxed.contains(&(id.clone(), member.name.clone()))
        {
            continue;
        }
        if stack.contains(&member.target) {
            boxed.insert((id.clone(), member.name.clone()));
        } else {
            visit(model, &member.target, stack, finished, boxed);
        }
    }
    stack.pop();
    finished.insert(id.clone());
}
