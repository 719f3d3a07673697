//! The parsed-but-unresolved form of one IDL file.
//!
//! Parsing happens file by file, but relative shape IDs can only be resolved
//! once every file is known (a shape may be defined later or in another file),
//! so the parser produces this intermediate form and the resolver turns it into
//! JSON AST afterwards.

use crate::error::Pos;
use serde_json::Number;

/// IDL version of a file, which selects the 1.0 upgrade rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// `$version: "1"` / `"1.0"`, or no `$version` statement at all.
    V1,
    /// `$version: "2"` / `"2.0"`.
    V2,
}

/// A shape ID exactly as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawId {
    /// The text, e.g. `String`, `smithy.api#String` or `Foo$bar`.
    pub text: String,
    /// Position of its first character.
    pub pos: Pos,
}

/// A node value whose unquoted shape IDs are not resolved yet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Num(Number),
    /// A quoted string or text block.
    Str(String),
    /// An unquoted shape ID, resolved to an absolute ID string later.
    Id(RawId),
    /// `[ ... ]`
    Arr(Vec<Node>),
    /// `{ ... }` in source order.
    Obj(Vec<(String, Node)>),
}

/// One `@trait` application.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TraitApp {
    /// The trait's shape ID.
    pub id: RawId,
    /// The value; `None` for an annotation (`@foo` or `@foo()`), whose value
    /// depends on the trait shape's type.
    pub value: Option<Node>,
}

/// A member of an aggregate or enum shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MemberDef {
    /// Member name.
    pub name: String,
    /// Where the member starts.
    pub pos: Pos,
    /// Target, or `None` when elided (`$name`) or for enum members.
    pub target: Option<RawId>,
    /// Traits, including those produced by doc comments and `= value`.
    pub traits: Vec<TraitApp>,
}

/// A shape statement (or an inline operation input/output).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapeDef {
    /// Shape name (without namespace).
    pub name: String,
    /// Position of the shape's name.
    pub pos: Pos,
    /// JSON AST type name, e.g. `structure`.
    pub kind: String,
    /// Traits applied to the shape.
    pub traits: Vec<TraitApp>,
    /// `with [...]` mixins.
    pub mixins: Vec<RawId>,
    /// `for Resource` binding used to resolve elided members.
    pub for_resource: Option<RawId>,
    /// Members in source order.
    pub members: Vec<MemberDef>,
    /// Properties of service, resource and operation shapes.
    pub props: Vec<(String, Node, Pos)>,
}

/// An `apply` statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApplyDef {
    /// The shape or member the traits go to.
    pub target: RawId,
    /// The traits.
    pub traits: Vec<TraitApp>,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileIr {
    /// File name used in errors.
    pub path: String,
    /// IDL version of the file.
    pub version: Version,
    /// Namespace, if the file has a shape section.
    pub namespace: Option<String>,
    /// `use` statements (absolute shape IDs).
    pub uses: Vec<RawId>,
    /// Metadata statements in order.
    pub metadata: Vec<(String, Node, Pos)>,
    /// Shapes in order.
    pub shapes: Vec<ShapeDef>,
    /// Apply statements in order.
    pub applies: Vec<ApplyDef>,
}
