//! Helpers generated event encoders call.

use super::message::{HeaderValue, Message};
use bytes::Bytes;

/// An event message: `:message-type: event`, `:event-type`, `:content-type` and `payload`.
pub fn event(event_type: &str, content_type: &str, payload: Bytes) -> Message {
    Message::new(payload)
        .with_header(":message-type", HeaderValue::String("event".to_owned()))
        .with_header(":event-type", HeaderValue::String(event_type.to_owned()))
        .with_header(
            ":content-type",
            HeaderValue::String(content_type.to_owned()),
        )
}
