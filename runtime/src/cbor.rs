//! CBOR (RFC 8949), the wire format of Smithy RPC v2 CBOR: a value tree, its decoder and
//! encoder, and the helpers generated (de)serializers call, one call per generated line, with
//! the same names and shapes as [`crate::json`]'s so one codec emitter serves both formats.
//!
//! The byte level is [`minicbor`] (without its `half` feature, which would bring `zerocopy` and
//! a proc-macro build into every client; the one half-float conversion the decoder needs is
//! [`f16_to_f64`], checked against the protocol tests' half-float cases and its own tests).
//! Decoding accepts what RFC 8949 allows a peer to send: definite and indefinite lengths,
//! integers and floats of any width (a `double` member may arrive as a half float, an `i64` as
//! one byte), tags (tag 1 is an epoch timestamp), `undefined` as `null`. It never panics on
//! malformed input, never trusts a declared length for allocation, and bounds nesting at
//! [`MAX_DEPTH`]. Encoding uses definite lengths and the shortest integer form, floats as `f32`
//! when that is exact, else `f64`.
//!
//! Why minicbor rather than ciborium (README, "CBOR codec", has the figures): measured with a
//! scratch crate (not kept) that decodes and encodes a 27 KB body of 100 structures 2,000 times
//! with this module and with `ciborium::Value`, and by clean builds of a crate depending on
//! `serde_json` alone, with minicbor added, and with ciborium added.

use crate::primitives::{BigNumber, Blob, DateTime, Document};
use crate::timestamp;
use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// How deep arrays, maps and tags may nest in a decoded body.
pub const MAX_DEPTH: usize = 128;

/// The tag of an epoch-seconds timestamp (RFC 8949 §3.4.2).
const EPOCH_TAG: u64 = 1;

/// A decoded CBOR data item.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer (major types 0 and 1: -2^64 ..= 2^64 - 1).
    Integer(i128),
    /// A float of any width, widened to `f64`.
    Float(f64),
    /// A byte string (definite, or the indefinite chunks joined).
    Bytes(Vec<u8>),
    /// A text string (definite, or the indefinite chunks joined).
    Text(String),
    /// An array.
    Array(Vec<Value>),
    /// A map with text keys (the only keys Smithy writes).
    Map(Map),
    /// `true` or `false`.
    Bool(bool),
    /// `null` (and `undefined`, which means the same to a client).
    Null,
    /// A tagged item.
    Tag(u64, Box<Value>),
}

/// `null`, as `serde_json::Value`'s default is (an unreadable error body reads as this).
impl Default for Value {
    fn default() -> Value {
        Value::Null
    }
}

impl Value {
    fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// A CBOR map with text keys, in the order received.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map(Vec::new())
    }

    /// Adds an entry (the writers never repeat a key).
    pub fn insert(&mut self, key: String, value: Value) {
        self.0.push((key, value));
    }

    /// Takes out the first entry with this key.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// Whether an entry has this key.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// The value of the first entry with this key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Map {
        Map(entries.into_iter().collect())
    }
}

/// A body was not CBOR, or a value did not have the expected form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CborError {
    path: Vec<String>,
    reason: String,
}

impl CborError {
    /// A new error at the current position.
    pub fn new(reason: impl Into<String>) -> CborError {
        CborError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn at(mut self, segment: &str) -> CborError {
        self.path.push(segment.to_string());
        self
    }
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.reason);
        }
        let path: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
        write!(f, "at `{}`: {}", path.join("."), self.reason)
    }
}

impl std::error::Error for CborError {}

/// Result of a CBOR conversion.
pub type Result<T> = std::result::Result<T, CborError>;

/// A shape that can be read from a CBOR value (implemented by generated structures, unions
/// and enums of RPC v2 CBOR services).
pub trait FromCbor: Sized {
    /// Reads the shape.
    fn from_cbor(value: Value) -> Result<Self>;
}

/// A shape that can be written as a CBOR value.
pub trait ToCbor {
    /// Writes the shape.
    fn to_cbor(&self) -> Value;
}

/// Parses a response body; an empty body reads as an empty map.
pub fn parse_body(body: &[u8]) -> Result<Value> {
    if body.is_empty() {
        return Ok(Value::Map(Map::new()));
    }
    decode(body)
}

/// Decodes exactly one data item filling `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Value> {
    let mut decoder = Decoder::new(bytes);
    let value = decode_item(&mut decoder, 0)?;
    if decoder.position() != bytes.len() {
        return Err(CborError::new(format!(
            "invalid CBOR: {} bytes after the data item",
            bytes.len() - decoder.position()
        )));
    }
    Ok(value)
}

fn invalid(e: impl fmt::Display) -> CborError {
    CborError::new(format!("invalid CBOR: {e}"))
}

fn decode_item(d: &mut Decoder<'_>, depth: usize) -> Result<Value> {
    if depth > MAX_DEPTH {
        return Err(CborError::new(format!(
            "invalid CBOR: nested deeper than {MAX_DEPTH}"
        )));
    }
    let value = match d.datatype().map_err(invalid)? {
        Type::Bool => Value::Bool(d.bool().map_err(invalid)?),
        Type::Null => {
            d.null().map_err(invalid)?;
            Value::Null
        }
        Type::Undefined => {
            d.undefined().map_err(invalid)?;
            Value::Null
        }
        Type::U8
        | Type::U16
        | Type::U32
        | Type::U64
        | Type::I8
        | Type::I16
        | Type::I32
        | Type::I64
        | Type::Int => Value::Integer(i128::from(d.int().map_err(invalid)?)),
        Type::F16 => Value::Float(half_float(d)?),
        Type::F32 => Value::Float(f64::from(d.f32().map_err(invalid)?)),
        Type::F64 => Value::Float(d.f64().map_err(invalid)?),
        // Definite strings are copied once; indefinite ones are joined chunk by chunk.
        Type::Bytes => Value::Bytes(d.bytes().map_err(invalid)?.to_vec()),
        Type::String => Value::Text(d.str().map_err(invalid)?.to_owned()),
        Type::BytesIndef => {
            let mut bytes = Vec::new();
            for chunk in d.bytes_iter().map_err(invalid)? {
                bytes.extend_from_slice(chunk.map_err(invalid)?);
            }
            Value::Bytes(bytes)
        }
        Type::StringIndef => {
            let mut text = String::new();
            for chunk in d.str_iter().map_err(invalid)? {
                text.push_str(chunk.map_err(invalid)?);
            }
            Value::Text(text)
        }
        Type::Array | Type::ArrayIndef => Value::Array(decode_array(d, depth)?),
        Type::Map | Type::MapIndef => Value::Map(decode_map(d, depth)?),
        Type::Tag => {
            let tag = u64::from(d.tag().map_err(invalid)?);
            Value::Tag(tag, Box::new(decode_item(d, depth + 1)?))
        }
        other => return Err(CborError::new(format!("invalid CBOR: unexpected {other}"))),
    };
    Ok(value)
}

/// Whether an indefinite-length container ends here; consumes the break byte if so.
fn at_break(d: &mut Decoder<'_>) -> Result<bool> {
    if d.datatype().map_err(invalid)? == Type::Break {
        d.set_position(d.position() + 1);
        return Ok(true);
    }
    Ok(false)
}

/// How many items a declared length may reserve: never more than the bytes left could hold,
/// so a forged length cannot make the decoder allocate.
fn capacity(d: &Decoder<'_>, declared: u64) -> usize {
    let left = d.input().len().saturating_sub(d.position());
    usize::try_from(declared).map_or(left, |n| n.min(left))
}

fn decode_array(d: &mut Decoder<'_>, depth: usize) -> Result<Vec<Value>> {
    let mut items = Vec::new();
    match d.array().map_err(invalid)? {
        Some(len) => {
            items.reserve(capacity(d, len));
            for _ in 0..len {
                items.push(decode_item(d, depth + 1)?);
            }
        }
        None => {
            while !at_break(d)? {
                items.push(decode_item(d, depth + 1)?);
            }
        }
    }
    Ok(items)
}

fn decode_map(d: &mut Decoder<'_>, depth: usize) -> Result<Map> {
    let mut entries = Vec::new();
    let mut entry = |d: &mut Decoder<'_>| -> Result<()> {
        let key = match decode_item(d, depth + 1)? {
            Value::Text(key) => key,
            other => {
                return Err(CborError::new(format!(
                    "invalid CBOR body: a map key is {}, not a text string",
                    kind(&other)
                )))
            }
        };
        entries.push((key, decode_item(d, depth + 1)?));
        Ok(())
    };
    match d.map().map_err(invalid)? {
        Some(len) => {
            for _ in 0..len {
                entry(d)?;
            }
        }
        None => {
            while !at_break(d)? {
                entry(d)?;
            }
        }
    }
    Ok(Map(entries))
}

/// Reads a half float (major type 7, additional information 25) into an `f64`.
fn half_float(d: &mut Decoder<'_>) -> Result<f64> {
    let start = d.position();
    let bits = d
        .input()
        .get(start + 1..start + 3)
        .ok_or_else(|| CborError::new("invalid CBOR: a half float is cut short"))?;
    let bits = u16::from_be_bytes([bits[0], bits[1]]);
    d.set_position(start + 3);
    Ok(f16_to_f64(bits))
}

/// IEEE 754 binary16 to `f64`, exactly (every half float is an `f64`): subnormals, infinities
/// and NaNs included (RFC 8949 Appendix D gives the same conversion).
pub fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    let magnitude = match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + mantissa / 1024.0) * 2f64.powi(exponent - 15),
    };
    sign * magnitude
}

/// Encodes a value (definite lengths, shortest integers, `f32` where exact).
pub fn encode(value: &Value) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    encode_item(&mut encoder, value);
    encoder.into_writer()
}

fn encode_item(e: &mut Encoder<Vec<u8>>, value: &Value) {
    // Writing into a `Vec` cannot fail, so the encoder's results carry no error to handle.
    let _ = match value {
        Value::Integer(n) => match minicbor::data::Int::try_from(*n) {
            Ok(int) => e.int(int),
            Err(_) => e.null(),
        },
        Value::Float(f) => encode_float(e, *f),
        Value::Bytes(bytes) => e.bytes(bytes),
        Value::Text(text) => e.str(text),
        Value::Array(items) => {
            let _ = e.array(items.len() as u64);
            for item in items {
                encode_item(e, item);
            }
            Ok(e)
        }
        Value::Map(map) => {
            let _ = e.map(map.len() as u64);
            for (key, item) in map.iter() {
                let _ = e.str(key);
                encode_item(e, item);
            }
            Ok(e)
        }
        Value::Bool(b) => e.bool(*b),
        Value::Null => e.null(),
        Value::Tag(tag, item) => {
            let _ = e.tag(Tag::new(*tag));
            encode_item(e, item);
            Ok(e)
        }
    };
}

fn encode_float(
    e: &mut Encoder<Vec<u8>>,
    f: f64,
) -> std::result::Result<&mut Encoder<Vec<u8>>, minicbor::encode::Error<std::convert::Infallible>> {
    let narrow = f as f32;
    if f64::from(narrow) == f || f.is_nan() {
        e.f32(narrow)
    } else {
        e.f64(f)
    }
}

/// The value as a map.
pub fn object(value: Value, shape: &str) -> Result<Map> {
    match value {
        Value::Map(map) => Ok(map),
        other => Err(CborError::new(format!(
            "expected a CBOR map for {shape}, found {}",
            kind(&other)
        ))),
    }
}

/// Takes an optional member out of a map: absent or `null` is `None`.
pub fn field<T>(
    object: &mut Map,
    key: &str,
    read: impl FnOnce(Value) -> Result<T>,
) -> Result<Option<T>> {
    match object.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match read(value) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e.at(key)),
        },
    }
}

/// Applies a reader to a value (keeps generated code free of immediately-called closures).
pub fn read<T>(value: Value, read: impl FnOnce(Value) -> Result<T>) -> Result<T> {
    read(value)
}

/// Reads a generated shape.
pub fn shape<T: FromCbor>(value: Value) -> Result<T> {
    T::from_cbor(value)
}

/// Reads a text string.
pub fn string(value: Value) -> Result<String> {
    match value {
        Value::Text(text) => Ok(text),
        other => Err(mismatch("a text string", &other)),
    }
}

/// Reads an enum (open: unknown values are kept by the enum's `From<&str>`).
pub fn enumeration<T: for<'a> From<&'a str>>(value: Value) -> Result<T> {
    match &value {
        Value::Text(text) => Ok(T::from(text)),
        other => Err(mismatch("a text string", other)),
    }
}

/// Reads an int enum (open: unknown values are kept by the enum's `From<i32>`).
pub fn int_enumeration<T: From<i32>>(value: Value) -> Result<T> {
    int(value).map(T::from)
}

/// Reads a boolean.
pub fn boolean(value: Value) -> Result<bool> {
    match value {
        Value::Bool(b) => Ok(b),
        other => Err(mismatch("a boolean", &other)),
    }
}

fn integer<T: TryFrom<i128>>(value: &Value, what: &str) -> Result<T> {
    match value {
        Value::Integer(n) => {
            T::try_from(*n).map_err(|_| CborError::new(format!("{n} does not fit {what}")))
        }
        other => Err(mismatch(what, other)),
    }
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

/// Reads an `f64`: a float of any width, or an integer.
pub fn double(value: Value) -> Result<f64> {
    match value {
        Value::Float(f) => Ok(f),
        Value::Integer(n) => Ok(n as f64),
        other => Err(mismatch("a number", &other)),
    }
}

/// Reads an `f32` (same rules as [`double`]).
pub fn float(value: Value) -> Result<f32> {
    double(value).map(|d| d as f32)
}

/// Reads an arbitrary-precision number: an integer, a float, or its text.
pub fn big_number(value: Value) -> Result<BigNumber> {
    match value {
        Value::Integer(n) => Ok(BigNumber::new(n.to_string())),
        Value::Float(f) => Ok(BigNumber::new(f.to_string())),
        Value::Text(text) => Ok(BigNumber::new(text)),
        other => Err(mismatch("a number", &other)),
    }
}

/// Reads a byte string.
pub fn blob(value: Value) -> Result<Blob> {
    match value {
        Value::Bytes(bytes) => Ok(Blob::new(bytes)),
        other => Err(mismatch("a byte string", &other)),
    }
}

/// Reads a boxed value (a member closing a recursive cycle).
pub fn boxed<T>(value: Value, read: impl FnOnce(Value) -> Result<T>) -> Result<Box<T>> {
    read(value).map(Box::new)
}

/// Reads a streaming blob that a model placed in a CBOR body (a byte string, like any blob).
pub fn byte_stream(value: Value) -> Result<crate::ByteStream> {
    blob(value).map(|b| crate::ByteStream::new(b.into_inner()))
}

/// Reads a document, as the JSON value it denotes (byte strings become base64 text, tags are
/// dropped, non-finite floats become `null`).
pub fn document(value: Value) -> Result<Document> {
    Ok(to_json(value))
}

fn to_json(value: Value) -> serde_json::Value {
    use base64::Engine as _;
    use serde_json::Value as Json;
    match value {
        Value::Integer(n) => i64::try_from(n)
            .map(Json::from)
            .or_else(|_| u64::try_from(n).map(Json::from))
            .unwrap_or_else(|_| Json::from(n as f64)),
        Value::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        Value::Bytes(bytes) => {
            Json::String(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        Value::Text(text) => Json::String(text),
        Value::Array(items) => Json::Array(items.into_iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(map.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
        Value::Bool(b) => Json::Bool(b),
        Value::Null => Json::Null,
        Value::Tag(_, item) => to_json(*item),
    }
}

/// Reads a timestamp: tag 1 around epoch seconds (an integer or a float); an untagged number
/// is accepted as the same.
pub fn timestamp(value: Value) -> Result<DateTime> {
    let seconds = match value {
        Value::Tag(EPOCH_TAG, item) => *item,
        Value::Tag(tag, _) => {
            return Err(CborError::new(format!(
                "expected an epoch timestamp (tag 1), found tag {tag}"
            )))
        }
        other => other,
    };
    let seconds = match seconds {
        Value::Integer(n) => n as f64,
        Value::Float(f) => f,
        other => return Err(mismatch("epoch seconds", &other)),
    };
    timestamp::from_epoch_seconds(seconds).map_err(CborError::new)
}

fn array(value: Value) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(mismatch("an array", &other)),
    }
}

/// Reads a dense list; `null` entries are skipped (a dense list cannot hold them).
pub fn list<T>(value: Value, read: impl Fn(Value) -> Result<T>) -> Result<Vec<T>> {
    let items = array(value)?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        if !item.is_null() {
            out.push(read(item).map_err(|e| e.at(&index.to_string()))?);
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
            Some(read(item).map_err(|e| e.at(&index.to_string()))?)
        };
        out.push(entry);
    }
    Ok(out)
}

/// Reads a CBOR map into a map: `key` builds each key, `item` each value (`Ok(None)` skips the
/// entry). Keys are moved, never copied.
fn collect_map<K: Eq + Hash, T>(
    value: Value,
    key: impl Fn(String) -> K,
    item: impl Fn(Value) -> Result<Option<T>>,
) -> Result<HashMap<K, T>> {
    let entries = match value {
        Value::Map(entries) => entries,
        other => return Err(mismatch("a map", &other)),
    };
    let mut out = HashMap::with_capacity(entries.len());
    for (name, value) in entries {
        if let Some(value) = item(value).map_err(|e| e.at(&name))? {
            out.insert(key(name), value);
        }
    }
    Ok(out)
}

fn dense<T>(read: impl Fn(Value) -> Result<T>) -> impl Fn(Value) -> Result<Option<T>> {
    move |value| match value {
        Value::Null => Ok(None),
        value => read(value).map(Some),
    }
}

fn sparse<T>(read: impl Fn(Value) -> Result<T>) -> impl Fn(Value) -> Result<Option<Option<T>>> {
    move |value| match value {
        Value::Null => Ok(Some(None)),
        value => read(value).map(|v| Some(Some(v))),
    }
}

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

/// The single set member of a union map, skipping `__type` and `null` members.
pub fn union_member(object: Map, shape: &str) -> Result<Option<(String, Value)>> {
    let mut set = object
        .into_iter()
        .filter(|(key, value)| key.as_str() != "__type" && !value.is_null());
    let first = set.next();
    if set.next().is_some() {
        return Err(CborError::new(format!(
            "a {shape} union must have exactly one member set"
        )));
    }
    Ok(first)
}

fn mismatch(expected: &str, found: &Value) -> CborError {
    CborError::new(format!("expected {expected}, found {}", kind(found)))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Bytes(_) => "a byte string",
        Value::Text(_) => "a text string",
        Value::Array(_) => "an array",
        Value::Map(_) => "a map",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Tag(..) => "a tagged item",
    }
}

/// Serialization helpers: each turns a Rust value into its CBOR form.
pub mod ser {
    use super::*;

    /// Applies a writer to a value (keeps generated code free of immediately-called closures;
    /// boxed members pass their contents).
    pub fn with<T: ?Sized>(value: &T, write: impl Fn(&T) -> Value) -> Value {
        write(value)
    }

    /// A text string (from `&str` or `&String`, so it can serve as a list or map item writer).
    pub fn string<S: AsRef<str> + ?Sized>(value: &S) -> Value {
        Value::Text(value.as_ref().to_string())
    }

    /// An enum (its wire string).
    pub fn enumeration<T: AsRef<str>>(value: &T) -> Value {
        Value::Text(value.as_ref().to_string())
    }

    /// An int enum (its wire integer).
    pub fn int_enumeration<T: Copy + Into<i32>>(value: &T) -> Value {
        Value::Integer(i128::from((*value).into()))
    }

    /// A boolean.
    pub fn boolean(value: &bool) -> Value {
        Value::Bool(*value)
    }

    /// Any integer.
    pub fn integer<T: Copy + Into<i64>>(value: &T) -> Value {
        Value::Integer(i128::from((*value).into()))
    }

    /// A float or double (NaN and the infinities are ordinary CBOR floats).
    pub fn double<T: Copy + Into<f64>>(value: &T) -> Value {
        Value::Float((*value).into())
    }

    /// An arbitrary-precision number: an integer or a float when its text is one, else text.
    pub fn big_number(value: &BigNumber) -> Value {
        let text = value.as_str();
        if let Ok(n) = text.parse::<i128>() {
            return Value::Integer(n);
        }
        text.parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::Text(text.to_string()))
    }

    /// A byte string.
    pub fn blob(value: &Blob) -> Value {
        Value::Bytes(value.as_bytes().to_vec())
    }

    /// A streaming blob in a CBOR body (a byte string of its unread bytes).
    pub fn byte_stream(value: &crate::ByteStream) -> Value {
        Value::Bytes(value.to_bytes().to_vec())
    }

    /// A document (the JSON value it holds, in CBOR's types).
    pub fn document(value: &Document) -> Value {
        from_json(value)
    }

    fn from_json(value: &serde_json::Value) -> Value {
        use serde_json::Value as Json;
        match value {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => n
                .as_i64()
                .map(|i| Value::Integer(i128::from(i)))
                .or_else(|| n.as_u64().map(|u| Value::Integer(i128::from(u))))
                .unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN))),
            Json::String(text) => Value::Text(text.clone()),
            Json::Array(items) => Value::Array(items.iter().map(from_json).collect()),
            Json::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), from_json(v)))
                    .collect(),
            ),
        }
    }

    /// A generated shape.
    pub fn shape<T: ToCbor>(value: &T) -> Value {
        value.to_cbor()
    }

    /// A timestamp: tag 1 around epoch seconds, an integer when whole, else a float.
    pub fn timestamp(value: &DateTime) -> Value {
        let text = timestamp::epoch_seconds_text(value);
        let seconds = match text.parse::<i64>() {
            Ok(whole) => Value::Integer(i128::from(whole)),
            Err(_) => Value::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
        };
        Value::Tag(EPOCH_TAG, Box::new(seconds))
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

    /// A dense map (keys sorted, so a request's bytes do not depend on hashing).
    pub fn map<K: AsRef<str>, V>(entries: &HashMap<K, V>, write: impl Fn(&V) -> Value) -> Value {
        let mut keys: Vec<(&str, &V)> = entries.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        Value::Map(
            keys.into_iter()
                .map(|(k, v)| (k.to_string(), write(v)))
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

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// RFC 8949 Appendix A examples (diagnostic notation in the comments).
    #[test]
    fn decodes_the_rfc_examples() {
        let cases: [(&str, Value); 14] = [
            ("00", Value::Integer(0)),
            ("1bffffffffffffffff", Value::Integer(18446744073709551615)),
            ("3bffffffffffffffff", Value::Integer(-18446744073709551616)),
            ("f90000", Value::Float(0.0)),
            ("f93c00", Value::Float(1.0)),
            ("f97bff", Value::Float(65504.0)),
            ("f90001", Value::Float(5.960464477539063e-8)),
            ("f9c400", Value::Float(-4.0)),
            ("fa47c35000", Value::Float(100000.0)),
            ("fb3ff199999999999a", Value::Float(1.1)),
            ("f7", Value::Null),
            (
                "c11a514b67b0",
                Value::Tag(1, Box::new(Value::Integer(1363896240))),
            ),
            ("5f42010243030405ff", Value::Bytes(vec![1, 2, 3, 4, 5])),
            (
                "7f657374726561646d696e67ff",
                Value::Text("streaming".into()),
            ),
        ];
        for (bytes, expected) in cases {
            assert_eq!(decode(&hex(bytes)), Ok(expected), "{bytes}");
        }
        assert_eq!(decode(&hex("f97c00")), Ok(Value::Float(f64::INFINITY)));
        assert_eq!(decode(&hex("f9fc00")), Ok(Value::Float(f64::NEG_INFINITY)));
        assert!(matches!(decode(&hex("f97e00")), Ok(Value::Float(f)) if f.is_nan()));
    }

    #[test]
    fn decodes_indefinite_containers() {
        // [_ 1, [2, 3], [_ 4, 5]] and {_ "a": 1, "b": [_ 2, 3]}
        let array = decode(&hex("9f018202039f0405ffff")).expect("decodes");
        let expected = Value::Array(vec![
            Value::Integer(1),
            Value::Array(vec![Value::Integer(2), Value::Integer(3)]),
            Value::Array(vec![Value::Integer(4), Value::Integer(5)]),
        ]);
        assert_eq!(array, expected);
        let map = decode(&hex("bf61610161629f0203ffff")).expect("decodes");
        let Value::Map(map) = map else {
            panic!("not a map: {map:?}")
        };
        assert_eq!(map.get("a"), Some(&Value::Integer(1)));
        assert_eq!(
            map.get("b"),
            Some(&Value::Array(vec![Value::Integer(2), Value::Integer(3)]))
        );
    }

    #[test]
    fn malformed_input_is_an_error_never_a_panic() {
        for bytes in [
            "",                   // nothing
            "18",                 // a one-byte integer cut short
            "9b7fffffffffffffff", // an array claiming 2^63 items
            "62ff",               // a 2-byte string with one byte
            "a10102",             // a map keyed by an integer
            "ff",                 // a stray break
            "9f01",               // an indefinite array never closed
            "63c328a1",           // invalid UTF-8
            "f9",                 // a half float without its bytes
            "0000",               // a second item after the first
        ] {
            assert!(decode(&hex(bytes)).is_err(), "{bytes} decoded");
        }
        let deep = "81".repeat(MAX_DEPTH + 2) + "00";
        let error = decode(&hex(&deep)).expect_err("too deep");
        assert!(error.to_string().contains("nested deeper"), "{error}");
    }

    #[test]
    fn half_floats_convert_exactly() {
        assert_eq!(f16_to_f64(0x0001), 2f64.powi(-24));
        assert_eq!(f16_to_f64(0x03ff), 1023.0 * 2f64.powi(-24));
        assert_eq!(f16_to_f64(0x0400), 2f64.powi(-14));
        assert_eq!(f16_to_f64(0x3555), 0.333251953125);
        assert_eq!(f16_to_f64(0xc000), -2.0);
        assert!(f16_to_f64(0x7c01).is_nan());
        assert!(f16_to_f64(0x8000).is_sign_negative());
    }

    #[test]
    fn encodes_and_decodes_back() {
        let value = Value::Map(
            [
                ("n".to_string(), Value::Integer(-1_000_000_000_000)),
                ("f".to_string(), Value::Float(1.5)),
                ("d".to_string(), Value::Float(1.1)),
                ("b".to_string(), Value::Bytes(vec![0, 255])),
                (
                    "t".to_string(),
                    ser::timestamp(&DateTime::from_secs(1_576_540_098)),
                ),
                (
                    "l".to_string(),
                    Value::Array(vec![Value::Null, Value::Bool(true)]),
                ),
            ]
            .into_iter()
            .collect(),
        );
        let bytes = encode(&value);
        assert_eq!(decode(&bytes), Ok(value));
        // 1.5 is exact as an f32: 5 bytes (fa + 4), not 9.
        assert_eq!(encode(&Value::Float(1.5)), hex("fa3fc00000"));
        assert_eq!(encode(&Value::Integer(500)), hex("1901f4"));
    }
}
