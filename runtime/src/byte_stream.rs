//! `ByteStream`: the body of a `@streaming` blob, read chunk by chunk, in bounded memory.
//!
//! A `ByteStream` is one of three kinds of source, which decide what it costs and whether a
//! retry can send it again:
//!
//! | made with | memory | replayable (retried) |
//! |---|---|---|
//! | [`ByteStream::new`], [`from_chunks`](ByteStream::from_chunks), `From<Bytes>`, `Vec<u8>`, `String`, ... | the bytes | yes |
//! | [`from_path`](ByteStream::from_path), [`from_path_range`](ByteStream::from_path_range), [`from_file`](ByteStream::from_file) | one chunk at a time | yes: the file is read again from the start |
//! | [`from_reader`](ByteStream::from_reader), [`from_stream`](ByteStream::from_stream), a response body | one chunk at a time | no: read once |
//!
//! Every request body has a known length, sent as `Content-Length` (never chunked transfer
//! encoding: S3 and most AWS services need the length up front). A source that yields fewer or
//! more bytes than it declared fails the request instead of sending a truncated or overlong body.
//!
//! A response `ByteStream` (the output of an operation whose payload is a `@streaming` blob)
//! pulls each chunk from the connection when [`next`](ByteStream::next) is called, so a
//! download of any size needs only a chunk's worth of memory; a connection that fails mid-body
//! surfaces as a [`ByteStreamError`] from `next`. Read it with [`next`](ByteStream::next), as a
//! [`futures_core::Stream`], as a tokio [`AsyncRead`] ([`into_async_read`](ByteStream::into_async_read)),
//! or whole with [`collect`](ByteStream::collect).
//!
//! Cloning a replayable stream copies it (a clone of a file stream reads the file from the
//! start). Cloning a one-shot stream shares its source: whichever clone reads first gets the
//! bytes, and the others report that the stream was already read. That is what lets generated
//! input and output structures stay `Clone` without buffering bodies.

use crate::body::{Body, BoxError};
use crate::http::HttpResponse;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::{ReaderStream, StreamReader};

/// The size of the chunks read from files and readers: large enough that per-chunk costs
/// (a blocking-pool hop per file read, a frame per chunk) vanish next to the copying, small
/// enough that memory stays bounded.
pub const CHUNK_SIZE: usize = 64 * 1024;

/// A stream of byte chunks (a Smithy `@streaming` blob); see the [module docs](self).
pub struct ByteStream {
    source: Source,
    /// The body being read by `next` (file and one-shot sources, after the first read).
    reading: Option<Body>,
}

#[derive(Clone)]
enum Source {
    /// In memory; `next` pops chunks.
    Chunks(VecDeque<Bytes>),
    /// A region of a file, opened afresh for each read or send.
    File(FileSource),
    /// Read once; clones share the slot.
    Once(OnceSource),
}

#[derive(Clone)]
struct FileSource {
    origin: FileOrigin,
    offset: u64,
    length: u64,
}

#[derive(Clone)]
enum FileOrigin {
    Path(Arc<Path>),
    /// A handle given by the caller; each read duplicates it and seeks to the start offset
    /// (duplicates share the file position, which is fine since attempts never overlap).
    Handle(Arc<std::fs::File>),
}

#[derive(Clone)]
struct OnceSource {
    slot: Arc<Mutex<Option<Body>>>,
    length: Option<u64>,
}

impl ByteStream {
    /// A stream yielding `bytes` as one chunk.
    pub fn new(bytes: impl Into<Bytes>) -> ByteStream {
        ByteStream::from_chunks([bytes.into()])
    }

    /// A stream yielding each of `chunks` in turn (empty chunks are skipped).
    pub fn from_chunks(chunks: impl IntoIterator<Item = Bytes>) -> ByteStream {
        ByteStream::from_source(Source::Chunks(
            chunks.into_iter().filter(|c| !c.is_empty()).collect(),
        ))
    }

    /// The contents of the file at `path`, its length taken from its metadata now. The file
    /// is opened when the stream is read or sent, and again for each retry, so it must not
    /// change meanwhile (a changed length fails the request).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<ByteStream, ByteStreamError> {
        let path: PathBuf = path.as_ref().to_path_buf();
        let metadata = tokio::fs::metadata(&path)
            .await
            .map_err(|e| ByteStreamError::new(format!("{}: {e}", path.display())))?;
        if !metadata.is_file() {
            return Err(ByteStreamError::new(format!(
                "{} is not a regular file",
                path.display()
            )));
        }
        Ok(ByteStream::from_source(Source::File(FileSource {
            origin: FileOrigin::Path(Arc::from(path)),
            offset: 0,
            length: metadata.len(),
        })))
    }

    /// `length` bytes of the file at `path` from byte `offset` (e.g. one part of a multipart
    /// upload). The file must hold them: a region past its end is an error now.
    pub async fn from_path_range(
        path: impl AsRef<Path>,
        offset: u64,
        length: u64,
    ) -> Result<ByteStream, ByteStreamError> {
        let whole = ByteStream::from_path(path).await?;
        let Source::File(file) = whole.source else {
            unreachable!("from_path makes a file stream")
        };
        if offset
            .checked_add(length)
            .is_none_or(|end| end > file.length)
        {
            return Err(ByteStreamError::new(format!(
                "bytes {offset}..{offset}+{length} are past the end of a {}-byte file",
                file.length
            )));
        }
        Ok(ByteStream::from_source(Source::File(FileSource {
            offset,
            length,
            ..file
        })))
    }

    /// The contents of an open file from its current position to its end (the length from
    /// its metadata now). Retries read the same region again.
    pub async fn from_file(file: tokio::fs::File) -> Result<ByteStream, ByteStreamError> {
        let mut file = file.into_std().await;
        // Both are single system calls on an open descriptor (no blocking-pool hop needed).
        let offset = file.stream_position().map_err(ByteStreamError::new)?;
        let size = file.metadata().map_err(ByteStreamError::new)?.len();
        Ok(ByteStream::from_source(Source::File(FileSource {
            origin: FileOrigin::Handle(Arc::new(file)),
            offset,
            length: size.saturating_sub(offset),
        })))
    }

    /// The first `length` bytes of `reader`, read in [`CHUNK_SIZE`] chunks as the request is
    /// sent. One-shot: a request with this body is never retried (the bytes are gone), and a
    /// reader that ends before `length` bytes fails the request.
    pub fn from_reader<R>(reader: R, length: u64) -> ByteStream
    where
        R: AsyncRead + Send + Sync + 'static,
    {
        let stream = ReaderStream::with_capacity(reader.take(length), CHUNK_SIZE);
        ByteStream::once(sized_body(stream, length), Some(length))
    }

    /// The chunks of `stream`, which must yield exactly `length` bytes in all. One-shot, like
    /// [`from_reader`](Self::from_reader).
    pub fn from_stream<S, E>(stream: S, length: u64) -> ByteStream
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
        E: Into<BoxError>,
    {
        ByteStream::once(sized_body(stream, length), Some(length))
    }

    /// A one-shot stream reading `body` (e.g. a response body from the transport).
    pub fn from_body(body: Body) -> ByteStream {
        let length = body.content_length();
        match body.as_bytes() {
            Some(bytes) => ByteStream::new(bytes.clone()),
            None => ByteStream::once(body, length),
        }
    }

    /// The `@streaming` payload of a response (generated parsers call it): the body still on
    /// the connection when the pipeline left it there, else the response's bytes.
    pub fn from_response(response: &HttpResponse) -> ByteStream {
        match response.extensions().get::<StreamingBody>() {
            Some(StreamingBody(stream)) => stream.clone(),
            None => ByteStream::new(response.body().clone()),
        }
    }

    fn from_source(source: Source) -> ByteStream {
        ByteStream {
            source,
            reading: None,
        }
    }

    fn once(body: Body, length: Option<u64>) -> ByteStream {
        ByteStream::from_source(Source::Once(OnceSource {
            slot: Arc::new(Mutex::new(Some(body))),
            length,
        }))
    }

    /// The next chunk, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if let Source::Chunks(chunks) = &mut self.source {
            return Poll::Ready(chunks.pop_front().map(Ok));
        }
        let body = match &mut self.reading {
            Some(body) => body,
            None => match self.source.start() {
                Ok(body) => self.reading.insert(body),
                Err(error) => return Poll::Ready(Some(Err(error))),
            },
        };
        loop {
            let frame = match http_body::Body::poll_frame(Pin::new(&mut *body), cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Some(Err(ByteStreamError::new(error))))
                }
                Poll::Ready(Some(Ok(frame))) => frame,
            };
            // Trailers and empty chunks carry no payload bytes.
            if let Ok(data) = frame.into_data() {
                if !data.is_empty() {
                    return Poll::Ready(Some(Ok(data)));
                }
            }
        }
    }

    /// Reads the rest of the stream into one buffer.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        let mut out = BytesMut::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.freeze())
    }

    /// The rest of the stream as a tokio [`AsyncRead`] (e.g. for `tokio::io::copy` into a file).
    pub fn into_async_read(self) -> impl AsyncRead + Send + Sync + Unpin {
        StreamReader::new(IoChunks(self))
    }

    /// The body to send: in memory for in-memory streams (so it can be hashed and signed),
    /// else streaming. A file is opened here; a one-shot source is taken, so a second call on
    /// it (or on a clone) fails.
    pub fn into_body(self) -> Result<Body, ByteStreamError> {
        if let Some(body) = self.reading {
            return Ok(body);
        }
        match self.source {
            Source::Chunks(_) => Ok(Body::from(self.to_bytes())),
            source => source.start(),
        }
    }

    /// Whether the stream can be sent again by a retry: in-memory and file streams can,
    /// one-shot ones (readers, `Stream`s, response bodies) cannot.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once(_))
    }

    /// Whether the bytes are in memory (the request body is then hashed when signed, and
    /// [`to_bytes`](Self::to_bytes) returns them).
    pub fn is_in_memory(&self) -> bool {
        matches!(self.source, Source::Chunks(_))
    }

    /// The total length, when known: the unread bytes of an in-memory stream, the length of a
    /// file or reader region, a response's `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        match &self.source {
            Source::Chunks(chunks) => Some(chunks.iter().map(|c| c.len() as u64).sum()),
            Source::File(file) => Some(file.length),
            Source::Once(once) => once.length,
        }
    }

    /// The unread bytes of an in-memory stream, without waiting (for protocols that embed a
    /// streaming blob in a document); empty for file and one-shot streams, which must be read
    /// with [`next`](Self::next) or [`collect`](Self::collect).
    pub fn to_bytes(&self) -> Bytes {
        let Source::Chunks(chunks) = &self.source else {
            return Bytes::new();
        };
        match chunks.len() {
            0 => Bytes::new(),
            1 => chunks[0].clone(),
            _ => chunks.iter().flatten().copied().collect::<Vec<u8>>().into(),
        }
    }

    /// Keeps `body` (a successful streaming response's) in `parts` for [`from_response`](Self::from_response).
    pub(crate) fn attach_to(parts: &mut http::response::Parts, body: Body) {
        parts
            .extensions
            .insert(StreamingBody(ByteStream::from_body(body)));
    }
}

impl Source {
    /// A fresh body over a file or the one-shot body.
    fn start(&self) -> Result<Body, ByteStreamError> {
        match self {
            Source::Chunks(chunks) => Ok(Body::from(
                chunks.iter().flatten().copied().collect::<Vec<u8>>(),
            )),
            Source::File(file) => file.open(),
            Source::Once(once) => once
                .slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or_else(|| {
                    ByteStreamError::new(
                        "the stream was already read (one-shot streams, made from a reader, a \
                         `Stream` or a response, can be read or sent once only)",
                    )
                }),
        }
    }
}

impl FileSource {
    fn open(&self) -> Result<Body, ByteStreamError> {
        // Opening and seeking are single short system calls, done here so that building a
        // request stays synchronous; the reads themselves go through tokio's blocking pool.
        let mut file = match &self.origin {
            FileOrigin::Path(path) => std::fs::File::open(path)
                .map_err(|e| ByteStreamError::new(format!("{}: {e}", path.display())))?,
            FileOrigin::Handle(file) => file.try_clone().map_err(ByteStreamError::new)?,
        };
        file.seek(SeekFrom::Start(self.offset))
            .map_err(ByteStreamError::new)?;
        let reader = tokio::fs::File::from_std(file).take(self.length);
        Ok(sized_body(
            ReaderStream::with_capacity(reader, CHUNK_SIZE),
            self.length,
        ))
    }
}

impl Clone for ByteStream {
    /// See the [module docs](self): replayable streams are copied, one-shot ones shared.
    fn clone(&self) -> ByteStream {
        ByteStream::from_source(self.source.clone())
    }
}

impl Default for ByteStream {
    fn default() -> ByteStream {
        ByteStream::from_chunks([])
    }
}

impl PartialEq for ByteStream {
    /// In-memory streams are equal when their unread bytes are; file streams when they read
    /// the same region of the same file; one-shot streams when they share their source.
    fn eq(&self, other: &ByteStream) -> bool {
        match (&self.source, &other.source) {
            (Source::Chunks(_), Source::Chunks(_)) => self.to_bytes() == other.to_bytes(),
            (Source::File(a), Source::File(b)) => {
                let same_origin = match (&a.origin, &b.origin) {
                    (FileOrigin::Path(a), FileOrigin::Path(b)) => a == b,
                    (FileOrigin::Handle(a), FileOrigin::Handle(b)) => Arc::ptr_eq(a, b),
                    _ => false,
                };
                same_origin && a.offset == b.offset && a.length == b.length
            }
            (Source::Once(a), Source::Once(b)) => Arc::ptr_eq(&a.slot, &b.slot),
            _ => false,
        }
    }
}

impl Eq for ByteStream {}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.content_length();
        match (&self.source, length) {
            (Source::Chunks(_), _) => {
                write!(f, "ByteStream({} bytes in memory)", length.unwrap_or(0))
            }
            (Source::File(file), _) => match &file.origin {
                FileOrigin::Path(path) => {
                    write!(f, "ByteStream({} bytes of {})", file.length, path.display())
                }
                FileOrigin::Handle(_) => write!(f, "ByteStream({} bytes of a file)", file.length),
            },
            (Source::Once(_), Some(length)) => write!(f, "ByteStream(one-shot, {length} bytes)"),
            (Source::Once(_), None) => f.write_str("ByteStream(one-shot)"),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.source {
            Source::Chunks(chunks) => (chunks.len(), Some(chunks.len())),
            _ => (0, None),
        }
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

/// The streaming body of a successful response, kept in its extensions by the pipeline.
#[derive(Clone)]
struct StreamingBody(ByteStream);

/// A body over `stream` that declares (and checks) its exact length.
fn sized_body<S, E>(stream: S, length: u64) -> Body
where
    S: Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
    E: Into<BoxError>,
{
    Body::from_body(SizedStream {
        stream: Box::pin(stream),
        length,
        seen: 0,
    })
}

/// Adapts a `Stream` of chunks to `http_body::Body` with an exact size hint (the transport's
/// `Content-Length`), failing when the stream yields more or fewer bytes than declared: a
/// length-delimited request must not be cut short or overrun.
struct SizedStream<S> {
    stream: Pin<Box<S>>,
    length: u64,
    seen: u64,
}

impl<S, E> http_body::Body for SizedStream<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match this.stream.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen += chunk.len() as u64;
                if this.seen > this.length {
                    return Poll::Ready(Some(Err(format!(
                        "the stream yielded more than its declared length of {} bytes",
                        this.length
                    )
                    .into())));
                }
                Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
            }
            Poll::Ready(None) if this.seen < this.length => Poll::Ready(Some(Err(format!(
                "the stream ended after {} of its declared {} bytes",
                this.seen, this.length
            )
            .into()))),
            Poll::Ready(None) => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.length)
    }
}

/// A `ByteStream` whose errors are `io::Error`s, for `StreamReader`.
struct IoChunks(ByteStream);

impl Stream for IoChunks {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .0
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|c| c.map_err(std::io::Error::other)))
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

impl ByteStreamError {
    /// The [`ChecksumMismatch`](crate::checksum::ChecksumMismatch) this error is, when a
    /// response body's `@httpChecksum` did not match the bytes received (reported at the end of
    /// the stream, before it would have ended normally).
    pub fn checksum_mismatch(&self) -> Option<&crate::checksum::ChecksumMismatch> {
        crate::checksum::find_mismatch(self.source.as_ref())
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
        assert_eq!(stream.content_length(), Some(3));
        assert_eq!(stream.to_bytes(), Bytes::from("abc"));
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from("ab"));
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from("c"));
        assert!(stream.next().await.is_none());
        let all = ByteStream::from("hello").collect().await.unwrap();
        assert_eq!(all, Bytes::from("hello"));
    }

    #[tokio::test]
    async fn a_file_stream_is_read_from_its_start_each_time() {
        let path = std::env::temp_dir().join(format!("byte-stream-{}.bin", std::process::id()));
        let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &contents).unwrap();
        let stream = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(stream.content_length(), Some(200_000));
        assert!(stream.is_replayable() && !stream.is_in_memory());
        assert_eq!(stream.clone().collect().await.unwrap(), contents);
        let body = stream.clone().into_body().unwrap();
        assert_eq!(body.content_length(), Some(200_000));
        assert_eq!(body.collect().await.unwrap(), contents);
        let mut chunked = stream.clone();
        let first = chunked.next().await.unwrap().unwrap();
        assert!(first.len() <= CHUNK_SIZE);

        let mut file = tokio::fs::File::open(&path).await.unwrap();
        tokio::io::AsyncSeekExt::seek(&mut file, SeekFrom::Start(150_000))
            .await
            .unwrap();
        let tail = ByteStream::from_file(file).await.unwrap();
        assert_eq!(tail.content_length(), Some(50_000));
        assert_eq!(tail.clone().collect().await.unwrap(), contents[150_000..]);
        assert_eq!(
            tail.clone().collect().await.unwrap(),
            contents[150_000..],
            "again"
        );
        std::fs::remove_file(&path).unwrap();
        let missing = ByteStream::from_path(&path).await.unwrap_err();
        assert!(missing.to_string().contains("byte-stream-"), "{missing}");
    }

    #[tokio::test]
    async fn a_reader_is_read_once_and_its_length_is_checked() {
        let stream = ByteStream::from_reader(&b"hello world"[..], 5);
        assert!(!stream.is_replayable());
        let clone = stream.clone();
        assert_eq!(stream.collect().await.unwrap(), Bytes::from("hello"));
        let again = clone.collect().await.unwrap_err();
        assert!(again.to_string().contains("already read"), "{again}");

        let short = ByteStream::from_reader(&b"abc"[..], 10);
        let error = short.collect().await.unwrap_err();
        assert!(
            error.to_string().contains("after 3 of its declared 10"),
            "{error}"
        );
        let long = ByteStream::from_stream(OneChunk(Some(Bytes::from("abcdef"))), 4);
        assert!(long.collect().await.is_err());
    }

    #[tokio::test]
    async fn a_stream_reads_as_async_read() {
        let stream = ByteStream::from_stream(OneChunk(Some(Bytes::from("abcdef"))), 6);
        let mut out = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut stream.into_async_read(), &mut out)
            .await
            .unwrap();
        assert_eq!(out, b"abcdef");
    }

    /// A `Stream` yielding one chunk.
    struct OneChunk(Option<Bytes>);

    impl Stream for OneChunk {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.take().map(Ok))
        }
    }
}
