//! The semantic Smithy model: shapes keyed by absolute shape ID, with their members and traits.
//!
//! The loader ([`crate::model::loader`]) builds it from JSON AST documents; every later pass and
//! every emitter reads this model, never the raw JSON.

pub mod loader;
pub mod prelude;
pub mod shape_id;
pub mod traits;
pub mod validate;

use std::collections::BTreeMap;

pub use shape_id::ShapeId;
pub use traits::Traits;

/// The kind of a shape, with the properties that kind carries.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeKind {
    /// `blob`.
    Blob,
    /// `boolean`.
    Boolean,
    /// `string`.
    String,
    /// `byte` (i8).
    Byte,
    /// `short` (i16).
    Short,
    /// `integer` (i32).
    Integer,
    /// `long` (i64).
    Long,
    /// `float` (f32).
    Float,
    /// `double` (f64).
    Double,
    /// `bigInteger`.
    BigInteger,
    /// `bigDecimal`.
    BigDecimal,
    /// `timestamp`.
    Timestamp,
    /// `document`.
    Document,
    /// `enum`: members in model order.
    Enum(Vec<Member>),
    /// `intEnum`: members in model order.
    IntEnum(Vec<Member>),
    /// `list` (and 1.0 `set`): the member.
    List(Box<Member>),
    /// `map`: key and value members.
    Map(Box<Member>, Box<Member>),
    /// `structure`: members in model order.
    Structure(Vec<Member>),
    /// `union`: members in model order.
    Union(Vec<Member>),
    /// `operation`.
    Operation(Operation),
    /// `service`.
    Service(Service),
    /// `resource`.
    Resource(Resource),
}

impl ShapeKind {
    /// The JSON AST `type` name of this kind.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Blob => "blob",
            ShapeKind::Boolean => "boolean",
            ShapeKind::String => "string",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Timestamp => "timestamp",
            ShapeKind::Document => "document",
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::List(_) => "list",
            ShapeKind::Map(..) => "map",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Service(_) => "service",
            ShapeKind::Resource(_) => "resource",
        }
    }

    /// Members of an aggregate or enum shape, in model order (empty for other kinds).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            ShapeKind::Enum(m)
            | ShapeKind::IntEnum(m)
            | ShapeKind::Structure(m)
            | ShapeKind::Union(m) => m.iter().collect(),
            ShapeKind::List(m) => vec![m],
            ShapeKind::Map(k, v) => vec![k, v],
            _ => Vec::new(),
        }
    }

    /// Whether this kind is a simple (scalar) type.
    pub fn is_simple(&self) -> bool {
        !matches!(
            self,
            ShapeKind::List(_)
                | ShapeKind::Map(..)
                | ShapeKind::Structure(_)
                | ShapeKind::Union(_)
                | ShapeKind::Operation(_)
                | ShapeKind::Service(_)
                | ShapeKind::Resource(_)
        )
    }
}

/// A member: a name, the shape it targets and the traits applied to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Member name as written in the model (the wire name unless a trait overrides it).
    pub name: String,
    /// Target shape ID.
    pub target: ShapeId,
    /// Traits on the member itself.
    pub traits: Traits,
}

/// Operation properties.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Input structure (`smithy.api#Unit` when absent).
    pub input: ShapeId,
    /// Output structure (`smithy.api#Unit` when absent).
    pub output: ShapeId,
    /// Modelled errors, in model order.
    pub errors: Vec<ShapeId>,
}

/// Service properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    /// Service version string.
    pub version: String,
    /// Operations bound directly to the service.
    pub operations: Vec<ShapeId>,
    /// Resources bound directly to the service.
    pub resources: Vec<ShapeId>,
    /// Errors common to every operation of the service.
    pub errors: Vec<ShapeId>,
    /// Shape renames within the service closure (shape ID -> new name).
    pub rename: BTreeMap<ShapeId, String>,
}

/// Resource properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resource {
    /// Identifier name -> target shape.
    pub identifiers: BTreeMap<String, ShapeId>,
    /// Property name -> target shape.
    pub properties: BTreeMap<String, ShapeId>,
    /// Lifecycle operations (`create`, `put`, `read`, `update`, `delete`, `list`) that are set.
    pub lifecycle: BTreeMap<String, ShapeId>,
    /// Instance operations.
    pub operations: Vec<ShapeId>,
    /// Collection operations.
    pub collection_operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

impl Resource {
    /// Every operation bound to this resource (lifecycle first, then instance and collection ones).
    pub fn all_operations(&self) -> Vec<&ShapeId> {
        const ORDER: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];
        let lifecycle = ORDER.iter().filter_map(|slot| self.lifecycle.get(*slot));
        lifecycle
            .chain(&self.operations)
            .chain(&self.collection_operations)
            .collect()
    }
}

/// A shape: its ID, kind, traits, and the file it was loaded from.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Absolute shape ID.
    pub id: ShapeId,
    /// Kind and kind-specific properties.
    pub kind: ShapeKind,
    /// Traits applied to the shape.
    pub traits: Traits,
    /// Source file the shape came from (`<prelude>` for prelude shapes).
    pub source: String,
}

/// A loaded, validated Smithy model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// All shapes, ordered by shape ID so that every iteration is deterministic.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Merged `metadata` of every loaded file.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Model {
    /// Looks a shape up by ID.
    pub fn get(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// Every service shape in the model.
    pub fn services(&self) -> impl Iterator<Item = (&Shape, &Service)> {
        self.shapes.values().filter_map(|s| match &s.kind {
            ShapeKind::Service(svc) => Some((s, svc)),
            _ => None,
        })
    }
}
