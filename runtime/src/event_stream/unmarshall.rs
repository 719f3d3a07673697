//! Helpers generated event decoders call: `@eventHeader` members from typed headers and
//! `@eventPayload` strings from the payload.

use super::message::{HeaderValue, Message};
use crate::{Blob, DateTime};

/// A Rust value an event header can hold.
pub trait FromHeader: Sized {
    /// The value, or why the header's type does not fit.
    fn from_header(value: &HeaderValue) -> Result<Self, &'static str>;
}

macro_rules! from_header {
    ($($ty:ty => $variant:ident / $what:literal),* $(,)?) => {$(
        impl FromHeader for $ty {
            fn from_header(value: &HeaderValue) -> Result<Self, &'static str> {
                match value {
                    HeaderValue::$variant(v) => Ok(v.clone()),
                    _ => Err($what),
                }
            }
        }
    )*};
}

from_header! {
    bool => Bool / "a boolean",
    i8 => Byte / "a byte",
    i16 => Int16 / "a short",
    i32 => Int32 / "an integer",
    i64 => Int64 / "a long",
    String => String / "a string",
    DateTime => Timestamp / "a timestamp",
}

impl FromHeader for Blob {
    fn from_header(value: &HeaderValue) -> Result<Self, &'static str> {
        match value {
            HeaderValue::ByteArray(bytes) => Ok(Blob::new(bytes.to_vec())),
            _ => Err("a byte array"),
        }
    }
}

/// The header `name` of `message` as a `T`; `Ok(None)` when absent, `Err` when it holds
/// another type.
pub fn header<T: FromHeader>(message: &Message, name: &str) -> Result<Option<T>, String> {
    message
        .header(name)
        .map(|value| {
            T::from_header(value)
                .map_err(|expected| format!("event header `{name}` is not {expected}"))
        })
        .transpose()
}

/// The payload as UTF-8 text (an `@eventPayload` string member).
pub fn payload_string(message: &Message) -> Result<String, String> {
    String::from_utf8(message.payload.to_vec()).map_err(|_| "event payload is not UTF-8".to_owned())
}

/// The payload as a blob (an `@eventPayload` blob member).
pub fn payload_blob(message: &Message) -> Blob {
    Blob::new(message.payload.to_vec())
}
