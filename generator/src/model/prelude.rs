//! The Smithy prelude: shapes every model can refer to without defining them.

use super::{Shape, ShapeId, ShapeKind, Traits};
use serde_json::json;

/// File name reported for prelude shapes.
pub const PRELUDE_FILE: &str = "<prelude>";

/// The prelude shapes (`smithy.api#String`, `smithy.api#PrimitiveInteger`, `smithy.api#Unit`, ...).
pub fn shapes() -> Vec<Shape> {
    let plain = [
        ("String", ShapeKind::String),
        ("Blob", ShapeKind::Blob),
        ("BigInteger", ShapeKind::BigInteger),
        ("BigDecimal", ShapeKind::BigDecimal),
        ("Timestamp", ShapeKind::Timestamp),
        ("Document", ShapeKind::Document),
        ("Boolean", ShapeKind::Boolean),
        ("Byte", ShapeKind::Byte),
        ("Short", ShapeKind::Short),
        ("Integer", ShapeKind::Integer),
        ("Long", ShapeKind::Long),
        ("Float", ShapeKind::Float),
        ("Double", ShapeKind::Double),
    ];
    let primitive = [
        ("PrimitiveBoolean", ShapeKind::Boolean, json!(false)),
        ("PrimitiveByte", ShapeKind::Byte, json!(0)),
        ("PrimitiveShort", ShapeKind::Short, json!(0)),
        ("PrimitiveInteger", ShapeKind::Integer, json!(0)),
        ("PrimitiveLong", ShapeKind::Long, json!(0)),
        ("PrimitiveFloat", ShapeKind::Float, json!(0)),
        ("PrimitiveDouble", ShapeKind::Double, json!(0)),
    ];
    let mut out: Vec<Shape> = plain
        .into_iter()
        .map(|(name, kind)| prelude_shape(name, kind, Traits::default()))
        .collect();
    out.extend(primitive.into_iter().map(|(name, kind, default)| {
        let mut traits = Traits::default();
        traits.insert("smithy.api#default", default);
        prelude_shape(name, kind, traits)
    }));
    let mut unit_traits = Traits::default();
    unit_traits.insert("smithy.api#unitType", json!({}));
    out.push(prelude_shape(
        "Unit",
        ShapeKind::Structure(Vec::new()),
        unit_traits,
    ));
    out
}

fn prelude_shape(name: &str, kind: ShapeKind, traits: Traits) -> Shape {
    Shape {
        id: ShapeId::from_parts("smithy.api", name),
        kind,
        traits,
        source: PRELUDE_FILE.to_string(),
    }
}
