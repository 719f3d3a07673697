//! `ByteStream`: the body of a `@streaming` blob, read chunk by chunk.
//!
//! A caller reads a streaming response body incrementally with [`ByteStream::next`] (or all at
//! once with [`ByteStream::collect`]) and sends a streaming request body built from bytes or
//! from chunks. Today the transport reads the whole response before handing it over, so the
//! chunks are already in memory; the API is the incremental one so that a streaming transport
//! can replace it without changing generated code or callers.

use bytes::{Bytes, BytesMut};
use std::collections::VecDeque;
use std::fmt;

/// A stream of byte chunks (a Smithy `@streaming` blob).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ByteStream {
    chunks: VecDeque<Bytes>,
}

impl ByteStream {
    /// A stream yielding `bytes` as one chunk.
    pub fn new(bytes: impl Into<Bytes>) -> ByteStream {
        ByteStream::from_chunks([bytes.into()])
    }

    /// A stream yielding each of `chunks` in turn (empty chunks are skipped).
    pub fn from_chunks(chunks: impl IntoIterator<Item = Bytes>) -> ByteStream {
        ByteStream {
            chunks: chunks.into_iter().filter(|c| !c.is_empty()).collect(),
        }
    }

    /// The next chunk, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        self.chunks.pop_front().map(Ok)
    }

    /// Reads the rest of the stream into one buffer.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        let mut out = BytesMut::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.freeze())
    }

    /// The bytes not read yet, without waiting (used to send an in-memory request body).
    pub fn to_bytes(&self) -> Bytes {
        match self.chunks.len() {
            0 => Bytes::new(),
            1 => self.chunks[0].clone(),
            _ => self
                .chunks
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<u8>>()
                .into(),
        }
    }

    /// Number of bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.chunks.iter().map(Bytes::len).sum()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteStream({} bytes unread)", self.remaining())
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> ByteStream {
        ByteStream::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> ByteStream {
        ByteStream::new(bytes)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> ByteStream {
        ByteStream::new(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> ByteStream {
        ByteStream::new(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> ByteStream {
        ByteStream::new(text)
    }
}

/// Reading a byte stream failed.
#[derive(Debug)]
pub struct ByteStreamError {
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl ByteStreamError {
    /// Wraps the cause.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ByteStreamError {
        ByteStreamError {
            source: source.into(),
        }
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to read the byte stream: {}", self.source)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_chunk_by_chunk_then_ends() {
        let mut stream =
            ByteStream::from_chunks([Bytes::from("ab"), Bytes::new(), Bytes::from("c")]);
        assert_eq!(stream.remaining(), 3);
        assert_eq!(stream.to_bytes(), Bytes::from("abc"));
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from("ab"));
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from("c"));
        assert!(stream.next().await.is_none());
        let all = ByteStream::from("hello").collect().await.unwrap();
        assert_eq!(all, Bytes::from("hello"));
    }
}
