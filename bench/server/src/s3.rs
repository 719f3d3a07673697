//! The S3 routes of the bench server (path-style, bucket [`BUCKET`]): PutObject reads the whole
//! upload and throws it away; GetObject of the key `object-<size>` streams `size` bytes of a
//! fixed pattern, in 64 KiB chunks from one shared buffer, so neither direction makes the server
//! hold an object in memory.

use base64::Engine as _;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt as _;
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll};

/// The bucket the bench clients address (path style: `/<bucket>/<key>`).
pub const BUCKET: &str = "bench-bucket";

/// The key whose GetObject answers `size` bytes.
pub fn object_key(size: u64) -> String {
    format!("object-{size}")
}

/// The size of the chunks GetObject bodies are sent in.
const CHUNK: usize = 64 * 1024;

/// The ETag every PutObject answers with (S3's is the MD5 of the object; a client does not
/// check it, so a constant costs the server nothing).
const ETAG: &str = "\"9b2cf535f27731c974343645a3985328\"";

/// The byte at `offset` of every object: a pattern with period 251 (prime, so chunks differ).
fn pattern_byte(offset: u64) -> u8 {
    (offset % 251) as u8
}

/// The first [`CHUNK`] bytes of the pattern; every chunk of a body is a slice of it, rotated by
/// the body's offset (CHUNK is not a multiple of 251, so each chunk starts mid-period).
fn pattern() -> &'static Bytes {
    static PATTERN: OnceLock<Bytes> = OnceLock::new();
    PATTERN.get_or_init(|| {
        // Two periods' slack so any chunk can start at any phase of the period.
        let bytes: Vec<u8> = (0..(CHUNK + 2 * 251) as u64).map(pattern_byte).collect();
        Bytes::from(bytes)
    })
}

/// The bytes of an object of `size` at `offset`, up to one chunk.
fn chunk_at(offset: u64, size: u64) -> Bytes {
    let phase = (offset % 251) as usize;
    let len = (size - offset).min(CHUNK as u64) as usize;
    pattern().slice(phase..phase + len)
}

/// The CRC32 of the object of `size` (base64, as `x-amz-checksum-crc32` carries it), computed
/// once per size and kept.
fn crc32_of(size: u64) -> String {
    static CACHE: OnceLock<Mutex<HashMap<u64, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(value) = cache.lock().expect("not poisoned").get(&size) {
        return value.clone();
    }
    let mut hasher = crc32fast::Hasher::new();
    let mut offset = 0;
    while offset < size {
        let chunk = chunk_at(offset, size);
        hasher.update(&chunk);
        offset += chunk.len() as u64;
    }
    let value = base64::engine::general_purpose::STANDARD.encode(hasher.finalize().to_be_bytes());
    cache
        .lock()
        .expect("not poisoned")
        .insert(size, value.clone());
    value
}

/// A GetObject body: `size` bytes of the pattern, one chunk per poll.
#[derive(Debug)]
pub struct ObjectBody {
    offset: u64,
    size: u64,
}

impl Body for ObjectBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.offset >= self.size {
            return Poll::Ready(None);
        }
        let chunk = chunk_at(self.offset, self.size);
        self.offset += chunk.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.offset >= self.size
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.size - self.offset)
    }
}

/// What an S3 request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum S3Route {
    /// PutObject (any key).
    Put,
    /// GetObject of `object-<size>`; `checksum` when the client asked for the object's checksum
    /// (`x-amz-checksum-mode: ENABLED`).
    Get { size: u64, checksum: bool },
    /// A GetObject of a key that is not `object-<size>`.
    NoSuchKey,
}

/// The S3 route of a request, if it addresses [`BUCKET`].
pub fn route<B>(request: &hyper::Request<B>) -> Option<S3Route> {
    let key = request
        .uri()
        .path()
        .strip_prefix('/')?
        .strip_prefix(BUCKET)?
        .strip_prefix('/')?;
    Some(match *request.method() {
        hyper::Method::PUT => S3Route::Put,
        _ => match key.strip_prefix("object-").and_then(|s| s.parse().ok()) {
            Some(size) => S3Route::Get {
                size,
                checksum: request
                    .headers()
                    .get("x-amz-checksum-mode")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"enabled")),
            },
            None => S3Route::NoSuchKey,
        },
    })
}

/// The response body type of every route of the server.
pub type AnyBody = http_body_util::combinators::UnsyncBoxBody<Bytes, std::convert::Infallible>;

/// Answers an S3 request; a PutObject's upload is read to the end first (and counted, not kept).
pub async fn respond(
    route: S3Route,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<AnyBody> {
    let empty = || http_body_util::Empty::new().boxed_unsync();
    let mut response = match route {
        S3Route::Put => {
            let mut body = request.into_body();
            let mut received = 0usize;
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(frame) => received += frame.data_ref().map_or(0, Bytes::len),
                    Err(_) => return status(400, empty()),
                }
            }
            let mut response = status(200, empty());
            response
                .headers_mut()
                .insert("etag", ETAG.parse().expect("static"));
            response
                .headers_mut()
                .insert("x-bench-received-bytes", received.into());
            response
        }
        S3Route::Get { size, checksum } => {
            let mut response = status(200, ObjectBody { offset: 0, size }.boxed_unsync());
            let headers = response.headers_mut();
            headers.insert("content-length", size.into());
            headers.insert(
                "content-type",
                "application/octet-stream".parse().expect("static"),
            );
            headers.insert("etag", ETAG.parse().expect("static"));
            if checksum {
                let crc = crc32_of(size).parse().expect("base64 is a valid header");
                headers.insert("x-amz-checksum-crc32", crc);
                headers.insert("x-amz-checksum-type", "FULL_OBJECT".parse().expect("static"));
            }
            response
        }
        S3Route::NoSuchKey => status(
            404,
            http_body_util::Full::new(Bytes::from_static(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
            ))
            .boxed_unsync(),
        ),
    };
    response.headers_mut().insert(
        "x-amz-request-id",
        "4442587FB7D0A2F9".parse().expect("static"),
    );
    response
}

fn status(code: u16, body: AnyBody) -> hyper::Response<AnyBody> {
    let mut response = hyper::Response::new(body);
    *response.status_mut() = hyper::StatusCode::from_u16(code).expect("valid status");
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_bodies_follow_the_pattern_across_chunks() {
        let size = 3 * CHUNK as u64 + 17;
        let mut offset = 0;
        while offset < size {
            let chunk = chunk_at(offset, size);
            for (i, byte) in chunk.iter().enumerate() {
                assert_eq!(*byte, pattern_byte(offset + i as u64));
            }
            offset += chunk.len() as u64;
        }
        assert_eq!(offset, size);
    }

    #[test]
    fn crc32_of_an_object_is_the_crc_of_its_bytes() {
        let size = 2 * CHUNK as u64 + 5;
        let bytes: Vec<u8> = (0..size).map(pattern_byte).collect();
        let expected = crc32fast::hash(&bytes).to_be_bytes();
        assert_eq!(
            crc32_of(size),
            base64::engine::general_purpose::STANDARD.encode(expected)
        );
    }
}
