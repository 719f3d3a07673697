//! The header codec: each header is a name length (u8), the name, a value type byte and the
//! value (big-endian integers; byte arrays and strings are prefixed by a u16 length).

use super::error::FrameError;
use super::message::{Header, HeaderValue};
use crate::DateTime;
use bytes::{Buf, BufMut, Bytes};

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
pub fn decode_headers(mut bytes: Bytes) -> Result<Vec<Header>, FrameError> {
    let mut headers = Vec::new();
    while bytes.has_remaining() {
        headers.push(decode_header(&mut bytes)?);
    }
    Ok(headers)
}

fn decode_header(bytes: &mut Bytes) -> Result<Header, FrameError> {
    let name_len = usize::from(take_u8(bytes)?);
    let name = utf8(take(bytes, name_len)?)?;
    let value = match take_u8(bytes)? {
        TRUE => HeaderValue::Bool(true),
        FALSE => HeaderValue::Bool(false),
        BYTE => HeaderValue::Byte(take_u8(bytes)? as i8),
        INT16 => HeaderValue::Int16(i16::from_be_bytes(take_array(bytes)?)),
        INT32 => HeaderValue::Int32(i32::from_be_bytes(take_array(bytes)?)),
        INT64 => HeaderValue::Int64(i64::from_be_bytes(take_array(bytes)?)),
        BYTE_ARRAY => HeaderValue::ByteArray(take_sized(bytes)?),
        STRING => HeaderValue::String(utf8(take_sized(bytes)?)?),
        TIMESTAMP => HeaderValue::Timestamp(DateTime::from_millis(i64::from_be_bytes(take_array(
            bytes,
        )?))),
        UUID => HeaderValue::Uuid(take_array(bytes)?),
        other => return Err(FrameError::UnknownHeaderType(other)),
    };
    Ok(Header { name, value })
}

fn take(bytes: &mut Bytes, len: usize) -> Result<Bytes, FrameError> {
    if bytes.remaining() < len {
        return Err(FrameError::TruncatedHeader);
    }
    Ok(bytes.split_to(len))
}

fn take_u8(bytes: &mut Bytes) -> Result<u8, FrameError> {
    Ok(take_array::<1>(bytes)?[0])
}

fn take_array<const N: usize>(bytes: &mut Bytes) -> Result<[u8; N], FrameError> {
    let mut out = [0; N];
    out.copy_from_slice(&take(bytes, N)?);
    Ok(out)
}

fn take_sized(bytes: &mut Bytes) -> Result<Bytes, FrameError> {
    let len = usize::from(u16::from_be_bytes(take_array(bytes)?));
    take(bytes, len)
}

fn utf8(bytes: Bytes) -> Result<String, FrameError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| FrameError::InvalidUtf8)
}
