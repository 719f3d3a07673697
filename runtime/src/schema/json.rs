//! The JSON format of the schema-driven codecs (EXPERIMENTAL, see [`super`]).
//!
//! It reads and writes the same `serde_json::Value` trees as the generated codecs and calls the
//! same leaf readers and writers (`crate::json`), so the two styles differ only in how the
//! shape code reaches them (schema and `dyn` calls against straight-line generated calls):
//! that difference is what `cargo xtask codec-compare` measures.

use super::{
    DeserializableShape, MapSerializer, MemberReader, Result, Schema, SerializableShape,
    ShapeDeserializer, ShapeSerializer,
};
use crate::json::{self as j, ser, JsonError, Object};
use crate::primitives::{BigNumber, Blob, DateTime, Document};
use crate::timestamp::Format;
use serde_json::{Map, Value};

/// What differs between the JSON protocols' bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonSettings {
    /// Whether keys honour `@jsonName` (restJson1 does, awsJson does not).
    pub use_json_name: bool,
    /// The timestamp format of members without `@timestampFormat`.
    pub default_timestamp_format: Format,
}

/// restJson1 bodies.
pub const REST_JSON: JsonSettings = JsonSettings {
    use_json_name: true,
    default_timestamp_format: Format::EpochSeconds,
};

/// awsJson1_0 and awsJson1_1 bodies.
pub const AWS_JSON: JsonSettings = JsonSettings {
    use_json_name: false,
    default_timestamp_format: Format::EpochSeconds,
};

impl JsonSettings {
    /// The key of a member.
    fn key(&self, member: &'static Schema) -> &'static str {
        match member.json_name {
            Some(name) if self.use_json_name => name,
            _ => member.name,
        }
    }

    fn timestamp_format(&self, schema: &'static Schema) -> Format {
        schema
            .timestamp_format
            .unwrap_or(self.default_timestamp_format)
    }
}

/// Reads a shape from a parsed body (what the schema style's `FromJson` impls call).
pub fn from_value<T: DeserializableShape>(value: Value, settings: JsonSettings) -> Result<T> {
    T::deserialize(&mut JsonDeserializer { value, settings })
}

/// Writes a shape as a JSON value (what the schema style's `ToJson` impls call).
pub fn to_value(shape: &dyn SerializableShape, settings: JsonSettings) -> Value {
    let mut serializer = JsonSerializer::new(Sink::Value(Value::Null), settings);
    serializer.write_struct(shape.schema(), shape);
    serializer.into_value()
}

/// `error` located under `segment` (a key or an index). `JsonError`'s own path is private to
/// `crate::json`, so this goes through `json::field`, which adds it; only on the error path.
pub(crate) fn at(error: JsonError, segment: &str) -> JsonError {
    let mut object = Object::new();
    object.insert(segment.to_string(), Value::Bool(true));
    match j::field(&mut object, segment, |_| Err::<(), _>(error)) {
        Err(error) => error,
        Ok(_) => unreachable!("the reader always fails"),
    }
}

/// A reader positioned on one JSON value, which it takes when read.
pub struct JsonDeserializer {
    value: Value,
    settings: JsonSettings,
}

impl JsonDeserializer {
    fn take(&mut self) -> Value {
        std::mem::take(&mut self.value)
    }

    fn child(&self, value: Value) -> JsonDeserializer {
        JsonDeserializer {
            value,
            settings: self.settings,
        }
    }
}

impl ShapeDeserializer for JsonDeserializer {
    fn read_struct(&mut self, schema: &'static Schema, member: &mut MemberReader) -> Result<()> {
        let shape = schema.shape();
        let mut object = j::object(self.take(), shape.name)?;
        for field in shape.members {
            if field.bound_in_response {
                continue;
            }
            let key = self.settings.key(field);
            let settings = self.settings;
            j::field(&mut object, key, |value| {
                member(field, &mut JsonDeserializer { value, settings })
            })?;
        }
        Ok(())
    }

    fn read_union(&mut self, schema: &'static Schema, member: &mut MemberReader) -> Result<()> {
        let shape = schema.shape();
        let object = j::object(self.take(), shape.name)?;
        let Some((key, value)) = j::union_member(object, shape.name)? else {
            return Ok(());
        };
        let Some(field) = shape.members.iter().find(|m| self.settings.key(m) == key) else {
            return Ok(());
        };
        member(field, &mut self.child(value)).map_err(|e| at(e, &key))
    }

    fn read_list(
        &mut self,
        schema: &'static Schema,
        item: &mut dyn FnMut(&mut dyn ShapeDeserializer) -> Result<()>,
    ) -> Result<()> {
        let items = match self.take() {
            Value::Array(items) => items,
            other => return j::list(other, Ok).map(drop),
        };
        let sparse = schema.shape().sparse;
        for (index, value) in items.into_iter().enumerate() {
            if sparse || !value.is_null() {
                item(&mut self.child(value)).map_err(|e| at(e, &index.to_string()))?;
            }
        }
        Ok(())
    }

    fn read_map(
        &mut self,
        schema: &'static Schema,
        entry: &mut dyn FnMut(String, &mut dyn ShapeDeserializer) -> Result<()>,
    ) -> Result<()> {
        let entries = match self.take() {
            Value::Object(entries) => entries,
            other => return j::map(other, Ok).map(drop),
        };
        let sparse = schema.shape().sparse;
        for (key, value) in entries {
            if sparse || !value.is_null() {
                // The reader locates its own errors under the key, which it moves into the map.
                entry(key, &mut self.child(value))?;
            }
        }
        Ok(())
    }

    fn container_size(&self) -> Option<usize> {
        match &self.value {
            Value::Array(items) => Some(items.len()),
            Value::Object(entries) => Some(entries.len()),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.value.is_null()
    }

    fn read_boolean(&mut self, _schema: &'static Schema) -> Result<bool> {
        j::boolean(self.take())
    }

    fn read_byte(&mut self, _schema: &'static Schema) -> Result<i8> {
        j::byte(self.take())
    }

    fn read_short(&mut self, _schema: &'static Schema) -> Result<i16> {
        j::short(self.take())
    }

    fn read_integer(&mut self, _schema: &'static Schema) -> Result<i32> {
        j::int(self.take())
    }

    fn read_long(&mut self, _schema: &'static Schema) -> Result<i64> {
        j::long(self.take())
    }

    fn read_float(&mut self, _schema: &'static Schema) -> Result<f32> {
        j::float(self.take())
    }

    fn read_double(&mut self, _schema: &'static Schema) -> Result<f64> {
        j::double(self.take())
    }

    fn read_big_number(&mut self, _schema: &'static Schema) -> Result<BigNumber> {
        j::big_number(self.take())
    }

    fn read_blob(&mut self, _schema: &'static Schema) -> Result<Vec<u8>> {
        j::blob(self.take()).map(Blob::into_inner)
    }

    fn read_string(&mut self, _schema: &'static Schema) -> Result<String> {
        j::string(self.take())
    }

    fn read_str(&mut self, _schema: &'static Schema, read: &mut dyn FnMut(&str)) -> Result<()> {
        match &self.value {
            Value::String(text) => {
                read(text);
                Ok(())
            }
            _ => j::string(self.take()).map(drop),
        }
    }

    fn read_timestamp(&mut self, schema: &'static Schema) -> Result<DateTime> {
        let format = self.settings.timestamp_format(schema);
        j::timestamp(self.take(), format)
    }

    fn read_document(&mut self, _schema: &'static Schema) -> Result<Document> {
        j::document(self.take())
    }
}

/// Where a [`JsonSerializer`] puts what it is given.
enum Sink {
    /// One value (the top level, a map entry).
    Value(Value),
    /// The items of a list.
    Array(Vec<Value>),
    /// The members of a structure, keyed by member schema.
    Object(Map<String, Value>),
}

/// A writer building a `serde_json::Value`.
pub struct JsonSerializer {
    sink: Sink,
    settings: JsonSettings,
}

impl JsonSerializer {
    fn new(sink: Sink, settings: JsonSettings) -> JsonSerializer {
        JsonSerializer { sink, settings }
    }

    fn into_value(self) -> Value {
        match self.sink {
            Sink::Value(value) => value,
            Sink::Array(items) => Value::Array(items),
            Sink::Object(object) => Value::Object(object),
        }
    }

    fn put(&mut self, schema: &'static Schema, value: Value) {
        match &mut self.sink {
            Sink::Value(slot) => *slot = value,
            Sink::Array(items) => items.push(value),
            // Members bound to headers, labels and the like are the HTTP binding's to write.
            Sink::Object(_) if schema.bound_in_request => {}
            Sink::Object(object) => {
                object.insert(self.settings.key(schema).to_string(), value);
            }
        }
    }
}

impl ShapeSerializer for JsonSerializer {
    fn write_struct(&mut self, schema: &'static Schema, value: &dyn SerializableShape) {
        let mut members = JsonSerializer::new(Sink::Object(Map::new()), self.settings);
        value.serialize_members(&mut members);
        self.put(schema, members.into_value());
    }

    fn write_list(
        &mut self,
        schema: &'static Schema,
        len: usize,
        items: &mut dyn FnMut(&mut dyn ShapeSerializer),
    ) {
        let mut list = JsonSerializer::new(Sink::Array(Vec::with_capacity(len)), self.settings);
        items(&mut list);
        self.put(schema, list.into_value());
    }

    fn write_map(
        &mut self,
        schema: &'static Schema,
        _len: usize,
        entries: &mut dyn FnMut(&mut dyn MapSerializer),
    ) {
        let mut map = JsonMapSerializer {
            object: Map::new(),
            settings: self.settings,
        };
        entries(&mut map);
        self.put(schema, Value::Object(map.object));
    }

    fn write_boolean(&mut self, schema: &'static Schema, value: bool) {
        self.put(schema, Value::Bool(value));
    }

    fn write_byte(&mut self, schema: &'static Schema, value: i8) {
        self.put(schema, Value::from(value));
    }

    fn write_short(&mut self, schema: &'static Schema, value: i16) {
        self.put(schema, Value::from(value));
    }

    fn write_integer(&mut self, schema: &'static Schema, value: i32) {
        self.put(schema, Value::from(value));
    }

    fn write_long(&mut self, schema: &'static Schema, value: i64) {
        self.put(schema, Value::from(value));
    }

    fn write_float(&mut self, schema: &'static Schema, value: f32) {
        self.put(schema, ser::double(&value));
    }

    fn write_double(&mut self, schema: &'static Schema, value: f64) {
        self.put(schema, ser::double(&value));
    }

    fn write_big_number(&mut self, schema: &'static Schema, value: &BigNumber) {
        self.put(schema, ser::big_number(value));
    }

    fn write_blob(&mut self, schema: &'static Schema, value: &[u8]) {
        use base64::Engine as _;
        let text = base64::engine::general_purpose::STANDARD.encode(value);
        self.put(schema, Value::String(text));
    }

    fn write_string(&mut self, schema: &'static Schema, value: &str) {
        self.put(schema, Value::String(value.to_string()));
    }

    fn write_timestamp(&mut self, schema: &'static Schema, value: &DateTime) {
        let format = self.settings.timestamp_format(schema);
        self.put(schema, ser::timestamp(value, format));
    }

    fn write_document(&mut self, schema: &'static Schema, value: &Document) {
        self.put(schema, value.clone());
    }

    fn write_null(&mut self, schema: &'static Schema) {
        self.put(schema, Value::Null);
    }
}

/// The entries of a JSON object being written.
struct JsonMapSerializer {
    object: Map<String, Value>,
    settings: JsonSettings,
}

impl MapSerializer for JsonMapSerializer {
    fn write_entry(&mut self, key: &str, value: &mut dyn FnMut(&mut dyn ShapeSerializer)) {
        let mut entry = JsonSerializer::new(Sink::Value(Value::Null), self.settings);
        value(&mut entry);
        self.object.insert(key.to_string(), entry.into_value());
    }
}
