//! The values an event-stream message carries: [`Message`], its [`Header`]s and their typed
//! [`HeaderValue`]s.

use crate::DateTime;
use bytes::Bytes;

/// A header value; the wire format has ten value types (both booleans have their own type
/// byte and no value bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Type 2: one signed byte.
    Byte(i8),
    /// Type 3: a signed 16-bit integer.
    Int16(i16),
    /// Type 4: a signed 32-bit integer.
    Int32(i32),
    /// Type 5: a signed 64-bit integer.
    Int64(i64),
    /// Type 6: up to 65 535 bytes.
    ByteArray(Bytes),
    /// Type 7: up to 65 535 bytes of UTF-8.
    String(String),
    /// Type 8: milliseconds since the Unix epoch (finer precision is dropped when encoding).
    Timestamp(DateTime),
    /// Type 9: 16 bytes.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The value as a string, if it is one (`:event-type` and the other `:`-headers are).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(value) => Some(value),
            _ => None,
        }
    }
}

/// One header: a name (1 to 255 bytes of UTF-8) and a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The name, e.g. `:event-type`.
    pub name: String,
    /// The value.
    pub value: HeaderValue,
}

impl Header {
    /// A header named `name` with `value`.
    pub fn new(name: impl Into<String>, value: HeaderValue) -> Self {
        Self {
            name: name.into(),
            value,
        }
    }
}

/// One event-stream message: headers in wire order (names may repeat) and a payload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// The headers, in the order they are (or were) on the wire.
    pub headers: Vec<Header>,
    /// The payload bytes.
    pub payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Self {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|header| header.name == name)
            .map(|header| &header.value)
    }

    /// The first header named `name` if it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(HeaderValue::as_str)
    }
}
