//! Bedrock Runtime `InvokeModelWithResponseStream` for the event-stream benchmark: the response
//! is `application/vnd.amazon.eventstream`, a run of `chunk` events, each a JSON
//! `{"bytes":"<base64>"}` payload part, as the service sends a model's output.
//!
//! The model ID says what to stream: `bench-<events>-<bytes>` asks for `<events>` events of
//! `<bytes>` payload bytes each, so one server serves every workload and a client run needs no
//! server configuration. Every event carries the same payload, so the server encodes one frame
//! and sends clones of a batch of them: its own cost stays near zero, and the clients (which
//! both check each frame's CRCs and decode the base64) do all the work being measured.

use crate::s3::AnyBody;
use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use http_body::Frame;
use http_body_util::BodyExt;
use smithy_runtime::event_stream::{encode_message, marshall};
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The model ID prefix of a benchmark stream.
pub const MODEL_PREFIX: &str = "bench-";

/// Bytes the server writes at a time (several frames when they are small).
const WRITE_SIZE: usize = 64 * 1024;

/// One stream to send: how many events, and the payload bytes of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSpec {
    /// Number of `chunk` events.
    pub events: u64,
    /// Decoded payload bytes per event.
    pub payload: usize,
}

impl StreamSpec {
    /// The model ID that asks the server for this stream.
    pub fn model_id(&self) -> String {
        format!("{MODEL_PREFIX}{}-{}", self.events, self.payload)
    }
}

/// The payload of every event: `len` bytes of a repeating pattern (not all one byte, so a
/// client cannot get away with a shortcut).
pub fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// `POST /model/bench-<events>-<bytes>/invoke-with-response-stream`, the route of a stream.
pub fn route<B>(request: &hyper::Request<B>) -> Option<StreamSpec> {
    let rest = request.uri().path().strip_prefix("/model/")?;
    let model = rest.strip_suffix("/invoke-with-response-stream")?;
    let (events, payload) = model.strip_prefix(MODEL_PREFIX)?.split_once('-')?;
    Some(StreamSpec {
        events: events.parse().ok()?,
        payload: payload.parse().ok()?,
    })
}

/// The encoded `chunk` event carrying `payload`.
pub fn chunk_frame(payload: &[u8]) -> Bytes {
    let json = format!(
        r#"{{"bytes":"{}"}}"#,
        base64::engine::general_purpose::STANDARD.encode(payload)
    );
    let message = marshall::event("chunk", "application/json", Bytes::from(json));
    encode_message(&message).expect("a chunk event is within the frame limits")
}

/// The streaming response for `spec`.
pub fn respond(spec: StreamSpec) -> hyper::Response<AnyBody> {
    let frame = chunk_frame(&payload(spec.payload));
    let per_write = (WRITE_SIZE / frame.len()).max(1) as u64;
    let mut batch = BytesMut::with_capacity(frame.len() * per_write as usize);
    for _ in 0..per_write.min(spec.events) {
        batch.extend_from_slice(&frame);
    }
    let body = Repeat {
        batch: batch.freeze(),
        batches: spec.events / per_write,
        tail: frame.repeat((spec.events % per_write) as usize).into(),
    };
    let mut response = hyper::Response::new(body.boxed_unsync());
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        "application/vnd.amazon.eventstream".parse().expect("static"),
    );
    headers.insert(
        "x-amzn-bedrock-content-type",
        "application/json".parse().expect("static"),
    );
    response
}

/// A body of `batches` copies of `batch`, then `tail`.
struct Repeat {
    batch: Bytes,
    batches: u64,
    tail: Bytes,
}

impl http_body::Body for Repeat {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.batches > 0 {
            self.batches -= 1;
            return Poll::Ready(Some(Ok(Frame::data(self.batch.clone()))));
        }
        if self.tail.is_empty() {
            return Poll::Ready(None);
        }
        let tail = std::mem::take(&mut self.tail);
        Poll::Ready(Some(Ok(Frame::data(tail))))
    }

    fn is_end_stream(&self) -> bool {
        self.batches == 0 && self.tail.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smithy_runtime::event_stream::MessageDecoder;

    fn post(path: &str) -> hyper::Request<()> {
        hyper::Request::post(path).body(()).expect("valid request")
    }

    #[test]
    fn the_model_id_names_the_stream() {
        let spec = StreamSpec {
            events: 100_000,
            payload: 16,
        };
        let path = format!("/model/{}/invoke-with-response-stream", spec.model_id());
        assert_eq!(route(&post(&path)), Some(spec));
        assert_eq!(route(&post("/model/claude/invoke-with-response-stream")), None);
        assert_eq!(route(&post("/model/bench-1-2/invoke")), None);
    }

    #[tokio::test]
    async fn the_body_is_exactly_the_events_asked_for() {
        // 1,000 events of 100 bytes: several full batches and a tail.
        let spec = StreamSpec {
            events: 1000,
            payload: 100,
        };
        let body = respond(spec).into_body().collect().await.unwrap().to_bytes();
        let mut decoder = MessageDecoder::new();
        decoder.push(&body);
        let mut events = 0;
        while let Some(message) = decoder.next_message().unwrap() {
            assert_eq!(message.header_str(":event-type"), Some("chunk"));
            let json: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(json["bytes"].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes, payload(100));
            events += 1;
        }
        decoder.finish().unwrap();
        assert_eq!(events, 1000);
    }
}
