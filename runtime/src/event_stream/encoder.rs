//! Encoding a [`Message`] into its wire form, checking the limits the decoder enforces.

use super::error::FrameError;
use super::frame::{MAX_HEADERS_LEN, MAX_MESSAGE_LEN, MIN_MESSAGE_LEN};
use super::header::{encode_headers, encoded_len};
use super::message::Message;
use bytes::{BufMut, Bytes};

/// The wire form of `message`: prelude, headers, payload and message CRC.
pub fn encode_message(message: &Message) -> Result<Bytes, FrameError> {
    let headers_len = encoded_len(&message.headers);
    if headers_len > MAX_HEADERS_LEN {
        return Err(FrameError::HeadersTooLarge {
            length: headers_len as u64,
        });
    }
    let total_len = MIN_MESSAGE_LEN + headers_len + message.payload.len();
    if total_len > MAX_MESSAGE_LEN {
        return Err(FrameError::MessageTooLarge {
            length: total_len as u64,
        });
    }
    let mut out = Vec::with_capacity(total_len);
    // Both lengths are below the limits checked above, so they fit in a u32.
    out.put_u32(total_len as u32);
    out.put_u32(headers_len as u32);
    out.put_u32(crc32fast::hash(&out));
    encode_headers(&message.headers, &mut out)?;
    out.put_slice(&message.payload);
    out.put_u32(crc32fast::hash(&out));
    Ok(Bytes::from(out))
}
