//! Schema-driven shape codecs: an EXPERIMENTAL alternative to the generated `FromJson` /
//! `ToJson` code, used only by crates generated with `CodecStyle::Schema` (see
//! `docs/codec-design.md` for the measured comparison).
//!
//! The design follows smithy-java's client: every generated structure, union, list, map and
//! enum has one `static` [`Schema`] (member names, indices, targets and the few traits the wire
//! formats read: `@jsonName`, `@timestampFormat`, `@sparse`, HTTP binding), structures and
//! unions implement [`SerializableShape`] (write each member to a [`ShapeSerializer`]) and
//! [`DeserializableShape`] (a `match` on the member index fed by a [`ShapeDeserializer`]), and
//! each wire format implements the two traits once, here in the runtime ([`json`]).
//!
//! The traits are used as trait objects (`&mut dyn ShapeSerializer`), as smithy-java's
//! interfaces are: a shape's member code is compiled once whatever the format, and the format
//! code is compiled once in this crate instead of being instantiated in every generated crate.
//! That is the design whose compile-time promise is worth measuring; a generic
//! (`impl ShapeSerializer`) variant would monomorphize the format back into each shape.
//!
//! Simplifications against smithy-java: traits are pre-resolved by the generator into typed
//! fields instead of a trait map (the member's `@timestampFormat` merged with its target's; the
//! protocol's HTTP binding of a member reduced to "outside the body" flags), and members
//! targeting simple shapes point at the prelude schemas below, not at a schema per simple shape.

pub mod json;

use crate::json::JsonError;
use crate::primitives::{BigNumber, DateTime, Document};
use crate::timestamp::Format;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// The error of a schema-driven read (JSON is the only format so far, so it is JSON's; a
/// second format would make it format-neutral).
pub type Error = JsonError;

/// Result of a schema-driven read.
pub type Result<T> = std::result::Result<T, Error>;

/// The Smithy type of a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeType {
    /// `blob` (streaming or not).
    Blob,
    /// `boolean`.
    Boolean,
    /// `string`.
    String,
    /// `byte`.
    Byte,
    /// `short`.
    Short,
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `bigInteger` or `bigDecimal`.
    BigNumber,
    /// `timestamp`.
    Timestamp,
    /// `document`.
    Document,
    /// `enum`.
    Enum,
    /// `intEnum`.
    IntEnum,
    /// `list`.
    List,
    /// `map`.
    Map,
    /// `structure`.
    Structure,
    /// `union`.
    Union,
    /// A member: see [`Schema::target`].
    Member,
}

/// The static description of a shape or of one member of a shape.
///
/// Shape schemas list their members (`members`: a list has one, `member`; a map two, `key` and
/// `value`); member schemas name their container's member and point at their target.
pub struct Schema {
    /// Shape name (the Rust type name for structures and unions, used in error messages), or
    /// member name.
    pub name: &'static str,
    /// The shape's type, or [`ShapeType::Member`].
    pub shape_type: ShapeType,
    /// A member's position in its container (what generated code matches on).
    pub member_index: usize,
    /// A member's target.
    pub target: Option<&'static Schema>,
    /// A shape's members.
    pub members: &'static [Schema],
    /// `@jsonName` of a member.
    pub json_name: Option<&'static str>,
    /// `@timestampFormat` of a member (or of its target).
    pub timestamp_format: Option<Format>,
    /// `@sparse` of a list or map.
    pub sparse: bool,
    /// The member is bound outside the body (header, label, query, status code, payload) when
    /// its structure is written.
    pub bound_in_request: bool,
    /// The member is bound outside the body when its structure is read.
    pub bound_in_response: bool,
    /// The values of an enum (`@enumValue`s of an `intEnum` are in `int_values`).
    pub values: &'static [&'static str],
    /// The values of an `intEnum`.
    pub int_values: &'static [i32],
}

impl fmt::Debug for Schema {
    // Schemas may be cyclic (recursive shapes), so only the name is printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Schema({})", self.name)
    }
}

impl Schema {
    const EMPTY: Schema = Schema {
        name: "",
        shape_type: ShapeType::Structure,
        member_index: 0,
        target: None,
        members: &[],
        json_name: None,
        timestamp_format: None,
        sparse: false,
        bound_in_request: false,
        bound_in_response: false,
        values: &[],
        int_values: &[],
    };

    /// A shape without members (simple shapes).
    pub const fn simple(name: &'static str, shape_type: ShapeType) -> Schema {
        Schema {
            name,
            shape_type,
            ..Schema::EMPTY
        }
    }

    /// A structure, union, list (one member) or map (key, value).
    pub const fn aggregate(
        name: &'static str,
        shape_type: ShapeType,
        members: &'static [Schema],
    ) -> Schema {
        Schema {
            name,
            shape_type,
            members,
            ..Schema::EMPTY
        }
    }

    /// A string enum and its values.
    pub const fn enumeration(name: &'static str, values: &'static [&'static str]) -> Schema {
        Schema {
            name,
            shape_type: ShapeType::Enum,
            values,
            ..Schema::EMPTY
        }
    }

    /// An int enum and its values.
    pub const fn int_enumeration(name: &'static str, int_values: &'static [i32]) -> Schema {
        Schema {
            name,
            shape_type: ShapeType::IntEnum,
            int_values,
            ..Schema::EMPTY
        }
    }

    /// Member `index` named `name` targeting `target`.
    pub const fn member(name: &'static str, index: usize, target: &'static Schema) -> Schema {
        Schema {
            name,
            shape_type: ShapeType::Member,
            member_index: index,
            target: Some(target),
            ..Schema::EMPTY
        }
    }

    /// With `@jsonName`.
    pub const fn json_name(self, json_name: &'static str) -> Schema {
        Schema {
            json_name: Some(json_name),
            ..self
        }
    }

    /// With `@timestampFormat`.
    pub const fn timestamp_format(self, format: Format) -> Schema {
        Schema {
            timestamp_format: Some(format),
            ..self
        }
    }

    /// A `@sparse` list or map.
    pub const fn sparse(self) -> Schema {
        Schema {
            sparse: true,
            ..self
        }
    }

    /// A member bound outside the body when written (`request`) and/or read (`response`).
    pub const fn bound(self, request: bool, response: bool) -> Schema {
        Schema {
            bound_in_request: request,
            bound_in_response: response,
            ..self
        }
    }

    /// The shape a schema describes: a member's target, else the schema itself.
    pub fn shape(&'static self) -> &'static Schema {
        self.target.unwrap_or(self)
    }

    /// The member schema of a list's items, or of a map's values.
    pub fn item(&'static self) -> &'static Schema {
        let shape = self.shape();
        shape.members.last().unwrap_or(&prelude::DOCUMENT)
    }
}

/// Schemas of the prelude's simple shapes, the targets of members of simple type.
pub mod prelude {
    use super::{Schema, ShapeType};

    /// `smithy.api#Blob`.
    pub static BLOB: Schema = Schema::simple("Blob", ShapeType::Blob);
    /// `smithy.api#Boolean`.
    pub static BOOLEAN: Schema = Schema::simple("Boolean", ShapeType::Boolean);
    /// `smithy.api#String`.
    pub static STRING: Schema = Schema::simple("String", ShapeType::String);
    /// `smithy.api#Byte`.
    pub static BYTE: Schema = Schema::simple("Byte", ShapeType::Byte);
    /// `smithy.api#Short`.
    pub static SHORT: Schema = Schema::simple("Short", ShapeType::Short);
    /// `smithy.api#Integer`.
    pub static INTEGER: Schema = Schema::simple("Integer", ShapeType::Integer);
    /// `smithy.api#Long`.
    pub static LONG: Schema = Schema::simple("Long", ShapeType::Long);
    /// `smithy.api#Float`.
    pub static FLOAT: Schema = Schema::simple("Float", ShapeType::Float);
    /// `smithy.api#Double`.
    pub static DOUBLE: Schema = Schema::simple("Double", ShapeType::Double);
    /// `smithy.api#BigInteger` and `smithy.api#BigDecimal`.
    pub static BIG_NUMBER: Schema = Schema::simple("BigNumber", ShapeType::BigNumber);
    /// `smithy.api#Timestamp`.
    pub static TIMESTAMP: Schema = Schema::simple("Timestamp", ShapeType::Timestamp);
    /// `smithy.api#Document`.
    pub static DOCUMENT: Schema = Schema::simple("Document", ShapeType::Document);
    /// `smithy.api#Unit`: the target of a union's unit members.
    pub static UNIT: Schema = Schema::aggregate("Unit", ShapeType::Structure, &[]);
}

/// A shape that writes itself member by member (generated structures and unions).
pub trait SerializableShape {
    /// The shape's schema.
    fn schema(&self) -> &'static Schema;

    /// Writes every set member (a union: its one variant) with its member schema.
    fn serialize_members(&self, serializer: &mut dyn ShapeSerializer);
}

/// A shape that reads itself from a [`ShapeDeserializer`] (generated structures and unions).
pub trait DeserializableShape: Sized {
    /// Reads the shape.
    fn deserialize(deserializer: &mut dyn ShapeDeserializer) -> Result<Self>;
}

/// The value of a union's unit member: a structure without members.
pub struct Unit;

impl SerializableShape for Unit {
    fn schema(&self) -> &'static Schema {
        &prelude::UNIT
    }

    fn serialize_members(&self, _serializer: &mut dyn ShapeSerializer) {}
}

/// A wire format's writer. Every call takes the schema of what is written: inside a
/// structure, the member schema (which names the key); inside a list, the list's member.
pub trait ShapeSerializer {
    /// A structure or union: the format opens it and calls `value.serialize_members`.
    fn write_struct(&mut self, schema: &'static Schema, value: &dyn SerializableShape);
    /// A list of `len` items, each written by `items` on the serializer it is given.
    fn write_list(
        &mut self,
        schema: &'static Schema,
        len: usize,
        items: &mut dyn FnMut(&mut dyn ShapeSerializer),
    );
    /// A map of `len` entries, each written by `entries` with [`MapSerializer::write_entry`].
    fn write_map(
        &mut self,
        schema: &'static Schema,
        len: usize,
        entries: &mut dyn FnMut(&mut dyn MapSerializer),
    );
    /// A boolean.
    fn write_boolean(&mut self, schema: &'static Schema, value: bool);
    /// A byte.
    fn write_byte(&mut self, schema: &'static Schema, value: i8);
    /// A short.
    fn write_short(&mut self, schema: &'static Schema, value: i16);
    /// An integer (and an int enum's value).
    fn write_integer(&mut self, schema: &'static Schema, value: i32);
    /// A long.
    fn write_long(&mut self, schema: &'static Schema, value: i64);
    /// A float.
    fn write_float(&mut self, schema: &'static Schema, value: f32);
    /// A double.
    fn write_double(&mut self, schema: &'static Schema, value: f64);
    /// A big integer or decimal.
    fn write_big_number(&mut self, schema: &'static Schema, value: &BigNumber);
    /// Bytes of a blob (or of a streaming blob placed in a body).
    fn write_blob(&mut self, schema: &'static Schema, value: &[u8]);
    /// A string (and an enum's value).
    fn write_string(&mut self, schema: &'static Schema, value: &str);
    /// A timestamp, in the schema's format.
    fn write_timestamp(&mut self, schema: &'static Schema, value: &DateTime);
    /// A document.
    fn write_document(&mut self, schema: &'static Schema, value: &Document);
    /// A null (a sparse collection's missing item).
    fn write_null(&mut self, schema: &'static Schema);
}

/// A wire format's writer of map entries.
pub trait MapSerializer {
    /// One entry: `value` writes it with the map's value schema.
    fn write_entry(&mut self, key: &str, value: &mut dyn FnMut(&mut dyn ShapeSerializer));
}

/// A member's reader, called by a format once per member present: the member schema and a
/// deserializer positioned on its value.
pub type MemberReader<'a> =
    dyn FnMut(&'static Schema, &mut dyn ShapeDeserializer) -> Result<()> + 'a;

/// A wire format's reader, positioned on one value. Every call takes the schema of the value
/// (a member schema where there is one).
pub trait ShapeDeserializer {
    /// A structure: `member` is called for each member present, in schema order.
    fn read_struct(&mut self, schema: &'static Schema, member: &mut MemberReader) -> Result<()>;
    /// A union: `member` is called for its one set member, if the schema knows it.
    fn read_union(&mut self, schema: &'static Schema, member: &mut MemberReader) -> Result<()>;
    /// A list: `item` is called for each item (for a dense list, non-null items only).
    fn read_list(
        &mut self,
        schema: &'static Schema,
        item: &mut dyn FnMut(&mut dyn ShapeDeserializer) -> Result<()>,
    ) -> Result<()>;
    /// A map: `entry` is called with each key (for a dense map, non-null values only); it
    /// locates its errors under the key itself.
    fn read_map(
        &mut self,
        schema: &'static Schema,
        entry: &mut dyn FnMut(String, &mut dyn ShapeDeserializer) -> Result<()>,
    ) -> Result<()>;
    /// The number of items or entries of the list or map here, when the format knows it.
    fn container_size(&self) -> Option<usize>;
    /// Whether the value here is null.
    fn is_null(&self) -> bool;
    /// A boolean.
    fn read_boolean(&mut self, schema: &'static Schema) -> Result<bool>;
    /// A byte.
    fn read_byte(&mut self, schema: &'static Schema) -> Result<i8>;
    /// A short.
    fn read_short(&mut self, schema: &'static Schema) -> Result<i16>;
    /// An integer (and an int enum's value).
    fn read_integer(&mut self, schema: &'static Schema) -> Result<i32>;
    /// A long.
    fn read_long(&mut self, schema: &'static Schema) -> Result<i64>;
    /// A float.
    fn read_float(&mut self, schema: &'static Schema) -> Result<f32>;
    /// A double.
    fn read_double(&mut self, schema: &'static Schema) -> Result<f64>;
    /// A big integer or decimal.
    fn read_big_number(&mut self, schema: &'static Schema) -> Result<BigNumber>;
    /// A blob's bytes.
    fn read_blob(&mut self, schema: &'static Schema) -> Result<Vec<u8>>;
    /// A string.
    fn read_string(&mut self, schema: &'static Schema) -> Result<String>;
    /// A string lent to `read` (enums are built from it without an owned copy).
    fn read_str(&mut self, schema: &'static Schema, read: &mut dyn FnMut(&str)) -> Result<()>;
    /// A timestamp, in the schema's format.
    fn read_timestamp(&mut self, schema: &'static Schema) -> Result<DateTime>;
    /// A document.
    fn read_document(&mut self, schema: &'static Schema) -> Result<Document>;
}

// Helpers generated code calls, so that each generated member stays one expression. They are
// generic over the item type only; the format behind `dyn` is compiled once, here.

/// Reads a generated structure or union. The member schema is taken for symmetry with the
/// other readers (a format could read member traits from it); the shape reads its own schema.
pub fn shape<T: DeserializableShape>(
    de: &mut dyn ShapeDeserializer,
    _member: &'static Schema,
) -> Result<T> {
    T::deserialize(de)
}

/// Reads an enum (open: unknown values are kept by the enum's `From<&str>`).
pub fn enumeration<T: for<'a> From<&'a str>>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
) -> Result<T> {
    let mut out = None;
    de.read_str(schema, &mut |text| out = Some(T::from(text)))?;
    out.ok_or_else(|| Error::new("expected a string"))
}

/// Reads a dense list; `item` reads one item with the list's member schema.
pub fn list<T>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    mut item: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<T>,
) -> Result<Vec<T>> {
    let member = schema.item();
    let mut out = Vec::with_capacity(de.container_size().unwrap_or(0));
    de.read_list(schema, &mut |de| {
        out.push(item(de, member)?);
        Ok(())
    })?;
    Ok(out)
}

/// Reads a sparse list (`null` items kept as `None`).
pub fn sparse_list<T>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    mut item: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<T>,
) -> Result<Vec<Option<T>>> {
    let member = schema.item();
    let mut out = Vec::with_capacity(de.container_size().unwrap_or(0));
    de.read_list(schema, &mut |de| {
        out.push(if de.is_null() {
            None
        } else {
            Some(item(de, member)?)
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads a map: `key` builds each key, `value` reads each value with the map's value schema.
fn read_map<K: Eq + Hash, V>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    key: impl Fn(String) -> K,
    mut value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> Result<HashMap<K, V>> {
    let member = schema.item();
    let mut out = HashMap::with_capacity(de.container_size().unwrap_or(0));
    de.read_map(schema, &mut |name, de| {
        let read = value(de, member).map_err(|e| json::at(e, &name))?;
        out.insert(key(name), read);
        Ok(())
    })?;
    Ok(out)
}

/// A sparse map's value reader: `null` is `None`.
fn sparse<V>(
    mut value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<Option<V>> {
    move |de, schema| {
        if de.is_null() {
            Ok(None)
        } else {
            value(de, schema).map(Some)
        }
    }
}

/// An enum map key (open: unknown values are kept by the enum's `From<&str>`).
fn enum_key<K: for<'a> From<&'a str>>(key: String) -> K {
    K::from(key.as_str())
}

/// Reads a dense map with string keys.
pub fn map<V>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> Result<HashMap<String, V>> {
    read_map(de, schema, |key| key, value)
}

/// Reads a sparse map with string keys.
pub fn sparse_map<V>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> Result<HashMap<String, Option<V>>> {
    read_map(de, schema, |key| key, sparse(value))
}

/// Reads a dense map with enum keys.
pub fn enum_map<K, V>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> Result<HashMap<K, V>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    read_map(de, schema, enum_key, value)
}

/// Reads a sparse map with enum keys.
pub fn sparse_enum_map<K, V>(
    de: &mut dyn ShapeDeserializer,
    schema: &'static Schema,
    value: impl FnMut(&mut dyn ShapeDeserializer, &'static Schema) -> Result<V>,
) -> Result<HashMap<K, Option<V>>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    read_map(de, schema, enum_key, sparse(value))
}

/// Writes a dense list; `item` writes one item with the list's member schema.
pub fn write_list<T>(
    ser: &mut dyn ShapeSerializer,
    schema: &'static Schema,
    items: &[T],
    item: impl Fn(&mut dyn ShapeSerializer, &'static Schema, &T),
) {
    let member = schema.item();
    ser.write_list(schema, items.len(), &mut |ser| {
        for value in items {
            item(ser, member, value);
        }
    });
}

/// Writes a sparse list (`None` as null).
pub fn write_sparse_list<T>(
    ser: &mut dyn ShapeSerializer,
    schema: &'static Schema,
    items: &[Option<T>],
    item: impl Fn(&mut dyn ShapeSerializer, &'static Schema, &T),
) {
    let member = schema.item();
    ser.write_list(schema, items.len(), &mut |ser| {
        for value in items {
            match value {
                Some(value) => item(ser, member, value),
                None => ser.write_null(member),
            }
        }
    });
}

/// Writes a dense map, keys in sorted order (as the generated codecs do, so that output is
/// deterministic).
pub fn write_map<K: AsRef<str>, V>(
    ser: &mut dyn ShapeSerializer,
    schema: &'static Schema,
    entries: &HashMap<K, V>,
    value: impl Fn(&mut dyn ShapeSerializer, &'static Schema, &V),
) {
    let member = schema.item();
    let mut sorted: Vec<(&str, &V)> = entries.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    ser.write_map(schema, sorted.len(), &mut |map| {
        for (key, entry) in &sorted {
            map.write_entry(key, &mut |ser| value(ser, member, entry));
        }
    });
}

/// Writes a sparse map (`None` as null).
pub fn write_sparse_map<K: AsRef<str>, V>(
    ser: &mut dyn ShapeSerializer,
    schema: &'static Schema,
    entries: &HashMap<K, Option<V>>,
    value: impl Fn(&mut dyn ShapeSerializer, &'static Schema, &V),
) {
    write_map(ser, schema, entries, |ser, member, entry| match entry {
        Some(entry) => value(ser, member, entry),
        None => ser.write_null(member),
    });
}
