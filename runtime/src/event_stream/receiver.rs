//! [`EventReceiver`]: the events of an output event stream, decoded from the response body as
//! it arrives.
//!
//! Pull-based: the body is read from the connection only when the caller asks for the next
//! event ([`EventReceiver::recv`] or the [`Stream`] impl), so a slow consumer slows the sender
//! down (TCP / HTTP/2 flow control) instead of filling memory. Dropping the receiver (and its
//! clones) drops the body, which closes the connection.

use super::decoder::MessageDecoder;
use super::error::FrameError;
use super::message::Message;
use crate::byte_stream::{ByteStream, ByteStreamError};
use bytes::Bytes;
use futures_core::Stream;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

/// The `:event-type` of the event carrying an RPC protocol's initial response.
pub const INITIAL_RESPONSE: &str = "initial-response";

/// How a generated event-stream union decodes its messages (implemented by generated code).
pub trait DecodeEvent: Sized {
    /// The stream's modelled exceptions (a generated enum).
    type Error;

    /// The event named `event_type` (`:event-type`); a type the model does not list is the
    /// union's `Unknown`. `Err` is a reason the message is malformed.
    fn decode_event(event_type: &str, message: &Message) -> Result<Self, String>;

    /// The modelled exception named `exception_type` (`:exception-type`), `None` if the model
    /// does not list it.
    fn decode_exception(
        exception_type: &str,
        message: &Message,
    ) -> Result<Option<Self::Error>, String>;
}

/// Why an event stream ended with an error. Every error ends the stream: later calls to
/// [`EventReceiver::recv`] return `Ok(None)`.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// A modelled exception event (`:message-type: exception`).
    Modelled(E),
    /// An exception event the model does not list.
    UnknownException {
        /// Its `:exception-type`.
        exception_type: String,
        /// Its payload, undecoded.
        payload: Bytes,
    },
    /// An error message (`:message-type: error`) from the service.
    Service {
        /// `:error-code`.
        code: String,
        /// `:error-message` (empty if absent).
        message: String,
    },
    /// The bytes are not a valid event-stream message (bad CRC, truncated stream, ...).
    Frame(FrameError),
    /// The connection failed while the body was being read.
    Transport(ByteStreamError),
    /// A well-framed message that is not a valid event (missing headers, a payload that does
    /// not decode as the event's shape).
    Malformed(String),
}

impl<E: fmt::Display> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Modelled(error) => write!(f, "event stream exception: {error}"),
            Self::UnknownException { exception_type, .. } => {
                write!(
                    f,
                    "event stream exception `{exception_type}` (not in the model)"
                )
            }
            Self::Service { code, message } => {
                write!(f, "event stream error from the service: {code}: {message}")
            }
            Self::Frame(error) => write!(f, "{error}"),
            Self::Transport(error) => write!(f, "event stream connection failed: {error}"),
            Self::Malformed(reason) => write!(f, "malformed event: {reason}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for EventStreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Modelled(error) => Some(error),
            Self::Frame(error) => Some(error),
            Self::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// The events of an output event stream; see the [module docs](self).
///
/// Clones share one stream (each event goes to whichever clone asks first), which keeps the
/// generated output structures `Clone`; equality is identity.
pub struct EventReceiver<T> {
    inner: Arc<Mutex<Inner>>,
    _event: PhantomData<fn() -> T>,
}

struct Inner {
    body: ByteStream,
    decoder: MessageDecoder,
    /// A message read ahead (by [`EventReceiver::try_recv_initial`]) and not yet returned.
    pending: Option<Message>,
    done: bool,
}

impl<T> EventReceiver<T> {
    /// The events of `body` (a streaming response body).
    pub fn new(body: ByteStream) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                body,
                decoder: MessageDecoder::new(),
                pending: None,
                done: false,
            })),
            _event: PhantomData,
        }
    }

    /// The first message if it is the `initial-response` event of an RPC protocol; any other
    /// message stays queued for [`recv`](Self::recv). `Ok(None)` if the stream has no initial
    /// response (or no messages at all).
    pub async fn try_recv_initial(&self) -> Result<Option<Message>, EventStreamError<T::Error>>
    where
        T: DecodeEvent,
    {
        let message = std::future::poll_fn(|cx| self.lock().poll_message(cx)).await?;
        let Some(message) = message else {
            return Ok(None);
        };
        if message.header_str(":event-type") == Some(INITIAL_RESPONSE) {
            return Ok(Some(message));
        }
        self.lock().pending = Some(message);
        Ok(None)
    }

    /// The next event, `Ok(None)` at the end of the stream (or after an error).
    pub async fn recv(&self) -> Result<Option<T>, EventStreamError<T::Error>>
    where
        T: DecodeEvent,
    {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// [`recv`](Self::recv) as a poll function.
    pub fn poll_recv(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<T>, EventStreamError<T::Error>>>
    where
        T: DecodeEvent,
    {
        let mut inner = self.lock();
        let message = match inner.poll_message(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(Some(message))) => message,
            Poll::Ready(other) => return Poll::Ready(other.map(|_| None)),
        };
        let event = classify::<T>(&message);
        if event.is_err() {
            inner.done = true;
        }
        Poll::Ready(event.map(Some))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while polling cannot leave `Inner` half-updated in a way that matters: at
        // worst a message is lost, which the stream's own checks would not catch either.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    /// The next whole message, reading the body only when the decoder needs more bytes.
    fn poll_message<E>(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<Message>, EventStreamError<E>>> {
        if let Some(message) = self.pending.take() {
            return Poll::Ready(Ok(Some(message)));
        }
        loop {
            if self.done {
                return Poll::Ready(Ok(None));
            }
            match self.decoder.next_message() {
                Ok(Some(message)) => return Poll::Ready(Ok(Some(message))),
                Ok(None) => {}
                Err(error) => return Poll::Ready(Err(self.fail(EventStreamError::Frame(error)))),
            }
            match Pin::new(&mut self.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.decoder.push(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Err(self.fail(EventStreamError::Transport(error))))
                }
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(match self.decoder.finish() {
                        Ok(()) => Ok(None),
                        Err(error) => Err(EventStreamError::Frame(error)),
                    });
                }
            }
        }
    }

    /// Ends the stream with `error`, releasing the connection now.
    fn fail<E>(&mut self, error: EventStreamError<E>) -> EventStreamError<E> {
        self.done = true;
        self.body = ByteStream::default();
        error
    }
}

/// What a message means: an event, or the error that ends the stream.
fn classify<T: DecodeEvent>(message: &Message) -> Result<T, EventStreamError<T::Error>> {
    let required = |name: &str| {
        message
            .header_str(name)
            .ok_or_else(|| EventStreamError::Malformed(format!("a message without `{name}`")))
    };
    match message.header_str(":message-type").unwrap_or("event") {
        "event" => {
            T::decode_event(required(":event-type")?, message).map_err(EventStreamError::Malformed)
        }
        "exception" => {
            let exception_type = required(":exception-type")?;
            match T::decode_exception(exception_type, message) {
                Ok(Some(error)) => Err(EventStreamError::Modelled(error)),
                Ok(None) => Err(EventStreamError::UnknownException {
                    exception_type: exception_type.to_owned(),
                    payload: message.payload.clone(),
                }),
                Err(reason) => Err(EventStreamError::Malformed(reason)),
            }
        }
        "error" => Err(EventStreamError::Service {
            code: required(":error-code")?.to_owned(),
            message: message
                .header_str(":error-message")
                .unwrap_or_default()
                .to_owned(),
        }),
        other => Err(EventStreamError::Malformed(format!(
            "unknown `:message-type` `{other}`"
        ))),
    }
}

impl<T: DecodeEvent> Stream for EventReceiver<T> {
    type Item = Result<T, EventStreamError<T::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_recv(cx).map(Result::transpose)
    }
}

impl<T> Clone for EventReceiver<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            _event: PhantomData,
        }
    }
}

impl<T> Default for EventReceiver<T> {
    /// A stream without events.
    fn default() -> Self {
        Self::new(ByteStream::default())
    }
}

impl<T> PartialEq for EventReceiver<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventReceiver")
    }
}

/// The error of an operation whose RPC initial response (the `initial-response` event) could
/// not be read or decoded (called by generated `send` functions).
pub fn initial_response_error<E>(reason: &dyn fmt::Display) -> crate::SdkError<E> {
    crate::SdkError::Response(crate::error::ResponseError {
        status: 200,
        headers: http::HeaderMap::new(),
        body: Bytes::new(),
        reason: format!("the initial-response event: {reason}"),
        attempts: 0,
    })
}
