//! The `application/vnd.amazon.eventstream` framing that AWS event streams (e.g. Bedrock's
//! ConverseStream, Transcribe's streaming input, S3 SelectObjectContent) send over one HTTP
//! body: a sequence of self-delimiting binary messages, each with typed headers, a payload and
//! two CRC32 checksums.
//!
//! A message on the wire is
//!
//! ```text
//! total length (u32) | headers length (u32) | prelude CRC32 (u32)
//! headers (headers length bytes) | payload | message CRC32 (u32)
//! ```
//!
//! all big-endian; the prelude CRC covers the first 8 bytes, the message CRC everything before
//! it. Modules, one per concern: [`message`] (the value types), [`header`] (the header codec),
//! [`frame`] (prelude, limits and checksums), [`decoder`] (incremental decoding of a body that
//! arrives in arbitrary pieces), [`encoder`], [`signing`] (SigV4 chained event signatures
//! for input streams), [`receiver`] (the typed events of an output stream, as generated
//! operations return them), [`sender`] and [`marshall`] (the caller's events of an input stream, framed and
//! signed as the request body) and [`unmarshall`] (helpers of the generated event decoders).
//! Every malformed input is a [`FrameError`], never a panic.

pub mod decoder;
pub mod encoder;
mod error;
pub mod frame;
pub mod header;
pub mod marshall;
pub mod message;
pub mod receiver;
pub mod sender;
pub mod signing;
pub mod unmarshall;

pub use decoder::MessageDecoder;
pub use encoder::encode_message;
pub use error::FrameError;
pub use message::{Header, HeaderValue, Message};
pub use receiver::{DecodeEvent, EventReceiver, EventStreamError};
pub use sender::{EncodeEvent, EventSender};
