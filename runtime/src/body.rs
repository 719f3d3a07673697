//! [`Body`]: the body of an HTTP request or response as the transport sees it, either bytes in
//! memory or a stream of chunks with a known (or, for responses, maybe unknown) length.
//!
//! Requests carry a `Body` from the pipeline to the [`HttpClient`](crate::http::HttpClient);
//! responses carry one back. The pipeline reads a response body whole (into an
//! [`HttpResponse`](crate::http::HttpResponse)) except the successful response of an operation
//! whose output is a `@streaming` blob, which is handed to the caller as a
//! [`ByteStream`](crate::ByteStream) that pulls chunks from the connection as it is read.

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The error a streaming body yields (a transport error, an I/O error of a file or reader).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A body for [`HttpRequest`](crate::http::HttpRequest)s and the transport's responses.
///
/// Build one from bytes (`Body::from(Bytes::from("{}"))`, also from `&'static str`, `String`
/// and `Vec<u8>`) or from any [`http_body::Body`] with [`Body::from_body`]; a transport
/// faking the network answers `http::Response::new(Body::from("{}"))`.
///
/// It is `Send + Sync` (so it can be kept in structures shared between tasks); a streaming
/// body can be read once only.
pub struct Body {
    kind: Kind,
}

enum Kind {
    /// In memory; `None` once polled.
    Bytes(Option<Bytes>),
    /// Anything else, boxed.
    Stream(Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + Sync>>),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Body {
        Body::from(Bytes::new())
    }

    /// Wraps any `http_body::Body` whose data are [`Bytes`] (hyper's `Incoming`, a
    /// `StreamBody`, ...). Its [`size_hint`](http_body::Body::size_hint) is passed on: the
    /// transport sends an exact hint as `Content-Length`.
    pub fn from_body<B>(body: B) -> Body
    where
        B: http_body::Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        Body {
            kind: Kind::Stream(Box::pin(http_body_util::BodyExt::map_err(
                body,
                |error: B::Error| -> BoxError { error.into() },
            ))),
        }
    }

    /// The bytes of an in-memory body (not yet polled); `None` for a streaming body. The signer
    /// hashes these; a streaming body is signed as `UNSIGNED-PAYLOAD`.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Bytes(bytes) => bytes.as_ref(),
            Kind::Stream(_) => None,
        }
    }

    /// The length of the body when it is known (always for an in-memory body).
    pub fn content_length(&self) -> Option<u64> {
        http_body::Body::size_hint(self).exact()
    }

    /// Reads the rest of the body into one buffer.
    pub async fn collect(self) -> Result<Bytes, BoxError> {
        match self.kind {
            Kind::Bytes(bytes) => Ok(bytes.unwrap_or_default()),
            Kind::Stream(stream) => Ok(http_body_util::BodyExt::collect(stream).await?.to_bytes()),
        }
    }
}

impl Default for Body {
    fn default() -> Body {
        Body::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Bytes(bytes) => write!(
                f,
                "Body({} bytes in memory)",
                bytes.as_ref().map_or(0, Bytes::len)
            ),
            Kind::Stream(_) => match self.content_length() {
                Some(length) => write!(f, "Body(stream of {length} bytes)"),
                None => f.write_str("Body(stream)"),
            },
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().kind {
            Kind::Bytes(bytes) => Poll::Ready(
                bytes
                    .take()
                    .filter(|b| !b.is_empty())
                    .map(|b| Ok(Frame::data(b))),
            ),
            Kind::Stream(stream) => stream.as_mut().poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Bytes(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            Kind::Stream(stream) => stream.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Bytes(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Kind::Stream(stream) => stream.size_hint(),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body {
            kind: Kind::Bytes(Some(bytes)),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::from(Bytes::from(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Body::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Body {
        Body::from(Bytes::from_static(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_memory_and_streaming_bodies() {
        let body = Body::from("abc");
        assert_eq!(body.as_bytes(), Some(&Bytes::from("abc")));
        assert_eq!(body.content_length(), Some(3));
        assert_eq!(body.collect().await.unwrap(), Bytes::from("abc"));
        assert_eq!(Body::empty().content_length(), Some(0));
        assert!(http_body::Body::is_end_stream(&Body::empty()));

        let wrapped = Body::from_body(http_body_util::Full::new(Bytes::from("xyz")));
        assert_eq!(wrapped.as_bytes(), None, "a wrapped body is a stream");
        assert_eq!(wrapped.content_length(), Some(3));
        assert_eq!(format!("{wrapped:?}"), "Body(stream of 3 bytes)");
        assert_eq!(wrapped.collect().await.unwrap(), Bytes::from("xyz"));
    }
}
