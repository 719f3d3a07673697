//! [`FrameError`]: why bytes are not a valid event-stream message, or a message cannot be
//! encoded.

use std::fmt;

/// A malformed or unencodable event-stream message. Decoding errors end the stream: after one,
/// the decoder reports it again rather than guessing where the next message starts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's CRC32 does not match its first 8 bytes.
    PreludeCrcMismatch {
        /// The CRC the prelude carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The message's CRC32 does not match its bytes.
    MessageCrcMismatch {
        /// The CRC the message carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The total length is above the 16 MiB limit.
    MessageTooLarge {
        /// The length announced or needed.
        length: u64,
    },
    /// The headers are longer than the 128 KiB limit.
    HeadersTooLarge {
        /// The length announced or needed.
        length: u64,
    },
    /// The total length is too small for a prelude, the headers it announces and a CRC.
    InvalidLength {
        /// The announced total length.
        total: u32,
        /// The announced headers length.
        headers: u32,
    },
    /// The headers section ended in the middle of a header.
    TruncatedHeader,
    /// A header has a value type byte outside 0..=9.
    UnknownHeaderType(u8),
    /// A header name, or a string value, is not UTF-8.
    InvalidUtf8,
    /// A header name is empty or longer than 255 bytes (encoding).
    InvalidHeaderName {
        /// The name's length in bytes.
        length: usize,
    },
    /// A byte-array or string header value is longer than 65 535 bytes (encoding).
    HeaderValueTooLong {
        /// The header's name.
        name: String,
        /// The value's length in bytes.
        length: usize,
    },
    /// The stream ended inside a message.
    Truncated {
        /// How many bytes of the unfinished message had arrived.
        buffered: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PreludeCrcMismatch { expected, computed } => write!(
                f,
                "event stream prelude CRC mismatch: the message says {expected:#010x}, its bytes give {computed:#010x}"
            ),
            Self::MessageCrcMismatch { expected, computed } => write!(
                f,
                "event stream message CRC mismatch: the message says {expected:#010x}, its bytes give {computed:#010x}"
            ),
            Self::MessageTooLarge { length } => write!(
                f,
                "event stream message of {length} bytes is above the 16 MiB limit"
            ),
            Self::HeadersTooLarge { length } => write!(
                f,
                "event stream headers of {length} bytes are above the 128 KiB limit"
            ),
            Self::InvalidLength { total, headers } => write!(
                f,
                "event stream message length {total} cannot hold a prelude, {headers} bytes of headers and a CRC"
            ),
            Self::TruncatedHeader => f.write_str("event stream header ends before its value does"),
            Self::UnknownHeaderType(kind) => {
                write!(f, "event stream header has unknown value type {kind}")
            }
            Self::InvalidUtf8 => f.write_str("event stream header name or string is not UTF-8"),
            Self::InvalidHeaderName { length } => write!(
                f,
                "event stream header name of {length} bytes: names are 1 to 255 bytes"
            ),
            Self::HeaderValueTooLong { name, length } => write!(
                f,
                "event stream header `{name}` has a {length}-byte value: at most 65535 bytes"
            ),
            Self::Truncated { buffered } => write!(
                f,
                "event stream ended inside a message ({buffered} bytes of it received)"
            ),
        }
    }
}

impl std::error::Error for FrameError {}
