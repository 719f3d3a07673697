//! The header codec: each header is a name length (u8), the name, a value type byte and the
//! value (big-endian integers; byte arrays and strings are prefixed by a u16 length).

use super::error::FrameError;
use super::message::{Header, HeaderValue};
use crate::DateTime;
use bytes::{BufMut, Bytes};

const TRUE: u8 = 0;
const FALSE: u8 = 1;
const BYTE: u8 = 2;
const INT16: u8 = 3;
const INT32: u8 = 4;
const INT64: u8 = 5;
const BYTE_ARRAY: u8 = 6;
const STRING: u8 = 7;
const TIMESTAMP: u8 = 8;
const UUID: u8 = 9;

/// Appends the wire form of `headers` to `out`.
pub fn encode_headers(headers: &[Header], out: &mut Vec<u8>) -> Result<(), FrameError> {
    for header in headers {
        encode_header(header, out)?;
    }
    Ok(())
}

/// The number of bytes `headers` take on the wire (without checking them).
pub fn encoded_len(headers: &[Header]) -> usize {
    headers
        .iter()
        .map(|header| 1 + header.name.len() + 1 + value_len(&header.value))
        .sum()
}

fn value_len(value: &HeaderValue) -> usize {
    match value {
        HeaderValue::Bool(_) => 0,
        HeaderValue::Byte(_) => 1,
        HeaderValue::Int16(_) => 2,
        HeaderValue::Int32(_) => 4,
        HeaderValue::Int64(_) | HeaderValue::Timestamp(_) => 8,
        HeaderValue::ByteArray(bytes) => 2 + bytes.len(),
        HeaderValue::String(text) => 2 + text.len(),
        HeaderValue::Uuid(_) => 16,
    }
}

fn encode_header(header: &Header, out: &mut Vec<u8>) -> Result<(), FrameError> {
    let name_len = u8::try_from(header.name.len())
        .ok()
        .filter(|len| *len > 0)
        .ok_or(FrameError::InvalidHeaderName {
            length: header.name.len(),
        })?;
    out.put_u8(name_len);
    out.put_slice(header.name.as_bytes());
    match &header.value {
        HeaderValue::Bool(true) => out.put_u8(TRUE),
        HeaderValue::Bool(false) => out.put_u8(FALSE),
        HeaderValue::Byte(value) => {
            out.put_u8(BYTE);
            out.put_i8(*value);
        }
        HeaderValue::Int16(value) => {
            out.put_u8(INT16);
            out.put_i16(*value);
        }
        HeaderValue::Int32(value) => {
            out.put_u8(INT32);
            out.put_i32(*value);
        }
        HeaderValue::Int64(value) => {
            out.put_u8(INT64);
            out.put_i64(*value);
        }
        HeaderValue::ByteArray(bytes) => {
            out.put_u8(BYTE_ARRAY);
            put_sized(&header.name, bytes, out)?;
        }
        HeaderValue::String(text) => {
            out.put_u8(STRING);
            put_sized(&header.name, text.as_bytes(), out)?;
        }
        HeaderValue::Timestamp(time) => {
            out.put_u8(TIMESTAMP);
            out.put_i64(timestamp_millis(time));
        }
        HeaderValue::Uuid(bytes) => {
            out.put_u8(UUID);
            out.put_slice(bytes);
        }
    }
    Ok(())
}

/// Milliseconds since the epoch, saturating: instants beyond ±292 million years have no wire
/// form, and clamping beats failing for a value no real stream carries.
fn timestamp_millis(time: &DateTime) -> i64 {
    i64::try_from(time.as_millis()).unwrap_or(if time.secs() < 0 { i64::MIN } else { i64::MAX })
}

fn put_sized(name: &str, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), FrameError> {
    let len = u16::try_from(bytes.len()).map_err(|_| FrameError::HeaderValueTooLong {
        name: name.to_owned(),
        length: bytes.len(),
    })?;
    out.put_u16(len);
    out.put_slice(bytes);
    Ok(())
}

/// Decodes a whole headers section. Byte-array values share `bytes`' allocation.
///
/// It reads through a cursor over the slice rather than splitting the `Bytes` per field: a
/// split costs a reference-count round trip, and a message has a dozen fields, so on a stream
/// of small events that was a visible share of the decoding time.
pub fn decode_headers(bytes: Bytes) -> Result<Vec<Header>, FrameError> {
    // Three headers (`:message-type`, `:event-type`, `:content-type`) is the usual event.
    let mut headers = Vec::with_capacity(4);
    let mut cursor = Cursor {
        bytes: &bytes,
        at: 0,
    };
    while cursor.at < bytes.len() {
        headers.push(cursor.header()?);
    }
    Ok(headers)
}

/// A read position in a headers section.
struct Cursor<'a> {
    bytes: &'a Bytes,
    at: usize,
}

impl Cursor<'_> {
    fn header(&mut self) -> Result<Header, FrameError> {
        let name_len = usize::from(self.u8()?);
        let name = utf8(self.take(name_len)?)?;
        let value = match self.u8()? {
            TRUE => HeaderValue::Bool(true),
            FALSE => HeaderValue::Bool(false),
            BYTE => HeaderValue::Byte(self.u8()? as i8),
            INT16 => HeaderValue::Int16(i16::from_be_bytes(self.array()?)),
            INT32 => HeaderValue::Int32(i32::from_be_bytes(self.array()?)),
            INT64 => HeaderValue::Int64(i64::from_be_bytes(self.array()?)),
            BYTE_ARRAY => {
                let len = self.sized_len()?;
                let start = self.at;
                self.take(len)?;
                HeaderValue::ByteArray(self.bytes.slice(start..start + len))
            }
            STRING => {
                let len = self.sized_len()?;
                HeaderValue::String(utf8(self.take(len)?)?)
            }
            TIMESTAMP => {
                HeaderValue::Timestamp(DateTime::from_millis(i64::from_be_bytes(self.array()?)))
            }
            UUID => HeaderValue::Uuid(self.array()?),
            other => return Err(FrameError::UnknownHeaderType(other)),
        };
        Ok(Header { name, value })
    }

    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Result<&[u8], FrameError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(FrameError::TruncatedHeader)?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8, FrameError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FrameError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A byte array's or string's u16 length prefix.
    fn sized_len(&mut self) -> Result<usize, FrameError> {
        Ok(usize::from(u16::from_be_bytes(self.array()?)))
    }
}

fn utf8(bytes: &[u8]) -> Result<String, FrameError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| FrameError::InvalidUtf8)
}
