//! Input event streams: [`EventSender`], the caller's stream of events that a generated input
//! structure holds, and [`EventStreamBody`], the request body that frames (and, for SigV4
//! services, signs) each event as it is produced.
//!
//! The body is pull-based like the output side: an event is taken from the caller's stream
//! only when the connection can take more bytes. When the request is signed, the pipeline puts
//! the request's signature into the body's [`SigningSlot`] before the body is first polled;
//! every event is then wrapped in a signed message (see [`super::signing`]) and the stream
//! ends with the empty signed message. An unsigned request sends the events as they are.

use super::encoder::encode_message;
use super::message::Message;
use super::signing::EventSigner;
use crate::body::BoxError;
use crate::DateTime;
use bytes::Bytes;
use futures_core::Stream;
use http_body::{Body, Frame};
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

/// How a generated input event-stream union becomes a message (implemented by generated code).
pub trait EncodeEvent {
    /// The event as an unsigned message (`:message-type`, `:event-type`, `:content-type`
    /// headers, `@eventHeader` members, the payload); `Err` for a value that cannot be sent
    /// (the union's `Unknown`).
    fn encode_event(&self) -> Result<Message, String>;
}

/// A type-erased stream of encoded events.
pub type MessageStream = Pin<Box<dyn Stream<Item = Result<Message, String>> + Send>>;

/// The events of an input event stream, supplied by the caller as any [`Stream`].
///
/// The stream is sent once: clones share it (the first request built from any clone takes
/// it), which keeps the generated input structures `Clone`; equality is identity.
pub struct EventSender<T> {
    slot: Arc<Mutex<Option<EventStream<T>>>>,
}

/// The caller's stream, boxed.
type EventStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

impl<T: 'static> EventSender<T> {
    /// The events `stream` yields, sent as they come.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        Self {
            slot: Arc::new(Mutex::new(Some(Box::pin(stream)))),
        }
    }

    /// A fixed list of events (mostly for tests: real input streams are produced over time).
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self
    where
        T: Send,
    {
        Self::new(IterStream(
            events.into_iter().collect::<Vec<T>>().into_iter(),
        ))
    }

    /// Takes the stream as encoded messages; `None` if a clone already took it.
    pub fn take_messages(&self) -> Option<MessageStream>
    where
        T: EncodeEvent,
    {
        let stream = self
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        Some(Box::pin(Encoded(stream)))
    }
}

struct IterStream<I>(I);

// Never pinned structurally: the iterator is only ever used through `&mut`.
impl<I> Unpin for IterStream<I> {}

impl<I: Iterator> Stream for IterStream<I> {
    type Item = I::Item;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

struct Encoded<T>(EventStream<T>);

impl<T: EncodeEvent> Stream for Encoded<T> {
    type Item = Result<Message, String>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|event| event.map(|event| event.encode_event()))
    }
}

impl<T> Clone for EventSender<T> {
    fn clone(&self) -> Self {
        Self {
            slot: Arc::clone(&self.slot),
        }
    }
}

impl<T> Default for EventSender<T> {
    /// A stream that is already taken: sending it fails with a construction error.
    fn default() -> Self {
        Self {
            slot: Arc::new(Mutex::new(None)),
        }
    }
}

impl<T> PartialEq for EventSender<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.slot, &other.slot)
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSender")
    }
}

/// Where the pipeline leaves the chained signer once the request is signed.
#[derive(Clone, Default)]
pub struct SigningSlot(Arc<Mutex<Option<EventSigner>>>);

impl SigningSlot {
    /// Starts the chain (called once the request's signature is known).
    pub fn set(&self, signer: EventSigner) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(signer);
    }

    fn with<R>(&self, f: impl FnOnce(Option<&mut EventSigner>) -> R) -> R {
        f(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut())
    }
}

impl fmt::Debug for SigningSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSlot")
    }
}

/// The request body of an input event stream; see the [module docs](self).
pub struct EventStreamBody {
    /// In a mutex only to make the body `Sync` (the transport's requirement); polling has
    /// `&mut self` and never locks.
    messages: Mutex<MessageStream>,
    signing: SigningSlot,
    ended: bool,
}

impl EventStreamBody {
    /// A body sending `messages`, signed through `signing` if the pipeline fills it.
    pub fn new(messages: MessageStream, signing: SigningSlot) -> Self {
        Self {
            messages: Mutex::new(messages),
            signing,
            ended: false,
        }
    }

    /// The wire bytes of one event: signed and wrapped, or as it is when unsigned.
    fn frame(&self, message: &Message) -> Result<Bytes, BoxError> {
        let signed = self
            .signing
            .with(|signer| signer.map(|s| s.sign(message, DateTime::now())));
        match signed {
            Some(signed) => Ok(encode_message(&signed?)?),
            None => Ok(encode_message(message)?),
        }
    }

    /// The empty signed message that ends a signed stream.
    fn end_frame(&self) -> Option<Result<Bytes, BoxError>> {
        self.signing.with(|signer| {
            signer.map(|s| encode_message(&s.sign_end(DateTime::now())).map_err(BoxError::from))
        })
    }
}

impl Body for EventStreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let messages = self
            .messages
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let next = match messages.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        let frame = match next {
            Some(Ok(message)) => self.frame(&message),
            Some(Err(reason)) => {
                self.ended = true;
                Err(BoxError::from(format!("cannot send the event: {reason}")))
            }
            None => {
                self.ended = true;
                match self.end_frame() {
                    Some(frame) => frame,
                    None => return Poll::Ready(None),
                }
            }
        };
        Poll::Ready(Some(frame.map(Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}

/// An input stream's messages inside [`RequestParts`](crate::http::RequestParts), taken by the
/// first request built from them (an event stream is never sent twice, so never retried).
#[derive(Clone)]
pub struct EventStreamSource(Arc<Mutex<Option<MessageStream>>>);

impl EventStreamSource {
    /// Holds `messages` until the request is built.
    pub fn new(messages: MessageStream) -> Self {
        Self(Arc::new(Mutex::new(Some(messages))))
    }

    /// The messages, once.
    pub fn take(&self) -> Option<MessageStream> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl fmt::Debug for EventStreamSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStreamSource")
    }
}
