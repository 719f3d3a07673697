//! JSON helpers that generated (de)serializers call, so each generated line stays one call.
//!
//! Deserialization follows restJson1: unknown keys are ignored, `null` for a non-sparse member
//! means absent, timestamps default to epoch seconds, blobs are base64, and `"NaN"`,
//! `"Infinity"`, `"-Infinity"` stand for non-numeric floats. Errors carry the JSON path.

use crate::primitives::{Blob, DateTime, Document};
use crate::timestamp::{self, Format};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// A JSON object.
pub type Object = Map<String, Value>;

/// A value in a response body did not have the expected form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    path: Vec<String>,
    reason: String,
}

impl JsonError {
    /// A new error at the current position.
    pub fn new(reason: impl Into<String>) -> JsonError {
        JsonError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn at(mut self, segment: &str) -> JsonError {
        self.path.push(segment.to_string());
        self
    }

    fn at_index(self, index: usize) -> JsonError {
        self.at(&index.to_string())
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.reason);
        }
        let path: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
        write!(f, "at `{}`: {}", path.join("."), self.reason)
    }
}

impl std::error::Error for JsonError {}

/// Result of a JSON conversion.
pub type Result<T> = std::result::Result<T, JsonError>;

/// A shape that can be read from a JSON value (implemented by generated structures,
/// unions and enums).
///
/// Readers take the parsed value by value and move its strings, lists and maps into the
/// result: nothing read from a response is copied twice.
pub trait FromJson: Sized {
    /// Reads the shape.
    fn from_json(value: Value) -> Result<Self>;
}

/// A shape that can be written as a JSON value.
pub trait ToJson {
    /// Writes the shape.
    fn to_json(&self) -> Value;
}

/// Parses a response body; an empty body reads as `{}`.
pub fn parse_body(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| JsonError::new(format!("invalid JSON: {e}")))
}

/// The value as an object.
pub fn object(value: Value, shape: &str) -> Result<Object> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(JsonError::new(format!(
            "expected a JSON object for {shape}, found {}",
            kind(&other)
        ))),
    }
}

/// Takes an optional member out of an object: absent or `null` is `None`.
///
/// This and the other generic readers are instantiated once per member type of every shape,
/// so they keep their generic part small: plain `match`es instead of `map`/`map_err` (each
/// closure would be one more instantiation) and the non-generic work in separate functions.
pub fn field<T>(
    object: &mut Object,
    key: &str,
    read: impl FnOnce(Value) -> Result<T>,
) -> Result<Option<T>> {
    match take(object, key) {
        None => Ok(None),
        Some(value) => match read(value) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e.at(key)),
        },
    }
}

/// A member's value, `None` when it is absent or `null`.
fn take(object: &mut Object, key: &str) -> Option<Value> {
    match object.remove(key) {
        None | Some(Value::Null) => None,
        value => value,
    }
}

/// Applies a reader to a value (keeps generated code free of immediately-called closures).
pub fn read<T>(value: Value, read: impl FnOnce(Value) -> Result<T>) -> Result<T> {
    read(value)
}

/// Reads a generated shape.
pub fn shape<T: FromJson>(value: Value) -> Result<T> {
    T::from_json(value)
}

/// Reads a string.
pub fn string(value: Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(mismatch("a string", &other)),
    }
}

/// Reads an enum (open: unknown values are kept by the enum's `From<&str>`).
pub fn enumeration<T: for<'a> From<&'a str>>(value: Value) -> Result<T> {
    value
        .as_str()
        .map(T::from)
        .ok_or_else(|| mismatch("a string", &value))
}

/// Reads an int enum (open: unknown values are kept by the enum's `From<i32>`).
pub fn int_enumeration<T: From<i32>>(value: Value) -> Result<T> {
    int(value).map(T::from)
}

/// Reads a boolean.
pub fn boolean(value: Value) -> Result<bool> {
    value.as_bool().ok_or_else(|| mismatch("a boolean", &value))
}

fn integer<T: TryFrom<i64>>(value: &Value, what: &str) -> Result<T> {
    let n = value.as_i64().ok_or_else(|| mismatch(what, value))?;
    T::try_from(n).map_err(|_| JsonError::new(format!("{n} does not fit {what}")))
}

/// Reads an `i8`.
pub fn byte(value: Value) -> Result<i8> {
    integer(&value, "a byte")
}

/// Reads an `i16`.
pub fn short(value: Value) -> Result<i16> {
    integer(&value, "a short")
}

/// Reads an `i32`.
pub fn int(value: Value) -> Result<i32> {
    integer(&value, "an integer")
}

/// Reads an `i64`.
pub fn long(value: Value) -> Result<i64> {
    integer(&value, "a long")
}

/// Reads an `f64`, accepting the non-numeric strings `NaN`, `Infinity`, `-Infinity`.
pub fn double(value: Value) -> Result<f64> {
    match &value {
        Value::Number(n) => n.as_f64().ok_or_else(|| mismatch("a number", &value)),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(mismatch("a number", &value)),
        },
        _ => Err(mismatch("a number", &value)),
    }
}

/// Reads an `f32` (same rules as [`double`]).
pub fn float(value: Value) -> Result<f32> {
    double(value).map(|d| d as f32)
}

/// Reads an arbitrary-precision number as its text.
pub fn big_number(value: Value) -> Result<crate::primitives::BigNumber> {
    match value {
        Value::Number(n) => Ok(crate::primitives::BigNumber::new(n.to_string())),
        Value::String(s) => Ok(crate::primitives::BigNumber::new(s)),
        other => Err(mismatch("a number", &other)),
    }
}

/// Reads base64 bytes.
pub fn blob(value: Value) -> Result<Blob> {
    let text = value
        .as_str()
        .ok_or_else(|| mismatch("a base64 string", &value))?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(Blob::new)
        .map_err(|e| JsonError::new(format!("invalid base64: {e}")))
}

/// Reads a boxed value (a member closing a recursive cycle).
pub fn boxed<T>(value: Value, read: impl FnOnce(Value) -> Result<T>) -> Result<Box<T>> {
    read(value).map(Box::new)
}

/// Reads a streaming blob that a model placed in a JSON body (base64, like any blob).
pub fn byte_stream(value: Value) -> Result<crate::ByteStream> {
    blob(value).map(|b| crate::ByteStream::new(b.into_inner()))
}

/// Reads a document (any JSON).
pub fn document(value: Value) -> Result<Document> {
    Ok(value)
}

/// Reads a timestamp: numbers are epoch seconds, strings are parsed in `format`.
pub fn timestamp(value: Value, format: Format) -> Result<DateTime> {
    let parsed = match (&value, format) {
        (Value::Number(n), _) => {
            let seconds = n
                .as_f64()
                .ok_or_else(|| mismatch("epoch seconds", &value))?;
            timestamp::from_epoch_seconds(seconds)
        }
        (Value::String(s), _) => timestamp::parse(s, format),
        _ => return Err(mismatch("a timestamp", &value)),
    };
    parsed.map_err(JsonError::new)
}

/// Reads an epoch-seconds timestamp (the restJson1 body default).
pub fn epoch_seconds(value: Value) -> Result<DateTime> {
    timestamp(value, Format::EpochSeconds)
}

/// Reads an RFC 3339 timestamp.
pub fn date_time(value: Value) -> Result<DateTime> {
    timestamp(value, Format::DateTime)
}

/// Reads an HTTP-date timestamp.
pub fn http_date(value: Value) -> Result<DateTime> {
    timestamp(value, Format::HttpDate)
}

fn array(value: Value) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(mismatch("a list", &other)),
    }
}

fn entries(value: Value) -> Result<Object> {
    match value {
        Value::Object(entries) => Ok(entries),
        other => Err(mismatch("a map", &other)),
    }
}

/// Reads a dense list; `null` entries are skipped (a dense list cannot hold them).
pub fn list<T>(value: Value, read: impl Fn(Value) -> Result<T>) -> Result<Vec<T>> {
    let items = array(value)?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        if !item.is_null() {
            match read(item) {
                Ok(value) => out.push(value),
                Err(e) => return Err(e.at_index(index)),
            }
        }
    }
    Ok(out)
}

/// Reads a sparse list (`null` entries kept as `None`).
pub fn sparse_list<T>(value: Value, read: impl Fn(Value) -> Result<T>) -> Result<Vec<Option<T>>> {
    let items = array(value)?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let entry = if item.is_null() {
            None
        } else {
            match read(item) {
                Ok(value) => Some(value),
                Err(e) => return Err(e.at_index(index)),
            }
        };
        out.push(entry);
    }
    Ok(out)
}

/// Reads a JSON object into a map: `key` builds each key, `item` each value (`Ok(None)` skips
/// the entry). Keys are moved, never copied.
fn collect_map<K: Eq + Hash, T>(
    value: Value,
    key: impl Fn(String) -> K,
    item: impl Fn(Value) -> Result<Option<T>>,
) -> Result<HashMap<K, T>> {
    let entries = entries(value)?;
    let mut out = HashMap::with_capacity(entries.len());
    for (name, value) in entries {
        match item(value) {
            Ok(Some(value)) => {
                out.insert(key(name), value);
            }
            Ok(None) => {}
            Err(e) => return Err(e.at(&name)),
        }
    }
    Ok(out)
}

/// A dense map's item reader: `null` values are skipped.
fn dense<T>(read: impl Fn(Value) -> Result<T>) -> impl Fn(Value) -> Result<Option<T>> {
    move |value| match value {
        Value::Null => Ok(None),
        value => match read(value) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e),
        },
    }
}

/// A sparse map's item reader: `null` values are kept as `None`.
fn sparse<T>(read: impl Fn(Value) -> Result<T>) -> impl Fn(Value) -> Result<Option<Option<T>>> {
    move |value| match value {
        Value::Null => Ok(Some(None)),
        value => match read(value) {
            Ok(value) => Ok(Some(Some(value))),
            Err(e) => Err(e),
        },
    }
}

/// An enum map key (open: unknown values are kept by the enum's `From<&str>`).
fn enum_key<K: for<'a> From<&'a str>>(key: String) -> K {
    K::from(key.as_str())
}

/// Reads a dense map with string keys; `null` values are skipped.
pub fn map<V>(value: Value, read: impl Fn(Value) -> Result<V>) -> Result<HashMap<String, V>> {
    collect_map(value, |key| key, dense(read))
}

/// Reads a sparse map with string keys (`null` values kept as `None`).
pub fn sparse_map<V>(
    value: Value,
    read: impl Fn(Value) -> Result<V>,
) -> Result<HashMap<String, Option<V>>> {
    collect_map(value, |key| key, sparse(read))
}

/// Reads a dense map with enum keys; `null` values are skipped.
pub fn enum_map<K, V>(value: Value, read: impl Fn(Value) -> Result<V>) -> Result<HashMap<K, V>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    collect_map(value, enum_key, dense(read))
}

/// Reads a sparse map with enum keys (`null` values kept as `None`).
pub fn sparse_enum_map<K, V>(
    value: Value,
    read: impl Fn(Value) -> Result<V>,
) -> Result<HashMap<K, Option<V>>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    collect_map(value, enum_key, sparse(read))
}

/// The single set member of a union object, skipping `__type` and `null` members.
pub fn union_member(object: Object, shape: &str) -> Result<Option<(String, Value)>> {
    let mut set = object
        .into_iter()
        .filter(|(key, value)| key.as_str() != "__type" && !value.is_null());
    let first = set.next();
    if set.next().is_some() {
        return Err(JsonError::new(format!(
            "a {shape} union must have exactly one member set"
        )));
    }
    Ok(first)
}

fn mismatch(expected: &str, found: &Value) -> JsonError {
    JsonError::new(format!("expected {expected}, found {}", kind(found)))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Serialization helpers: each turns a Rust value into its restJson1 JSON form.
pub mod ser {
    use super::*;

    /// Applies a writer to a value (keeps generated code free of immediately-called closures;
    /// boxed members pass their contents).
    pub fn with<T: ?Sized>(value: &T, write: impl Fn(&T) -> Value) -> Value {
        write(value)
    }

    /// A string (from `&str` or `&String`, so it can serve as a list or map item writer).
    pub fn string<S: AsRef<str> + ?Sized>(value: &S) -> Value {
        Value::String(value.as_ref().to_string())
    }

    /// An enum (its wire string).
    pub fn enumeration<T: AsRef<str>>(value: &T) -> Value {
        Value::String(value.as_ref().to_string())
    }

    /// An int enum (its wire integer).
    pub fn int_enumeration<T: Copy + Into<i32>>(value: &T) -> Value {
        Value::from((*value).into())
    }

    /// A boolean.
    pub fn boolean(value: &bool) -> Value {
        Value::Bool(*value)
    }

    /// Any integer.
    pub fn integer<T: Copy + Into<i64>>(value: &T) -> Value {
        Value::from((*value).into())
    }

    /// A float or double; non-finite values become the strings `NaN`, `Infinity`, `-Infinity`.
    pub fn double<T: Copy + Into<f64>>(value: &T) -> Value {
        let v: f64 = (*value).into();
        if v.is_nan() {
            Value::String("NaN".into())
        } else if v.is_infinite() {
            Value::String(if v > 0.0 { "Infinity" } else { "-Infinity" }.into())
        } else {
            serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
        }
    }

    /// An arbitrary-precision number (written as a JSON number when it parses as one).
    pub fn big_number(value: &crate::primitives::BigNumber) -> Value {
        serde_json::from_str::<serde_json::Number>(value.as_str())
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(value.as_str().to_string()))
    }

    /// An arbitrary-precision number as a JSON string, its text kept exactly (RPC v2 JSON).
    pub fn big_number_text(value: &crate::primitives::BigNumber) -> Value {
        Value::String(value.as_str().to_string())
    }

    /// Base64 bytes.
    pub fn blob(value: &Blob) -> Value {
        Value::String(base64::engine::general_purpose::STANDARD.encode(value.as_bytes()))
    }

    /// A streaming blob in a JSON body (base64 of its unread bytes).
    pub fn byte_stream(value: &crate::ByteStream) -> Value {
        Value::String(base64::engine::general_purpose::STANDARD.encode(value.to_bytes()))
    }

    /// A document.
    pub fn document(value: &Document) -> Value {
        value.clone()
    }

    /// A generated shape.
    pub fn shape<T: ToJson>(value: &T) -> Value {
        value.to_json()
    }

    /// A timestamp in `format` (epoch seconds as a number, others as strings).
    pub fn timestamp(value: &DateTime, format: Format) -> Value {
        match format {
            Format::EpochSeconds => {
                let text = timestamp::epoch_seconds_text(value);
                serde_json::from_str::<serde_json::Number>(&text)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            other => Value::String(timestamp::format(value, other)),
        }
    }

    /// Epoch-seconds timestamp.
    pub fn epoch_seconds(value: &DateTime) -> Value {
        timestamp(value, Format::EpochSeconds)
    }

    /// RFC 3339 timestamp.
    pub fn date_time(value: &DateTime) -> Value {
        timestamp(value, Format::DateTime)
    }

    /// HTTP-date timestamp.
    pub fn http_date(value: &DateTime) -> Value {
        timestamp(value, Format::HttpDate)
    }

    /// A dense list.
    pub fn list<T>(items: &[T], write: impl Fn(&T) -> Value) -> Value {
        Value::Array(items.iter().map(write).collect())
    }

    /// A sparse list (`None` as `null`).
    pub fn sparse_list<T>(items: &[Option<T>], write: impl Fn(&T) -> Value) -> Value {
        Value::Array(
            items
                .iter()
                .map(|i| i.as_ref().map_or(Value::Null, &write))
                .collect(),
        )
    }

    /// A dense map.
    pub fn map<K: AsRef<str>, V>(entries: &HashMap<K, V>, write: impl Fn(&V) -> Value) -> Value {
        let mut written = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            written.push((key.as_ref(), write(value)));
        }
        sorted_object(written)
    }

    /// An object with its members in key order (a `HashMap` iterates in no fixed order, and a
    /// request body should not change from run to run). Not generic, so the sort is compiled
    /// once rather than once per map value type.
    fn sorted_object(mut entries: Vec<(&str, Value)>) -> Value {
        entries.sort_by(|a, b| a.0.cmp(b.0));
        Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
    }

    /// A sparse map (`None` as `null`).
    pub fn sparse_map<K: AsRef<str>, V>(
        entries: &HashMap<K, Option<V>>,
        write: impl Fn(&V) -> Value,
    ) -> Value {
        map(entries, |v| v.as_ref().map_or(Value::Null, &write))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RPC v2 JSON sends big numbers as strings so no digit is lost either way.
    #[test]
    fn big_numbers_keep_their_text() {
        for text in [
            "0.100000000000000000000001",
            "-9223372036854775809",
            "100000000000000000000001.0",
        ] {
            let read = big_number(Value::String(text.into())).expect("a big number");
            assert_eq!(read.as_str(), text);
            assert_eq!(ser::big_number_text(&read), Value::String(text.into()));
        }
    }
}
