//! [`MessageDecoder`]: turns a body that arrives in pieces of any size (a message split over
//! many reads, several messages in one) into whole [`Message`]s.

use super::error::FrameError;
use super::frame::{self, Prelude, PRELUDE_LEN};
use super::header::decode_headers;
use super::message::Message;
use bytes::{Buf, Bytes, BytesMut};

/// Incremental event-stream decoder: [`push`](Self::push) bytes as they arrive, take messages
/// with [`next_message`](Self::next_message), and call [`finish`](Self::finish) at the end of
/// the body to learn whether it stopped inside a message.
///
/// Memory is bounded by the 16 MiB message limit: an oversized or corrupted prelude is
/// rejected as soon as its 12 bytes are in, before its payload is waited for.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// The current message's prelude once it has been read and checked.
    prelude: Option<Prelude>,
    /// The first error; every later call reports it again (the stream cannot be resynchronised).
    failed: Option<FrameError>,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends bytes received from the body.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// The next whole message, `Ok(None)` if more bytes are needed first.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        self.decode_next().inspect_err(|error| {
            self.failed = Some(error.clone());
            self.buffer = BytesMut::new();
        })
    }

    /// Bytes received but not yet returned as a message.
    pub fn buffered_len(&self) -> usize {
        self.buffer.len()
    }

    /// Call when the body has ended and [`next_message`](Self::next_message) returned
    /// `Ok(None)`: an error if the body stopped inside a message (or an earlier error).
    pub fn finish(&self) -> Result<(), FrameError> {
        match (&self.failed, self.buffer.len()) {
            (Some(error), _) => Err(error.clone()),
            (None, 0) => Ok(()),
            (None, buffered) => Err(FrameError::Truncated { buffered }),
        }
    }

    fn decode_next(&mut self) -> Result<Option<Message>, FrameError> {
        let prelude = match self.prelude {
            Some(prelude) => prelude,
            None => {
                let Some(bytes) = self.buffer.first_chunk::<PRELUDE_LEN>() else {
                    return Ok(None);
                };
                let prelude = frame::read_prelude(bytes)?;
                self.prelude = Some(prelude);
                prelude
            }
        };
        if self.buffer.len() < prelude.total_len {
            // Reserving the rest at once avoids repeated regrowth for a large payload; the
            // prelude has been checked against the 16 MiB limit.
            self.buffer.reserve(prelude.total_len - self.buffer.len());
            return Ok(None);
        }
        self.prelude = None;
        let bytes = self.buffer.split_to(prelude.total_len).freeze();
        parse_message(bytes, prelude).map(Some)
    }
}

/// Decodes one whole message whose prelude is already checked.
fn parse_message(bytes: Bytes, prelude: Prelude) -> Result<Message, FrameError> {
    frame::check_message_crc(&bytes)?;
    let mut body = bytes.slice(PRELUDE_LEN..bytes.len() - frame::CRC_LEN);
    let headers = decode_headers(body.split_to(prelude.headers_len))?;
    debug_assert_eq!(body.remaining(), prelude.payload_len());
    Ok(Message {
        headers,
        payload: body,
    })
}

/// Decodes exactly one message that fills all of `bytes`.
pub fn decode_message(bytes: &[u8]) -> Result<Message, FrameError> {
    let mut decoder = MessageDecoder::new();
    decoder.push(bytes);
    match decoder.next_message()? {
        Some(message) if decoder.buffered_len() == 0 => Ok(message),
        Some(_) => Err(FrameError::InvalidLength {
            total: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            headers: 0,
        }),
        None => Err(FrameError::Truncated {
            buffered: bytes.len(),
        }),
    }
}
