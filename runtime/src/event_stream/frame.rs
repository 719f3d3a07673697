//! The frame around headers and payload: the 12-byte prelude (total length, headers length,
//! prelude CRC32), the limits, and the trailing message CRC32.

use super::error::FrameError;

/// Total length, headers length and prelude CRC: 3 × 4 bytes.
pub const PRELUDE_LEN: usize = 12;
/// The trailing message CRC.
pub const CRC_LEN: usize = 4;
/// The smallest message: a prelude and a CRC, with no headers and no payload.
pub const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + CRC_LEN;
/// The largest message AWS sends or accepts: 16 MiB in all.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The largest headers section: 128 KiB.
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

/// A checked prelude: the lengths it announces fit together and within the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prelude {
    /// The whole message's length, prelude and CRC included.
    pub total_len: usize,
    /// The headers section's length.
    pub headers_len: usize,
}

impl Prelude {
    /// The payload's length.
    pub fn payload_len(&self) -> usize {
        self.total_len - MIN_MESSAGE_LEN - self.headers_len
    }
}

/// Reads and checks the prelude at the start of `bytes` (at least [`PRELUDE_LEN`] long).
/// Checking the CRC before the lengths means a corrupted length is reported as corruption,
/// and no oversized buffer is ever waited for.
pub fn read_prelude(bytes: &[u8; PRELUDE_LEN]) -> Result<Prelude, FrameError> {
    let total = be_u32(&bytes[0..4]);
    let headers = be_u32(&bytes[4..8]);
    let expected = be_u32(&bytes[8..12]);
    let computed = crc32fast::hash(&bytes[..8]);
    if expected != computed {
        return Err(FrameError::PreludeCrcMismatch { expected, computed });
    }
    let total_len = total as usize;
    let headers_len = headers as usize;
    if total_len > MAX_MESSAGE_LEN {
        return Err(FrameError::MessageTooLarge {
            length: u64::from(total),
        });
    }
    if headers_len > MAX_HEADERS_LEN {
        return Err(FrameError::HeadersTooLarge {
            length: u64::from(headers),
        });
    }
    if total_len < MIN_MESSAGE_LEN + headers_len {
        return Err(FrameError::InvalidLength { total, headers });
    }
    Ok(Prelude {
        total_len,
        headers_len,
    })
}

/// Checks the message CRC of a whole message (`message.len()` is its total length, at least
/// [`MIN_MESSAGE_LEN`]).
pub fn check_message_crc(message: &[u8]) -> Result<(), FrameError> {
    let Some(body_len) = message.len().checked_sub(CRC_LEN) else {
        return Err(FrameError::Truncated {
            buffered: message.len(),
        });
    };
    let (body, crc) = message.split_at(body_len);
    let expected = be_u32(crc);
    let computed = crc32fast::hash(body);
    if expected == computed {
        Ok(())
    } else {
        Err(FrameError::MessageCrcMismatch { expected, computed })
    }
}

fn be_u32(bytes: &[u8]) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(bytes);
    u32::from_be_bytes(word)
}
